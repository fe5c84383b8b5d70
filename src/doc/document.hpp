#pragma once
// A document: YAML or JSON text read into a Value tree. The entry point to the readers, for
// templates and for every other file the project reads (profiles, values files, snapshots,
// scenarios).

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "doc/value.hpp"

namespace stackshift::doc {

enum class Format { yaml, json };

// Parses YAML or JSON text into a Value tree: short-form tags become long forms, duplicate
// keys and unknown tags are errors; positions are kept on every node.
Result<Value> parse_document(std::string_view text, const std::string& file, Format format);

// Picks the format by content: JSON when the first non-blank character is '{'.
Format detect_format(std::string_view text);

}  // namespace stackshift::doc
