#pragma once
// A problem found in an input, with where it is and what was expected. Validation collects
// these and stops once, so the user sees every error in one go.

#include <cstdint>
#include <string>
#include <vector>

namespace stackshift {

// A place in a text file; line and column count from 1, 0 means unknown.
struct Position {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    friend bool operator==(const Position&, const Position&) = default;
};

struct Diagnostic {
    std::string file;
    Position position;
    std::string message;

    // "file:line:column: message", leaving out what is unknown.
    std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

// All diagnostics, one per line.
std::string to_string(const Diagnostics& diagnostics);

}  // namespace stackshift
