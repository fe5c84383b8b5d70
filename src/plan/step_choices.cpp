#include "plan/step_choices.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

namespace stackshift::plan {

namespace {

const Step* find_step(const Plan& plan, std::string_view id) {
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps)
            if (step.id == id) return &step;
    return nullptr;
}

std::vector<std::string> ids_where(const Plan& plan, bool (*pick)(const Step&)) {
    std::vector<std::string> out;
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps)
            if (pick(step)) out.push_back(step.id);
    return out;
}

bool any_step(const Step&) { return true; }
bool asks(const Step& s) { return s.confirmation != Confirmation::none; }
bool skippable(const Step& s) { return s.skippable; }

std::string listed(const std::vector<std::string>& ids) { return ids.empty() ? std::string("none") : join(ids, ", "); }

const Step& known_step(const Plan& plan, const std::string& option, const std::string& id) {
    if (const Step* step = find_step(plan, id)) return *step;
    throw InputError(option + " " + id + ": the plan has no step " + id + did_you_mean(id, ids_where(plan, any_step)) +
                     "; the step ids are in the runbook (stackshift plan)");
}

}  // namespace

StepChoices check_step_choices(const Plan& plan, const std::vector<std::string>& confirm, const std::vector<std::string>& skip) {
    StepChoices out;
    for (const auto& id : confirm) {
        const Step& step = known_step(plan, "--confirm", id);
        if (step.confirmation == Confirmation::none)
            throw InputError("--confirm " + id + ": the step is automated and asks nobody; the steps that ask: " +
                             listed(ids_where(plan, asks)));
        out.confirmed.insert(id);
    }
    for (const auto& id : skip) {
        const Step& step = known_step(plan, "--skip", id);
        if (!step.skippable)
            throw InputError("--skip " + id + ": the plan needs this step (" + std::string(step_kind_name(step.kind)) +
                             "); only optional steps may be left out: " + listed(ids_where(plan, skippable)));
        if (out.confirmed.count(id) != 0)
            throw InputError("--confirm " + id + " and --skip " + id + " contradict each other; give one of them");
        out.skipped.insert(id);
    }
    return out;
}

}  // namespace stackshift::plan
