#pragma once
// What the front end knows of its terminal: whether to color (a terminal, and NO_COLOR unset).

#include <ostream>

namespace stackshift::cli {

struct Terminal {
    bool is_tty = false;
    bool color = false;
};

Terminal detect_terminal(const std::ostream& stream);

}  // namespace stackshift::cli
