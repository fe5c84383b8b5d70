// The steps every stack gets unless a rule writes its own: update, parameter-only update,
// skip, deploy or delete; the preflight checks. The migrations are in migration_steps.cpp.

#include <algorithm>

#include "cfn/stateful_types.hpp"
#include "core/text.hpp"
#include "plan/deployed_versions.hpp"
#include "plan/planning.hpp"
#include "plan/roles.hpp"

namespace stackshift::plan {

namespace {

using Outcome = StackPlan::Outcome;

const release::TemplateLifecycle* lifecycle_of(const HopContext& hop, const StackPlan& plan,
                                               std::initializer_list<release::LifecycleKind> kinds) {
    if (!hop.changelog || !hop.inputs.changelog) return nullptr;
    for (const auto& fact : hop.changelog->lifecycle) {
        if (std::find(kinds.begin(), kinds.end(), fact.kind) == kinds.end()) continue;
        std::string id = hop.inputs.changelog->canonical(fact.template_id);
        if (id == plan.old_id || id == plan.target_id) return &fact;
    }
    return nullptr;
}

// Whether the resource is the role's in the stack's deployed or target template. A role found
// in neither counts every resource of its type (fail closed: the plan holds on it elsewhere).
bool plays_role(const HopContext& hop, const StackPlan& plan, const std::string& role_name, std::string_view logical_id) {
    const profile::Role* role = hop.inputs.profile.role(role_name);
    if (!role) return true;
    bool found_any = false;
    for (const cfn::Template* body : {plan.state ? plan.state->body : nullptr, plan.target}) {
        if (!body) continue;
        RoleMatch match = find_role(hop.inputs.profile, *role, *body);
        if (match.status != RoleMatch::Status::found) continue;
        found_any = true;
        if (match.logical_id == logical_id) return true;
    }
    return !found_any;
}

// Whether a resource holds the product's data: a stateful type, or named by the profile.
std::optional<std::string> stateful_reason(const HopContext& hop, const StackPlan& plan, std::string_view logical_id,
                                           std::string_view type) {
    for (const auto& s : hop.inputs.profile.stateful) {
        bool same_template = s.template_id == plan.old_id || s.template_id == plan.target_id;
        bool same_resource = s.type == type && (s.role.empty() || plays_role(hop, plan, s.role, logical_id));
        if (same_template && same_resource) return s.why;
    }
    if (const auto* t = cfn::find_stateful_type(type)) return std::string(t->reason);
    return std::nullopt;
}

std::string acknowledgement(const StackPlan& plan, std::string_view logical_id) {
    return plan.stack + "/" + std::string(logical_id);
}

}  // namespace

std::vector<ResourceImpact> resource_impacts(const HopContext& hop, const StackPlan& plan, const cfn::TemplateDiff& diff) {
    std::vector<ResourceImpact> out;
    for (const auto& r : diff.resources) {
        if (r.impact == cfn::Impact::no_change) continue;
        ResourceImpact impact;
        impact.logical_id = r.logical_id;
        impact.type = r.type;
        impact.impact = r.impact;
        impact.stateful = r.stateful || stateful_reason(hop, plan, r.logical_id, r.type).has_value();
        impact.acknowledged = hop.inputs.allow_replace.count(acknowledgement(plan, r.logical_id)) > 0;
        impact.changes = property_paths(r);
        impact.scopes = r.scopes;
        out.push_back(std::move(impact));
    }
    return out;
}

std::string describe_impact(const ResourceImpact& r) {
    std::string text = r.logical_id + " (" + r.type + "): " + std::string(cfn::impact_name(r.impact));
    if (!r.scopes.empty()) text += " [" + join(r.scopes.names(), ", ") + "]";
    if (!r.changes.empty()) text += ", " + join(r.changes, ", ");
    return text;
}

// What an impact does, as a verb phrase: "the update would replace Volume".
std::string impact_words(cfn::Impact impact) {
    switch (impact) {
    case cfn::Impact::will_replace: return "would replace";
    case cfn::Impact::may_replace: return "may replace";
    case cfn::Impact::will_destroy: return "would destroy";
    case cfn::Impact::will_orphan: return "would orphan";
    case cfn::Impact::will_create: return "would create";
    case cfn::Impact::will_update: return "would update";
    case cfn::Impact::no_change: return "leaves";
    }
    return "would change";
}

namespace {

void cite_changelog(Step& step, const StackPlan& plan) {
    for (const auto& c : plan.changelog) step.why.push_back(c.source + ": " + c.text);
}

void cite_rename(const HopContext& hop, Step& step, const StackPlan& plan) {
    if (plan.old_id == plan.target_id || !hop.changelog) return;
    std::string why = "template renamed from " + plan.old_id + " to " + plan.target_id + "; the stack keeps its name";
    for (const auto& r : hop.changelog->template_renames)
        if (hop.inputs.changelog->canonical(r.to) == plan.target_id) why += " (" + hop.changelog_source(r.origin) + ")";
    step.why.push_back(why);
}

// The safer way to keep the data of a stateful resource the update would lose.
void write_snapshot_path(HopContext& hop, const StackPlan& plan, const ResourceImpact& r) {
    std::string reason = stateful_reason(hop, plan, r.logical_id, r.type).value_or("it holds data");
    if (r.type == "AWS::EC2::Volume") {
        write_volume_snapshot(hop, plan, r.logical_id, "", "the update " + impact_words(r.impact) + " " + r.logical_id +
                                                              ": " + reason);
        return;
    }
    bool already = std::any_of(hop.steps.begin(), hop.steps.end(), [&](const Step& s) {
        return s.kind == StepKind::manual && s.stack == plan.stack && s.logical_id == r.logical_id;
    });
    if (already) return;
    Step& step = hop.add_for(plan, StepKind::manual, "Back up " + r.logical_id + " of " + plan.stack + " before its update",
                             Risk::caution, r.logical_id);
    step.automated = false;
    step.confirmation = Confirmation::explicit_;  // a person backs up data the update destroys
    step.logical_id = r.logical_id;
    step.why.push_back("the update " + impact_words(r.impact) + " " + r.logical_id + " (" + r.type + "): " + reason);
    step.details.push_back("take a snapshot or backup of " + r.logical_id + " and check that it can be restored");
}

void write_deploy(HopContext& hop, StackPlan& plan) {
    const auto* fact = lifecycle_of(hop, plan, {release::LifecycleKind::added, release::LifecycleKind::added_optional});
    std::string source = fact ? hop.changelog_source(fact->origin) : std::string("the release");
    if (fact && fact->kind == release::LifecycleKind::added_optional) {
        Step& step = hop.add_for(plan, StepKind::manual, "(optional) Deploy " + plan.target_id + " as " + plan.stack,
                                 Risk::info);
        step.automated = false;
        step.skippable = true;
        step.template_file = plan.target_file;
        step.template_hash = plan.target_hash;
        step.why.push_back("new optional template in " + source);
        if (!fact->condition.empty()) step.details.push_back("deploy it only " + fact->condition);
        cite_changelog(step, plan);
        return;
    }
    Step& step = hop.add_for(plan, StepKind::deploy_stack, "Deploy the new stack " + plan.stack, Risk::caution);
    step.automated = false;
    step.template_file = plan.target_file;
    step.template_hash = plan.target_hash;
    step.parameters = plan.parameters;
    step.why.push_back("new template " + plan.target_id + " (" + source + ")");
    cite_changelog(step, plan);
    plan.outcome = Outcome::deployed;
}

void write_removal(HopContext& hop, StackPlan& plan) {
    const auto* fact =
        lifecycle_of(hop, plan, {release::LifecycleKind::removed, release::LifecycleKind::undeploy});
    if (!fact) {
        // A release folder that lacks a template is incomplete, unless the changelog says so.
        std::string folder = hop.inputs.releases.root + "/" + hop.to.to_string();
        hop.problems.push_back({folder, {},
                                "no template " + plan.target_id + " for the stack " + plan.stack +
                                    " (the changelog says nothing of its removal or a rename); add " + folder + "/" +
                                    plan.target_id + ".yaml from the vendor's release " + hop.to.to_string() +
                                    ", or the changelog entry that removes or renames it"});
        return;
    }
    Step& step = hop.add(StepKind::delete_stack, "Delete the stack " + plan.stack, Risk::caution, plan.old_id);
    step.automated = false;
    step.stack = plan.stack;
    step.template_id = plan.old_id;
    step.why.push_back("template " + plan.old_id + " " + std::string(release::lifecycle_name(fact->kind)) + " (" +
                       hop.changelog_source(fact->origin) + ")");
    cite_changelog(step, plan);
    for (const auto& resource : plan.state->body->resources) {
        auto reason = stateful_reason(hop, plan, resource.logical_id, resource.type);
        if (!reason) continue;
        ResourceImpact r{resource.logical_id, resource.type, cfn::Impact::will_destroy, true,
                         hop.inputs.allow_replace.count(acknowledgement(plan, resource.logical_id)) > 0, {}, {}};
        step.resources.push_back(r);
        step.risk = Risk::danger;
        step.details.push_back(resource.logical_id + " holds data: " + *reason +
                               (r.acknowledged ? " (acknowledged)"
                                               : "; back it up, then acknowledge with --allow-replace " +
                                                     acknowledgement(plan, resource.logical_id)));
    }
    plan.outcome = Outcome::deleted;
}

}  // namespace

Step& write_update_step(HopContext& hop, StackPlan& plan) {
    std::string range = hop.from.to_string() + " and " + hop.to.to_string();
    // The diff holds whatever CloudFormation would change, Metadata, policies and Tags
    // included; what it leaves out (DependsOn, a condition renamed as it was, formatting) is
    // not worth an update CloudFormation would answer with "no changes".
    if (!plan.template_changed() && !plan.parameters_changed()) {
        Step& step = hop.add_for(plan, StepKind::skip_stack, "Skip " + plan.stack, Risk::info);
        step.template_hash = plan.target_hash;  // skipped because of what this text says
        step.reason = plan.same_text ? "the deployed template is the one of " + hop.to.to_string()
                                     : "the deployed template differs from the one of " + hop.to.to_string() +
                                           " only where CloudFormation changes nothing (DependsOn, condition names, "
                                           "how it is written)";
        step.reason += " and no parameter changes";
        if (!plan.changelog.empty()) step.reason += " (the changelog mentions it, but the template is the same)";
        step.why.push_back("template diff between the deployed template and " + hop.to.to_string() + ": no change");
        plan.outcome = Outcome::skipped;
        return step;
    }
    write_role_snapshots(hop, plan);
    auto resources = resource_impacts(hop, plan, plan.diff);
    for (const auto& r : resources)
        if (r.endangered()) write_snapshot_path(hop, plan, r);

    // The same template with other values is a parameter-only update (previous template).
    bool parameters_only = plan.same_text;
    Step& step = hop.add_for(plan, parameters_only ? StepKind::set_parameters : StepKind::update_stack,
                             (parameters_only ? "Update the parameters of " : "Update ") + plan.stack +
                                 (parameters_only ? " (same template)" : " to " + hop.to.to_string()),
                             Risk::info);
    step.template_file = plan.target_file;
    step.template_hash = plan.target_hash;
    step.previous_template = parameters_only;
    step.parameters = plan.parameters;
    step.dropped_parameters = plan.dropped;
    step.resources = resources;
    cite_rename(hop, step, plan);
    if (parameters_only) step.why.push_back("the template is unchanged between " + range + "; parameters change");
    else
        step.why.push_back("template diff: " + std::to_string(resources.size()) + " resource(s), " +
                           std::to_string(plan.diff.parameters.size()) + " parameter(s), " +
                           std::to_string(plan.diff.outputs.size()) + " output(s) change");
    if (!parameters_only && plan.diff.transform) step.why.push_back(plan.diff.transform->text);
    cite_changelog(step, plan);
    for (const auto& r : resources) {
        step.details.push_back(describe_impact(r));
        if (r.impact == cfn::Impact::will_replace || r.impact == cfn::Impact::may_replace ||
            r.impact == cfn::Impact::will_destroy)
            step.risk = std::max(step.risk, Risk::caution);
        if (r.endangered()) {
            step.risk = Risk::danger;
            step.details.push_back(r.acknowledged ? "  " + r.logical_id + " holds data; its loss is acknowledged"
                                                  : "  " + r.logical_id + " holds data: not applied unless you "
                                                    "acknowledge it with --allow-replace " +
                                                        acknowledgement(plan, r.logical_id) +
                                                        " (take the snapshot step first)");
        }
    }
    for (const auto& o : plan.diff.outputs)
        if (o.breaks_imports)
            step.details.push_back("output " + o.name + ": its export goes away; stacks importing it would fail");
    if (step.needs_input()) step.risk = std::max(step.risk, Risk::caution);
    plan.outcome = parameters_only ? Outcome::parameters_only : Outcome::updated;
    return step;
}

void write_stack_steps(HopContext& hop, StackPlan& plan) {
    if (plan.ahead) {
        Step& step = hop.add_for(plan, StepKind::skip_stack, "Skip " + plan.stack, Risk::info);
        step.reason = "it runs the " + plan.state->version.to_string() + " template already, later than this hop's " +
                      hop.to.to_string();
        step.why.push_back("deployed template: the one of " + plan.state->version.to_string());
        return;
    }
    if (!plan.state) write_deploy(hop, plan);
    else if (!plan.target) write_removal(hop, plan);
    else write_update_step(hop, plan);
}

void write_preflight(HopContext& hop) {
    const auto& inputs = hop.inputs;
    Step& step = hop.add(StepKind::preflight, "Check the deployment before the upgrade");
    step.why.push_back("deployment " + inputs.deployment.file + ", " + std::to_string(inputs.deployment.stacks.size()) +
                       " stacks; the deployed templates prove version " + inputs.deployment_version.to_string());
    step.details.push_back("every stack is in a stable state (checked again before the first change)");
    for (const auto& d : inputs.deployed) {
        std::string line;
        if (d.customized) {
            line = d.stack + ": the deployed template is no release's template of " + d.template_id +
                   ": it was customized; nearest: the template of " + matched_versions_text(d.matches) +
                   (d.version == inputs.deployment_version ? "" : "; planned from " + d.version.to_string()) +
                   "; the plan diffs from what is deployed, so local changes not in the target template are undone";
        } else if (d.version != inputs.deployment_version) {
            line = d.stack + ": runs the " + d.version.to_string() + " template of " + d.template_id + ", " +
                   (d.version < inputs.deployment_version ? "left behind" : "ahead") + " of the deployment's " +
                   inputs.deployment_version.to_string() + "; planned from " + d.version.to_string() +
                   " with the changelog entries, procedures and migrations of the releases it crosses";
        } else {
            continue;
        }
        step.risk = Risk::caution;
        step.details.push_back(line);
    }
    std::vector<std::string> undeployed;
    if (const auto* from = inputs.release(inputs.deployment_version))
        for (const auto& entry : from->templates) {
            const std::string& id = entry.first;
            if (std::none_of(inputs.deployed.begin(), inputs.deployed.end(),
                             [&](const DeployedTemplate& d) { return d.template_id == id; }))
                undeployed.push_back(id);
        }
    if (!undeployed.empty())
        step.details.push_back("templates of " + inputs.deployment_version.to_string() + " this deployment does not run: " +
                               join(undeployed, ", "));
    if (inputs.changelog && !inputs.changelog->unrecognized.empty())
        step.details.push_back("the changelog has sentences stackshift did not understand; read them in the "
                               "steps of the stacks they concern (stackshift changelog shows all)");
}

}  // namespace stackshift::plan
