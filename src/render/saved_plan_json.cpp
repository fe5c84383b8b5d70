// Every field is written whatever its value (an empty list, false, ""), so that the reader can
// require each key: a key missing from a saved plan is a damaged file, never a default.

#include "render/saved_plan_json.hpp"

#include <nlohmann/json.hpp>

#include "core/sha256.hpp"
#include "core/utc_time.hpp"
#include "render/plan_render.hpp"

namespace stackshift::render {

namespace {

using Json = nlohmann::ordered_json;

Json parameter_json(const plan::ParameterPlan& p) {
    Json value = nullptr;
    if (p.value && !p.no_echo) value = *p.value;  // a NoEcho value is never written
    return {{"name", p.name},         {"action", plan::parameter_action_name(p.action)},
            {"value", value},         {"previous", p.previous},
            {"carriedFrom", p.carried_from}, {"noEcho", p.no_echo},
            {"why", p.why},           {"valueGiven", p.value_given}};
}

Json resource_json(const plan::ResourceImpact& r) {
    return {{"logicalId", r.logical_id}, {"type", r.type},         {"impact", cfn::impact_name(r.impact)},
            {"stateful", r.stateful},    {"acknowledged", r.acknowledged}, {"changes", r.changes},
            {"scopes", r.scopes.names()}};
}

Json services_json(const std::vector<plan::ServiceCheck>& services) {
    Json out = Json::array();
    for (const auto& c : services)
        out.push_back({{"stack", c.stack}, {"logicalId", c.logical_id}, {"images", c.images}, {"conditional", c.conditional}});
    return out;
}

// How a migration's task starts; null for other steps.
Json run_task_json(const std::optional<plan::RunTaskSpec>& spec) {
    if (!spec) return nullptr;
    Json fields = Json::array();
    for (auto f : spec->fields) fields.push_back(plan::task_field_name(f));
    return {{"output", spec->output}, {"fields", fields}, {"container", spec->container}, {"launchType", spec->launch_type}};
}

Json step_json(const plan::Step& s) {
    Json parameters = Json::array();
    for (const auto& p : s.parameters) parameters.push_back(parameter_json(p));
    Json resources = Json::array();
    for (const auto& r : s.resources) resources.push_back(resource_json(r));
    return {{"id", s.id},
            {"kind", plan::step_kind_name(s.kind)},
            {"title", s.title},
            {"risk", plan::risk_name(s.risk)},
            {"automated", s.automated},
            {"why", s.why},
            {"stack", s.stack},
            {"template", s.template_id},
            {"templateFile", s.template_file},
            {"templateHash", s.template_hash},
            {"previousTemplate", s.previous_template},
            {"parameters", parameters},
            {"droppedParameters", s.dropped_parameters},
            {"resources", resources},
            {"reason", s.reason},
            {"logicalId", s.logical_id},
            {"role", s.role},
            {"output", s.resource_output},
            {"database", s.database},
            {"command", s.command},
            {"requiredBy", s.required_by},
            {"conditional", s.conditional},
            {"image", s.image},
            {"waitSeconds", s.wait_seconds},
            {"details", s.details},
            {"switchesOff", s.switches_off},
            {"switchesOn", s.switches_on},
            {"confirmation", plan::confirmation_name(s.confirmation)},
            {"skippable", s.skippable},
            {"runTask", run_task_json(s.run_task)},
            {"services", services_json(s.services)},
            {"minHealthyPercentage", s.min_healthy_percentage ? Json(*s.min_healthy_percentage) : Json(nullptr)}};
}

Json hop_json(const plan::Hop& hop) {
    Json steps = Json::array();
    for (const auto& s : hop.steps) steps.push_back(step_json(s));
    Json read = Json::array();
    for (const auto& r : hop.read) read.push_back({{"text", r.text}, {"why", r.why}, {"source", r.source}});
    return {{"from", hop.from.to_string()}, {"to", hop.to.to_string()}, {"steps", steps}, {"read", read}};
}

Json input_json(const plan::Input& i) {
    return {{"stack", i.stack},   {"template", i.template_id}, {"parameter", i.parameter},
            {"why", i.why},       {"allowedValues", i.allowed_values}, {"role", i.role},
            {"acknowledgement", i.acknowledgement}, {"source", i.source}, {"migration", i.migration}};
}

Json conflict_json(const plan::ExportConflict& e) {
    return {{"step", e.step}, {"stack", e.stack}, {"export", e.export_name}, {"kind", plan::export_conflict_kind_name(e.kind)},
            {"importers", e.importers}, {"possible", e.possible}, {"fix", e.fix}};
}

// The whole plan, as plan/saved_plan.cpp reads it back.
Json saved_json(const plan::SavedPlan& saved) {
    const plan::Plan& p = saved.plan;
    Json hops = Json::array();
    for (const auto& hop : p.hops) hops.push_back(hop_json(hop));
    Json inputs = Json::array();
    for (const auto& i : p.inputs) inputs.push_back(input_json(i));
    Json conflicts = Json::array();
    for (const auto& e : p.export_conflicts) conflicts.push_back(conflict_json(e));
    Json templates = Json::object();
    for (const auto& [file, text] : saved.templates) templates[file] = {{"sha256", sha256_hex(text)}, {"text", text}};
    return {{"from", p.from.to_string()}, {"to", p.to.to_string()},   {"deployment", p.deployment},
            {"releases", p.releases},     {"profile", p.profile},     {"container", saved.container},
            {"hops", hops},               {"inputs", inputs},         {"warnings", p.warnings},
            {"exportConflicts", conflicts}, {"templates", templates}};
}

Json made_from_json(const plan::Plan& p) {
    Json stacks = Json::array();
    for (const auto& s : p.made_from) {
        Json updated = s.last_updated_s == 0 ? Json(nullptr) : Json(format_iso_utc(s.last_updated_s));
        stacks.push_back({{"name", s.name}, {"status", s.status}, {"lastUpdated", updated}, {"templateSha256", s.template_hash}});
    }
    return {{"stackPrefix", p.stack_prefix}, {"stacks", stacks}};
}

}  // namespace

std::string saved_plan_json(const plan::SavedPlan& saved) {
    Json out{{"format", plan::saved_plan_format}};
    Json document = Json::parse(plan_json(saved.plan));
    for (auto& [key, value] : document.items()) out[key] = std::move(value);
    // Where the plan came from: sources by URL and sha256 come with fetched releases; for now the
    // release folder as given.
    out["sources"] = {{"releases", saved.plan.releases}};
    out["madeFrom"] = made_from_json(saved.plan);
    out["saved"] = saved_json(saved);
    return out.dump(2);
}

}  // namespace stackshift::render
