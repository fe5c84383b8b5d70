#include "plan/migration_image.hpp"

#include <algorithm>

#include "cfn/evaluator.hpp"
#include "profile/image_tag.hpp"

namespace stackshift::plan {

namespace {

// Stands for a parameter whose value the plan does not know (NoEcho, or yet to be given), so
// that the evaluator neither takes the template's Default for it nor hides that the image
// depends on it.
constexpr char unknown_mark = '\x01';

std::string unknown_value(const std::string& parameter) { return unknown_mark + parameter + unknown_mark; }

// The parameter an unknown value stands for in `text`, or "" when every value is known.
std::string unknown_parameter(const std::string& text) {
    std::size_t start = text.find(unknown_mark);
    if (start == std::string::npos) return {};
    std::size_t end = text.find(unknown_mark, start + 1);
    return text.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
}

// One input per stack and reason, however many migrations of the hop ask.
void ask(HopContext& hop, const StackPlan* stack, const std::string& stack_name, const std::string& template_id,
         const std::string& parameter, const std::string& why) {
    Input input;
    input.stack = stack ? stack->stack : stack_name;
    input.template_id = stack ? stack->target_id : template_id;
    input.parameter = parameter;
    input.why = why;
    bool asked = std::any_of(hop.plan.inputs.begin(), hop.plan.inputs.end(), [&](const Input& i) {
        return i.stack == input.stack && i.parameter == input.parameter && (i.why == input.why || !parameter.empty());
    });
    if (!asked) hop.plan.inputs.push_back(std::move(input));
}

// The values the stack's template resolves with after the hop's steps.
cfn::ParameterValues values_after(const HopContext& hop, const StackPlan& stack, const cfn::Template& body) {
    cfn::ParameterValues values;
    if (!hop.inputs.deployment.region.empty()) values.values["AWS::Region"] = hop.inputs.deployment.region;
    values.values["AWS::StackName"] = stack.stack;
    for (const auto& p : body.parameters) {
        auto value = stack.value_after(p.name);
        values.values[p.name] = value ? *value : unknown_value(p.name);
    }
    return values;
}

// The resolved Image of the container named `container` in one of the template's task
// definitions; nullopt when none has it, or it does not resolve to a string.
std::optional<std::string> container_image(const cfn::Template& body, cfn::Evaluator& e, const std::string& container) {
    for (const auto& r : body.resources) {
        if (r.type != "AWS::ECS::TaskDefinition" || r.properties == nullptr || e.exists(r.condition) == cfn::Tri::no) continue;
        const cfn::Value* definitions = r.properties->find("ContainerDefinitions");
        if (definitions == nullptr) continue;
        cfn::Value resolved = e.resolve(*definitions);
        if (!resolved.is_list()) continue;
        for (const auto& c : resolved.items()) {
            const cfn::Value* name = c.is_map() ? c.find("Name") : nullptr;
            if (name == nullptr || !name->is_scalar() || name->text() != container) continue;
            const cfn::Value* image = c.find("Image");
            if (image != nullptr && image->is_string()) return image->text();
            return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> migration_image(HopContext& hop, const release::PlannedOperation& op) {
    const auto& run = *hop.inputs.profile.migrations;
    std::string stack_name = stack_prefix(hop.inputs) + run.after_stack;
    const StackPlan* stack = hop.find_plan(run.after_stack);
    // A stack ahead of the hop keeps the template it runs; any other runs its target.
    const cfn::Template* body = nullptr;
    if (stack) body = stack->ahead && stack->state ? stack->state->body : stack->target;
    if (stack == nullptr || body == nullptr || (stack->state && !stack->state->deployed)) {
        ask(hop, stack, stack_name, run.after_stack, "",
            "the migrations run with the task definition of " + run.after_stack + ", which this hop to " +
                hop.to.to_string() + " does not have: the image " + op.command +
                " would run with cannot be known (fix the profile's migrations.after_stack or the deployment)");
        return std::nullopt;
    }
    cfn::ParameterValues values = values_after(hop, *stack, *body);
    cfn::Evaluator e(*body, &values);
    auto image = container_image(*body, e, run.container);
    if (!image) {
        ask(hop, stack, stack_name, run.after_stack, "",
            "no task definition of " + stack->target_id + " runs a container named '" + run.container +
                "' with an image the plan can resolve: the image " + op.command +
                " would run with cannot be checked before the task starts (fix the profile's migrations.container)");
        return std::nullopt;
    }
    if (std::string parameter = unknown_parameter(*image); !parameter.empty()) {
        ask(hop, stack, stack_name, run.after_stack, parameter,
            "the image of the migration container '" + run.container + "' comes from it and its value is not known; "
            "give it in the values file");
        return std::nullopt;
    }
    if (op.run_with == hop.to) return image;
    // A command removed since: it runs with the last release that has it, the same image
    // moved to that release's tag.
    auto moved = profile::retag_image(*image, op.run_with);
    if (!moved) {
        ask(hop, stack, stack_name, run.after_stack, "",
            "the image '" + *image + "' has no version in its tag to move to " + op.run_with.to_string() + ", the release " +
                op.command + " must run with");
        return std::nullopt;
    }
    return moved;
}

}  // namespace stackshift::plan
