// Drift through the AWS backend with an in-memory process runner: the three CLI commands, how
// their JSON is read, the pages of describe-stack-resource-drifts, and the deployment reader
// recording what they say.

#include <gtest/gtest.h>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "inputs/deployment_reader.hpp"
#include "profile/profile.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;
using Args = std::vector<std::string>;

struct Backend {
    std::shared_ptr<FakeRunner> runner;
    std::shared_ptr<AwsCli> cli;
    std::unique_ptr<AwsCloud> cloud;

    explicit Backend(FakeRunner::Handler handler) : runner(std::make_shared<FakeRunner>(std::move(handler))) {
        AwsOptions o;
        o.cli = "/bin/true";
        o.throttle_base_ms = 1;
        cli = std::make_shared<AwsCli>(o, runner, [](std::int64_t) {});
        cloud = std::make_unique<AwsCloud>(cli);
    }
};

ProcessResult ok(const std::string& out) { return {0, out, ""}; }

const std::string modified_group = R"({
  "StackId": "arn:aws:cloudformation:eu-west-1:1:stack/acme-2-1-network/x",
  "LogicalResourceId": "SecurityGroup", "PhysicalResourceId": "sg-0abc", "ResourceType": "AWS::EC2::SecurityGroup",
  "ExpectedProperties": "{\"SecurityGroupIngress\":[{\"CidrIp\":\"10.0.0.0/8\"}]}",
  "ActualProperties": "{\"SecurityGroupIngress\":[{\"CidrIp\":\"0.0.0.0/0\"}]}",
  "PropertyDifferences": [{"PropertyPath": "/SecurityGroupIngress/0/CidrIp", "ExpectedValue": "10.0.0.0/8",
                           "ActualValue": "0.0.0.0/0", "DifferenceType": "NOT_EQUAL"}],
  "StackResourceDriftStatus": "MODIFIED", "Timestamp": "2026-12-07T10:00:00.000Z"})";

TEST(AwsDrift, DetectStackDriftReturnsTheDetectionId) {
    Backend b([](const Args&) { return ok(R"({"StackDriftDetectionId": "b78ac9b0-dec1-11e8-a451-503f3157b0fd"})"); });
    EXPECT_EQ(b.cloud->detect_stack_drift("acme-2-1-network"), "b78ac9b0-dec1-11e8-a451-503f3157b0fd");
    EXPECT_EQ(b.runner->calls()[0], (Args{"cloudformation", "detect-stack-drift", "--stack-name", "acme-2-1-network", "--output", "json"}));
}

TEST(AwsDrift, DetectStackDriftWithoutAnIdIsAnError) {
    Backend b([](const Args&) { return ok("{}"); });
    EXPECT_THROW(b.cloud->detect_stack_drift("acme-2-1-network"), CloudError);
}

TEST(AwsDrift, DetectionStatusIsRead) {
    Backend b([](const Args&) {
        return ok(R"({"StackId": "arn:s", "StackDriftDetectionId": "d-1", "StackDriftStatus": "DRIFTED",
                      "DetectionStatus": "DETECTION_COMPLETE", "DriftedStackResourceCount": 2, "Timestamp": "2026-12-07T10:00:00Z"})");
    });
    StackDriftDetection d = b.cloud->describe_stack_drift_detection_status("d-1");
    EXPECT_EQ(b.runner->calls()[0],
              (Args{"cloudformation", "describe-stack-drift-detection-status", "--stack-drift-detection-id", "d-1", "--output", "json"}));
    EXPECT_EQ(d.id, "d-1");
    EXPECT_EQ(d.stack_id, "arn:s");
    EXPECT_EQ(d.status, DriftDetectionStatus::complete);
    EXPECT_EQ(d.stack_drift_status, "DRIFTED");
    EXPECT_EQ(d.drifted_resource_count, 2);
}

TEST(AwsDrift, AFailedDetectionKeepsItsReason) {
    Backend b([](const Args&) {
        return ok(R"({"StackDriftDetectionId": "d-1", "DetectionStatus": "DETECTION_FAILED",
                      "DetectionStatusReason": "Failed to detect drift on resources [Queue]", "StackDriftStatus": "UNKNOWN"})");
    });
    StackDriftDetection d = b.cloud->describe_stack_drift_detection_status("d-1");
    EXPECT_EQ(d.status, DriftDetectionStatus::failed);
    EXPECT_EQ(d.status_reason, "Failed to detect drift on resources [Queue]");
}

TEST(AwsDrift, AnUnknownDetectionStatusIsAnError) {
    Backend b([](const Args&) { return ok(R"({"DetectionStatus": "DETECTION_SOMEHOW"})"); });
    EXPECT_THROW(b.cloud->describe_stack_drift_detection_status("d-1"), CloudError);
}

TEST(AwsDrift, ResourceDriftsAreReadPageByPage) {
    Backend b([](const Args& argv) {
        if (std::find(argv.begin(), argv.end(), "--next-token") == argv.end())
            return ok(R"({"StackResourceDrifts": [)" + modified_group + R"(], "NextToken": "page-2"})");
        return ok(R"({"StackResourceDrifts": [{"LogicalResourceId": "Queue", "ResourceType": "AWS::SQS::Queue",
                       "PhysicalResourceId": "https://sqs/q", "StackResourceDriftStatus": "DELETED"}]})");
    });
    auto drifts = b.cloud->describe_stack_resource_drifts("acme-2-1-network");
    auto calls = b.runner->calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0], (Args{"cloudformation", "describe-stack-resource-drifts", "--stack-name", "acme-2-1-network", "--no-paginate",
                              "--output", "json"}));
    EXPECT_EQ(calls[1], (Args{"cloudformation", "describe-stack-resource-drifts", "--stack-name", "acme-2-1-network", "--no-paginate",
                              "--next-token", "page-2", "--output", "json"}));
    ASSERT_EQ(drifts.size(), 2u);
    EXPECT_EQ(drifts[0].logical_id, "SecurityGroup");
    EXPECT_EQ(drifts[0].physical_id, "sg-0abc");
    EXPECT_EQ(drifts[0].status, ResourceDriftStatus::modified);
    EXPECT_EQ(drifts[0].expected_properties, R"({"SecurityGroupIngress":[{"CidrIp":"10.0.0.0/8"}]})");
    ASSERT_EQ(drifts[0].differences.size(), 1u);
    EXPECT_EQ(drifts[0].differences[0].path, "/SecurityGroupIngress/0/CidrIp");
    EXPECT_EQ(drifts[0].differences[0].expected, "10.0.0.0/8");
    EXPECT_EQ(drifts[0].differences[0].actual, "0.0.0.0/0");
    EXPECT_EQ(drifts[0].differences[0].type, DifferenceType::not_equal);
    EXPECT_EQ(drifts[1].status, ResourceDriftStatus::deleted);
}

TEST(AwsDrift, AnUnknownResourceStatusIsNeverInSync) {
    Backend b([](const Args&) { return ok(R"({"StackResourceDrifts": [{"LogicalResourceId": "Q", "StackResourceDriftStatus": "SOMETHING_NEW"}]})"); });
    EXPECT_EQ(b.cloud->describe_stack_resource_drifts("s").at(0).status, ResourceDriftStatus::unknown);
}

// The reader through the AWS backend: a detection in progress, polled, then its results.
TEST(AwsDrift, TheDeploymentReaderRecordsTheDrift) {
    int polls = 0;
    Backend b([&](const Args& argv) {
        const std::string& op = argv[2];
        if (op == "describe-stacks")
            return ok(R"({"Stacks": [{"StackName": "acme-2-1-network", "StackId": "arn:aws:cloudformation:eu-west-1:1:stack/acme-2-1-network/x",
                           "StackStatus": "UPDATE_COMPLETE"}]})");
        if (op == "get-template") return ok(R"({"TemplateBody": "Resources:\n  SecurityGroup: {Type: AWS::EC2::SecurityGroup}\n"})");
        if (op == "detect-stack-drift") return ok(R"({"StackDriftDetectionId": "d-1"})");
        if (op == "describe-stack-drift-detection-status")
            return ok(++polls < 2 ? R"({"StackDriftDetectionId": "d-1", "DetectionStatus": "DETECTION_IN_PROGRESS"})"
                                  : R"({"StackDriftDetectionId": "d-1", "DetectionStatus": "DETECTION_COMPLETE", "StackDriftStatus": "DRIFTED"})");
        return ok(R"({"StackResourceDrifts": [)" + modified_group + "]}");
    });
    auto profile = profile::builtin_profile("numbered-stacks");
    inputs::DeploymentQuery query{"acme-", "", {}};
    query.drift.interval_s = 0;  // the fake answers at once: no real sleep between polls
    cfn::Deployment d = inputs::read_deployment(*b.cloud, query, *profile);
    EXPECT_EQ(polls, 2);
    ASSERT_EQ(d.stacks.size(), 1u);
    EXPECT_EQ(d.stacks[0].drift_check, cfn::DriftCheck::checked);
    ASSERT_EQ(d.stacks[0].drift.size(), 1u);
    EXPECT_EQ(d.stacks[0].drift[0].logical_id, "SecurityGroup");
    EXPECT_EQ(d.stacks[0].drift[0].differences.at(0).type, "NOT_EQUAL");
}

}  // namespace
}  // namespace stackshift::cloud::aws
