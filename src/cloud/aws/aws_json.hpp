#pragma once
// Small readers of the AWS CLI's JSON: a missing or null member reads as empty, so an answer
// that leaves out an optional field (StatusReason, Outputs, exitCode) needs no special case.

#include <string>
#include <vector>

#include "cloud/aws/aws_cli.hpp"

namespace stackshift::cloud::aws::json {

inline std::string text(const Json& object, const char* key) {
    if (!object.is_object()) return {};
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
}

inline int integer(const Json& object, const char* key, int otherwise = 0) {
    if (!object.is_object()) return otherwise;
    auto it = object.find(key);
    if (it == object.end() || !it->is_number()) return otherwise;
    return it->get<int>();
}

// The member as an array; an empty one when it is missing.
inline const Json& list(const Json& object, const char* key) {
    static const Json empty = Json::array();
    if (!object.is_object()) return empty;
    auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : empty;
}

// [{"Key": k, "Value": v}, ...] as a map; the key and value member names vary by service.
template <typename Map>
Map pairs(const Json& array, const char* key, const char* value) {
    Map out;
    if (!array.is_array()) return out;
    for (const auto& item : array) out[text(item, key)] = text(item, value);
    return out;
}

}  // namespace stackshift::cloud::aws::json
