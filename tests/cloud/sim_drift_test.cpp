// Drift in the simulated AWS: a scenario changes resources out of band when the world is made,
// DetectStackDrift / DescribeStackDriftDetectionStatus / DescribeStackResourceDrifts report it
// as AWS does, and an update that writes the template's values puts it back in sync.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cloud/sim/drift.hpp"
#include "cloud/sim_support.hpp"
#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"

namespace stackshift {
namespace {

using stackshift::testing::wait_stable;

using stackshift::testing::scenario_from;

using cloud::CloudError;
using cloud::DriftDetectionStatus;
using cloud::ResourceDriftStatus;
using cloud::sim::Scenario;
using cloud::sim::SimCloud;

constexpr const char* network_template = R"(
Parameters:
  Cidr:
    Type: String
    Default: 10.0.0.0/8
Resources:
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: !Ref Cidr
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
  Handle:
    Type: AWS::CloudFormation::WaitConditionHandle
)";

cfn::Deployment network_deployment() {
    return stackshift::testing::one_stack_deployment("acme-2-1-network", "2-1-network", {{"Cidr", "10.0.0.0/8"}}, network_template, "network.json");
}

const std::string cidr_drift = R"(
drift:
  - stack: 2-1-network
    logicalId: SecurityGroup
    property: "SecurityGroupIngress[0].CidrIp"
    actual: 0.0.0.0/0
)";

// Detects and waits as the deployment reader does.
std::vector<cloud::ResourceDrift> detect(cloud::Cloud& c, const std::string& stack) {
    std::string id = c.detect_stack_drift(stack);
    EXPECT_EQ(c.describe_stack_drift_detection_status(id).status, DriftDetectionStatus::in_progress);
    EXPECT_TRUE(c.describe_stack_resource_drifts(stack).empty());  // nothing before the first detection ends
    c.wait(cloud::sim::drift_detection_seconds);
    EXPECT_EQ(c.describe_stack_drift_detection_status(id).status, DriftDetectionStatus::complete);
    return c.describe_stack_resource_drifts(stack);
}

const cloud::ResourceDrift* drift_of(const std::vector<cloud::ResourceDrift>& drifts, const std::string& id) {
    for (const auto& d : drifts)
        if (d.logical_id == id) return &d;
    return nullptr;
}

TEST(SimDrift, AModifiedSecurityGroupIsReportedAsAwsDoes) {
    SimCloud c(cloud::sim::world_from_deployment(network_deployment(), scenario_from(cidr_drift)));
    std::string id = c.detect_stack_drift("acme-2-1-network");
    c.wait(cloud::sim::drift_detection_seconds);
    cloud::StackDriftDetection status = c.describe_stack_drift_detection_status(id);
    EXPECT_EQ(status.status, DriftDetectionStatus::complete);
    EXPECT_EQ(status.stack_drift_status, "DRIFTED");
    EXPECT_EQ(status.drifted_resource_count, 1);
    auto drifts = c.describe_stack_resource_drifts("acme-2-1-network");
    const auto* sg = drift_of(drifts, "SecurityGroup");
    ASSERT_NE(sg, nullptr);
    EXPECT_EQ(sg->status, ResourceDriftStatus::modified);
    EXPECT_EQ(sg->resource_type, "AWS::EC2::SecurityGroup");
    EXPECT_TRUE(sg->physical_id.starts_with("sg-0"));
    ASSERT_EQ(sg->differences.size(), 1u);
    EXPECT_EQ(sg->differences[0].path, "/SecurityGroupIngress/0/CidrIp");
    EXPECT_EQ(sg->differences[0].expected, "10.0.0.0/8");
    EXPECT_EQ(sg->differences[0].actual, "0.0.0.0/0");
    EXPECT_EQ(sg->differences[0].type, cloud::DifferenceType::not_equal);
    auto expected = nlohmann::json::parse(sg->expected_properties);
    auto actual = nlohmann::json::parse(sg->actual_properties);
    EXPECT_EQ(expected["SecurityGroupIngress"][0]["CidrIp"], "10.0.0.0/8");  // the parameter resolved
    EXPECT_EQ(actual["SecurityGroupIngress"][0]["CidrIp"], "0.0.0.0/0");
    EXPECT_EQ(actual["SecurityGroupIngress"][0]["FromPort"], 443);
    ASSERT_NE(drift_of(drifts, "Queue"), nullptr);
    EXPECT_EQ(drift_of(drifts, "Queue")->status, ResourceDriftStatus::in_sync);
    // A type drift detection does not support is not checked, and not listed.
    EXPECT_EQ(drift_of(drifts, "Handle"), nullptr);
}

TEST(SimDrift, ADeletedResourceIsDeletedWithoutProperties) {
    SimCloud c(cloud::sim::world_from_deployment(
        network_deployment(), scenario_from("drift:\n  - {stack: acme-2-1-network, logicalId: Queue, deleted: true}\n")));
    auto drifts = detect(c, "acme-2-1-network");
    const auto* queue = drift_of(drifts, "Queue");
    ASSERT_NE(queue, nullptr);
    EXPECT_EQ(queue->status, ResourceDriftStatus::deleted);
    EXPECT_TRUE(queue->expected_properties.empty());
    EXPECT_TRUE(queue->differences.empty());
}

TEST(SimDrift, AnInSyncStackIsInSync) {
    SimCloud c(cloud::sim::world_from_deployment(network_deployment(), {}));
    std::string id = c.detect_stack_drift("acme-2-1-network");
    c.wait(cloud::sim::drift_detection_seconds);
    EXPECT_EQ(c.describe_stack_drift_detection_status(id).stack_drift_status, "IN_SYNC");
    EXPECT_EQ(c.describe_stack_drift_detection_status(id).drifted_resource_count, 0);
}

TEST(SimDrift, AStackInProgressCannotBeChecked) {
    SimCloud c(cloud::sim::world_from_deployment(network_deployment(), {}));
    c.update_stack({"acme-2-1-network", {cloud::ParameterInput::set("Cidr", "10.1.0.0/16")}});
    try {
        c.detect_stack_drift("acme-2-1-network");
        FAIL() << "detected drift on a stack in progress";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ValidationError");
        EXPECT_EQ(e.message(), "Stack [acme-2-1-network] is in UPDATE_IN_PROGRESS state and its drift can not be detected");
    }
}

TEST(SimDrift, AnUnknownDetectionIdIsAValidationError) {
    SimCloud c(cloud::sim::world_from_deployment(network_deployment(), {}));
    try {
        c.describe_stack_drift_detection_status("00000000-0000-0000-0000-000000000000");
        FAIL();
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ValidationError");
    }
}

TEST(SimDrift, AnUpdateThatWritesThePropertyBringsItInSync) {
    SimCloud c(cloud::sim::world_from_deployment(network_deployment(), scenario_from(cidr_drift)));
    // The parameter the property comes from changes: CloudFormation modifies the group and
    // writes every property the template sets.
    c.update_stack({"acme-2-1-network", {cloud::ParameterInput::set("Cidr", "10.1.0.0/16")}});
    ASSERT_EQ(wait_stable(c, "acme-2-1-network"), "UPDATE_COMPLETE");
    auto drifts = detect(c, "acme-2-1-network");
    ASSERT_NE(drift_of(drifts, "SecurityGroup"), nullptr);
    EXPECT_EQ(drift_of(drifts, "SecurityGroup")->status, ResourceDriftStatus::in_sync);
}

TEST(SimDrift, AnUpdateThatLeavesTheResourceKeepsItsDrift) {
    std::string text = cidr_drift + "  - {stack: acme-2-1-network, logicalId: Queue, property: VisibilityTimeout, actual: \"60\"}\n";
    SimCloud c(cloud::sim::world_from_deployment(network_deployment(), scenario_from(text)));
    c.update_stack({"acme-2-1-network", {cloud::ParameterInput::set("Cidr", "10.1.0.0/16")}});
    ASSERT_EQ(wait_stable(c, "acme-2-1-network"), "UPDATE_COMPLETE");
    auto drifts = detect(c, "acme-2-1-network");
    const auto* queue = drift_of(drifts, "Queue");
    ASSERT_NE(queue, nullptr);
    EXPECT_EQ(queue->status, ResourceDriftStatus::modified);
    ASSERT_EQ(queue->differences.size(), 1u);
    EXPECT_EQ(queue->differences[0].expected, "30");
    EXPECT_EQ(queue->differences[0].actual, "60");
}

TEST(SimDrift, TheWorldKeepsItsDriftAcrossSaves) {
    cloud::sim::World world = cloud::sim::world_from_deployment(network_deployment(), scenario_from(cidr_drift));
    cloud::sim::World again = cloud::sim::world_from_json(cloud::sim::world_to_json(world), "state.json");
    SimCloud c(std::move(again));
    auto drifts = detect(c, "acme-2-1-network");
    ASSERT_NE(drift_of(drifts, "SecurityGroup"), nullptr);
    EXPECT_EQ(drift_of(drifts, "SecurityGroup")->status, ResourceDriftStatus::modified);
}

TEST(SimDrift, TheDeploymentOfAWorldRecordsItsDrift) {
    cfn::Deployment d = cloud::sim::world_to_deployment(cloud::sim::world_from_deployment(network_deployment(), scenario_from(cidr_drift)));
    ASSERT_EQ(d.stacks.size(), 1u);
    EXPECT_EQ(d.stacks[0].drift_check, cfn::DriftCheck::checked);
    ASSERT_EQ(d.stacks[0].drift.size(), 1u);
    EXPECT_EQ(d.stacks[0].drift[0].logical_id, "SecurityGroup");
    EXPECT_EQ(d.stacks[0].drift[0].status, cfn::DriftStatus::modified);
    ASSERT_EQ(d.stacks[0].drift[0].differences.size(), 1u);
    EXPECT_EQ(d.stacks[0].drift[0].differences[0].actual, "0.0.0.0/0");
}

TEST(SimDriftScenario, ProblemsAreAtTheirPlace) {
    auto s = cloud::sim::parse_scenario(R"(drift:
  - stack: acme-2-1-network
    logicalId: SecurityGroup
    property: "SecurityGroupIngress[x].CidrIp"
    actual: 0.0.0.0/0
  - stack: acme-2-1-network
    logicalId: Queue
  - {stack: acme-2-1-network, logicalId: Queue, deleted: maybe}
)",
                                          "scenario.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(to_string(s.diagnostics()),
              "scenario.yaml:4:15: expected a property path such as 'SecurityGroupIngress[0].CidrIp' for 'property', got "
              "'SecurityGroupIngress[x].CidrIp'\n"
              "scenario.yaml:6:5: a drift entry needs 'property' and 'actual', or 'deleted: true'\n"
              "scenario.yaml:8:58: expected true or false for 'deleted', got 'maybe'\n"
              "scenario.yaml:8:5: a drift entry needs 'property' and 'actual', or 'deleted: true'");
}

TEST(SimDriftScenario, AnEntryNamingNoResourceStopsTheWorld) {
    auto s = scenario_from("drift:\n  - {stack: 2-1-network, logicalId: Nope, property: A, actual: b}\n");
    try {
        cloud::sim::world_from_deployment(network_deployment(), s);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "scenario.yaml:2:5: drift names resource 'Nope', which stack 'acme-2-1-network' does not have");
    }
}

TEST(SimDriftScenario, PropertyPaths) {
    EXPECT_EQ(cloud::sim::parse_property_path("SecurityGroupIngress[0].CidrIp"),
              (std::vector<std::string>{"SecurityGroupIngress", "0", "CidrIp"}));
    EXPECT_EQ(cloud::sim::parse_property_path("InstanceType"), (std::vector<std::string>{"InstanceType"}));
    EXPECT_EQ(cloud::sim::parse_property_path("A[1][2]"), (std::vector<std::string>{"A", "1", "2"}));
    EXPECT_FALSE(cloud::sim::parse_property_path("A."));
    EXPECT_FALSE(cloud::sim::parse_property_path("[0]"));
    EXPECT_FALSE(cloud::sim::parse_property_path("A[]"));
    EXPECT_EQ(cloud::sim::property_path_text({"A", "0", "B"}), "/A/0/B");
}

}  // namespace
}  // namespace stackshift
