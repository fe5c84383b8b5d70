#pragma once
// The plan's export check: CloudFormation refuses an update or a delete that removes or
// changes an export another stack imports, and an update or a create that imports an export no
// stack provides. Walking the plan's steps in order, with every stack's template and parameter
// values as deployed and after each update, set-parameters, deploy and delete step, it finds
// the steps AWS would refuse before anything runs (a NoEcho value or one still to give makes a
// condition unknown: the import counts as possible, fail closed).

#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::plan {

// The conflicts of the plan's steps, in step order.
std::vector<ExportConflict> check_exports(const PlanInputs& inputs, const Plan& plan);

}  // namespace stackshift::plan
