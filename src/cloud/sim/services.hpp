#pragma once
// ECS services as DescribeServices reports them from the simulated world (machines.hpp keeps
// their deployments): a settled service runs its desired count in one PRIMARY deployment,
// COMPLETED; while a stack operation rolls a new task definition out, the PRIMARY deployment
// is IN_PROGRESS (FAILED when it never settles) beside the ACTIVE one it replaces; a scenario's
// `unhealthy_services` keeps some tasks down and the deployment IN_PROGRESS.

#include <string>
#include <vector>

#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// The ARN ECS gives the service: arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME.
std::string service_arn(const World& world, const SimService& service);

// The physical id DescribeStackResources reports for a resource: an ECS service's ARN, which
// is what CloudFormation reports for AWS::ECS::Service; the world's id for the rest.
std::string reported_physical_id(const World& world, const SimResource& resource);

// DescribeServices: each of `names` (a name, an ARN or the world's physical id) in `cluster` (a
// name or an ARN); one that does not exist there comes back with status MISSING.
std::vector<Service> describe_sim_services(const World& world, const std::string& cluster, const std::vector<std::string>& names);

}  // namespace stackshift::cloud::sim
