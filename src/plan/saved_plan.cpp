// Reads a saved plan back into a Plan (plan/saved_plan.hpp). The "saved" object is the plan;
// the keys of DESIGN.md's contract around it are for people and are not read. Every key of
// "saved" is required: render/saved_plan_json.cpp writes them all, so a missing one is a file
// damaged or edited by hand, and the plan it would give is not the one reviewed.

#include "plan/saved_plan.hpp"

#include <optional>
#include <set>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/sha256.hpp"
#include "core/utc_time.hpp"
#include "doc/document.hpp"
#include "plan/fingerprint.hpp"

namespace stackshift::plan {

namespace {

using doc::Kind;
using doc::Value;

constexpr std::string_view fix = "; write the plan again with 'stackshift plan ... --output json --out FILE'";

// The enum whose name function gives `name`, trying each value up to `last`.
template <typename E, typename NameOf>
std::optional<E> from_name(std::string_view name, E last, NameOf name_of) {
    for (int i = 0; i <= static_cast<int>(last); ++i)
        if (name_of(static_cast<E>(i)) == name) return static_cast<E>(i);
    return std::nullopt;
}

class SavedPlanReader {
public:
    explicit SavedPlanReader(std::string file) : m_file(std::move(file)) {}

    Result<SavedPlan> read(const Value& root) {
        SavedPlan out;
        out.file = m_file;
        if (!root.is_map()) return failed(root, "a saved plan is a JSON object with \"format\": \"stackshift-plan/1\"");
        const Value* format = root.find("format");
        if (format == nullptr || format->text() != saved_plan_format)
            return failed(format != nullptr ? *format : root,
                          "unknown plan format '" + (format != nullptr ? format->text() : std::string()) +
                              "'; expected \"format\": \"stackshift-plan/1\" (a file 'stackshift plan --output json' wrote)");
        const Value* saved = need(root, "saved", Kind::map, "the plan");
        if (saved != nullptr) read_saved(*saved, out);
        if (const Value* made_from = need(root, "madeFrom", Kind::map, "the plan")) read_made_from(*made_from, out.plan);
        const Value* fingerprint = need(root, "fingerprint", Kind::string, "the plan");
        if (!m_problems.empty()) return Failure{std::move(m_problems)};
        check_templates(*saved, out);
        if (m_problems.empty() && plan_fingerprint(out.plan) != fingerprint->text())
            error(*fingerprint, "the plan's fingerprint is " + plan_fingerprint(out.plan) + ", not " + fingerprint->text() +
                                    ": the file was changed after it was written" + std::string(fix));
        if (!m_problems.empty()) return Failure{std::move(m_problems)};
        return out;
    }

private:
    Failure failed(const Value& at, std::string message) {
        error(at, std::move(message));
        return Failure{std::move(m_problems)};
    }
    void error(const Value& at, std::string message) { m_problems.push_back(Diagnostic{m_file, at.position(), std::move(message)}); }

    // The member `key` of `map` when it is of kind `kind` (a number for Kind::number, any
    // scalar's text otherwise as its kind says); nullptr after an error otherwise.
    const Value* need(const Value& map, std::string_view key, Kind kind, std::string_view where) {
        const Value* v = map.find(key);
        if (v == nullptr) {
            error(map, "missing key \"" + std::string(key) + "\" in " + std::string(where) + std::string(fix));
            return nullptr;
        }
        if (v->kind() != kind) {
            error(*v, "\"" + std::string(key) + "\" in " + std::string(where) + " must be a " + std::string(doc::kind_name(kind)) +
                          ", not a " + std::string(doc::kind_name(v->kind())) + std::string(fix));
            return nullptr;
        }
        return v;
    }
    std::string text(const Value& map, std::string_view key, std::string_view where) {
        const Value* v = need(map, key, Kind::string, where);
        return v != nullptr ? v->text() : std::string();
    }
    bool flag(const Value& map, std::string_view key, std::string_view where) {
        const Value* v = need(map, key, Kind::boolean, where);
        return v != nullptr && v->text() == "true";
    }
    int number(const Value& map, std::string_view key, std::string_view where) {
        const Value* v = need(map, key, Kind::number, where);
        if (v == nullptr) return 0;
        try {
            return std::stoi(v->text());
        } catch (const std::exception&) {
            error(*v, "\"" + std::string(key) + "\" in " + std::string(where) + " must be a whole number" + std::string(fix));
            return 0;
        }
    }
    std::vector<std::string> strings(const Value& map, std::string_view key, std::string_view where) {
        std::vector<std::string> out;
        const Value* v = need(map, key, Kind::list, where);
        if (v == nullptr) return out;
        for (const auto& item : v->items()) {
            if (item.is_string()) out.push_back(item.text());
            else error(item, "\"" + std::string(key) + "\" in " + std::string(where) + " must list strings" + std::string(fix));
        }
        return out;
    }
    // The maps of the list `key`, each read by `read_one`.
    template <typename F>
    void each(const Value& map, std::string_view key, std::string_view where, F read_one) {
        const Value* v = need(map, key, Kind::list, where);
        if (v == nullptr) return;
        for (const auto& item : v->items()) {
            if (item.is_map()) read_one(item);
            else error(item, "each of \"" + std::string(key) + "\" in " + std::string(where) + " is an object" + std::string(fix));
        }
    }
    template <typename E, typename NameOf>
    E named(const Value& map, std::string_view key, std::string_view where, E last, NameOf name_of, std::string_view known) {
        const Value* v = need(map, key, Kind::string, where);
        if (v == nullptr) return E{};
        if (auto e = from_name(v->text(), last, name_of)) return *e;
        error(*v, "unknown " + std::string(key) + " '" + v->text() + "' in " + std::string(where) + "; expected one of " +
                      std::string(known) + std::string(fix));
        return E{};
    }
    Version version(const Value& map, std::string_view key, std::string_view where) {
        const Value* v = need(map, key, Kind::string, where);
        if (v == nullptr) return {};
        if (auto parsed = Version::parse(v->text())) return *parsed;
        error(*v, "\"" + std::string(key) + "\" in " + std::string(where) + " is not a version: '" + v->text() + "'" + std::string(fix));
        return {};
    }

    void read_saved(const Value& saved, SavedPlan& out);
    Step read_step(const Value& s);
    ParameterPlan read_parameter(const Value& p, const std::string& where);
    std::optional<RunTaskSpec> read_run_task(const Value& step, const std::string& where);
    ResourceImpact read_resource(const Value& r, const std::string& where);
    Input read_input(const Value& i);
    ExportConflict read_conflict(const Value& e);
    void read_made_from(const Value& made_from, Plan& plan);
    void check_templates(const Value& saved, const SavedPlan& out);

    std::string m_file;
    Diagnostics m_problems;
};

void SavedPlanReader::read_saved(const Value& saved, SavedPlan& out) {
    Plan& p = out.plan;
    p.from = version(saved, "from", "the saved plan");
    p.to = version(saved, "to", "the saved plan");
    p.deployment = text(saved, "deployment", "the saved plan");
    p.releases = text(saved, "releases", "the saved plan");
    p.profile = text(saved, "profile", "the saved plan");
    out.container = text(saved, "container", "the saved plan");
    each(saved, "hops", "the saved plan", [&](const Value& h) {
        Hop hop{version(h, "from", "a hop"), version(h, "to", "a hop"), {}, {}};
        each(h, "steps", "a hop", [&](const Value& s) { hop.steps.push_back(read_step(s)); });
        each(h, "read", "a hop", [&](const Value& r) {
            hop.read.push_back({text(r, "text", "a note to read"), text(r, "why", "a note to read"), text(r, "source", "a note to read")});
        });
        p.hops.push_back(std::move(hop));
    });
    each(saved, "inputs", "the saved plan", [&](const Value& i) { p.inputs.push_back(read_input(i)); });
    p.warnings = strings(saved, "warnings", "the saved plan");
    each(saved, "exportConflicts", "the saved plan", [&](const Value& e) { p.export_conflicts.push_back(read_conflict(e)); });
    if (const Value* templates = need(saved, "templates", Kind::map, "the saved plan"))
        for (const auto& m : templates->members()) {
            if (!m.value.is_map()) {
                error(m.value, "template '" + m.key + "' is an object with sha256 and text" + std::string(fix));
                continue;
            }
            out.templates[m.key] = text(m.value, "text", "template '" + m.key + "'");
        }
}

Step SavedPlanReader::read_step(const Value& s) {
    Step step;
    step.id = text(s, "id", "a step");
    std::string where = step.id.empty() ? "a step" : "step " + step.id;
    step.kind = named(s, "kind", where, StepKind::refresh_instances, step_kind_name,
                      "preflight, update-stack, set-parameters, skip-stack, deploy-stack, delete-stack, snapshot-volume, "
                      "terminate-instance, snapshot-database, run-migration, wait, manual, check-services, refresh-instances");
    step.title = text(s, "title", where);
    step.risk = named(s, "risk", where, Risk::danger, risk_name, "info, caution, danger");
    step.automated = flag(s, "automated", where);
    step.why = strings(s, "why", where);
    step.stack = text(s, "stack", where);
    step.template_id = text(s, "template", where);
    step.template_file = text(s, "templateFile", where);
    step.template_hash = text(s, "templateHash", where);
    step.previous_template = flag(s, "previousTemplate", where);
    each(s, "parameters", where, [&](const Value& p) { step.parameters.push_back(read_parameter(p, where)); });
    step.dropped_parameters = strings(s, "droppedParameters", where);
    each(s, "resources", where, [&](const Value& r) { step.resources.push_back(read_resource(r, where)); });
    step.reason = text(s, "reason", where);
    step.logical_id = text(s, "logicalId", where);
    step.role = text(s, "role", where);
    step.resource_output = text(s, "output", where);
    step.database = text(s, "database", where);
    step.command = strings(s, "command", where);
    step.required_by = strings(s, "requiredBy", where);
    step.conditional = flag(s, "conditional", where);
    step.image = text(s, "image", where);
    step.wait_seconds = number(s, "waitSeconds", where);
    step.details = strings(s, "details", where);
    step.switches_off = text(s, "switchesOff", where);
    step.switches_on = text(s, "switchesOn", where);
    step.confirmation = named(s, "confirmation", where, Confirmation::explicit_, confirmation_name, "none, routine, explicit");
    step.skippable = flag(s, "skippable", where);
    step.run_task = read_run_task(s, where);
    each(s, "services", where, [&](const Value& c) {
        std::string of = "a service of " + where;
        step.services.push_back({text(c, "stack", of), text(c, "logicalId", of), strings(c, "images", of), flag(c, "conditional", of)});
    });
    if (const Value* v = s.find("minHealthyPercentage"); v == nullptr || !v->is_null())
        step.min_healthy_percentage = number(s, "minHealthyPercentage", where);
    return step;
}

std::optional<RunTaskSpec> SavedPlanReader::read_run_task(const Value& step, const std::string& where) {
    const Value* v = step.find("runTask");
    if (v != nullptr && v->is_null()) return std::nullopt;
    std::string of = "runTask of " + where;
    v = need(step, "runTask", Kind::map, where);
    if (v == nullptr) return std::nullopt;
    RunTaskSpec spec;
    spec.output = text(*v, "output", of);
    for (const auto& word : strings(*v, "fields", of)) {
        if (auto field = task_field_from_name(word)) spec.fields.push_back(*field);
        else error(*v, "unknown field '" + word + "' in " + of + "; expected task_definition, cluster, subnet or security_group" + std::string(fix));
    }
    spec.container = text(*v, "container", of);
    spec.launch_type = text(*v, "launchType", of);
    return spec;
}

ParameterPlan SavedPlanReader::read_parameter(const Value& p, const std::string& step) {
    ParameterPlan out;
    out.name = text(p, "name", "a parameter of " + step);
    std::string where = "parameter " + out.name + " of " + step;
    out.action = named(p, "action", where, ParameterAction::needs_input, parameter_action_name,
                       "keep, carry, default, set, image, needs-input");
    if (const Value* value = p.find("value"); value == nullptr) error(p, "missing key \"value\" in " + where + std::string(fix));
    else if (value->is_string()) out.value = value->text();
    else if (!value->is_null()) error(*value, "\"value\" in " + where + " must be a string or null" + std::string(fix));
    out.previous = text(p, "previous", where);
    out.carried_from = text(p, "carriedFrom", where);
    out.no_echo = flag(p, "noEcho", where);
    out.why = text(p, "why", where);
    out.value_given = flag(p, "valueGiven", where);
    if (out.no_echo && out.value)
        error(*p.find("value"), where + " is NoEcho and holds a value; a saved plan never holds one (give it in the values file "
                                        "and 'apply --values FILE' sends it)");
    return out;
}

ResourceImpact SavedPlanReader::read_resource(const Value& r, const std::string& step) {
    ResourceImpact out;
    out.logical_id = text(r, "logicalId", "a resource of " + step);
    std::string where = "resource " + out.logical_id + " of " + step;
    out.type = text(r, "type", where);
    out.impact = named(r, "impact", where, cfn::Impact::will_orphan, cfn::impact_name,
                       "no-change, will-update, may-replace, will-replace, will-create, will-destroy, will-orphan");
    out.stateful = flag(r, "stateful", where);
    out.acknowledged = flag(r, "acknowledged", where);
    out.changes = strings(r, "changes", where);
    if (const Value* scopes = need(r, "scopes", Kind::list, where))
        for (const auto& s : scopes->items()) {
            if (auto scope = change_scope_from_name(s.text()); scope && s.is_string()) out.scopes.add(*scope);
            else error(s, "unknown scope '" + s.text() + "' in " + where + "; expected Properties, Metadata, CreationPolicy, "
                          "UpdatePolicy, DeletionPolicy, UpdateReplacePolicy or Tags" + std::string(fix));
        }
    return out;
}

Input SavedPlanReader::read_input(const Value& i) {
    Input out;
    const char* where = "an input";
    out.stack = text(i, "stack", where);
    out.template_id = text(i, "template", where);
    out.parameter = text(i, "parameter", where);
    out.why = text(i, "why", where);
    out.allowed_values = strings(i, "allowedValues", where);
    out.role = text(i, "role", where);
    out.acknowledgement = text(i, "acknowledgement", where);
    out.source = text(i, "source", where);
    out.migration = text(i, "migration", where);
    return out;
}

ExportConflict SavedPlanReader::read_conflict(const Value& e) {
    ExportConflict out;
    const char* where = "an export conflict";
    out.step = text(e, "step", where);
    out.stack = text(e, "stack", where);
    out.export_name = text(e, "export", where);
    out.kind = named(e, "kind", where, ExportConflictKind::missing, export_conflict_kind_name, "removed, changed, missing");
    out.importers = strings(e, "importers", where);
    out.possible = flag(e, "possible", where);
    out.fix = text(e, "fix", where);
    return out;
}

void SavedPlanReader::read_made_from(const Value& made_from, Plan& plan) {
    plan.stack_prefix = text(made_from, "stackPrefix", "madeFrom");
    each(made_from, "stacks", "madeFrom", [&](const Value& s) {
        RecordedStack out;
        out.name = text(s, "name", "a stack of madeFrom");
        std::string where = "stack " + out.name + " of madeFrom";
        out.status = text(s, "status", where);
        out.template_hash = text(s, "templateSha256", where);
        const Value* updated = s.find("lastUpdated");
        if (updated == nullptr) error(s, "missing key \"lastUpdated\" in " + where + std::string(fix));
        else if (auto seconds = updated->is_string() ? parse_iso_utc(updated->text()) : std::nullopt) out.last_updated_s = *seconds;
        else if (!updated->is_null())
            error(*updated, "\"lastUpdated\" in " + where + " must be a UTC time such as 2026-12-07T09:12:44Z, or null" + std::string(fix));
        plan.made_from.push_back(std::move(out));
    });
}

// Each pinned template hashes to its sha256, and each step's template is pinned under the hash
// the plan holds for it: apply sends only what was reviewed.
void SavedPlanReader::check_templates(const Value& saved, const SavedPlan& out) {
    const Value* templates = saved.find("templates");
    std::set<std::string, std::less<>> tampered;  // said once: its steps follow from the same edit
    for (const auto& m : templates->members()) {
        const Value* pinned = need(m.value, "sha256", Kind::string, "template '" + m.key + "'");
        if (pinned == nullptr) continue;
        std::string actual = sha256_hex(out.templates.at(m.key));
        if (actual == pinned->text()) continue;
        tampered.insert(m.key);
        error(*m.value.find("text"), "the text of template '" + m.key + "' does not hash to its pinned sha256 " + pinned->text() +
                                            " (it hashes to " + actual + "): it was changed after the plan was written" +
                                            std::string(fix));
    }
    for (const auto& hop : out.plan.hops)
        for (const auto& step : hop.steps) {
            if (step.template_file.empty() || tampered.count(step.template_file) != 0) continue;
            auto it = out.templates.find(step.template_file);
            if (it == out.templates.end())
                error(*templates, "step " + step.id + " sends the template '" + step.template_file +
                                      "', which the plan does not pin under \"templates\"" + std::string(fix));
            else if (sha256_hex(it->second) != step.template_hash)
                error(*templates->find(step.template_file), "template '" + step.template_file + "' is not the one step " + step.id +
                                                                 " was planned with (sha256 " + step.template_hash + ")" + std::string(fix));
        }
}

}  // namespace

SavedPlan save_plan(Plan plan, const PlanInputs& inputs) {
    // Every release's templates by file: the texts the planner read and hashed.
    std::map<std::string, const std::string*, std::less<>> texts;
    for (const auto& [version, release] : inputs.versions)
        for (const auto& [id, file] : release.files)
            if (auto text = release.texts.find(id); text != release.texts.end()) texts[file] = &text->second;
    SavedPlan out;
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps) {
            if (step.template_file.empty()) continue;
            auto it = texts.find(step.template_file);
            if (it == texts.end() || template_content_hash(*it->second) != step.template_hash)
                throw Error(ExitCode::failure, "cannot save the plan: the template '" + step.template_file + "' of step " + step.id +
                                                   " is not the text it was planned with");
            out.templates[step.template_file] = *it->second;
        }
    if (inputs.profile.migrations) out.container = inputs.profile.migrations->container;
    out.plan = std::move(plan);
    return out;
}

Result<SavedPlan> parse_saved_plan(std::string_view text, const std::string& file) {
    auto document = doc::parse_document(text, file, doc::Format::json);
    if (!document) return std::move(document).failure();
    return SavedPlanReader(file).read(*document);
}

Result<SavedPlan> load_saved_plan(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    return parse_saved_plan(*text, path);
}

}  // namespace stackshift::plan
