#include "plan/confirmation.hpp"

namespace stackshift::plan {

namespace {

// A step that destroys something: a machine, a stack, or the machines of a group (an instance
// refresh replaces every one of them).
bool destroys(StepKind kind) {
    return kind == StepKind::terminate_instance || kind == StepKind::delete_stack || kind == StepKind::refresh_instances;
}

Confirmation confirmation_of(const Step& step) {
    if (step.confirmation == Confirmation::explicit_ || destroys(step.kind)) return Confirmation::explicit_;
    if (!step.automated || step.kind == StepKind::manual || step.kind == StepKind::deploy_stack) return Confirmation::routine;
    return Confirmation::none;
}

}  // namespace

void assign_confirmations(Plan& plan) {
    for (auto& hop : plan.hops)
        for (auto& step : hop.steps) step.confirmation = confirmation_of(step);
}

bool is_person_work(const Step& step) { return step.kind == StepKind::manual; }

}  // namespace stackshift::plan
