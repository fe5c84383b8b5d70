#pragma once
// The typed exception for what must stop a run. It is caught in one place (the command-line
// front end), which prints "stackshift: error: ..." and exits with the code it carries.

#include <stdexcept>
#include <string>

#include "core/diagnostic.hpp"

namespace stackshift {

// Process exit codes, as DESIGN.md fixes them.
enum class ExitCode : int {
    ok = 0,
    failure = 1,
    bad_input = 2,
    needs_input = 3,
};

class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ExitCode code() const { return m_code; }

private:
    ExitCode m_code;
};

// Bad input: an unreadable or invalid file, an unknown value, a bad flag. Exit code 2.
class InputError : public Error {
public:
    explicit InputError(const std::string& message) : Error(ExitCode::bad_input, message) {}
    explicit InputError(const Diagnostics& diagnostics)
        : Error(ExitCode::bad_input, to_string(diagnostics)) {}
};

}  // namespace stackshift
