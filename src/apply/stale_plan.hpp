#pragma once
// Whether a saved plan still fits the deployment: each stack it was made from (`Plan::made_from`)
// compared with the stack as the Cloud reports it now (status, last update time, the content hash
// of its deployed template), and the stacks created or deleted since. apply --plan asks before the
// first step of a new run, never on --resume of a run of the same plan, whose own steps changed
// the stacks.

#include <string>
#include <vector>

#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

// One sentence per stack that changed, in the plan's order and then the new stacks' order:
// "acme-prod-5-2-ecs-ops: last updated 2026-12-01T10:00:00Z when planned, now
// 2026-12-07T09:12:44Z; its template changed". Empty when the deployment is as planned.
std::vector<std::string> stale_stacks(cloud::Cloud& cloud, const plan::Plan& plan);

}  // namespace stackshift::apply
