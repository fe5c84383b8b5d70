#pragma once
// Chooses what happens to each parameter of a stack's target template (keep, carry, default,
// set, image, needs-input) and records what the operator must supply.

#include "plan/planning.hpp"

namespace stackshift::plan {

void plan_parameters(HopContext& hop, StackPlan& stack);

}  // namespace stackshift::plan
