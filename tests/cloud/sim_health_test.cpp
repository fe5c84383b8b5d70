// The simulator's DescribeServices (settled, rolling, not stabilizing, missing) and its Auto
// Scaling instance refreshes (batches that keep the minimum in service, the end on the current
// launch configuration, a scenario's failure, the state file across a refresh).

#include <algorithm>

#include "cloud/read_only_cloud.hpp"
#include "cloud/sim/instance_refresh.hpp"
#include "core/error.hpp"
#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim_support.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using cloud::ParameterInput;
using cloud::sim::Scenario;
using cloud::sim::SimCloud;
using testing::scenario_from;
using testing::wait_stable;

SimCloud cloud_with(const std::string& body, const std::map<std::string, std::string>& parameters, const Scenario& scenario = {}) {
    return SimCloud(cloud::sim::world_from_deployment(testing::one_stack_deployment("app", "1-1-app", parameters, body), scenario));
}

std::string physical_id(cloud::Cloud& c, const std::string& logical_id) {
    for (const auto& r : c.describe_stack_resources("app"))
        if (r.logical_id == logical_id) return r.physical_id;
    return {};
}

// ---- DescribeServices ----------------------------------------------------------------------

constexpr const char* service_template = R"(
Parameters:
  Image: {Type: String}
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: app, Image: !Ref Image}
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: main
      ServiceName: web
      TaskDefinition: !Ref TaskDefinition
      DesiredCount: 3
)";

cloud::Service the_service(SimCloud& c) {
    auto found = c.describe_services("main", {physical_id(c, "Service")});
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? cloud::Service{} : found[0];
}

TEST(SimDescribeServices, ASettledServiceRunsItsDesiredCountInOneCompletedPrimaryDeployment) {
    SimCloud c = cloud_with(service_template, {{"Image", "app:1"}});
    std::string arn = physical_id(c, "Service");
    EXPECT_EQ(arn, "arn:aws:ecs:eu-west-1:123456789012:service/main/web") << "CloudFormation's physical id of a service";
    std::uint64_t calls = c.world().api_calls["DescribeServices"];
    cloud::Service s = the_service(c);
    EXPECT_EQ(c.world().api_calls["DescribeServices"], calls + 1);
    EXPECT_EQ(s.arn, arn);
    EXPECT_EQ(s.name, "web");
    EXPECT_EQ(s.cluster, "arn:aws:ecs:eu-west-1:123456789012:cluster/main");
    EXPECT_EQ(s.status, "ACTIVE");
    EXPECT_EQ(s.desired_count, 3);
    EXPECT_EQ(s.running_count, 3);
    ASSERT_EQ(s.deployments.size(), 1u);
    EXPECT_EQ(s.deployments[0].status, "PRIMARY");
    EXPECT_EQ(s.deployments[0].rollout_state, "COMPLETED");
    EXPECT_EQ(s.deployments[0].task_definition, physical_id(c, "TaskDefinition"));
    EXPECT_EQ(s.task_definition, physical_id(c, "TaskDefinition"));
    // By name in the cluster, as ECS takes it too.
    EXPECT_EQ(c.describe_services("main", {"web"}).at(0).arn, arn);
}

TEST(SimDescribeServices, DuringARolloutTheNewPrimaryDeploymentRunsBesideTheActiveOne) {
    SimCloud c = cloud_with(service_template, {{"Image", "app:1"}});
    std::string old_revision = physical_id(c, "TaskDefinition");
    c.update_stack({"app", {ParameterInput::set("Image", "app:2")}});
    bool seen_rollout = false;
    while (c.describe_stack("app").status.ends_with("_IN_PROGRESS")) {
        cloud::Service s = the_service(c);
        if (s.deployments.size() == 2) {
            seen_rollout = true;
            EXPECT_EQ(s.deployments[0].status, "PRIMARY");
            EXPECT_NE(s.deployments[0].task_definition, old_revision);
            EXPECT_EQ(s.deployments[1].status, "ACTIVE");
            EXPECT_EQ(s.deployments[1].task_definition, old_revision);
            if (s.deployments[0].running_count < 3) {
                EXPECT_EQ(s.deployments[0].rollout_state, "IN_PROGRESS");
            }
        }
        c.wait(20);
    }
    EXPECT_TRUE(seen_rollout);
    cloud::Service settled = the_service(c);
    ASSERT_EQ(settled.deployments.size(), 1u);
    EXPECT_EQ(settled.deployments[0].rollout_state, "COMPLETED");
    EXPECT_EQ(settled.deployments[0].task_definition, physical_id(c, "TaskDefinition"));
}

TEST(SimDescribeServices, AnUnhealthyServiceKeepsTasksDownAndItsDeploymentInProgress) {
    Scenario scenario = scenario_from("unhealthy_services:\n  - {stack: 1-1-app, logicalId: Service, running: 1}\n");
    SimCloud c = cloud_with(service_template, {{"Image", "app:1"}}, scenario);
    cloud::Service s = the_service(c);
    EXPECT_EQ(s.desired_count, 3);
    EXPECT_EQ(s.running_count, 1);
    EXPECT_EQ(s.pending_count, 2);
    ASSERT_EQ(s.deployments.size(), 1u);
    EXPECT_EQ(s.deployments[0].rollout_state, "IN_PROGRESS");
    ASSERT_EQ(s.events.size(), 1u);
    EXPECT_EQ(s.events[0], "(service web) is unable to consistently start tasks successfully. For more information, see "
                           "the Troubleshooting section of the Amazon ECS Developer Guide.");
    c.wait(3600);
    EXPECT_EQ(the_service(c).running_count, 1) << "it does not heal with time";
}

TEST(SimDescribeServices, AServiceThatDoesNotStabilizeEndsWithAFailedDeployment) {
    Scenario scenario = scenario_from("unsettled_services:\n  - {stack: app, logicalId: Service}\n");
    SimCloud c = cloud_with(std::string(service_template) + "      DeploymentConfiguration:\n        DeploymentCircuitBreaker: {Enable: true, Rollback: true}\n",
                            {{"Image", "app:1"}}, scenario);
    c.update_stack({"app", {ParameterInput::set("Image", "app:2")}});
    ASSERT_EQ(wait_stable(c, "app"), "UPDATE_ROLLBACK_COMPLETE");
    cloud::Service s = the_service(c);
    ASSERT_EQ(s.deployments.size(), 1u);
    EXPECT_EQ(s.deployments[0].rollout_state, "FAILED");
}

TEST(SimDescribeServices, AnUnknownServiceIsMissingAndMoreThanTenAreRefused) {
    SimCloud c = cloud_with(service_template, {{"Image", "app:1"}});
    auto found = c.describe_services("main", {"web", "api"});
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].status, "ACTIVE");
    EXPECT_EQ(found[1].status, "MISSING");
    EXPECT_EQ(found[1].arn, "arn:aws:ecs:eu-west-1:123456789012:service/main/api");
    EXPECT_EQ(c.describe_services("other", {"web"}).at(0).status, "MISSING") << "a service is looked for in its cluster";
    std::vector<std::string> eleven(11, "web");
    try {
        c.describe_services("main", eleven);
        ADD_FAILURE() << "eleven services were described";
    } catch (const cloud::CloudError& e) {
        EXPECT_EQ(e.code(), "InvalidParameterException");
    }
}

// ---- instance refresh ----------------------------------------------------------------------

constexpr const char* group_template = R"(
Parameters:
  Ami: {Type: String}
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: !Ref Ami, InstanceType: c5.large}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref Config
      MinSize: "1"
      MaxSize: "8"
      DesiredCapacity: "4"
      VPCZoneIdentifier: [subnet-0abc]
)";

// A group of four machines whose launch configuration moved to a new AMI: none runs it yet.
SimCloud group_on_new_configuration(const Scenario& scenario = {}) {
    SimCloud c = cloud_with(group_template, {{"Ami", "ami-0aaa1111"}}, scenario);
    c.update_stack({"app", {ParameterInput::set("Ami", "ami-0bbb2222")}});
    EXPECT_EQ(wait_stable(c, "app"), "UPDATE_COMPLETE");
    c.wait(cloud::sim::refresh_warmup_seconds);  // every machine in service
    return c;
}

cloud::InstanceRefresh refresh_of(SimCloud& c, const std::string& group, const std::string& id) {
    auto found = c.describe_instance_refreshes(group, {id});
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? cloud::InstanceRefresh{} : found[0];
}

TEST(SimInstanceRefresh, BatchesKeepTheMinimumInServiceAndEndWithEveryMachineOnTheNewConfiguration) {
    SimCloud c = group_on_new_configuration();
    std::string group = physical_id(c, "Group");
    std::string config = physical_id(c, "Config");
    auto before = c.describe_auto_scaling_groups({group}).at(0).instance_ids;
    for (const auto& i : c.describe_instances(before)) ASSERT_NE(i.launch_configuration, config);

    auto started = c.start_instance_refresh(group, 50);
    ASSERT_FALSE(started.already_in_progress);
    ASSERT_FALSE(started.id.empty());
    EXPECT_EQ(c.world().api_calls["StartInstanceRefresh"], 1u);
    std::vector<int> percentages;
    cloud::InstanceRefresh r;
    for (int poll = 0; poll < 200; ++poll) {
        r = refresh_of(c, group, started.id);
        percentages.push_back(r.percentage_complete);
        EXPECT_GE(cloud::sim::in_service_count(c.world(), group), 2) << "50% of 4 stays in service, at " << c.world().clock_s;
        if (cloud::instance_refresh_ended(r.status)) break;
        EXPECT_EQ(r.status, "InProgress");
        c.wait(30);
    }
    EXPECT_EQ(r.status, "Successful");
    EXPECT_EQ(r.percentage_complete, 100);
    EXPECT_EQ(r.instances_to_update, 0);
    EXPECT_TRUE(std::is_sorted(percentages.begin(), percentages.end()));
    EXPECT_TRUE(std::any_of(percentages.begin(), percentages.end(), [](int p) { return p > 0 && p < 100; }));
    // Two batches of two, each warming up: the minimum bounds the pace.
    EXPECT_GE(r.end_time_s - r.start_time_s, 2 * cloud::sim::refresh_warmup_seconds);
    auto after = c.describe_auto_scaling_groups({group}).at(0).instance_ids;
    ASSERT_EQ(after.size(), 4u);
    for (const auto& i : c.describe_instances(after)) {
        EXPECT_EQ(i.launch_configuration, config);
        EXPECT_EQ(i.image_id, "ami-0bbb2222");
        EXPECT_EQ(std::count(before.begin(), before.end(), i.id), 0) << i.id << " was not replaced";
    }
}

TEST(SimInstanceRefresh, ASecondStartWhileOneRunsIsAnsweredAsAlreadyInProgress) {
    SimCloud c = group_on_new_configuration();
    std::string group = physical_id(c, "Group");
    auto first = c.start_instance_refresh(group, 90);
    auto second = c.start_instance_refresh(group, 90);
    EXPECT_TRUE(second.already_in_progress);
    EXPECT_TRUE(second.id.empty());
    EXPECT_EQ(second.message, "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
    ASSERT_EQ(c.describe_instance_refreshes(group, {}).size(), 1u);
    EXPECT_EQ(c.describe_instance_refreshes(group, {}).at(0).id, first.id);
    try {
        c.start_instance_refresh("no-such-group", 90);
        ADD_FAILURE() << "a refresh of an unknown group started";
    } catch (const cloud::CloudError& e) {
        EXPECT_EQ(e.code(), "ValidationError");
        EXPECT_EQ(e.message(), "AutoScalingGroup name not found - AutoScalingGroup no-such-group not found");
    }
}

TEST(SimInstanceRefresh, AScenarioFaultFailsTheRefreshAfterItsFirstBatchWithItsReason) {
    Scenario scenario = scenario_from("failing_instance_refreshes:\n  - {stack: 1-1-app, logicalId: Group, reason: "
                                      "\"Instance i-1 failed its ELB health check\"}\n");
    SimCloud c = group_on_new_configuration(scenario);
    std::string group = physical_id(c, "Group");
    std::string id = c.start_instance_refresh(group, 50).id;
    c.wait(3 * cloud::sim::refresh_warmup_seconds);
    cloud::InstanceRefresh r = refresh_of(c, group, id);
    EXPECT_EQ(r.status, "Failed");
    EXPECT_EQ(r.status_reason, "Instance i-1 failed its ELB health check");
    EXPECT_EQ(r.percentage_complete, 50) << "the first batch was replaced";
}

TEST(SimInstanceRefresh, ARefreshContinuesInAWorldSavedAndLoadedHalfway) {
    SimCloud c = group_on_new_configuration();
    std::string group = physical_id(c, "Group");
    std::string id = c.start_instance_refresh(group, 50).id;
    c.wait(cloud::sim::refresh_warmup_seconds / 2);
    ASSERT_EQ(refresh_of(c, group, id).status, "InProgress");
    SimCloud loaded(cloud::sim::world_from_json(cloud::sim::world_to_json(c.world()), "world.json"));
    ASSERT_EQ(loaded.world().instance_refreshes.size(), 1u);
    EXPECT_EQ(loaded.world().instance_refreshes[0].to_replace, c.world().instance_refreshes[0].to_replace);
    loaded.wait(3 * cloud::sim::refresh_warmup_seconds);
    EXPECT_EQ(refresh_of(loaded, group, id).status, "Successful");
}

TEST(SimInstanceRefresh, TheScenarioNamesProblemsWithTheNewFaultsAtTheirPlace) {
    auto s = cloud::sim::parse_scenario("unhealthy_services:\n  - {stack: app, service: web}\n"
                                        "failing_instance_refreshes:\n  - {stack: app, why: x}\n",
                                        "faults.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(to_string(s.diagnostics()),
              "faults.yaml:2:27: unknown key 'service' in unhealthy_services; expected stack, logicalId, running\n"
              "faults.yaml:2:5: an unhealthy service needs 'stack' and 'logicalId'\n"
              "faults.yaml:4:23: unknown key 'why' in failing_instance_refreshes; expected stack, logicalId, reason\n"
              "faults.yaml:4:5: a failing instance refresh needs 'stack' and 'logicalId'");
}

TEST(ReadOnlyHealth, ServicesAndRefreshesAreReadThroughAndNoRefreshStarts) {
    SimCloud c = group_on_new_configuration();
    std::string group = physical_id(c, "Group");
    std::string id = c.start_instance_refresh(group, 50).id;
    cloud::ReadOnlyCloud reader(c);
    EXPECT_EQ(reader.describe_instance_refreshes(group, {}).at(0).id, id);
    EXPECT_EQ(reader.describe_services("main", {"web"}).at(0).status, "MISSING");
    EXPECT_THROW(reader.start_instance_refresh(group, 50), Error);
    EXPECT_EQ(c.world().api_calls["StartInstanceRefresh"], 1u) << "the refused start never reached the simulator";
}

}  // namespace
}  // namespace stackshift
