#include "inputs/deployment_reader.hpp"

#include <algorithm>

#include "cfn/template.hpp"
#include "core/error.hpp"
#include "core/no_echo.hpp"
#include "core/template_id.hpp"
#include "core/text.hpp"
#include "inputs/drift_reader.hpp"

namespace stackshift::inputs {

namespace {

constexpr std::size_t names_shown = 5;

// The prefix says exactly where the template id starts; the profile's overrides come first.
std::string template_of(const std::string& name, const std::string& prefix, const profile::Profile& profile) {
    if (auto it = profile.stack_overrides.find(name); it != profile.stack_overrides.end()) return it->second;
    std::string rest = name.substr(prefix.size());
    if (!rest.empty() && rest.front() == '-') rest.erase(0, 1);
    if (TemplateId::parse(rest)) return rest;
    return profile.template_for_stack(name).value_or("");
}

// arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID
std::string region_of(const std::string& stack_id) {
    if (stack_id.rfind("arn:", 0) != 0) return {};
    std::size_t at = 0;
    for (int colon = 0; colon < 3; ++colon) {
        at = stack_id.find(':', at);
        if (at == std::string::npos) return {};
        ++at;
    }
    return stack_id.substr(at, stack_id.find(':', at) - at);
}

[[noreturn]] void no_match(const std::string& prefix, const std::vector<cloud::Stack>& stacks) {
    if (stacks.empty())
        throw InputError("no stack's name starts with '" + prefix +
                         "': there are no stacks at all there; check --region and --profile");
    std::vector<std::string> names;
    for (const auto& s : stacks) names.push_back(s.name);
    std::sort(names.begin(), names.end());
    std::vector<std::string> shown(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), names_shown)));
    std::string more = names.size() > names_shown ? " and " + std::to_string(names.size() - names_shown) + " more" : "";
    throw InputError("no stack's name starts with '" + prefix + "'; stacks there are " + join(shown, ", ") + more +
                     "; give the start their names share with --stack-prefix");
}

}  // namespace

cfn::Deployment read_deployment(cloud::Cloud& cloud, const DeploymentQuery& query, const profile::Profile& profile) {
    if (query.prefix.empty()) throw InputError("--stack-prefix must not be empty: give the start the deployment's stack names share");
    std::vector<cloud::Stack> all = cloud.describe_stacks();
    std::vector<cloud::Stack> mine;
    for (const auto& s : all) {
        // A stack in REVIEW_IN_PROGRESS has a change set but nothing deployed yet.
        if (s.name.rfind(query.prefix, 0) == 0 && s.status != "DELETE_COMPLETE" && s.status != "REVIEW_IN_PROGRESS")
            mine.push_back(s);
    }
    if (mine.empty()) no_match(query.prefix, all);
    std::sort(mine.begin(), mine.end(), [](const cloud::Stack& a, const cloud::Stack& b) { return a.name < b.name; });

    std::vector<std::string> names;
    for (const auto& s : mine) names.push_back(s.name);
    std::vector<std::string> bodies = cloud.get_templates(names);

    cfn::Deployment d;
    d.file = "stacks " + query.prefix + "*";
    d.region = query.region.empty() ? region_of(mine.front().id) : query.region;
    for (std::size_t i = 0; i < mine.size(); ++i) {
        const cloud::Stack& s = mine[i];
        cfn::DeployedStack out;
        out.name = s.name;
        out.template_id = template_of(s.name, query.prefix, profile);
        out.status = s.status;
        out.last_updated_s = s.last_updated_s;
        out.template_body = bodies[i];
        for (const auto& [k, v] : s.parameters) out.parameters[k] = v;
        // NoEcho as the template declares it, and whatever AWS masked.
        std::vector<std::string> no_echo = s.no_echo;
        if (auto t = cfn::parse_template(out.template_body, s.name)) {
            for (const auto& p : t->parameters)
                if (p.no_echo) no_echo.push_back(p.name);
        }
        std::sort(no_echo.begin(), no_echo.end());
        no_echo.erase(std::unique(no_echo.begin(), no_echo.end()), no_echo.end());
        for (const auto& k : no_echo) {
            if (auto it = out.parameters.find(k); it != out.parameters.end()) it->second = std::string(masked_value);
        }
        out.no_echo = std::move(no_echo);
        for (const auto& [k, v] : s.outputs) out.outputs[k] = v;
        for (const auto& [k, v] : s.tags) out.tags[k] = v;
        d.stacks.push_back(std::move(out));
    }
    read_drift(cloud, d.stacks, query.drift);
    return d;
}

}  // namespace stackshift::inputs
