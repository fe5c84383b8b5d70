#include "apply/step_context.hpp"

#include <algorithm>

namespace stackshift::apply {

std::string StepContext::physical_id(const plan::Step& step) {
    if (step.logical_id.empty()) throw StepFailure("step " + step.id + " names no resource of " + step.stack);
    auto resources = retry([&] { return cloud.describe_stack_resources(step.stack); });
    for (const auto& r : resources) {
        if (r.logical_id != step.logical_id) continue;
        if (r.physical_id.empty())
            throw StepFailure("resource '" + step.logical_id + "' of stack " + step.stack + " has no physical id yet (" +
                              r.status + "); wait for the stack to settle and run again with --resume");
        return r.physical_id;
    }
    throw StepFailure("stack " + step.stack + " has no resource '" + step.logical_id +
                      "' (DescribeStackResources); the deployment changed since the plan: plan again");
}

std::string StepContext::output_of(const plan::Step& step, const std::string& output) {
    if (output.empty()) throw StepFailure("the plan names no output of " + step.stack + " for step " + step.id);
    auto s = retry([&] { return cloud.describe_stack(step.stack); });
    auto it = s.outputs.find(output);
    if (it == s.outputs.end() || it->second.empty()) throw StepFailure("stack " + step.stack + " has no output " + output);
    return it->second;
}

std::vector<cloud::ParameterInput> StepContext::parameter_inputs(const plan::Step& step, const cloud::Stack& stack) const {
    std::vector<cloud::ParameterInput> out;
    auto has_previous = [&](const std::string& key) { return stack.parameters.count(key) != 0; };
    for (const auto& p : step.parameters) {
        if (p.no_echo && p.value_given) {
            auto value = options.secret ? options.secret(step.stack, step.template_id, p.name) : std::nullopt;
            if (!value)
                throw StepFailure("the NoEcho value of " + step.stack + "/" + p.name + " was given in the values file "
                                  "when planning but is not there now; give the same --values");
            out.push_back(cloud::ParameterInput::set(p.name, *value));
            continue;
        }
        if (p.no_echo) {
            if (has_previous(p.name)) out.push_back(cloud::ParameterInput::keep(p.name));
            continue;  // a new NoEcho parameter takes its default: its value is never sent
        }
        if (p.action == plan::ParameterAction::needs_input)
            throw StepFailure("parameter " + p.name + " of " + step.stack + " needs a value; give it with --values");
        if (p.action == plan::ParameterAction::keep && has_previous(p.name)) {
            out.push_back(cloud::ParameterInput::keep(p.name));
        } else if (p.value) {
            out.push_back(cloud::ParameterInput::set(p.name, *p.value));
        } else if (has_previous(p.name)) {
            out.push_back(cloud::ParameterInput::keep(p.name));
        }
    }
    if (step.previous_template) {
        // UpdateStack resets what it is not given: every other parameter keeps its value.
        for (const auto& [key, value] : stack.parameters) {
            bool given = std::any_of(out.begin(), out.end(), [&](const auto& in) { return in.key == key; });
            if (!given) out.push_back(cloud::ParameterInput::keep(key));
        }
    }
    return out;
}

std::string StepContext::last_event_id(const std::string& stack) {
    auto events = retry([&] { return cloud.describe_stack_events(stack, ""); });
    return events.empty() ? std::string() : events.back().event_id;
}

}  // namespace stackshift::apply
