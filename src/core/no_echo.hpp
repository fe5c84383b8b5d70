#pragma once
// The value AWS reports for a NoEcho parameter; never sent back as a value. In core because the
// AWS backend, the simulator, the snapshot and the planner all recognise it, and the AWS backend
// depends on core alone.

#include <string_view>

namespace stackshift {

inline constexpr std::string_view masked_value = "****";

}  // namespace stackshift
