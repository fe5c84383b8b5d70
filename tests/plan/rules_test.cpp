// The product rules on small worlds: the 2-5-db-timescale procedures, the 5-1-ecs-cluster
// launch configuration advice, Docker images, migrations after 5-2-ecs-ops, waypoints as hops.

#include "core/error.hpp"
#include "plan_world.hpp"

namespace stackshift::plan_test {
namespace {

using plan::ParameterAction;
using plan::Risk;
using plan::StepKind;

std::string timescale(const std::string& ami, const std::string& instance_type = "m5.large",
                      const std::string& extra = "") {
    return R"(Parameters:
  InstanceType: {Type: String, Default: )" + instance_type + R"(}
  VolumeSnapshotID: {Type: String, Default: ""}
Mappings:
  RegionMap:
    eu-west-1: {AMI: )" + ami + R"(}
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [RegionMap, !Ref "AWS::Region", AMI]
      InstanceType: !Ref InstanceType
      AvailabilityZone: eu-west-1a
  Volume:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 100}
  VolumeAttachment:
    Type: AWS::EC2::VolumeAttachment
    Properties: {Device: /dev/xvdf, InstanceId: !Ref Instance, VolumeId: !Ref Volume}
)" + extra;
}

std::string ecs(const std::string& image_default, const std::string& extra_parameters = "") {
    return R"(Parameters:
  Image: {Type: String, Default: )" + image_default + R"(}
  ApplicationServerStorageEnabled: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
)" + extra_parameters + R"(Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: ttes, Image: !Ref Image, Environment: [{Name: STORAGE, Value: !Ref ApplicationServerStorageEnabled}]}
Outputs:
  OpsRunTaskArguments: {Value: "td cluster subnet-1 subnet-2 sg-1"}
)";
}

const std::string image_of(const std::string& v) { return "docker.io/thethingsindustries/lorawan-stack:" + v + "-aws"; }

// A deployment at `from` with 2-5-db-timescale, 5-2-ecs-ops and 5-4-ecs-services.
void timescale_world(World& w, const std::vector<std::string>& versions, const std::string& from) {
    for (const auto& v : versions) {
        w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
        w.release(v, "5-4-ecs-services", ecs(image_of(v)));
    }
    for (const auto* id : {"5-2-ecs-ops", "5-4-ecs-services"})
        w.deploy(stack(id, from, {{"Image", image_of(from)}, {"ApplicationServerStorageEnabled", "true"}}));
    w.deploy(stack("2-5-db-timescale", from, {{"InstanceType", "m5.large"}}));
}

TEST(TimescaleRule, BeforeTheReworkTheStackIsSkippedWithTheManualAlternative) {
    World w;
    w.release("3.13.0", "2-5-db-timescale", timescale("ami-1"));
    w.release("3.14.2", "2-5-db-timescale", timescale("ami-2", "m5.large", "Outputs:\n  Id: {Value: !Ref Instance}\n"));
    timescale_world(w, {"3.13.0", "3.14.2"}, "3.13.0");
    auto p = w.plan("3.13.0", "3.14.2");
    const auto& skip = step_for(p, "acme-2-5-db-timescale");
    EXPECT_EQ(skip.kind, StepKind::skip_stack);
    EXPECT_NE(skip.reason.find("before 3.15.0 fails"), std::string::npos) << skip.reason;
    const auto* manual = find_step(p, StepKind::manual, "acme-2-5-db-timescale");
    ASSERT_NE(manual, nullptr);
    EXPECT_FALSE(manual->automated);
    EXPECT_FALSE(manual->details.empty());
    // No storage toggling before the rework.
    EXPECT_EQ(find_step(p, StepKind::set_parameters, "acme-5-2-ecs-ops"), nullptr);
}

TEST(TimescaleRule, CrossingTheReworkFollowsTheVendorProcedure) {
    World w;
    w.release("3.14.2", "2-5-db-timescale", timescale("ami-1"));
    w.release("3.15.0", "2-5-db-timescale", timescale("ami-2", "m5.large", "Outputs:\n  DNSName: {Value: x}\n"));
    timescale_world(w, {"3.14.2", "3.15.0"}, "3.14.2");
    auto p = w.plan("3.14.2", "3.15.0");
    EXPECT_EQ(outline(p), (std::vector<std::string>{
                              "preflight",
                              "set-parameters:acme-5-2-ecs-ops",
                              "set-parameters:acme-5-4-ecs-services",
                              "snapshot-volume:acme-2-5-db-timescale",
                              "terminate-instance:acme-2-5-db-timescale",
                              "update-stack:acme-2-5-db-timescale",
                              "update-stack:acme-5-2-ecs-ops",
                              "update-stack:acme-5-4-ecs-services",
                          }));
    const auto* off = find_step(p, StepKind::set_parameters, "acme-5-2-ecs-ops");
    EXPECT_TRUE(off->previous_template);
    EXPECT_EQ(parameter(*off, "ApplicationServerStorageEnabled").value.value_or(""), "false");
    EXPECT_EQ(parameter(*off, "Image").action, ParameterAction::keep);
    // What the new value does, resolved with the stack's values: the environment of the task.
    ASSERT_EQ(off->resources.size(), 1u);
    EXPECT_EQ(off->resources[0].logical_id, "TaskDefinition");
    EXPECT_EQ(off->resources[0].impact, cfn::Impact::will_replace);
    EXPECT_EQ(off->resources[0].changes, (std::vector<std::string>{"ContainerDefinitions[0].Environment[0].Value"}));
    const auto& ops = step_for(p, "acme-5-2-ecs-ops");
    EXPECT_EQ(parameter(ops, "ApplicationServerStorageEnabled").action, ParameterAction::set);
    EXPECT_EQ(parameter(ops, "ApplicationServerStorageEnabled").value.value_or(""), "true");
    EXPECT_EQ(parameter(ops, "Image").value.value_or(""), image_of("3.15.0"));
    const auto* snapshot = find_step(p, StepKind::snapshot_volume, "acme-2-5-db-timescale");
    EXPECT_EQ(snapshot->logical_id, "Volume");
    const auto* terminate = find_step(p, StepKind::terminate_instance, "acme-2-5-db-timescale");
    EXPECT_EQ(terminate->logical_id, "Instance");
    EXPECT_FALSE(terminate->automated);
    const auto& update = step_for(p, "acme-2-5-db-timescale");
    std::string details;
    for (const auto& d : update.details) details += d + "\n";
    EXPECT_NE(details.find("must not touch Volume"), std::string::npos) << details;
}

// Replacing the machine after 3.15.0 risks the volume it mounts as much as the rework did: a
// snapshot comes first in every hop, not only when crossing 3.15.0.
TEST(TimescaleRule, FromTheReworkASnapshotANormalUpdateThenAWait) {
    World w;
    w.release("3.15.0", "2-5-db-timescale", timescale("ami-1"));
    w.release("3.16.0", "2-5-db-timescale", timescale("ami-2", "m5.large", "Outputs:\n  DNSName: {Value: x}\n"));
    timescale_world(w, {"3.15.0", "3.16.0"}, "3.15.0");
    auto p = w.plan("3.15.0", "3.16.0");
    auto o = outline(p);
    ASSERT_GE(o.size(), 4u);
    EXPECT_EQ(o[1], "snapshot-volume:acme-2-5-db-timescale");
    EXPECT_EQ(o[2], "update-stack:acme-2-5-db-timescale");
    EXPECT_EQ(o[3], "wait:acme-2-5-db-timescale");
    const auto* snapshot = find_step(p, StepKind::snapshot_volume, "acme-2-5-db-timescale");
    EXPECT_EQ(snapshot->logical_id, "Volume");
    EXPECT_EQ(snapshot->role, "timescale-volume");
    ASSERT_EQ(snapshot->why.size(), 1u);
    EXPECT_EQ(snapshot->why[0], "the update would replace Instance (role timescale-machine), the machine that mounts "
                                "Volume (role timescale-volume): the TimescaleDB data of the Application Server storage "
                                "integration lives on this EBS volume");
    EXPECT_EQ(find_step(p, StepKind::wait, "acme-2-5-db-timescale")->wait_seconds, 180);
    EXPECT_EQ(find_step(p, StepKind::set_parameters, "acme-5-2-ecs-ops"), nullptr);
}

// Turned back on, the parameter read "set = true (was true)" with no word of the step that had
// switched it off.
TEST(TimescaleRule, TheStorageTurnedBackOnNamesTheStepThatSwitchedItOff) {
    World w;
    w.release("3.14.2", "2-5-db-timescale", timescale("ami-1"));
    w.release("3.15.0", "2-5-db-timescale", timescale("ami-2", "m5.large", "Outputs:\n  DNSName: {Value: x}\n"));
    timescale_world(w, {"3.14.2", "3.15.0"}, "3.14.2");
    auto p = w.plan("3.14.2", "3.15.0");
    for (const auto* stack : {"acme-5-2-ecs-ops", "acme-5-4-ecs-services"}) {
        const auto* off = find_step(p, StepKind::set_parameters, stack);
        ASSERT_NE(off, nullptr) << stack;
        const auto& on = parameter(step_for(p, stack), "ApplicationServerStorageEnabled");
        EXPECT_EQ(on.why, "storage integration back on: restores the value switched off at step " + off->id +
                              " while 2-5-db-timescale was updated (vendor procedure, updating from before 3.15.0)");
    }
    EXPECT_EQ(find_step(p, StepKind::set_parameters, "acme-5-2-ecs-ops")->id, "h1-02-set-parameters-5-2-ecs-ops-storage-off");
}

// A services stack without the storage parameter was only a warning, and the plan stayed
// Ready: the vendor's first step is now a manual step a person does and confirms.
TEST(TimescaleRule, AStackWithoutTheStorageParameterGetsAManualStepNotAWarning) {
    World w;
    w.release("3.14.2", "2-5-db-timescale", timescale("ami-1"));
    w.release("3.15.0", "2-5-db-timescale", timescale("ami-2", "m5.large", "Outputs:\n  DNSName: {Value: x}\n"));
    const std::string services = "Parameters:\n  Image: {Type: String}\nResources:\n  TaskDefinition:\n"
                                 "    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n"
                                 "        - {Name: ttes, Image: !Ref Image}\n";
    for (const auto* v : {"3.14.2", "3.15.0"}) {
        w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
        w.release(v, "5-4-ecs-services", services);
    }
    w.deploy(stack("5-2-ecs-ops", "3.14.2", {{"Image", image_of("3.14.2")}, {"ApplicationServerStorageEnabled", "true"}}));
    w.deploy(stack("5-4-ecs-services", "3.14.2", {{"Image", image_of("3.14.2")}}));
    w.deploy(stack("2-5-db-timescale", "3.14.2", {{"InstanceType", "m5.large"}}));
    auto p = w.plan("3.14.2", "3.15.0");
    EXPECT_TRUE(p.warnings.empty()) << ::testing::PrintToString(p.warnings);
    const plan::Step* manual = nullptr;
    for (const auto& s : p.hops[0].steps)
        if (s.kind == StepKind::manual && s.stack == "acme-5-4-ecs-services") manual = &s;
    ASSERT_NE(manual, nullptr) << ::testing::PrintToString(outline(p));
    EXPECT_EQ(manual->title, "Turn the storage integration off on acme-5-4-ecs-services by hand");
    EXPECT_FALSE(manual->automated);
    EXPECT_NE(find_step(p, StepKind::set_parameters, "acme-5-2-ecs-ops"), nullptr);
}

// The volume is found by what it is, not by its name: a template that names it otherwise is
// followed, and one where no volume, or two, are mounted by the machine holds the plan.
std::string timescale_named(const std::string& ami, const std::string& volume, const std::string& machine,
                            const std::string& extra = "") {
    return R"(Resources:
  Logs:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 8}
  )" + machine + R"(:
    Type: AWS::EC2::Instance
    Properties: {ImageId: )" + ami + R"(, AvailabilityZone: eu-west-1a, Volumes: [{Device: /dev/xvdf, VolumeId: !Ref )" +
           volume + R"(}]}
  )" + volume + R"(:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 100}
)" + extra;
}

TEST(Roles, TheVolumeIsTheOneTheMachineMountsWhateverItsName) {
    World w;
    w.release("3.14.2", "2-5-db-timescale", timescale_named("ami-1", "PgData", "DbHost"));
    w.release("3.15.0", "2-5-db-timescale", timescale_named("ami-2", "PgData", "TimescaleHost"));
    timescale_world(w, {"3.14.2", "3.15.0"}, "3.14.2");
    auto p = w.plan("3.14.2", "3.15.0");
    EXPECT_TRUE(p.inputs.empty());
    const auto* snapshot = find_step(p, StepKind::snapshot_volume, "acme-2-5-db-timescale");
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->logical_id, "PgData");
    EXPECT_EQ(snapshot->id, "h1-04-snapshot-volume-2-5-db-timescale-PgData");
    const auto* terminate = find_step(p, StepKind::terminate_instance, "acme-2-5-db-timescale");
    ASSERT_NE(terminate, nullptr);
    EXPECT_EQ(terminate->logical_id, "DbHost");  // the machine running now; the target renames it
    EXPECT_EQ(terminate->role, "timescale-machine");
}

TEST(Roles, AVolumeNoMachineMountsHoldsThePlanNamingTheRole) {
    World w;
    w.release("3.15.0", "2-5-db-timescale", timescale_named("ami-1", "PgData", "DbHost"));
    std::string unmounted = timescale_named("ami-2", "PgData", "DbHost");
    const std::string mount = ", Volumes: [{Device: /dev/xvdf, VolumeId: !Ref PgData}]";
    unmounted.replace(unmounted.find(mount), mount.size(), "");
    w.release("3.16.0", "2-5-db-timescale", unmounted);
    w.changelog("3.16.0", "# Upgrading\n\n## 3.16.0\n\n### `2-5-db-timescale`\n\n- The volume is mounted at boot.\n");
    timescale_world(w, {"3.15.0", "3.16.0"}, "3.15.0");
    auto p = w.plan("3.15.0", "3.16.0");
    EXPECT_TRUE(p.blocked());
    ASSERT_EQ(p.inputs.size(), 2u);  // the volume and the machine that mounts it: in the target, neither fits
    EXPECT_EQ(p.inputs[0].stack, "acme-2-5-db-timescale");
    EXPECT_EQ(p.inputs[0].template_id, "2-5-db-timescale");
    EXPECT_EQ(p.inputs[0].role, "timescale-volume");
    EXPECT_EQ(p.inputs[0].why,
              "role 'timescale-volume' (AWS::EC2::Volume mounted by role 'timescale-machine'): no resource of template "
              "2-5-db-timescale fits; the plan does not guess which resource holds it. Fix the role in "
              "profiles/the-things-stack-ecs.yaml (its type or relation) or the template, then plan again");
    EXPECT_EQ(p.inputs[1].role, "timescale-machine");
}

TEST(Roles, TwoMountedVolumesHoldThePlanNamingBoth) {
    World w;
    w.release("3.15.0", "2-5-db-timescale", timescale_named("ami-1", "PgData", "DbHost"));
    std::string two = timescale_named("ami-2", "PgData", "DbHost", R"(  WalData:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 20}
  WalAttachment:
    Type: AWS::EC2::VolumeAttachment
    Properties: {Device: /dev/xvdg, InstanceId: !Ref DbHost, VolumeId: !Ref WalData}
)");
    w.release("3.16.0", "2-5-db-timescale", two);
    timescale_world(w, {"3.15.0", "3.16.0"}, "3.15.0");
    auto p = w.plan("3.15.0", "3.16.0");
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].role, "timescale-volume");
    EXPECT_EQ(p.inputs[0].why,
              "role 'timescale-volume' (AWS::EC2::Volume mounted by role 'timescale-machine'): several resources of "
              "template 2-5-db-timescale fit (PgData, WalData); the plan does not guess which resource holds it. Fix "
              "the role in profiles/the-things-stack-ecs.yaml (its type or relation) or the template, then plan again");
    EXPECT_TRUE(p.blocked());
}

TEST(TimescaleRule, AnAmiOnlyChangeRecommendsAnInPlaceUpgrade) {
    World w;
    w.release("3.15.0", "2-5-db-timescale", timescale("ami-1"));
    w.release("3.16.0", "2-5-db-timescale", timescale("ami-2"));
    timescale_world(w, {"3.15.0", "3.16.0"}, "3.15.0");
    auto p = w.plan("3.15.0", "3.16.0");
    const auto& skip = step_for(p, "acme-2-5-db-timescale");
    EXPECT_EQ(skip.kind, StepKind::skip_stack);
    EXPECT_NE(skip.reason.find("only in its AMI"), std::string::npos) << skip.reason;
    const auto* manual = find_step(p, StepKind::manual, "acme-2-5-db-timescale");
    ASSERT_NE(manual, nullptr);
    EXPECT_EQ(manual->title, "Upgrade the software on the TimescaleDB machine in place");

    // When the changelog speaks of the template, it is a real update.
    World w2;
    w2.release("3.15.0", "2-5-db-timescale", timescale("ami-1"));
    w2.release("3.16.0", "2-5-db-timescale", timescale("ami-2"));
    w2.changelog("3.16.0", "# Upgrading\n\n## 3.16.0\n\n### `2-5-db-timescale`\n\n- Updated the AMI to fix a kernel bug.\n");
    timescale_world(w2, {"3.15.0", "3.16.0"}, "3.15.0");
    EXPECT_EQ(step_for(w2.plan("3.15.0", "3.16.0"), "acme-2-5-db-timescale").kind, StepKind::update_stack);
}

const char* cluster_v1 = R"(Parameters:
  InstanceType: {Type: String, Default: c5.large}
Resources:
  LaunchConfiguration:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-1
      InstanceType: !Ref InstanceType
      UserData: !Base64 "echo ECS_CLUSTER=one >> /etc/ecs/ecs.config"
  AutoScalingGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref LaunchConfiguration
      MinSize: "1"
      MaxSize: "2"
)";

TEST(LaunchConfigurationRule, UserDataChangesGetAStepToRollTheMachines) {
    World w;
    w.release("3.15.0", "5-1-ecs-cluster", cluster_v1);
    std::string v2 = cluster_v1;
    v2.replace(v2.find("ECS_CLUSTER=one"), 15, "ECS_CLUSTER=two");
    w.release("3.16.0", "5-1-ecs-cluster", v2);
    w.deploy(stack("5-1-ecs-cluster", "3.15.0", {{"InstanceType", "c5.large"}}));
    auto p = w.plan("3.15.0", "3.16.0");
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "update-stack:acme-5-1-ecs-cluster",
                                                    "refresh-instances:acme-5-1-ecs-cluster"}));
    const auto* roll = find_step(p, StepKind::refresh_instances, "acme-5-1-ecs-cluster");
    ASSERT_NE(roll, nullptr);
    EXPECT_TRUE(roll->automated) << "an instance refresh apply starts, once the operator confirms it";
    ASSERT_FALSE(roll->details.empty());
    EXPECT_EQ(roll->details[0], "LaunchConfiguration.UserData: the start-up script (UserData)");

    // A change elsewhere in the template does not ask for it.
    World w2;
    w2.release("3.15.0", "5-1-ecs-cluster", cluster_v1);
    std::string v3 = cluster_v1;
    v3.replace(v3.find("MaxSize: \"2\""), 12, "MaxSize: \"3\"");
    w2.release("3.16.0", "5-1-ecs-cluster", v3);
    w2.deploy(stack("5-1-ecs-cluster", "3.15.0", {{"InstanceType", "c5.large"}}));
    EXPECT_EQ(find_step(w2.plan("3.15.0", "3.16.0"), StepKind::refresh_instances, "acme-5-1-ecs-cluster"), nullptr);
}

TEST(LaunchConfigurationRule, InitMetadataChangeLeftRunningMachinesUnrolled) {
    std::string with_init = cluster_v1;
    with_init.replace(with_init.find("    Properties:\n      ImageId"), 0,
                      "    Metadata:\n      cfn-lint: {config: {ignore_checks: [W3697]}}\n"
                      "      AWS::CloudFormation::Init: {config: {files: {/etc/app.conf: {content: level=info}}}}\n");
    auto plan_to = [&](const std::string& target) {
        World w;
        w.release("3.15.0", "5-1-ecs-cluster", with_init);
        w.release("3.16.0", "5-1-ecs-cluster", target);
        w.deploy(stack("5-1-ecs-cluster", "3.15.0", {{"InstanceType", "c5.large"}}));
        return w.plan("3.15.0", "3.16.0");
    };
    std::string init_changed = with_init;
    init_changed.replace(init_changed.find("level=info"), 10, "level=warn");
    auto p = plan_to(init_changed);
    const auto* roll = find_step(p, StepKind::refresh_instances, "acme-5-1-ecs-cluster");
    ASSERT_NE(roll, nullptr);
    EXPECT_EQ(roll->details[0], "LaunchConfiguration.Metadata: the machines' configuration (AWS::CloudFormation::Init)");

    // Metadata no machine reads is updated by CloudFormation, but rolling the machines is pointless.
    std::string lint_changed = with_init;
    lint_changed.replace(lint_changed.find("W3697"), 5, "W3005");
    auto q = plan_to(lint_changed);
    EXPECT_EQ(step_for(q, "acme-5-1-ecs-cluster").kind, StepKind::update_stack);
    EXPECT_EQ(find_step(q, StepKind::refresh_instances, "acme-5-1-ecs-cluster"), nullptr);
}

TEST(Images, MoveToTheTargetTagKeepingTheSuffixEvenWithoutChangelog) {
    World w;
    w.release("3.15.0", "5-4-ecs-services", ecs(image_of("3.15.0")));
    w.release("3.16.0", "5-4-ecs-services", ecs(image_of("3.15.0")));  // the vendor forgot the default
    w.deploy(stack("5-4-ecs-services", "3.15.0",
                   {{"Image", "docker.io/thethingsindustries/lorawan-stack:3.15.0-aws-custom"},
                    {"ApplicationServerStorageEnabled", "true"}}));
    auto p = w.plan("3.15.0", "3.16.0");
    const auto* s = find_step(p, StepKind::set_parameters, "acme-5-4-ecs-services");
    ASSERT_NE(s, nullptr) << "same template, new image: a parameter-only update";
    EXPECT_EQ(parameter(*s, "Image").action, ParameterAction::image);
    EXPECT_EQ(parameter(*s, "Image").value.value_or(""), "docker.io/thethingsindustries/lorawan-stack:3.16.0-aws-custom");
    // The new value reaches the task definition, which CloudFormation replaces.
    ASSERT_EQ(s->resources.size(), 1u);
    EXPECT_EQ(s->resources[0].logical_id, "TaskDefinition");
    EXPECT_EQ(s->resources[0].impact, cfn::Impact::will_replace);
}

const char* note_header = "---\ntitle: \"{v}\"\n---\n\n";

std::string note(const std::string& version, const std::string& body) {
    std::string header = note_header;
    header.replace(header.find("{v}"), 3, version);
    return header + body;
}

TEST(Migrations, RunOnceRightAfterTheOpsStackWithTheTargetImage) {
    World w;
    for (const auto* v : {"3.15.0", "3.16.0", "3.17.0"}) {
        w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
        w.release(v, "5-4-ecs-services", ecs(image_of(v)));
    }
    w.note("3.17.0", "3.16.0", note("3.16.0", "### Changed\n\n- Faster searches. This requires a database migration (`tti-lw-stack is-db migrate`).\n"));
    w.note("3.17.0", "3.17.0", note("3.17.0", "### Changed\n\n- New indexes. This requires a database migration (`ttn-lw-stack is-db migrate`).\n"));
    for (const auto* id : {"5-2-ecs-ops", "5-4-ecs-services"})
        w.deploy(stack(id, "3.15.0", {{"Image", image_of("3.15.0")}, {"ApplicationServerStorageEnabled", "true"}}));
    auto p = w.plan("3.15.0", "3.17.0");
    // No stack runs the Aurora cluster the profile backs up before migrations: a person does.
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "update-stack:acme-5-2-ecs-ops", "manual",
                                                    "run-migration:acme-5-2-ecs-ops", "update-stack:acme-5-4-ecs-services"}));
    const auto& backup = p.hops[0].steps[2];
    EXPECT_EQ(backup.title, "Back up the database (role aurora-cluster) before the migrations");
    EXPECT_FALSE(backup.automated);
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    EXPECT_EQ(m->database, "is-db");
    EXPECT_EQ(m->command, (std::vector<std::string>{"tti-lw-stack", "is-db", "migrate"}));
    EXPECT_EQ(m->required_by, (std::vector<std::string>{"3.16.0", "3.17.0"}));
    EXPECT_NE(m->title.find("3.17.0 image"), std::string::npos) << m->title;
    EXPECT_TRUE(m->automated);
    EXPECT_EQ(m->resource_output, "OpsRunTaskArguments");
}

TEST(Migrations, FollowTheVersionOfTheOpsStackInAMixedDeployment) {
    World w;
    for (const auto* v : {"3.15.0", "3.16.0", "3.17.0"}) {
        w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
        w.release(v, "5-4-ecs-services", ecs(image_of(v)));
    }
    w.note("3.17.0", "3.16.0", note("3.16.0", "### Changed\n\n- Faster searches. This requires a database migration (`tti-lw-stack is-db migrate`).\n"));
    w.note("3.17.0", "3.17.0", note("3.17.0", "### Changed\n\n- New indexes. This requires a database migration (`tti-lw-stack ns-db migrate`).\n"));
    // The ops stack already runs 3.16.0 (and ran its migrations); the services were left at 3.15.0.
    w.deploy(stack("5-2-ecs-ops", "3.16.0", {{"Image", image_of("3.16.0")}, {"ApplicationServerStorageEnabled", "true"}}));
    w.deploy(stack("5-4-ecs-services", "3.15.0", {{"Image", image_of("3.15.0")}, {"ApplicationServerStorageEnabled", "true"}}));
    auto p = w.plan("", "3.17.0");
    EXPECT_EQ(p.from.to_string(), "3.15.0");
    std::vector<std::string> databases;
    for (const auto& s : p.hops[0].steps)
        if (s.kind == StepKind::run_migration) databases.push_back(s.database);
    EXPECT_EQ(databases, (std::vector<std::string>{"ns-db"}));
    EXPECT_EQ(step_for(p, "acme-5-4-ecs-services").kind, StepKind::update_stack);
    EXPECT_EQ(parameter(step_for(p, "acme-5-4-ecs-services"), "Image").value.value_or(""), image_of("3.17.0"));
}

// A storage database migration the notes make conditional on the storage integration, with the
// integration on or off on 5-2-ecs-ops and 5-4-ecs-services.
plan::Plan storage_migration_plan(const std::string& enabled) {
    World w;
    for (const auto* v : {"3.29.0", "3.30.0"}) {
        w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
        w.release(v, "5-4-ecs-services", ecs(image_of(v)));
    }
    w.note("3.30.0", "3.30.0", note("3.30.0", "### Changed\n\n- The storage integration keeps its aggregates in the "
                                              "database.\n  - If you use the Application Server storage integration, "
                                              "this requires a storage database migration (`tti-lw-stack storage-db "
                                              "migrate`).\n"));
    for (const auto* id : {"5-2-ecs-ops", "5-4-ecs-services"})
        w.deploy(stack(id, "3.29.0", {{"Image", image_of("3.29.0")}, {"ApplicationServerStorageEnabled", enabled}}));
    return w.plan("3.29.0", "3.30.0");
}

TEST(Migrations, AConditionalMigrationIsRequiredWhenItsFeatureIsOn) {
    auto p = storage_migration_plan("true");
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr) << ::testing::PrintToString(outline(p));
    EXPECT_FALSE(m->conditional);
    EXPECT_TRUE(m->automated);
    EXPECT_EQ(m->risk, plan::Risk::info);
    EXPECT_EQ(m->details.at(1), "required: the storage integration is on (acme-5-2-ecs-ops/ApplicationServerStorageEnabled "
                                "= true, acme-5-4-ecs-services/ApplicationServerStorageEnabled = true)");
    EXPECT_EQ(m->details.at(2), "  3.30.0.md:8: If you use the Application Server storage integration, this requires a "
                                "storage database migration (`tti-lw-stack storage-db migrate`).");
}

TEST(Migrations, AConditionalMigrationIsSkippedWhenItsFeatureIsOff) {
    auto p = storage_migration_plan("false");
    EXPECT_EQ(find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops"), nullptr);
    const plan::Step* skip = nullptr;
    for (const auto& s : p.hops[0].steps)
        if (s.kind == StepKind::manual && s.database == "storage-db") skip = &s;
    ASSERT_NE(skip, nullptr) << ::testing::PrintToString(outline(p));
    EXPECT_EQ(skip->title, "Skip storage-db migrate: the storage integration is off");
    EXPECT_EQ(skip->details.at(0), "skipped: the storage integration is off (acme-5-2-ecs-ops/"
                                   "ApplicationServerStorageEnabled = false, acme-5-4-ecs-services/"
                                   "ApplicationServerStorageEnabled = false)");
}

// A migration conditional on something no feature of the profile decides (a package).
void package_migration_world(World& w) {
    for (const auto* v : {"3.16.0", "3.17.0"}) w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
    w.note("3.17.0", "3.17.0", note("3.17.0", "### Changed\n\n- Packages.\n  - If you use the LoRa Cloud Device & "
                                              "Application Services package, this requires an Application Server "
                                              "database migration (`tti-lw-stack as-db migrate`).\n"));
    w.deploy(stack("5-2-ecs-ops", "3.16.0", {{"Image", image_of("3.16.0")}, {"ApplicationServerStorageEnabled", "true"}}));
}

TEST(Migrations, AConditionNoFeatureDecidesHoldsThePlanUntilTheValuesFileAnswersIt) {
    World w;
    package_migration_world(w);
    auto p = w.plan("3.16.0", "3.17.0");
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(m->conditional);
    EXPECT_FALSE(m->automated);
    EXPECT_EQ(m->details.at(1), "only some deployments need it; decide from the release notes:");
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].migration, "as-db migrate");
    EXPECT_NE(p.inputs[0].why.find("answer in the values file: migrations: {as-db migrate: run} or skip"),
              std::string::npos)
        << p.inputs[0].why;
    EXPECT_TRUE(p.blocked());
}

TEST(Migrations, AConditionalMigrationAnsweredRunIsRequired) {
    World w;
    package_migration_world(w);
    w.values("migrations:\n  as-db migrate: run\n");
    auto p = w.plan("3.16.0", "3.17.0");
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->conditional);
    EXPECT_TRUE(m->automated);
    EXPECT_EQ(m->details.at(1), "required: the values file says run (" + w.root() + "/values.yaml: migrations)");
    EXPECT_TRUE(p.inputs.empty());
    EXPECT_FALSE(p.blocked());
}

TEST(Migrations, AConditionalMigrationAnsweredSkipIsASkipStep) {
    World w;
    package_migration_world(w);
    w.values("migrations:\n  as-db migrate: skip\n");
    auto p = w.plan("3.16.0", "3.17.0");
    EXPECT_EQ(find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops"), nullptr);
    const plan::Step* skip = nullptr;
    for (const auto& s : p.hops[0].steps)
        if (s.kind == StepKind::manual && s.database == "as-db") skip = &s;
    ASSERT_NE(skip, nullptr) << ::testing::PrintToString(outline(p));
    EXPECT_EQ(skip->title, "Skip as-db migrate: the values file says skip");
    EXPECT_FALSE(p.blocked());
}

TEST(Migrations, AnAnswerForNoConditionalMigrationIsBadInput) {
    World w;
    package_migration_world(w);
    w.values("migrations:\n  as-db migrat: run\n");
    try {
        (void)w.plan("3.16.0", "3.17.0");
        FAIL() << "an answer for no migration was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), w.root() + "/values.yaml:2:3: migrations: 'as-db migrat' is no migration the "
                                                    "release notes make conditional (did you mean 'as-db migrate'?); "
                                                    "those are as-db migrate");
    }
}

TEST(Waypoints, SplitTheUpgradeIntoHops) {
    World w;
    for (const auto* v : {"3.18.0", "3.19.2", "3.20.0"}) w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
    w.note("3.20.0", "3.19.2", note("3.19.2", "### Changed\n\n- Direct upgrades of the Identity Server database from "
                                              "versions before `v3.19.2` are not supported. You must first upgrade to "
                                              "v3.19.2 and run `is-db migrate` there.\n"));
    w.note("3.20.0", "3.20.0", note("3.20.0", "### Changed\n\n- This requires a database migration (`tti-lw-stack is-db migrate`).\n"));
    w.deploy(stack("5-2-ecs-ops", "3.18.0", {{"Image", image_of("3.18.0")}, {"ApplicationServerStorageEnabled", "true"}}));
    auto p = w.plan("3.18.0", "3.20.0");
    ASSERT_EQ(p.hops.size(), 2u);
    EXPECT_EQ(p.hops[0].to.to_string(), "3.19.2");
    EXPECT_EQ(p.hops[1].from.to_string(), "3.19.2");
    // The first hop moves the images to 3.19.2 and runs is-db migrate there; the second again.
    EXPECT_EQ(parameter(step_for(p, "acme-5-2-ecs-ops", 0), "Image").value.value_or(""), image_of("3.19.2"));
    ASSERT_NE(find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops", 0), nullptr);
    ASSERT_NE(find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops", 1), nullptr);
    EXPECT_EQ(parameter(step_for(p, "acme-5-2-ecs-ops", 1), "Image").value.value_or(""), image_of("3.20.0"));
}

const char* aurora = R"(Resources:
  Main:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-postgresql}
  Params:
    Type: AWS::RDS::DBClusterParameterGroup
    Properties: {Description: p, Family: aurora-postgresql14, Parameters: {}}
)";

TEST(Backups, AClusterSnapshotRightBeforeTheFirstMigrationOfEachHop) {
    World w;
    for (const auto* v : {"3.18.0", "3.19.2", "3.20.0"}) {
        w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
        w.release(v, "2-1-db-aurora-master", aurora);
    }
    w.note("3.20.0", "3.19.2", note("3.19.2", "### Changed\n\n- Direct upgrades of the Identity Server database from "
                                              "versions before `v3.19.2` are not supported. You must first upgrade to "
                                              "v3.19.2 and run `is-db migrate` there.\n"));
    w.note("3.20.0", "3.20.0", note("3.20.0", "### Changed\n\n- This requires a database migration (`tti-lw-stack is-db migrate`).\n"));
    w.deploy(stack("2-1-db-aurora-master", "3.18.0"));
    w.deploy(stack("5-2-ecs-ops", "3.18.0", {{"Image", image_of("3.18.0")}, {"ApplicationServerStorageEnabled", "true"}}));
    auto p = w.plan("3.18.0", "3.20.0");
    ASSERT_EQ(p.hops.size(), 2u);
    for (std::size_t hop = 0; hop < 2; ++hop) {
        SCOPED_TRACE("hop " + std::to_string(hop + 1));
        auto o = outline(p, hop);
        auto migration = std::find(o.begin(), o.end(), "run-migration:acme-5-2-ecs-ops");
        ASSERT_NE(migration, o.end());
        EXPECT_EQ(*(migration - 1), "snapshot-database:acme-2-1-db-aurora-master");
        const auto* snapshot = find_step(p, StepKind::snapshot_database, "acme-2-1-db-aurora-master", hop);
        EXPECT_EQ(snapshot->logical_id, "Main");
        EXPECT_EQ(snapshot->template_id, "2-1-db-aurora-master");
        EXPECT_EQ(snapshot->role, "aurora-cluster");
        EXPECT_TRUE(snapshot->automated);
    }
    EXPECT_FALSE(p.blocked());
}

TEST(Waypoints, AMissingWaypointReleaseIsAnErrorNamingIt) {
    World w;
    for (const auto* v : {"3.18.0", "3.20.0"}) w.release(v, "5-2-ecs-ops", ecs(image_of(v)));
    w.deploy(stack("5-2-ecs-ops", "3.18.0", {{"Image", image_of("3.18.0")}, {"ApplicationServerStorageEnabled", "true"}}));
    try {
        (void)w.plan("3.18.0", "3.20.0");  // the profile knows the 3.19.2 waypoint
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        std::string message = e.what();
        EXPECT_NE(message.find("must pass through 3.19.2"), std::string::npos) << message;
        EXPECT_NE(message.find("/releases/3.19.2/"), std::string::npos) << message;
    }
}

TEST(GenericProfile, PlansWithoutProductRules) {
    World w;
    w.release("1.0.0", "1-1-network", "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n");
    w.release("1.1.0", "1-1-network", "Resources:\n  Topic: {Type: AWS::SNS::Topic, Properties: {DisplayName: n}}\n");
    w.release("1.0.0", "2-5-db-timescale", timescale("ami-1"));
    w.release("1.1.0", "2-5-db-timescale", timescale("ami-2"));
    w.deploy(stack("1-1-network", "1.0.0"));
    w.deploy(stack("2-5-db-timescale", "1.0.0", {{"InstanceType", "m5.large"}}));
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    // No TimescaleDB knowledge in the generic profile: an AMI change is an ordinary update.
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "update-stack:acme-1-1-network",
                                                    "update-stack:acme-2-5-db-timescale"}));
}

}  // namespace
}  // namespace stackshift::plan_test
