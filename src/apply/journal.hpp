#pragma once
// Journal: the durable record of what `stackshift apply` did to a deployment (DESIGN.md,
// "Each step can be repeated or resumed safely"). A SQLite file (WAL, synchronous=FULL,
// foreign keys on) holding runs, the steps of each run and the actions within each step.
//
// An action is recorded as "intended" BEFORE its side effect is attempted, "started" with the
// AWS id once AWS accepted it, and "done" or "failed" when it ended. Every write is its own
// transaction, committed before the function returns: after a crash the journal holds every
// write that returned. A resumed run reads the actions of a step to tell "done: skip",
// "started: re-attach to this change set / task", and "intended without an id: check whether
// it happened (by its derived name) before repeating it".
//
// The journal never stores a parameter value, NoEcho or not: no function here takes one. The
// free-text fields (action names, AWS ids, messages) must not carry parameter values either;
// callers pass change set names, ARNs and error messages only.

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace stackshift::plan {
struct Plan;
}

namespace stackshift::apply {

// The journal file used when --journal is not given: in the current directory. One journal
// per deployment: run stackshift from the deployment's folder, or give --journal.
inline constexpr std::string_view default_journal_file = "stackshift-journal.db";

// A journal held in memory, never written to a file: what a rehearsal records its run in.
inline constexpr std::string_view in_memory_journal = ":memory:";

// The schema this build writes; a journal with a newer one is refused, an older one upgraded.
// 2: runs may end 'interrupted' and keep their elapsed time (elapsed_s).
// 3: the steps that switch a procedure off and back on (switches), for switched_off().
inline constexpr int journal_schema_version = 3;

// running: started and not ended (or killed). failed / stopped (the operator declined, or a
// check stopped it before a change): can be resumed. abandoned: a new run replaced it.
// interrupted: the operator stopped it with SIGINT or SIGTERM at a safe point; can be resumed.
enum class RunOutcome { running, succeeded, failed, stopped, abandoned, interrupted };
enum class StepStatus { pending, started, done, failed, skipped };
enum class ActionState { intended, started, done, failed };

std::string_view run_outcome_name(RunOutcome outcome);  // "running", ...
std::string_view step_status_name(StepStatus status);   // "pending", ...
std::string_view action_state_name(ActionState state);  // "intended", ...

// Milliseconds since the Unix epoch (UTC). The journal asks its clock for every timestamp, so
// tests (and the simulator's virtual time) can supply their own.
using JournalClock = std::function<std::int64_t()>;
std::int64_t system_time_ms();
// "2024-05-01T12:00:00Z": a journal timestamp in UTC, to the second.
std::string format_utc(std::int64_t ms);

struct RunStart {
    std::string deployment;        // the deployment (snapshot file or name) the run changes
    std::string plan_fingerprint;  // plan::plan_fingerprint(): a run resumes only under its plan
    std::string from;              // versions, as text
    std::string to;
};

struct RunRecord {
    std::int64_t id = 0;
    std::string deployment;
    std::string plan_fingerprint;
    std::string from;
    std::string to;
    std::int64_t started_ms = 0;
    std::optional<std::int64_t> ended_ms;
    RunOutcome outcome = RunOutcome::running;
    std::string message;
    int resumes = 0;  // how many times the run was resumed
    // Seconds on the backend's clock the run's attempts took, as the last attempt to end
    // recorded it (virtual seconds in the simulator); a resume continues its clock from here.
    std::int64_t elapsed_s = 0;
    // Steps by status, in StepStatus order.
    int steps_pending = 0, steps_started = 0, steps_done = 0, steps_failed = 0, steps_skipped = 0;
    int steps_total() const { return steps_pending + steps_started + steps_done + steps_failed + steps_skipped; }
};

// A step as the journal lists it before the run starts: the plan's stable id, its kind name
// ("update-stack") and the stack it is about ("" when none).
struct StepEntry {
    std::string step_id;
    std::string kind;
    std::string stack;
    // The procedure the step switches off or back on (plan::Step::switches_off/on), "" if none.
    std::string switches_off = {};
    std::string switches_on = {};
};

// A procedure a run switched off on a stack, at a step that was done or started, with no later
// step (of that run or a later one) done that switched it back on. Names only, never a value.
struct SwitchRecord {
    std::string procedure;  // "storage-integration"
    std::string stack;
    std::int64_t run_id = 0;
    std::string step_id;
};

// Every step of every hop, in order.
std::vector<StepEntry> journal_steps(const plan::Plan& plan);

struct StepRecord {
    std::int64_t id = 0;  // the journal's row id
    std::int64_t run_id = 0;
    int position = 0;     // order in the run, from 1
    std::string step_id;  // the plan's id: "h1-07-update-stack-5-2-ecs-ops"
    std::string kind;
    std::string stack;
    StepStatus status = StepStatus::pending;
    std::optional<std::int64_t> started_ms;
    std::optional<std::int64_t> ended_ms;
    std::string message;
};

// A side effect within a step: kind "create-change-set", "execute-change-set", "run-task",
// "terminate-instance", "create-snapshot", ...; name: what the plan derives before the action
// (the change set name, the instance id); aws_id: what AWS returned (change set ARN, task ARN).
struct ActionRecord {
    std::int64_t id = 0;
    std::int64_t step_row = 0;
    std::string kind;
    std::string name;
    std::string aws_id;
    ActionState state = ActionState::intended;
    std::int64_t intended_ms = 0;
    std::optional<std::int64_t> started_ms;
    std::optional<std::int64_t> ended_ms;
    std::string message;
};

// Whether to create the file when it does not exist. A journal opened for reading is never
// written: not even its pragmas.
enum class JournalAccess { create_or_open, read_existing };

// One open journal file. Errors (not a journal, a newer schema, a failed write) throw Error:
// a journal that cannot be written must stop the run before the next side effect.
class Journal {
public:
    explicit Journal(const std::string& path, JournalAccess access = JournalAccess::create_or_open,
                     JournalClock clock = system_time_ms);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    const std::string& path() const { return m_path; }

    // Runs.
    // A new run with its steps (listed all pending, in plan order), in one transaction.
    std::int64_t begin_run(const RunStart& start, const std::vector<StepEntry>& steps = {});
    void end_run(std::int64_t run_id, RunOutcome outcome, std::string_view message = {});
    // The seconds the run's attempts took so far (RunRecord::elapsed_s).
    void record_elapsed(std::int64_t run_id, std::int64_t elapsed_s);
    // Marks an unfinished run as running again (resume): clears its end, counts the resume.
    void reopen_run(std::int64_t run_id);

    // Steps: listed once, all pending, in plan order; then started and finished one by one.
    void add_steps(std::int64_t run_id, const std::vector<StepEntry>& steps);
    void start_step(std::int64_t run_id, std::string_view step_id);
    void finish_step(std::int64_t run_id, std::string_view step_id, StepStatus status, std::string_view message = {});

    // Actions: intended before the side effect, started with the AWS id, then finished.
    std::int64_t intend_action(std::int64_t run_id, std::string_view step_id, std::string_view kind, std::string_view name);
    void action_started(std::int64_t action_id, std::string_view aws_id);
    void finish_action(std::int64_t action_id, ActionState state, std::string_view message = {});

    // Queries.
    std::vector<RunRecord> runs() const;  // newest first
    std::optional<RunRecord> run(std::int64_t run_id) const;
    // The newest run of this deployment under this plan that did not succeed and was not
    // abandoned: the one `apply --resume` continues. A different fingerprint never matches.
    std::optional<RunRecord> latest_unfinished_run(std::string_view deployment, std::string_view fingerprint) const;
    std::vector<StepRecord> steps(std::int64_t run_id) const;  // in plan order
    std::optional<StepRecord> step(std::int64_t run_id, std::string_view step_id) const;
    std::vector<ActionRecord> actions(std::int64_t run_id, std::string_view step_id) const;  // in order taken
    std::vector<ActionRecord> actions_of_run(std::int64_t run_id) const;
    // The procedures the deployment's runs left switched off, one per procedure and stack (the
    // latest switch-off), counting only runs numbered before `before_run`. A journal of schema 2
    // or older (read without upgrading) recorded none.
    std::vector<SwitchRecord> switched_off(std::string_view deployment,
                                           std::int64_t before_run = std::numeric_limits<std::int64_t>::max()) const;

    // What the file holds, for tests and diagnostics: "wal", and the schema version.
    std::string journal_mode() const;
    int schema_version() const;

private:
    void open_checked(JournalAccess access);
    void create_schema();
    void upgrade_schema();
    std::int64_t step_row(std::int64_t run_id, std::string_view step_id) const;
    void insert_steps(std::int64_t run_id, const std::vector<StepEntry>& steps);
    void written();  // after every write that returned: the crash test's hook

    std::string m_path;
    JournalClock m_clock;
    sqlite3* m_db = nullptr;
    int m_schema = journal_schema_version;  // the file's schema version, once opened
};

// ---- Action kinds ------------------------------------------------------------------------
// The kinds of side effects the executor journals (ActionRecord::kind holds their names, the
// text schema 2 stores: "create-change-set", ...).
enum class ActionKind {
    create_change_set,
    execute_change_set,
    update_stack,
    delete_stack,
    run_task,
    create_snapshot,
    create_db_cluster_snapshot,
    terminate_instance,
    upload_template,
    start_instance_refresh,
};
std::string_view action_kind_name(ActionKind kind);

}  // namespace stackshift::apply
