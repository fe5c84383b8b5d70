#pragma once
// The values file is checked against the plan it serves: every key must name a stack of the
// deployment (by stack name or template id) or a template the plan deploys, and every
// parameter must be one of that stack's templates in at least one hop. A misspelled key would
// otherwise be ignored, and the value the operator meant never sent.

namespace stackshift::plan {

struct PlanInputs;

// Throws InputError naming each bad key with file:line:column and a "did you mean"; files
// every value under the name of the stack it is for.
void check_values(PlanInputs& inputs);

}  // namespace stackshift::plan
