// The image a run-migration step says its migration must run with: the image the ops stack's
// task definition runs in the profile's migration container once the hop's steps are done (what
// apply checks before the task starts), an input when the plan cannot know it, and part of
// what the fingerprint pins.

#include "plan_world.hpp"
#include "plan/fingerprint.hpp"
#include "render/plan_render.hpp"

namespace stackshift::plan_test {
namespace {

using plan::StepKind;

std::string image_of(const std::string& v) { return "docker.io/thethingsindustries/lorawan-stack:" + v + "-aws"; }

// An ops template whose task definition runs `container` with the Image parameter.
std::string ops(const std::string& version, const std::string& container = "ttes") {
    return R"(Parameters:
  Image: {Type: String, Default: )" + image_of(version) + R"(}
  ApplicationServerStorageEnabled: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: ops
      ContainerDefinitions:
        - {Name: sidecar, Image: busybox}
        - {Name: )" + container + R"(, Image: !Ref Image, Environment: [{Name: VERSION, Value: ")" + version + R"("}]}
Outputs:
  OpsRunTaskArguments: {Value: !Sub "${TaskDefinition} cluster subnet-1 subnet-2 sg-1"}
)";
}

// Releases 3.15.0 and 3.16.0 of the ops stack (3.16.0 asks for an is-db migration), deployed at 3.15.0.
void ops_world(World& w, const std::string& container = "ttes") {
    for (const auto* v : {"3.15.0", "3.16.0"}) w.release(v, "5-2-ecs-ops", ops(v, container));
    w.note("3.16.0", "3.16.0", "---\ntitle: \"3.16.0\"\n---\n\n### Changed\n\n- Faster searches. This requires a database "
                               "migration (`tti-lw-stack is-db migrate`).\n");
    w.deploy(stack("5-2-ecs-ops", "3.15.0", {{"Image", image_of("3.15.0")}, {"ApplicationServerStorageEnabled", "true"}}));
}

TEST(MigrationImage, TheStepCarriesTheImageTheOpsTaskDefinitionRunsAfterTheHop) {
    World w;
    ops_world(w);
    auto p = w.plan("3.15.0", "3.16.0");
    EXPECT_TRUE(p.inputs.empty());
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->image, image_of("3.16.0"));
}

// The profile's task_arguments, parsed once, go on the step as its run-task spec.
TEST(MigrationImage, TheStepCarriesTheRunTaskSpecOfTheProfile) {
    World w;
    ops_world(w);
    auto p = w.plan("3.15.0", "3.16.0");
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr);
    ASSERT_TRUE(m->run_task.has_value());
    using plan::TaskField;
    EXPECT_EQ(*m->run_task, (plan::RunTaskSpec{"OpsRunTaskArguments",
                                              {TaskField::task_definition, TaskField::cluster, TaskField::subnet,
                                               TaskField::subnet, TaskField::security_group},
                                              "ttes",
                                              "FARGATE"}));
}

TEST(MigrationImage, AnImageTheValuesFileSetsIsTheOneExpected) {
    World w;
    ops_world(w);
    w.values("5-2-ecs-ops:\n  Image: registry.example/lorawan-stack:3.16.0-patched\n");
    auto p = w.plan("3.15.0", "3.16.0");
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->image, "registry.example/lorawan-stack:3.16.0-patched");
}

TEST(MigrationImage, AnOpsTaskDefinitionWithoutTheMigrationContainerHoldsThePlan) {
    World w;
    ops_world(w, "app");
    auto p = w.plan("3.15.0", "3.16.0");
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(m->image.empty());
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].stack, "acme-5-2-ecs-ops");
    EXPECT_NE(p.inputs[0].why.find("container named 'ttes'"), std::string::npos) << p.inputs[0].why;
    EXPECT_TRUE(p.blocked());
}

TEST(MigrationImage, ACommandRemovedSinceRunsWithTheImageOfTheLastReleaseThatHasIt) {
    World w;
    for (const auto* v : {"3.15.0", "3.16.0", "3.17.0"}) w.release(v, "5-2-ecs-ops", ops(v));
    w.note("3.17.0", "3.16.0", "---\ntitle: \"3.16.0\"\n---\n\n### Changed\n\n- Claims. This requires a database "
                               "migration (`tti-lw-stack dcs-db migrate`).\n");
    w.note("3.17.0", "3.17.0", "---\ntitle: \"3.17.0\"\n---\n\n### Removed\n\n- The `tti-lw-stack dcs-db migrate` "
                               "command. Device claims are migrated automatically.\n");
    w.deploy(stack("5-2-ecs-ops", "3.15.0", {{"Image", image_of("3.15.0")}, {"ApplicationServerStorageEnabled", "true"}}));
    auto p = w.plan("3.15.0", "3.17.0");
    const auto* m = find_step(p, StepKind::run_migration, "acme-5-2-ecs-ops");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->database, "dcs-db");
    // The ops task definition will run 3.17.0; the migration needs 3.16.0: apply will stop on it.
    EXPECT_EQ(m->image, image_of("3.16.0"));
}

TEST(MigrationImage, TheImageIsPinnedByTheFingerprint) {
    World w;
    ops_world(w);
    auto p = w.plan("3.15.0", "3.16.0");
    std::string pinned = plan::plan_fingerprint(p);
    for (auto& hop : p.hops)
        for (auto& s : hop.steps)
            if (s.kind == StepKind::run_migration) s.image = image_of("3.15.0");
    EXPECT_NE(plan::plan_fingerprint(p), pinned);
    std::string json = render::plan_json(p);
    EXPECT_NE(json.find("\"image\": \"" + image_of("3.15.0") + "\""), std::string::npos);
    EXPECT_NE(render::plan_markdown(p).find("image: `" + image_of("3.15.0") + "`"), std::string::npos);
}

}  // namespace
}  // namespace stackshift::plan_test
