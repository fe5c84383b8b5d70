#include "cli/output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

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

}  // namespace stackshift::cli
