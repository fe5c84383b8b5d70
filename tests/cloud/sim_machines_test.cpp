// The simulated machines as the templates say: instances launched from their resolved
// properties, volumes and attachments with the data they hold, auto-scaling groups on their
// launch configuration or template with their update policies, ECS services and their
// deployments, and Aurora clusters named by their identifier.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "cloud/sim_support.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using stackshift::testing::wait_stable;

using stackshift::testing::scenario_from;

using cloud::ParameterInput;
using cloud::sim::Scenario;
using cloud::sim::SimCloud;
using testing::source_path;

SimCloud cloud_with(const std::string& body, const cloud::StringMap& parameters = {}, const Scenario& scenario = {}) {
    cfn::Deployment d;
    d.file = "machines.json";
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "app";
    s.template_id = "1-1-app";
    s.status = "CREATE_COMPLETE";
    for (const auto& [k, v] : parameters) s.parameters[k] = v;
    s.template_body = body;
    d.stacks.push_back(s);
    return SimCloud(cloud::sim::world_from_deployment(d, scenario));
}

// A parameter-only update of the stack "app" (UpdateStack with the previous template), to stable.
std::string update(SimCloud& c, const std::vector<ParameterInput>& parameters) {
    c.update_stack({"app", parameters});
    return wait_stable(c, "app");
}

std::string physical_id(cloud::Cloud& c, const std::string& logical_id) {
    for (const auto& r : c.describe_stack_resources("app"))
        if (r.logical_id == logical_id) return r.physical_id;
    return {};
}

const cloud::sim::SimVolume* volume(const SimCloud& c, const std::string& id) {
    for (const auto& v : const_cast<SimCloud&>(c).world().volumes)
        if (v.id == id) return &v;
    return nullptr;
}

const cloud::sim::SimInstance* instance(SimCloud& c, const std::string& id) {
    for (const auto& i : c.world().instances)
        if (i.id == id) return &i;
    return nullptr;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// ---- instances and volumes ---------------------------------------------------------------

constexpr const char* machine_template = R"(
Parameters:
  Ami: {Type: String, Default: ami-0aaa1111}
  InstanceType: {Type: String, Default: t3.large}
Resources:
  Machine:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Ami
      InstanceType: !Ref InstanceType
      KeyName: ops
      SubnetId: subnet-0abc
      SecurityGroupIds: [sg-0abc]
      UserData: !Base64 |
        #!/bin/bash
        mount /dev/sdf /data
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {VolumeSize: 20}
  Data:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 50}
  DataAttachment:
    Type: AWS::EC2::VolumeAttachment
    Properties: {InstanceId: !Ref Machine, VolumeId: !Ref Data, Device: /dev/sdf}
)";

TEST(SimMachines, AnInstanceRunsWhatItsResolvedPropertiesSay) {
    SimCloud c = cloud_with(machine_template, {{"Ami", "ami-0aaa1111"}, {"InstanceType", "r6i.large"}});
    std::string id = physical_id(c, "Machine");
    auto described = c.describe_instances({id});
    ASSERT_EQ(described.size(), 1u);
    EXPECT_EQ(described[0].instance_type, "r6i.large");  // the parameter's value, not a default
    EXPECT_EQ(described[0].image_id, "ami-0aaa1111");
    EXPECT_EQ(described[0].subnet_id, "subnet-0abc");
    const auto* i = instance(c, id);
    ASSERT_NE(i, nullptr);
    EXPECT_EQ(i->key_name, "ops");
    EXPECT_EQ(i->security_group_ids, std::vector<std::string>{"sg-0abc"});
    EXPECT_EQ(i->user_data.size(), 16u) << "a fingerprint of the resolved user data";
    // The attached data volume and the boot volume made with the instance.
    std::string data = physical_id(c, "Data");
    ASSERT_EQ(described[0].volume_ids.size(), 2u);
    EXPECT_TRUE(contains(described[0].volume_ids, data));
    ASSERT_NE(volume(c, data), nullptr);
    EXPECT_EQ(volume(c, data)->device, "/dev/sdf");
    EXPECT_FALSE(volume(c, data)->delete_on_termination);
    for (const auto& v : described[0].volume_ids) {
        if (v == data) continue;
        ASSERT_NE(volume(c, v), nullptr);
        EXPECT_EQ(volume(c, v)->device, "/dev/xvda");
        EXPECT_EQ(volume(c, v)->size_gb, 20);
        EXPECT_TRUE(volume(c, v)->delete_on_termination) << "the default of a block device mapping";
    }
}

TEST(SimMachines, AReplacedInstanceLosesItsBootVolumeAndTheAttachedVolumeMovesWithItsData) {
    SimCloud c = cloud_with(machine_template, {{"Ami", "ami-0aaa1111"}, {"InstanceType", "t3.large"}});
    std::string old_id = physical_id(c, "Machine");
    std::string data = physical_id(c, "Data");
    std::string data_before = volume(c, data)->data;
    std::string boot;
    for (const auto& v : instance(c, old_id)->volume_ids)
        if (v != data) boot = v;
    ASSERT_FALSE(boot.empty());

    ASSERT_EQ(update(c, {ParameterInput::set("Ami", "ami-0bbb2222"), ParameterInput::keep("InstanceType")}), "UPDATE_COMPLETE");
    std::string new_id = physical_id(c, "Machine");
    ASSERT_NE(new_id, old_id) << "a new AMI replaces the instance";
    auto described = c.describe_instances({old_id, new_id});
    ASSERT_EQ(described.size(), 2u);
    EXPECT_NE(described[0].state, "running") << "the stack's cleanup terminated the old instance";
    EXPECT_TRUE(described[0].volume_ids.empty());
    EXPECT_EQ(described[1].state, "running");
    EXPECT_EQ(described[1].image_id, "ami-0bbb2222");
    EXPECT_EQ(described[1].instance_type, "t3.large");
    EXPECT_TRUE(contains(described[1].volume_ids, data)) << "the replaced attachment names the new instance";
    ASSERT_NE(volume(c, data), nullptr);
    EXPECT_EQ(volume(c, data)->data, data_before) << "the data survived the detach and re-attach";

    // The boot volume went with the old instance, a volume that would be deleted with it.
    EXPECT_EQ(volume(c, boot), nullptr);
    ASSERT_EQ(c.world().data_lost.size(), 1u);
    const auto& lost = c.world().data_lost[0];
    EXPECT_EQ(lost.physical_id, boot);
    EXPECT_EQ(lost.type, "AWS::EC2::Volume");
    EXPECT_EQ(lost.logical_id, "Machine");
    EXPECT_EQ(lost.cause, "system disk /dev/xvda deleted with instance " + old_id);
    EXPECT_TRUE(lost.system_disk) << "the root volume is the machine's own disk";
}

// A data volume written into the instance's BlockDeviceMappings (not the root device) goes with
// the instance too: data lost, and no system disk.
TEST(SimMachines, ADataVolumeInTheBlockDeviceMappingsIsLostWithItsReplacedInstance) {
    std::string t = machine_template;
    std::string root = "          Ebs: {VolumeSize: 20}\n";
    t.insert(t.find(root) + root.size(), "        - DeviceName: /dev/sdg\n          Ebs: {VolumeSize: 100}\n");
    SimCloud c = cloud_with(t, {{"Ami", "ami-0aaa1111"}, {"InstanceType", "t3.large"}});
    std::string old_id = physical_id(c, "Machine");
    ASSERT_EQ(update(c, {ParameterInput::set("Ami", "ami-0bbb2222"), ParameterInput::keep("InstanceType")}), "UPDATE_COMPLETE");
    ASSERT_EQ(c.world().data_lost.size(), 2u);
    std::vector<std::string> causes;
    for (const auto& lost : c.world().data_lost) {
        causes.push_back(lost.cause);
        EXPECT_EQ(lost.system_disk, lost.cause.starts_with("system disk")) << lost.cause;
    }
    EXPECT_TRUE(contains(causes, "volume /dev/sdg deleted with instance " + old_id));
    EXPECT_TRUE(contains(causes, "system disk /dev/xvda deleted with instance " + old_id));
}

TEST(SimMachines, ANewInstanceTypeIsAnUpdateOfTheSameInstance) {
    SimCloud c = cloud_with(machine_template, {{"Ami", "ami-0aaa1111"}, {"InstanceType", "t3.large"}});
    std::string id = physical_id(c, "Machine");
    ASSERT_EQ(update(c, {ParameterInput::keep("Ami"), ParameterInput::set("InstanceType", "m6i.large")}), "UPDATE_COMPLETE");
    EXPECT_EQ(physical_id(c, "Machine"), id);
    EXPECT_EQ(c.describe_instances({id}).at(0).instance_type, "m6i.large");
    EXPECT_TRUE(c.world().data_lost.empty());
}

TEST(SimMachines, TerminatingAnInstanceDeletesOnlyItsDeleteOnTerminationVolumes) {
    SimCloud c = cloud_with(machine_template, {{"Ami", "ami-0aaa1111"}, {"InstanceType", "t3.large"}});
    std::string id = physical_id(c, "Machine");
    std::string data = physical_id(c, "Data");
    c.terminate_instances({id});
    ASSERT_NE(volume(c, data), nullptr);
    EXPECT_TRUE(volume(c, data)->device.empty()) << "detached";
    ASSERT_EQ(c.world().data_lost.size(), 1u);
    EXPECT_EQ(c.world().data_lost[0].cause, "system disk /dev/xvda deleted with instance " + id);
    EXPECT_EQ(c.world().volumes.size(), 1u);
}

TEST(SimMachines, ASnapshotCarriesTheVolumesDataToAVolumeMadeFromIt) {
    constexpr const char* body = R"(
Parameters:
  SnapshotId: {Type: String, Default: ""}
Conditions:
  FromSnapshot: !Not [!Equals [!Ref SnapshotId, ""]]
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: !If [FromSnapshot, eu-west-1b, eu-west-1a]
      Size: 50
      SnapshotId: !If [FromSnapshot, !Ref SnapshotId, !Ref AWS::NoValue]
)";
    SimCloud c = cloud_with(body, {{"SnapshotId", ""}});
    std::string old_volume = physical_id(c, "Data");
    std::string data = volume(c, old_volume)->data;
    auto snapshot = c.create_snapshot(old_volume, "before the move");
    ASSERT_EQ(update(c, {ParameterInput::set("SnapshotId", snapshot.id)}), "UPDATE_COMPLETE");
    std::string new_volume = physical_id(c, "Data");
    ASSERT_NE(new_volume, old_volume);
    ASSERT_NE(volume(c, new_volume), nullptr);
    EXPECT_EQ(volume(c, new_volume)->snapshot_id, snapshot.id);
    EXPECT_EQ(volume(c, new_volume)->data, data);
    EXPECT_EQ(volume(c, old_volume), nullptr);
}

std::string policy_volume_template(const std::string& policies) {
    return R"(
Parameters:
  Zone: {Type: String, Default: eu-west-1a}
Resources:
  Data:
    Type: AWS::EC2::Volume
)" + policies + R"(
    Properties: {AvailabilityZone: !Ref Zone, Size: 50}
)";
}

TEST(SimMachines, AVolumeReplacedUnderASnapshotPolicyLeavesASnapshotOfItsData) {
    SimCloud c = cloud_with(policy_volume_template("    UpdateReplacePolicy: Snapshot"), {{"Zone", "eu-west-1a"}});
    std::string old_volume = physical_id(c, "Data");
    std::string data = volume(c, old_volume)->data;
    ASSERT_EQ(update(c, {ParameterInput::set("Zone", "eu-west-1b")}), "UPDATE_COMPLETE");
    EXPECT_NE(physical_id(c, "Data"), old_volume);
    EXPECT_EQ(volume(c, old_volume), nullptr);
    EXPECT_TRUE(c.world().data_lost.empty());
    ASSERT_EQ(c.world().snapshots.size(), 1u);
    EXPECT_EQ(c.world().snapshots[0].volume_id, old_volume);
    EXPECT_EQ(c.world().snapshots[0].data, data);
    EXPECT_NE(volume(c, physical_id(c, "Data"))->data, data) << "the new volume starts empty";
}

TEST(SimMachines, AVolumeRemovedUnderARetainPolicyStaysInTheAccount) {
    SimCloud c = cloud_with(policy_volume_template("    DeletionPolicy: Retain"), {{"Zone", "eu-west-1a"}});
    std::string kept = physical_id(c, "Data");
    c.delete_stack("app");
    for (int i = 0; i < 100 && c.world().stacks[0].status != "DELETE_COMPLETE"; ++i) c.wait(30);
    ASSERT_EQ(c.world().stacks[0].status, "DELETE_COMPLETE");
    EXPECT_NE(volume(c, kept), nullptr);
    EXPECT_TRUE(c.world().data_lost.empty());

    SimCloud gone = cloud_with(policy_volume_template(""), {{"Zone", "eu-west-1a"}});
    std::string deleted = physical_id(gone, "Data");
    gone.delete_stack("app");
    for (int i = 0; i < 100 && gone.world().stacks[0].status != "DELETE_COMPLETE"; ++i) gone.wait(30);
    EXPECT_EQ(volume(gone, deleted), nullptr);
    ASSERT_EQ(gone.world().data_lost.size(), 1u);
    EXPECT_EQ(gone.world().data_lost[0].physical_id, deleted);
}

// ---- auto scaling ------------------------------------------------------------------------

std::string group_template(const std::string& update_policy) {
    return R"(
Parameters:
  Ami: {Type: String, Default: ami-0aaa1111}
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: !Ref Ami, InstanceType: c5.large}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
)" + update_policy + R"(
    Properties:
      LaunchConfigurationName: !Ref Config
      MinSize: "1"
      MaxSize: "4"
      DesiredCapacity: "2"
      VPCZoneIdentifier: [subnet-0abc]
Outputs:
  GroupName:
    Value: !Ref Group
)";
}

cloud::AutoScalingGroup the_group(SimCloud& c) {
    auto groups = c.describe_auto_scaling_groups({physical_id(c, "Group")});
    EXPECT_EQ(groups.size(), 1u);
    return groups.empty() ? cloud::AutoScalingGroup{} : groups[0];
}

TEST(SimAutoScaling, InstancesKeepTheirLaunchConfigurationAndATerminatedOneComesBackOnTheNewOne) {
    SimCloud c = cloud_with(group_template(""), {{"Ami", "ami-0aaa1111"}});
    std::string old_config = physical_id(c, "Config");
    auto group = the_group(c);
    EXPECT_EQ(group.launch_configuration, old_config);
    ASSERT_EQ(group.instance_ids.size(), 2u);
    auto launched = group.instance_ids;
    for (const auto& i : c.describe_instances(launched)) {
        EXPECT_EQ(i.launch_configuration, old_config);
        EXPECT_EQ(i.image_id, "ami-0aaa1111");
        EXPECT_EQ(i.instance_type, "c5.large");
    }

    ASSERT_EQ(update(c, {ParameterInput::set("Ami", "ami-0bbb2222")}), "UPDATE_COMPLETE");
    std::string new_config = physical_id(c, "Config");
    ASSERT_NE(new_config, old_config);
    group = the_group(c);
    EXPECT_EQ(group.launch_configuration, new_config);
    EXPECT_EQ(group.instance_ids, launched) << "CloudFormation does not replace running instances";
    for (const auto& i : c.describe_instances(launched)) {
        EXPECT_EQ(i.launch_configuration, old_config);
        EXPECT_EQ(i.image_id, "ami-0aaa1111");
    }

    c.terminate_instances({launched[0]});
    group = the_group(c);
    ASSERT_EQ(group.instance_ids.size(), 2u) << "the group keeps its desired capacity";
    EXPECT_FALSE(contains(group.instance_ids, launched[0]));
    EXPECT_TRUE(contains(group.instance_ids, launched[1]));
    std::string replacement = group.instance_ids.back();
    auto described = c.describe_instances({replacement});
    ASSERT_EQ(described.size(), 1u);
    EXPECT_EQ(described[0].launch_configuration, new_config);
    EXPECT_EQ(described[0].image_id, "ami-0bbb2222");
    EXPECT_EQ(described[0].tags.at("aws:autoscaling:groupName"), group.name);
}

// The seconds between the group's UPDATE_IN_PROGRESS and UPDATE_COMPLETE.
std::int64_t group_update_seconds(SimCloud& c) {
    std::int64_t start = -1;
    std::int64_t end = -1;
    for (const auto& e : c.describe_stack_events("app", "")) {
        if (e.logical_id != "Group") continue;
        if (e.status == "UPDATE_IN_PROGRESS") start = e.timestamp_s;
        if (e.status == "UPDATE_COMPLETE") end = e.timestamp_s;
    }
    return start < 0 || end < 0 ? -1 : end - start;
}

TEST(SimAutoScaling, ARollingUpdatePolicyReplacesTheInstancesDuringTheUpdate) {
    SimCloud plain = cloud_with(group_template(""), {{"Ami", "ami-0aaa1111"}});
    ASSERT_EQ(update(plain, {ParameterInput::set("Ami", "ami-0bbb2222")}), "UPDATE_COMPLETE");

    SimCloud c = cloud_with(group_template("    UpdatePolicy:\n      AutoScalingRollingUpdate: {MaxBatchSize: 1}"),
                            {{"Ami", "ami-0aaa1111"}});
    auto launched = the_group(c).instance_ids;
    ASSERT_EQ(update(c, {ParameterInput::set("Ami", "ami-0bbb2222")}), "UPDATE_COMPLETE");
    std::string new_config = physical_id(c, "Config");
    auto group = the_group(c);
    ASSERT_EQ(group.instance_ids.size(), 2u);
    for (const auto& id : group.instance_ids) EXPECT_FALSE(contains(launched, id)) << id << " was not replaced";
    for (const auto& i : c.describe_instances(group.instance_ids)) EXPECT_EQ(i.launch_configuration, new_config);
    for (const auto& i : c.describe_instances(launched)) EXPECT_NE(i.state, "running");
    // Two batches of one instance each, on top of the group's own update.
    EXPECT_GE(group_update_seconds(c), group_update_seconds(plain) + 2 * 120);
}

TEST(SimAutoScaling, AReplacingUpdatePolicyReplacesTheInstancesToo) {
    SimCloud c = cloud_with(group_template("    UpdatePolicy:\n      AutoScalingReplacingUpdate: {WillReplace: true}"),
                            {{"Ami", "ami-0aaa1111"}});
    auto launched = the_group(c).instance_ids;
    ASSERT_EQ(update(c, {ParameterInput::set("Ami", "ami-0bbb2222")}), "UPDATE_COMPLETE");
    auto group = the_group(c);
    ASSERT_EQ(group.instance_ids.size(), 2u);
    for (const auto& i : c.describe_instances(group.instance_ids)) {
        EXPECT_FALSE(contains(launched, i.id));
        EXPECT_EQ(i.image_id, "ami-0bbb2222");
    }
}

TEST(SimAutoScaling, TheExamplesGroupIsNamedAsItsOutputSays) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    SimCloud c(cloud::sim::world_from_deployment(*deployment, {}));
    const std::string stack = "acme-prod-5-1-ecs-cluster";
    std::string output = c.describe_stack(stack).outputs.at("AutoScalingGroupName");
    std::string resource;
    for (const auto& r : c.describe_stack_resources(stack))
        if (r.logical_id == "ECSAutoScalingGroup") resource = r.physical_id;
    EXPECT_EQ(resource, output);
    auto groups = c.describe_auto_scaling_groups({output});
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].name, output);
    EXPECT_FALSE(groups[0].launch_configuration.empty());
}

TEST(SimAutoScaling, AGroupNamedByItsPropertyHasThatNameAndLaunchTemplateVersionsMove) {
    constexpr const char* body = R"(
Parameters:
  InstanceType: {Type: String, Default: c5.large}
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: !Sub "${AWS::StackName}-nodes"
      LaunchTemplateData: {ImageId: ami-0aaa1111, InstanceType: !Ref InstanceType}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: !Sub "${AWS::StackName}-workers"
      LaunchTemplate:
        LaunchTemplateId: !Ref Template
        Version: !GetAtt Template.LatestVersionNumber
      MinSize: "1"
      MaxSize: "2"
)";
    SimCloud c = cloud_with(body, {{"InstanceType", "c5.large"}});
    EXPECT_EQ(physical_id(c, "Group"), "app-workers");
    auto group = the_group(c);
    EXPECT_EQ(group.name, "app-workers");
    EXPECT_EQ(group.launch_template, "app-nodes");
    EXPECT_EQ(group.launch_template_version, "1");
    ASSERT_EQ(group.instance_ids.size(), 1u) << "DesiredCapacity defaults to MinSize";
    std::string first = group.instance_ids[0];
    EXPECT_EQ(c.describe_instances({first}).at(0).instance_type, "c5.large");

    ASSERT_EQ(update(c, {ParameterInput::set("InstanceType", "c6i.large")}), "UPDATE_COMPLETE");
    group = the_group(c);
    EXPECT_EQ(group.launch_template_version, "2") << "a change of the template's data is a new version";
    ASSERT_EQ(group.instance_ids, std::vector<std::string>{first});
    auto kept = c.describe_instances({first}).at(0);
    EXPECT_EQ(kept.launch_template_version, "1");
    EXPECT_EQ(kept.instance_type, "c5.large");
    c.terminate_instances({first});
    auto replacement = c.describe_instances({the_group(c).instance_ids.at(0)}).at(0);
    EXPECT_EQ(replacement.launch_template, "app-nodes");
    EXPECT_EQ(replacement.launch_template_version, "2");
    EXPECT_EQ(replacement.instance_type, "c6i.large");
}

// ---- ECS services ------------------------------------------------------------------------

std::string service_template(bool circuit_breaker) {
    std::string body = R"(
Parameters:
  Image: {Type: String}
  Count: {Type: Number, Default: 2}
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
      DesiredCount: !Ref Count
)";
    if (circuit_breaker) body += "      DeploymentConfiguration:\n        DeploymentCircuitBreaker: {Enable: true, Rollback: true}\n";
    return body;
}

const cloud::sim::SimService& the_service(SimCloud& c) {
    EXPECT_EQ(c.world().services.size(), 1u);
    return c.world().services.at(0);
}

TEST(SimServices, AServiceRunsItsTaskDefinitionAndADeploymentSettlesAfterAnUpdate) {
    SimCloud c = cloud_with(service_template(false), {{"Image", "app:1"}, {"Count", "3"}});
    std::string first_revision = physical_id(c, "TaskDefinition");
    {
        const auto& s = the_service(c);
        EXPECT_EQ(s.name, "web");
        EXPECT_EQ(s.cluster, "main");
        EXPECT_EQ(s.task_definition, first_revision);
        EXPECT_EQ(s.desired_count, 3);
        EXPECT_EQ(s.running_count, 3);
    }
    std::int64_t start = c.world().clock_s;
    ASSERT_EQ(update(c, {ParameterInput::set("Image", "app:2"), ParameterInput::set("Count", "4")}), "UPDATE_COMPLETE");
    std::string second_revision = physical_id(c, "TaskDefinition");
    ASSERT_NE(second_revision, first_revision);
    const auto& s = the_service(c);
    EXPECT_EQ(s.task_definition, second_revision);
    EXPECT_EQ(s.desired_count, 4);
    EXPECT_EQ(s.running_count, 4);
    EXPECT_EQ(s.deployment, "COMPLETED");
    EXPECT_GT(s.deployment_started_s, start);
    EXPECT_GE(s.deployment_settled_s - s.deployment_started_s, 240) << "tasks reach the count over the service's time";

    auto status = nlohmann::json::parse(cloud::sim::status_json(c.world()));
    ASSERT_EQ(status["services"].size(), 1u);
    EXPECT_EQ(status["services"][0]["desiredCount"], 4);
    EXPECT_EQ(status["services"][0]["runningCount"], 4);
    EXPECT_NE(cloud::sim::status_text(c.world()).find("app Service (web)  4/4 running"), std::string::npos)
        << cloud::sim::status_text(c.world());
}

// The service's entry in `sim status --output json`.
nlohmann::json service_status(SimCloud& c) { return nlohmann::json::parse(cloud::sim::status_json(c.world()))["services"].at(0); }

TEST(SimServices, TheNewRevisionsTasksReachTheDesiredCountOverTheServicesTime) {
    SimCloud c = cloud_with(service_template(false), {{"Image", "app:1"}, {"Count", "4"}});
    c.update_stack({"app", {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Count")}});
    std::vector<int> seen;
    std::string rollout_of;
    while (c.describe_stack("app").status.ends_with("_IN_PROGRESS")) {
        nlohmann::json s = service_status(c);
        if (s.contains("rollout")) {
            seen.push_back(s["rollout"]["runningCount"].get<int>());
            rollout_of = s["rollout"]["taskDefinition"];
            EXPECT_EQ(s["deployment"], "IN_PROGRESS");
            EXPECT_EQ(s["runningCount"], 4) << "the old revision serves until the new one is up";
        }
        c.wait(20);
    }
    ASSERT_EQ(c.describe_stack("app").status, "UPDATE_COMPLETE");
    ASSERT_FALSE(seen.empty());
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](int n) { return n > 0 && n < 4; })) << "no task count between none and all";
    EXPECT_EQ(seen.back(), 4);
    EXPECT_EQ(rollout_of, physical_id(c, "TaskDefinition"));
    nlohmann::json settled = service_status(c);
    EXPECT_FALSE(settled.contains("rollout"));
    EXPECT_EQ(settled["deployment"], "COMPLETED");
    EXPECT_EQ(settled["taskDefinition"], rollout_of);
}

// The Service's UPDATE_FAILED event, and the time from its UPDATE_IN_PROGRESS.
std::pair<cloud::StackEvent, std::int64_t> service_failure(SimCloud& c) {
    std::int64_t start = -1;
    for (const auto& e : c.describe_stack_events("app", "")) {
        if (e.logical_id != "Service") continue;
        if (e.status == "UPDATE_IN_PROGRESS" && start < 0) start = e.timestamp_s;
        if (e.status == "UPDATE_FAILED") return {e, e.timestamp_s - start};
    }
    return {};
}

TEST(SimServices, AnUnsettledDeploymentTripsTheCircuitBreakerAndTheStackRollsBack) {
    Scenario scenario = scenario_from("unsettled_services:\n  - {stack: app, logicalId: Service}\n");
    SimCloud c = cloud_with(service_template(true), {{"Image", "app:1"}, {"Count", "2"}}, scenario);
    std::string first_revision = physical_id(c, "TaskDefinition");
    ASSERT_EQ(update(c, {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Count")}), "UPDATE_ROLLBACK_COMPLETE");
    auto [failed, seconds] = service_failure(c);
    EXPECT_TRUE(failed.status_reason.starts_with(
        "Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\" "
        "(RequestToken: "))
        << failed.status_reason;
    EXPECT_TRUE(failed.status_reason.ends_with(", HandlerErrorCode: GeneralServiceException)")) << failed.status_reason;
    EXPECT_EQ(c.describe_stack("app").parameters.at("Image"), "app:1");
    EXPECT_EQ(the_service(c).task_definition, first_revision) << "the service stays on the revision it ran";
    EXPECT_EQ(the_service(c).deployment, "FAILED") << "as ECS reports the deployment the breaker stopped";
    EXPECT_EQ(the_service(c).running_count, 2);
}

TEST(SimServices, WithoutACircuitBreakerCloudFormationWaitsThreeHoursForStability) {
    Scenario scenario = scenario_from("unsettled_services:\n  - {stack: 1-1-app, logicalId: Service}\n");
    SimCloud c = cloud_with(service_template(false), {{"Image", "app:1"}, {"Count", "2"}}, scenario);
    ASSERT_EQ(update(c, {ParameterInput::set("Image", "app:2"), ParameterInput::keep("Count")}), "UPDATE_ROLLBACK_COMPLETE");
    auto [failed, seconds] = service_failure(c);
    EXPECT_EQ(failed.status_reason, "Service arn:aws:ecs:eu-west-1:123456789012:service/main/web did not stabilize.");
    EXPECT_GE(seconds, 3 * 60 * 60);
}

TEST(SimServices, TheScenarioNamesAProblemWithUnsettledServicesAtItsPlace) {
    auto s = cloud::sim::parse_scenario("unsettled_services:\n  - {stack: app, service: web}\n", "faults.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(to_string(s.diagnostics()),
              "faults.yaml:2:27: unknown key 'service' in unsettled_services; expected stack, logicalId\n"
              "faults.yaml:2:5: an unsettled service needs 'stack' and 'logicalId'");
}

// ---- Aurora clusters ---------------------------------------------------------------------

std::string cluster_template(const std::string& policy, const std::string& identifier = "      DBClusterIdentifier: Acme-Prod-DB\n") {
    return R"(
Parameters:
  Database: {Type: String, Default: ttn}
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
)" + policy + R"(
    Properties:
)" + identifier + R"(      Engine: aurora-postgresql
      DatabaseName: !Ref Database
)";
}

TEST(SimClusters, AClusterIsNamedByItsIdentifierAndItsSnapshotNamesIt) {
    SimCloud c = cloud_with(cluster_template(""), {{"Database", "ttn"}});
    EXPECT_EQ(physical_id(c, "Cluster"), "acme-prod-db") << "RDS keeps identifiers lower-cased";
    auto snapshot = c.create_db_cluster_snapshot("acme-prod-db", "before-upgrade");
    EXPECT_EQ(snapshot.cluster_id, "acme-prod-db");
}

TEST(SimClusters, AClusterDeletedWithoutASnapshotPolicyIsDataLost) {
    SimCloud c = cloud_with(cluster_template(""), {{"Database", "ttn"}});
    c.delete_stack("app");
    for (int i = 0; i < 200 && c.world().stacks[0].status != "DELETE_COMPLETE"; ++i) c.wait(30);
    ASSERT_EQ(c.world().data_lost.size(), 1u);
    EXPECT_EQ(c.world().data_lost[0].physical_id, "acme-prod-db");
    EXPECT_EQ(c.world().data_lost[0].cause, "deleted");

    SimCloud kept = cloud_with(cluster_template("    DeletionPolicy: Snapshot"), {{"Database", "ttn"}});
    kept.delete_stack("app");
    for (int i = 0; i < 200 && kept.world().stacks[0].status != "DELETE_COMPLETE"; ++i) kept.wait(30);
    EXPECT_TRUE(kept.world().data_lost.empty());
}

TEST(SimClusters, AClusterReplacedWithoutASnapshotPolicyIsDataLost) {
    SimCloud c = cloud_with(cluster_template("", ""), {{"Database", "ttn"}});
    std::string old_id = physical_id(c, "Cluster");
    EXPECT_EQ(old_id, "app-cluster-" + old_id.substr(12)) << "a generated identifier is lower-cased too";
    ASSERT_EQ(update(c, {ParameterInput::set("Database", "lorawan")}), "UPDATE_COMPLETE");
    ASSERT_NE(physical_id(c, "Cluster"), old_id);
    ASSERT_EQ(c.world().data_lost.size(), 1u);
    EXPECT_EQ(c.world().data_lost[0].physical_id, old_id);
    EXPECT_EQ(c.world().data_lost[0].cause, "replaced");

    SimCloud kept = cloud_with(cluster_template("    UpdateReplacePolicy: Snapshot\n", ""), {{"Database", "ttn"}});
    ASSERT_EQ(update(kept, {ParameterInput::set("Database", "lorawan")}), "UPDATE_COMPLETE");
    EXPECT_TRUE(kept.world().data_lost.empty());
}

TEST(SimClusters, ANamedClusterThatNeedsReplacingIsRefusedAndTheStackRollsBack) {
    SimCloud c = cloud_with(cluster_template(""), {{"Database", "ttn"}});
    ASSERT_EQ(update(c, {ParameterInput::set("Database", "lorawan")}), "UPDATE_ROLLBACK_COMPLETE");
    std::string reason;
    for (const auto& e : c.describe_stack_events("app", ""))
        if (e.logical_id == "Cluster" && e.status == "UPDATE_FAILED") reason = e.status_reason;
    EXPECT_EQ(reason, "CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename "
                      "acme-prod-db and update the stack again.");
    EXPECT_EQ(physical_id(c, "Cluster"), "acme-prod-db");
    EXPECT_TRUE(c.world().data_lost.empty());
    EXPECT_EQ(c.describe_stack("app").parameters.at("Database"), "ttn");
}

// ---- status and the state file -----------------------------------------------------------

TEST(SimMachines, StatusShowsInstancesWithTheirTypeAndVolumes) {
    SimCloud c = cloud_with(machine_template, {{"Ami", "ami-0aaa1111"}, {"InstanceType", "t3.large"}});
    std::string id = physical_id(c, "Machine");
    std::string data = physical_id(c, "Data");
    auto status = nlohmann::json::parse(cloud::sim::status_json(c.world()));
    ASSERT_EQ(status["instances"].size(), 1u);
    EXPECT_EQ(status["instances"][0]["id"], id);
    EXPECT_EQ(status["instances"][0]["instanceType"], "t3.large");
    ASSERT_EQ(status["instances"][0]["volumes"].size(), 2u);
    bool listed = false;
    for (const auto& v : status["instances"][0]["volumes"]) listed = listed || (v["volumeId"] == data && v["device"] == "/dev/sdf");
    EXPECT_TRUE(listed) << status["instances"].dump();
    std::string text = cloud::sim::status_text(c.world());
    EXPECT_NE(text.find(id + "  app Machine  t3.large"), std::string::npos) << text;
    EXPECT_NE(text.find(data + " at /dev/sdf"), std::string::npos) << text;
}

TEST(SimMachines, TheStateFileKeepsTheMachinesModel) {
    SimCloud c = cloud_with(group_template(""), {{"Ami", "ami-0aaa1111"}});
    cloud::sim::World w = cloud::sim::world_from_json(cloud::sim::world_to_json(c.world()), "w.json");
    ASSERT_EQ(w.instances.size(), c.world().instances.size());
    EXPECT_EQ(w.instances[0].launch_configuration, c.world().instances[0].launch_configuration);
    EXPECT_EQ(w.instances[0].image_id, "ami-0aaa1111");
    EXPECT_EQ(w.instances[0].auto_scaling_group, c.world().auto_scaling_groups[0].name);

    SimCloud m = cloud_with(machine_template, {{"Ami", "ami-0aaa1111"}, {"InstanceType", "t3.large"}});
    cloud::sim::World v = cloud::sim::world_from_json(cloud::sim::world_to_json(m.world()), "v.json");
    ASSERT_EQ(v.volumes.size(), 2u);
    for (std::size_t i = 0; i < v.volumes.size(); ++i) {
        EXPECT_EQ(v.volumes[i].data, m.world().volumes[i].data);
        EXPECT_EQ(v.volumes[i].device, m.world().volumes[i].device);
        EXPECT_EQ(v.volumes[i].delete_on_termination, m.world().volumes[i].delete_on_termination);
        EXPECT_EQ(v.volumes[i].attached_by, m.world().volumes[i].attached_by);
    }
    SimCloud s = cloud_with(service_template(false), {{"Image", "app:1"}, {"Count", "2"}},
                            scenario_from("unsettled_services: [{stack: app, logicalId: Service}]\n"));
    cloud::sim::World sw = cloud::sim::world_from_json(cloud::sim::world_to_json(s.world()), "s.json");
    ASSERT_EQ(sw.services.size(), 1u);
    EXPECT_EQ(sw.services[0].task_definition, s.world().services[0].task_definition);
    ASSERT_EQ(sw.scenario.unsettled_services.size(), 1u);
    EXPECT_EQ(sw.scenario.unsettled_services[0].logical_id, "Service");
}

}  // namespace
}  // namespace stackshift
