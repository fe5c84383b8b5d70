#pragma once
// What the front end knows of its terminal: whether to color (a terminal, and NO_COLOR unset).

#include <ostream>
#include <string>

namespace stackshift::cli {

struct Terminal {
    bool is_tty = false;
    bool color = false;
};

Terminal detect_terminal(const std::ostream& stream);

// Throws InputError unless `output` is "text" or "json", suggesting the closest. Checked by the
// command rather than by CLI11 so that the message suggests the fix like every other.
void check_text_or_json(const std::string& output);

}  // namespace stackshift::cli
