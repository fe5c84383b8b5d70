#include "cloud/sim/drift.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"
#include "core/error.hpp"

namespace stackshift::cloud::sim {

namespace {

using nlohmann::json;

// Types drift detection does not support (the user guide's resource type support table):
// CloudFormation's own wait conditions and handles, and custom resources.
bool drift_supported(std::string_view type) {
    return type != "AWS::CloudFormation::WaitConditionHandle" && type != "AWS::CloudFormation::WaitCondition" &&
           type != "AWS::CloudFormation::CustomResource" && !type.starts_with("Custom::");
}

json to_json(const cfn::Value& v) {
    switch (v.kind()) {
    case doc::Kind::null: return nullptr;
    case doc::Kind::boolean: return v.text() == "true";
    case doc::Kind::number: {
        json n = json::parse(v.text(), nullptr, false);
        return n.is_discarded() ? json(v.text()) : n;
    }
    case doc::Kind::string: return v.text();
    case doc::Kind::list: {
        json out = json::array();
        for (const auto& item : v.items()) out.push_back(to_json(item));
        return out;
    }
    case doc::Kind::map: {
        json out = json::object();
        for (const auto& m : v.members()) out[m.key] = to_json(m.value);
        return out;
    }
    }
    return nullptr;
}

// A value as a PropertyDifference writes it: a string's text, anything else as JSON.
std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// What the stack's template sets on each resource, resolved with its parameters.
std::map<std::string, json, std::less<>> expected_properties(const World& world, const SimStack& stack) {
    std::map<std::string, json, std::less<>> out;
    auto t = cfn::parse_template(stack.template_body, stack.name);
    if (!t) return out;
    cfn::ParameterValues values;
    for (const auto& [k, v] : stack.parameters) values.values[k] = v;
    values.values["AWS::Region"] = world.region;
    values.values["AWS::AccountId"] = world.account;
    values.values["AWS::StackName"] = stack.name;
    cfn::Evaluator e(*t, &values);
    for (const auto& r : t->resources)
        out[r.logical_id] = r.properties ? to_json(e.resolve(*r.properties)) : json::object();
    return out;
}

// The value the console set, typed like the template's where it reads as one (a port's number).
json actual_value(const std::string& text, const json& expected) {
    if (expected.is_number() || expected.is_boolean()) {
        json typed = json::parse(text, nullptr, false);
        if (!typed.is_discarded() && typed.type() == expected.type()) return typed;
    }
    return text;
}

ResourceDrift check_resource(const SimStack& stack, const SimResource& r, const json& expected) {
    ResourceDrift d{r.logical_id, r.physical_id, r.type, ResourceDriftStatus::in_sync, {}, {}, {}};
    json actual = expected;
    for (const auto& edit : stack.drift) {
        if (edit.logical_id != r.logical_id) continue;
        if (edit.deleted) {
            d.status = ResourceDriftStatus::deleted;
            return d;
        }
        json::json_pointer at(property_path_text(edit.path));
        if (!expected.contains(at)) continue;  // only what the template sets is checked
        json value = actual_value(edit.actual, expected[at]);
        actual[at] = value;
        if (value != expected[at])
            d.differences.push_back({property_path_text(edit.path), value_text(expected[at]), value_text(value), DifferenceType::not_equal});
    }
    if (!d.differences.empty()) d.status = ResourceDriftStatus::modified;
    d.expected_properties = expected.dump();
    d.actual_properties = actual.dump();
    return d;
}

}  // namespace

void apply_scenario_drift(World& world) {
    for (const auto& edit : world.scenario.drift) {
        auto stack = std::find_if(world.stacks.begin(), world.stacks.end(),
                                  [&](const SimStack& s) { return s.name == edit.stack || s.template_id == edit.stack; });
        if (stack == world.stacks.end())
            throw InputError(edit.where + ": drift names stack '" + edit.stack +
                             "', which is no stack of the deployment; use a stack's name or template id");
        bool exists = std::any_of(stack->resources.begin(), stack->resources.end(),
                                  [&](const SimResource& r) { return r.logical_id == edit.logical_id; });
        if (!exists)
            throw InputError(edit.where + ": drift names resource '" + edit.logical_id + "', which stack '" + stack->name +
                             "' does not have");
        stack->drift.push_back({edit.logical_id, edit.path, edit.actual, edit.deleted});
    }
}

bool drift_detectable(std::string_view status) {
    return status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE" || status == "UPDATE_ROLLBACK_COMPLETE" ||
           status == "UPDATE_ROLLBACK_FAILED";
}

std::string drift_refusal(const SimStack& stack) {
    return "Stack [" + stack.name + "] is in " + stack.status + " state and its drift can not be detected";
}

std::vector<ResourceDrift> detect_resource_drifts(const World& world, const SimStack& stack) {
    auto expected = expected_properties(world, stack);
    std::vector<ResourceDrift> out;
    for (const auto& r : stack.resources) {
        if (!drift_supported(r.type)) continue;
        auto it = expected.find(r.logical_id);
        out.push_back(check_resource(stack, r, it == expected.end() ? json::object() : it->second));
    }
    return out;
}

void resync_drift(const World& world, SimStack& stack, const std::vector<SimResource>& before,
                  const std::vector<std::string>& rewritten) {
    if (stack.drift.empty()) return;
    auto expected = expected_properties(world, stack);
    auto physical_id = [](const std::vector<SimResource>& list, const std::string& id) -> std::string {
        for (const auto& r : list)
            if (r.logical_id == id) return r.physical_id;
        return {};
    };
    std::erase_if(stack.drift, [&](const SimDrift& d) {
        std::string now = physical_id(stack.resources, d.logical_id);
        if (now.empty() || now != physical_id(before, d.logical_id)) return true;  // removed or replaced
        if (d.deleted || std::find(rewritten.begin(), rewritten.end(), d.logical_id) == rewritten.end()) return false;
        auto it = expected.find(d.logical_id);
        return it != expected.end() && it->second.contains(json::json_pointer(property_path_text(d.path)));
    });
}

void record_drift(const World& world, const SimStack& stack, cfn::DeployedStack& out) {
    if (!drift_detectable(stack.status)) {
        out.drift_check = cfn::DriftCheck::failed;
        out.drift_failure = "ValidationError: " + drift_refusal(stack);
        return;
    }
    out.drift_check = cfn::DriftCheck::checked;
    for (const auto& d : detect_resource_drifts(world, stack)) {
        if (d.status != ResourceDriftStatus::modified && d.status != ResourceDriftStatus::deleted) continue;
        cfn::DriftedResource r{d.logical_id, d.resource_type,
                               d.status == ResourceDriftStatus::deleted ? cfn::DriftStatus::deleted : cfn::DriftStatus::modified, {}};
        for (const auto& p : d.differences)
            r.differences.push_back({p.path, p.expected, p.actual, std::string(difference_type_name(p.type))});
        out.drift.push_back(std::move(r));
    }
}

}  // namespace stackshift::cloud::sim
