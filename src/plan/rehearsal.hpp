#pragma once
// Rehearsal: the verdict of a plan carried out in a simulated world made from the deployment
// as it is (DESIGN.md, "rehearsal"), as plain data. `apply/rehearsal` runs the plan and fills
// it; `render/rehearsal_render` formats it. It lives beside the Plan because both the runner
// (apply) and the renderers (render) read it, and render may not include apply.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stackshift::plan {

// would_succeed: every step ran and no data the plan did not acknowledge was lost.
// would_fail: a step failed, or unacknowledged data was lost. blocked: the plan cannot run as it
// is (it needs input or an acknowledgement), so nothing was rehearsed.
enum class Verdict { would_succeed, would_fail, blocked };

std::string_view verdict_name(Verdict verdict);   // "would-succeed", "would-fail", "blocked"
std::string_view verdict_words(Verdict verdict);  // "would succeed", "would fail", "cannot rehearse: the plan needs input"

// The first step that would fail.
struct FailedStep {
    std::string id;
    std::string title;
    std::string kind;   // "update-stack", ...
    std::string stack;  // "" for a step about no stack
    // The resource whose failure failed the step, as the stack events name it ("" when none did).
    std::string logical_id;
    std::string resource_type;
    std::string stack_status;  // what the stack ended in, e.g. UPDATE_ROLLBACK_COMPLETE
};

// What AWS said: the error code and message of a refused call, or the status and reason of the
// failed resource (CloudFormation's HandlerErrorCode when the reason carries one), or the stop
// of a migration task with its log lines.
struct RehearsalError {
    std::string code;
    std::string message;
    std::string detail;              // the executor's own account of the failure
    std::vector<std::string> log;    // a migration task's log lines
};

struct LostData {
    std::string stack;
    std::string logical_id;
    std::string type;
    std::string cause;          // "replaced", "deleted", ...
    bool acknowledged = false;  // the plan acknowledged it (--allow-replace)
    bool system_disk = false;   // an instance's root volume, deleted with it as AWS does: listed, no failure
};

// A step a person must carry out for real: the rehearsal confirmed it without doing it.
struct PersonStep {
    std::string id;
    std::string title;
    std::string kind;
    std::vector<std::string> details;
    bool reached = false;  // the rehearsal got that far
};

struct StepCounts {
    int total = 0;
    int done = 0;
    int skipped = 0;
    int failed = 0;
    int not_run = 0;
};

struct Rehearsal {
    Verdict verdict = Verdict::would_succeed;
    std::string deployment;
    std::string from;
    std::string to;
    std::optional<FailedStep> failed_step;
    std::optional<RehearsalError> error;
    std::vector<std::string> advice;  // what to change, derived from the failure
    StepCounts steps;
    std::int64_t clock_s = 0;  // the virtual time the upgrade took
    std::map<std::string, std::uint64_t, std::less<>> api_calls;  // by AWS operation
    std::vector<LostData> data_lost;
    std::vector<PersonStep> manual_steps;

    // Exit code: 0 would succeed, 1 would fail, 3 blocked.
    int exit_code() const;
};

}  // namespace stackshift::plan
