#include "plan/made_from.hpp"

#include <optional>

#include "plan/fingerprint.hpp"

namespace stackshift::plan {

namespace {

// "acme-prod-" for "acme-prod-2-5-db-timescale" of template 2-5-db-timescale: the name before
// its template id, when every stack names its template the same way; "" otherwise (a stack
// whose name the profile overrides, a deployment of no stack), and then apply can tell only the
// stacks the plan names.
std::string common_prefix(const PlanInputs& inputs) {
    std::optional<std::string> prefix;
    for (const auto& s : inputs.deployment.stacks) {
        const DeployedTemplate* deployed = inputs.deployed_stack(s.name);
        std::string id = deployed != nullptr ? deployed->template_id : s.template_id;
        if (id.empty() || id.size() >= s.name.size() || !s.name.ends_with(id)) return {};
        std::string mine = s.name.substr(0, s.name.size() - id.size());
        if (prefix && *prefix != mine) return {};
        prefix = mine;
    }
    return prefix.value_or("");
}

}  // namespace

void record_made_from(Plan& plan, const PlanInputs& inputs) {
    plan.made_from.clear();
    for (const auto& s : inputs.deployment.stacks)
        plan.made_from.push_back({s.name, s.status, s.last_updated_s, template_content_hash(s.template_body)});
    plan.stack_prefix = common_prefix(inputs);
}

}  // namespace stackshift::plan
