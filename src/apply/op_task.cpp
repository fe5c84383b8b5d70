// A migration as an ECS task: started with the startedBy token the key derives (a resumed run
// finds the task by it), after checking the task definition runs the image the plan names.

#include <algorithm>
#include <sstream>

#include "apply/step_context.hpp"
#include "core/text.hpp"

namespace stackshift::apply {

namespace {

std::vector<std::string> split_words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    std::string word;
    while (in >> word) out.push_back(word);
    return out;
}

// Before a migration task starts: the task definition it would run (`task_definition`, from the
// step's output) runs the image the plan expects for the hop; throws StepFailure naming both
// images and the fix otherwise, and when the step names no image (fail closed).
void check_migration_image(StepContext& ctx, const plan::Step& step, const std::string& task_definition) {
    std::string fix = "the stack " + step.stack + " was not updated to this hop's version, or its output " +
                      step.resource_output + " names an old revision: check the stack, then run again with --resume";
    if (step.image.empty())
        throw StepFailure("step " + step.id + " does not say which image its migration must run with (a plan made "
                          "before apply checked migration images, or one with inputs still to give): make the plan "
                          "again; apply does not start a migration whose image it cannot check");
    cloud::TaskDefinition definition;
    try {
        definition = ctx.retry([&] { return ctx.cloud.describe_task_definition(task_definition); });
    } catch (const cloud::CloudError& e) {
        throw StepFailure("the task definition " + task_definition + " that " + step.resource_output + " of " + step.stack +
                          " names cannot be described (" + e.what() + "): " + fix);
    }
    if (definition.status != "ACTIVE")
        throw StepFailure("the task definition " + definition.arn + " that " + step.resource_output + " of " + step.stack +
                          " names is " + definition.status + " (replaced), so no migration can run with it: " + fix);
    // The container whose command the task overrides must run the image; without one named,
    // any container may.
    const std::string& container = ctx.options.container;
    std::vector<std::string> images;
    for (const auto& c : definition.containers)
        if (container.empty() || c.name == container) images.push_back(c.image);
    if (std::find(images.begin(), images.end(), step.image) != images.end()) {
        ctx.progress.note("task definition " + definition.arn + " runs " + step.image);
        return;
    }
    std::string runs = images.empty() ? "has no container named '" + container + "'"
                                      : "runs " + join(images, ", ") + (container.empty() ? "" : " in container '" + container + "'");
    throw StepFailure("not starting " + step.id + " (" + join(step.command, " ") + "): the task definition " +
                      definition.arn + " " + runs + ", but this hop's migration must run with " + step.image + "; " + fix);
}

std::string field_names(const std::vector<plan::TaskField>& fields) {
    std::string out;
    for (auto f : fields) out += (out.empty() ? "" : " ") + std::string(profile::task_argument_name(f));
    return out;
}

// The RunTask request of a migration step: the output's words put where the plan's run-task
// spec says (the profile's migrations.task_arguments), the step's command in the spec's container.
cloud::RunTaskRequest task_request(StepContext& ctx, const plan::Step& step, const std::string& token) {
    if (!step.run_task || step.run_task->fields.empty())
        throw StepFailure("step " + step.id + " does not say how its task starts (the profile's migrations.task_arguments "
                          "names no fields of " + step.resource_output + "): name them in the profile and make the plan again");
    const plan::RunTaskSpec& spec = *step.run_task;
    std::string value = ctx.output_of(step, spec.output);
    auto words = split_words(value);
    if (words.size() != spec.fields.size())
        throw StepFailure("output " + spec.output + " of " + step.stack + " is '" + value + "': " + std::to_string(words.size()) +
                          " field(s), but the profile's migrations.task_arguments expects " +
                          std::to_string(spec.fields.size()) + " (" + field_names(spec.fields) + ")");
    cloud::RunTaskRequest request;
    for (std::size_t i = 0; i < words.size(); ++i) {
        switch (spec.fields[i]) {
        case plan::TaskField::task_definition: request.task_definition = words[i]; break;
        case plan::TaskField::cluster: request.cluster = words[i]; break;
        case plan::TaskField::subnet: request.subnets.push_back(words[i]); break;
        case plan::TaskField::security_group: request.security_groups.push_back(words[i]); break;
        }
    }
    request.container = spec.container.empty() ? ctx.options.container : spec.container;
    request.command = step.command;
    request.started_by = token;
    request.launch_type = spec.launch_type;
    return request;
}

class MigrationTask final : public Operation {
public:
    MigrationTask(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step) {}

    ActionKind kind() const override { return ActionKind::run_task; }
    std::string name(const OperationKey& key, const ActionRecord*) override {
        m_token = task_token(key.step_id, key.fingerprint, key.attempt);
        return m_token;
    }
    std::string describe(const std::string& arn) const override { return "task " + arn; }

    std::optional<std::string> find(const OperationKey&, const std::string& token) override {
        auto found = m_ctx.retry([&] { return m_ctx.cloud.list_tasks(request().cluster, token); });
        if (found.empty()) return std::nullopt;
        return found.front();
    }

    Started start(const OperationKey&, const std::string&) override {
        const auto& r = request();
        check_migration_image(m_ctx, m_step, r.task_definition);
        std::string arn = m_ctx.retry([&] { return m_ctx.cloud.run_task(r); });
        m_ctx.progress.note("task " + arn + ": " + join(m_step.command, " "));
        return {arn, false};
    }

    Polled poll(const std::string& arn) override {
        const std::string& cluster = request().cluster;
        auto tasks = m_ctx.retry([&] { return m_ctx.cloud.describe_tasks(cluster, {arn}); });
        if (tasks.empty()) return Polled::failed("task " + arn + " is not known to ECS");
        const auto& task = tasks.front();
        m_ctx.progress.status("task " + task.last_status);
        if (task.last_status != "STOPPED") return Polled::running();
        if (task.exit_code && *task.exit_code == 0) return Polled::done();
        std::string code = task.exit_code ? std::to_string(*task.exit_code) : "none (" + task.stopped_reason + ")";
        return Polled::failed("migration task " + arn + " exited with code " + code, last_log_lines(arn));
    }

private:
    // The request from the words of the step's output, read once (the output of a stack the
    // plan updated before), with this attempt's token.
    const cloud::RunTaskRequest& request() {
        if (!m_request) m_request = task_request(m_ctx, m_step, m_token);
        return *m_request;
    }

    std::string last_log_lines(const std::string& arn) {
        std::vector<std::string> lines;
        try {
            lines = m_ctx.retry([&] { return m_ctx.cloud.task_log_lines(arn); });
        } catch (const cloud::CloudError&) {
            // The log is a help to the reader: the failure stands without it.
        }
        if (lines.size() > 20) lines.erase(lines.begin(), lines.end() - 20);
        std::string out = lines.empty() ? "" : "; its last log lines:";
        for (const auto& line : lines) out += "\n    " + line;
        return out;
    }

    StepContext& m_ctx;
    const plan::Step& m_step;
    std::string m_token;
    std::optional<cloud::RunTaskRequest> m_request;
};

}  // namespace

std::optional<std::string> task_field(const plan::Step& step, const std::string& output_value, plan::TaskField field) {
    if (!step.run_task) return std::nullopt;
    auto words = split_words(output_value);
    const auto& fields = step.run_task->fields;
    for (std::size_t i = 0; i < fields.size() && i < words.size(); ++i)
        if (fields[i] == field) return words[i];
    return std::nullopt;
}

StepOutcome run_migration_task(StepContext& ctx, const plan::Step& step) {
    MigrationTask task(ctx, step);
    ctx.driver.run(step.id, task);
    return StepOutcome::done;
}

}  // namespace stackshift::apply
