#pragma once
// Who may accept a step when apply reaches it (Step::confirmation), and which steps the operator
// may leave out (Step::skippable), decided once for the whole plan.

#include "plan/plan.hpp"

namespace stackshift::plan {

// Every step the planner wrote without a confirmation of its own gets one from its kind: a step
// that destroys something (terminate-instance, delete-stack) is explicit; one a person does or
// confirms (manual, not automated, deploy-stack) routine; an automated step none. A step marked
// explicit where it was written (a manual backup) stays explicit.
void assign_confirmations(Plan& plan);

// Whether the step is work a person does outside stackshift (a manual step): when --yes accepted
// it, nobody said it was done, so the run lists it as outstanding.
bool is_person_work(const Step& step);

}  // namespace stackshift::plan
