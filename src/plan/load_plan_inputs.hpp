#pragma once
// Loading a plan's inputs: every file a plan needs is read and checked here, up front, so that
// the planner is pure. Every problem is reported at once, naming its file and place.

#include <string>

#include "core/result.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::plan {

// Loads and checks every input; throws InputError naming the file and place on any problem.
PlanInputs load_plan_inputs(const PlanRequest& request);

// Reads a values file.
Result<StackValues> load_stack_values(const std::string& path);

}  // namespace stackshift::plan
