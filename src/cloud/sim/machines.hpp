#pragma once
// The machines of a simulated world as the templates say. EC2 instances are launched with
// their resolved properties (type, AMI, subnet, key, security groups, user data); volumes hold
// data (a marker written when a volume is made empty, copied through snapshots) and are
// attached by AWS::EC2::VolumeAttachment, an instance's `Volumes` and `BlockDeviceMappings`
// (a volume made with the instance, deleted with it when DeleteOnTermination, the default);
// auto-scaling groups launch instances from their launch configuration or launch template and
// keep them on it until an update policy or a termination replaces them; launch templates
// count versions; ECS services roll deployments of their task definition.
//
// `reconcile_machines` keeps all of this in step with a stack's resources after each
// operation and at world creation; `terminate_instance` is what happens to an instance
// however it ends. A deleted volume is recorded in `World::data_lost`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// A resource's Properties as CloudFormation would pass them: the stack's parameters and the
// pseudo parameters, a Ref to a resource of the stack (its physical id), Fn::ImportValue (the
// output of the stack that exports the name, when one does) and Fn::GetAtt of a launch
// template's LatestVersionNumber resolved; anything else is kept as written. The one place the
// machines resolve values, so that it can be switched to the world's resolver as a whole.
cfn::Value resolved_properties(const World& world, const SimStack& stack, const cfn::Template& t, const cfn::Resource& r);

// The physical id a resource's own name property gives it (AutoScalingGroupName;
// DBClusterIdentifier, lower-cased as RDS stores it), or nullopt when it names none.
std::optional<std::string> named_physical_id(cfn::Evaluator& e, const cfn::Resource& r);

// Brings the world's instances, volumes, attachments, groups, launch templates and services of
// `stack` in line with its resources; `before` are its resources before the operation (empty
// when the world is made) and `before_body` its template then. A volume the operation deleted
// or replaced follows its policy: Retain keeps it (detached), Snapshot leaves a snapshot
// holding its data, else it is gone.
void reconcile_machines(World& world, const SimStack& stack, const std::vector<SimResource>& before,
                        const std::string& before_body = {});

// Terminates an instance: its DeleteOnTermination volumes are deleted (data lost, "deleted
// with instance i-..."), its other volumes detached, and a group it belongs to launches a
// replacement with the group's current configuration.
void terminate_instance(World& world, const std::string& id);

// The seconds a change takes beyond its type's time: a rolling update of a group's instances.
std::int64_t extra_change_seconds(const World& world, const SimStack& stack, const ResourceChange& change,
                                  const Outcome& outcome);

// The failure of an ECS service change whose deployment does not settle under the scenario
// (`unsettled_services`): the circuit breaker's message when the service enables it, else
// CloudFormation's "did not stabilize" after its three hours; nullopt for any other change.
std::optional<FailingResource> unsettled_service_fault(const World& world, const SimStack& stack,
                                                       const ResourceChange& change, const Outcome& outcome);

// A stack operation starts rolling out a changed ECS service's deployment between `started_s`
// and `settles_s` (-1 when it never settles); the operation's end makes it the service's own.
void start_service_rollout(World& world, const SimStack& stack, const ResourceChange& change, const Outcome& outcome,
                           std::int64_t started_s, std::int64_t settles_s);

// An operation rolled back: its services run their previous revision again; a deployment that
// never settled stays FAILED, as ECS reports it.
void end_service_rollouts(World& world, const SimStack& stack);

// The tasks of a service's rollout running at `now`: from none to its desired count over the
// rollout's time (none while it never settles).
int rollout_running(const SimService& service, std::int64_t now);

// CloudFormation's refusal to replace a resource that keeps its name (its own name property
// gives the replacement the same physical id): the resource fails and the stack rolls back.
std::optional<FailingResource> named_replacement_fault(const SimStack& stack, const ResourceChange& change,
                                                       const std::string& new_physical_id);

}  // namespace stackshift::cloud::sim
