// ReadOnlyCloud: what reads a live deployment can read through it, and no call that changes
// AWS reaches the Cloud behind it. The Cloud behind is a simulated world, which counts every
// call it receives by its AWS name and would change if a call got through.

#include "cloud/read_only_cloud.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using cloud::ReadOnlyCloud;
using cloud::sim::SimCloud;

constexpr const char* volume_template = R"(
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 100
)";

SimCloud small_world() {
    cfn::Deployment d;
    d.file = "small.json";
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "app";
    s.template_id = "1-1-app";
    s.status = "CREATE_COMPLETE";
    s.template_body = volume_template;
    d.stacks.push_back(s);
    return SimCloud(cloud::sim::world_from_deployment(d, {}));
}

std::string refusal(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::failure);
        return e.what();
    }
    return "(not refused)";
}

TEST(ReadOnlyCloud, ForwardsReads) {
    SimCloud sim = small_world();
    ReadOnlyCloud reader(sim);
    EXPECT_EQ(reader.describe_stack("app").status, "CREATE_COMPLETE");
    EXPECT_EQ(reader.describe_stacks().size(), 1u);
    EXPECT_EQ(reader.get_template("app"), volume_template);
    EXPECT_EQ(reader.describe_stack_resources("app").size(), 1u);
    EXPECT_FALSE(reader.describe_stack_events("app", "").empty());
    EXPECT_EQ(reader.clock_s(), sim.clock_s());
    EXPECT_EQ(sim.world().api_calls.at("DescribeStacks"), 2u);
    EXPECT_EQ(sim.world().api_calls.at("GetTemplate"), 1u);
}

TEST(ReadOnlyCloud, RefusesEveryChangeBeforeTheCloudBehindSeesIt) {
    SimCloud sim = small_world();
    std::string volume = sim.world().volumes.at(0).id;
    std::string before = cloud::sim::world_to_json(sim.world());
    ReadOnlyCloud reader(sim);
    const std::string tail = ": the deployment is only read here, never changed (a read-only connection)";

    cloud::ChangeSetRequest change_set;
    change_set.stack = "app";
    change_set.change_set_name = "c1";
    change_set.template_body = volume_template;
    EXPECT_EQ(refusal([&] { reader.create_change_set(change_set); }), "refused CreateChangeSet of app" + tail);
    EXPECT_EQ(refusal([&] { reader.execute_change_set("app", "c1"); }), "refused ExecuteChangeSet of app" + tail);
    EXPECT_EQ(refusal([&] { reader.delete_change_set("app", "c1"); }), "refused DeleteChangeSet of app" + tail);
    EXPECT_EQ(refusal([&] { reader.update_stack({"app", {}}); }), "refused UpdateStack of app" + tail);
    EXPECT_EQ(refusal([&] { reader.delete_stack("app"); }), "refused DeleteStack of app" + tail);
    cloud::RunTaskRequest task;
    task.cluster = "ops";
    EXPECT_EQ(refusal([&] { reader.run_task(task); }), "refused RunTask of ops" + tail);
    EXPECT_EQ(refusal([&] { reader.terminate_instances({"i-0123"}); }), "refused TerminateInstances of i-0123" + tail);
    EXPECT_EQ(refusal([&] { reader.create_snapshot(volume, "backup"); }), "refused CreateSnapshot of " + volume + tail);
    EXPECT_EQ(refusal([&] { reader.create_db_cluster_snapshot("db", "snap"); }), "refused CreateDBClusterSnapshot of db" + tail);

    // Nothing reached the world: no call counted, no clock moved, nothing changed.
    EXPECT_TRUE(sim.world().api_calls.empty());
    EXPECT_EQ(cloud::sim::world_to_json(sim.world()), before);
}

}  // namespace
}  // namespace stackshift
