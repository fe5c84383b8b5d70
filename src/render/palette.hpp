#pragma once
// Terminal colors for the text renderers; off when the output is no terminal or NO_COLOR is set.

#include <string>
#include <string_view>

namespace stackshift::render {

struct Palette {
    bool on;
    std::string paint(std::string_view code, std::string_view text) const {
        if (!on) return std::string(text);
        return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
    }
    std::string red(std::string_view t) const { return paint("31", t); }
    std::string bold_red(std::string_view t) const { return paint("1;31", t); }
    std::string yellow(std::string_view t) const { return paint("33", t); }
    std::string green(std::string_view t) const { return paint("32", t); }
    std::string dim(std::string_view t) const { return paint("2", t); }
    std::string bold(std::string_view t) const { return paint("1", t); }
};

}  // namespace stackshift::render
