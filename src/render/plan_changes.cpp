#include "render/plan_changes.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <utility>

#include "core/error.hpp"

namespace stackshift::render {

namespace {

using Json = nlohmann::ordered_json;

// A step's place in a plan that survives renumbering: the hop's target and the id without its
// "hN-NN-" prefix ("3.15.1 update-stack-4-2a-configuration").
std::string step_key(const Json& hop, const Json& step) {
    std::string id = step.value("id", "");
    std::size_t cut = id.find('-', id.find('-') + 1);
    return hop.value("to", "") + " " + (cut == std::string::npos ? id : id.substr(cut + 1));
}

// The steps of a plan by key, in plan order.
std::vector<std::pair<std::string, const Json*>> steps_of(const Json& plan) {
    std::vector<std::pair<std::string, const Json*>> out;
    for (const auto& hop : plan.at("hops"))
        for (const auto& step : hop.at("steps")) out.emplace_back(step_key(hop, step), &step);
    return out;
}

// "update-stack acme-prod-4-2a-configuration (h1-14-update-stack-4-2a-configuration)"
std::string step_label(const Json& step) {
    std::string out = step.value("kind", "");
    if (step.contains("stack")) out += " " + step["stack"].get<std::string>();
    return out + " (" + step.value("id", "") + ")";
}

// What a parameter's entry says it gets: "'m6i.large'", "a NoEcho value", "needs input", "keep".
std::string given(const Json& p) {
    if (p.contains("value")) return "'" + p["value"].get<std::string>() + "'";
    if (p.value("valueGiven", false)) return "a NoEcho value";
    return p.value("action", "keep");
}

bool gives_value(const Json& p) { return p.contains("value") || p.value("valueGiven", false); }

void parameter_changes(const std::string& label, const Json& before, const Json& after, std::vector<std::string>& out) {
    const Json empty = Json::object();
    const Json& old_params = before.contains("parameters") ? before["parameters"] : empty;
    const Json& new_params = after.contains("parameters") ? after["parameters"] : empty;
    for (const auto& [name, p] : new_params.items()) {
        if (!old_params.contains(name)) {
            out.push_back(label + ": " + name + " is new, " + given(p));
            continue;
        }
        const Json& o = old_params[name];
        if (o == p) continue;
        if (given(o) == given(p) && o.value("action", "") == p.value("action", "")) continue;  // only the why differs
        if (!gives_value(o) && gives_value(p)) out.push_back(label + ": " + name + " now given: " + given(p));
        else if (gives_value(o) && !gives_value(p)) out.push_back(label + ": " + name + " no longer given (" + given(p) + ")");
        else out.push_back(label + ": " + name + " changed from " + given(o) + " to " + given(p));
    }
    for (const auto& [name, p] : old_params.items())
        if (!new_params.contains(name)) out.push_back(label + ": " + name + " is gone (was " + given(p) + ")");
}

void acknowledgement_changes(const std::string& label, const Json& before, const Json& after, std::vector<std::string>& out) {
    if (!after.contains("resources")) return;
    for (const auto& [id, r] : after["resources"].items()) {
        if (!r.contains("acknowledged")) continue;
        bool was = before.contains("resources") && before["resources"].contains(id) &&
                   before["resources"][id].value("acknowledged", false);
        bool now = r["acknowledged"].get<bool>();
        if (now && !was) out.push_back(label + ": the loss of " + id + " is now acknowledged (--allow-replace)");
        if (was && !now) out.push_back(label + ": the loss of " + id + " is no longer acknowledged");
    }
}

Json parse_plan(std::string_view text, std::string_view what) {
    Json plan = Json::parse(text, nullptr, false);
    if (plan.is_discarded() || !plan.is_object() || !plan.contains("hops") || !plan["hops"].is_array())
        throw InputError(std::string(what) + " is not a plan in JSON (as 'stackshift plan --output json' writes it)");
    return plan;
}

}  // namespace

std::vector<std::string> plan_changes(std::string_view before_json, std::string_view after_json,
                                      std::string_view what_before) {
    Json before = parse_plan(before_json, what_before);
    Json after = parse_plan(after_json, "the new plan");
    auto old_steps = steps_of(before);
    auto new_steps = steps_of(after);
    std::map<std::string, const Json*> old_by_key(old_steps.begin(), old_steps.end());
    std::map<std::string, const Json*> new_by_key(new_steps.begin(), new_steps.end());

    std::vector<std::string> out;
    for (const auto& [key, step] : new_steps) {
        auto old = old_by_key.find(key);
        if (old == old_by_key.end()) {
            out.push_back("step added: " + step_label(*step) + ": " + step->value("title", ""));
            continue;
        }
        parameter_changes(step_label(*step), *old->second, *step, out);
        acknowledgement_changes(step_label(*step), *old->second, *step, out);
    }
    for (const auto& [key, step] : old_steps)
        if (!new_by_key.count(key)) out.push_back("step gone: " + step_label(*step) + ": " + step->value("title", ""));
    return out;
}

}  // namespace stackshift::render
