#include "apply/rehearsal.hpp"

#include <algorithm>
#include <ostream>

#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "apply/rehearsal_advice.hpp"
#include "apply/step_context.hpp"
#include "cfn/deployment.hpp"

namespace stackshift::apply {

namespace {

using plan::StepKind;

// A step the executor only confirms: a person carries it out (a step not automated but of another
// kind, such as terminate-instance, is carried out by the executor once confirmed).
bool is_person_step(const plan::Step& step) { return step.kind == StepKind::manual; }

std::vector<const plan::Step*> all_steps(const plan::Plan& plan) {
    std::vector<const plan::Step*> out;
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps) out.push_back(&step);
    return out;
}

plan::FailedStep failed_step_of(const plan::Step& step) {
    plan::FailedStep f;
    f.id = step.id;
    f.title = step.title;
    f.kind = std::string(plan::step_kind_name(step.kind));
    f.stack = step.stack;
    return f;
}

// The reads made to explain a failure: the simulator may throttle them like any other call.
template <typename F>
auto patiently(cloud::Cloud& cloud, F&& call) -> decltype(call()) {
    for (int attempt = 0;; ++attempt) {
        try {
            return call();
        } catch (const cloud::CloudError& e) {
            if (!e.is_throttling() || attempt >= 20) throw;
            cloud.wait(1);
        }
    }
}

// CloudFormation's resource reasons end with "(RequestToken: ..., HandlerErrorCode: X)" when a
// resource handler refused: that is the error code; else the resource's failed status is.
std::string resource_code(const cloud::StackEvent& event) {
    const std::string marker = "HandlerErrorCode: ";
    auto at = event.status_reason.find(marker);
    if (at == std::string::npos) return event.status;
    auto start = at + marker.size();
    auto end = event.status_reason.find_first_of(") ,", start);
    return event.status_reason.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// A stack step that failed without a refused call: the first resource that failed since the
// step began, from the stack's events, and the status the stack ended in.
void read_stack_failure(cloud::Cloud& cloud, std::int64_t since_s, plan::FailedStep& step, plan::RehearsalError& error) {
    try {
        step.stack_status = patiently(cloud, [&] { return cloud.describe_stack(step.stack); }).status;
    } catch (const cloud::CloudError&) {
        // Deleted: the events still tell why.
    }
    std::vector<cloud::StackEvent> events;
    try {
        events = patiently(cloud, [&] { return cloud.describe_stack_events(step.stack, ""); });
    } catch (const cloud::CloudError&) {
        return;
    }
    const cloud::StackEvent* cause = nullptr;
    const cloud::StackEvent* stack_reason = nullptr;
    for (const auto& e : events) {
        if (e.timestamp_s < since_s) continue;
        bool failed = e.status.ends_with("_FAILED") && !e.status_reason.empty();
        bool own = e.logical_id == step.stack;
        if (failed && !own && cause == nullptr) cause = &e;
        if (own && !e.status_reason.empty() && (failed || e.status.find("ROLLBACK_IN_PROGRESS") != std::string::npos) &&
            stack_reason == nullptr)
            stack_reason = &e;
    }
    if (cause != nullptr) {
        step.logical_id = cause->logical_id;
        step.resource_type = cause->resource_type;
        error.code = resource_code(*cause);
        error.message = cause->status_reason;
    } else if (stack_reason != nullptr) {
        error.code = stack_reason->status;
        error.message = stack_reason->status_reason;
    }
}

// A migration that failed: the task it ran (the journal holds its ARN), how it stopped, its log.
void read_task_failure(cloud::Cloud& cloud, const Journal& journal, std::int64_t run, const plan::Step& step,
                       plan::RehearsalError& error) {
    std::string arn;
    for (const auto& a : journal.actions(run, step.id))
        if (a.kind == action_kind_name(ActionKind::run_task) && !a.aws_id.empty()) arn = a.aws_id;
    if (arn.empty()) return;
    try {
        error.log = patiently(cloud, [&] { return cloud.task_log_lines(arn); });
        auto stack = patiently(cloud, [&] { return cloud.describe_stack(step.stack); });
        auto cluster = step.run_task ? task_field(step, stack.outputs[step.run_task->output], plan::TaskField::cluster)
                                     : std::nullopt;
        if (!cluster) return;  // no cluster to ask: what the executor said stands
        auto tasks = patiently(cloud, [&] { return cloud.describe_tasks(*cluster, {arn}); });
        if (!tasks.empty()) {
            const auto& t = tasks.front();
            error.code = t.last_status;
            error.message = "task " + arn + ": " + (t.stopped_reason.empty() ? std::string("stopped") : t.stopped_reason) +
                            (t.exit_code ? ", exit code " + std::to_string(*t.exit_code) : std::string());
        }
    } catch (const cloud::CloudError&) {
        // What the executor said stands.
    }
}

// The first step about a stack that is not in a stable state: where a run that would not start
// (the executor checks the stacks first) meets the problem.
const plan::Step* first_step_on_unstable_stack(cloud::Cloud& cloud, const plan::Plan& plan, cloud::Stack& found) {
    std::vector<cloud::Stack> stacks;
    try {
        stacks = patiently(cloud, [&] { return cloud.describe_stacks(); });
    } catch (const cloud::CloudError&) {
        return nullptr;
    }
    for (const auto* step : all_steps(plan)) {
        if (step->stack.empty()) continue;
        for (const auto& s : stacks) {
            if (s.name != step->stack || cfn::is_stable_status(s.status)) continue;
            found = s;
            return step;
        }
    }
    return nullptr;
}

void explain_failure(cloud::Cloud& cloud, const plan::Plan& plan, const ApplyResult& result, const Journal& journal,
                     std::int64_t run, plan::Rehearsal& out) {
    plan::RehearsalError error;
    error.detail = result.message;
    error.code = result.error_code;
    error.message = result.error_message;
    const plan::Step* step = nullptr;
    for (const auto* s : all_steps(plan))
        if (s->id == result.failed_step) step = s;
    if (step == nullptr) {
        cloud::Stack stack;
        step = first_step_on_unstable_stack(cloud, plan, stack);
        if (step != nullptr) {
            out.failed_step = failed_step_of(*step);
            out.failed_step->stack_status = stack.status;
            if (error.code.empty()) {
                error.code = stack.status;
                error.message = stack.status_reason;
            }
        }
    } else {
        out.failed_step = failed_step_of(*step);
        bool stack_step = step->kind == StepKind::update_stack || step->kind == StepKind::deploy_stack ||
                          step->kind == StepKind::set_parameters || step->kind == StepKind::delete_stack;
        if (error.code.empty() && stack_step) {
            auto record = journal.step(run, step->id);
            std::int64_t since = record && record->started_ms ? *record->started_ms / 1000 : 0;
            read_stack_failure(cloud, since, *out.failed_step, error);
        } else if (error.code.empty() && step->kind == StepKind::run_migration) {
            read_task_failure(cloud, journal, run, *step, error);
        }
    }
    if (error.message.empty()) error.message = result.message;
    plan::FailedStep where = out.failed_step.value_or(plan::FailedStep{});
    out.advice = failure_advice(where, error);
    out.error = std::move(error);
}

bool acknowledged_by(const plan::Plan& plan, const plan::LostData& lost) {
    for (const auto* step : all_steps(plan)) {
        if (step->stack != lost.stack) continue;
        for (const auto& r : step->resources)
            if (r.logical_id == lost.logical_id && r.acknowledged) return true;
    }
    return false;
}

std::vector<plan::PersonStep> person_steps(const plan::Plan& plan, const std::string& stopped_at) {
    std::vector<plan::PersonStep> out;
    bool reached = true;
    for (const auto* step : all_steps(plan)) {
        if (is_person_step(*step))
            out.push_back({step->id, step->title, std::string(plan::step_kind_name(step->kind)), step->details, reached});
        if (step->id == stopped_at) reached = false;
    }
    return out;
}

}  // namespace

plan::Rehearsal rehearse(const plan::Plan& plan, const std::string& fingerprint, cloud::Cloud& cloud,
                         const RehearsalOptions& options) {
    plan::Rehearsal out;
    out.deployment = plan.deployment;
    out.from = plan.from.to_string();
    out.to = plan.to.to_string();
    std::int64_t start_s = cloud.clock_s();

    // Run: the real executor, every confirmation answered, journaled in memory, silent.
    Journal journal(std::string(in_memory_journal), JournalAccess::create_or_open, [&cloud] { return cloud.clock_s() * 1000; });
    std::int64_t run = journal.begin_run({plan.deployment, fingerprint, out.from, out.to}, journal_steps(plan));
    std::ostream nowhere(nullptr);
    Progress progress(nowhere, [&cloud] { return cloud.clock_s(); });
    ExecutorOptions eo;
    eo.yes = true;
    // A rehearsal changes nothing real: it accepts even what only a person may accept on AWS.
    eo.confirm = [](const std::string&) { return true; };
    eo.container = options.container;
    eo.secret = options.secret;
    eo.on_hop_done = options.on_hop_done;
    if (options.read_template) eo.read_template = options.read_template;
    eo.template_bucket = options.template_bucket;
    Executor executor(cloud, journal, progress, eo);
    ApplyResult result = executor.run(plan, run, fingerprint);

    // Measure before explaining: the reads that explain a failure are not the upgrade's.
    out.clock_s = cloud.clock_s() - start_s;
    if (options.world) {
        WorldFacts facts = options.world();
        out.api_calls = std::move(facts.api_calls);
        out.data_lost = std::move(facts.data_lost);
    }
    for (auto& lost : out.data_lost) lost.acknowledged = acknowledged_by(plan, lost);

    bool failed = result.outcome != ApplyOutcome::succeeded;
    out.verdict = failed ? plan::Verdict::would_fail : plan::Verdict::would_succeed;
    if (failed) explain_failure(cloud, plan, result, journal, run, out);
    // Fail closed: data the plan did not acknowledge is a failure, whatever the steps did.
    for (const auto& lost : out.data_lost) {
        if (lost.acknowledged || lost.system_disk) continue;
        out.verdict = plan::Verdict::would_fail;
        out.advice.push_back(lost_data_advice(lost));
    }

    int total = static_cast<int>(all_steps(plan).size());
    out.steps.total = total;
    out.steps.done = result.steps_done;
    out.steps.skipped = result.steps_skipped;
    out.steps.failed = result.failed_step.empty() ? 0 : 1;  // none when the run did not start
    out.steps.not_run = std::max(0, total - out.steps.done - out.steps.skipped - out.steps.failed);
    out.manual_steps = person_steps(plan, result.failed_step);
    bool started = !failed || !result.failed_step.empty();
    if (!started)
        for (auto& p : out.manual_steps) p.reached = false;
    return out;
}

plan::Rehearsal blocked_rehearsal(const plan::Plan& plan) {
    plan::Rehearsal out;
    out.verdict = plan::Verdict::blocked;
    out.deployment = plan.deployment;
    out.from = plan.from.to_string();
    out.to = plan.to.to_string();
    out.advice = blocked_advice(plan);
    out.steps.total = static_cast<int>(all_steps(plan).size());
    out.steps.not_run = out.steps.total;
    out.manual_steps = person_steps(plan, "");
    for (auto& p : out.manual_steps) p.reached = false;
    return out;
}

}  // namespace stackshift::apply
