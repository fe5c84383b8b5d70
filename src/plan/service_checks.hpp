#pragma once
// The check that ends a hop: every ECS service of the deployment, found by its type
// (AWS::ECS::Service) in each stack's template as the hop leaves it, must be steady on the
// images the hop sets. Internal to src/plan.

#include "plan/planning.hpp"

namespace stackshift::plan {

// Appends the hop's check-services step, once the hop's stacks are advanced to its end; none
// when no stack has a service. A service whose Condition is false under the stack's values is
// not deployed and not checked; one the plan cannot decide is checked when apply finds it.
void write_service_check(HopContext& hop);

}  // namespace stackshift::plan
