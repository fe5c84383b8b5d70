#pragma once
// What a step handler works with, and the handlers of the step kinds: each a few lines that
// run the step's operations (op_*.cpp) through the Driver. The executor's dispatch table
// (executor.cpp, `handlers`) names one handler per plan::StepKind.
//
// Adding a step kind that acts on AWS: an Operation in a new op_*.cpp (find, start, poll), its
// ActionKind (journal.hpp), a handler declared here that builds the operation and calls
// `ctx.driver.run(step.id, op)`, and one line in the dispatch table.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "apply/driver.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

struct StepContext {
    cloud::Cloud& cloud;
    Journal& journal;
    Progress& progress;
    const ExecutorOptions& options;
    Pacer& pacer;
    Driver& driver;

    template <typename F>
    auto retry(F&& call) -> decltype(call()) {
        return pacer.retry(std::forward<F>(call));
    }

    // The physical id of the resource the step names by its logical id, from the stack's
    // resources as they are now (the plan knows no physical id).
    std::string physical_id(const plan::Step& step);
    // The value of one of the stack's outputs; StepFailure when the stack has none.
    std::string output_of(const plan::Step& step, const std::string& output);
    // The parameters a change set or an update sends (NoEcho values read from the values file
    // at request time, never journaled).
    std::vector<cloud::ParameterInput> parameter_inputs(const plan::Step& step, const cloud::Stack& stack) const;
    // The id of the stack's newest event ("" when none): where streaming starts.
    std::string last_event_id(const std::string& stack);
};

using StepHandler = StepOutcome (*)(StepContext& ctx, const plan::Step& step);

// update-stack and deploy-stack: a change set made, checked against the plan, executed
// (op_change_set.cpp).
StepOutcome run_change_set_step(StepContext& ctx, const plan::Step& step);
// set-parameters: UpdateStack with the previous template (op_stack.cpp).
StepOutcome run_parameter_update(StepContext& ctx, const plan::Step& step);
// delete-stack (op_stack.cpp).
StepOutcome run_stack_deletion(StepContext& ctx, const plan::Step& step);
// run-migration: an ECS task (op_task.cpp).
StepOutcome run_migration_task(StepContext& ctx, const plan::Step& step);
// snapshot-volume and snapshot-database (op_snapshot.cpp).
StepOutcome run_volume_snapshot(StepContext& ctx, const plan::Step& step);
StepOutcome run_database_snapshot(StepContext& ctx, const plan::Step& step);
// terminate-instance (op_instance.cpp).
StepOutcome run_instance_termination(StepContext& ctx, const plan::Step& step);
// refresh-instances: an Auto Scaling instance refresh of the step's group (op_refresh.cpp).
StepOutcome run_instance_refresh(StepContext& ctx, const plan::Step& step);
// check-services: every ECS service of the hop steady on the hop's images (service_health.cpp);
// it changes nothing, so no action is journaled.
StepOutcome run_service_check(StepContext& ctx, const plan::Step& step);

// The word of a run-migration step's output that fills `field` (the first, for subnets and
// security groups), by the step's run-task spec; nullopt without a spec or such a word.
// (op_task.cpp; the rehearsal reads the cluster of a failed migration by it.)
std::optional<std::string> task_field(const plan::Step& step, const std::string& output_value, plan::TaskField field);

// The stack of an update or a creation followed to its end (op_stack.cpp): its events streamed
// from a cursor, the failed resources and the rollback reason gathered for the message.
class StackWatch {
public:
    StackWatch(StepContext& ctx, std::string stack) : m_ctx(ctx), m_stack(std::move(stack)) {}
    // Streams events after the stack's newest one from now on (an update, before it starts).
    void from_now();
    // Streams every event (a stack being created has no old ones).
    void from_start() { m_cursor_set = true; }
    Polled poll();

private:
    StepContext& m_ctx;
    std::string m_stack;
    std::string m_cursor;
    bool m_cursor_set = false;
    std::vector<cloud::StackEvent> m_failures;
    std::string m_rollback_reason;
};

}  // namespace stackshift::apply
