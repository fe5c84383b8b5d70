#include "plan/values_check.hpp"

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planning.hpp"

namespace stackshift::plan {

namespace {

// What a key of the values file may name, and the parameters it may set.
struct Target {
    std::vector<std::string> keys;          // stack name, template ids under every name
    std::set<std::string, std::less<>> parameters;
    std::vector<std::string> versions;     // the hops' versions that have its template
};

// The versions whose templates the plan's hops deploy: each waypoint and TO.
std::vector<Version> hop_targets(const PlanInputs& inputs) {
    std::vector<Version> out;
    for (const auto& stop : inputs.stops) out.push_back(stop.version);
    out.push_back(inputs.to);
    return out;
}

void add_key(Target& target, const std::string& key) {
    if (std::find(target.keys.begin(), target.keys.end(), key) == target.keys.end()) target.keys.push_back(key);
}

// The template `id` in each hop target, under the name it has there.
void add_templates(Target& target, const PlanInputs& inputs, const std::string& id) {
    for (const auto& version : hop_targets(inputs)) {
        const auto* release = inputs.release(version);
        std::string named = inputs.changelog ? inputs.changelog->name_in(id, version) : id;
        const cfn::Template* t = release ? release->find(named) : nullptr;
        if (!t && release) t = release->find(named = id);
        if (!t) continue;
        add_key(target, named);
        target.versions.push_back(version.to_string());
        for (const auto& p : t->parameters) target.parameters.insert(p.name);
    }
}

std::vector<Target> targets(const PlanInputs& inputs) {
    std::vector<Target> out;
    for (const auto& d : inputs.deployed) {
        Target t;
        add_key(t, d.stack);
        add_key(t, d.template_id);
        add_templates(t, inputs, d.template_id);
        out.push_back(std::move(t));
    }
    // The templates the changelog adds on the way: the plan deploys (or offers) them.
    std::string prefix = stack_prefix(inputs);
    for (const auto& fact : inputs.changelog ? inputs.changelog->lifecycle : std::vector<release::TemplateLifecycle>{}) {
        bool added = fact.kind == release::LifecycleKind::added || fact.kind == release::LifecycleKind::added_optional;
        if (!added || !fact.origin.version || !in_range(*fact.origin.version, inputs.from, inputs.to)) continue;
        std::string id = inputs.changelog->canonical(fact.template_id);
        if (std::any_of(inputs.deployed.begin(), inputs.deployed.end(),
                        [&](const DeployedTemplate& d) { return d.template_id == id; }))
            continue;
        Target t;
        add_templates(t, inputs, id);
        if (t.keys.empty()) continue;
        for (std::string key : std::vector<std::string>(t.keys)) add_key(t, prefix + key);
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace

void check_values(PlanInputs& inputs) {
    const StackValues& given = inputs.values;
    StackValues filed{given.file, {}, given.positions, given.acknowledged, given.migrations};
    auto all = targets(inputs);
    std::vector<std::string> every_key;
    for (const auto& t : all) every_key.insert(every_key.end(), t.keys.begin(), t.keys.end());
    Diagnostics problems;
    auto where = [&](const std::string& key) {
        auto it = given.positions.find(key);
        return it == given.positions.end() ? Position{} : it->second;
    };
    for (const auto& [key, parameters] : given.values) {
        auto target = std::find_if(all.begin(), all.end(), [&](const Target& t) {
            return std::find(t.keys.begin(), t.keys.end(), key) != t.keys.end();
        });
        if (target == all.end()) {
            problems.push_back({given.file, where(key),
                                "'" + key + "' names no stack of the deployment and no template the plan deploys" +
                                    did_you_mean(key, every_key) +
                                    "; keys are stack names (such as " + inputs.deployed.front().stack +
                                    ") or template ids (such as " + inputs.deployed.front().template_id + ")"});
            continue;
        }
        std::vector<std::string> known(target->parameters.begin(), target->parameters.end());
        // Filed under the stack's name, so that a value keyed by a template id the changelog
        // renames later still reaches the stack.
        auto& into = filed.values[target->keys.front()];
        for (const auto& [parameter, value] : parameters) {
            if (!target->parameters.count(parameter)) {
                problems.push_back({given.file, where(key + "/" + parameter),
                                    "'" + parameter + "' is no parameter of " + key + " in the templates of this plan (" +
                                        join(target->versions, ", ") + ")" + did_you_mean(parameter, known)});
            } else if (!into.emplace(parameter, value).second) {
                problems.push_back({given.file, where(key + "/" + parameter),
                                    target->keys.front() + "/" + parameter + " is given twice (under " +
                                        target->keys.front() + " and under its template id); keep one"});
            }
        }
    }
    if (!problems.empty()) throw InputError(problems);
    inputs.values = std::move(filed);
}

}  // namespace stackshift::plan
