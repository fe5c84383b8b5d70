#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace stackshift::cli {

Terminal detect_terminal(const std::ostream& stream) {
    Terminal t;
    int fd = &stream == &std::cerr ? STDERR_FILENO : STDOUT_FILENO;
    t.is_tty = isatty(fd) != 0;
    const char* no_color = std::getenv("NO_COLOR");
    bool color_disabled = no_color != nullptr && *no_color != '\0';
    const char* term = std::getenv("TERM");
    bool dumb = term != nullptr && std::string(term) == "dumb";
    t.color = t.is_tty && !color_disabled && !dumb;
    return t;
}

void check_text_or_json(const std::string& output) {
    static const std::vector<std::string> formats{"text", "json"};
    if (std::find(formats.begin(), formats.end(), output) != formats.end()) return;
    throw InputError("unknown output format " + quote(output) + " in --output" + did_you_mean(output, formats) +
                     "; choose " + join(formats, " or "));
}

}  // namespace stackshift::cli
