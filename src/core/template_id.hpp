#pragma once
// Template ids of numbered deployments ("1-1-vpc", "2-4a-is-s3", "200-1-crypto") and their
// order: by the major number, then the minor number, then its letter ("2-4" before "2-4a"
// before "2-4b"), then by name when two templates share a number.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace stackshift {

struct TemplateId {
    int major = 0;
    int minor = 0;
    std::string letter;  // "a" of 2-4a; may be empty
    std::string name;    // "is-s3"
    std::string text;    // the whole id as written

    // "<major>-<minor>[letter]-<name>" where name is lowercase letters, digits and dashes.
    static std::optional<TemplateId> parse(std::string_view text);

    friend std::strong_ordering operator<=>(const TemplateId& a, const TemplateId& b);
    friend bool operator==(const TemplateId& a, const TemplateId& b) { return a.text == b.text; }
};

// Parses or says what a template id looks like.
Result<TemplateId> parse_template_id(std::string_view text, std::string_view where);

// The order of two ids given as text. Ids outside the pattern sort after every numbered one,
// by name: a documented fallback, so that a stray template never breaks the order of the rest.
bool template_order_less(std::string_view a, std::string_view b);

}  // namespace stackshift
