#pragma once
// The driver of journaled operations: every side effect apply has on AWS goes through
// Driver::run, which owns crash safety once for all kinds (DESIGN.md, "executor").
//
// An operation has an idempotency key (the plan's fingerprint, the step id, the attempt) from
// which its AWS-side name derives (a change set name, a task's startedBy token, a snapshot
// identifier or description, an S3 key). The driver reads the step's journal: the last action
// of the operation's kind under this attempt's name
//   - done:     its outcome is returned, nothing is asked of AWS;
//   - started with an AWS id: re-attached, polled to its end;
//   - intended (no id): the unit's find hook says whether AWS has something for the key (the
//     process died after asking and before journaling the answer): re-attached if so, started
//     if not;
//   - failed, or none: a new attempt (a failure counts, so its key and name are new) is
//     journaled as intended BEFORE it starts, its AWS id right after.
// It polls to a terminal state with the back-off of poll_interval, pausing through the Pacer
// (stop checks, throttling retries), and journals done or failed.
//
// Adding an operation kind: a class implementing Operation (find, start, poll; a few lines each)
// in its own op_*.cpp, its ActionKind (below, with its journal name), and the step kind's handler
// in the executor's dispatch table (`handlers` in executor.cpp;
// the handlers are declared in step_context.hpp).

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

// What apply needs to know beyond the plan: the operator's answers, the backend's pacing, the
// values the values file gives (ExecutorOptions in executor.hpp is this struct).
struct ExecutorOptions {
    // --yes: accept the routine confirmations (plan::Confirmation::routine); never an explicit one.
    bool yes = false;
    // --confirm STEP_ID: steps a person accepted by name (explicit or routine); --skip STEP_ID:
    // skippable steps left out, recorded skipped in the journal. Checked against the plan by
    // plan::check_step_choices before the run.
    std::set<std::string, std::less<>> confirmed;
    std::set<std::string, std::less<>> skipped;
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

// A step could not be carried out: the run fails with this message.
struct StepFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A step was declined or could not be confirmed: the run stops, nothing was changed by it.
struct StepStopped : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The operator asked the run to stop. Not a std::exception on purpose: handlers that record an
// action as failed on any std::exception let it pass, so that the action in flight stays as the
// journal has it (started, with its AWS id) and a resume re-attaches to it.
struct Interrupted {
    int signal = 0;
};

// What a step ended as (the journal's step message keeps the name).
// outstanding: a person's work (a manual step) that --yes accepted without anyone saying it was
// done; the run lists it at its end and does not call the deployment upgraded while any remains.
enum class StepOutcome { done, skipped, unchanged, outstanding };
std::string_view step_outcome_name(StepOutcome outcome);  // "done", "skipped", "unchanged", "outstanding"


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

// Waiting and retrying against a backend: the Cloud's wait after asking whether to stop, and
// calls retried with back-off and jitter while AWS throttles them.
class Pacer {
public:
    Pacer(cloud::Cloud& cloud, const ExecutorOptions& options) : m_cloud(cloud), m_options(options) {}

    // Throws Interrupted when the operator asked the run to stop.
    void check_stop();
    // The Cloud's wait, after asking whether to stop (in slices of wait_slice_s).
    void pause(std::int64_t seconds);

    template <typename F>
    auto retry(F&& call) -> decltype(call()) {
        std::int64_t delay = 1;
        for (int attempt = 0;; ++attempt) {
            try {
                return call();
            } catch (const cloud::CloudError& e) {
                if (!e.is_throttling() || attempt >= m_options.max_throttle_retries) throw;
                ++m_throttled;
                pause(delay + jitter(delay));
                delay = std::min<std::int64_t>(delay * 2, 20);
            }
        }
    }

    int throttled() const { return m_throttled; }

private:
    std::int64_t jitter(std::int64_t delay);

    cloud::Cloud& m_cloud;
    const ExecutorOptions& m_options;
    std::uint64_t m_jitter = 0x2545F4914F6CDD1DULL;
    int m_throttled = 0;
};

// The idempotency key of an operation.
struct OperationKey {
    std::string fingerprint;
    std::string step_id;
    int attempt = 1;
};

// What start found: the AWS id of what it started, or that there was nothing to do (an
// update with no changes); then `note` says so in the journal.
struct Started {
    std::string aws_id;
    bool nothing_to_do = false;
};

// One poll: still running, or ended (done, nothing to do, failed with the message that says
// why). `status` is shown on the progress line while it runs.
struct Polled {
    enum class State { running, done, nothing_to_do, failed };
    State state = State::running;
    std::string message;  // failed: journaled, and the run's message
    std::string detail;   // failed: added to the run's message only (a task's last log lines)

    static Polled running() { return {State::running, {}, {}}; }
    static Polled done() { return {State::done, {}, {}}; }
    static Polled nothing_to_do() { return {State::nothing_to_do, {}, {}}; }
    static Polled failed(std::string why, std::string detail = {}) { return {State::failed, std::move(why), std::move(detail)}; }
};

// How long to wait between polls (poll_interval's first and cap), and whether the first poll
// waits or looks at once.
struct PollPace {
    std::int64_t first = 5;
    std::int64_t cap = 30;
    bool wait_first = true;
};

// One kind of side effect, with the three hooks the driver calls.
class Operation {
public:
    virtual ~Operation() = default;
    virtual ActionKind kind() const = 0;
    // The kinds whose failed actions in the step count as failed attempts of this operation
    // (a change set whose execution failed needs a new change set: both count).
    virtual std::vector<ActionKind> attempt_kinds() const { return {kind()}; }
    // The name the journal records the action under: derived from the key, so that a resumed
    // run finds the same thing (a change set name, a token, a volume id).
    // `previous`: the last action of this kind in the step when it did not fail (a unit whose
    // name is looked up in AWS, a volume id, keeps the one it journaled), else null.
    virtual std::string name(const OperationKey& key, const ActionRecord* previous) = 0;
    // How the progress lines name what the AWS id is: "task ARN", "cluster snapshot ID".
    virtual std::string describe(const std::string& aws_id) const = 0;
    // What AWS already has for this key (asked before a crash, answered after): its id.
    virtual std::optional<std::string> find(const OperationKey& key, const std::string& name) = 0;
    virtual Started start(const OperationKey& key, const std::string& name) = 0;
    virtual Polled poll(const std::string& aws_id) = 0;
    virtual PollPace pace() const { return {}; }
    // The journal message of a done action that had nothing to do.
    virtual std::string nothing_note() const { return "nothing to do"; }
};

// How an operation ended: done (with the AWS id), or nothing to do.
struct OperationResult {
    bool nothing_to_do = false;
    std::string aws_id;
    std::string name;  // the name the action is journaled under (derived from the key)
};

class Driver {
public:
    Driver(Journal& journal, Progress& progress, Pacer& pacer, std::int64_t run, std::string fingerprint)
        : m_journal(journal), m_progress(progress), m_pacer(pacer), m_run(run), m_fingerprint(std::move(fingerprint)) {}

    // Carries the operation out for the step, or finishes what an earlier attempt of the run
    // left (see the top of this file). Throws StepFailure when it fails (journaled failed), a
    // CloudError AWS refused the start with (journaled failed), and lets Interrupted and errors
    // of a poll pass with the action left as it is (started: a resume re-attaches).
    OperationResult run(const std::string& step_id, Operation& op);

    // The action of this operation's current attempt the journal holds (intended, started or
    // done), if any: a step looks before doing what must precede a start (a change set's check).
    std::optional<ActionRecord> current(const std::string& step_id, Operation& op);

    Pacer& pacer() { return m_pacer; }
    const std::string& fingerprint() const { return m_fingerprint; }

private:
    struct Current {
        OperationKey key;
        std::string name;
        std::optional<ActionRecord> action;
    };
    Current current_attempt(const std::string& step_id, Operation& op);
    OperationResult attach_or_start(std::int64_t action, Operation& op, const OperationKey& key, const std::string& name,
                                    bool intended_before);
    OperationResult follow(std::int64_t action, Operation& op, const std::string& aws_id, const std::string& name);

    Journal& m_journal;
    Progress& m_progress;
    Pacer& m_pacer;
    std::int64_t m_run;
    std::string m_fingerprint;
};

}  // namespace stackshift::apply
