#include "cloud/sim/change_details_json.hpp"

#include <string>

#include "core/error.hpp"

namespace stackshift::cloud::sim {

namespace {

using nlohmann::json;

template <typename T>
T known(std::optional<T> value, const std::string& word, const char* what) {
    if (!value)
        throw InputError("damaged simulator state: a change set names an unknown " + std::string(what) + " '" + word +
                         "'; create a new one with 'stackshift sim init'");
    return *value;
}

json detail_to_json(const ResourceChangeDetail& d) {
    json target = {{"attribute", change_scope_name(d.target.attribute)}};
    if (!d.target.name.empty()) target["name"] = d.target.name;
    if (d.target.requires_recreation) target["requiresRecreation"] = requires_recreation_name(*d.target.requires_recreation);
    json out = {{"target", target},
                {"evaluation", change_evaluation_name(d.evaluation)},
                {"changeSource", change_source_name(d.change_source)}};
    if (!d.causing_entity.empty()) out["causingEntity"] = d.causing_entity;
    return out;
}

ResourceChangeDetail detail_from_json(const json& j) {
    ResourceChangeDetail d;
    const json& target = j.at("target");
    std::string attribute = target.at("attribute");
    d.target.attribute = known(change_scope_from_name(attribute), attribute, "attribute");
    d.target.name = target.value("name", "");
    if (auto it = target.find("requiresRecreation"); it != target.end()) {
        std::string word = *it;
        d.target.requires_recreation = known(requires_recreation_from_name(word), word, "RequiresRecreation");
    }
    std::string evaluation = j.at("evaluation");
    d.evaluation = known(change_evaluation_from_name(evaluation), evaluation, "Evaluation");
    std::string source = j.at("changeSource");
    d.change_source = known(change_source_from_name(source), source, "ChangeSource");
    d.causing_entity = j.value("causingEntity", "");
    return d;
}

}  // namespace

void change_details_to_json(const ResourceChange& change, json& entry) {
    if (change.policy_action) entry["policyAction"] = policy_action_name(*change.policy_action);
    json details = json::array();
    for (const auto& d : change.details) details.push_back(detail_to_json(d));
    entry["details"] = std::move(details);
}

void change_details_from_json(const json& entry, ResourceChange& change) {
    if (auto it = entry.find("policyAction"); it != entry.end()) {
        std::string word = *it;
        change.policy_action = known(policy_action_from_name(word), word, "PolicyAction");
    }
    if (auto it = entry.find("details"); it != entry.end())
        for (const auto& d : *it) change.details.push_back(detail_from_json(d));
}

}  // namespace stackshift::cloud::sim
