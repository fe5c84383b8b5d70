#pragma once
// Reading and writing whole files. Writes go through a temporary file and a rename, so a
// crash never leaves a half-written file behind.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace stackshift {

// The whole file, or a diagnostic naming the file and why it could not be read.
Result<std::string> read_file(const std::string& path);

// Writes `content` to `path` atomically. Throws InputError when it cannot.
void write_file_atomic(const std::string& path, std::string_view content);

}  // namespace stackshift
