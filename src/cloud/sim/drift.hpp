#pragma once
// Drift in the simulated AWS: resources a scenario changed out of band when the world was made
// (`drift:` in scenario.hpp), found as CloudFormation's drift detection finds them, and put back
// in sync by an update that writes the template's values.
//
// What CloudFormation does, and the simulator with it:
// - DetectStackDrift checks every resource whose type supports drift detection against the
//   properties its template sets (resolved with the stack's parameters); a property the template
//   does not set is not checked. A property whose value differs is a PropertyDifference
//   NOT_EQUAL with its PropertyPath ("/SecurityGroupIngress/0/CidrIp"); the resource is
//   MODIFIED. A resource deleted by hand is DELETED, without properties.
// - Types drift detection does not support (wait conditions and their handles, custom
//   resources) are not checked, and DescribeStackResourceDrifts does not list them: it lists
//   "the resources that have been checked for drift" (API reference, DescribeStackResourceDrifts).
// - Detection runs on a stack in CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE or
//   UPDATE_ROLLBACK_FAILED (the user guide's list); in any other status DetectStackDrift is a
//   ValidationError.
// - An update that modifies a resource in place sends CloudFormation's template values for the
//   properties the template sets, so the drift of those properties is gone once it completes;
//   a property the template does not set is left as it is. A replaced or removed resource takes
//   its drift with it. (The safe model: a Modify of the resource overwrites every drifted
//   property the new template sets, whatever the change set's Scope says. The evidence: AWS's
//   user guide on drift-aware change sets says an ordinary change set compares the new template
//   with the previous one and does not account for drift, so what it updates gets the
//   template's values; which properties a resource's handler resends is not documented, hence
//   every property the template sets.)

#include <string>
#include <string_view>
#include <vector>

#include "cfn/deployment.hpp"
#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// Seconds of virtual time a detection takes before DescribeStackDriftDetectionStatus says
// DETECTION_COMPLETE.
constexpr std::int64_t drift_detection_seconds = 5;

// The scenario's drift put on a new world's stacks; InputError naming the entry
// (file:line:column) when it names no stack or no resource of it.
void apply_scenario_drift(World& world);

// Whether drift detection runs on a stack in this status.
bool drift_detectable(std::string_view status);

// DetectStackDrift's ValidationError message for a stack in a status it does not check.
std::string drift_refusal(const SimStack& stack);

// Every resource the stack's drift detection checks, as it would find them now.
std::vector<ResourceDrift> detect_resource_drifts(const World& world, const SimStack& stack);

// After an operation ended well: `before` were the stack's resources, the stack holds the new
// template and resources. Drift on rewritten properties, replaced or removed resources goes.
void resync_drift(const World& world, SimStack& stack, const std::vector<SimResource>& before,
                  const std::vector<std::string>& rewritten);

// The stack's drift as a snapshot records it: checked with the resources that drifted, or why it
// cannot be checked (a stack in progress).
void record_drift(const World& world, const SimStack& stack, cfn::DeployedStack& out);

}  // namespace stackshift::cloud::sim
