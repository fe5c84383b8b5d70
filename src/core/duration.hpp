#pragma once
// A length of time as people read it in a progress line or a status area. In core because both
// the progress lines and the board print it, and neither should include the other for it.

#include <cstdint>
#include <string>

namespace stackshift {

// "1h2m3s", "4m5s", "7s"; a negative length counts as none.
std::string format_duration(std::int64_t seconds);

}  // namespace stackshift
