#include "core/duration.hpp"

namespace stackshift {

std::string format_duration(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    std::string out;
    if (seconds >= 3600) out += std::to_string(seconds / 3600) + "h";
    if (seconds >= 60) out += std::to_string((seconds / 60) % 60) + "m";
    out += std::to_string(seconds % 60) + "s";
    return out;
}

}  // namespace stackshift
