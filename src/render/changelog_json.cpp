// The changelog slice as JSON: the keys DESIGN.md fixes (from, to, versions, templates,
// renames, procedures, other) and, as extra keys, every other fact the reader found, each with
// its version and source line, so that a machine sees what the operator sees.

#include <nlohmann/json.hpp>

#include "render/changelog_render.hpp"

namespace stackshift::render {

namespace {

using Json = nlohmann::ordered_json;
using namespace release;

std::string label(const Origin& origin) { return version_label(origin.version); }

Json versions_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& version : slice.versions) out.push_back(version.label);
    return out;
}

// Every template a heading names, with the versions that touched it and its entries.
Json templates_json(const ChangelogView& view) {
    Json out = Json::object();
    for (const auto& version : view.slice.versions) {
        for (const auto& section : version.sections) {
            if (section.kind != SectionKind::templates) continue;
            for (const auto& id : section.templates) {
                Json& entry = out[id];
                if (!entry.contains("versions")) {
                    entry["versions"] = Json::array();
                    entry["entries"] = Json::array();
                    entry["changes"] = Json::array();
                    std::string target = view.whole.name_in(id, view.to);
                    if (target != id) entry["name_in_target"] = target;
                }
                if (entry["versions"].empty() || entry["versions"].back() != version.label) {
                    entry["versions"].push_back(version.label);
                }
                for (const auto& e : section.entries) {
                    entry["entries"].push_back(e.text);
                    entry["changes"].push_back({{"version", version.label}, {"text", e.text}, {"depth", e.depth},
                                                {"source", view.slice.source(e.line)}});
                }
            }
        }
    }
    return out;
}

Json values_json(const std::vector<ValueMapping>& values) {
    Json out = Json::object();
    for (const auto& mapping : values) out[mapping.from] = mapping.to;
    return out;
}

Json renames_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& rename : slice.template_renames) {
        out.push_back({{"kind", "template"}, {"from", rename.from}, {"to", rename.to}, {"version", label(rename.origin)},
                       {"source", slice.source(rename.origin)}});
    }
    for (const auto& rename : slice.parameter_renames) {
        Json item{{"kind", "parameter"},          {"template", rename.scope}, {"from", rename.from},
                  {"to", rename.to},              {"version", label(rename.origin)},
                  {"values", values_json(rename.values)}, {"source", slice.source(rename.origin)}};
        if (!rename.otherwise.empty()) item["otherwise"] = rename.otherwise;
        out.push_back(std::move(item));
    }
    return out;
}

Json procedures_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& procedure : slice.procedures) {
        Json steps = Json::array();
        Json details = Json::array();
        for (const auto& step : procedure.steps) {
            steps.push_back(step.text);
            details.push_back({{"text", step.text}, {"depth", step.depth}, {"number", step.number},
                               {"source", slice.source(step.line)}});
        }
        out.push_back({{"version", label(procedure.origin)}, {"steps", std::move(steps)}, {"scope", procedure.scope},
                       {"title", procedure.title}, {"required", procedure.required}, {"step_details", std::move(details)},
                       {"source", slice.source(procedure.origin)}});
    }
    return out;
}

Json other_json(const Changelog& slice) {
    Json out = Json::object();
    for (const auto& version : slice.versions) {
        for (const auto& section : version.sections) {
            if (section.kind != SectionKind::other) continue;
            Json& list = out[section.title];
            if (list.is_null()) list = Json::array();
            for (const auto& e : section.entries) list.push_back(e.text);
        }
    }
    return out;
}

Json general_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& version : slice.versions) {
        for (const auto& e : version.general) {
            out.push_back({{"version", version.label}, {"text", e.text}, {"source", slice.source(e.line)}});
        }
    }
    return out;
}

Json parameters_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& change : slice.parameter_changes) {
        Json item{{"template", change.scope},
                  {"parameter", change.parameter},
                  {"change", std::string(parameter_change_name(change.kind))},
                  {"version", label(change.origin)},
                  {"source", slice.source(change.origin)}};
        if (change.inferred) item["inferred"] = true;
        if (!change.detail.empty()) item["detail"] = change.detail;
        if (!change.value.empty()) item["default"] = change.value;
        if (!change.values.empty()) item["values"] = values_json(change.values);
        if (!change.otherwise.empty()) item["otherwise"] = change.otherwise;
        if (!change.new_values.empty()) item["new_values"] = change.new_values;
        out.push_back(std::move(item));
    }
    return out;
}

Json lifecycle_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& fact : slice.lifecycle) {
        Json item{{"template", fact.template_id}, {"event", std::string(lifecycle_name(fact.kind))},
                  {"version", label(fact.origin)}, {"source", slice.source(fact.origin)}};
        if (!fact.condition.empty()) item["condition"] = fact.condition;
        if (!fact.before.empty()) item["before"] = fact.before;
        out.push_back(std::move(item));
    }
    return out;
}

Json advice_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& advice : slice.advice) {
        out.push_back({{"kind", std::string(advice_name(advice.kind))}, {"scope", advice.scope}, {"text", advice.text},
                       {"before_update", advice.before_update}, {"version", label(advice.origin)},
                       {"source", slice.source(advice.origin)}});
    }
    return out;
}

Json directives_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& d : slice.directives) {
        Json item{{"id", d.id},           {"kind", std::string(directive_name(d.kind))}, {"scope", d.scope},
                  {"text", d.text},       {"version", label(d.origin)},                  {"source", slice.source(d.origin)}};
        if (!d.parameter.empty()) item["parameter"] = d.parameter;
        if (d.value) item["value"] = *d.value;
        if (!d.equal_to.empty()) item["equal_to"] = d.equal_to;
        if (d.created_before) item["created_before"] = d.created_before->to_string();
        if (!d.condition.empty()) item["condition"] = d.condition;
        out.push_back(std::move(item));
    }
    return out;
}

Json unrecognized_json(const Changelog& slice) {
    Json out = Json::array();
    for (const auto& item : slice.unrecognized) {
        out.push_back({{"scope", item.scope}, {"text", item.text}, {"why", item.why}, {"version", label(item.origin)},
                       {"source", slice.source(item.origin)}});
    }
    return out;
}

}  // namespace

std::string changelog_json(const ChangelogView& view) {
    Json out;
    out["from"] = view.from.to_string();
    out["to"] = view.to.to_string();
    out["versions"] = versions_json(view.slice);
    out["templates"] = templates_json(view);
    out["renames"] = renames_json(view.slice);
    out["procedures"] = procedures_json(view.slice);
    out["other"] = other_json(view.slice);
    // Beyond the contract: everything else the reader understood, and what it did not.
    out["file"] = view.slice.file;
    out["general"] = general_json(view.slice);
    out["parameters"] = parameters_json(view.slice);
    out["lifecycle"] = lifecycle_json(view.slice);
    out["advice"] = advice_json(view.slice);
    out["directives"] = directives_json(view.slice);
    out["unrecognized"] = unrecognized_json(view.slice);
    return out.dump(2);
}

}  // namespace stackshift::render
