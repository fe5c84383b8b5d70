#pragma once
// The planner's working state, shared by the planner and its rules (rules/, one file each):
// the stacks as they stand at the start of a hop, the hop being planned, and what the planner
// found for each stack (its target template, the diff, the parameters) before it becomes
// steps. Internal to src/plan.

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/template_diff.hpp"
#include "plan/hops.hpp"
#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"
#include "release/changelog.hpp"
#include "release/migration_report.hpp"

namespace stackshift::plan {

// A stack as it stands when a hop starts: deployed (first hop) or as the previous hop left it.
struct StackState {
    std::string stack;
    std::string template_id;
    const cfn::Template* body = nullptr;
    const std::string* text = nullptr;  // the body's text: an identical target needs no diff
    // Current values; nullopt for a NoEcho value (masked) or one the operator has yet to give.
    std::map<std::string, std::optional<std::string>, std::less<>> parameters;
    std::vector<std::string> no_echo;
    std::map<std::string, std::string, std::less<>> outputs;
    bool deployed = true;  // false once a plan step deletes it
    Version version;       // the release whose template it runs (proven, then as the plan moves it)
    // The version the plan deploys it in; nullopt for a stack deployed before the plan.
    std::optional<Version> created = std::nullopt;

    bool is_no_echo(std::string_view parameter) const;
};

// One changelog sentence that concerns a stack, ready to cite.
struct Citation {
    std::string text;
    std::string source;  // "UPGRADING.md:42 (3.15.0)"
};

// What the planner found for one stack in one hop.
struct StackPlan {
    StackState* state = nullptr;  // null for a template to deploy
    std::string stack;
    std::string old_id;     // the id in the hop's FROM version
    std::string target_id;  // the id in the hop's TO version
    // Where this stack starts in the hop: the hop's FROM, or the stack's own version when it
    // was left behind by an earlier upgrade or is ahead of the rest.
    Version from;
    bool ahead = false;  // it runs a release after the hop's TO: nothing to do in this hop
    // The changelog's slice for the releases this stack crosses in the hop, (from, to].
    const release::Changelog* changelog_slice = nullptr;
    const cfn::Template* target = nullptr;  // null when the release no longer has it
    std::string target_file;
    std::string target_hash;  // template_content_hash of the target's text
    cfn::TemplateDiff diff;
    std::vector<ParameterPlan> parameters;
    std::vector<std::string> dropped;
    std::vector<Citation> changelog;  // the changelog's entries for this template in the hop
    bool handled = false;             // a rule wrote this stack's steps
    bool optional_new = false;        // a new template the changelog calls optional
    bool same_text = false;           // the target template is the deployed one, to the letter

    // What the hop's steps do to the stack, for the state the next hop starts from.
    enum class Outcome { skipped, updated, parameters_only, deployed, deleted };
    Outcome outcome = Outcome::skipped;

    // What CloudFormation would change, and what the engine compares only as written (a
    // transform, SAM's Globals, a Fn::ForEach loop): a change there is a change (fail closed).
    bool template_changed() const { return !diff.empty(); }
    bool parameters_changed() const;
    ParameterPlan* parameter(std::string_view name);
    // A parameter's value as the hop's steps leave it (a kept value is the current one); nullopt
    // when unknown (NoEcho, or no such parameter).
    std::optional<std::string> value_after(std::string_view name) const;
    const ResourceImpact* resource(std::string_view logical_id) const;
};

// Whether a feature the profile names is on, as the hop's steps leave the deployment: on when
// any of its parameters has its `on` value on a stack of the plan; nullopt when no stack tells.
struct FeatureState {
    const profile::Feature* feature = nullptr;
    std::optional<bool> on;
    std::vector<std::string> evidence;  // "acme-prod-5-2-ecs-ops/ApplicationServerStorageEnabled = true"
};

class Rule;

struct HopContext {
    const PlanInputs& inputs;
    int number = 1;  // 1-based
    Version from;
    Version to;
    const ReleaseTemplates& target;
    std::optional<release::Changelog> changelog;  // the slice (from, to]
    release::MigrationReport migrations;
    std::optional<Stop> stop;  // when this hop ends at a waypoint
    std::deque<StackState>& stacks;  // a deque: adding a stack keeps pointers to the others valid
    std::vector<StackPlan> plans;  // in template order of the target ids
    Plan& plan;
    std::vector<Step> steps;
    // Slices for stacks that start after the hop's FROM, by their version.
    std::map<std::string, release::Changelog, std::less<>> stack_slices;
    Diagnostics problems;  // inputs found incomplete while planning: the plan stops on them

    StackPlan* find_plan(std::string_view template_id);
    // The changelog's slice for a stack that starts at `from` in this hop (null without a changelog).
    const release::Changelog* slice_from(const Version& from);
    // A new step with a stable id.
    Step& add(StepKind kind, std::string title, Risk risk = Risk::info, std::string stack_id = {});
    // A new step about the stack, in its target template; `suffix` tells apart several steps
    // of one kind for one stack.
    Step& add_for(const StackPlan& stack, StepKind kind, std::string title, Risk risk, std::string suffix = {});
    std::string changelog_source(const release::Origin& origin) const;
};

// Each product procedure that needs logic is a rule: it adjusts what the planner found, and
// may write a stack's steps itself (then it marks the stack handled).
class Rule {
public:
    virtual ~Rule() = default;
    virtual std::string_view name() const = 0;
    // After every stack of the hop was analysed, before any step is written.
    virtual void adjust(HopContext&) {}
    // Right before the stack's own steps; may write them itself and mark it handled.
    virtual void before_stack(HopContext&, StackPlan&) {}
    // Right after the stack's steps.
    virtual void after_stack(HopContext&, StackPlan&) {}
};

// The rules the profile names ("timescale-update", "launch-configuration-advice", ...).
std::vector<std::unique_ptr<Rule>> make_rules(const profile::Profile& profile);

std::unique_ptr<Rule> make_timescale_rule(bool toggle_storage_integration);
std::unique_ptr<Rule> make_launch_configuration_rule();

// The profile's roles in the stack's template (declared under any of the template's names).
std::vector<const profile::Role*> roles_of(const HopContext& hop, const StackPlan& plan);
// The logical id of the role's resource in `body`, one of the stack's templates (`template_id`
// in the version it belongs to). When no resource or several fit, the plan holds: an input
// names the role, the stack and the template, and nullopt is returned.
std::optional<std::string> role_logical_id(HopContext& hop, const StackPlan& plan, const profile::Role& role,
                                           const cfn::Template& body, std::string_view template_id);
// A profile role by name, or nullopt after asking for it (the profile does not declare it).
const profile::Role* required_role(HopContext& hop, const StackPlan& plan, std::string_view name);
// The snapshot of the volume before an update that may lose it or the machine mounting it;
// once per stack and volume in a hop.
Step& write_volume_snapshot(HopContext& hop, const StackPlan& plan, const std::string& logical_id,
                            const std::string& role, std::string why);
// Finds every role of the stack in the template it runs and in its target (holding the plan
// when one is missing or ambiguous), and snapshots a role's volume before an update that may
// replace it or the machine that mounts it.
void write_role_snapshots(HopContext& hop, StackPlan& plan);
// Cluster snapshots of every role the profile backs up before migrations, when the hop runs
// any migration.
void write_backups_before_migrations(HopContext& hop);

// Shared by the planner and the rules.
void write_stack_steps(HopContext& hop, StackPlan& plan);
// The update (or set-parameters / skip) of an analysed stack, with its snapshot path when a
// stateful resource would be lost. Returns the step.
Step& write_update_step(HopContext& hop, StackPlan& plan);
void write_preflight(HopContext& hop);
void write_migrations(HopContext& hop);
FeatureState feature_state(const HopContext& hop, const profile::Feature& feature);
// The feature a condition ("if you deploy the Network Operations Center") names, and whether it
// is on; nullopt when no feature of the profile is named or no stack tells.
std::optional<FeatureState> condition_state(const HopContext& hop, std::string_view condition);
std::string stack_prefix(const PlanInputs& inputs);
std::vector<std::string> property_paths(const cfn::ResourceDiff& resource);
// What a diff of the stack's template does to each resource it touches, with the data at risk
// and the operator's acknowledgements.
std::vector<ResourceImpact> resource_impacts(const HopContext& hop, const StackPlan& plan, const cfn::TemplateDiff& diff);
// What an impact does, as a verb phrase: "would replace", "may replace", "would destroy".
std::string impact_words(cfn::Impact impact);
// "Service (AWS::ECS::Service): will-update, TaskDefinition".
std::string describe_impact(const ResourceImpact& r);

}  // namespace stackshift::plan
