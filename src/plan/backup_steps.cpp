// A backup before every data risk (DESIGN.md): the snapshot of a role's volume before an update
// that may replace it or the machine that mounts it, and the snapshot of every role the profile
// backs up before migrations (the Aurora cluster), right before the hop's first migration.
// Resources are found by their roles in the templates, never by a fixed logical id.

#include <algorithm>

#include "plan/planning.hpp"
#include "plan/roles.hpp"

namespace stackshift::plan {

namespace {

bool may_lose(const cfn::TemplateDiff& diff, std::string_view logical_id) {
    const auto* r = diff.resource(logical_id);
    return r && (r->impact == cfn::Impact::will_replace || r->impact == cfn::Impact::may_replace ||
                 r->impact == cfn::Impact::will_destroy);
}

std::string impact_of(const cfn::TemplateDiff& diff, std::string_view logical_id) {
    return impact_words(diff.resource(logical_id)->impact);  // called only where may_lose found it
}

// The template whose resources a step after the stack's own steps acts on: the target once this
// hop's steps updated or deployed the stack, else the one it runs; none when it is not running.
std::pair<const cfn::Template*, std::string> current_template(const StackPlan& plan) {
    bool updated = plan.outcome == StackPlan::Outcome::updated || plan.outcome == StackPlan::Outcome::deployed;
    if (updated && plan.target) return {plan.target, plan.target_id};
    if (!plan.state || plan.outcome == StackPlan::Outcome::deleted) return {nullptr, plan.old_id};
    return {plan.state->body, plan.old_id};
}

bool runs_migrations(const HopContext& hop) {
    return !hop.migrations.migrations.empty() || !hop.migrations.inits.empty() ||
           (hop.stop && !hop.stop->database.empty());
}

}  // namespace

Step& write_volume_snapshot(HopContext& hop, const StackPlan& plan, const std::string& logical_id,
                            const std::string& role, std::string why) {
    auto already = std::find_if(hop.steps.begin(), hop.steps.end(), [&](const Step& s) {
        return s.kind == StepKind::snapshot_volume && s.stack == plan.stack && s.logical_id == logical_id;
    });
    if (already != hop.steps.end()) return *already;
    Step& step = hop.add_for(plan, StepKind::snapshot_volume, "Snapshot the volume " + logical_id + " of " + plan.stack,
                             Risk::caution, logical_id);
    step.logical_id = logical_id;
    step.role = role;
    step.why.push_back(std::move(why));
    step.details.push_back("keep the snapshot id: a volume can be recreated from it (VolumeSnapshotID parameter, "
                           "where the template has one)");
    return step;
}

// Every role of the stack is found in the template it runs and in its target; a volume role
// is snapshotted when the update may replace it or the machine that mounts it.
void write_role_snapshots(HopContext& hop, StackPlan& plan) {
    if (!plan.state || !plan.target) return;
    for (const profile::Role* role : roles_of(hop, plan)) {
        auto deployed = role_logical_id(hop, plan, *role, *plan.state->body, plan.old_id);
        auto target = role_logical_id(hop, plan, *role, *plan.target, plan.target_id);
        if (!deployed || !target || role->type != "AWS::EC2::Volume") continue;
        if (may_lose(plan.diff, *deployed)) {
            write_volume_snapshot(hop, plan, *deployed, role->name,
                                  "the update " + impact_of(plan.diff, *deployed) + " " + *deployed + " (role " +
                                      role->name + "): " + role->why);
            continue;
        }
        if (role->relation != profile::RoleRelation::mounted_by) continue;
        const profile::Role* machine = hop.inputs.profile.role(role->related);
        auto instance = machine ? role_logical_id(hop, plan, *machine, *plan.state->body, plan.old_id) : std::nullopt;
        if (instance && may_lose(plan.diff, *instance))
            write_volume_snapshot(hop, plan, *deployed, role->name,
                                  "the update " + impact_of(plan.diff, *instance) + " " + *instance + " (role " +
                                      machine->name + "), the machine that mounts " + *deployed + " (role " +
                                      role->name + "): " + role->why);
    }
}

void write_backups_before_migrations(HopContext& hop) {
    if (!runs_migrations(hop)) return;
    for (const auto& role : hop.inputs.profile.roles) {
        if (role.backup != profile::RoleBackup::before_migrations) continue;
        StackPlan* plan = hop.find_plan(role.template_id);
        if (hop.inputs.changelog && !plan) plan = hop.find_plan(hop.inputs.changelog->name_in(role.template_id, hop.to));
        auto [body, template_id] = plan ? current_template(*plan) : std::pair<const cfn::Template*, std::string>{};
        if (!body) {
            Step& step = hop.add(StepKind::manual, "Back up the database (role " + role.name + ") before the migrations",
                                 Risk::caution, role.name);
            step.automated = false;
            step.confirmation = Confirmation::explicit_;  // a person backs up the database
            step.why.push_back("the migrations below change the database; the profile backs up role " + role.name +
                               " (" + role.type + " of " + role.template_id + ") before them: " + role.why);
            step.details.push_back("no stack of this deployment runs " + role.template_id +
                                   ": take a snapshot of the database by hand and check that it can be restored");
            continue;
        }
        auto logical_id = role_logical_id(hop, *plan, role, *body, template_id);
        if (!logical_id) continue;
        Step& step = hop.add(StepKind::snapshot_database, "Snapshot the database " + *logical_id + " of " + plan->stack,
                             Risk::caution, template_id + "-" + *logical_id);
        step.stack = plan->stack;
        step.template_id = plan->target ? plan->target_id : plan->old_id;
        step.logical_id = *logical_id;
        step.role = role.name;
        step.why.push_back("the migrations below change the database; the profile backs up role " + role.name +
                           " before them: " + role.why);
        step.details.push_back("a manual cluster snapshot, kept after the upgrade: restore it to a new cluster if a "
                               "migration fails half-way");
    }
}

}  // namespace stackshift::plan
