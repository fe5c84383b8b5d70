#pragma once
// The planner: the runbook of an upgrade, computed from inputs already loaded and checked.
// Pure: no file, network or AWS access.

#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::plan {

Plan make_plan(const PlanInputs& inputs);

}  // namespace stackshift::plan
