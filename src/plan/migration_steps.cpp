// The database migrations of a hop, as run-migration steps: each with the command the profile
// says runs it and the releases that require it. A migration the release notes make conditional
// on a feature ("if you use the storage integration") is decided from the parameters the
// profile maps that feature to: required when it is on, skipped when it is off; otherwise a
// person decides from the notes and answers in the values file (migrations:), which holds
// the plan until then.

#include <algorithm>

#include "core/text.hpp"
#include "plan/migration_image.hpp"
#include "plan/planning.hpp"

namespace stackshift::plan {

namespace {

std::string run_task_hint(const HopContext& hop, const std::vector<std::string>& command) {
    const auto& run = *hop.inputs.profile.migrations;
    std::string overrides = "{\"containerOverrides\":[{\"name\":\"" + run.container + "\",\"command\":[";
    for (std::size_t i = 0; i < command.size(); ++i) overrides += (i ? ",\"" : "\"") + command[i] + "\"";
    overrides += "]}]}";
    return "aws ecs run-task --launch-type " + run.launch_type +
           " --cluster CLUSTER_NAME --task-definition TASK_DEFINITION --network-configuration "
           "'awsvpcConfiguration={subnets=[SUBNET_ONE,SUBNET_TWO],securityGroups=[SECURITY_GROUP]}' --overrides '" +
           overrides + "' (the names from the " + run.task_arguments_output + " output of the " + run.after_stack +
           " stack, read after its update)";
}

std::vector<std::string> versions_text(const std::vector<Version>& versions) {
    std::vector<std::string> out;
    for (const auto& v : versions) out.push_back(v.to_string());
    return out;
}

// A conditional operation decided from the features its conditions name: required when one is
// on, not needed when every condition names a feature that is off; nullopt when some condition
// names no feature, or no stack tells.
std::optional<FeatureState> decide_condition(const HopContext& hop, const release::PlannedOperation& op) {
    if (!op.conditional || op.conditions.empty()) return std::nullopt;
    std::optional<FeatureState> off;
    for (const auto& c : op.conditions) {
        auto state = condition_state(hop, c.sentence);
        if (!state) return std::nullopt;
        if (*state->on) return state;
        if (!off) off = std::move(state);
    }
    return off;
}

// A conditional operation the deployment does not need: a step that says so, for a person to see.
void write_not_needed(HopContext& hop, const release::PlannedOperation& op, const std::string& reason,
                      const std::string& evidence) {
    Step& step = hop.add(StepKind::manual, "Skip " + op.command + ": " + reason, Risk::info, op.database);
    step.automated = false;
    step.database = op.database;
    step.required_by = versions_text(op.required_by);
    step.details.push_back("skipped: " + reason + " (" + evidence + ")");
    for (const auto& c : op.conditions) step.details.push_back("  " + c.source.to_string() + ": " + c.sentence);
    for (const auto& source : op.sources) step.why.push_back("release notes " + source.to_string());
}

// A conditional operation no feature decides is a question: the values file answers it under
// `migrations:`; until then it holds the plan.
void ask(HopContext& hop, const release::PlannedOperation& op, const Step& step) {
    std::vector<std::string> conditions;
    for (const auto& c : op.conditions) conditions.push_back(c.source.to_string() + ": " + c.sentence);
    Input input;
    input.stack = step.stack;
    input.template_id = step.template_id;
    input.migration = op.command;
    input.why = "only some deployments need it (" + join(conditions, "; ") + "); decide from the release notes and "
                "answer in the values file: migrations: {" + op.command + ": run} or skip";
    hop.plan.inputs.push_back(std::move(input));
}

void write_operation(HopContext& hop, const release::PlannedOperation& op, bool init) {
    const auto& run = hop.inputs.profile.migrations;
    auto decided = decide_condition(hop, op);
    if (decided && !*decided->on)
        return write_not_needed(hop, op, "the " + decided->feature->name + " is off", join(decided->evidence, ", "));
    const MigrationAnswer* answer = nullptr;
    if (op.conditional && !decided) {
        auto it = hop.inputs.values.migrations.find(op.command);
        if (it != hop.inputs.values.migrations.end()) answer = &it->second;
        if (answer && !answer->run)
            return write_not_needed(hop, op, "the values file says skip", hop.inputs.values.file + ": migrations");
    }
    bool conditional = op.conditional && !decided && !answer;
    std::string verb = init ? "Initialize" : "Migrate";
    Step& step = hop.add(StepKind::run_migration, verb + " " + op.database + " (" + op.command + ") with the " +
                                                      op.run_with.to_string() + " image",
                         conditional ? Risk::caution : Risk::info, op.database);
    step.database = op.database;
    step.required_by = versions_text(op.required_by);
    step.conditional = conditional;
    step.skippable = conditional;
    step.automated = !conditional && run.has_value() && !op.last_version_with_command;
    if (run) {
        step.command = run->command_for(op.database);
        if (init && !run->init_command.empty()) {
            step.command.clear();
            for (const auto& part : run->init_command)
                step.command.push_back(part == "{database}" ? op.database : part);
        }
        step.stack = stack_prefix(hop.inputs) + run->after_stack;
        step.template_id = run->after_stack;
        step.resource_output = run->task_arguments_output;
        step.run_task = RunTaskSpec{run->task_arguments_output, run->task_fields, run->container, run->launch_type};
        step.image = migration_image(hop, op).value_or("");
        step.details.push_back(run_task_hint(hop, step.command));
    } else {
        step.command = {op.database, init ? "init" : "migrate"};
        step.details.push_back("the profile does not say how migrations run here: run " + op.command + " by hand");
    }
    for (const auto& source : op.sources) step.why.push_back("release notes " + source.to_string());
    if (decided) {
        step.details.push_back("required: the " + decided->feature->name + " is on (" + join(decided->evidence, ", ") + ")");
        for (const auto& c : op.conditions) step.details.push_back("  " + c.source.to_string() + ": " + c.sentence);
    } else if (answer) {
        step.details.push_back("required: the values file says run (" + hop.inputs.values.file + ": migrations)");
        for (const auto& c : op.conditions) step.details.push_back("  " + c.source.to_string() + ": " + c.sentence);
    } else if (op.conditional) {
        step.details.push_back("only some deployments need it; decide from the release notes:");
        for (const auto& c : op.conditions) step.details.push_back("  " + c.source.to_string() + ": " + c.sentence);
        ask(hop, op, step);
    }
    if (op.last_version_with_command) {
        step.details.push_back("the command was removed in " + (op.removed_in ? op.removed_in->to_string() : "a later release") +
                               "; run it with the " + op.last_version_with_command->to_string() +
                               " image, the last that has it");
        hop.plan.warnings.push_back(op.command + " was removed before " + hop.to.to_string() + "; run it with the " +
                                    op.last_version_with_command->to_string() + " image");
    }
}

}  // namespace

FeatureState feature_state(const HopContext& hop, const profile::Feature& feature) {
    std::vector<std::pair<std::string, bool>> seen;  // "stack/parameter = value", whether it is on
    for (const auto& fp : feature.parameters)
        for (const auto& plan : hop.plans) {
            if (plan.optional_new || (plan.target_id != fp.template_id && plan.old_id != fp.template_id)) continue;
            if (auto value = plan.value_after(fp.parameter))
                seen.emplace_back(plan.stack + "/" + fp.parameter + " = " + *value, *value == fp.on);
        }
    FeatureState out{&feature, std::nullopt, {}};
    if (seen.empty()) return out;
    out.on = std::any_of(seen.begin(), seen.end(), [](const auto& s) { return s.second; });
    for (const auto& [text, on] : seen)
        if (on == *out.on) out.evidence.push_back(text);  // what makes it on, or everything that says off
    return out;
}

std::optional<FeatureState> condition_state(const HopContext& hop, std::string_view condition) {
    const profile::Feature* feature = hop.inputs.profile.feature_in(condition);
    if (!feature) return std::nullopt;
    FeatureState state = feature_state(hop, *feature);
    if (!state.on) return std::nullopt;
    return state;
}

void write_migrations(HopContext& hop) {
    auto migrations = hop.migrations.migrations;
    // A waypoint that names a database wants its migration run at the stop, even when no release
    // of this hop asks for it again.
    if (hop.stop && !hop.stop->database.empty()) {
        bool present = std::any_of(migrations.begin(), migrations.end(),
                                   [&](const release::PlannedOperation& op) { return op.database == hop.stop->database; });
        if (!present) {
            release::PlannedOperation op;
            op.database = hop.stop->database;
            op.command = hop.stop->database + " migrate";
            op.run_with = hop.to;
            op.sources.push_back({hop.stop->source, 0});
            migrations.push_back(op);
        }
    }
    for (const auto& op : hop.migrations.inits) write_operation(hop, op, true);
    for (const auto& op : migrations) write_operation(hop, op, false);
    for (const auto& removed : hop.migrations.removed)
        hop.plan.warnings.push_back(removed.command + " was removed in " + removed.version.to_string() + " (" +
                                    removed.source.to_string() + ")");
}

}  // namespace stackshift::plan
