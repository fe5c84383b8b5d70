// Task definitions in the simulated AWS as ECS keeps them: revisions of a family, a replaced one
// the next revision carrying the new image and the old one INACTIVE, RunTask refusing what ECS
// refuses with ECS's texts, tasks recording the images they ran, and `sim status` reporting them.

#include <nlohmann/json.hpp>

#include <functional>

#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using cloud::CloudError;
using cloud::ParameterInput;
using cloud::sim::SimCloud;
using testing::source_path;

constexpr const char* ops_template = R"(
Parameters:
  Name:
    Type: String
  OpsImage:
    Type: String
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub "${Name}-ops"
      ContainerDefinitions:
        - Name: ttes
          Image: !Ref OpsImage
          Command: [tti-lw-stack, version]
        - Name: sidecar
          Image: !Sub "busybox:${Name}"
  Unnamed:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: !Ref OpsImage
Outputs:
  TaskDefinitionArn:
    Value: !Ref TaskDefinition
  OpsRunTaskArguments:
    Value: !Join [" ", [!Ref TaskDefinition, acme-cluster, subnet-1, subnet-2, sg-1]]
)";

cfn::Deployment ops_deployment(const std::string& arn = {}) {
    cfn::Deployment d;
    d.file = "ops.json";
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "acme-ops";
    s.template_id = "5-2-ecs-ops";
    s.status = "CREATE_COMPLETE";
    s.parameters = {{"Name", "acme"}, {"OpsImage", "repo/stack:3.14.2-aws"}};
    s.template_body = ops_template;
    if (!arn.empty()) s.outputs = {{"TaskDefinitionArn", arn}, {"OpsRunTaskArguments", arn + " acme-cluster subnet-1 subnet-2 sg-1"}};
    d.stacks.push_back(s);
    return d;
}

SimCloud ops_cloud(const std::string& arn = {}) { return SimCloud(cloud::sim::world_from_deployment(ops_deployment(arn), {})); }

std::string arn_of(SimCloud& c, const std::string& logical_id) {
    for (const auto& r : c.describe_stack_resources("acme-ops"))
        if (r.logical_id == logical_id) return r.physical_id;
    ADD_FAILURE() << logical_id << " not found";
    return {};
}

void set_ops_image(SimCloud& c, const std::string& image) {
    c.update_stack({"acme-ops", {ParameterInput::keep("Name"), ParameterInput::set("OpsImage", image)}});
    for (int i = 0; i < 100 && c.describe_stack("acme-ops").status.ends_with("_IN_PROGRESS"); ++i) c.wait(15);
    ASSERT_EQ(c.describe_stack("acme-ops").status, "UPDATE_COMPLETE");
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const CloudError& e) {
        return e.code() + ": " + e.message();
    }
    return "no error";
}

TEST(SimTaskDefinitions, ATemplatesTaskDefinitionIsRevisionOneOfItsFamilyWithItsContainersResolved) {
    SimCloud c = ops_cloud();
    auto d = c.describe_task_definition(arn_of(c, "TaskDefinition"));
    EXPECT_EQ(d.arn, "arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-ops:1");
    EXPECT_EQ(d.family, "acme-ops");
    EXPECT_EQ(d.revision, 1);
    EXPECT_EQ(d.status, "ACTIVE");
    ASSERT_EQ(d.containers.size(), 2u);
    EXPECT_EQ(d.containers[0].name, "ttes");
    EXPECT_EQ(d.containers[0].image, "repo/stack:3.14.2-aws");
    EXPECT_EQ(d.containers[1].image, "busybox:acme");
    EXPECT_EQ(c.world().task_definitions[0].containers[0].command, (std::vector<std::string>{"tti-lw-stack", "version"}));
    // Without a Family, CloudFormation names one after the stack and the logical id.
    auto unnamed = c.describe_task_definition(arn_of(c, "Unnamed"));
    EXPECT_TRUE(unnamed.family.starts_with("acme-ops-Unnamed-")) << unnamed.family;
    EXPECT_EQ(unnamed.revision, 1);
}

TEST(SimTaskDefinitions, AReplacedTaskDefinitionIsTheNextRevisionWithTheNewImageAndTheOldOneInactive) {
    // The snapshot's outputs name revision 1, as CloudFormation reported it.
    SimCloud c = ops_cloud("arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-ops:1");
    std::string old_arn = arn_of(c, "TaskDefinition");
    std::string old_unnamed = arn_of(c, "Unnamed");
    set_ops_image(c, "repo/stack:3.15.1-aws");
    auto d = c.describe_task_definition(arn_of(c, "TaskDefinition"));
    EXPECT_EQ(d.arn, "arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-ops:2");
    EXPECT_EQ(d.revision, 2);
    EXPECT_EQ(d.status, "ACTIVE");
    EXPECT_EQ(d.containers[0].image, "repo/stack:3.15.1-aws");
    auto old = c.describe_task_definition(old_arn);
    EXPECT_EQ(old.status, "INACTIVE");
    EXPECT_EQ(old.containers[0].image, "repo/stack:3.14.2-aws");
    // The family alone names its latest ACTIVE revision; FAMILY:REVISION names one.
    EXPECT_EQ(c.describe_task_definition("acme-ops").revision, 2);
    EXPECT_EQ(c.describe_task_definition("acme-ops:1").status, "INACTIVE");
    // The generated family stays the family of the replacement.
    auto unnamed = c.describe_task_definition(arn_of(c, "Unnamed"));
    EXPECT_EQ(unnamed.family, c.describe_task_definition(old_unnamed).family);
    EXPECT_EQ(unnamed.revision, 2);
    // Outputs that name the replaced revision, alone or as a word, name the new one.
    const auto& outputs = c.describe_stack("acme-ops").outputs;
    EXPECT_EQ(outputs.at("TaskDefinitionArn"), d.arn);
    EXPECT_EQ(outputs.at("OpsRunTaskArguments"), d.arn + " acme-cluster subnet-1 subnet-2 sg-1");
}

TEST(SimTaskDefinitions, TheSnapshotsRevisionIsTheOneItsOutputNamesAndTheNextFollowsIt) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    SimCloud c(cloud::sim::world_from_deployment(*deployment, {}));
    auto d = c.describe_task_definition("arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-prod-ops:7");
    EXPECT_EQ(d.status, "ACTIVE");
    ASSERT_EQ(d.containers.size(), 1u);
    EXPECT_EQ(d.containers[0].name, "ttes");
    EXPECT_EQ(d.containers[0].image, "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws");

    // Named only as the first word of OpsRunTaskArguments, as a !Sub "${TaskDefinition} ..." gives it.
    cfn::Deployment only_arguments = ops_deployment("arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-ops:7");
    only_arguments.stacks[0].outputs.erase("TaskDefinitionArn");
    SimCloud small(cloud::sim::world_from_deployment(only_arguments, {}));
    EXPECT_EQ(small.describe_task_definition("acme-ops").revision, 7);
    set_ops_image(small, "repo/stack:3.15.1-aws");
    EXPECT_EQ(small.describe_task_definition("acme-ops").revision, 8);
    EXPECT_EQ(small.describe_task_definition("acme-ops:7").status, "INACTIVE");
}

TEST(SimTaskDefinitions, DescribingAnUnknownTaskDefinitionFailsAsEcsDoes) {
    SimCloud c = ops_cloud();
    EXPECT_EQ(error_of([&] { c.describe_task_definition("acme-ops:9"); }), "ClientException: Unable to describe task definition.");
    EXPECT_EQ(error_of([&] { c.describe_task_definition("nobody"); }), "ClientException: Unable to describe task definition.");
}

TEST(SimTaskDefinitions, RunTaskRefusesAnUnknownOrInactiveTaskDefinitionWithEcsMessages) {
    SimCloud c = ops_cloud();
    std::string old_arn = arn_of(c, "TaskDefinition");
    EXPECT_EQ(error_of([&] { c.run_task({"acme-cluster", "acme-ops:5", "ttes", {"x"}, {}, {}, "t1"}); }),
              "ClientException: TaskDefinition not found.");
    set_ops_image(c, "repo/stack:3.15.1-aws");
    EXPECT_EQ(error_of([&] { c.run_task({"acme-cluster", old_arn, "ttes", {"x"}, {}, {}, "t2"}); }),
              "InvalidParameterException: TaskDefinition is inactive");
    EXPECT_TRUE(c.world().tasks.empty());
    EXPECT_EQ(c.world().api_calls.at("RunTask"), 2u);
}

TEST(SimTaskDefinitions, ATaskRecordsTheRevisionAndImagesItRanAndSimStatusReportsThem) {
    SimCloud c = ops_cloud();
    std::string task = c.run_task({"acme-cluster", "acme-ops:1", "ttes", {"tti-lw-stack", "is-db", "migrate"}, {}, {}, "t1"});
    c.wait(300);
    nlohmann::json status = nlohmann::json::parse(cloud::sim::status_json(c.world()));
    ASSERT_EQ(status["tasks"].size(), 1u);
    const auto& t = status["tasks"][0];
    EXPECT_EQ(t["taskArn"], task);
    EXPECT_EQ(t["taskDefinition"], "arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-ops:1");
    EXPECT_EQ(t["images"], nlohmann::json::array({"repo/stack:3.14.2-aws", "busybox:acme"}));
    EXPECT_EQ(t["command"], nlohmann::json::array({"tti-lw-stack", "is-db", "migrate"}));
    EXPECT_EQ(t["exitCode"], 0);
}

TEST(SimTaskDefinitions, TaskDefinitionsAndTaskImagesSurviveTheStateFile) {
    SimCloud c = ops_cloud();
    set_ops_image(c, "repo/stack:3.15.1-aws");
    c.run_task({"acme-cluster", "acme-ops", "ttes", {"x"}, {}, {}, "t1"});
    cloud::sim::World back = cloud::sim::world_from_json(cloud::sim::world_to_json(c.world()), "w.json");
    ASSERT_EQ(back.task_definitions.size(), c.world().task_definitions.size());
    for (std::size_t i = 0; i < back.task_definitions.size(); ++i) {
        EXPECT_EQ(back.task_definitions[i].arn, c.world().task_definitions[i].arn);
        EXPECT_EQ(back.task_definitions[i].status, c.world().task_definitions[i].status);
        EXPECT_EQ(back.task_definitions[i].containers.size(), c.world().task_definitions[i].containers.size());
    }
    ASSERT_EQ(back.tasks.size(), 1u);
    EXPECT_EQ(back.tasks[0].images, (std::vector<std::string>{"repo/stack:3.15.1-aws", "busybox:acme"}));

    // A world saved before task definitions were simulated registers its stacks' revisions.
    nlohmann::json old = nlohmann::json::parse(cloud::sim::world_to_json(ops_cloud().world()));
    old.erase("taskDefinitions");
    cloud::sim::World upgraded = cloud::sim::world_from_json(old.dump(), "old.json");
    ASSERT_EQ(upgraded.task_definitions.size(), 2u);
    EXPECT_EQ(upgraded.task_definitions[0].arn, "arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-ops:1");
    EXPECT_EQ(upgraded.task_definitions[0].containers[0].image, "repo/stack:3.14.2-aws");
}

}  // namespace
}  // namespace stackshift
