#include "plan/service_checks.hpp"

#include <algorithm>

#include "cfn/evaluator.hpp"
#include "core/text.hpp"

namespace stackshift::plan {

namespace {

constexpr std::string_view service_type = "AWS::ECS::Service";

// The stack's values as the hop leaves them; a value the plan does not know stays unknown.
cfn::ParameterValues values_of(const HopContext& hop, const StackState& state) {
    cfn::ParameterValues values;
    if (!hop.inputs.deployment.region.empty()) values.values["AWS::Region"] = hop.inputs.deployment.region;
    for (const auto& [name, value] : state.parameters) {
        if (value) values.values[name] = *value;
        else values.unknown.insert(name);
    }
    return values;
}

// The images the hop sets on the stack: its image parameters' target values.
std::vector<std::string> images_set(const HopContext& hop, const StackState& state) {
    std::vector<std::string> out;
    for (const auto& plan : hop.plans) {
        if (plan.stack != state.stack) continue;
        for (const auto& p : plan.parameters)
            if (p.action == ParameterAction::image && p.value &&
                std::find(out.begin(), out.end(), *p.value) == out.end())
                out.push_back(*p.value);
    }
    return out;
}

std::vector<ServiceCheck> services_of(const HopContext& hop, const StackState& state) {
    std::vector<ServiceCheck> out;
    if (!state.deployed || state.body == nullptr) return out;
    cfn::ParameterValues values = values_of(hop, state);
    cfn::Evaluator evaluator(*state.body, &values);
    std::vector<std::string> images = images_set(hop, state);
    for (const auto& r : state.body->resources) {
        if (r.type != service_type) continue;
        cfn::Tri exists = evaluator.exists(r.condition);
        if (exists == cfn::Tri::no) continue;  // its Condition is false: CloudFormation made no service
        out.push_back({state.stack, r.logical_id, images, exists == cfn::Tri::unknown});
    }
    return out;
}

std::string describe(const ServiceCheck& s) {
    std::string out = s.stack + "/" + s.logical_id;
    if (!s.images.empty()) out += " on " + join(s.images, ", ");
    if (s.conditional) out += " (if its Condition holds: the stack's resources tell)";
    return out;
}

}  // namespace

void write_service_check(HopContext& hop) {
    std::vector<ServiceCheck> services;
    for (const auto& state : hop.stacks) {
        auto found = services_of(hop, state);
        services.insert(services.end(), found.begin(), found.end());
    }
    if (services.empty()) return;
    Step& step = hop.add(StepKind::check_services, "Check that every ECS service is steady on the images of " +
                                                       hop.to.to_string());
    step.automated = true;
    step.why.push_back("done means healthy: every ECS service runs its desired count in one completed deployment, on "
                       "the images this hop set");
    for (const auto& s : services) step.details.push_back(describe(s));
    step.services = std::move(services);
}

}  // namespace stackshift::plan
