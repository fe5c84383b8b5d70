// Whole runs against the simulated AWS with a plan that does not match what the change set
// says: the executor reads each change's PolicyAction, Replacement and Scope and stops before
// executing what the plan did not acknowledge or did not see.

#include <sstream>

#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/file_io.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planner.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::source_path;

struct Fixture {
    cloud::sim::SimCloud sim;
    plan::Plan plan;
};

// The example deployment planned to 3.15.1, where the timescale volume may be replaced (and
// its loss is acknowledged, as the example's README does).
Fixture example() {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment);
    cloud::sim::World world = cloud::sim::world_from_deployment(*deployment, {});
    plan::PlanRequest request;
    request.deployment = cloud::sim::world_to_deployment(world);
    request.deployment_path = "sim:memory";
    request.releases_path = source_path("examples/releases");
    request.to = "3.15.1";
    request.values_path = source_path("examples/values-3.15.1.yaml");
    request.allow_replace = {"acme-prod-2-5-db-timescale/Volume"};
    plan::PlanInputs inputs = plan::load_plan_inputs(request);
    return Fixture{cloud::sim::SimCloud(std::move(world)), plan::make_plan(inputs)};
}

apply::ApplyResult run(Fixture& f, const std::string& journal_path, std::ostream& out) {
    apply::Journal journal(journal_path);
    std::int64_t id = journal.begin_run({f.plan.deployment, plan::plan_fingerprint(f.plan), "3.14.2", "3.15.1"});
    journal.add_steps(id, apply::journal_steps(f.plan));
    apply::Progress progress(out, [&f] { return f.sim.world().clock_s; });
    apply::ExecutorOptions options;
    options.yes = true;
    options.confirm = [](const std::string&) { return true; };  // a person at the terminal accepts each step
    options.container = "ttes";
    apply::Executor executor(f.sim, journal, progress, options);
    return executor.run(f.plan, id, plan::plan_fingerprint(f.plan));
}

plan::Step* update_step(plan::Plan& p, const std::string& template_id) {
    for (auto& hop : p.hops)
        for (auto& step : hop.steps)
            if (step.kind == plan::StepKind::update_stack && step.template_id == template_id) return &step;
    return nullptr;
}

plan::ResourceImpact* resource(plan::Step& step, const std::string& logical_id) {
    for (auto& r : step.resources)
        if (r.logical_id == logical_id) return &r;
    return nullptr;
}

void expect_not_executed(Fixture& f, const plan::Step& step, const std::string& deployed) {
    EXPECT_EQ(f.sim.world().stack(step.stack)->template_body, deployed);
    for (const auto& c : f.sim.world().change_sets) {
        if (c.described.stack == step.stack) {
            EXPECT_EQ(c.described.execution_status, "AVAILABLE") << c.described.name;
        }
    }
}

// ---- a small stack whose volume is replaced for certain, with a plan written by hand -----

constexpr const char* storage = R"(Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 20}
)";

std::string with_policy(std::string body, const std::string& policy) {
    if (policy.empty()) return body;
    return body.insert(body.find("    Properties:"), "    UpdateReplacePolicy: " + policy + "\n");
}

// The stack deployed with `policy` as the volume's UpdateReplacePolicy (none when empty), and
// a plan that moves the volume to another zone, which replaces it.
Fixture storage_fixture(const testing::TempDir& dir, const std::string& policy, bool acknowledged) {
    cfn::Deployment d;
    d.file = "storage.json";
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "storage";
    s.template_id = "2-5-storage";
    s.status = "CREATE_COMPLETE";
    s.template_body = with_policy(storage, policy);
    d.stacks.push_back(s);

    std::string target = dir.file("2-5-storage.yaml");
    std::string moved = with_policy(storage, policy);
    write_file_atomic(target, moved.replace(moved.find("eu-west-1a"), 10, "eu-west-1b"));
    plan::ResourceImpact volume;
    volume.logical_id = "Data";
    volume.type = "AWS::EC2::Volume";
    volume.impact = cfn::Impact::will_replace;
    volume.stateful = true;
    volume.acknowledged = acknowledged;
    volume.scopes = {ChangeScope::properties};
    plan::Step step;
    step.id = "h1-01-update-stack-2-5-storage";
    step.kind = plan::StepKind::update_stack;
    step.title = "Update storage";
    step.stack = "storage";
    step.template_id = "2-5-storage";
    step.template_file = target;
    step.resources = {volume};
    plan::Plan p;
    p.from = *Version::parse("3.14.2");
    p.to = *Version::parse("3.15.1");
    p.deployment = "storage.json";
    p.hops.push_back({p.from, p.to, {step}});
    return Fixture{cloud::sim::SimCloud(cloud::sim::world_from_deployment(d, {})), std::move(p)};
}

TEST(ApplyChangeSetAgainstPlan, AVolumeReplacedWithoutPolicyIsReplaceAndDeleteAndStopsUnlessAcknowledged) {
    testing::TempDir dir;
    Fixture f = storage_fixture(dir, "", false);
    std::string deployed = f.sim.world().stack("storage")->template_body;
    std::ostringstream out;
    auto result = run(f, dir.file("j.db"), out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::failed) << out.str();
    EXPECT_EQ(result.failed_step, "h1-01-update-stack-2-5-storage");
    EXPECT_NE(result.message.find("Data (AWS::EC2::Volume, PolicyAction ReplaceAndDelete): acknowledge its loss with "
                                  "--allow-replace storage/Data, or keep its data with UpdateReplacePolicy Retain or Snapshot"),
              std::string::npos)
        << result.message;
    expect_not_executed(f, f.plan.hops[0].steps[0], deployed);

    testing::TempDir other;
    Fixture acknowledged = storage_fixture(other, "", true);
    auto done = run(acknowledged, other.file("j.db"), out);
    EXPECT_EQ(done.outcome, apply::ApplyOutcome::succeeded) << done.message;
}

TEST(ApplyChangeSetAgainstPlan, AVolumeReplacedWithRetainPolicyIsReplaceAndRetainAndPasses) {
    testing::TempDir dir;
    Fixture f = storage_fixture(dir, "Retain", false);
    std::ostringstream out;
    auto result = run(f, dir.file("j.db"), out);
    EXPECT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message << "\n" << out.str();
    ASSERT_EQ(f.sim.world().change_sets.size(), 1u);
    ASSERT_EQ(f.sim.world().change_sets[0].described.changes.size(), 1u);
    EXPECT_EQ(f.sim.world().change_sets[0].described.changes[0].policy_action, cloud::PolicyAction::replace_and_retain);
}

// ---- the example ---------------------------------------------------------------------------

TEST(ApplyChangeSetAgainstPlan, AConditionalReplacementOfTheExampleVolumeNotAcknowledgedStopsBeforeExecution) {
    Fixture f = example();
    plan::Step* db = update_step(f.plan, "2-5-db-timescale");
    ASSERT_NE(db, nullptr);
    plan::ResourceImpact* volume = resource(*db, "Volume");
    ASSERT_NE(volume, nullptr);
    ASSERT_TRUE(volume->acknowledged);
    volume->acknowledged = false;  // as if --allow-replace had not been given
    std::string deployed = f.sim.world().stack(db->stack)->template_body;

    testing::TempDir dir;
    std::ostringstream out;
    auto result = run(f, dir.file("j.db"), out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::failed) << out.str();
    EXPECT_EQ(result.failed_step, db->id);
    EXPECT_NE(result.message.find("Volume (AWS::EC2::Volume, Replacement Conditional, no PolicyAction): acknowledge its loss "
                                  "with --allow-replace " + db->stack + "/Volume"),
              std::string::npos)
        << result.message;
    expect_not_executed(f, *db, deployed);
}

TEST(ApplyChangeSetAgainstPlan, AScopeThePlanDidNotSeeStopsBeforeExecutionNamingIt) {
    Fixture f = example();
    plan::Step* db = update_step(f.plan, "2-5-db-timescale");
    ASSERT_NE(db, nullptr);
    plan::ResourceImpact* volume = resource(*db, "Volume");
    ASSERT_NE(volume, nullptr);
    ASSERT_TRUE(volume->scopes.contains(ChangeScope::properties));
    volume->scopes = {ChangeScope::tags};  // as if the plan had seen a Tags change only
    std::string deployed = f.sim.world().stack(db->stack)->template_body;

    testing::TempDir dir;
    std::ostringstream out;
    auto result = run(f, dir.file("j.db"), out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::failed) << out.str();
    EXPECT_EQ(result.failed_step, db->id);
    EXPECT_NE(result.message.find("Volume (AWS::EC2::Volume) Properties: the plan changes only its Tags"), std::string::npos)
        << result.message;
    EXPECT_NE(result.message.find("plan again"), std::string::npos) << result.message;
    expect_not_executed(f, *db, deployed);
}

}  // namespace
}  // namespace stackshift
