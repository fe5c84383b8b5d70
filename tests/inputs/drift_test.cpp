// The deployment's drift: read live through a Cloud (the simulator, which answers as AWS does),
// failed closed where it cannot be checked, and carried by the snapshot file.

#include <gtest/gtest.h>

#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/deployment_reader.hpp"
#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift::inputs {
namespace {

using testing::TempDir;

constexpr const char* network_template = R"(
Resources:
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
  Queue:
    Type: AWS::SQS::Queue
)";

cfn::Deployment two_stacks() {
    cfn::Deployment d;
    d.file = "d.json";
    d.region = "eu-west-1";
    for (const char* name : {"shop-1-1-network", "shop-2-1-queue"}) {
        cfn::DeployedStack s;
        s.name = name;
        s.template_id = std::string(name).substr(5);
        s.status = "UPDATE_COMPLETE";
        s.template_body = network_template;
        d.stacks.push_back(s);
    }
    return d;
}

cloud::sim::Scenario scenario(const std::string& text) {
    auto s = cloud::sim::parse_scenario(text, "scenario.yaml");
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : to_string(s.diagnostics()));
    return s.ok() ? *s : cloud::sim::Scenario{};
}

const char* drift_scenario = R"(drift:
  - {stack: shop-1-1-network, logicalId: SecurityGroup, property: "SecurityGroupIngress[0].CidrIp", actual: 0.0.0.0/0}
  - {stack: 2-1-queue, logicalId: Queue, deleted: true}
)";

cfn::Deployment read(cloud::Cloud& cloud) {
    auto profile = profile::builtin_profile("numbered-stacks");
    return read_deployment(cloud, {"shop-", "", {}}, *profile);
}

TEST(DriftReader, RecordsTheDriftedResourcesOfEveryStack) {
    cloud::sim::SimCloud sim(cloud::sim::world_from_deployment(two_stacks(), scenario(drift_scenario)));
    cfn::Deployment d = read(sim);
    ASSERT_EQ(d.stacks.size(), 2u);
    const auto& network = d.stacks[0];
    EXPECT_EQ(network.drift_check, cfn::DriftCheck::checked);
    ASSERT_EQ(network.drift.size(), 1u);
    EXPECT_EQ(network.drift[0].logical_id, "SecurityGroup");
    EXPECT_EQ(network.drift[0].type, "AWS::EC2::SecurityGroup");
    EXPECT_EQ(network.drift[0].status, cfn::DriftStatus::modified);
    ASSERT_EQ(network.drift[0].differences.size(), 1u);
    EXPECT_EQ(network.drift[0].differences[0].path, "/SecurityGroupIngress/0/CidrIp");
    EXPECT_EQ(network.drift[0].differences[0].expected, "10.0.0.0/8");
    EXPECT_EQ(network.drift[0].differences[0].actual, "0.0.0.0/0");
    EXPECT_EQ(network.drift[0].differences[0].type, "NOT_EQUAL");
    const auto& queue = d.stacks[1];
    ASSERT_EQ(queue.drift.size(), 1u);
    EXPECT_EQ(queue.drift[0].status, cfn::DriftStatus::deleted);
    // Both detections ran side by side: started first, then polled together.
    EXPECT_EQ(sim.world().api_calls.at("DetectStackDrift"), 2u);
    EXPECT_EQ(sim.world().api_calls.at("DescribeStackDriftDetectionStatus"), 2u);
}

TEST(DriftReader, ReadsTheSameDriftAsTheWorldGivesDirectly) {
    cloud::sim::World world = cloud::sim::world_from_deployment(two_stacks(), scenario(drift_scenario));
    cfn::Deployment direct = cloud::sim::world_to_deployment(world);
    cloud::sim::SimCloud sim(std::move(world));
    cfn::Deployment live = read(sim);
    direct.file = live.file;
    EXPECT_EQ(deployment_to_json(direct), deployment_to_json(live));
}

TEST(DriftReader, AStackInProgressIsRecordedAsFailedNotDropped) {
    cfn::Deployment deployment = two_stacks();
    deployment.stacks[1].status = "UPDATE_ROLLBACK_IN_PROGRESS";
    cloud::sim::SimCloud sim(cloud::sim::world_from_deployment(deployment, {}));
    cfn::Deployment d = read(sim);
    EXPECT_EQ(d.stacks[0].drift_check, cfn::DriftCheck::checked);
    EXPECT_EQ(d.stacks[1].drift_check, cfn::DriftCheck::failed);
    EXPECT_EQ(d.stacks[1].drift_failure,
              "ValidationError: Stack [shop-2-1-queue] is in UPDATE_ROLLBACK_IN_PROGRESS state and its drift can not be detected");
}

TEST(DriftSnapshot, RoundTripsTheDrift) {
    cloud::sim::World world = cloud::sim::world_from_deployment(two_stacks(), scenario(drift_scenario));
    world.stacks[1].status = "UPDATE_IN_PROGRESS";
    cfn::Deployment d = cloud::sim::world_to_deployment(world);
    TempDir dir;
    std::string text = deployment_to_json(d);
    auto again = load_deployment(dir.write("again.json", text));
    ASSERT_TRUE(again) << to_string(again.diagnostics());
    EXPECT_EQ(again->stacks[0].drift_check, cfn::DriftCheck::checked);
    ASSERT_EQ(again->stacks[0].drift.size(), 1u);
    EXPECT_EQ(again->stacks[0].drift[0].differences.at(0).actual, "0.0.0.0/0");
    EXPECT_EQ(again->stacks[1].drift_check, cfn::DriftCheck::failed);
    EXPECT_EQ(again->stacks[1].drift_failure, d.stacks[1].drift_failure);
    again->file = d.file;
    EXPECT_EQ(deployment_to_json(*again), text);
}

TEST(DriftSnapshot, ASnapshotWithoutDriftWasNeverChecked) {
    TempDir dir;
    auto d = load_deployment(dir.write("d.json", R"({"format": "stackshift-deployment/1", "stacks": [{"name": "a"}]})"));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->stacks[0].drift_check, cfn::DriftCheck::not_checked);
    EXPECT_EQ(deployment_to_json(*d).find("drift"), std::string::npos);
}

TEST(DriftSnapshot, EveryProblemAtItsPlace) {
    TempDir dir;
    auto d = load_deployment(dir.write("d.json", R"({"format": "stackshift-deployment/1", "stacks": [
  {"name": "a", "drift": {"check": "maybe", "colour": 1}},
  {"name": "b", "drift": {"check": "failed"}},
  {"name": "c", "drift": {"check": "checked", "resources": [
    {"logicalId": "G", "type": "AWS::EC2::SecurityGroup", "status": "CHANGED",
     "differences": [{"path": "/X", "expected": "1", "actual": "2", "type": "SAME"}]},
    {"status": "DELETED"}]}}]})"));
    ASSERT_FALSE(d);
    std::string text = to_string(d.diagnostics());
    for (std::size_t at; (at = text.find(dir.path() + "/")) != std::string::npos;) text.erase(at, dir.path().size() + 1);
    EXPECT_EQ(text,
              "d.json:2:55: unknown key 'colour' in drift; expected check, reason, resources\n"
              "d.json:2:36: drift.check must be checked or failed, got 'maybe'\n"
              "d.json:3:26: a failed drift check needs its \"reason\"\n"
              "d.json:5:69: drift status must be MODIFIED or DELETED, got 'CHANGED'\n"
              "d.json:6:77: difference type must be ADD, REMOVE or NOT_EQUAL, got 'SAME'\n"
              "d.json:7:5: a drifted resource needs logicalId and type");
}

}  // namespace
}  // namespace stackshift::inputs
