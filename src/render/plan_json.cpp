// The plan as JSON (DESIGN.md, "plan --output json"): from, to, hops with their steps, inputs
// and warnings; every step with id, kind, title, risk, automated and why, and the fields of
// its kind. NoEcho values never appear: the plan does not hold them.

#include <nlohmann/json.hpp>

#include "render/plan_render.hpp"

#include "plan/fingerprint.hpp"

namespace stackshift::render {

namespace {

using Json = nlohmann::ordered_json;
using plan::StepKind;

Json parameters_json(const std::vector<plan::ParameterPlan>& parameters) {
    Json out = Json::object();
    for (const auto& p : parameters) {
        Json entry{{"action", plan::parameter_action_name(p.action)}};
        if (p.value && !p.no_echo) entry["value"] = *p.value;
        if (!p.carried_from.empty()) entry["from"] = p.carried_from;
        if (p.no_echo) entry["noEcho"] = true;
        if (p.value_given) entry["valueGiven"] = true;
        if (!p.why.empty() && p.why != "kept") entry["why"] = p.why;
        out[p.name] = entry;
    }
    return out;
}

Json resources_json(const std::vector<plan::ResourceImpact>& resources) {
    Json out = Json::object();
    for (const auto& r : resources) {
        Json entry{{"type", r.type}, {"impact", std::string(cfn::impact_name(r.impact))}};
        if (r.stateful) entry["stateful"] = true;
        if (r.endangered()) entry["acknowledged"] = r.acknowledged;
        if (!r.changes.empty()) entry["changes"] = r.changes;
        if (!r.scopes.empty()) entry["scope"] = r.scopes.names();
        out[r.logical_id] = entry;
    }
    return out;
}

// check-services: each service with the images the hop set on its stack.
Json services_json(const std::vector<plan::ServiceCheck>& services) {
    Json out = Json::array();
    for (const auto& service : services) {
        Json entry{{"stack", service.stack}, {"logicalId", service.logical_id}, {"images", service.images}};
        if (service.conditional) entry["conditional"] = true;
        out.push_back(entry);
    }
    return out;
}

Json step_json(const plan::Step& s) {
    Json out{{"id", s.id},
             {"kind", plan::step_kind_name(s.kind)},
             {"title", s.title},
             {"risk", plan::risk_name(s.risk)},
             {"automated", s.automated},
             {"why", s.why}};
    if (!s.stack.empty()) out["stack"] = s.stack;
    if (!s.template_id.empty()) out["template"] = s.template_id;
    // Beyond the DESIGN.md contract: who may accept the step, and whether --skip may leave it out.
    if (s.confirmation != plan::Confirmation::none) out["confirmation"] = plan::confirmation_name(s.confirmation);
    if (s.skippable) out["skippable"] = true;
    switch (s.kind) {
    case StepKind::update_stack:
    case StepKind::set_parameters:
    case StepKind::deploy_stack:
        if (!s.template_file.empty() && !s.previous_template) out["templateFile"] = s.template_file;
        if (s.kind == StepKind::set_parameters) out["previousTemplate"] = s.previous_template;
        out["parameters"] = parameters_json(s.parameters);
        if (s.kind != StepKind::deploy_stack) out["resources"] = resources_json(s.resources);
        if (!s.dropped_parameters.empty()) out["droppedParameters"] = s.dropped_parameters;
        break;
    case StepKind::delete_stack:
        out["resources"] = resources_json(s.resources);
        break;
    case StepKind::run_migration:
        out["database"] = s.database;
        out["command"] = s.command;
        out["required_by"] = s.required_by;
        out["conditional"] = s.conditional;
        if (!s.resource_output.empty()) out["output"] = s.resource_output;
        // null: the plan could not know the image (an input says why), or the profile does not
        // say how migrations run.
        if (s.image.empty()) out["image"] = nullptr;
        else out["image"] = s.image;
        break;
    case StepKind::snapshot_volume:
    case StepKind::terminate_instance:
    case StepKind::snapshot_database:
        out["logicalId"] = s.logical_id;
        if (!s.role.empty()) out["role"] = s.role;
        break;
    case StepKind::skip_stack: out["reason"] = s.reason; break;
    case StepKind::wait: out["seconds"] = s.wait_seconds; break;
    case StepKind::check_services: out["services"] = services_json(s.services); break;
    case StepKind::refresh_instances:
        out["logicalId"] = s.logical_id;
        if (!s.role.empty()) out["role"] = s.role;
        // null: the profile does not give it (an input says so).
        if (s.min_healthy_percentage) out["minHealthyPercentage"] = *s.min_healthy_percentage;
        else out["minHealthyPercentage"] = nullptr;
        break;
    case StepKind::preflight:
    case StepKind::manual: break;
    }
    if (!s.details.empty()) out["details"] = s.details;
    // The procedure a step switches off or back on (plan.hpp): the journal records it.
    if (!s.switches_off.empty()) out["switchesOff"] = s.switches_off;
    if (!s.switches_on.empty()) out["switchesOn"] = s.switches_on;
    return out;
}

}  // namespace

namespace {

// The plan as JSON, all but its fingerprint (plan/fingerprint.hpp, added by plan_json).
Json plan_document(const plan::Plan& p) {
    Json hops = Json::array();
    for (const auto& hop : p.hops) {
        Json steps = Json::array();
        for (const auto& s : hop.steps) steps.push_back(step_json(s));
        Json read = Json::array();
        for (const auto& r : hop.read) read.push_back({{"text", r.text}, {"why", r.why}, {"source", r.source}});
        hops.push_back({{"from", hop.from.to_string()}, {"to", hop.to.to_string()}, {"steps", steps}, {"read", read}});
    }
    Json inputs = Json::array();
    for (const auto& i : p.inputs) {
        Json entry{{"stack", i.stack}, {"template", i.template_id}};
        if (!i.role.empty()) entry["role"] = i.role;
        else if (!i.migration.empty()) entry["migration"] = i.migration;
        else entry["parameter"] = i.parameter;
        entry["why"] = i.why;
        if (!i.allowed_values.empty()) entry["allowedValues"] = i.allowed_values;
        if (!i.acknowledgement.empty()) {
            entry["acknowledge"] = i.acknowledgement;
            entry["source"] = i.source;
        }
        inputs.push_back(entry);
    }
    PlanSummary sum = summarize(p);
    Json summary{{"steps", sum.steps},         {"updates", sum.updates},   {"skipped", sum.skipped},
                 {"deploys", sum.deploys},     {"deletes", sum.deletes},   {"migrations", sum.migrations},
                 {"manual", sum.manual},       {"danger", sum.danger},     {"unacknowledged", sum.unacknowledged},
                 {"inputs", sum.inputs}};
    Json out{{"from", p.from.to_string()},
             {"to", p.to.to_string()},
             {"deployment", p.deployment},
             {"releases", p.releases},
             {"profile", p.profile},
             {"blocked", p.blocked()},
             {"summary", summary},
             {"hops", hops},
             {"inputs", inputs},
             {"warnings", p.warnings}};
    // Only when there are some: a plan without any keeps the document it had.
    if (!p.export_conflicts.empty()) {
        Json conflicts = Json::array();
        for (const auto& e : p.export_conflicts) {
            conflicts.push_back({{"step", e.step}, {"stack", e.stack}, {"export", e.export_name},
                                 {"kind", plan::export_conflict_kind_name(e.kind)}, {"importers", e.importers},
                                 {"possible", e.possible}, {"fix", e.fix}, {"message", e.describe()}});
        }
        out["exportConflicts"] = conflicts;
    }
    return out;
}

}  // namespace

std::string plan_json(const plan::Plan& p) {
    Json out = plan_document(p);
    out["fingerprint"] = plan::plan_fingerprint(p);
    return out.dump(2);
}

PlanSummary summarize(const plan::Plan& p) {
    PlanSummary s;
    for (const auto& hop : p.hops) {
        for (const auto& step : hop.steps) {
            ++s.steps;
            switch (step.kind) {
            case StepKind::update_stack:
            case StepKind::set_parameters: ++s.updates; break;
            case StepKind::skip_stack: ++s.skipped; break;
            case StepKind::deploy_stack: ++s.deploys; break;
            case StepKind::delete_stack: ++s.deletes; break;
            case StepKind::run_migration: ++s.migrations; break;
            default: break;
            }
            if (!step.automated) ++s.manual;
            if (step.risk == plan::Risk::danger) ++s.danger;
            if (step.risk == plan::Risk::caution) ++s.caution;
            if (step.unacknowledged_danger()) ++s.unacknowledged;
        }
    }
    s.inputs = static_cast<int>(p.inputs.size());
    return s;
}

}  // namespace stackshift::render
