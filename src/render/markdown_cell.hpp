#pragma once
// Text for one cell of a Markdown table: pipes escaped, line breaks folded.

#include <string>
#include <string_view>

namespace stackshift::render {

inline std::string markdown_cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out;
}

}  // namespace stackshift::render
