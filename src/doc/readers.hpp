#pragma once
// The two text readers behind parse_document(); each returns the document as a Value tree.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "doc/value.hpp"

namespace stackshift::doc {

Result<Value> read_yaml(std::string_view text, const std::string& file);
Result<Value> read_json(std::string_view text, const std::string& file);

// The fast path for the YAML templates use; nullopt when the text needs libfyaml (anything
// unusual, and every error). read_yaml() tries it first.
std::optional<Value> read_yaml_fast(std::string_view text);

// read_yaml() without the fast path: libfyaml only. For tests that compare the two.
Result<Value> read_yaml_reference(std::string_view text, const std::string& file);

}  // namespace stackshift::doc
