// stackshift apply: computes the plan as `plan` does (or reads a saved plan, --plan FILE, refused
// when the deployment changed since it was made), then carries it out through a Cloud with
// the executor, journaled and resumable, on the backend --backend names (cli/backend.hpp). Exit codes: 0 done (or, with
// --resume, the run already finished), 1 failed or stopped (with the resume command), 2 bad input, 3 the plan is blocked
// (nothing was done), 130 / 143 interrupted by SIGINT / SIGTERM (128 + the signal, as a shell reports a process the signal
// killed: scripts that test for it keep working; the run is recorded interrupted, with the resume command).

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sys/ioctl.h>
#include <unistd.h>


#include "apply/deployment_lock.hpp"
#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply/lock.hpp"
#include "apply/progress.hpp"
#include "cli/backend.hpp"
#include "cli/commands.hpp"
#include "cli/lock_options.hpp"
#include "cli/output.hpp"
#include "cli/plan_source.hpp"
#include "cli/plan_to_run.hpp"
#include "cli/resume_changes.hpp"
#include "cli/stop_signals.hpp"
#include "cli/version.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/step_choices.hpp"
#include "plan/planner.hpp"
#include "render/plan_render.hpp"

namespace stackshift::cli {

namespace {

struct ApplyOptions {
    PlanSource source;
    std::string journal = std::string(apply::default_journal_file);
    bool yes = false;
    bool resume = false;
    std::string template_bucket;
    std::vector<std::string> confirm;  // --confirm STEP_ID
    std::vector<std::string> skip;     // --skip STEP_ID
};

// Asked before each redraw of the status area: the operator may resize the window mid-run.
apply::TerminalSize terminal_size() {
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return {};
    return {size.ws_col, size.ws_row};
}

std::string resume_command(const ApplyOptions& o) {
    const auto& r = o.source.request;
    std::vector<std::string> words = {"stackshift", "apply", "--backend", o.source.backend};
    if (o.source.saved_plan.empty()) words.insert(words.end(), {"--releases", r.releases_path, "--to", r.to});
    else words.insert(words.end(), {"--plan", o.source.saved_plan});
    const auto& aws = o.source.aws;
    for (const auto& [flag, value] : std::vector<std::pair<std::string, std::string>>{
             {"--stack-prefix", o.source.stack_prefix}, {"--region", aws.region}, {"--profile", aws.profile},
             {"--endpoint-url", aws.endpoint_url}, {"--aws-cli", aws.cli}})
        if (!value.empty()) words.insert(words.end(), {flag, value});
    if (!r.from.empty()) words.insert(words.end(), {"--from", r.from});
    if (!r.values_path.empty()) words.insert(words.end(), {"--values", r.values_path});
    for (const auto& a : r.allow_replace) words.insert(words.end(), {"--allow-replace", a});
    if (r.profile != plan::PlanRequest{}.profile) words.insert(words.end(), {"--product", r.profile});
    words.insert(words.end(), {"--journal", o.journal});
    if (!o.template_bucket.empty()) words.insert(words.end(), {"--template-bucket", o.template_bucket});
    for (const auto& id : o.confirm) words.insert(words.end(), {"--confirm", id});
    for (const auto& id : o.skip) words.insert(words.end(), {"--skip", id});
    if (o.yes) words.emplace_back("--yes");
    words.emplace_back("--resume");
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + shell_quote(w);
    return out;
}

// The deployment a run's plan was made from, kept beside the journal so that --resume plans
// from the same state (the stacks it already updated would change the plan). NoEcho values
// stay masked, as in every snapshot.
std::string plan_deployment_path(const std::string& journal) { return journal + ".deployment.json"; }

// The latest run of this plan (deployment and fingerprint) when it succeeded: --resume has
// nothing to continue then.
std::optional<apply::RunRecord> finished_run(const apply::Journal& journal, const std::string& deployment,
                                             const std::string& fingerprint) {
    for (const auto& run : journal.runs()) {  // newest first
        if (run.deployment != deployment || run.plan_fingerprint != fingerprint) continue;
        if (run.outcome == apply::RunOutcome::succeeded) return run;
        return std::nullopt;
    }
    return std::nullopt;
}

// Runs the plan; whatever escapes the executor (a journal that cannot be written, a template
// that cannot be read, any other exception) first ends the run in the journal as failed, with
// its message, and erases the status area, so that no run is left "running" by an error.
apply::ApplyResult run_recorded(apply::Executor& executor, const plan::Plan& plan, std::int64_t run_id,
                                const std::string& fingerprint, apply::Journal& journal, apply::Progress& progress) {
    try {
        return executor.run(plan, run_id, fingerprint);
    } catch (const std::exception& e) {
        progress.restore();
        try {
            journal.record_elapsed(run_id, progress.elapsed_s());
            journal.end_run(run_id, apply::RunOutcome::failed, e.what());
        } catch (const std::exception& also) {
            // The journal itself failed: the run stays as the journal has it; say so beside the cause.
            std::cerr << "stackshift: error: the run could not be recorded as failed: " << also.what() << '\n';
        }
        throw;
    }
}

// Ends apply before its first step with this exit code, once it said why; the locks are released
// on the way out.
struct EarlyExit {
    int code = 0;
};

// A plan that needs input, holds an unacknowledged danger or an export conflict is not applied.
[[noreturn]] void refuse_blocked(const plan::Plan& plan) {
    std::cerr << render::plan_text(plan, false);
    std::cerr << "stackshift: error: the plan cannot be applied as it is: " << blocked_reason(plan) << "; nothing was changed\n";
    throw EarlyExit{static_cast<int>(ExitCode::needs_input)};
}

// The lock of the deployment, taken for this run before its first step (see apply/deployment_lock.hpp).
apply::DeploymentLock take_deployment_lock(const ApplyOptions& o, const std::string& name, cloud::Cloud& cloud) {
    apply::DeploymentLock::Options lock_options;
    lock_options.unlock_command = unlock_command_line(o.source.backend, o.source.stack_prefix, o.source.aws);
    lock_options.say = [](const std::string& line) { std::cout << line << '\n'; };
    return apply::DeploymentLock::acquire(
        cloud, apply::this_process_holder(name, std::filesystem::absolute(o.journal).string(), tool_version), lock_options);
}

// Releases the deployment lock as a run ends. A lock that was not ours any more, or that could
// not be released, is said, and the run does not end with 0.
int released(apply::DeploymentLock& lock, const ApplyOptions& o, int exit_code) {
    std::optional<std::string> problem;
    try {
        problem = apply::lost_lock_message(lock.release(), lock.holder().name);
    } catch (const std::exception& e) {
        problem = "the lock of deployment '" + lock.holder().name + "' could not be released (" + e.what() +
                  "); remove it with: " + unlock_command_line(o.source.backend, o.source.stack_prefix, o.source.aws);
    }
    if (!problem) return exit_code;
    std::cerr << "stackshift: error: " << *problem << '\n';
    return exit_code == 0 ? static_cast<int>(ExitCode::failure) : exit_code;
}

// The plan of the sources; on --resume from the deployment the run was planned from, kept beside
// the journal (the stacks it already updated would change the plan).
PlanToRun planned_for_apply(const ApplyOptions& options) {
    plan::PlanRequest request;
    std::string saved = plan_deployment_path(options.journal);
    if (options.resume && std::filesystem::exists(saved)) {
        request = options.source.request;
        auto deployment = inputs::load_deployment(saved);
        if (!deployment) throw InputError(deployment.diagnostics());
        request.deployment = std::move(deployment).value();
        request.deployment_path = deployment_name(options.source);
    } else {
        request = with_deployment(options.source);
    }
    // What earlier runs left switched off goes back on (cli/resume_changes.hpp).
    request.switched_off = switched_off_for_apply(options.journal, deployment_name(options.source), options.resume);
    return plan_from_sources(plan::load_plan_inputs(request));
}

// The run apply carries out: its journal id, the plan's fingerprint and the seconds earlier
// attempts took.
struct RunToCarryOut {
    std::int64_t id = 0;
    std::string fingerprint;
    std::int64_t elapsed_before = 0;
};

// --resume: the unfinished run of this plan; when the inputs changed since an unfinished run of
// the deployment was planned, a new run of the plan they give from the deployment as it is now,
// which supersedes it (`planned` becomes that plan).
RunToCarryOut resumed_run(const ApplyOptions& options, apply::Journal& journal, PlanToRun& planned) {
    const plan::Plan& plan = planned.plan;
    std::string fingerprint = plan::plan_fingerprint(plan);
    if (auto finished = finished_run(journal, plan.deployment, fingerprint)) {
        std::cout << "the run " << finished->id << " of this plan already finished (succeeded at "
                  << apply::format_utc(finished->ended_ms.value_or(finished->started_ms)) << "); nothing to resume\n";
        throw EarlyExit{0};
    }
    if (auto run = journal.latest_unfinished_run(plan.deployment, fingerprint)) {
        journal.reopen_run(run->id);
        std::cout << "resuming run " << run->id << " of " << options.journal << '\n';
        return {run->id, fingerprint, run->elapsed_s};
    }
    // A saved plan is the plan that was approved: it never changes course.
    std::optional<NewCourse> course;
    if (planned.saved_file.empty()) course = plan_new_course(options.source, options.journal, journal, plan);
    if (!course)
        throw Error(ExitCode::failure, "nothing to resume in " + options.journal +
                                           ": no unfinished run of this plan (run without --resume to start one)");
    if (course->plan.blocked()) refuse_blocked(course->plan);
    fingerprint = plan::plan_fingerprint(course->plan);
    std::int64_t id = begin_new_course(journal, *course, fingerprint, plan_deployment_path(options.journal));
    planned = plan_from_sources(std::move(course->inputs), std::move(course->plan));
    return {id, fingerprint, 0};
}

// A new run of the plan: unfinished runs of the deployment are abandoned, the deployment it was
// planned from and the plan are kept beside the journal.
RunToCarryOut new_run(const ApplyOptions& options, apply::Journal& journal, const PlanToRun& planned, cloud::Cloud& cloud) {
    const plan::Plan& plan = planned.plan;
    // A saved plan is applied to the deployment it was made from, or not at all.
    if (!planned.saved_file.empty()) refuse_stale_plan(cloud, planned);
    for (const auto& run : journal.runs()) {
        bool unfinished = run.outcome == apply::RunOutcome::running || run.outcome == apply::RunOutcome::failed ||
                          run.outcome == apply::RunOutcome::stopped || run.outcome == apply::RunOutcome::interrupted;
        if (unfinished && run.deployment == plan.deployment) {
            journal.end_run(run.id, apply::RunOutcome::abandoned, "replaced by a new run");
            std::cout << "run " << run.id << " was unfinished; a new run replaces it (use --resume to continue one)\n";
        }
    }
    if (planned.planned_from)
        write_file_atomic(plan_deployment_path(options.journal), inputs::deployment_to_json(*planned.planned_from));
    std::string fingerprint = plan::plan_fingerprint(plan);
    std::int64_t id = journal.begin_run({plan.deployment, fingerprint, plan.from.to_string(), plan.to.to_string()},
                                        apply::journal_steps(plan));
    save_run_plan(options.journal, id, plan);
    return {id, fingerprint, 0};
}

apply::ExecutorOptions executor_options(const ApplyOptions& options, const PlanToRun& planned, const Backend& backend) {
    apply::ExecutorOptions eo;
    eo.yes = options.yes;
    eo.container = planned.container;
    eo.secret = planned.secret();
    if (planned.read_template) eo.read_template = planned.read_template;
    eo.on_hop_done = backend.hop_done;
    eo.template_bucket = options.template_bucket;
    eo.wait_slice_s = backend.simulated ? 0 : 1;  // AWS sleeps: a stop is not held for a whole poll interval
    return eo;
}

// What the run did, and the exit code that says it.
int report(const ApplyOptions& options, const apply::ApplyResult& result, const plan::Plan& plan, apply::Progress& progress,
           const Backend& backend) {
    if (result.outcome == apply::ApplyOutcome::interrupted) {
        progress.restore();
        std::cerr << "stackshift: interrupted" << (result.failed_step.empty() ? std::string() : " at step " + result.failed_step)
                  << ": the journal " << options.journal << " holds what was done; continue with:\n  " << resume_command(options)
                  << '\n';
        return interrupted_exit_code(result.signal);
    }
    progress.finish();
    std::cout << "summary: steps " << result.steps_done << " done, " << result.steps_skipped << " skipped";
    if (result.steps_already_done > 0) std::cout << ", " << result.steps_already_done << " done earlier";
    std::cout << "; stacks " << result.stacks_updated << " updated, " << result.stacks_unchanged << " unchanged; migrations "
              << result.migrations << "; elapsed " << format_duration(progress.elapsed_s())
              << (backend.simulated ? " (simulated)" : "");
    if (result.throttled > 0) std::cout << "; " << result.throttled << " throttled calls retried";
    std::cout << '\n';
    if (backend.api_calls) std::cout << "API calls (world total): " << backend.api_calls() << '\n';
    if (result.outcome == apply::ApplyOutcome::succeeded && !result.outstanding.empty()) {
        std::cout << "outstanding manual work (accepted by --yes; nobody said it was done):\n";
        for (const auto& step : result.outstanding) std::cout << "  - " << step << '\n';
        std::cout << "done with every step, but " << plan.deployment << " is not at " << plan.to.to_string()
                  << " until the work above is done (see the runbook: stackshift plan)\n";
        return 0;
    }
    if (result.outcome == apply::ApplyOutcome::succeeded) {
        std::cout << "done: " << plan.deployment << " is at " << plan.to.to_string() << '\n';
        return 0;
    }
    std::cerr << "stackshift: error: " << (result.outcome == apply::ApplyOutcome::stopped ? "stopped" : "failed")
              << (result.failed_step.empty() ? std::string() : " at step " + result.failed_step) << ": " << result.message << '\n'
              << "stackshift: the journal " << options.journal << " holds what was done; once the cause is dealt with, continue with:\n  "
              << resume_command(options) << '\n';
    return static_cast<int>(ExitCode::failure);
}

// Plans (or reads the saved plan), opens or resumes the run and carries it out, under the locks.
int carry_out(const ApplyOptions& options, Backend& backend) {
    PlanToRun planned = options.source.saved_plan.empty() ? planned_for_apply(options) : plan_from_saved(options.source);
    if (planned.plan.blocked()) refuse_blocked(planned.plan);
    plan::StepChoices choices = plan::check_step_choices(planned.plan, options.confirm, options.skip);  // before anything runs
    cloud::Cloud& cloud = *backend.cloud;
    apply::Journal journal(options.journal);
    RunToCarryOut run = options.resume ? resumed_run(options, journal, planned) : new_run(options, journal, planned, cloud);
    const plan::Plan& plan = planned.plan;

    Terminal terminal = detect_terminal(std::cout);
    apply::ProgressOptions po;
    po.live = terminal.is_tty;
    po.color = terminal.color;
    po.size = terminal_size;
    po.tick = !backend.simulated;  // the simulator's clock is virtual: it moves only when the run does
    po.elapsed_before = run.elapsed_before;
    apply::Progress progress(std::cout, [&cloud] { return cloud.clock_s(); }, po);
    std::cout << "applying " << plan.from.to_string() << " -> " << plan.to.to_string() << " to " << plan.deployment
              << " (run " << run.id << ", journal " << options.journal << ")\n";

    apply::ExecutorOptions eo = executor_options(options, planned, backend);
    eo.confirmed = std::move(choices.confirmed);
    eo.skipped = std::move(choices.skipped);
    StopSignals stop_signals;
    if (terminal.is_tty && isatty(STDIN_FILENO) != 0) {
        eo.confirm = [&progress, &stop_signals](const std::string& question) {
            return progress.ask(question, [&stop_signals](std::string_view q) {
                std::cout << q << std::flush;
                std::optional<std::string> answer = read_line_unless_stopped(STDIN_FILENO, stop_signals);
                if (!answer) return false;
                return *answer == "y" || *answer == "Y" || *answer == "yes";
            });
        };
    }
    eo.stop_requested = [&stop_signals] { return stop_signals.requested(); };
    apply::Executor executor(cloud, journal, progress, eo);
    apply::ApplyResult result = run_recorded(executor, plan, run.id, run.fingerprint, journal, progress);
    return report(options, result, plan, progress, backend);
}

int run_apply(const ApplyOptions& options) {
    const std::string& spec = options.source.backend;
    if (spec.empty()) open_backend(spec);  // says what --backend expects
    check_plan_source(options.source);
    if (!options.source.request.deployment_path.empty())
        throw InputError("--deployment and --backend both name the deployment; give --backend only");

    // Both locks before the plan: it is made from a deployment no other apply is changing.
    std::string lock_name = deployment_lock_name(spec, options.source.stack_prefix);  // --stack-prefix checked first
    auto journal_lock = apply::JournalLock::acquire(options.journal);
    Backend backend = open_backend(spec, options.source.aws);
    apply::DeploymentLock deployment_lock = take_deployment_lock(options, lock_name, *backend.cloud);
    int exit_code = 0;
    try {
        exit_code = carry_out(options, backend);
    } catch (const EarlyExit& early) {
        exit_code = early.code;
    }
    return released(deployment_lock, options, exit_code);
}

}  // namespace

Handler setup_apply(CommandLine& command) {
    auto options = std::make_shared<ApplyOptions>();
    add_plan_source_options(command, options->source, SavedPlans::accepted);
    command.option("--journal", options->journal, "The journal of this deployment (SQLite; default ./stackshift-journal.db)");
    command.flag("--yes", options->yes,
                 "Accept the routine confirmations (manual and not automated steps); never a step that destroys something "
                 "or asks for a backup first: those need --confirm");
    command.option("--confirm", options->confirm,
                   "Accept this step by its id (repeatable): what --yes does not accept (terminate, delete-stack, "
                   "refresh-instances, backups by hand), or a person's work done");
    command.option("--skip", options->skip, "Leave out this step the plan marks optional (repeatable); the journal records it skipped");
    command.flag("--resume", options->resume, "Continue the latest unfinished run of this plan from the journal");
    command.option("--template-bucket", options->template_bucket,
                   "S3 bucket to upload templates over CloudFormation's 51,200-byte TemplateBody limit to "
                   "(as stackshift/<plan>/<step>.template); without it a plan with one stops before it starts");
    return [options] { return run_apply(*options); };
}

}  // namespace stackshift::cli
