#pragma once
// The tool's name and version, as `stackshift --version` prints it and a deployment lock records it.

namespace stackshift::cli {

inline constexpr const char* tool_version = "stackshift 0.1.0";

}  // namespace stackshift::cli
