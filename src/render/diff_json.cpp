#include <charconv>
#include <nlohmann/json.hpp>

#include "render/diff_render.hpp"

namespace stackshift::render {

namespace {

using Json = nlohmann::ordered_json;

Json to_json(const cfn::Value& v) {
    switch (v.kind()) {
    case cfn::Kind::null: return nullptr;
    case cfn::Kind::boolean: return v.text() == "true";
    case cfn::Kind::number: {
        long long i = 0;
        auto [ptr, ec] = std::from_chars(v.text().data(), v.text().data() + v.text().size(), i);
        if (ec == std::errc() && ptr == v.text().data() + v.text().size()) return i;
        double d = 0;
        auto [dptr, dec] = std::from_chars(v.text().data(), v.text().data() + v.text().size(), d);
        if (dec == std::errc() && dptr == v.text().data() + v.text().size()) return d;
        return v.text();
    }
    case cfn::Kind::string: return v.text();
    case cfn::Kind::list: {
        Json out = Json::array();
        for (const auto& item : v.items()) out.push_back(to_json(item));
        return out;
    }
    case cfn::Kind::map: {
        Json out = Json::object();
        for (const auto& m : v.members()) out[m.key] = to_json(m.value);
        return out;
    }
    }
    return nullptr;
}

Json resource_json(const cfn::ResourceDiff& r) {
    Json out;
    out["type"] = r.type;
    out["impact"] = std::string(cfn::impact_name(r.impact));
    out["stateful"] = r.stateful;
    out["change"] = std::string(cfn::resource_change_name(r.change));
    out["scope"] = r.scopes.names();  // as a change set's ResourceChange.Scope lists them
    if (!r.old_type.empty()) out["old_type"] = r.old_type;
    if (r.change == cfn::ResourceChange::renamed_from) out["renamed_from"] = r.other_id;
    if (r.change == cfn::ResourceChange::renamed_to) out["renamed_to"] = r.other_id;
    if (r.stateful) out["stateful_reason"] = r.stateful_reason;
    if (!r.deletion_policy.empty()) out["deletion_policy"] = r.deletion_policy;
    if (!r.update_replace_policy.empty()) out["update_replace_policy"] = r.update_replace_policy;
    Json properties = Json::array();
    for (const auto& p : r.properties) {
        Json pj;
        pj["path"] = p.path;
        pj["impact"] = std::string(cfn::impact_name(p.impact));
        if (p.is_attribute()) pj["attribute"] = true;
        else pj["replacement"] = std::string(cfn::replacement_name(p.replacement));
        if (!p.certain) pj["certain"] = false;
        pj["old"] = p.old_value ? to_json(*p.old_value) : Json(nullptr);
        pj["new"] = p.new_value ? to_json(*p.new_value) : Json(nullptr);
        if (!p.note.empty()) pj["note"] = p.note;
        properties.push_back(std::move(pj));
    }
    out["properties"] = std::move(properties);
    if (!r.notes.empty()) out["notes"] = r.notes;
    return out;
}

}  // namespace

std::string diff_json(const cfn::TemplateDiff& diff) {
    Json out;
    Json resources = Json::object();
    for (const auto& r : diff.resources) resources[r.logical_id] = resource_json(r);
    out["resources"] = std::move(resources);
    Json parameters = Json::object();
    for (const auto& p : diff.parameters) {
        parameters[p.name] = Json{{"change", p.change}, {"details", p.details}};
    }
    out["parameters"] = std::move(parameters);
    Json outputs = Json::object();
    for (const auto& o : diff.outputs) {
        const auto& shown = o.new_export ? o.new_export : o.old_export;
        Json oj{{"change", o.change}, {"export", shown ? Json(*shown) : Json(nullptr)}};
        if (!o.details.empty()) oj["details"] = o.details;
        if (o.old_export != o.new_export && o.old_export) oj["old_export"] = *o.old_export;
        if (o.breaks_imports) oj["breaks_imports"] = true;
        outputs[o.name] = std::move(oj);
    }
    out["outputs"] = std::move(outputs);
    if (diff.transform) {
        // Beside DESIGN.md's fields: the diff is of the templates before their transforms run.
        Json kept = Json::array();
        for (const auto& k : diff.transform->kept_as_written) {
            kept.push_back(Json{{"path", k.path}, {"change", std::string(cfn::written_change_name(k.change))}, {"reason", k.reason}});
        }
        out["transform"] = Json{{"old", diff.transform->old_transforms}, {"new", diff.transform->new_transforms},
                                {"note", diff.transform->text}, {"kept_as_written", std::move(kept)}};
    }
    DiffSummary s = summarize(diff);
    out["summary"] = Json{{"replace", s.replace},   {"may_replace", s.may_replace},
                          {"update", s.update},     {"create", s.create},
                          {"destroy", s.destroy},   {"orphan", s.orphan},
                          {"stateful_at_risk", s.stateful_at_risk}, {"conditions_evaluated", diff.conditions_evaluated}};
    return out.dump(2);
}

}  // namespace stackshift::render
