#pragma once
// The two text readers behind parse_document(); each returns the document as a Value tree.

#include <string>
#include <string_view>

#include "cfn/value.hpp"
#include "core/result.hpp"

namespace stackshift::cfn {

Result<Value> read_yaml(std::string_view text, const std::string& file);
Result<Value> read_json(std::string_view text, const std::string& file);

}  // namespace stackshift::cfn
