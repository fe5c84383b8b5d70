#include "plan/plan_inputs.hpp"

#include <algorithm>

namespace stackshift::plan {

const cfn::Template* ReleaseTemplates::find(std::string_view template_id) const {
    auto it = templates.find(template_id);
    return it == templates.end() ? nullptr : it->second.get();
}

std::optional<std::string> StackValues::find(std::string_view stack, std::string_view template_id,
                                             std::string_view parameter) const {
    for (std::string_view key : {stack, template_id}) {
        auto it = values.find(key);
        if (it == values.end()) continue;
        auto value = it->second.find(parameter);
        if (value != it->second.end()) return value->second;
    }
    return std::nullopt;
}

bool StackValues::acknowledges(std::string_view id) const {
    return std::any_of(acknowledged.begin(), acknowledged.end(), [&](const Acknowledgement& a) { return a.id == id; });
}

const ReleaseTemplates* PlanInputs::release(const Version& version) const {
    auto it = versions.find(version.to_string());
    return it == versions.end() ? nullptr : &it->second;
}

const DeployedTemplate* PlanInputs::deployed_stack(std::string_view stack) const {
    for (const auto& d : deployed)
        if (d.stack == stack) return &d;
    return nullptr;
}

}  // namespace stackshift::plan
