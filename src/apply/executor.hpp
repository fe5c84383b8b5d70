#pragma once
// Executor: carries out a plan through a Cloud, step by step (DESIGN.md, "executor"). Every
// side effect is journaled as intended before it is attempted, started with the AWS id once
// accepted, and done or failed when it ends; a resumed run reads those records to skip what
// is done and re-attach to what is in progress. It knows nothing of the backend: it polls
// with the Cloud's wait (the simulator moves its clock, AWS sleeps).
//
// Parameters are sent as the plan says. A NoEcho parameter goes as UsePreviousValue (or not at
// all when the stack does not have it yet), unless the values file gives it: then that value is
// read from the values file as the request is made and sent, and never journaled or printed.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "apply/journal.hpp"
#include "apply/operation_hooks.hpp"
#include "apply/progress.hpp"
#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

struct ExecutorOptions {
    bool yes = false;  // accept confirmations (manual steps, steps not automated)
    // Asks the operator on a terminal; empty when there is none. Returns whether to go on.
    std::function<bool(const std::string& question)> confirm;
    std::string container;  // the container a migration task overrides ("ttes")
    // Reads a step's template file; throws on failure. Default: the file system.
    std::function<std::string(const std::string& path)> read_template;
    // Called after the last step of a hop is done.
    std::function<void(const plan::Hop& hop)> on_hop_done;
    std::string change_set_prefix = "stackshift";
    // The NoEcho values the values file gives (ParameterPlan::value_given), read when sent and
    // never kept: (stack, template id, parameter) -> value.
    std::function<std::optional<std::string>(const std::string&, const std::string&, const std::string&)> secret;
    int max_throttle_retries = 10;
    // --template-bucket: the S3 bucket a template over CloudFormation's TemplateBody limit
    // (cloud::max_template_body_bytes) is uploaded to, as stackshift/<fingerprint>/<step id>.template;
    // without it a plan with such a template stops before its first step.
    std::string template_bucket;
    // Whether the operator asked the run to stop (SIGINT, SIGTERM): the signal's number, 0 for
    // none. Asked at safe points: before each step, before every wait of a poll loop and after a
    // question the operator did not answer yes. Empty: never asked.
    std::function<int()> stop_requested;
    // Waits longer than this many seconds are taken in slices of it, asking stop_requested
    // between them, so that a stop on AWS (where a wait sleeps) is not held for a whole poll
    // interval; 0: every wait in one piece (the simulator's virtual time does not sleep).
    std::int64_t wait_slice_s = 0;
};

// interrupted: the operator stopped the run (a signal) at a safe point; resumable.
enum class ApplyOutcome { succeeded, failed, stopped, interrupted };

struct ApplyResult {
    ApplyOutcome outcome = ApplyOutcome::succeeded;
    std::string message;      // why it failed or stopped
    std::string failed_step;  // the step id
    int steps_done = 0;
    int steps_skipped = 0;
    int steps_already_done = 0;  // done in an earlier attempt of the run
    int stacks_updated = 0;
    int stacks_unchanged = 0;
    int migrations = 0;
    int throttled = 0;  // retries after throttling
    // When a call AWS refused ended the run: its error code and message as AWS gave them
    // (CloudError), apart from the message above, which says what the step was doing.
    std::string error_code;
    std::string error_message;
    int signal = 0;  // interrupted: the signal that asked the run to stop
};

// The change set name of a step: valid for CloudFormation ([A-Za-z][-A-Za-z0-9]*, at most 128
// characters), the same for the same plan, and new for every retry after a failure.
std::string change_set_name(std::string_view prefix, std::string_view step_id, std::string_view fingerprint, int attempt);

// The ECS startedBy token of a migration task: at most 36 characters, the same for the same
// plan, step and attempt (a resumed run finds the task by it), new for every retry.
std::string task_token(std::string_view step_id, std::string_view fingerprint, int attempt);

// The identifier of a step's Aurora cluster snapshot: a valid DBClusterSnapshotIdentifier
// (letters, digits and single hyphens, starting with a letter, at most 255 characters), the
// same for the same plan, step and attempt (a resumed run finds the snapshot by it).
std::string db_snapshot_id(std::string_view step_id, std::string_view fingerprint, int attempt);

// The S3 key a step's template is uploaded under: the same for the same plan and step, so that
// a resumed run finds the object it put (and the IAM policy can allow stackshift/* alone).
std::string template_key(std::string_view step_id, std::string_view fingerprint);

// The poll intervals: short first, backing off to `cap` seconds.
std::int64_t poll_interval(int poll, std::int64_t first, std::int64_t cap);

class Executor {
public:
    Executor(cloud::Cloud& cloud, Journal& journal, Progress& progress, ExecutorOptions options);

    // Runs (or continues) the run `run_id`, whose steps are journal_steps(plan). Ends the run
    // in the journal with its outcome. A CloudError or Error is caught, recorded and returned.
    ApplyResult run(const plan::Plan& plan, std::int64_t run_id, const std::string& fingerprint);

private:
    struct StepFailure : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    struct StepStopped : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    // Not a std::exception on purpose: the handlers that record an action as failed on any
    // std::exception must let it pass, so that the action in flight stays as the journal has
    // it (started, with its AWS id) and a resume re-attaches to it.
    struct Interrupted {
        int signal = 0;
    };

    // Throws Interrupted when the operator asked the run to stop.
    void check_stop();
    // The Cloud's wait, after asking whether to stop (in slices of wait_slice_s).
    void pause(std::int64_t seconds);

    void check_stacks(const plan::Plan& plan);
    // "done", "skipped", "unchanged": what the step ended as.
    std::string run_step(const plan::Step& step);
    std::string preflight(const plan::Step& step);
    std::string update_stack(const plan::Step& step);
    std::string set_parameters(const plan::Step& step);
    std::string run_migration(const plan::Step& step);
    // Before a migration task starts: the task definition it would run (`task_definition`, from
    // the step's output) runs the image the plan expects for the hop; throws StepFailure naming
    // both images and the fix otherwise, and when the step names no image (fail closed).
    void check_migration_image(const plan::Step& step, const std::string& task_definition);
    std::string snapshot_volume(const plan::Step& step);
    std::string terminate_instance(const plan::Step& step);
    std::string snapshot_database(const plan::Step& step);
    void confirm(const plan::Step& step);
    // Why the plan cannot run as given: a template over the TemplateBody limit of a step still
    // to run, and no bucket to upload it to; nullopt when there is none.
    std::optional<std::pair<std::string, std::string>> oversized_template(
        const plan::Plan& plan, const std::map<std::string, StepStatus, std::less<>>& recorded);
    // The template of a change set request: its body, or the URL of its uploaded copy.
    void set_template(cloud::ChangeSetRequest& request, const plan::Step& step);

    std::vector<cloud::ParameterInput> parameter_inputs(const plan::Step& step, const cloud::Stack& stack) const;
    // Waits for the stack to leave *_IN_PROGRESS, streaming its events; throws StepFailure
    // unless it ends in a successful *_COMPLETE.
    void wait_for_stack(const std::string& stack, std::string cursor);
    std::string last_event_id(const std::string& stack);
    std::string output_of(const plan::Step& step, const std::string& output);
    // The physical id of the resource the step names by its logical id, from the stack's
    // resources as they are now (the plan knows no physical id).
    std::string physical_id(const plan::Step& step);

    template <typename F>
    auto retry(F&& call) -> decltype(call());
    // What the operations of service_health and instance_refresh borrow: waits, retries, progress.
    OperationHooks hooks();

    cloud::Cloud& m_cloud;
    Journal& m_journal;
    Progress& m_progress;
    ExecutorOptions m_options;
    std::int64_t m_run = 0;
    std::string m_fingerprint;
    std::uint64_t m_jitter = 0x2545F4914F6CDD1DULL;
    ApplyResult m_result;
};

}  // namespace stackshift::apply
