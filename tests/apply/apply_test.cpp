// The executor in process: change set names, polling, and whole runs against an in-memory
// simulated world (throttling, resume from the journal).

#include <algorithm>
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

TEST(ApplyExecutor, ChangeSetNamesAreValidAndDeterministic) {
    std::string a = apply::change_set_name("stackshift", "h1-03-update-stack-1-2-bastion", "0123456789abcdef", 1);
    EXPECT_EQ(a, "stackshift-h1-03-update-stack-1-2-bastion-01234567");
    EXPECT_EQ(a, apply::change_set_name("stackshift", "h1-03-update-stack-1-2-bastion", "0123456789abcdef", 1));
    EXPECT_EQ(apply::change_set_name("stackshift", "h1-03-update-stack-1-2-bastion", "0123456789abcdef", 2), a + "-r2");
    std::string odd = apply::change_set_name("9", "h1_x.y/" + std::string(200, 'z'), "ff", 1);
    EXPECT_LE(odd.size(), 128u);
    EXPECT_TRUE(std::isalpha(static_cast<unsigned char>(odd[0])));
    EXPECT_EQ(odd.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"), std::string::npos) << odd;
}

TEST(ApplyExecutor, PollingBacksOffToTheCap) {
    std::int64_t previous = 0;
    for (int i = 0; i < 12; ++i) {
        std::int64_t v = apply::poll_interval(i, 5, 30);
        EXPECT_GE(v, previous);
        EXPECT_LE(v, 30);
        previous = v;
    }
    EXPECT_EQ(apply::poll_interval(0, 5, 30), 5);
    EXPECT_EQ(apply::poll_interval(20, 5, 30), 30);
}

struct Fixture {
    cloud::sim::SimCloud sim;
    plan::PlanInputs inputs;
    plan::Plan plan;
};

Fixture make_fixture(const cloud::sim::Scenario& scenario) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment);
    cloud::sim::World world = cloud::sim::world_from_deployment(*deployment, scenario);
    plan::PlanRequest request;
    request.deployment = cloud::sim::world_to_deployment(world);
    request.deployment_path = "sim:memory";
    request.releases_path = source_path("examples/releases");
    request.to = "3.15.1";
    request.values_path = source_path("examples/values-3.15.1.yaml");
    request.allow_replace = {"acme-prod-2-5-db-timescale/Volume"};  // the only danger up to 3.15.1
    plan::PlanInputs inputs = plan::load_plan_inputs(request);
    plan::Plan p = plan::make_plan(inputs);
    return Fixture{cloud::sim::SimCloud(std::move(world)), std::move(inputs), std::move(p)};
}

apply::ApplyResult run(Fixture& f, apply::Journal& journal, std::int64_t run_id, std::ostream& out, bool yes = true) {
    apply::Progress progress(out, [&f] { return f.sim.world().clock_s; });
    apply::ExecutorOptions options;
    options.yes = yes;
    // With yes, a person at the terminal accepts each step (even one --yes does not accept).
    if (yes) options.confirm = [](const std::string&) { return true; };
    options.container = "ttes";
    apply::Executor executor(f.sim, journal, progress, options);
    return executor.run(f.plan, run_id, plan::plan_fingerprint(f.plan));
}

std::int64_t begin(apply::Journal& journal, const plan::Plan& p) {
    std::int64_t id = journal.begin_run({p.deployment, plan::plan_fingerprint(p), "3.14.2", "3.15.1"});
    journal.add_steps(id, apply::journal_steps(p));
    return id;
}

TEST(ApplyExecutor, RunsTheExampleUnderThirtyPercentThrottling) {
    cloud::sim::Scenario scenario;
    scenario.throttling = 0.3;
    scenario.seed = 7;
    Fixture f = make_fixture(scenario);
    ASSERT_FALSE(f.plan.blocked());
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f.plan);
    std::ostringstream out;
    auto result = run(f, journal, id, out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message << "\n" << out.str();
    EXPECT_GT(result.throttled, 0);
    EXPECT_GT(result.stacks_updated, 0);
    EXPECT_EQ(result.migrations, 1);
    EXPECT_EQ(journal.run(id)->outcome, apply::RunOutcome::succeeded);
    for (const auto& s : f.sim.world().stacks) EXPECT_TRUE(s.status.ends_with("_COMPLETE")) << s.name << " " << s.status;
    for (const auto& a : journal.actions_of_run(id)) EXPECT_EQ(a.state, apply::ActionState::done) << a.kind << " " << a.name;
}

TEST(ApplyExecutor, ADoneRunRepeatsNothingWhenRunAgain) {
    Fixture f = make_fixture({});
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f.plan);
    std::ostringstream out;
    ASSERT_EQ(run(f, journal, id, out).outcome, apply::ApplyOutcome::succeeded) << out.str();
    auto calls = f.sim.world().api_calls;
    journal.reopen_run(id);
    auto again = run(f, journal, id, out);
    EXPECT_EQ(again.outcome, apply::ApplyOutcome::succeeded);
    EXPECT_EQ(again.steps_done, 0);
    EXPECT_EQ(f.sim.world().api_calls["ExecuteChangeSet"], calls["ExecuteChangeSet"]);
    EXPECT_EQ(f.sim.world().api_calls["RunTask"], calls["RunTask"]);
}

TEST(ApplyExecutor, ClusterSnapshotIdentifiersAreValidAndDeterministic) {
    std::string a = apply::db_snapshot_id("h1-09-snapshot-database-2-1-db-aurora-master-DBCluster", "0123456789abcdef", 1);
    EXPECT_EQ(a, "stackshift-h1-09-snapshot-database-2-1-db-aurora-master-DBCluster-01234567");
    EXPECT_EQ(apply::db_snapshot_id("h1-09-snapshot-database-2-1-db-aurora-master-DBCluster", "0123456789abcdef", 2),
              a + "-r2");
    for (const std::string& odd : {apply::db_snapshot_id("h1--x__y-", "ff", 1),
                                   apply::db_snapshot_id("h1-" + std::string(300, 'z') + "-", "ff", 1),
                                   apply::db_snapshot_id("", "", 1)})
        EXPECT_TRUE(cloud::valid_db_cluster_snapshot_id(odd)) << odd;
}

const plan::Step* first_of_kind(const plan::Plan& p, plan::StepKind kind) {
    for (const auto& hop : p.hops)
        for (const auto& s : hop.steps)
            if (s.kind == kind) return &s;
    return nullptr;
}

std::string physical_id(cloud::Cloud& c, const plan::Step& step) {
    for (const auto& r : c.describe_stack_resources(step.stack))
        if (r.logical_id == step.logical_id) return r.physical_id;
    return "";
}

TEST(ApplyExecutor, TheClusterSnapshotIsTakenAndWaitedForBeforeTheMigration) {
    Fixture f = make_fixture({});
    const plan::Step* snapshot = first_of_kind(f.plan, plan::StepKind::snapshot_database);
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->stack, "acme-prod-2-1-db-aurora-master");
    EXPECT_EQ(snapshot->logical_id, "DBCluster");
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f.plan);
    std::ostringstream out;
    ASSERT_EQ(run(f, journal, id, out).outcome, apply::ApplyOutcome::succeeded) << out.str();
    const auto& snapshots = f.sim.world().db_cluster_snapshots;
    ASSERT_EQ(snapshots.size(), 1u);
    EXPECT_EQ(snapshots[0].cluster_id, physical_id(f.sim, *snapshot));
    EXPECT_EQ(snapshots[0].id,
              apply::db_snapshot_id(snapshot->id, plan::plan_fingerprint(f.plan), 1));
    // Waited for: available before the migration task started.
    ASSERT_EQ(f.sim.world().tasks.size(), 1u);
    EXPECT_GE(f.sim.world().tasks[0].started_s, snapshots[0].completes_s);
}

// Killed after RDS was asked for the snapshot, before its identifier was journaled: the resumed
// run finds the snapshot by its identifier instead of asking again (which RDS would refuse).
TEST(ApplyExecutor, AClusterSnapshotAskedForBeforeACrashIsFoundNotAskedForAgain) {
    Fixture f = make_fixture({});
    const plan::Step* snapshot = first_of_kind(f.plan, plan::StepKind::snapshot_database);
    ASSERT_NE(snapshot, nullptr);
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f.plan);
    std::string fingerprint = plan::plan_fingerprint(f.plan);
    std::string cluster = physical_id(f.sim, *snapshot);
    std::string snapshot_id = apply::db_snapshot_id(snapshot->id, fingerprint, 1);
    journal.intend_action(id, snapshot->id, "create-db-cluster-snapshot", cluster);
    f.sim.create_db_cluster_snapshot(cluster, snapshot_id);  // then the process was killed
    std::ostringstream out;
    ASSERT_EQ(run(f, journal, id, out).outcome, apply::ApplyOutcome::succeeded) << out.str();
    EXPECT_EQ(f.sim.world().api_calls["CreateDBClusterSnapshot"], 1u);
    EXPECT_EQ(f.sim.world().db_cluster_snapshots.size(), 1u);
    EXPECT_NE(out.str().find("re-attached to cluster snapshot " + snapshot_id + " (asked for before the interruption)"),
              std::string::npos)
        << out.str();
}

TEST(ApplyExecutor, AFailingResourceRollsBackAndStops) {
    cloud::sim::Scenario scenario;
    scenario.failing_resources.push_back({"acme-prod-4-2a-configuration", "GlobalConfiguration", "", false});
    Fixture f = make_fixture(scenario);
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f.plan);
    std::ostringstream out;
    auto result = run(f, journal, id, out);
    EXPECT_EQ(result.outcome, apply::ApplyOutcome::failed);
    EXPECT_NE(result.message.find("UPDATE_ROLLBACK_COMPLETE"), std::string::npos) << result.message;
    EXPECT_EQ(result.failed_step, "h1-14-update-stack-4-2a-configuration");
    EXPECT_EQ(journal.run(id)->outcome, apply::RunOutcome::failed);
    EXPECT_EQ(f.sim.world().api_calls["RunTask"], 0u);

    // Resumed once the cause is gone: a new change set (a new name) for the failed stack only.
    f.sim.world().scenario.failing_resources.clear();
    journal.reopen_run(id);
    auto resumed = run(f, journal, id, out);
    ASSERT_EQ(resumed.outcome, apply::ApplyOutcome::succeeded) << resumed.message;
    int retried = 0;
    for (const auto& c : f.sim.world().change_sets) retried += c.described.name.ends_with("-r2") ? 1 : 0;
    EXPECT_EQ(retried, 1);
}

TEST(ApplyExecutor, AReplacementThePlanDidNotExpectStopsBeforeExecution) {
    Fixture f = make_fixture({});
    // The plan expected the ops stack's task definition to be replaced; pretend it did not.
    plan::Step* ops = nullptr;
    for (auto& hop : f.plan.hops)
        for (auto& step : hop.steps)
            if (step.kind == plan::StepKind::update_stack && step.template_id == "5-2-ecs-ops") ops = &step;
    ASSERT_NE(ops, nullptr);
    auto replaced = std::find_if(ops->resources.begin(), ops->resources.end(),
                                 [](const plan::ResourceImpact& r) { return r.impact == cfn::Impact::will_replace; });
    ASSERT_NE(replaced, ops->resources.end()) << "the example's image bump replaces a task definition";
    std::string logical_id = replaced->logical_id;
    std::string type = replaced->type;
    ops->resources.erase(replaced);
    std::string deployed = f.sim.world().stack(ops->stack)->template_body;

    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f.plan);
    std::ostringstream out;
    auto result = run(f, journal, id, out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::failed) << out.str();
    EXPECT_EQ(result.failed_step, ops->id);
    EXPECT_NE(result.message.find("would replace or remove what the plan did not expect: " + logical_id + " (" + type +
                                  ", Replace True); it was not executed"),
              std::string::npos)
        << result.message;
    const auto* stack = f.sim.world().stack(ops->stack);
    ASSERT_NE(stack, nullptr);
    EXPECT_EQ(stack->template_body, deployed);
    for (const auto& c : f.sim.world().change_sets) {
        if (c.described.stack == ops->stack) {
            EXPECT_EQ(c.described.execution_status, "AVAILABLE") << c.described.name;
        }
    }
}

}  // namespace
}  // namespace stackshift
