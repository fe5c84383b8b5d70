#pragma once
// Plan: the runbook of an upgrade as data (DESIGN.md, "Plan steps"). One or more hops (an
// upgrade that must pass through a waypoint is split), each an ordered list of steps; the
// inputs the operator must still supply; warnings. Renderers format it, the executor runs it;
// nothing here computes anything.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/template_diff.hpp"
#include "core/version.hpp"
#include "profile/task_argument.hpp"

namespace stackshift::plan {

enum class StepKind {
    preflight,
    update_stack,
    set_parameters,
    skip_stack,
    deploy_stack,
    delete_stack,
    snapshot_volume,
    terminate_instance,
    snapshot_database,  // a manual snapshot of an Aurora cluster
    run_migration,
    wait,
    manual,
    check_services,     // the hop ends with every ECS service steady on the hop's images
    refresh_instances,  // an Auto Scaling instance refresh of a group onto its launch configuration
};

std::string_view step_kind_name(StepKind kind);  // "update-stack", ...

enum class Risk { info, caution, danger };

// How apply asks for a step before carrying it out. none: an automated step, nobody is asked.
// routine: --yes accepts it. explicit_: the step destroys something or asks a person to back
// something up first; only --confirm STEP_ID or an interactive yes (shown the resource's physical
// id) accepts it, never --yes.
enum class Confirmation { none, routine, explicit_ };

std::string_view confirmation_name(Confirmation confirmation);  // "none", "routine", "explicit"

std::string_view risk_name(Risk risk);

enum class ParameterAction {
    keep,         // UsePreviousValue
    carry,        // renamed: the old parameter's value under the new name
    use_default,  // the template's default
    set,          // a value from the values file, a value mapping or a rule
    image,        // a Docker image moved to the target version's tag
    needs_input,  // no value can be chosen: the operator must give one
};

std::string_view parameter_action_name(ParameterAction action);  // "keep", ..., "needs-input"

struct ParameterPlan {
    std::string name;
    ParameterAction action = ParameterAction::keep;
    std::optional<std::string> value;  // never a NoEcho value
    std::string previous;              // the value before (masked for NoEcho), "" when new
    std::string carried_from;          // carry: the old parameter's name
    bool no_echo = false;
    std::string why;
    // set, NoEcho: the values file gives the value; the executor reads it there and sends it,
    // and nothing else ever holds it.
    bool value_given = false;
};

// What the change set is expected to do to one resource.
struct ResourceImpact {
    std::string logical_id;
    std::string type;
    cfn::Impact impact = cfn::Impact::will_update;
    bool stateful = false;
    bool acknowledged = false;  // the user named it with --allow-replace
    std::vector<std::string> changes;  // property paths that change
    cfn::ChangeScopes scopes;  // what the change set lists as the Modify's Scope

    // A stateful resource replaced or destroyed: its data would be lost.
    bool endangered() const;
};

// What each field of a stack output fills in an ECS RunTask request (the profile's words,
// parsed when it was read).
using TaskField = profile::TaskArgument;

// The profile's word of a field ("task_definition", "subnet", ...) and back, for what writes and
// reads plans (the layers above plan know no profile).
std::string_view task_field_name(TaskField field);
std::optional<TaskField> task_field_from_name(std::string_view name);

// run-migration: how its ECS task is started, from the profile: the stack output whose
// space-separated words are the fields, in order; the container whose command is overridden;
// the launch type.
struct RunTaskSpec {
    std::string output;  // "OpsRunTaskArguments"
    std::vector<TaskField> fields;
    std::string container;    // "ttes"
    std::string launch_type;  // "FARGATE"
    bool operator==(const RunTaskSpec&) const = default;
};

// check-services: one ECS service of the deployment, found by its type in the stack's template as
// the hop leaves it, and the images the hop sets on that stack (its image parameters' values):
// a container of the service's task definition from the same repository must run exactly one.
struct ServiceCheck {
    std::string stack;
    std::string logical_id;
    std::vector<std::string> images;
    // Its Condition could not be evaluated (a value the plan does not know): apply finds out
    // from the stack's resources whether it exists.
    bool conditional = false;
};

struct Step {
    std::string id;  // stable across runs of the same plan: "h1-07-update-5-2-ecs-ops"
    StepKind kind = StepKind::manual;
    std::string title;
    Risk risk = Risk::info;
    bool automated = true;
    std::vector<std::string> why;

    // A step about one stack.
    std::string stack;
    std::string template_id;  // in the hop's target version
    std::string template_file;  // the target template (update, deploy)
    // The content hash of the target template's text (plan/fingerprint.hpp): the plan's identity
    // holds what the template says, not where it was read.
    std::string template_hash;
    bool previous_template = false;  // set-parameters: keep the deployed template

    std::vector<ParameterPlan> parameters;   // update/deploy/set-parameters: every parameter
    std::vector<std::string> dropped_parameters;  // parameters the new template no longer has
    std::vector<ResourceImpact> resources;   // update: the changed resources

    std::string reason;  // skip-stack
    // snapshot-volume, terminate-instance, snapshot-database: the resource, found by its role in
    // the stack's template; apply reads its physical id from the stack's resources.
    std::string logical_id;
    std::string role;  // the profile's role of that resource, when a role found it
    // run-migration: the stack output the vendor documents as the task's arguments
    // (OpsRunTaskArguments).
    std::string resource_output;

    // run-migration
    std::string database;
    std::vector<std::string> command;
    std::vector<std::string> required_by;
    bool conditional = false;
    // The image the migration must run with (the hop's target image of the profile's migration
    // container); apply checks the task definition runs it before starting the task. Empty when
    // the plan could not know it (then an input holds the plan) or the profile does not say
    // how migrations run.
    std::string image;

    int wait_seconds = 0;
    std::vector<std::string> details;  // manual steps, things to check, lines of explanation

    // A procedure that switches something off for a while ("storage-integration"): the step that
    // switches it off and the one that switches it back on name it, so that the journal can tell
    // a deployment left with it off (apply/journal.hpp, switched_off) and a later plan switches it
    // back on (PlanInputs::switched_off).
    std::string switches_off = {};
    std::string switches_on = {};
    // Set by plan::assign_confirmations (plan/confirmation.hpp) once the plan is made; the steps
    // that ask a person to back something up are marked explicit where they are written.
    Confirmation confirmation = Confirmation::none;
    // --skip STEP_ID may leave it out (the journal records it skipped): a conditional migration,
    // an optional deployment, a changelog procedure "if it applies".
    bool skippable = false;

    bool needs_input() const;
    bool unacknowledged_danger() const;
    // "acme-2-5-db-timescale/PgData (role timescale-volume)": the resource a snapshot or
    // terminate step acts on; empty for other steps.
    std::string resource_label() const;

    // run-migration: how its task starts (nullopt when the profile does not say how
    // migrations run).
    std::optional<RunTaskSpec> run_task = std::nullopt;
    // check-services: every ECS service of the deployment at the end of the hop.
    std::vector<ServiceCheck> services = {};
    // refresh-instances (the group in logical_id and role): the percentage of the group's
    // desired capacity the refresh keeps in service; nullopt until the profile gives it (then
    // an input holds the plan).
    std::optional<int> min_healthy_percentage = std::nullopt;
};

// A release-note item the operator must read for a hop: a removal, a breaking change, an
// action outside CloudFormation.
struct ReadNote {
    std::string text;
    std::string why;     // "removed", "says 'breaking'"
    std::string source;  // "3.24.0.md:12"
};

struct Hop {
    Version from;
    Version to;
    std::vector<Step> steps;
    std::vector<ReadNote> read = {};  // the release notes of (from, to] to read, in version order
};

// A value the operator must supply before the plan can be applied: a parameter, the
// acknowledgement of a changelog directive about no parameter (listed under `acknowledge:`),
// or (role set) a resource of the profile's that the plan could not find in a template it acts on.
struct Input {
    std::string stack;
    std::string template_id;
    std::string parameter;  // "" for an acknowledgement
    std::string why;
    std::vector<std::string> allowed_values;
    std::string role = {};            // the profile's role that no resource, or several, fit
    std::string acknowledgement = {};  // the id to list under `acknowledge:` in the values file
    std::string source = {};           // the changelog's file:line (version) of the directive
    std::string migration = {};        // a conditional migration to answer under `migrations:` (run or skip)
};

// What CloudFormation would refuse about exports at a step (export_check.hpp): the step removes
// or changes an export another stack imports at that moment, or leaves a stack importing an
// export no stack then provides. It blocks the plan until the steps are reordered or changed.
enum class ExportConflictKind { removed, changed, missing };

std::string_view export_conflict_kind_name(ExportConflictKind kind);  // "removed", "changed", "missing"

struct ExportConflict {
    std::string step;         // the step's id
    std::string stack;        // the stack the step acts on
    std::string export_name;  // the export
    ExportConflictKind kind = ExportConflictKind::removed;
    // removed, changed: the stacks importing the export then; missing: the stack that imports it.
    std::vector<std::string> importers;
    bool possible = false;  // an import, or a change, under a value the plan does not know (NoEcho)
    std::string fix;

    std::string describe() const;  // one sentence: the step, the export, the importers, the fix
};

// A stack of the deployment as the plan found it (a saved plan records them; apply --plan
// refuses the plan when one differs now: plan/made_from.hpp).
struct RecordedStack {
    std::string name;
    std::string status;
    std::int64_t last_updated_s = 0;  // 0: the snapshot did not say
    std::string template_hash;        // template_content_hash of the deployed body
};

struct Plan {
    Version from;
    Version to;
    std::string deployment;  // the snapshot file
    std::string releases;    // the release source
    std::string profile;
    std::vector<Hop> hops;
    std::vector<Input> inputs;
    std::vector<std::string> warnings;
    std::vector<ExportConflict> export_conflicts = {};
    // What the plan was made from: every stack of the deployment, in its order, and the prefix
    // their names share before the template id ("" when they share none), so that a stack of the
    // deployment created since the plan can be told (plan/made_from.hpp).
    std::vector<RecordedStack> made_from = {};
    std::string stack_prefix = {};

    bool needs_input() const { return !inputs.empty(); }
    bool has_unacknowledged_danger() const;
    // Whether the plan can be applied as it is: nothing to supply, every danger acknowledged, no
    // step that CloudFormation would refuse for an export in use or missing.
    bool blocked() const { return needs_input() || has_unacknowledged_danger() || !export_conflicts.empty(); }
};

}  // namespace stackshift::plan
