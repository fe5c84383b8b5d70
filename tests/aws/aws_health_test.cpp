// The AWS backend's DescribeServices (paged by ten, failures kept as MISSING) and instance
// refresh calls (the preferences sent, InstanceRefreshInProgress as data, the answers read), with
// an in-memory process runner.

#include <gtest/gtest.h>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "test_support.hpp"

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
ProcessResult aws_error(const std::string& code, const std::string& op, const std::string& message) {
    return {254, "", "\nAn error occurred (" + code + ") when calling the " + op + " operation: " + message + "\n"};
}

TEST(AwsServices, DescribeServicesReadsDeploymentsAndKeepsAMissingServiceTyped) {
    Backend b([](const Args&) {
        return ok(R"({"services": [{"serviceArn": "arn:aws:ecs:eu-west-1:1:service/main/web", "serviceName": "web",
            "clusterArn": "arn:aws:ecs:eu-west-1:1:cluster/main", "status": "ACTIVE", "desiredCount": 2, "runningCount": 1,
            "pendingCount": 1, "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/web:7",
            "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY", "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/web:7",
                             "desiredCount": 2, "runningCount": 1, "pendingCount": 1, "rolloutState": "IN_PROGRESS",
                             "rolloutStateReason": "ECS deployment ecs-svc/1 in progress."},
                            {"id": "ecs-svc/0", "status": "ACTIVE", "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/web:6",
                             "desiredCount": 0, "runningCount": 0, "pendingCount": 0, "rolloutState": "COMPLETED"}],
            "events": [{"id": "e1", "message": "(service web) has started 1 tasks."}]}],
            "failures": [{"arn": "arn:aws:ecs:eu-west-1:1:service/main/api", "reason": "MISSING"}]})");
    });
    auto services = b.cloud->describe_services("main", {"arn:aws:ecs:eu-west-1:1:service/main/web", "arn:aws:ecs:eu-west-1:1:service/main/api"});
    EXPECT_EQ(b.runner->calls().at(0), (Args{"ecs", "describe-services", "--cluster", "main", "--services",
                                            "arn:aws:ecs:eu-west-1:1:service/main/web", "arn:aws:ecs:eu-west-1:1:service/main/api",
                                            "--output", "json"}));
    ASSERT_EQ(services.size(), 2u);
    const Service& web = services[0];
    EXPECT_EQ(web.name, "web");
    EXPECT_EQ(web.cluster, "arn:aws:ecs:eu-west-1:1:cluster/main");
    EXPECT_EQ(web.status, "ACTIVE");
    EXPECT_EQ(web.desired_count, 2);
    EXPECT_EQ(web.running_count, 1);
    EXPECT_EQ(web.pending_count, 1);
    ASSERT_EQ(web.deployments.size(), 2u);
    EXPECT_EQ(web.deployments[0].status, "PRIMARY");
    EXPECT_EQ(web.deployments[0].rollout_state, "IN_PROGRESS");
    EXPECT_EQ(web.deployments[0].rollout_state_reason, "ECS deployment ecs-svc/1 in progress.");
    EXPECT_EQ(web.deployments[0].task_definition, "arn:aws:ecs:eu-west-1:1:task-definition/web:7");
    EXPECT_EQ(web.deployments[1].status, "ACTIVE");
    EXPECT_EQ(web.events, (std::vector<std::string>{"(service web) has started 1 tasks."}));
    EXPECT_EQ(services[1].status, "MISSING");
    EXPECT_EQ(services[1].arn, "arn:aws:ecs:eu-west-1:1:service/main/api");
    EXPECT_EQ(services[1].name, "api");
}

TEST(AwsServices, ElevenServicesAreAskedForInTwoCallsOfTenAndOne) {
    Backend b([](const Args& argv) {
        std::string out = R"({"services": [)";
        for (std::size_t i = 6; i < argv.size() && argv[i] != "--output"; ++i)
            out += std::string(i > 6 ? "," : "") + R"({"serviceArn": ")" + argv[i] + R"(", "status": "ACTIVE"})";
        return ok(out + "]}");
    });
    std::vector<std::string> names;
    for (int i = 0; i < 11; ++i) names.push_back("s" + std::to_string(i));
    auto services = b.cloud->describe_services("main", names);
    auto calls = b.runner->calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].size(), 5u + 10u + 2u);
    EXPECT_EQ(calls[1], (Args{"ecs", "describe-services", "--cluster", "main", "--services", "s10", "--output", "json"}));
    ASSERT_EQ(services.size(), 11u);
    EXPECT_EQ(services[10].arn, "s10");
}

TEST(AwsServices, AClusterECSDoesNotKnowIsARefusal) {
    Backend b([](const Args&) { return aws_error("ClusterNotFoundException", "DescribeServices", "Cluster not found."); });
    try {
        b.cloud->describe_services("nope", {"web"});
        ADD_FAILURE() << "no error";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ClusterNotFoundException");
        EXPECT_EQ(e.message(), "Cluster not found.");
    }
}

TEST(AwsInstanceRefresh, StartSendsTheMinimumHealthyPercentageAndReturnsTheId) {
    Backend b([](const Args&) { return ok(R"({"InstanceRefreshId": "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b"})"); });
    auto started = b.cloud->start_instance_refresh("acme-asg", 50);
    EXPECT_EQ(b.runner->calls().at(0), (Args{"autoscaling", "start-instance-refresh", "--auto-scaling-group-name", "acme-asg",
                                            "--preferences", R"({"MinHealthyPercentage":50})", "--output", "json"}));
    EXPECT_FALSE(started.already_in_progress);
    EXPECT_EQ(started.id, "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b");
}

TEST(AwsInstanceRefresh, ARefreshInProgressIsAnsweredAsDataAndOtherErrorsThrow) {
    const std::string message = "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.";
    Backend running([&](const Args&) { return aws_error("InstanceRefreshInProgress", "StartInstanceRefresh", message); });
    auto started = running.cloud->start_instance_refresh("acme-asg", 50);
    EXPECT_TRUE(started.already_in_progress);
    EXPECT_TRUE(started.id.empty());
    EXPECT_EQ(started.message, message);

    Backend unknown([](const Args&) {
        return aws_error("ValidationError", "StartInstanceRefresh", "AutoScalingGroup name not found - AutoScalingGroup x not found");
    });
    try {
        unknown.cloud->start_instance_refresh("x", 50);
        ADD_FAILURE() << "no error";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ValidationError");
    }
    Backend empty([](const Args&) { return ok("{}"); });
    EXPECT_THROW(empty.cloud->start_instance_refresh("acme-asg", 50), CloudError) << "an answer without an id started nothing we can follow";
}

TEST(AwsInstanceRefresh, DescribeReadsStatusProgressAndTimes) {
    Backend b([](const Args&) {
        return ok(R"({"InstanceRefreshes": [{"InstanceRefreshId": "r-2", "AutoScalingGroupName": "acme-asg", "Status": "Failed",
            "StatusReason": "Instance refresh failed: timed out waiting for healthy instances", "StartTime": "2026-12-07T10:00:00+00:00",
            "EndTime": "2026-12-07T10:20:00+00:00", "PercentageComplete": 50, "InstancesToUpdate": 2},
            {"InstanceRefreshId": "r-1", "AutoScalingGroupName": "acme-asg", "Status": "Pending"}]})");
    });
    auto refreshes = b.cloud->describe_instance_refreshes("acme-asg", {"r-2", "r-1"});
    EXPECT_EQ(b.runner->calls().at(0), (Args{"autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "acme-asg",
                                            "--instance-refresh-ids", "r-2", "r-1", "--output", "json"}));
    ASSERT_EQ(refreshes.size(), 2u);
    EXPECT_EQ(refreshes[0].id, "r-2");
    EXPECT_EQ(refreshes[0].group, "acme-asg");
    EXPECT_EQ(refreshes[0].status, "Failed");
    EXPECT_EQ(refreshes[0].status_reason, "Instance refresh failed: timed out waiting for healthy instances");
    EXPECT_EQ(refreshes[0].percentage_complete, 50);
    EXPECT_EQ(refreshes[0].instances_to_update, 2);
    EXPECT_EQ(refreshes[0].end_time_s - refreshes[0].start_time_s, 1200);
    EXPECT_EQ(refreshes[1].status, "Pending");
    EXPECT_EQ(refreshes[1].start_time_s, 0);

    Backend all([](const Args&) { return ok(R"({"InstanceRefreshes": []})"); });
    EXPECT_TRUE(all.cloud->describe_instance_refreshes("acme-asg", {}).empty());
    EXPECT_EQ(all.runner->calls().at(0),
              (Args{"autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "acme-asg", "--output", "json"}));
}

}  // namespace
}  // namespace stackshift::cloud::aws
