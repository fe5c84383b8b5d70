#include "core/fingerprint.hpp"

#include <cinttypes>
#include <cstdint>
#include <cstdio>

namespace stackshift {

std::string fingerprint(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016" PRIx64, hash);
    return out;
}

}  // namespace stackshift
