#include "cfn/stateful_types.hpp"

#include <algorithm>

namespace stackshift::cfn {
namespace {

constexpr StatefulType stateful_rows[] = {
#include "data/stateful_types.inc"
};

// The file is edited by hand and searched by bisection.
static_assert(std::ranges::is_sorted(stateful_rows, {}, &StatefulType::type));

}  // namespace

const StatefulType* find_stateful_type(std::string_view resource_type) {
    const auto it = std::ranges::lower_bound(stateful_rows, resource_type, {}, &StatefulType::type);
    if (it == std::end(stateful_rows) || it->type != resource_type) {
        return nullptr;
    }
    return it;
}

std::span<const StatefulType> stateful_types() {
    return stateful_rows;
}

}  // namespace stackshift::cfn
