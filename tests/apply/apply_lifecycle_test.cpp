// The executor on the lifecycle fixture (tests/data/lifecycle: one stack updated, one deleted,
// one deployed) in process: a deletion journaled as intended before the process died.

#include <sstream>

#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planner.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::source_path;

struct Lifecycle {
    cloud::sim::SimCloud sim;
    plan::Plan plan;
};

Lifecycle make_lifecycle() {
    auto deployment = inputs::load_deployment(source_path("tests/data/lifecycle/deployment/lc-1.0.0.json"));
    EXPECT_TRUE(deployment);
    cloud::sim::World world = cloud::sim::world_from_deployment(*deployment, {});
    plan::PlanRequest request;
    request.deployment = cloud::sim::world_to_deployment(world);
    request.deployment_path = "sim:memory";
    request.releases_path = source_path("tests/data/lifecycle/releases");
    request.to = "1.1.0";
    request.profile = "numbered-stacks";
    plan::Plan p = plan::make_plan(plan::load_plan_inputs(request));
    return Lifecycle{cloud::sim::SimCloud(std::move(world)), std::move(p)};
}

const plan::Step& step_of_kind(const plan::Plan& p, plan::StepKind kind) {
    for (const auto& hop : p.hops)
        for (const auto& s : hop.steps)
            if (s.kind == kind) return s;
    throw std::runtime_error("no such step");
}

apply::ApplyResult run(Lifecycle& f, apply::Journal& journal, std::int64_t run_id, std::ostream& out) {
    apply::Progress progress(out, [&f] { return f.sim.world().clock_s; });
    apply::ExecutorOptions options;
    options.yes = true;
    options.confirm = [](const std::string&) { return true; };  // a person at the terminal accepts each step
    apply::Executor executor(f.sim, journal, progress, options);
    return executor.run(f.plan, run_id, plan::plan_fingerprint(f.plan));
}

class ApplyLifecycle : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(f.plan.blocked());
        run_id = journal.begin_run({f.plan.deployment, plan::plan_fingerprint(f.plan), "1.0.0", "1.1.0"}, apply::journal_steps(f.plan));
    }
    // The process died right after journaling the deletion as intended.
    void killed_after_the_deletion_intent(const plan::Step& deletion) {
        journal.start_step(run_id, deletion.id);
        journal.intend_action(run_id, deletion.id, apply::action_kind_name(apply::ActionKind::delete_stack), deletion.stack);
    }
    const cloud::sim::SimStack* stack(const std::string& name) { return f.sim.world().stack(name); }

    Lifecycle f = make_lifecycle();
    testing::TempDir dir;
    apply::Journal journal{dir.file("j.db")};
    std::int64_t run_id = 0;
};

// The reported bug: the resume skipped DeleteStack and polled a stack that was still
// CREATE_COMPLETE, so that every later --resume failed.
TEST_F(ApplyLifecycle, ADeletionIntendedBeforeACrashIsMadeOnResumeOnce) {
    const plan::Step& deletion = step_of_kind(f.plan, plan::StepKind::delete_stack);
    killed_after_the_deletion_intent(deletion);
    std::ostringstream out;
    auto result = run(f, journal, run_id, out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message << "\n" << out.str();
    EXPECT_EQ(f.sim.world().api_calls["DeleteStack"], 1u);
    ASSERT_NE(stack(deletion.stack), nullptr);
    EXPECT_EQ(stack(deletion.stack)->status, "DELETE_COMPLETE");
    auto actions = journal.actions(run_id, deletion.id);
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].state, apply::ActionState::done);
}

// Intended, and AWS was asked before the crash: the resume finds the stack being deleted and
// follows it without asking again.
TEST_F(ApplyLifecycle, ADeletionAskedForBeforeACrashIsFollowedNotAskedAgain) {
    const plan::Step& deletion = step_of_kind(f.plan, plan::StepKind::delete_stack);
    killed_after_the_deletion_intent(deletion);
    f.sim.delete_stack(deletion.stack);  // then the process was killed
    std::ostringstream out;
    auto result = run(f, journal, run_id, out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message << "\n" << out.str();
    EXPECT_EQ(f.sim.world().api_calls["DeleteStack"], 1u);
    EXPECT_EQ(stack(deletion.stack)->status, "DELETE_COMPLETE");
    EXPECT_NE(out.str().find("re-attached to the deletion of " + deletion.stack + " (asked for before the interruption)"),
              std::string::npos)
        << out.str();
}

// The whole upgrade: the new stack is created by a change set of type create, once.
TEST_F(ApplyLifecycle, TheNewStackIsCreatedAndTheRemovedOneDeleted) {
    std::ostringstream out;
    auto result = run(f, journal, run_id, out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message << "\n" << out.str();
    const plan::Step& deploy = step_of_kind(f.plan, plan::StepKind::deploy_stack);
    ASSERT_NE(stack(deploy.stack), nullptr);
    EXPECT_EQ(stack(deploy.stack)->status, "CREATE_COMPLETE");
    EXPECT_EQ(stack(step_of_kind(f.plan, plan::StepKind::delete_stack).stack)->status, "DELETE_COMPLETE");
    EXPECT_EQ(result.stacks_updated, 2);
    EXPECT_EQ(f.sim.world().api_calls["CreateChangeSet"], 2u);
}

}  // namespace
}  // namespace stackshift
