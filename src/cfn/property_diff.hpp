#pragma once
// Property-level comparison for one resource: walks both property trees, reports each leaf
// that differs with its full path, and rates it with the resource spec.

#include <string>
#include <string_view>
#include <vector>

#include "cfn/diff_types.hpp"
#include "cfn/evaluator.hpp"

namespace stackshift::cfn {

// The impact of changing the property at `segments` (list indexes left out) of a resource type.
// `certain` is false when the change could not be proven (an unresolved mapping lookup): a
// replacement then becomes may-replace.
Impact property_impact(std::string_view type, const std::vector<std::string>& segments, bool certain,
                       Replacement& replacement);

// Compares resolved property trees; `old_template` and `new_template` are there to tell
// whether an unresolved Fn::FindInMap reads a mapping entry that changed.
void diff_properties(std::string_view type, const Value& old_properties, const Value& new_properties,
                     const Template& old_template, const Template& new_template, std::vector<PropertyDiff>& out);

// A reference from a property to another resource: Ref, Fn::GetAtt or ${X} in Fn::Sub.
struct Reference {
    std::string target;
    std::string path;
    std::vector<std::string> segments;
    const Value* expression = nullptr;  // the Ref, Fn::GetAtt or Fn::Sub that refers, in the scanned tree
    std::string attribute = {};  // the attribute read (Fn::GetAtt, ${X.Attr}); empty for a Ref

    // What CloudFormation names as the cause when the target is replaced: `X` or `X.Attr`.
    std::string entity() const { return attribute.empty() ? target : target + "." + attribute; }
};

void collect_references(const Value& properties, std::vector<Reference>& out);

// "Path.To[0].Leaf" -> {"Path", "To", "Leaf"}
std::vector<std::string> path_segments(std::string_view path);

}  // namespace stackshift::cfn
