// The simulated AWS through the Cloud interface: change sets, stack states and events, data
// lost, ECS tasks, throttling, the state file shared by processes, NoEcho values kept quiet.

#include <algorithm>

#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/file_io.hpp"
#include "inputs/snapshot_file.hpp"
#include "cloud/sim_support.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using stackshift::testing::wait_stable;

using stackshift::testing::scenario_from;

using cloud::ChangeAction;
using cloud::ChangeReplacement;
using cloud::ChangeSetRequest;
using cloud::CloudError;
using cloud::ParameterInput;
using cloud::sim::Scenario;
using cloud::sim::SimCloud;
using testing::source_path;

constexpr const char* small_template = R"(
Parameters:
  Image:
    Type: String
  Password:
    Type: String
    NoEcho: true
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: !Ref Image
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinition
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 100
)";

cfn::Deployment small_deployment() {
    cfn::Deployment d;
    d.file = "small.json";
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "app";
    s.template_id = "1-1-app";
    s.status = "CREATE_COMPLETE";
    s.parameters = {{"Image", "app:1"}, {"Password", "****"}};
    s.no_echo = {"Password"};
    s.template_body = small_template;
    d.stacks.push_back(s);
    return d;
}

SimCloud small_cloud(const Scenario& scenario = {}) { return SimCloud(cloud::sim::world_from_deployment(small_deployment(), scenario)); }

cloud::ChangeSet wait_change_set(cloud::Cloud& c, const std::string& stack, const std::string& name) {
    for (int i = 0; i < 100; ++i) {
        cloud::ChangeSet cs = c.describe_change_set(stack, name);
        if (cs.status != "CREATE_IN_PROGRESS" && cs.status != "CREATE_PENDING") return cs;
        c.wait(1);
    }
    return {};
}

std::vector<std::string> stack_statuses(const std::vector<cloud::StackEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        if (e.resource_type == "AWS::CloudFormation::Stack") out.push_back(e.status);
    }
    return out;
}

const cloud::ResourceChange* change_of(const cloud::ChangeSet& cs, const std::string& logical_id) {
    for (const auto& c : cs.changes) {
        if (c.logical_id == logical_id) return &c;
    }
    return nullptr;
}

TEST(SimChangeSet, RealTemplateChangeOfTheExample) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    SimCloud c(cloud::sim::world_from_deployment(*deployment, {}));
    auto body = read_file(source_path("examples/releases/3.15.1/5-2-ecs-ops.yaml"));
    ASSERT_TRUE(body.ok());
    const std::string stack = "acme-prod-5-2-ecs-ops";
    ChangeSetRequest request{stack, "stackshift-3-15-1", cloud::ChangeSetType::update, *body, false, {}, ""};
    for (const auto& [key, value] : c.describe_stack(stack).parameters) request.parameters.push_back(ParameterInput::keep(key));
    c.create_change_set(request);
    cloud::ChangeSet cs = wait_change_set(c, stack, "stackshift-3-15-1");
    EXPECT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    EXPECT_EQ(cs.execution_status, "AVAILABLE");
    const cloud::ResourceChange* task = change_of(cs, "TaskDefinition");
    ASSERT_NE(task, nullptr) << cs.changes.size() << " changes";
    EXPECT_EQ(task->action, ChangeAction::modify);
    EXPECT_EQ(task->replacement, ChangeReplacement::yes);
    EXPECT_EQ(task->resource_type, "AWS::ECS::TaskDefinition");
    EXPECT_FALSE(task->physical_id.empty());
}

TEST(SimChangeSet, EmptyChangeSetFails) {
    SimCloud c = small_cloud();
    ChangeSetRequest request{"app", "nothing", cloud::ChangeSetType::update, "", true,
                             {ParameterInput::keep("Image"), ParameterInput::keep("Password")}, ""};
    c.create_change_set(request);
    EXPECT_EQ(c.describe_change_set("app", "nothing").status, "CREATE_IN_PROGRESS");
    cloud::ChangeSet cs = wait_change_set(c, "app", "nothing");
    EXPECT_EQ(cs.status, "FAILED");
    EXPECT_EQ(cs.status_reason,
              "The submitted information didn't contain changes. Submit different information to create a change set.");
    EXPECT_TRUE(cs.changes.empty());
    try {
        c.execute_change_set("app", "nothing");
        ADD_FAILURE() << "executing an empty change set must fail";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "InvalidChangeSetStatus");
    }
    c.delete_change_set("app", "nothing");
    try {
        c.describe_change_set("app", "nothing");
        ADD_FAILURE() << "the change set was deleted";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ChangeSetNotFound");
    }
}

TEST(SimStack, SuccessfulUpdateMovesThroughTheRealStates) {
    SimCloud c = small_cloud();
    ChangeSetRequest request{"app", "image-2", cloud::ChangeSetType::update, "", true,
                             {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Password")}, ""};
    c.create_change_set(request);
    cloud::ChangeSet cs = wait_change_set(c, "app", "image-2");
    ASSERT_EQ(cs.status, "CREATE_COMPLETE");
    ASSERT_NE(change_of(cs, "TaskDefinition"), nullptr);
    EXPECT_EQ(change_of(cs, "TaskDefinition")->replacement, ChangeReplacement::yes);
    EXPECT_EQ(change_of(cs, "Data"), nullptr);
    std::string before = c.describe_stack("app").id;
    std::int64_t start = c.world().clock_s;
    c.execute_change_set("app", "image-2");
    EXPECT_EQ(c.describe_stack("app").status, "UPDATE_IN_PROGRESS");
    EXPECT_EQ(wait_stable(c, "app"), "UPDATE_COMPLETE");
    EXPECT_GT(c.world().clock_s - start, 200);  // an ECS service takes minutes of virtual time
    auto events = c.describe_stack_events("app", "");
    std::vector<std::string> expected{"CREATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE"};
    EXPECT_EQ(stack_statuses(events), expected);
    std::vector<std::string> task_events;
    for (const auto& e : events) {
        if (e.logical_id == "TaskDefinition") task_events.push_back(e.status);
    }
    std::vector<std::string> task_expected{"UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"};
    EXPECT_EQ(task_events, task_expected);
    EXPECT_EQ(c.describe_stack("app").parameters.at("Image"), "app:2");
    EXPECT_EQ(c.describe_change_set("app", "image-2").execution_status, "EXECUTE_COMPLETE");
    EXPECT_TRUE(c.world().data_lost.empty());
    // Events since the last one seen: none new.
    EXPECT_TRUE(c.describe_stack_events("app", events.back().event_id).empty());
}

TEST(SimStack, FailingResourceRollsBack) {
    SimCloud c = small_cloud(scenario_from("failing_resources:\n  - stack: app\n    logicalId: Service\n    reason: boom\n"));
    c.update_stack({"app", {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Password")}});
    EXPECT_EQ(wait_stable(c, "app"), "UPDATE_ROLLBACK_COMPLETE");
    std::vector<std::string> expected{"CREATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS",
                                      "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"};
    auto events = c.describe_stack_events("app", "");
    EXPECT_EQ(stack_statuses(events), expected);
    bool failed = std::any_of(events.begin(), events.end(), [](const cloud::StackEvent& e) {
        return e.logical_id == "Service" && e.status == "UPDATE_FAILED" && e.status_reason == "boom";
    });
    EXPECT_TRUE(failed);
    EXPECT_EQ(c.describe_stack("app").parameters.at("Image"), "app:1");
}

TEST(SimStack, RollbackThatFailsLeavesUpdateRollbackFailed) {
    SimCloud c = small_cloud(scenario_from("failing_resources:\n  - {stack: app, logicalId: Service, rollback: failed}\n"));
    c.update_stack({"app", {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Password")}});
    EXPECT_EQ(wait_stable(c, "app"), "UPDATE_ROLLBACK_FAILED");
    try {
        c.update_stack({"app", {ParameterInput::set("Image", "app:3"), ParameterInput::keep("Password")}});
        ADD_FAILURE() << "a stack in UPDATE_ROLLBACK_FAILED cannot be updated";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ValidationError");
    }
}

TEST(SimStack, StackLeftInRollbackFailedByTheScenario) {
    SimCloud c = small_cloud(scenario_from("rollback_failed_stacks: [app]\n"));
    EXPECT_EQ(c.describe_stack("app").status, "UPDATE_ROLLBACK_FAILED");
}

TEST(SimStack, ReplacingAStatefulResourceRecordsDataLost) {
    SimCloud c = small_cloud();
    std::string body = small_template;
    body.replace(body.find("eu-west-1a"), 10, "eu-west-1b");
    c.create_change_set({"app", "move-volume", cloud::ChangeSetType::update, body, false,
                         {ParameterInput::keep("Image"), ParameterInput::keep("Password")}, ""});
    cloud::ChangeSet cs = wait_change_set(c, "app", "move-volume");
    ASSERT_NE(change_of(cs, "Data"), nullptr);
    EXPECT_EQ(change_of(cs, "Data")->replacement, ChangeReplacement::yes);
    std::string old_volume = change_of(cs, "Data")->physical_id;
    c.execute_change_set("app", "move-volume");
    EXPECT_EQ(wait_stable(c, "app"), "UPDATE_COMPLETE");
    ASSERT_EQ(c.world().data_lost.size(), 1u);
    EXPECT_EQ(c.world().data_lost[0].stack, "app");
    EXPECT_EQ(c.world().data_lost[0].logical_id, "Data");
    EXPECT_EQ(c.world().data_lost[0].type, "AWS::EC2::Volume");
    EXPECT_EQ(c.world().data_lost[0].physical_id, old_volume);
}

TEST(SimStack, DeletingAStackLosesItsVolume) {
    SimCloud c = small_cloud();
    c.delete_stack("app");
    for (int i = 0; i < 100 && c.world().stacks[0].status != "DELETE_COMPLETE"; ++i) c.wait(30);
    EXPECT_EQ(c.world().stacks[0].status, "DELETE_COMPLETE");
    ASSERT_EQ(c.world().data_lost.size(), 1u);
    EXPECT_EQ(c.world().data_lost[0].cause, "deleted");
    EXPECT_THROW(c.describe_stack("app"), CloudError);
}

TEST(SimTask, MigrationRunsAndStopsWithItsExitCode) {
    SimCloud c = small_cloud(scenario_from("failing_tasks:\n  - command: is-db migrate\n    exitCode: 3\n    log: [\"error: migration 7 failed\"]\n"));
    std::string definition = c.world().task_definitions.at(0).arn;  // the app stack's TaskDefinition
    std::string ok = c.run_task({"acme", definition, "ttes", {"tti-lw-stack", "ns-db", "migrate"}, {}, {}, "t-ok"});
    std::string bad = c.run_task({"acme", definition, "ttes", {"tti-lw-stack", "is-db", "migrate"}, {}, {}, "t-bad"});
    auto tasks = c.describe_tasks("acme", {ok, bad});
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_NE(tasks[0].last_status, "STOPPED");
    EXPECT_FALSE(tasks[0].exit_code.has_value());
    c.wait(300);
    tasks = c.describe_tasks("acme", {ok, bad});
    EXPECT_EQ(tasks[0].last_status, "STOPPED");
    EXPECT_EQ(tasks[0].exit_code, 0);
    EXPECT_EQ(tasks[1].exit_code, 3);
    auto log = c.task_log_lines(bad);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back(), "error: migration 7 failed");
    EXPECT_EQ(c.world().api_calls.at("RunTask"), 2u);
    // A resumed run finds its task by the startedBy token, stopped or not.
    EXPECT_EQ(c.list_tasks("acme", "t-bad"), std::vector<std::string>{bad});
    EXPECT_TRUE(c.list_tasks("acme", "t-none").empty());
    EXPECT_TRUE(c.list_tasks("other", "t-ok").empty());
}

TEST(SimMachines, InstancesSnapshotsAndGroups) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    SimCloud c(cloud::sim::world_from_deployment(*deployment, {}));
    auto instances = c.describe_instances({"i-0a7d3f9c2e5b8146d"});
    ASSERT_EQ(instances.size(), 1u);
    EXPECT_EQ(instances[0].state, "running");
    ASSERT_FALSE(instances[0].volume_ids.empty());
    EXPECT_EQ(instances[0].volume_ids[0], "vol-0c9e4b2a7f1d3e658");
    auto snapshot = c.create_snapshot("vol-0c9e4b2a7f1d3e658", "before 3.15.1");
    EXPECT_EQ(snapshot.state, "pending");
    c.wait(600);
    EXPECT_EQ(c.describe_snapshots({snapshot.id}).at(0).state, "completed");
    auto found = c.find_snapshots("vol-0c9e4b2a7f1d3e658", "before 3.15.1");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].id, snapshot.id);
    EXPECT_TRUE(c.find_snapshots("vol-0c9e4b2a7f1d3e658", "before 3.15").empty());
    c.terminate_instances({"i-0a7d3f9c2e5b8146d"});
    c.wait(60);
    EXPECT_EQ(c.describe_instances({"i-0a7d3f9c2e5b8146d"}).at(0).state, "terminated");
    EXPECT_FALSE(c.describe_auto_scaling_groups({}).empty());
    try {
        c.describe_instances({"i-0000"});
        ADD_FAILURE() << "unknown instance";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "InvalidInstanceID.NotFound");
    }
}

TEST(SimMachines, StackResourcesNameThePhysicalIdsApplyActsOn) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    SimCloud c(cloud::sim::world_from_deployment(*deployment, {}));
    auto resources = c.describe_stack_resources("acme-prod-2-5-db-timescale");
    auto volume = std::find_if(resources.begin(), resources.end(), [](const auto& r) { return r.type == "AWS::EC2::Volume"; });
    ASSERT_NE(volume, resources.end());
    EXPECT_EQ(volume->logical_id, "Volume");
    EXPECT_EQ(volume->physical_id, "vol-0c9e4b2a7f1d3e658");  // the world's volume, the instance's
    EXPECT_EQ(volume->status, "CREATE_COMPLETE");
    EXPECT_EQ(c.world().api_calls.at("DescribeStackResources"), 1u);
    try {
        c.describe_stack_resources("acme-prod-9-9-none");
        ADD_FAILURE() << "unknown stack";
    } catch (const CloudError& e) {
        EXPECT_EQ(std::string(e.what()), "ValidationError: Stack with id acme-prod-9-9-none does not exist");
    }
}

// The snapshot's outputs gave their volume id to the first volume of the stack, whichever
// volume the output named.
TEST(SimMachines, AnOutputsIdGoesToTheResourceItRefsNotToTheFirstOfItsType) {
    cfn::Deployment d = small_deployment();
    d.stacks[0].template_body = std::string(small_template).insert(std::string(small_template).find("  Data:"),
                                                                   "  Scratch:\n    Type: AWS::EC2::Volume\n"
                                                                   "    Properties: {AvailabilityZone: eu-west-1a, Size: 8}\n") +
                                "Outputs:\n  DataId: {Value: !Ref Data}\n";
    d.stacks[0].outputs = {{"DataId", "vol-0real"}};
    SimCloud c(cloud::sim::world_from_deployment(d, {}));
    std::map<std::string, std::string> ids;
    for (const auto& r : c.describe_stack_resources("app")) ids[r.logical_id] = r.physical_id;
    EXPECT_EQ(ids.at("Data"), "vol-0real");
    EXPECT_NE(ids.at("Scratch"), "vol-0real");
}

std::string cluster_of(SimCloud& c, const std::string& stack) {
    for (const auto& r : c.describe_stack_resources(stack))
        if (r.type == "AWS::RDS::DBCluster") return r.physical_id;
    return "";
}

TEST(SimMachines, ClusterSnapshotIsCreatingThenAvailableAndSavedWithTheWorld) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cloud::sim::save_world(cloud::sim::world_from_deployment(*deployment, {}), path);
    std::string cluster;
    {
        SimCloud c = SimCloud::open(path);
        cluster = cluster_of(c, "acme-prod-2-1-db-aurora-master");
        ASSERT_FALSE(cluster.empty());
        auto created = c.create_db_cluster_snapshot(cluster, "stackshift-h1-05-abc");
        EXPECT_EQ(created.status, "creating");
        EXPECT_EQ(created.cluster_id, cluster);
        EXPECT_TRUE(c.describe_db_cluster_snapshots("stackshift-h1-06-abc").empty());
    }  // the process ends: its last read is saved with it
    SimCloud again = SimCloud::open(path);  // a second process sees it
    EXPECT_EQ(again.describe_db_cluster_snapshots("stackshift-h1-05-abc").at(0).status, "creating");
    again.wait(300);
    auto done = again.describe_db_cluster_snapshots("stackshift-h1-05-abc");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].status, "available");
    EXPECT_EQ(done[0].percent_progress, 100);
    EXPECT_EQ(again.world().api_calls.at("CreateDBClusterSnapshot"), 1u);
    EXPECT_EQ(again.world().api_calls.at("DescribeDBClusterSnapshots"), 3u);
    auto error = [&](const std::string& cluster_id, const std::string& id) {
        try {
            again.create_db_cluster_snapshot(cluster_id, id);
        } catch (const CloudError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    EXPECT_EQ(error(cluster, "stackshift-h1-05-abc"),
              "DBClusterSnapshotAlreadyExistsFault: Cannot create the cluster snapshot because one with the identifier "
              "stackshift-h1-05-abc already exists.");
    EXPECT_EQ(error("acme-none", "s1"), "DBClusterNotFoundFault: DBCluster acme-none not found.");
    std::string invalid = "InvalidParameterValue: The parameter DBClusterSnapshotIdentifier is not a valid identifier. "
                          "Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; "
                          "and must not end with a hyphen or contain two consecutive hyphens.";
    EXPECT_EQ(error(cluster, "1-starts-with-a-digit"), invalid);
    EXPECT_EQ(error(cluster, "two--hyphens"), invalid);
    EXPECT_EQ(error(cluster, "trailing-"), invalid);
    EXPECT_EQ(error(cluster, std::string(256, 'a')), invalid);
    EXPECT_EQ(error(cluster, "under_score"), invalid);
}

TEST(CloudNames, ClusterSnapshotIdentifiers) {
    EXPECT_TRUE(cloud::valid_db_cluster_snapshot_id("a"));
    EXPECT_TRUE(cloud::valid_db_cluster_snapshot_id("stackshift-h1-05-Snapshot-2-1-abc12345"));
    EXPECT_TRUE(cloud::valid_db_cluster_snapshot_id(std::string(255, 'a')));
    EXPECT_FALSE(cloud::valid_db_cluster_snapshot_id(""));
    EXPECT_FALSE(cloud::valid_db_cluster_snapshot_id(std::string(256, 'a')));
    EXPECT_FALSE(cloud::valid_db_cluster_snapshot_id("-a"));
    EXPECT_FALSE(cloud::valid_db_cluster_snapshot_id("a--b"));
    EXPECT_FALSE(cloud::valid_db_cluster_snapshot_id("a-"));
    EXPECT_FALSE(cloud::valid_db_cluster_snapshot_id("a.b"));
}

int throttled_calls(cloud::Cloud& c, int calls) {
    int throttled = 0;
    for (int i = 0; i < calls; ++i) {
        try {
            c.describe_stacks();
        } catch (const CloudError& e) {
            EXPECT_EQ(e.code(), "Throttling");
            EXPECT_TRUE(e.is_throttling());
            ++throttled;
        }
    }
    return throttled;
}

TEST(SimThrottling, RefusesCallsAtTheGivenRateDeterministically) {
    Scenario s = scenario_from("seed: 7\nthrottling: 0.3\n");
    SimCloud a = small_cloud(s);
    SimCloud b = small_cloud(s);
    int n = throttled_calls(a, 1000);
    EXPECT_GT(n, 250);
    EXPECT_LT(n, 350);
    EXPECT_EQ(throttled_calls(b, 1000), n);
    EXPECT_EQ(a.world().api_calls.at("DescribeStacks"), 1000u);
    EXPECT_EQ(a.world().throttled, static_cast<std::uint64_t>(n));
    SimCloud quiet = small_cloud();
    EXPECT_EQ(throttled_calls(quiet, 100), 0);
}

TEST(SimState, SecondProcessContinuesTheSameWorld) {
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cloud::sim::save_world(cloud::sim::world_from_deployment(small_deployment(), {}), path);
    {
        SimCloud first = SimCloud::open(path);
        first.update_stack({"app", {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Password")}});
    }
    std::string second_world;
    {
        SimCloud second = SimCloud::open(path);
        EXPECT_EQ(second.describe_stack("app").status, "UPDATE_IN_PROGRESS");
        EXPECT_EQ(wait_stable(second, "app"), "UPDATE_COMPLETE");
        second_world = cloud::sim::world_to_json(second.world());
    }  // its last reads are saved when it ends
    SimCloud third = SimCloud::open(path);
    EXPECT_EQ(third.world().stacks[0].status, "UPDATE_COMPLETE");
    EXPECT_EQ(third.world().api_calls.at("UpdateStack"), 1u);
    EXPECT_EQ(cloud::sim::world_to_json(third.world()), second_world);
}

TEST(SimState, LastUpdateTimeFollowsTheStackAndIsSaved) {
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cfn::Deployment d = small_deployment();
    d.stacks[0].last_updated_s = 1796634764;  // as the snapshot says
    cloud::sim::save_world(cloud::sim::world_from_deployment(d, {}), path);
    {
        SimCloud first = SimCloud::open(path);
        EXPECT_EQ(first.describe_stack("app").last_updated_s, 1796634764);
        first.update_stack({"app", {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Password")}});
        EXPECT_EQ(wait_stable(first, "app"), "UPDATE_COMPLETE");
    }
    SimCloud second = SimCloud::open(path);
    std::int64_t updated = second.describe_stack("app").last_updated_s;
    EXPECT_NE(updated, 1796634764);
    EXPECT_GT(updated, 0);
    EXPECT_LE(updated, second.world().clock_s);
    EXPECT_EQ(second.describe_stacks().front().last_updated_s, updated);
    EXPECT_EQ(cloud::sim::world_to_deployment(second.world()).stacks[0].last_updated_s, updated);
}

TEST(SimState, NoEchoValuesNeverInStatus) {
    SimCloud c = small_cloud();
    c.update_stack({"app", {ParameterInput::keep("Image"), ParameterInput::set("Password", "hunter2-very-secret")}});
    wait_stable(c, "app");
    EXPECT_EQ(c.describe_stack("app").parameters.at("Password"), "****");
    EXPECT_EQ(cloud::sim::status_json(c.world()).find("hunter2"), std::string::npos);
    EXPECT_EQ(cloud::sim::status_text(c.world()).find("hunter2"), std::string::npos);
    auto d = cloud::sim::world_to_deployment(c.world());
    EXPECT_EQ(d.stacks[0].parameters.at("Password"), "****");
}

TEST(SimScenario, BadScenarioNamesFileLineAndFix) {
    auto s = cloud::sim::parse_scenario("throttling: 2\nfaults: []\n", "faults.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(to_string(s.diagnostics()),
              "faults.yaml:1:13: expected a number from 0 to 1 for 'throttling', got '2'\n"
              "faults.yaml:2:9: unknown key 'faults'; expected seed, throttling, failing_resources, failing_tasks, "
              "rollback_failed_stacks, durations, task_seconds, unsettled_services, unhealthy_services, "
              "failing_instance_refreshes, account, drift");
}

}  // namespace
}  // namespace stackshift

namespace stackshift {
namespace {

// The state file splices template bodies in already escaped (they are escaped once per
// process, not at every save): what is read back is exactly what was saved, whatever a body
// holds, a U+0001 or a text that looks like the splice's placeholder included; other strings
// that start and end with U+0001 stay as they are.
TEST(SimWorldFile, TemplateBodiesSurviveTheSaveWhateverTheyHold) {
    cloud::sim::World world;
    const std::string bodies[] = {
        "Resources: {}\n",
        std::string("A: \x01" "0\x01\nB: \"quoted\" \\ back\n"),
        "\\u0001 1 \\u0001\" and \"\\u0001",
        "",
    };
    for (std::size_t i = 0; i < std::size(bodies); ++i) {
        cloud::sim::SimStack& s = world.stacks.emplace_back();
        s.name = "s" + std::to_string(i);
        s.template_body = bodies[i];
        s.status_reason = std::string("\x01") + "0" + "\x01";
    }
    std::string text = cloud::sim::world_to_json(world);
    cloud::sim::World back = cloud::sim::world_from_json(text, "w.json");
    ASSERT_EQ(back.stacks.size(), std::size(bodies));
    for (std::size_t i = 0; i < std::size(bodies); ++i) {
        EXPECT_EQ(back.stacks[i].template_body, bodies[i]) << i;
        EXPECT_EQ(back.stacks[i].status_reason, std::string("\x01") + "0" + "\x01") << i;
    }
    EXPECT_EQ(cloud::sim::world_to_json(back), text);
}

}  // namespace
}  // namespace stackshift
