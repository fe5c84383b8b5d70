#pragma once
// Drift the upgrade would overwrite. A resource changed out of band (the deployment's drift,
// read by inputs/ through DetectStackDrift) that an update, a parameter-only update or a delete
// modifies, replaces or deletes would lose the operator's change: each such resource holds the
// plan (an acknowledgement input `drift:STACK/LOGICALID`) and is listed with its step, the
// drifted properties with the template's and the actual values. A stack whose drift could not
// be checked and that the plan changes holds it too (`drift:STACK`). Drift the plan does not
// touch, and a deployment whose drift was never read, are said in the preflight step.

#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::plan {

// Marks the plan's steps with the drift they overwrite, adds the inputs, and fills in the
// preflight step (the first hop's).
void check_drift(const PlanInputs& inputs, Plan& plan);

// Every drift acknowledgement id the deployment allows: one per drifted resource, one per
// stack whose check failed.
std::vector<std::string> drift_acknowledgement_ids(const cfn::Deployment& deployment);

}  // namespace stackshift::plan
