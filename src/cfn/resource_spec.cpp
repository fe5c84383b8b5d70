#include "cfn/resource_spec.hpp"

#include <algorithm>
#include <utility>

namespace stackshift::cfn {
namespace {

// One property of a resource type or of a type definition, as generated into
// data/resource_spec.inc. Plain C strings keep the 12,000 rows cheap to compile (a
// string_view would be measured by constant evaluation, row by row); trailing members have
// defaults so that most rows stay short.
struct SpecRow {
    const char* owner;        // "AWS::EC2::Instance" or "AWS::EC2::Instance.Ebs"
    const char* name;         // "BlockDeviceMappings"
    char code;                // 'n' never, 'm' maybe, 'a' always
    const char* nested = "";  // the value's type definition, where it can raise the answer
    bool keyed = false;       // the value is a map of `nested`
};

#include "data/resource_spec.inc"

// Far deeper than any path in the data (15 levels); type definitions can be recursive, and a
// bound keeps a malformed table from walking forever.
constexpr int max_depth = 32;

// Rows compare as (owner, name) in byte order, the generator's sort order.
std::pair<std::string_view, std::string_view> row_key(const SpecRow& row) {
    return {row.owner, row.name};
}

std::string_view as_view(const char* text) {
    return text;
}

const SpecRow* find_row(std::span<const SpecRow> rows, std::string_view owner,
                        std::string_view name) {
    const std::pair key{owner, name};
    const auto it = std::ranges::lower_bound(rows, key, {}, row_key);
    if (it == rows.end() || row_key(*it) != key) {
        return nullptr;
    }
    return &*it;
}

Replacement from_code(char code) {
    switch (code) {
    case 'a':
        return Replacement::always;
    case 'm':
        return Replacement::maybe;
    default:
        return Replacement::never;
    }
}

// The row of the next path segment below `row`, or nullptr where the spec says nothing more.
// Advances `next` past the segments it consumes, a map key included.
const SpecRow* step(const SpecRow& row, std::span<const std::string_view> path,
                    std::size_t& next) {
    if (*row.nested == '\0' || next >= path.size()) {
        return nullptr;
    }
    const SpecRow* child = find_row(type_rows, row.nested, path[next]);
    if (child == nullptr && row.keyed && next + 1 < path.size()) {
        ++next;  // the segment was a map key
        child = find_row(type_rows, row.nested, path[next]);
    }
    ++next;
    return child;
}

bool links_resolve(std::span<const SpecRow> rows) {
    return std::ranges::all_of(rows, [](const SpecRow& row) {
        return *row.nested == '\0' ||
               std::ranges::binary_search(type_rows, as_view(row.nested), {},
                                          [](const SpecRow& r) { return as_view(r.owner); });
    });
}

}  // namespace

std::string_view replacement_name(Replacement replacement) {
    switch (replacement) {
    case Replacement::never:
        return "never";
    case Replacement::maybe:
        return "maybe";
    case Replacement::always:
        return "always";
    }
    return "never";
}

std::string_view spec_source() {
    return STACKSHIFT_SPEC_SOURCE;
}

bool spec_knows_type(std::string_view resource_type) {
    return std::ranges::binary_search(spec_types, resource_type, {}, as_view);
}

bool spec_has_property(std::string_view resource_type, std::string_view property) {
    return find_row(resource_rows, resource_type, property) != nullptr;
}

Replacement property_replacement(std::string_view resource_type,
                                 std::span<const std::string_view> path) {
    if (path.empty()) {
        return Replacement::never;
    }
    const SpecRow* row = find_row(resource_rows, resource_type, path.front());
    if (row == nullptr) {
        return Replacement::never;  // as cdk diff: no spec, no predicted replacement
    }
    Replacement answer = from_code(row->code);
    std::size_t next = 1;
    for (int depth = 0; depth < max_depth; ++depth) {
        row = step(*row, path, next);
        if (row == nullptr) {
            break;
        }
        answer = std::max(answer, from_code(row->code));
    }
    return answer;
}

bool spec_table_is_consistent() {
    const auto strictly_sorted = [](std::span<const SpecRow> rows) {
        return std::ranges::adjacent_find(rows, std::ranges::greater_equal{}, row_key) ==
               rows.end();
    };
    return std::ranges::adjacent_find(spec_types, std::ranges::greater_equal{}, as_view) ==
               std::end(spec_types) &&
           strictly_sorted(resource_rows) && strictly_sorted(type_rows) &&
           std::ranges::all_of(resource_rows,
                               [](const SpecRow& row) { return spec_knows_type(row.owner); }) &&
           links_resolve(resource_rows) && links_resolve(type_rows);
}

}  // namespace stackshift::cfn
