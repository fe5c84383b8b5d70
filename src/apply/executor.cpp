#include "apply/executor.hpp"

#include <algorithm>
#include <csignal>
#include <map>

#include "apply/step_acceptance.hpp"
#include "apply/step_context.hpp"
#include "plan/confirmation.hpp"
#include "cfn/deployment.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"

namespace stackshift::apply {

namespace {

using plan::StepKind;

bool in_progress(std::string_view status) { return status.ends_with("_IN_PROGRESS"); }

std::string default_read(const std::string& path) {
    auto text = read_file(path);
    if (!text) throw Error(ExitCode::failure, to_string(text.diagnostics()));
    return std::move(text).value();
}

// The steps that ask nothing of AWS.
StepOutcome run_preflight(StepContext&, const plan::Step&) {
    return StepOutcome::done;  // the stacks were checked before the first step; this records it in the run
}

StepOutcome run_skip(StepContext& ctx, const plan::Step& step) {
    if (!step.reason.empty()) ctx.progress.note(step.reason);
    return StepOutcome::skipped;
}

StepOutcome run_wait(StepContext& ctx, const plan::Step& step) {
    ctx.progress.status("waiting " + format_duration(step.wait_seconds));
    ctx.pacer.pause(step.wait_seconds);
    return StepOutcome::done;
}

StepOutcome run_manual(StepContext&, const plan::Step&) {
    return StepOutcome::done;  // confirmed before it ran: the operator did it
}

// The dispatch table: one handler per step kind (step_context.hpp says how to add one).
struct Handler {
    StepKind kind;
    StepHandler run;
};
constexpr Handler handlers[] = {
    {StepKind::preflight, run_preflight},
    {StepKind::update_stack, run_change_set_step},
    {StepKind::deploy_stack, run_change_set_step},
    {StepKind::set_parameters, run_parameter_update},
    {StepKind::skip_stack, run_skip},
    {StepKind::delete_stack, run_stack_deletion},
    {StepKind::snapshot_volume, run_volume_snapshot},
    {StepKind::terminate_instance, run_instance_termination},
    {StepKind::snapshot_database, run_database_snapshot},
    {StepKind::run_migration, run_migration_task},
    {StepKind::wait, run_wait},
    {StepKind::manual, run_manual},
    {StepKind::check_services, run_service_check},
    {StepKind::refresh_instances, run_instance_refresh},
};

StepHandler handler_of(StepKind kind) {
    for (const auto& h : handlers)
        if (h.kind == kind) return h.run;
    throw StepFailure("apply cannot carry out a " + std::string(plan::step_kind_name(kind)) + " step");
}

RunOutcome journal_outcome(ApplyOutcome outcome) {
    switch (outcome) {
    case ApplyOutcome::stopped: return RunOutcome::stopped;
    case ApplyOutcome::interrupted: return RunOutcome::interrupted;
    case ApplyOutcome::succeeded: return RunOutcome::succeeded;
    case ApplyOutcome::failed: break;
    }
    return RunOutcome::failed;
}

}  // namespace

Executor::Executor(cloud::Cloud& cloud, Journal& journal, Progress& progress, ExecutorOptions options)
    : m_cloud(cloud), m_journal(journal), m_progress(progress), m_options(std::move(options)) {
    if (!m_options.read_template) m_options.read_template = default_read;
}

ApplyResult Executor::end(ApplyOutcome outcome, const std::string& step_id, const std::string& message) {
    m_result.outcome = outcome;
    m_result.failed_step = step_id;
    m_result.message = message;
    m_journal.record_elapsed(m_run, m_progress.elapsed_s());  // before the end: a resume continues from it
    m_journal.end_run(m_run, journal_outcome(outcome), message);
    return m_result;
}

std::optional<std::string> Executor::unstable_stacks(const plan::Plan& plan,
                                                     const std::map<std::string, StepStatus, std::less<>>& recorded) {
    std::vector<std::string> planned;
    std::vector<std::string> tolerated;  // stacks of steps this run was in when it ended
    for (const auto& hop : plan.hops) {
        for (const auto& step : hop.steps) {
            planned.push_back(step.stack);
            auto it = recorded.find(step.id);
            if (it != recorded.end() && it->second == StepStatus::started) tolerated.push_back(step.stack);
        }
    }
    auto has = [](const std::vector<std::string>& names, const std::string& name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    Pacer pacer(m_cloud, m_options);
    std::vector<std::string> problems;
    for (const auto& stack : pacer.retry([&] { return m_cloud.describe_stacks(); })) {
        if (!has(planned, stack.name)) continue;
        if (in_progress(stack.status) && has(tolerated, stack.name)) continue;
        if (!cfn::is_stable_status(stack.status)) problems.push_back(stack.name + " is " + stack.status);
    }
    m_result.throttled += pacer.throttled();
    if (problems.empty()) return std::nullopt;
    std::string message = "not starting: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return message + ". Bring the stack to a *_COMPLETE state first (wait for it, or continue its rollback), then run again";
}

std::optional<ApplyResult> Executor::refuse_to_start(const plan::Plan& plan,
                                                    const std::map<std::string, StepStatus, std::less<>>& recorded) {
    // A template CloudFormation would refuse inline, with nowhere to upload it, stops the run
    // before anything is sent; so does a stack in progress (other than one this run was waiting
    // for) or failed.
    if (auto oversized = oversized_template(plan, recorded)) return end(ApplyOutcome::stopped, oversized->first, oversized->second);
    try {
        if (auto problem = unstable_stacks(plan, recorded)) return end(ApplyOutcome::failed, "", *problem);
    } catch (const cloud::CloudError& e) {
        m_result.error_code = e.code();
        m_result.error_message = e.message();
        return end(ApplyOutcome::failed, "", std::string("checking the stacks: ") + e.what());
    } catch (const Interrupted& stop) {
        m_result.signal = stop.signal;
        return end(ApplyOutcome::interrupted, "", "interrupted while checking the stacks, before the first step");
    }
    return std::nullopt;
}

ApplyResult Executor::run(const plan::Plan& plan, std::int64_t run_id, const std::string& fingerprint) {
    m_run = run_id;
    m_fingerprint = fingerprint;
    m_result = {};
    std::map<std::string, StepStatus, std::less<>> recorded;
    for (const auto& s : m_journal.steps(run_id)) recorded[s.step_id] = s.status;
    if (auto refused = refuse_to_start(plan, recorded)) return *refused;

    Pacer pacer(m_cloud, m_options);
    Driver driver(m_journal, m_progress, pacer, run_id, fingerprint);
    int total = 0;
    for (const auto& hop : plan.hops) total += static_cast<int>(hop.steps.size());
    m_progress.begin(plan);
    int position = 0;
    for (const auto& hop : plan.hops) {
        for (const auto& step : hop.steps) {
            ++position;
            auto it = recorded.find(step.id);
            if (it != recorded.end() && (it->second == StepStatus::done || it->second == StepStatus::skipped)) {
                m_progress.step_done_earlier(position, total, step, step_status_name(it->second));
                ++m_result.steps_already_done;
                continue;
            }
            std::optional<ApplyResult> ended = carry_out(step, position, total, pacer, driver);
            if (ended) return *ended;
        }
        if (m_options.on_hop_done) m_options.on_hop_done(hop);
    }
    m_result.throttled += pacer.throttled();
    m_result.outstanding = outstanding_work(plan);
    return end(ApplyOutcome::succeeded, "", m_result.outstanding.empty() ? std::string()
                                                                          : std::to_string(m_result.outstanding.size()) +
                                                                                " step(s) of manual work outstanding");
}

std::optional<ApplyResult> Executor::carry_out(const plan::Step& step, int position, int total, Pacer& pacer, Driver& driver) {
    try {
        pacer.check_stop();
        m_progress.step_started(position, total, step);
        StepOutcome outcome = run_step(step, pacer, driver);
        m_progress.step_ended(step, step_outcome_name(outcome));
        return std::nullopt;
    } catch (const Interrupted& stop) {
        // The step stays as the journal has it (started, or pending when it had not begun): a
        // resume re-attaches to its action in flight.
        std::string message = "interrupted by " + std::string(stop.signal == SIGTERM ? "SIGTERM" : "SIGINT") + " at step " + step.id;
        m_progress.step_failed(step, true, message);
        m_result.signal = stop.signal;
        m_result.throttled += pacer.throttled();
        return end(ApplyOutcome::interrupted, step.id, message);
    } catch (const StepStopped& e) {
        m_progress.step_failed(step, true, e.what());
        m_result.throttled += pacer.throttled();
        return end(ApplyOutcome::stopped, step.id, e.what());
    } catch (const Error&) {
        throw;  // the journal cannot be written: nothing more may happen
    } catch (const std::exception& e) {
        std::string message = e.what();
        if (const auto* refused = dynamic_cast<const cloud::CloudError*>(&e)) {
            m_result.error_code = refused->code();
            m_result.error_message = refused->message();
        }
        m_journal.finish_step(m_run, step.id, StepStatus::failed, message);
        m_progress.step_failed(step, false, message);
        m_result.throttled += pacer.throttled();
        return end(ApplyOutcome::failed, step.id, message);
    }
}

StepOutcome Executor::run_step(const plan::Step& step, Pacer& pacer, Driver& driver) {
    StepContext ctx{m_cloud, m_journal, m_progress, m_options, pacer, driver};
    if (m_options.skipped.count(step.id) != 0) {  // --skip: the plan marked it skippable
        m_progress.note("skipped by --skip " + step.id);
        m_journal.start_step(m_run, step.id);
        m_journal.finish_step(m_run, step.id, StepStatus::skipped, "skipped by --skip");
        count(step, StepOutcome::skipped);
        return StepOutcome::skipped;
    }
    Acceptance accepted = accept_step(ctx, step);
    m_journal.start_step(m_run, step.id);
    StepOutcome outcome = handler_of(step.kind)(ctx, step);
    // A person's work that --yes accepted was not said done by anyone: it stays outstanding.
    if (accepted == Acceptance::by_yes && plan::is_person_work(step)) outcome = StepOutcome::outstanding;
    StepStatus status = outcome == StepOutcome::skipped ? StepStatus::skipped : StepStatus::done;
    m_journal.finish_step(m_run, step.id, status, step_outcome_name(outcome));
    count(step, outcome);
    return outcome;
}

std::vector<std::string> Executor::outstanding_work(const plan::Plan& plan) const {
    std::map<std::string, std::string, std::less<>> titles;
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps) titles[step.id] = step.title;
    std::vector<std::string> out;
    for (const auto& s : m_journal.steps(m_run))
        if (s.status == StepStatus::done && s.message == step_outcome_name(StepOutcome::outstanding))
            out.push_back(s.step_id + ": " + titles[s.step_id]);
    return out;
}

void Executor::count(const plan::Step& step, StepOutcome outcome) {
    if (outcome == StepOutcome::skipped) {
        ++m_result.steps_skipped;
        return;
    }
    ++m_result.steps_done;
    bool stack_change = step.kind == StepKind::update_stack || step.kind == StepKind::deploy_stack ||
                        step.kind == StepKind::set_parameters;
    if (outcome == StepOutcome::unchanged) ++m_result.stacks_unchanged;
    else if (stack_change) ++m_result.stacks_updated;
    if (step.kind == StepKind::run_migration) ++m_result.migrations;
}

std::optional<std::pair<std::string, std::string>> Executor::oversized_template(
    const plan::Plan& plan, const std::map<std::string, StepStatus, std::less<>>& recorded) {
    if (!m_options.template_bucket.empty()) return std::nullopt;
    for (const auto& hop : plan.hops) {
        for (const auto& step : hop.steps) {
            bool sends_template = step.kind == StepKind::update_stack || step.kind == StepKind::deploy_stack;
            auto status = recorded.find(step.id);
            bool finished = status != recorded.end() && (status->second == StepStatus::done || status->second == StepStatus::skipped);
            if (!sends_template || finished) continue;
            std::size_t size = 0;
            try {
                size = m_options.read_template(step.template_file).size();
            } catch (const std::exception&) {
                continue;  // the step reports a template it cannot read when it runs, as before
            }
            if (size <= cloud::max_template_body_bytes) continue;
            return std::pair{step.id, "step " + step.id + ": the template " + step.template_file + " is " + std::to_string(size) +
                                          " bytes, over CloudFormation's TemplateBody limit of " +
                                          std::to_string(cloud::max_template_body_bytes) +
                                          " bytes; nothing was sent. Give an S3 bucket to upload it to with --template-bucket BUCKET "
                                          "(it goes to s3://BUCKET/" + template_key(step.id, m_fingerprint) + ") and run again"};
        }
    }
    return std::nullopt;
}

}  // namespace stackshift::apply
