// The AWS backend driving the real AWS CLI v2 against the stand-in AWS (stand_in_aws.py) on
// 127.0.0.1: every operation the backend uses, as the CLI really sends it (the server checks
// the protocol, action and parameters and logs each request) and as the CLI really prints the
// answers. Also `stackshift snapshot` end to end, and the refusal of a real v1 CLI.

#include <gtest/gtest.h>

#include <fstream>

#include "aws/local_server.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "core/error.hpp"
#include "inputs/deployment_reader.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::LocalServer;
using stackshift::testing::TempDir;

class RealCli : public ::testing::Test {
protected:
    void SetUp() override {
        cli = stackshift::testing::aws_cli_v2();
        ASSERT_EQ(access(cli.c_str(), X_OK), 0)
            << "these tests need the AWS CLI v2 at " << cli << " (scripts/setup-debian.sh test installs Debian's awscli)";
        log = dir.file("requests.jsonl");
        std::string python = stackshift::testing::find_on_path("python3");
        ASSERT_FALSE(python.empty()) << "python3 is needed for the stand-in AWS";
        server = std::make_unique<LocalServer>(
            std::vector<std::string>{python, stackshift::testing::source_path("tests/aws/stand_in_aws.py"), log}, "^(\\d+)");
        ASSERT_NE(server->port, 0) << "the stand-in AWS did not start: " << server->output();
        options.cli = cli;
        options.endpoint_url = server->url();
        options.region = "eu-west-1";
        options.env = stackshift::testing::fake_aws_environment(dir);
        options.throttle_base_ms = 10;
        options.throttle_retries = 3;
        cloud = AwsCloud::open(options);
    }

    // The requests the server received for an action, in order.
    std::vector<Json> requests(const std::string& action) const {
        std::vector<Json> out;
        std::ifstream in(log);
        for (std::string line; std::getline(in, line);) {
            Json r = Json::parse(line);
            if (r["action"] == action) out.push_back(r["params"]);
        }
        return out;
    }

    std::string error_of(const std::function<void()>& f) {
        try {
            f();
        } catch (const CloudError& e) {
            return e.what();
        }
        return "(no error)";
    }

    TempDir dir;
    std::string cli;
    std::string log;
    std::unique_ptr<LocalServer> server;
    AwsOptions options;
    std::unique_ptr<AwsCloud> cloud;
};

// Compares a logged request with the expected parameters, in any order.
void expect_request(const Json& sent, const std::string& expected) {
    EXPECT_EQ(nlohmann::json::parse(sent.dump()), nlohmann::json::parse(expected)) << "sent " << sent.dump();
}

TEST_F(RealCli, DescribeStacksFollowsNextTokenAcrossTwoPages) {
    auto stacks = cloud->describe_stacks();
    ASSERT_EQ(stacks.size(), 3u);
    EXPECT_EQ(stacks[0].name, "acme-1-1-vpc");
    EXPECT_EQ(stacks[0].parameters.at("Subnets"), "subnet-1,subnet-2");
    EXPECT_EQ(stacks[0].outputs.at("VpcId"), "vpc-0abc");
    EXPECT_EQ(stacks[0].tags.at("Owner"), "ops");
    EXPECT_EQ(stacks[1].no_echo, (std::vector<std::string>{"DBPassword"}));
    EXPECT_EQ(stacks[0].last_updated_s, 1796119200);  // LastUpdatedTime 2026-12-01T10:00:00.123Z
    EXPECT_EQ(stacks[1].last_updated_s, 1704067200);  // never updated: CreationTime 2024-01-01T00:00:00Z
    auto sent = requests("DescribeStacks");
    ASSERT_EQ(sent.size(), 2u);
    expect_request(sent[0], "{}");
    expect_request(sent[1], R"({"NextToken":"stacks-page-2"})");
}

TEST_F(RealCli, ReadsALiveDeploymentWithYamlAndJsonTemplates) {
    auto profile = profile::builtin_profile("numbered-stacks");
    ASSERT_TRUE(profile);
    inputs::DeploymentQuery query{"acme-", "", {}};
    query.drift.interval_s = 0;  // the stand-in's detection ends at the second poll: no real sleep
    cfn::Deployment d = inputs::read_deployment(*cloud, query, *profile);
    ASSERT_EQ(d.stacks.size(), 2u);
    EXPECT_EQ(d.region, "eu-west-1");
    EXPECT_EQ(d.stacks[0].template_id, "1-1-vpc");
    EXPECT_EQ(d.stacks[0].template_body.substr(0, 40), "AWSTemplateFormatVersion: \"2010-09-09\"\nP");
    EXPECT_EQ(d.stacks[1].template_id, "2-1-db");
    // A JSON body: the CLI hands it over as an object, written back as JSON in its order.
    EXPECT_EQ(d.stacks[1].template_body.substr(0, 63), "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Parameters\": {");
    EXPECT_EQ(d.stacks[1].parameters.at("DBPassword"), "****");
    EXPECT_EQ(d.stacks[1].no_echo, (std::vector<std::string>{"DBPassword"}));
    auto templates = requests("GetTemplate");
    ASSERT_EQ(templates.size(), 2u);
    EXPECT_EQ(templates[0]["TemplateStage"], "Original");
    // Drift, through the real CLI: detected on both, the db's resources read over two pages.
    EXPECT_EQ(d.stacks[0].drift_check, cfn::DriftCheck::checked);
    EXPECT_TRUE(d.stacks[0].drift.empty());
    EXPECT_EQ(d.stacks[1].drift_check, cfn::DriftCheck::checked);
    ASSERT_EQ(d.stacks[1].drift.size(), 1u);
    EXPECT_EQ(d.stacks[1].drift[0].logical_id, "PgData");
    ASSERT_EQ(d.stacks[1].drift[0].differences.size(), 1u);
    EXPECT_EQ(d.stacks[1].drift[0].differences[0].path, "/Size");
    EXPECT_EQ(d.stacks[1].drift[0].differences[0].actual, "20");
    auto pages = requests("DescribeStackResourceDrifts");
    ASSERT_EQ(pages.size(), 3u);  // acme-1-1-vpc's one page, acme-2-1-db's two
    EXPECT_EQ(pages[2]["NextToken"], "drifts-page-2");
}

TEST_F(RealCli, ThrottlingThenSuccess) {
    EXPECT_EQ(cloud->describe_stack("throttled-stack").status, "CREATE_COMPLETE");
    EXPECT_EQ(requests("DescribeStacks").size(), 3u);
}

TEST_F(RealCli, ThrottlingWithoutEndIsBoundedAndKeepsItsCode) {
    try {
        cloud->describe_stack("always-throttled");
        FAIL() << "no error";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "Throttling");
        EXPECT_TRUE(e.is_throttling());
    }
    EXPECT_EQ(requests("DescribeStacks").size(), 4u);
}

TEST_F(RealCli, ServiceErrorsAreClear) {
    EXPECT_EQ(error_of([&] { cloud->describe_stack("missing-stack"); }),
              "ValidationError: stack 'missing-stack' does not exist (DescribeStacks: Stack with id missing-stack does not exist)");
    EXPECT_EQ(error_of([&] { cloud->describe_stack("denied-stack"); }),
              "AccessDenied: access denied calling DescribeStacks (cloudformation:DescribeStacks) with the default "
              "credentials: User: arn:aws:iam::123456789012:user/ops is not authorized to perform: "
              "cloudformation:DescribeStacks on resource: denied-stack; the IAM policy in README.md ('Using it on a real "
              "AWS account', docs/iam-policy.json) lists every permission stackshift needs");
    EXPECT_EQ(error_of([&] { cloud->describe_stack("expired-stack"); }),
              "ExpiredToken: the AWS credentials of the default credentials were refused calling DescribeStacks (The "
              "security token included in the request is expired); log in (aws sso login, or aws configure for access "
              "keys) and run again, or choose another profile with --profile");
}

ChangeSetRequest change_set(const std::string& name, std::string body = "Resources: {}\n") {
    ChangeSetRequest r;
    r.stack = "acme-2-1-db";
    r.change_set_name = name;
    r.template_body = std::move(body);
    r.parameters = {ParameterInput::set("Subnets", "subnet-1,subnet-2"), ParameterInput::keep("DBPassword")};
    r.description = "stackshift h1-02-update-stack-2-1-db";
    return r;
}

TEST_F(RealCli, EmptyChangeSetIsFailedWithTheReasonTheExecutorKnows) {
    std::string id = cloud->create_change_set(change_set("cs-empty"));
    EXPECT_EQ(id, "arn:aws:cloudformation:eu-west-1:123456789012:changeSet/cs-empty/5a6b7c8d-0000-4000-8000-000000000001");
    ChangeSet set = cloud->describe_change_set("acme-2-1-db", id);
    EXPECT_EQ(set.status, "FAILED");
    EXPECT_EQ(set.execution_status, "UNAVAILABLE");
    EXPECT_EQ(set.status_reason,
              "The submitted information didn't contain changes. Submit different information to create a change set.");
    EXPECT_TRUE(set.changes.empty());
    cloud->delete_change_set("acme-2-1-db", id);

    auto sent = requests("CreateChangeSet");
    ASSERT_EQ(sent.size(), 1u);
    expect_request(sent[0],
              R"({"StackName":"acme-2-1-db","ChangeSetName":"cs-empty","ChangeSetType":"UPDATE","TemplateBody":"14 bytes sha256 )"
              R"(49cbd1e9008e8b67dec76613bb4d6468c822c99701820526928d43b382f35fba",)"
              R"("Parameters.member.1.ParameterKey":"Subnets","Parameters.member.1.ParameterValue":"subnet-1,subnet-2",)"
              R"("Parameters.member.2.ParameterKey":"DBPassword","Parameters.member.2.UsePreviousValue":"true",)"
              R"("Capabilities.member.1":"CAPABILITY_IAM","Capabilities.member.2":"CAPABILITY_NAMED_IAM",)"
              R"("Capabilities.member.3":"CAPABILITY_AUTO_EXPAND","Description":"stackshift h1-02-update-stack-2-1-db"})");
    ASSERT_EQ(requests("DeleteChangeSet").size(), 1u);
}

TEST_F(RealCli, ChangeSetChangesOverTwoPagesWithAVolumeReplaced) {
    ChangeSet set = cloud->describe_change_set("acme-2-1-db", "cs-volume");
    EXPECT_EQ(set.status, "CREATE_COMPLETE");
    EXPECT_EQ(set.execution_status, "AVAILABLE");
    ASSERT_EQ(set.changes.size(), 5u);
    EXPECT_EQ(set.changes[0].logical_id, "Instance");
    EXPECT_EQ(set.changes[0].replacement, ChangeReplacement::no);
    EXPECT_EQ(set.changes[1].logical_id, "Volume");
    EXPECT_EQ(set.changes[1].resource_type, "AWS::EC2::Volume");
    EXPECT_EQ(set.changes[1].physical_id, "vol-0aaa");
    EXPECT_EQ(set.changes[1].action, ChangeAction::modify);
    EXPECT_EQ(set.changes[1].replacement, ChangeReplacement::yes);
    EXPECT_EQ(set.changes[2].replacement, ChangeReplacement::conditional);
    EXPECT_EQ(set.changes[3].action, ChangeAction::add);
    EXPECT_EQ(set.changes[4].action, ChangeAction::remove);
    // The scopes AWS lists, in the enum's order whatever AWS's order: a Metadata-only Modify is
    // told apart from a Properties one.
    EXPECT_EQ(set.changes[0].scopes, ChangeScopes{ChangeScope::metadata});
    EXPECT_EQ(set.changes[1].scopes, (ChangeScopes{ChangeScope::properties, ChangeScope::tags}));
    EXPECT_EQ(set.changes[2].scopes, ChangeScopes{ChangeScope::properties});
    EXPECT_TRUE(set.changes[3].scopes.empty());
    ASSERT_EQ(set.parameters.size(), 2u);
    EXPECT_TRUE(set.parameters[0].use_previous_value);
    auto sent = requests("DescribeChangeSet");
    ASSERT_EQ(sent.size(), 2u);
    expect_request(sent[0], R"({"ChangeSetName":"cs-volume","StackName":"acme-2-1-db"})");
    EXPECT_EQ(sent[1]["NextToken"], "changes-page-2");
}

// Details as the CLI turns the API's XML into JSON: each change's target and cause. The
// stand-in sends PolicyAction too (ReplaceAndDelete for the volume, Retain for the queue), but
// the CLI's model must know a field to pass it on, and AWS CLI 2.9 (Debian 12's) predates
// PolicyAction: it drops it. The executor counts a replacement or removal without one as a
// possible loss; with a CLI that passes PolicyAction on, this test fails here and its
// expectations become the stand-in's values.
TEST_F(RealCli, ChangeSetDetailsAndThePolicyActionThisCliDrops) {
    ChangeSet set = cloud->describe_change_set("acme-2-1-db", "cs-volume");
    ASSERT_EQ(set.changes.size(), 5u);
    for (const auto& change : set.changes)
        EXPECT_FALSE(change.policy_action.has_value()) << change.logical_id << ": this CLI passes PolicyAction on";
    EXPECT_EQ(set.changes[0].details,
              (std::vector<ResourceChangeDetail>{{{ChangeScope::metadata, "", std::nullopt}, ChangeEvaluation::static_value,
                                                  ChangeSource::direct_modification, ""}}));
    EXPECT_EQ(set.changes[1].details,
              (std::vector<ResourceChangeDetail>{
                  {{ChangeScope::properties, "AvailabilityZone", RequiresRecreation::always}, ChangeEvaluation::static_value,
                   ChangeSource::direct_modification, ""},
                  {{ChangeScope::tags, "", RequiresRecreation::never}, ChangeEvaluation::static_value,
                   ChangeSource::parameter_reference, "Team"}}));
    EXPECT_EQ(set.changes[2].details,
              (std::vector<ResourceChangeDetail>{
                  {{ChangeScope::properties, "RoleName", RequiresRecreation::always}, ChangeEvaluation::dynamic_value,
                   ChangeSource::resource_attribute, "Instance.PrivateIp"},
                  {{ChangeScope::properties, "Policies", RequiresRecreation::never}, ChangeEvaluation::static_value,
                   ChangeSource::resource_reference, "Instance"}}));
    EXPECT_TRUE(set.changes[3].details.empty());
}

TEST_F(RealCli, LargeTemplateBodiesArriveWhole) {
    std::string body = "Resources: {}\n" + std::string(60000, '#') + "\n";
    cloud->create_change_set(change_set("cs-large", body));
    auto sent = requests("CreateChangeSet");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0]["TemplateBody"].get<std::string>().substr(0, 12), "60015 bytes ");
}

TEST_F(RealCli, ChangeSetLimit) {
    EXPECT_EQ(error_of([&] { cloud->create_change_set(change_set("limit-hit")); }),
              "LimitExceededException: CreateChangeSet: ChangeSet limit exceeded for stack [acme-2-1-db]; CloudFormation's "
              "limit was reached: delete old change sets of the stack (aws cloudformation list-change-sets --stack-name "
              "STACK, then delete-change-set) and run again");
}

TEST_F(RealCli, ExecuteUpdateAndDelete) {
    cloud->execute_change_set("acme-2-1-db", "arn:aws:cloudformation:eu-west-1:123456789012:changeSet/cs-volume/1");
    expect_request(requests("ExecuteChangeSet")[0],
              R"({"ChangeSetName":"arn:aws:cloudformation:eu-west-1:123456789012:changeSet/cs-volume/1"})");
    EXPECT_EQ(error_of([&] { cloud->execute_change_set("acme-2-1-db", "missing"); }),
              "ChangeSetNotFound: ChangeSet [missing] does not exist");

    cloud->update_stack({"acme-1-1-vpc", {ParameterInput::keep("Name"), ParameterInput::set("Subnets", "a,b")}});
    expect_request(requests("UpdateStack")[0],
              R"({"StackName":"acme-1-1-vpc","UsePreviousTemplate":"true","Parameters.member.1.ParameterKey":"Name",)"
              R"("Parameters.member.1.UsePreviousValue":"true","Parameters.member.2.ParameterKey":"Subnets",)"
              R"("Parameters.member.2.ParameterValue":"a,b","Capabilities.member.1":"CAPABILITY_IAM",)"
              R"("Capabilities.member.2":"CAPABILITY_NAMED_IAM","Capabilities.member.3":"CAPABILITY_AUTO_EXPAND"})");
    // The executor recognizes this message as "nothing to do".
    EXPECT_EQ(error_of([&] { cloud->update_stack({"acme-2-1-db", {ParameterInput::keep("DBPassword")}}); }),
              "ValidationError: No updates are to be performed.");

    cloud->delete_stack("acme-1-1-vpc");  // DeleteStack prints nothing
    expect_request(requests("DeleteStack")[0], R"({"StackName":"acme-1-1-vpc"})");
}

TEST_F(RealCli, StackEventsOldestFirstReadOnlyUpToTheCursor) {
    auto all = cloud->describe_stack_events("acme-1-1-vpc", "");
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all.front().event_id, "e1");
    EXPECT_EQ(all.back().event_id, "e5");
    EXPECT_EQ(all.front().timestamp_s, 1714554000);
    EXPECT_EQ(all.back().timestamp_s, 1714557650);
    EXPECT_EQ(all[1].status_reason, "User Initiated");
    EXPECT_EQ(all[2].resource_type, "AWS::EC2::VPC");
    EXPECT_EQ(requests("DescribeStackEvents").size(), 2u);

    auto recent = cloud->describe_stack_events("acme-1-1-vpc", "e4");
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0].event_id, "e5");
    EXPECT_EQ(requests("DescribeStackEvents").size(), 3u);  // one page was enough

    auto later = cloud->describe_stack_events("acme-1-1-vpc", "e2");
    ASSERT_EQ(later.size(), 3u);
    EXPECT_EQ(later[0].event_id, "e3");
    EXPECT_EQ(requests("DescribeStackEvents").back()["NextToken"], "events-page-2");
}

TEST_F(RealCli, MigrationTaskItsExitCodeAndItsLogs) {
    RunTaskRequest r{"acme-cluster", "acme-ops:7", "ttes", {"tti-lw-stack", "is-db", "migrate"}, {"subnet-1", "subnet-2"},
                     {"sg-1"}, "stackshift-1a2b3c4d-00c0ffee-1"};
    std::string arn = cloud->run_task(r);
    EXPECT_EQ(arn, "arn:aws:ecs:eu-west-1:123456789012:task/acme-cluster/abc123");
    auto tasks = cloud->describe_tasks("acme-cluster", {arn});
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].last_status, "STOPPED");
    ASSERT_TRUE(tasks[0].exit_code.has_value());
    EXPECT_EQ(*tasks[0].exit_code, 3);  // the ttes container's, not the sidecar's
    EXPECT_EQ(tasks[0].stopped_reason, "Essential container in task exited");
    EXPECT_EQ(cloud->task_log_lines(arn),
              (std::vector<std::string>{"migrating is-db", "error: relation \"x\" does not exist"}));
    EXPECT_EQ(requests("DescribeTaskDefinition").size(), 1u);
}

TEST_F(RealCli, DescribeTaskDefinitionThroughTheCli) {
    const std::string arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-ops:7";
    TaskDefinition d = cloud->describe_task_definition(arn);
    EXPECT_EQ(d.arn, arn);
    EXPECT_EQ(d.family, "acme-ops");
    EXPECT_EQ(d.revision, 7);
    EXPECT_EQ(d.status, "ACTIVE");
    ASSERT_EQ(d.containers.size(), 2u);
    EXPECT_EQ(d.containers[1].name, "ttes");
    EXPECT_EQ(d.containers[1].image, "thethingsindustries/lorawan-stack:3.30.2-aws");
    EXPECT_EQ(requests("DescribeTaskDefinition").size(), 1u);
}

TEST_F(RealCli, TaskLogsOfATaskStartedBeforeACrash) {
    // A fresh backend knows neither the cluster nor the container: both come from AWS.
    auto fresh = AwsCloud::open(options);
    EXPECT_EQ(fresh->task_log_lines("arn:aws:ecs:eu-west-1:123456789012:task/acme-cluster/abc123").size(), 2u);
    auto tasks = fresh->describe_tasks("acme-cluster", {"arn:aws:ecs:eu-west-1:123456789012:task/acme-cluster/abc123"});
    EXPECT_EQ(*tasks[0].exit_code, 3);  // the container that failed
}

TEST_F(RealCli, RunTaskThatEcsCannotPlace) {
    RunTaskRequest r{"full-cluster", "acme-ops:7", "ttes", {"x"}, {"subnet-1"}, {"sg-1"}, "t"};
    EXPECT_EQ(error_of([&] { cloud->run_task(r); }),
              "RunTaskFailure: ECS did not start the task of acme-ops:7 in cluster full-cluster: RESOURCE:ENI (no free "
              "network interfaces)");
}

TEST_F(RealCli, ListTasksRunningAndStoppedOverPages) {
    auto arns = cloud->list_tasks("acme-cluster", "stackshift-token");
    std::sort(arns.begin(), arns.end());
    std::string prefix = "arn:aws:ecs:eu-west-1:123456789012:task/acme-cluster/";
    EXPECT_EQ(arns, (std::vector<std::string>{prefix + "run1", prefix + "stop1", prefix + "stop2"}));
    EXPECT_EQ(requests("ListTasks").size(), 3u);
}

TEST_F(RealCli, InstancesSnapshotsAndAutoScaling) {
    auto all = cloud->describe_instances({});
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1].id, "i-0bbb");
    EXPECT_EQ(all[1].state, "stopped");
    auto one = cloud->describe_instances({"i-0aaa"});
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].volume_ids, (std::vector<std::string>{"vol-0aaa"}));
    EXPECT_EQ(one[0].tags.at("aws:cloudformation:stack-name"), "acme-2-1-db");
    EXPECT_EQ(error_of([&] { cloud->describe_instances({"i-missing"}); }),
              "InvalidInstanceID.NotFound: The instance ID 'i-missing' does not exist");
    cloud->terminate_instances({"i-0aaa"});
    expect_request(requests("TerminateInstances")[0], R"({"InstanceId.1":"i-0aaa"})");

    Snapshot created = cloud->create_snapshot("vol-0aaa", "stackshift h1-04 1a2b3c4d");
    EXPECT_EQ(created.id, "snap-0new");
    EXPECT_EQ(created.state, "pending");
    EXPECT_EQ(created.start_time_s, 1714557600);
    auto described = cloud->describe_snapshots({"snap-0new"});
    ASSERT_EQ(described.size(), 1u);
    EXPECT_EQ(described[0].state, "completed");
    EXPECT_EQ(described[0].progress, "100%");
    auto found = cloud->find_snapshots("vol-0aaa", "stackshift h1-04 1a2b3c4d");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].id, "snap-0old");

    auto groups = cloud->describe_auto_scaling_groups({"acme-asg"});
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].desired_capacity, 2);
    EXPECT_EQ(groups[0].max_size, 3);
    EXPECT_EQ(groups[0].launch_configuration, "acme-lc-2");
    EXPECT_EQ(groups[0].instance_ids, (std::vector<std::string>{"i-0aaa", "i-0bbb"}));
}

TEST_F(RealCli, StackResourcesGiveEachLogicalIdItsPhysicalId) {
    auto resources = cloud->describe_stack_resources("acme-2-1-db");
    expect_request(requests("DescribeStackResources")[0], R"({"StackName":"acme-2-1-db"})");
    ASSERT_EQ(resources.size(), 3u);
    EXPECT_EQ(resources[0].logical_id, "PgData");
    EXPECT_EQ(resources[0].physical_id, "vol-0aaa");
    EXPECT_EQ(resources[0].type, "AWS::EC2::Volume");
    EXPECT_EQ(resources[1].logical_id, "DbHost");
    EXPECT_EQ(resources[1].physical_id, "i-0aaa");
    EXPECT_EQ(resources[1].status, "UPDATE_COMPLETE");
    EXPECT_EQ(resources[2].physical_id, "");  // still being created
    EXPECT_EQ(error_of([&] { cloud->describe_stack_resources("acme-9-9-none"); }),
              "ValidationError: stack 'acme-9-9-none' does not exist (DescribeStackResources: Stack with id acme-9-9-none "
              "does not exist)");
}

TEST_F(RealCli, ClusterSnapshotCreatedThenFoundByItsIdentifier) {
    DbClusterSnapshot created = cloud->create_db_cluster_snapshot("acme-aurora", "stackshift-h1-03-1a2b3c4d");
    expect_request(requests("CreateDBClusterSnapshot")[0],
                   R"({"DBClusterIdentifier":"acme-aurora","DBClusterSnapshotIdentifier":"stackshift-h1-03-1a2b3c4d"})");
    EXPECT_EQ(created.id, "stackshift-h1-03-1a2b3c4d");
    EXPECT_EQ(created.cluster_id, "acme-aurora");
    EXPECT_EQ(created.status, "creating");
    EXPECT_EQ(created.created_s, 1714557600);
    auto found = cloud->describe_db_cluster_snapshots("stackshift-h1-03-1a2b3c4d");
    expect_request(requests("DescribeDBClusterSnapshots")[0], R"({"DBClusterSnapshotIdentifier":"stackshift-h1-03-1a2b3c4d"})");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].status, "available");
    EXPECT_EQ(found[0].percent_progress, 100);
    // None yet is an empty answer, not an error: how a resumed run learns it must still ask.
    EXPECT_TRUE(cloud->describe_db_cluster_snapshots("missing-snapshot").empty());
    EXPECT_EQ(error_of([&] { cloud->create_db_cluster_snapshot("acme-other", "s1"); }),
              "DBClusterNotFoundFault: DBCluster acme-other not found.");
}

// ---- the binary ---------------------------------------------------------------------------

TEST_F(RealCli, SnapshotCommandWritesTheLiveDeployment) {
    std::string out = dir.file("snapshot.json");
    auto r = stackshift::testing::run_stackshift({"snapshot", "--backend", "aws", "--aws-cli", cli, "--endpoint-url",
                                                  server->url(), "--region", "eu-west-1", "--stack-prefix", "acme-",
                                                  "--product", "numbered-stacks", "--out", out},
                                                 options.env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "snapshot of 2 stacks (acme-*) written to " + out + "\n");
    Json snapshot = Json::parse(stackshift::testing::read_text(out));
    EXPECT_EQ(snapshot["format"], "stackshift-deployment/1");
    EXPECT_EQ(snapshot["region"], "eu-west-1");
    EXPECT_EQ(snapshot["stacks"][1]["parameters"]["DBPassword"], "****");
}

TEST_F(RealCli, SnapshotCommandWithNoMatchingStackWritesNothing) {
    std::string out = dir.file("snapshot.json");
    auto r = stackshift::testing::run_stackshift({"snapshot", "--aws-cli", cli, "--endpoint-url", server->url(),
                                                  "--stack-prefix", "acme-prd-", "--out", out},
                                                 options.env);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: no stack's name starts with 'acme-prd-'; stacks there are acme-1-1-vpc, "
                     "acme-2-1-db, other-9-9-tools; give the start their names share with --stack-prefix\n");
    EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(RealCliV1, IsRefusedWithThePathAndHowToGiveAV2) {
    // Version 1 prints its version on stderr; pyenv's awscli here is one.
    std::string v1;
    for (const std::string& candidate : {stackshift::testing::find_on_path("aws"), std::string("/root/.pyenv/shims/aws")}) {
        if (candidate.empty() || access(candidate.c_str(), X_OK) != 0) continue;
        PosixProcessRunner runner;
        auto version = runner.run({candidate, "--version"}, current_environment());
        if ((version.out + version.err).find("aws-cli/1.") != std::string::npos) {
            v1 = candidate;
            break;
        }
    }
    if (v1.empty()) GTEST_SKIP() << "no AWS CLI v1 on this machine to refuse (the fake-runner test covers the message)";
    auto r = stackshift::testing::run_stackshift({"snapshot", "--aws-cli", v1, "--stack-prefix", "acme-", "--out", "/nonexistent/x"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.substr(0, r.err.find(" Python")), "stackshift: error: the AWS CLI at " + v1 + " is version 1 (aws-cli/1." +
                                                          r.err.substr(r.err.find("aws-cli/1.") + 10, r.err.find(')') - r.err.find("aws-cli/1.") - 10) +
                                                          "); stackshift needs the AWS CLI v2: install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and put it first on PATH, or give its path with --aws-cli PATH or STACKSHIFT_AWS_CLI\n");
}

}  // namespace
}  // namespace stackshift::cloud::aws
