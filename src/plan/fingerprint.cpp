#include "plan/fingerprint.hpp"

#include "cfn/diff_types.hpp"
#include "core/change_scope.hpp"
#include "core/fingerprint.hpp"
#include "core/sha256.hpp"

namespace stackshift::plan {

namespace {

// A canonical text: every field tagged with its name and length-prefixed, so that no two
// different plans can write the same text (a value holding a separator included).
class Canon {
public:
    Canon& field(std::string_view name, std::string_view value) {
        m_text.append(name).append("=").append(std::to_string(value.size())).append(":").append(value).append("\n");
        return *this;
    }
    Canon& flag(std::string_view name, bool value) { return field(name, value ? "1" : "0"); }
    Canon& number(std::string_view name, long long value) { return field(name, std::to_string(value)); }
    Canon& list(std::string_view name, const std::vector<std::string>& values) {
        number(name, static_cast<long long>(values.size()));
        for (const auto& v : values) field("-", v);
        return *this;
    }
    // Opens a nested record; its fields follow until the next `begin` at the same level.
    Canon& begin(std::string_view what) { return field("@", what); }
    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

void write_parameter(Canon& c, const ParameterPlan& p) {
    c.begin("parameter").field("name", p.name).field("action", parameter_action_name(p.action));
    c.flag("no-echo", p.no_echo);
    if (p.no_echo) {
        // Never the value, not even a hash of it: only whether the values file gives one.
        c.flag("given", p.value_given);
    } else {
        c.flag("has-value", p.value.has_value()).field("value", p.value.value_or(""));
        c.field("previous", p.previous);
    }
    c.field("carried-from", p.carried_from);
}

void write_resource(Canon& c, const ResourceImpact& r) {
    c.begin("resource").field("logical-id", r.logical_id).field("type", r.type);
    c.field("impact", cfn::impact_name(r.impact)).flag("stateful", r.stateful).flag("acknowledged", r.acknowledged);
    c.list("changes", r.changes).list("scopes", r.scopes.names());
}

void write_step(Canon& c, const Step& s) {
    c.begin("step").field("id", s.id).field("kind", step_kind_name(s.kind));
    c.field("risk", risk_name(s.risk)).flag("automated", s.automated);
    c.field("stack", s.stack).field("template-id", s.template_id).field("template-hash", s.template_hash);
    c.flag("previous-template", s.previous_template);
    c.number("parameters", static_cast<long long>(s.parameters.size()));
    for (const auto& p : s.parameters) write_parameter(c, p);
    c.list("dropped", s.dropped_parameters);
    c.number("resources", static_cast<long long>(s.resources.size()));
    for (const auto& r : s.resources) write_resource(c, r);
    c.field("logical-id", s.logical_id).field("role", s.role).field("resource-output", s.resource_output);
    c.field("database", s.database).list("command", s.command).list("required-by", s.required_by);
    c.flag("conditional", s.conditional).field("image", s.image).number("wait-seconds", s.wait_seconds);
    c.field("switches-off", s.switches_off).field("switches-on", s.switches_on);
    c.field("confirmation", confirmation_name(s.confirmation)).flag("skippable", s.skippable);
    if (s.run_task) {
        std::vector<std::string> fields;
        for (auto f : s.run_task->fields) fields.emplace_back(profile::task_argument_name(f));
        c.begin("run-task").field("output", s.run_task->output).list("fields", fields);
        c.field("container", s.run_task->container).field("launch-type", s.run_task->launch_type);
    }
    // Written only when set, so that the identity of a plan without these steps stays as it was.
    if (!s.services.empty()) c.number("services", static_cast<long long>(s.services.size()));
    for (const auto& service : s.services) {
        c.begin("service").field("stack", service.stack).field("logical-id", service.logical_id);
        c.list("images", service.images).flag("conditional", service.conditional);
    }
    if (s.min_healthy_percentage) c.number("min-healthy-percentage", *s.min_healthy_percentage);
}

void write_input(Canon& c, const Input& i) {
    c.begin("input").field("stack", i.stack).field("template-id", i.template_id).field("parameter", i.parameter);
    c.list("allowed", i.allowed_values).field("role", i.role).field("acknowledgement", i.acknowledgement);
    c.field("migration", i.migration);
}

void write_conflict(Canon& c, const ExportConflict& e) {
    c.begin("export-conflict").field("step", e.step).field("stack", e.stack).field("export", e.export_name);
    c.field("kind", export_conflict_kind_name(e.kind)).list("importers", e.importers).flag("possible", e.possible);
}

}  // namespace

std::string plan_fingerprint(const Plan& plan) {
    Canon c;
    c.field("identity", "stackshift-plan/1");  // a new layout gets a new tag, never the old hashes
    c.field("from", plan.from.to_string()).field("to", plan.to.to_string()).field("profile", plan.profile);
    c.number("hops", static_cast<long long>(plan.hops.size()));
    for (const auto& hop : plan.hops) {
        c.begin("hop").field("from", hop.from.to_string()).field("to", hop.to.to_string());
        c.number("steps", static_cast<long long>(hop.steps.size()));
        for (const auto& step : hop.steps) write_step(c, step);
    }
    c.number("inputs", static_cast<long long>(plan.inputs.size()));
    for (const auto& input : plan.inputs) write_input(c, input);
    c.number("export-conflicts", static_cast<long long>(plan.export_conflicts.size()));
    for (const auto& conflict : plan.export_conflicts) write_conflict(c, conflict);
    return fingerprint(c.text());
}

std::string template_content_hash(std::string_view text) { return sha256_hex(text); }

}  // namespace stackshift::plan
