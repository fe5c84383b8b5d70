#include "core/diagnostic.hpp"

namespace stackshift {

std::string Diagnostic::to_string() const {
    std::string out = file;
    if (position.line != 0) {
        out += ':' + std::to_string(position.line);
        if (position.column != 0) out += ':' + std::to_string(position.column);
    }
    if (!out.empty()) out += ": ";
    out += message;
    return out;
}

std::string to_string(const Diagnostics& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        if (!out.empty()) out += '\n';
        out += d.to_string();
    }
    return out;
}

}  // namespace stackshift
