#pragma once
// The check-services step: done means healthy. Each ECS service the step names (stack and
// logical id) is found by its physical id (its ARN, from the stack's resources), its cluster
// read from the ARN (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME), and described until
// every one is steady: ACTIVE, running its desired count, in exactly one deployment, PRIMARY
// and COMPLETED, each container of that deployment's task definition whose repository is one
// of an image the hop set on the stack running exactly that image. A service still unsteady
// after `max_wait_s` on the backend's clock, or steady on another image, fails the step with
// the service and what is wrong.

#include <cstdint>
#include <string>

#include "apply/operation_hooks.hpp"
#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

inline constexpr std::int64_t service_check_max_wait_s = 30 * 60;

// Returns "done"; throws OperationFailed.
std::string check_services(cloud::Cloud& cloud, const plan::Step& step, const OperationHooks& hooks,
                           std::int64_t max_wait_s = service_check_max_wait_s);

// An image's repository: "thethingsindustries/lorawan-stack:3.15.1-aws" -> "thethingsindustries/lorawan-stack"
// (a registry's port kept, a digest dropped).
std::string image_repository(std::string_view image);

// The cluster and the name an ECS service ARN names; nullopt for an ARN of the old format
// (service/NAME, no cluster) or what is no service ARN.
std::optional<std::pair<std::string, std::string>> service_arn_parts(std::string_view arn);

}  // namespace stackshift::apply
