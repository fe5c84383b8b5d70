// The operator in control (issue 17, point 5): --yes accepts routine confirmations only; a step
// that destroys something needs --confirm STEP_ID (or an interactive yes that shows what it acts
// on); --skip leaves out a step the plan marks optional, journaled; the run ends with the manual
// work --yes accepted listed as outstanding and does not call the deployment upgraded.

#include <gtest/gtest.h>

#include <sstream>

#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply_cli_support.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"

namespace stackshift {
namespace {

using namespace testing;
using nlohmann::json;

const std::string terminate_step = "h1-10-terminate-instance-2-5-db-timescale-Instance";
const std::string procedure_step = "h1-06-manual";  // "Upgrade procedure (3.15.0)": a person's work

class ApplyOperator : public ::testing::Test {
protected:
    void SetUp() override { init_world(state); }
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
};

TEST_F(ApplyOperator, YesDoesNotAcceptADestructiveStepAndConfirmByNameDoes) {
    // --confirm of the procedure step (done by hand) only: the termination is not named.
    auto first = run_stackshift(apply_args(state, journal, {"--yes", "--confirm", procedure_step}));
    ASSERT_EQ(first.exit_code, 1) << first.out << first.err;
    EXPECT_NE(first.err.find("stopped at step " + terminate_step + ": step " + terminate_step +
                             " (terminate-instance) destroys what it acts on, so --yes does not accept it: check it, then run "
                             "the same command with --confirm " + terminate_step + " and --resume"),
              std::string::npos)
        << first.err;
    EXPECT_EQ(calls(status(state), "TerminateInstances"), 0U);
    // The resume command keeps the confirmations given.
    EXPECT_NE(first.err.find("--confirm " + procedure_step + " --yes --resume"), std::string::npos) << first.err;

    auto resumed = run_stackshift(apply_args(state, journal, {"--yes", "--confirm", procedure_step, "--confirm", terminate_step, "--resume"}));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("confirmed by --confirm " + terminate_step), std::string::npos) << resumed.out;
    EXPECT_NE(resumed.out.find("done: sim:" + state + " is at 3.15.1"), std::string::npos) << resumed.out;
    EXPECT_EQ(calls(status(state), "TerminateInstances"), 1U);
}

TEST_F(ApplyOperator, ManualWorkYesAcceptedIsOutstandingAndTheDeploymentIsNotCalledUpgraded) {
    auto r = run_stackshift(apply_args(state, journal, {"--yes", "--confirm", terminate_step}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("outstanding manual work (accepted by --yes; nobody said it was done):\n  - " + procedure_step +
                         ": Upgrade procedure (3.15.0)\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find(" is at 3.15.1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("is not at 3.15.1 until the work above is done"), std::string::npos) << r.out;
    apply::Journal j(journal, apply::JournalAccess::read_existing);
    auto step = j.step(j.runs().front().id, procedure_step);
    ASSERT_TRUE(step);
    EXPECT_EQ(step->status, apply::StepStatus::done);
    EXPECT_EQ(step->message, "outstanding");
    EXPECT_EQ(j.runs().front().message, "1 step(s) of manual work outstanding");
}

TEST_F(ApplyOperator, AStepIdThePlanDoesNotHaveOrASkipOfARequiredStepIsBadInputAndChangesNothing) {
    auto typo = run_stackshift(apply_args(state, journal, {"--yes", "--confirm", "h1-10-terminate-instance-2-5-db-timescale-Instanc"}));
    EXPECT_EQ(typo.exit_code, 2) << typo.out << typo.err;
    EXPECT_NE(typo.err.find("did you mean '" + terminate_step + "'"), std::string::npos) << typo.err;
    auto required = run_stackshift(apply_args(state, journal, {"--yes", "--confirm", terminate_step, "--skip", terminate_step}));
    EXPECT_EQ(required.exit_code, 2) << required.out << required.err;
    EXPECT_NE(required.err.find("--skip " + terminate_step + ": the plan needs this step (terminate-instance)"), std::string::npos)
        << required.err;
    auto s = status(state);
    EXPECT_EQ(calls(s, "CreateChangeSet") + calls(s, "UpdateStack"), 0U);
}

TEST_F(ApplyOperator, ASkippableStepLeftOutIsJournaledSkipped) {
    const std::string optional_deploy = "h1-25-manual-5-6-ecs-noc";  // "(optional) Deploy 5-6-ecs-noc"
    auto plan = plan_json(state, "3.19.2");
    bool found = false;
    for (const auto& hop : plan["hops"])
        for (const auto& step : hop["steps"])
            if (step["id"] == optional_deploy) found = step.value("skippable", false);
    ASSERT_TRUE(found) << "the example's plan to 3.19.2 has no skippable " << optional_deploy;
    std::vector<std::string> extra = {"--yes", "--skip", optional_deploy};
    for (const auto& id : {"h1-06-manual", "h1-19-manual-noc-db", "h1-10-terminate-instance-2-5-db-timescale-Instance",
                           "h1-16-refresh-instances-5-1-ecs-cluster-machines"})
        extra.insert(extra.end(), {"--confirm", id});
    auto r = run_stackshift(apply_args(state, journal, extra, "3.19.2"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("skipped by --skip " + optional_deploy), std::string::npos) << r.out;
    apply::Journal j(journal, apply::JournalAccess::read_existing);
    auto step = j.step(j.runs().front().id, optional_deploy);
    ASSERT_TRUE(step);
    EXPECT_EQ(step->status, apply::StepStatus::skipped);
    EXPECT_EQ(step->message, "skipped by --skip");
    EXPECT_NE(r.out.find("done: sim:" + state + " is at 3.19.2"), std::string::npos) << r.out;
}

// On a terminal, the question of a destructive step shows what it acts on as AWS names it.
TEST(ApplyOperatorTerminal, TheQuestionOfADestructiveStepShowsThePhysicalId) {
    auto deployment = inputs::load_deployment(source_path(example_deployment));
    ASSERT_TRUE(deployment);
    cloud::sim::SimCloud sim(cloud::sim::world_from_deployment(*deployment, {}));
    plan::PlanRequest request;
    request.deployment = *deployment;
    request.deployment_path = "example";
    request.releases_path = source_path("examples/releases");
    request.to = "3.15.1";
    request.values_path = values_for("3.15.1");
    request.allow_replace = {acknowledged[0]};
    plan::Plan p = plan::make_plan(plan::load_plan_inputs(request));
    std::string instance;
    for (const auto& r : sim.describe_stack_resources("acme-prod-2-5-db-timescale"))
        if (r.logical_id == "Instance") instance = r.physical_id;
    ASSERT_FALSE(instance.empty());

    apply::Journal journal{std::string(apply::in_memory_journal)};
    std::string fingerprint = plan::plan_fingerprint(p);
    auto run = journal.begin_run({"example", fingerprint, "3.14.2", "3.15.1"}, apply::journal_steps(p));
    std::ostringstream out;
    apply::Progress progress(out, [&sim] { return sim.clock_s(); });
    apply::ExecutorOptions options;
    options.container = "ttes";
    std::vector<std::string> questions;
    options.confirm = [&questions](const std::string& q) {
        questions.push_back(q);
        return true;
    };
    apply::Executor executor(sim, journal, progress, options);
    auto result = executor.run(p, run, fingerprint);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message;
    EXPECT_TRUE(result.outstanding.empty());  // a person answered for the manual work
    std::string asked;
    for (const auto& q : questions)
        if (q.find(terminate_step) != std::string::npos) asked = q;
    EXPECT_EQ(asked, "Step " + terminate_step + " (Terminate the TimescaleDB machine Instance) acts on " + instance +
                         " (acme-prod-2-5-db-timescale/Instance). Go on? [y/N] ");
}

}  // namespace
}  // namespace stackshift
