#pragma once
// What a plan was made from: each stack of the deployment with its status, last update time and
// the content hash of its deployed template, and the name prefix the deployment's stacks share.
// A saved plan carries it, so that apply can refuse the plan when the deployment changed since
// it was reviewed.

#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::plan {

// Fills `Plan::made_from` and `Plan::stack_prefix` from the inputs' deployment.
void record_made_from(Plan& plan, const PlanInputs& inputs);

}  // namespace stackshift::plan
