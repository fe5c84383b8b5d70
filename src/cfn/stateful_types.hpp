#pragma once
// Stateful resource types: those whose replacement or removal loses data, so that the plan
// never does either without an acknowledgement naming the resource. The list is hand-written
// in data/stateful_types.inc, each type with the reason shown to the operator.

#include <span>
#include <string_view>

namespace stackshift::cfn {

// A resource type that holds data, and why losing it matters, in words for a runbook.
struct StatefulType {
    std::string_view type;    // "AWS::EC2::Volume"
    std::string_view reason;  // "an EBS volume holds block data; ..."
};

// The entry for the type, or nullptr if the type is not stateful.
const StatefulType* find_stateful_type(std::string_view resource_type);

// All entries, sorted by type.
std::span<const StatefulType> stateful_types();

}  // namespace stackshift::cfn
