#pragma once
// What a simulated change set says of each change beside its action and scope, as
// DescribeChangeSet says it: the PolicyAction (what becomes of the old physical resource) and
// the Details (each property or attribute that changes, and what caused it: the template
// itself, a parameter whose value changes, or a replaced resource the property refers to).

#include <optional>
#include <vector>

#include "cfn/diff_types.hpp"
#include "cfn/evaluator.hpp"
#include "cfn/property_diff.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::cloud::sim {

// The PolicyAction of a change: a Remove from the resource's DeletionPolicy (as the deployed
// template has it), a certain replacement from its UpdateReplacePolicy (as the target template
// has it); none for an Add, an update in place and a Conditional replacement. `resource` is
// null when the template does not declare the resource: the default, Delete, applies.
std::optional<PolicyAction> policy_action_of(ChangeAction action, ChangeReplacement replacement, const cfn::Resource* resource);

// The detail of a change the template diff found: a DirectModification, or, for a change
// carried along a reference to a replaced resource, ResourceReference (a Ref) or
// ResourceAttribute (Fn::GetAtt, ${X.Attr}) naming it. None for what CloudFormation does not
// update a resource for (Condition, DependsOn).
std::optional<ResourceChangeDetail> diff_detail(const cfn::PropertyDiff& change);

// The details of a property whose resolved value differs only because parameter values
// changed: a ParameterReference for each changed parameter its expression reads in `resource`
// of `target` (through Ref, ${P} and the conditions of Fn::If).
std::vector<ResourceChangeDetail> parameter_details(const cfn::Template& target, const cfn::Resource& resource,
                                                    const cfn::PropertyDiff& change, const cfn::ParameterValues& old_values,
                                                    const cfn::ParameterValues& new_values);

// The detail of a property that refers to a replaced resource (the simulator's own
// propagation, after the values' changes): `replacement` is what the spec says of the property.
ResourceChangeDetail reference_detail(const cfn::Reference& reference, cfn::Replacement replacement);

// Adds `detail` unless the list has it; one cause of one property listed twice (two paths
// under one top-level property) keeps the strongest RequiresRecreation.
void add_detail(std::vector<ResourceChangeDetail>& details, ResourceChangeDetail detail);

}  // namespace stackshift::cloud::sim
