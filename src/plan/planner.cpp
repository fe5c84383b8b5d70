// The planner: for each hop, every stack is analysed (its template in the hop's target
// version, the diff from what is deployed, its parameters, what the changelog says of it),
// the rules adjust what was found, and the steps are written in template-number order, with
// the changelog's procedures before the stacks they name and the migrations right after the
// stack the profile names. Pure: everything was loaded by load_plan_inputs.

#include "plan/planner.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "core/no_echo.hpp"
#include "core/template_id.hpp"
#include "core/text.hpp"
#include "plan/confirmation.hpp"
#include "plan/directives.hpp"
#include "plan/export_check.hpp"
#include "plan/fingerprint.hpp"
#include "plan/made_from.hpp"
#include "plan/drift_check.hpp"
#include "plan/parameters.hpp"
#include "plan/planning.hpp"
#include "plan/service_checks.hpp"

namespace stackshift::plan {

bool StackState::is_no_echo(std::string_view parameter) const {
    return std::find(no_echo.begin(), no_echo.end(), parameter) != no_echo.end();
}

bool StackPlan::parameters_changed() const {
    return !dropped.empty() || std::any_of(parameters.begin(), parameters.end(), [](const ParameterPlan& p) {
               return p.action != ParameterAction::keep;
           });
}

ParameterPlan* StackPlan::parameter(std::string_view name) {
    for (auto& p : parameters)
        if (p.name == name) return &p;
    return nullptr;
}

std::optional<std::string> StackPlan::value_after(std::string_view name) const {
    for (const auto& p : parameters) {
        if (p.name != name) continue;
        if (p.value) return p.value;
        if (p.action != ParameterAction::keep) return std::nullopt;
        break;
    }
    if (!state) return std::nullopt;
    auto it = state->parameters.find(name);
    return it == state->parameters.end() ? std::nullopt : it->second;
}

StackPlan* HopContext::find_plan(std::string_view template_id) {
    for (auto& p : plans)
        if (p.target_id == template_id || p.old_id == template_id) return &p;
    return nullptr;
}

Step& HopContext::add(StepKind kind, std::string title, Risk risk, std::string stack_id) {
    Step step;
    step.kind = kind;
    step.title = std::move(title);
    step.risk = risk;
    char index[8];
    std::snprintf(index, sizeof index, "%02zu", steps.size() + 1);
    step.id = "h" + std::to_string(number) + "-" + index + "-" + std::string(step_kind_name(kind));
    if (!stack_id.empty()) step.id += "-" + stack_id;
    steps.push_back(std::move(step));
    return steps.back();
}

Step& HopContext::add_for(const StackPlan& stack, StepKind kind, std::string title, Risk risk, std::string suffix) {
    Step& step = add(kind, std::move(title), risk, stack.target_id + (suffix.empty() ? "" : "-" + suffix));
    step.stack = stack.stack;
    step.template_id = stack.target_id;
    return step;
}

const release::Changelog* HopContext::slice_from(const Version& start) {
    if (!changelog) return nullptr;
    if (!(from < start)) return &*changelog;
    auto [it, added] = stack_slices.try_emplace(start.to_string());
    if (added) it->second = release::slice(*inputs.changelog, start, to);
    return &it->second;
}

std::string HopContext::changelog_source(const release::Origin& origin) const {
    const auto& whole = inputs.changelog;
    std::string where = whole ? whole->source(origin) : "changelog";
    return where + " (" + release::version_label(origin.version) + ")";
}

std::string stack_prefix(const PlanInputs& inputs) {
    for (const auto& d : inputs.deployed) {
        std::string suffix = "-" + d.template_id;
        if (d.stack.size() > suffix.size() && d.stack.ends_with(suffix))
            return d.stack.substr(0, d.stack.size() - suffix.size() + 1);
    }
    return "";
}

std::vector<std::string> property_paths(const cfn::ResourceDiff& resource) {
    std::vector<std::string> out;
    for (const auto& p : resource.properties) out.push_back(p.path);
    return out;
}

namespace {

std::deque<StackState> initial_states(const PlanInputs& inputs) {
    std::deque<StackState> out;
    for (const auto& d : inputs.deployed) {
        const auto* deployed = inputs.deployment.stack(d.stack);
        StackState s;
        s.stack = d.stack;
        s.template_id = d.template_id;
        s.version = d.version;
        s.body = d.body;
        s.text = &deployed->template_body;
        s.no_echo = deployed->no_echo;
        for (const auto& [name, value] : deployed->parameters) {
            if (deployed->is_no_echo(name) || value == masked_value) s.parameters[name] = std::nullopt;
            else s.parameters[name] = value;
        }
        // CloudFormation lists every parameter of a stack; a snapshot that leaves one out means
        // the stack runs with the deployed template's default.
        for (const auto& p : d.body->parameters) {
            if (s.parameters.count(p.name)) continue;
            if (p.no_echo) {
                s.parameters[p.name] = std::nullopt;
                s.no_echo.push_back(p.name);
            }
            else s.parameters[p.name] = p.default_value;
        }
        for (const auto& [name, value] : deployed->outputs) s.outputs[name] = value;
        out.push_back(std::move(s));
    }
    return out;
}

// Every entry of the changelog's sections about the template, under any of its names, in the
// releases the stack crosses.
std::vector<Citation> changelog_citations(const HopContext& hop, const StackPlan& plan) {
    std::vector<Citation> out;
    if (!plan.changelog_slice || !hop.inputs.changelog) return out;
    const auto& whole = *hop.inputs.changelog;
    for (const auto& version : plan.changelog_slice->versions) {
        for (const auto& section : version.sections) {
            bool concerns = std::any_of(section.templates.begin(), section.templates.end(), [&](const std::string& t) {
                std::string id = whole.canonical(t);
                return id == plan.old_id || id == plan.target_id || whole.name_in(id, hop.to) == plan.target_id;
            });
            if (!concerns) continue;
            for (const auto& entry : section.entries)
                out.push_back({entry.text, hop.changelog_source({version.version, entry.line})});
        }
    }
    return out;
}

// The values each side of the diff resolves conditions and properties with: the deployed
// template with the stack's current values, the target with the values the update gives (kept
// parameters keep their current value). NoEcho values are unknown on both sides.
std::pair<cfn::ParameterValues, cfn::ParameterValues> diff_values(const HopContext& hop, const StackPlan& plan) {
    cfn::ParameterValues before;
    if (!hop.inputs.deployment.region.empty()) before.values["AWS::Region"] = hop.inputs.deployment.region;
    cfn::ParameterValues after = before;
    if (plan.state)
        for (const auto& [name, value] : plan.state->parameters)
            if (value) before.values[name] = *value;
    for (const auto& p : plan.parameters) {
        if (p.value) after.values[p.name] = *p.value;
        else if (auto it = before.values.find(p.name); it != before.values.end()) after.values[p.name] = it->second;
    }
    return {before, after};
}

void analyse(HopContext& hop, StackPlan& plan) {
    if (plan.ahead) return;
    plan.changelog = changelog_citations(hop, plan);
    if (!plan.target) return;
    plan.target_file = hop.target.files.find(plan.target_id)->second;
    plan.target_hash = template_content_hash(hop.target.texts.find(plan.target_id)->second);
    if (plan.optional_new) return;  // offered, not planned: its parameters are the operator's choice
    plan_parameters(hop, plan);
    if (plan.state) {
        // The same text with the same values is the same stack: nothing to compare.
        const std::string& target_text = hop.target.texts.find(plan.target_id)->second;
        plan.same_text = plan.state->text && *plan.state->text == target_text;
        if (plan.same_text && !plan.parameters_changed()) return;
        auto [before, after] = diff_values(hop, plan);
        plan.diff = cfn::diff_templates(*plan.state->body, *plan.target, &before, &after);
    }
}

std::string target_name(const HopContext& hop, const std::string& id) {
    return hop.inputs.changelog ? hop.inputs.changelog->name_in(id, hop.to) : id;
}

// The deployed stacks, then the templates the changelog adds in this hop that no stack runs.
void collect_plans(HopContext& hop) {
    for (auto& state : hop.stacks) {
        if (!state.deployed) continue;
        StackPlan plan;
        plan.state = &state;
        plan.stack = state.stack;
        plan.old_id = state.template_id;
        plan.target_id = target_name(hop, state.template_id);
        plan.target = hop.target.find(plan.target_id);
        if (!plan.target && plan.target_id != plan.old_id && hop.target.find(plan.old_id)) {
            plan.target_id = plan.old_id;  // renamed later than this hop: the release still has the old name
            plan.target = hop.target.find(plan.old_id);
        }
        plan.from = std::max(hop.from, state.version);
        plan.ahead = hop.to < state.version;
        plan.changelog_slice = hop.slice_from(plan.from);
        hop.plans.push_back(std::move(plan));
    }
    if (hop.changelog) {
        std::string prefix = stack_prefix(hop.inputs);
        for (const auto& fact : hop.changelog->lifecycle) {
            if (fact.kind != release::LifecycleKind::added && fact.kind != release::LifecycleKind::added_optional)
                continue;
            std::string id = target_name(hop, hop.inputs.changelog->canonical(fact.template_id));
            if (!hop.target.find(id) || hop.find_plan(id)) continue;
            StackPlan plan;
            plan.optional_new = fact.kind == release::LifecycleKind::added_optional;
            plan.stack = prefix + id;
            plan.old_id = id;
            plan.target_id = id;
            plan.target = hop.target.find(id);
            plan.from = hop.from;
            plan.changelog_slice = hop.slice_from(hop.from);
            hop.plans.push_back(std::move(plan));
        }
    }
    std::stable_sort(hop.plans.begin(), hop.plans.end(), [](const StackPlan& a, const StackPlan& b) {
        return template_order_less(a.target ? a.target_id : a.old_id, b.target ? b.target_id : b.old_id);
    });
    for (auto& plan : hop.plans) analyse(hop, plan);
}

// The changelog's procedures: those for the whole version (or for a section that names no
// template) at the start of the hop; those for a template right before its stack.
void write_procedure(HopContext& hop, const release::Procedure& procedure) {
    std::string version = release::version_label(procedure.origin.version);
    std::string title = procedure.title.empty() ? "Upgrade procedure" : procedure.title;
    if (title.find(version) == std::string::npos) title += " (" + version + ")";
    Step& step = hop.add(StepKind::manual, (procedure.required ? "" : "(if it applies) ") + title,
                         procedure.required ? Risk::caution : Risk::info);
    step.automated = false;
    step.skippable = !procedure.required;
    step.why.push_back("the changelog's procedure, " + hop.changelog_source(procedure.origin));
    for (const auto& s : procedure.steps)
        step.details.push_back(std::string(s.depth > 1 ? "   - " : "") +
                               (s.number > 0 ? std::to_string(s.number) + ". " : "") + s.text);
}

bool mentions(const release::Procedure& procedure, const StackPlan& plan) {
    return std::any_of(procedure.steps.begin(), procedure.steps.end(), [&](const release::ProcedureStep& s) {
        return s.text.find(plan.old_id) != std::string::npos || s.text.find(plan.target_id) != std::string::npos;
    });
}

// The stack a procedure goes before: the template its section names, or else the first stack
// (in update order) its steps name. Null: the procedure goes at the start of the hop.
const StackPlan* procedure_place(const HopContext& hop, const release::Procedure& procedure) {
    if (!procedure.scope.empty() && TemplateId::parse(procedure.scope)) {
        std::string id = hop.inputs.changelog->canonical(procedure.scope);
        for (const auto& plan : hop.plans)
            if (id == plan.old_id || id == plan.target_id || target_name(hop, id) == plan.target_id) return &plan;
    }
    for (const auto& plan : hop.plans)
        if (mentions(procedure, plan)) return &plan;
    return nullptr;
}

// The state the next hop starts from: what this hop's steps leave behind.
void advance(HopContext& hop) {
    for (auto& plan : hop.plans) {
        using Outcome = StackPlan::Outcome;
        if (plan.outcome == Outcome::skipped) {
            // Skipped because it already runs the release's template: it is at the hop's TO.
            if (plan.state && plan.target && !plan.ahead && !plan.template_changed()) plan.state->version = hop.to;
            continue;
        }
        if (plan.outcome == Outcome::deleted) {
            if (plan.state) plan.state->deployed = false;
            continue;
        }
        StackState* state = plan.state;
        if (!state) {
            hop.stacks.push_back({plan.stack, plan.target_id, plan.target, nullptr, {}, {}, {}, true, hop.to});
            state = &hop.stacks.back();
        }
        state->version = hop.to;
        std::map<std::string, std::optional<std::string>, std::less<>> parameters;
        for (const auto& p : plan.parameters) {
            if (p.action == ParameterAction::keep) {
                auto it = state->parameters.find(p.name);
                parameters[p.name] = it == state->parameters.end() ? std::nullopt : it->second;
            } else {
                parameters[p.name] = p.value;
            }
        }
        state->parameters = std::move(parameters);
        state->no_echo.clear();
        for (const auto& p : plan.target->parameters)
            if (p.no_echo) state->no_echo.push_back(p.name);
        state->template_id = plan.target_id;
        if (plan.outcome != Outcome::parameters_only || plan.target) {
            state->body = plan.target;
            state->text = &hop.target.texts.find(plan.target_id)->second;
        }
    }
}

// Migrations follow the software of the stack after which they run: a hop needs those of the
// releases that stack crosses in it, from its own version when it is ahead of the hop's FROM.
Version migrations_start(const PlanInputs& inputs, const std::deque<StackState>& stacks, const Version& from) {
    if (!inputs.profile.migrations) return from;
    const std::string& anchor = inputs.profile.migrations->after_stack;
    for (const auto& s : stacks) {
        bool runs = s.template_id == anchor || (inputs.changelog && inputs.changelog->name_in(s.template_id, s.version) == anchor);
        if (s.deployed && runs) return std::max(from, s.version);
    }
    return from;
}

void plan_hop(HopContext& hop, const std::vector<std::unique_ptr<Rule>>& rules) {
    collect_plans(hop);
    for (const auto& rule : rules) rule->adjust(hop);
    require_acknowledgements(hop);
    if (hop.number == 1) write_preflight(hop);

    std::vector<std::pair<const release::Procedure*, const StackPlan*>> pending;
    if (hop.changelog) {
        for (const auto& procedure : hop.changelog->procedures) {
            const StackPlan* place = procedure_place(hop, procedure);
            if (!place) {
                write_procedure(hop, procedure);
                continue;
            }
            // A stack that already runs a later release than the procedure's has been through it.
            bool crossed = !procedure.origin.version || in_range(*procedure.origin.version, place->from, hop.to);
            if (crossed && !place->ahead) pending.emplace_back(&procedure, place);
        }
    }
    bool migrations_written = false;
    const auto& run = hop.inputs.profile.migrations;
    for (auto& plan : hop.plans) {
        for (const auto& [procedure, place] : pending)
            if (place == &plan) write_procedure(hop, *procedure);
        for (const auto& rule : rules) rule->before_stack(hop, plan);
        if (!plan.handled) write_stack_steps(hop, plan);
        for (const auto& rule : rules) rule->after_stack(hop, plan);
        if (run && !migrations_written && (plan.target_id == run->after_stack || plan.old_id == run->after_stack)) {
            write_backups_before_migrations(hop);
            write_migrations(hop);
            migrations_written = true;
        }
    }
    if (!migrations_written) {
        bool any = !hop.migrations.migrations.empty() || !hop.migrations.inits.empty() ||
                   (hop.stop && !hop.stop->database.empty());
        if (any && run)
            hop.plan.warnings.push_back("no stack runs " + run->after_stack + ", after which migrations run; they "
                                        "are placed at the end of the hop to " + hop.to.to_string());
        write_backups_before_migrations(hop);
        write_migrations(hop);
    }
    advance(hop);
    write_service_check(hop);  // over the stacks as the hop leaves them
}

// Each --allow-replace must name a resource the plan endangers: one that names nothing would
// let a typo pass for an acknowledgement.
void check_allow_replace(const PlanInputs& inputs, const Plan& plan) {
    std::vector<std::string> endangered;
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps)
            for (const auto& r : step.resources)
                if (r.endangered()) endangered.push_back(step.stack + "/" + r.logical_id);
    std::sort(endangered.begin(), endangered.end());
    endangered.erase(std::unique(endangered.begin(), endangered.end()), endangered.end());
    Diagnostics problems;
    for (const auto& name : inputs.allow_replace) {
        if (std::binary_search(endangered.begin(), endangered.end(), name)) continue;
        problems.push_back({"--allow-replace", {},
                            "'" + name + "' names no resource this plan replaces or removes with its data" +
                                did_you_mean(name, endangered) + "; " +
                                (endangered.empty() ? std::string("the plan endangers none")
                                                    : "the plan endangers " + join(endangered, ", "))});
    }
    if (!problems.empty()) throw InputError(problems);
}

// Each answer under `migrations:` must name a migration the release notes make conditional: a
// misspelled one would be ignored. (One outside this upgrade's range is allowed, so that one
// values file serves the upgrades of a deployment one after the other.)
void check_migration_answers(const PlanInputs& inputs) {
    if (inputs.values.migrations.empty()) return;
    std::vector<std::string> conditional;
    if (inputs.notes)
        for (const auto& note : inputs.notes->releases)
            for (const auto* list : {&note.migrations, &note.inits})
                for (const auto& op : *list)
                    if (op.conditional && std::find(conditional.begin(), conditional.end(), op.command) == conditional.end())
                        conditional.push_back(op.command);
    Diagnostics problems;
    for (const auto& [command, answer] : inputs.values.migrations) {
        if (std::find(conditional.begin(), conditional.end(), command) != conditional.end()) continue;
        problems.push_back({inputs.values.file, answer.where,
                            "migrations: '" + command + "' is no migration the release notes make conditional" +
                                did_you_mean(command, conditional) + "; " +
                                (conditional.empty() ? std::string("they make none conditional")
                                                     : "those are " + join(conditional, ", "))});
    }
    if (!problems.empty()) throw InputError(problems);
}

// The release-note items of (from, to] an operator must read: removals, breaking changes,
// actions outside CloudFormation.
std::vector<ReadNote> notes_to_read(const PlanInputs& inputs, const Version& from, const Version& to) {
    std::vector<ReadNote> out;
    if (!inputs.notes) return out;
    for (const auto& note : inputs.notes->releases) {
        if (note.version <= from || note.version > to) continue;
        for (const auto& item : note.to_read) out.push_back({item.text, item.why, item.source.to_string()});
    }
    return out;
}

}  // namespace

Plan make_plan(const PlanInputs& inputs) {
    Plan plan;
    plan.from = inputs.from;
    plan.to = inputs.to;
    plan.deployment = inputs.deployment.file;
    plan.releases = inputs.releases.root;
    plan.profile = inputs.profile.name;

    check_acknowledgements(inputs);
    const auto& stops = inputs.stops;
    auto rules = make_rules(inputs.profile);
    std::deque<StackState> stacks = initial_states(inputs);
    Diagnostics problems;

    Version from = inputs.from;
    for (std::size_t i = 0; i <= stops.size(); ++i) {
        Version to = i < stops.size() ? stops[i].version : inputs.to;
        const ReleaseTemplates* target = inputs.release(to);
        HopContext hop{inputs, static_cast<int>(i + 1), from, to, *target, std::nullopt, {}, std::nullopt,
                       stacks, {}, plan, {}, {}, {}};
        if (inputs.changelog) hop.changelog = release::slice(*inputs.changelog, from, to);
        if (i < stops.size()) hop.stop = stops[i];
        if (inputs.notes) {
            Version start = migrations_start(inputs, stacks, from);
            if (start < to) {
                hop.migrations = release::migrations_between(*inputs.notes, start, to);
            } else {  // it runs TO's software already: nothing to migrate in this hop
                hop.migrations.from = start;
                hop.migrations.to = to;
                if (i < stops.size()) hop.stop->database.clear();
            }
        }
        plan_hop(hop, rules);
        problems.insert(problems.end(), hop.problems.begin(), hop.problems.end());
        plan.hops.push_back({from, to, std::move(hop.steps), notes_to_read(inputs, from, to)});
        from = to;
    }
    if (!problems.empty()) throw InputError(problems);
    check_allow_replace(inputs, plan);
    check_migration_answers(inputs);
    plan.export_conflicts = check_exports(inputs, plan);
    check_drift(inputs, plan);
    assign_confirmations(plan);
    record_made_from(plan, inputs);  // what a saved plan is checked against before it is applied
    return plan;
}

}  // namespace stackshift::plan
