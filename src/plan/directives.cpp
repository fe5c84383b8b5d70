// The changelog's directives answered (directives.hpp): each one about a parameter becomes that
// parameter's decision, or holds the plan; each one about no parameter holds the plan until it is
// acknowledged.

#include "plan/directives.hpp"

#include <algorithm>

#include "cfn/parameter_validator.hpp"
#include "core/error.hpp"
#include "core/template_id.hpp"
#include "core/text.hpp"
#include "plan/drift_check.hpp"

namespace stackshift::plan {

bool scope_concerns(const HopContext& hop, std::string_view scope, const StackPlan& stack) {
    const auto& whole = hop.inputs.changelog;
    if (!whole) return false;
    if (!TemplateId::parse(scope)) return true;
    std::string id = whole->canonical(scope);
    return id == stack.old_id || id == stack.target_id || whole->name_in(id, hop.to) == stack.target_id;
}

namespace {

using release::Directive;
using release::DirectiveKind;

// The latest version the stack can have been created in: the one whose template it ran when
// the plan started (proven from its template), or the hop of this plan that deploys it.
Version creation_version(const HopContext& hop, const StackPlan& stack) {
    if (!stack.state) return hop.to;
    if (stack.state->created) return *stack.state->created;
    const auto* deployed = hop.inputs.deployed_stack(stack.state->stack);
    return deployed ? deployed->version : hop.inputs.from;
}

std::string quoted_sentence(const HopContext& hop, const Directive& d) {
    return "the changelog says \"" + d.text + "\" (" + hop.changelog_source(d.origin) + ")";
}

void hold(ParameterPlan& p, std::string why) {
    p.action = ParameterAction::needs_input;
    p.value.reset();
    p.why = std::move(why) + "; give its value in the values file";
}

void set_value(const StackPlan& stack, ParameterPlan& p, const std::string& value, std::string why) {
    const auto* definition = stack.target->parameter(p.name);
    if (auto problem = definition ? cfn::validate_parameter_value(*definition, value) : std::nullopt) {
        hold(p, why + ", but the template rejects '" + value + "': " + *problem);
        return;
    }
    p.action = ParameterAction::set;
    if (!p.no_echo) p.value = value;
    p.why = std::move(why);
}

// "Deployments created before X must set P to v": decided by when the stack was created.
void decide_created_before(HopContext& hop, StackPlan& stack, const Directive& d, ParameterPlan& p) {
    std::string source = hop.changelog_source(d.origin);
    std::string before = d.created_before->to_string();
    Version created = creation_version(hop, stack);
    if (created < *d.created_before) {
        std::string at = stack.state && !stack.state->created ? "deployed before the plan, at " : "deployed by this plan in ";
        set_value(stack, p, *d.value,
                  "set to '" + *d.value + "': the stack was deployed before " + before + " (" + at +
                      created.to_string() + "), and deployments created before " + before + " must set it (" + source +
                      ")");
        return;
    }
    p.why += "; the changelog's value for deployments created before " + before + " does not apply: this plan deploys "
             "the stack in " + created.to_string() + " (" + source + ")";
}

// "the changelog's 'if you deploy the Network Operations Center' does not apply: the Network
// Operations Center is off (stack/parameter = false) (UPGRADING.md:12 (3.19.2))".
std::string not_applicable(const HopContext& hop, const Directive& d, const FeatureState& state) {
    return "the changelog's '" + d.condition + "' does not apply: the " + state.feature->name + " is off (" +
           join(state.evidence, ", ") + ") (" + hop.changelog_source(d.origin) + ")";
}

void decide(HopContext& hop, StackPlan& stack, const Directive& d, ParameterPlan& p) {
    std::string source = hop.changelog_source(d.origin);
    if (hop.inputs.values.find(stack.stack, stack.target_id, p.name)) {
        p.why += "; answers " + source;
        return;
    }
    if (p.action == ParameterAction::needs_input) {
        p.why += "; " + quoted_sentence(hop, d);
        return;
    }
    // A condition a feature of the profile decides: off, the directive does not apply; on, it
    // applies as written. Any other condition is the operator's to answer.
    bool conditional = !d.condition.empty();
    if (conditional) {
        auto state = condition_state(hop, d.condition);
        if (state && !*state->on) {
            p.why += "; " + not_applicable(hop, d, *state);
            return;
        }
        conditional = !state;
    }
    auto current = stack.value_after(p.name);
    switch (d.kind) {
    case DirectiveKind::mapping:  // the rename's or the value change's mapping was applied where it maps
        return;
    case DirectiveKind::enter:
        if (p.action == ParameterAction::carry || p.action == ParameterAction::keep) return;
        hold(p, quoted_sentence(hop, d));
        return;
    case DirectiveKind::set:
        if (d.created_before) return decide_created_before(hop, stack, d, p);
        if (!conditional && current == d.value) {
            p.why += "; '" + *current + "' as the changelog asks (" + source + ")";
            return;
        }
        hold(p, quoted_sentence(hop, d) + (current ? "; the plan would use '" + *current + "'" : std::string()));
        return;
    case DirectiveKind::equal_to: {
        auto other = stack.value_after(d.equal_to);
        if (current && !current->empty() && current == other) {
            p.why += "; equal to " + d.equal_to + " as the changelog asks (" + source + ")";
            return;
        }
        hold(p, quoted_sentence(hop, d) +
                    (other ? "; " + d.equal_to + " is '" + *other + "' on this stack" : std::string()));
        return;
    }
    case DirectiveKind::check: return;
    }
}

// The stack of the hop a template-scoped directive is about; null for another scope, or for a
// template no stack of the plan runs (an optional template offered, not planned).
const StackPlan* stack_of(const HopContext& hop, const Directive& d) {
    for (const auto& plan : hop.plans)
        if (!plan.optional_new && scope_concerns(hop, d.scope, plan)) return &plan;
    return nullptr;
}

// Whether the directive is about the hop's stacks, and which stack when one.
bool concerns_hop(const HopContext& hop, const Directive& d, const StackPlan*& stack) {
    stack = nullptr;
    if (!TemplateId::parse(d.scope)) return !hop.plans.empty();  // "ECS templates", "Proxy", a version's own
    stack = stack_of(hop, d);
    return stack != nullptr;
}

}  // namespace

void decide_parameter_directives(HopContext& hop, StackPlan& stack) {
    if (!hop.changelog || !stack.target) return;
    for (const auto& d : hop.changelog->directives) {
        if (d.parameter.empty() || !scope_concerns(hop, d.scope, stack)) continue;
        if (ParameterPlan* p = stack.parameter(d.parameter)) decide(hop, stack, d, *p);
    }
}

void require_acknowledgements(HopContext& hop) {
    if (!hop.changelog) return;
    for (const auto& d : hop.changelog->directives) {
        const StackPlan* stack = nullptr;
        if (!concerns_hop(hop, d, stack)) continue;
        // A directive about a parameter is decided on the parameter, where the stack has it.
        bool decided = !d.parameter.empty() &&
                       (!stack || (stack->target && stack->target->parameter(d.parameter) != nullptr));
        if (decided || hop.inputs.values.acknowledges(d.id)) continue;
        if (auto state = d.condition.empty() ? std::nullopt : condition_state(hop, d.condition); state && !*state->on) {
            // Decided: shown where the stack's step cites the changelog, or with the warnings.
            std::string why = "not applicable, the " + state->feature->name + " is off (" +
                              join(state->evidence, ", ") + "): " + d.text;
            if (StackPlan* plan = stack ? hop.find_plan(stack->target_id) : nullptr)
                plan->changelog.push_back({why, hop.changelog_source(d.origin)});
            else hop.plan.warnings.push_back(hop.changelog_source(d.origin) + ": " + why);
            continue;
        }
        Input input;
        if (stack) {
            input.stack = stack->stack;
            input.template_id = stack->target_id;
        }
        input.source = hop.changelog_source(d.origin);
        input.acknowledgement = d.id;
        input.why = quoted_sentence(hop, d) + "; do or check it, then list '" + d.id +
                    "' under acknowledge: in the values file";
        hop.plan.inputs.push_back(std::move(input));
    }
}

void check_acknowledgements(const PlanInputs& inputs) {
    std::vector<std::string> known;
    if (inputs.changelog)
        for (const auto& d : inputs.changelog->directives) known.push_back(d.id);
    for (auto& id : drift_acknowledgement_ids(inputs.deployment)) known.push_back(std::move(id));
    Diagnostics problems;
    for (const auto& a : inputs.values.acknowledged) {
        if (std::find(known.begin(), known.end(), a.id) != known.end()) continue;
        problems.push_back({inputs.values.file, a.where,
                            "unknown acknowledgement '" + a.id + "'" + did_you_mean(a.id, known) +
                                "; list the ids the plan names under its inputs"});
    }
    if (!problems.empty()) throw InputError(problems);
}

}  // namespace stackshift::plan
