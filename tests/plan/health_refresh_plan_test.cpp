// The hop's check-services step (every ECS service of the deployment, by type, with the images
// the hop sets) and the refresh-instances step the launch-configuration rule writes (the role's
// percentage, an input without one, the manual step when no group is found).

#include "plan/fingerprint.hpp"
#include "plan_world.hpp"

namespace stackshift::plan_test {
namespace {

using plan::StepKind;

std::string image_of(const std::string& v) { return "docker.io/thethingsindustries/lorawan-stack:" + v + "-aws"; }

// Two services, one of them under a condition the stack's values make false; the logical ids
// are not the product's, so only their type can find them.
const char* services_template = R"(Parameters:
  Image: {Type: String}
  WithExtra: {Type: String, Default: "false"}
Conditions:
  Extra: !Equals [!Ref WithExtra, "true"]
Resources:
  Definition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: ttes, Image: !Ref Image}]
  Front:
    Type: AWS::ECS::Service
    Properties: {Cluster: c, TaskDefinition: !Ref Definition, DesiredCount: 2}
  Back:
    Type: AWS::ECS::Service
    Properties: {Cluster: c, TaskDefinition: !Ref Definition, DesiredCount: 1}
  Extra:
    Type: AWS::ECS::Service
    Condition: Extra
    Properties: {Cluster: c, TaskDefinition: !Ref Definition}
)";

// A stack the hop leaves alone that still runs a service.
const char* proxy_template = R"(Resources:
  Proxy:
    Type: AWS::ECS::Service
    Properties: {Cluster: c, TaskDefinition: proxy:1}
)";

void services_world(World& w) {
    for (const auto* v : {"3.15.0", "3.16.0"}) {
        w.release(v, "5-4-ecs-services", services_template);
        w.release(v, "5-5-ecs-proxy", proxy_template);
    }
    w.deploy(stack("5-4-ecs-services", "3.15.0", {{"Image", image_of("3.15.0")}, {"WithExtra", "false"}}));
    w.deploy(stack("5-5-ecs-proxy", "3.15.0"));
}

TEST(CheckServicesStep, EndsTheHopWithEveryServiceFoundByTypeAndTheImagesTheHopSets) {
    World w;
    services_world(w);
    auto p = w.plan("3.15.0", "3.16.0");
    const auto& steps = p.hops.at(0).steps;
    ASSERT_FALSE(steps.empty());
    const plan::Step& check = steps.back();
    EXPECT_EQ(check.kind, StepKind::check_services);
    EXPECT_EQ(check.id, "h1-0" + std::to_string(steps.size()) + "-check-services");
    EXPECT_TRUE(check.automated);
    ASSERT_EQ(check.services.size(), 3u) << "Front, Back and Proxy; Extra's Condition is false";
    EXPECT_EQ(check.services[0].stack, "acme-5-4-ecs-services");
    EXPECT_EQ(check.services[0].logical_id, "Front");
    EXPECT_EQ(check.services[0].images, (std::vector<std::string>{image_of("3.16.0")}));
    EXPECT_FALSE(check.services[0].conditional);
    EXPECT_EQ(check.services[1].logical_id, "Back");
    EXPECT_EQ(check.services[2].stack, "acme-5-5-ecs-proxy");
    EXPECT_EQ(check.services[2].logical_id, "Proxy");
    EXPECT_TRUE(check.services[2].images.empty()) << "the hop sets no image on the proxy stack";
}

TEST(CheckServicesStep, AServiceUnderAConditionThePlanCannotDecideIsCheckedIfItExists) {
    World w;
    for (const auto* v : {"3.15.0", "3.16.0"}) w.release(v, "5-4-ecs-services", services_template);
    auto s = stack("5-4-ecs-services", "3.15.0", {{"Image", image_of("3.15.0")}}, {"WithExtra"});  // NoEcho: unknown
    w.deploy(s);
    auto p = w.plan("3.15.0", "3.16.0");
    const plan::Step& check = p.hops.at(0).steps.back();
    ASSERT_EQ(check.services.size(), 3u);
    EXPECT_EQ(check.services[2].logical_id, "Extra");
    EXPECT_TRUE(check.services[2].conditional);
}

TEST(CheckServicesStep, AHopWithoutServicesHasNoCheckAndTheCheckIsPartOfThePlansIdentity) {
    World w;
    w.releases({"3.15.0", "3.16.0"}, "1-1-vpc", "Resources:\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n");
    w.deploy(stack("1-1-vpc", "3.15.0"));
    auto p = w.plan("3.15.0", "3.16.0");
    for (const auto& s : p.hops.at(0).steps) EXPECT_NE(s.kind, StepKind::check_services);

    World w2;
    services_world(w2);
    auto q = w2.plan("3.15.0", "3.16.0");
    std::string before = plan::plan_fingerprint(q);
    q.hops[0].steps.back().services[0].images = {image_of("3.15.0")};
    EXPECT_NE(plan::plan_fingerprint(q), before);
}

// ---- refresh-instances ---------------------------------------------------------------------

const char* cluster_v1 = R"(Resources:
  LaunchConfiguration:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-1
      InstanceType: c5.large
  AutoScalingGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref LaunchConfiguration
      MinSize: "1"
      MaxSize: "2"
)";

void cluster_world(World& w, const std::string& v1 = cluster_v1) {
    w.release("3.15.0", "5-1-ecs-cluster", v1);
    std::string v2 = v1;
    v2.replace(v2.find("ami-1"), 5, "ami-2");
    w.release("3.16.0", "5-1-ecs-cluster", v2);
    w.deploy(stack("5-1-ecs-cluster", "3.15.0"));
}

// The bundled profile with the cluster-machines role changed by `edit` (a text replacement).
std::string edited_profile(World& w, const std::string& from, const std::string& to) {
    std::string text = testing::read_text(testing::source_path("profiles/the-things-stack-ecs.yaml"));
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return w.dir().write("profile.yaml", text);
}

TEST(RefreshInstancesStep, TheGroupOfTheRoleIsRefreshedKeepingTheRolesPercentageInService) {
    World w;
    cluster_world(w);
    auto p = w.plan("3.15.0", "3.16.0");
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "update-stack:acme-5-1-ecs-cluster",
                                                    "refresh-instances:acme-5-1-ecs-cluster"}));
    const auto* roll = find_step(p, StepKind::refresh_instances, "acme-5-1-ecs-cluster");
    ASSERT_NE(roll, nullptr);
    EXPECT_TRUE(roll->automated);
    EXPECT_EQ(roll->logical_id, "AutoScalingGroup");
    EXPECT_EQ(roll->role, "cluster-machines");
    EXPECT_EQ(roll->min_healthy_percentage, 50);
    EXPECT_EQ(roll->resource_label(), "acme-5-1-ecs-cluster/AutoScalingGroup (role cluster-machines)");
    EXPECT_EQ(roll->details[0], "LaunchConfiguration.ImageId: the machine image (AMI)");
    EXPECT_TRUE(p.inputs.empty());
    EXPECT_FALSE(p.blocked());
}

TEST(RefreshInstancesStep, WithoutAPercentageInTheProfileThePlanAsksForIt) {
    World w;
    cluster_world(w);
    std::string profile = edited_profile(w, "    min_healthy_percentage: 50\n", "");
    auto p = w.plan("3.15.0", "3.16.0", {}, profile);
    const auto* roll = find_step(p, StepKind::refresh_instances, "acme-5-1-ecs-cluster");
    ASSERT_NE(roll, nullptr);
    EXPECT_FALSE(roll->min_healthy_percentage.has_value());
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].stack, "acme-5-1-ecs-cluster");
    EXPECT_EQ(p.inputs[0].role, "cluster-machines");
    EXPECT_NE(p.inputs[0].why.find("set min_healthy_percentage (0 to 100) on the profile's role cluster-machines"),
              std::string::npos)
        << p.inputs[0].why;
    EXPECT_TRUE(p.blocked());
}

TEST(RefreshInstancesStep, WhenNoGroupIsFoundTheMachinesAreRolledByHand) {
    // No role for the cluster's group, and two groups in the template: the rule cannot tell which.
    std::string two_groups = std::string(cluster_v1) + R"(  SpareGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref LaunchConfiguration
      MinSize: "0"
      MaxSize: "1"
)";
    World w;
    cluster_world(w, two_groups);
    std::string profile = edited_profile(w, "  - name: cluster-machines\n    template: 5-1-ecs-cluster\n", "  - name: cluster-machines\n    template: 5-9-elsewhere\n");
    auto p = w.plan("3.15.0", "3.16.0", {}, profile);
    EXPECT_EQ(find_step(p, StepKind::refresh_instances, "acme-5-1-ecs-cluster"), nullptr);
    const auto* roll = find_step(p, StepKind::manual, "acme-5-1-ecs-cluster");
    ASSERT_NE(roll, nullptr);
    EXPECT_FALSE(roll->automated);
    EXPECT_NE(roll->details[1].find("start-instance-refresh"), std::string::npos);
}

}  // namespace
}  // namespace stackshift::plan_test
