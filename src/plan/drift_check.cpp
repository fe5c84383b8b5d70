#include "plan/drift_check.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"

namespace stackshift::plan {

namespace {

std::string resource_id(const std::string& stack, const std::string& logical_id) { return "drift:" + stack + "/" + logical_id; }
std::string stack_id(const std::string& stack) { return "drift:" + stack; }

// "SecurityGroup (AWS::EC2::SecurityGroup) MODIFIED: /SecurityGroupIngress/0/CidrIp is '0.0.0.0/0', the template says '10.0.0.0/8'"
std::string describe(const cfn::DriftedResource& r) {
    std::string out = r.logical_id + " (" + r.type + ") ";
    if (r.status == cfn::DriftStatus::deleted) return out + "was deleted out of band";
    std::vector<std::string> parts;
    for (const auto& d : r.differences) {
        if (d.type == "ADD") parts.push_back(d.path + " was added as '" + d.actual + "'");
        else if (d.type == "REMOVE") parts.push_back(d.path + " was removed (the template says '" + d.expected + "')");
        else parts.push_back(d.path + " is '" + d.actual + "', the template says '" + d.expected + "'");
    }
    return out + "was changed out of band: " + (parts.empty() ? std::string("properties differ") : join(parts, "; "));
}

bool writes_resources(StepKind kind) {
    return kind == StepKind::update_stack || kind == StepKind::set_parameters || kind == StepKind::delete_stack;
}

// Whether the step modifies, replaces or deletes the resource.
bool touches(const Step& step, const std::string& logical_id) {
    if (step.kind == StepKind::delete_stack) return true;
    return std::any_of(step.resources.begin(), step.resources.end(), [&](const ResourceImpact& r) {
        return r.logical_id == logical_id && r.impact != cfn::Impact::no_change && r.impact != cfn::Impact::will_create;
    });
}

class DriftCheck {
public:
    DriftCheck(const PlanInputs& inputs, Plan& plan) : m_inputs(inputs), m_plan(plan) {}

    void run() {
        for (auto& hop : m_plan.hops)
            for (auto& step : hop.steps)
                if (writes_resources(step.kind))
                    if (const auto* stack = m_inputs.deployment.stack(step.stack)) check_step(*stack, step);
        if (Step* preflight = first_preflight()) write_preflight(*preflight);
    }

private:
    void check_step(const cfn::DeployedStack& stack, Step& step) {
        if (stack.drift_check == cfn::DriftCheck::failed) return hold_unchecked(stack, step);
        for (const auto& r : stack.drift) {
            if (!touches(step, r.logical_id) || !m_found.insert(stack.name + "/" + r.logical_id).second) continue;
            std::string id = resource_id(stack.name, r.logical_id);
            bool acknowledged = m_inputs.values.acknowledges(id);
            step.details.push_back("drift: " + describe(r) + "; this step overwrites it with the template's values" +
                                   (acknowledged ? " (acknowledged: " + id + ")" : ""));
            step.risk = std::max(step.risk, Risk::caution);
            if (acknowledged) continue;
            Input input;
            input.stack = stack.name;
            input.template_id = step.template_id;
            input.acknowledgement = id;
            input.why = "drift: " + describe(r) + "; step " + step.id +
                        " overwrites it with the template's values; put the change into the values or the template, or "
                        "accept that it is undone, then list '" + id + "' under acknowledge: in the values file";
            m_plan.inputs.push_back(std::move(input));
        }
    }

    // Fail closed: a stack the plan changes whose drift AWS could not tell.
    void hold_unchecked(const cfn::DeployedStack& stack, Step& step) {
        if (!m_found.insert(stack.name).second) return;
        std::string id = stack_id(stack.name);
        bool acknowledged = m_inputs.values.acknowledges(id);
        step.details.push_back("drift: not known, the drift check failed (" + stack.drift_failure + ")" +
                               (acknowledged ? "; acknowledged: " + id : ""));
        step.risk = std::max(step.risk, Risk::caution);
        if (acknowledged) return;
        Input input;
        input.stack = stack.name;
        input.template_id = step.template_id;
        input.acknowledgement = id;
        input.why = "drift of " + stack.name + " could not be checked (" + stack.drift_failure + "); step " + step.id +
                    " would overwrite any change made out of band; check the stack's drift in the console, then list '" +
                    id + "' under acknowledge: in the values file";
        m_plan.inputs.push_back(std::move(input));
    }

    Step* first_preflight() {
        for (auto& hop : m_plan.hops)
            for (auto& step : hop.steps)
                if (step.kind == StepKind::preflight) return &step;
        return nullptr;
    }

    // Drift no step overwrites (not blocking: it stays as it is), and stacks never checked.
    void write_preflight(Step& preflight) {
        std::vector<std::string> unchecked;
        for (const auto& stack : m_inputs.deployment.stacks) {
            if (stack.drift_check == cfn::DriftCheck::not_checked) unchecked.push_back(stack.name);
            if (stack.drift_check == cfn::DriftCheck::failed && !m_found.count(stack.name))
                preflight.details.push_back("drift of " + stack.name + " could not be checked (" + stack.drift_failure +
                                            "); no step of the plan changes the stack");
            for (const auto& r : stack.drift)
                if (!m_found.count(stack.name + "/" + r.logical_id))
                    preflight.details.push_back("drift on " + stack.name + ": " + describe(r) +
                                                "; no step of the plan overwrites it");
        }
        if (!unchecked.empty()) {
            preflight.details.push_back("drift not checked: take the snapshot with a recent stackshift, or plan from "
                                        "--backend (" + join(unchecked, ", ") + ")");
        }
    }

    const PlanInputs& m_inputs;
    Plan& m_plan;
    std::set<std::string> m_found;  // "stack/LogicalId" and "stack" already reported with a step
};

}  // namespace

void check_drift(const PlanInputs& inputs, Plan& plan) { DriftCheck(inputs, plan).run(); }

std::vector<std::string> drift_acknowledgement_ids(const cfn::Deployment& deployment) {
    std::vector<std::string> out;
    for (const auto& stack : deployment.stacks) {
        if (stack.drift_check == cfn::DriftCheck::failed) out.push_back(stack_id(stack.name));
        for (const auto& r : stack.drift) out.push_back(resource_id(stack.name, r.logical_id));
    }
    return out;
}

}  // namespace stackshift::plan
