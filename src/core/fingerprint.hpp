#pragma once
// A short fingerprint of a text (64-bit FNV-1a, 16 hex digits): tells apart two plans, not a
// safeguard against tampering.

#include <string>
#include <string_view>

namespace stackshift {

std::string fingerprint(std::string_view text);

}  // namespace stackshift
