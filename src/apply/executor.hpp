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

#include "apply/driver.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

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
    // succeeded: the person's work --yes accepted in this run or an earlier attempt of it, which
    // nobody said was done ("ID: title"); the deployment is not at its target while any remains.
    std::vector<std::string> outstanding;
};

class Executor {
public:
    Executor(cloud::Cloud& cloud, Journal& journal, Progress& progress, ExecutorOptions options);

    // Runs (or continues) the run `run_id`, whose steps are journal_steps(plan). Ends the run
    // in the journal with its outcome. A CloudError or Error is caught, recorded and returned.
    ApplyResult run(const plan::Plan& plan, std::int64_t run_id, const std::string& fingerprint);

private:
    // The stacks the plan acts on are stable (or in progress for a step this run was waiting
    // for); the run's failure message when not.
    std::optional<std::string> unstable_stacks(const plan::Plan& plan, const std::map<std::string, StepStatus, std::less<>>& recorded);
    // The run's end before its first step (an oversized template, an unstable stack), if any.
    std::optional<ApplyResult> refuse_to_start(const plan::Plan& plan, const std::map<std::string, StepStatus, std::less<>>& recorded);
    // One step, with what ends the run when it fails, stops or is interrupted: the run's result
    // then, nullopt to go on.
    std::optional<ApplyResult> carry_out(const plan::Step& step, int position, int total, Pacer& pacer, Driver& driver);
    // One step that has not run yet, confirmed when it needs it; what it ended as.
    StepOutcome run_step(const plan::Step& step, Pacer& pacer, Driver& driver);
    void count(const plan::Step& step, StepOutcome outcome);
    // The steps of the run (this attempt and earlier ones) that ended outstanding: "ID: title".
    std::vector<std::string> outstanding_work(const plan::Plan& plan) const;
    // Why the plan cannot run as given: a template over the TemplateBody limit of a step still
    // to run, and no bucket to upload it to; nullopt when there is none.
    std::optional<std::pair<std::string, std::string>> oversized_template(
        const plan::Plan& plan, const std::map<std::string, StepStatus, std::less<>>& recorded);
    ApplyResult end(ApplyOutcome outcome, const std::string& step_id, const std::string& message);

    cloud::Cloud& m_cloud;
    Journal& m_journal;
    Progress& m_progress;
    ExecutorOptions m_options;
    std::int64_t m_run = 0;
    std::string m_fingerprint;
    ApplyResult m_result;
};

}  // namespace stackshift::apply
