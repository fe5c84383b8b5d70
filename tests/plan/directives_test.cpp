// The changelog's directives answered by the planner: a value set from the deployment's history,
// a parameter that holds the plan until the values file gives it, an acknowledgement that holds
// the plan until the values file lists its id.

#include "core/error.hpp"
#include "plan_world.hpp"

namespace stackshift::plan_test {
namespace {

using plan::ParameterAction;

const char* timescale_old = R"(Parameters:
  InstanceType: {Type: String, Default: m6i.large}
Resources:
  Data: {Type: AWS::SNS::Topic}
  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-12345678, InstanceType: !Ref InstanceType}}
  Disk: {Type: AWS::EC2::Volume, Properties: {AvailabilityZone: eu-west-1a, Size: 20}}
  Mount: {Type: AWS::EC2::VolumeAttachment, Properties: {InstanceId: !Ref Host, VolumeId: !Ref Disk, Device: /dev/sdf}}
)";

const char* timescale_new = R"(Parameters:
  InstanceType: {Type: String, Default: m6i.large}
  DBEngineVersion: {Type: String, AllowedValues: ["12", "14"], Default: "14"}
Resources:
  Data: {Type: AWS::SNS::Topic, Properties: {DisplayName: !Ref DBEngineVersion}}
  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-12345678, InstanceType: !Ref InstanceType}}
  Disk: {Type: AWS::EC2::Volume, Properties: {AvailabilityZone: eu-west-1a, Size: 20}}
  Mount: {Type: AWS::EC2::VolumeAttachment, Properties: {InstanceId: !Ref Host, VolumeId: !Ref Disk, Device: /dev/sdf}}
)";

const char* configuration_old = R"(Parameters:
  Domain: {Type: String}
Resources:
  Config: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref Domain}}
)";

const char* configuration_new = R"(Parameters:
  Domain: {Type: String}
  ClusterIDAddressTemplate: {Type: String, Default: ""}
Resources:
  Config: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref Domain, DisplayName: !Ref ClusterIDAddressTemplate}}
)";

const char* cluster = R"(Resources:
  Cluster: {Type: AWS::ECS::Cluster}
  Machines: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: "1", MaxSize: "2"}}
)";

const char* changelog = R"(# Upgrading

## 3.30.0

### `2-5-db-timescale`

- Added the `DBEngineVersion` parameter. The default is `14`. Deployments created before this version run PostgreSQL 12 and must set `DBEngineVersion` to `12`.

### `4-2a-configuration`

- Added the `ClusterIDAddressTemplate` parameter. Its default is empty, which is not valid for most deployments: for single-cluster deployments it should be equal to `Domain`.

### `5-1-ecs-cluster`

- You need to update the SSM Agent of running machines manually.

## 3.29.0
)";

// "<root>/releases/3.30.0/UPGRADING.md:LINE (3.30.0)", as the plan cites the changelog.
std::string cited(const World& w, int line) {
    return w.root() + "/releases/3.30.0/UPGRADING.md:" + std::to_string(line) + " (3.30.0)";
}

const std::string ack_id = "3.30.0/5-1-ecs-cluster/you-need-to-update-the";

void directives_world(World& w, bool deploy_timescale = true) {
    w.release("3.29.0", "2-5-db-timescale", timescale_old);
    w.release("3.30.0", "2-5-db-timescale", timescale_new);
    w.release("3.29.0", "4-2a-configuration", configuration_old);
    w.release("3.30.0", "4-2a-configuration", configuration_new);
    w.releases({"3.29.0", "3.30.0"}, "5-1-ecs-cluster", cluster);
    w.changelog("3.30.0", changelog);
    if (deploy_timescale) w.deploy(stack("2-5-db-timescale", "3.29.0", {{"InstanceType", "m6i.large"}}));
    w.deploy(stack("4-2a-configuration", "3.29.0", {{"Domain", "lns.example.com"}}));
    w.deploy(stack("5-1-ecs-cluster", "3.29.0"));
}

// The plan with the values file answering the ClusterIDAddressTemplate and the acknowledgement.
plan::Plan answered_plan(World& w) {
    w.values("4-2a-configuration: {ClusterIDAddressTemplate: lns.example.com}\nacknowledge: [" + ack_id + "]\n");
    return w.plan("3.29.0", "3.30.0");
}

TEST(PlanDirectives, DBEngineVersionIsSetTo12OnAStackDeployedBeforeTheVersion) {
    World w;
    directives_world(w);
    auto p = answered_plan(w);
    const auto& engine = parameter(step_for(p, "acme-2-5-db-timescale"), "DBEngineVersion");
    EXPECT_EQ(engine.action, ParameterAction::set);
    EXPECT_EQ(engine.value.value_or(""), "12");
    EXPECT_EQ(engine.why, "set to '12': the stack was deployed before 3.30.0 (deployed before the plan, at 3.29.0), "
                          "and deployments created before 3.30.0 must set it (" + cited(w, 7) + ")");
    EXPECT_TRUE(p.inputs.empty());
    EXPECT_FALSE(p.blocked());
}

TEST(PlanDirectives, DBEngineVersionKeepsItsDefaultOnAStackThePlanDeploys) {
    World w;
    directives_world(w, false);
    w.changelog("3.30.0", std::string(changelog).replace(std::string(changelog).find("- Added the `DBEngineVersion`"), 0,
                                                         "- New template `2-5-db-timescale`.\n"));
    auto p = answered_plan(w);
    const auto& engine = parameter(step_for(p, "acme-2-5-db-timescale"), "DBEngineVersion");
    EXPECT_EQ(step_for(p, "acme-2-5-db-timescale").kind, plan::StepKind::deploy_stack);
    EXPECT_EQ(engine.action, ParameterAction::use_default);
    EXPECT_EQ(engine.value.value_or(""), "14");
    EXPECT_EQ(engine.why, "new parameter, default used; the changelog asks to review it (" + cited(w, 8) +
                              "); the changelog's value for deployments created before 3.30.0 does not apply: this "
                              "plan deploys the stack in 3.30.0 (" + cited(w, 8) + ")");
}

TEST(PlanDirectives, ClusterIDAddressTemplateHoldsThePlanUntilGiven) {
    World w;
    directives_world(w);
    w.values("acknowledge: [" + ack_id + "]\n");
    auto p = w.plan("3.29.0", "3.30.0");
    const auto& address = parameter(step_for(p, "acme-4-2a-configuration"), "ClusterIDAddressTemplate");
    EXPECT_EQ(address.action, ParameterAction::needs_input);
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].parameter, "ClusterIDAddressTemplate");
    EXPECT_EQ(p.inputs[0].why,
              "the changelog says \"Its default is empty, which is not valid for most deployments: for single-cluster "
              "deployments it should be equal to `Domain`.\" (" + cited(w, 11) +
                  "); Domain is 'lns.example.com' on this stack; give its value in the values file");
    EXPECT_TRUE(p.blocked());
    for (const auto& warning : p.warnings) EXPECT_EQ(warning.find("ClusterIDAddressTemplate"), std::string::npos) << warning;

    w.values("4-2a-configuration: {ClusterIDAddressTemplate: lns.example.com}\nacknowledge: [" + ack_id + "]\n");
    auto given = w.plan("3.29.0", "3.30.0");
    const auto& set = parameter(step_for(given, "acme-4-2a-configuration"), "ClusterIDAddressTemplate");
    EXPECT_EQ(set.action, ParameterAction::set);
    EXPECT_EQ(set.why, "given in " + w.root() + "/values.yaml; answers " + cited(w, 11));
    EXPECT_FALSE(given.blocked());
}

TEST(PlanDirectives, AnAcknowledgementHoldsThePlanUntilListed) {
    World w;
    directives_world(w);
    w.values("4-2a-configuration: {ClusterIDAddressTemplate: lns.example.com}\n");
    auto p = w.plan("3.29.0", "3.30.0");
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].acknowledgement, ack_id);
    EXPECT_EQ(p.inputs[0].stack, "acme-5-1-ecs-cluster");
    EXPECT_EQ(p.inputs[0].source, cited(w, 15));
    EXPECT_EQ(p.inputs[0].why, "the changelog says \"You need to update the SSM Agent of running machines manually.\" (" +
                                   cited(w, 15) + "); do or check it, then list '" + ack_id +
                                   "' under acknowledge: in the values file");
    EXPECT_TRUE(p.blocked());
}

TEST(PlanDirectives, AnUnknownAcknowledgementIsBadInput) {
    World w;
    directives_world(w);
    w.values("acknowledge:\n  - 3.30.0/5-1-ecs-cluster/you-need-to-update-teh\n");
    try {
        (void)w.plan("3.29.0", "3.30.0");
        FAIL() << "an unknown acknowledgement id must be refused";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), w.root() + "/values.yaml:2:5: unknown acknowledgement "
                                                    "'3.30.0/5-1-ecs-cluster/you-need-to-update-teh' (did you mean '" +
                                             ack_id + "'?); list the ids the plan names under its inputs");
        EXPECT_EQ(e.code(), ExitCode::bad_input);
    }
}

// "You must run `noc-db init` if you deploy the Network Operations Center" on a deployment whose
// 5-2-ecs-ops says whether it runs the NOC.
plan::Plan noc_directive_plan(const std::string& include_noc) {
    World w;
    const char* ops = "Parameters:\n  IncludeNetworkOperationsCenter: {Type: String, Default: \"false\"}\n"
                      "Resources:\n  Ops: {Type: AWS::SNS::Topic, Properties: {DisplayName: !Ref "
                      "IncludeNetworkOperationsCenter}}\n"
                      "  Task: {Type: AWS::ECS::TaskDefinition, Properties: {ContainerDefinitions: []}}\n";
    w.release("3.29.0", "5-2-ecs-ops", ops);
    w.release("3.30.0", "5-2-ecs-ops", std::string(ops) + "  Alarms: {Type: AWS::SNS::Topic}\n");
    w.changelog("3.30.0", "# Upgrading\n\n## 3.30.0\n\n### `5-2-ecs-ops`\n\n- You must run `noc-db init` if you "
                          "deploy the Network Operations Center.\n");
    w.deploy(stack("5-2-ecs-ops", "3.29.0", {{"IncludeNetworkOperationsCenter", include_noc}}));
    return w.plan("3.29.0", "3.30.0");
}

TEST(PlanDirectives, ADirectiveForAFeatureThatIsOffDoesNotApply) {
    auto p = noc_directive_plan("false");
    EXPECT_TRUE(p.inputs.empty());
    EXPECT_FALSE(p.blocked());
    const auto& ops = step_for(p, "acme-5-2-ecs-ops");
    EXPECT_NE(joined_why(ops).find("not applicable, the Network Operations Center is off "
                                   "(acme-5-2-ecs-ops/IncludeNetworkOperationsCenter = false): You must run `noc-db "
                                   "init` if you deploy the Network Operations Center."),
              std::string::npos)
        << joined_why(ops);
}

TEST(PlanDirectives, ADirectiveForAFeatureThatIsOnHoldsUntilAcknowledged) {
    auto p = noc_directive_plan("true");
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].acknowledgement, "3.30.0/5-2-ecs-ops/you-must-run-if-you");
    EXPECT_TRUE(p.blocked());
}

}  // namespace
}  // namespace stackshift::plan_test
