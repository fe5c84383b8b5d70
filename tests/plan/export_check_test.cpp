// The plan's export check: a step that removes or changes an export another stack imports at
// that moment, or that leaves a stack importing an export nobody provides, blocks the plan
// before anything runs, in the text, Markdown and JSON renderings.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "inputs/snapshot_file.hpp"
#include "plan/export_check.hpp"
#include "plan_world.hpp"
#include "render/plan_render.hpp"

namespace stackshift::plan_test {
namespace {

using plan::ExportConflictKind;
using plan::StepKind;

const char* db_v1 = R"(
Parameters:
  Size:
    Type: String
    Default: small
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !Ref Size
Outputs:
  Address:
    Value: !GetAtt Instance.PrivateIp
    Export:
      Name: !Sub "${AWS::StackName}-Address"
  Port:
    Value: "5432"
    Export:
      Name: !Sub "${AWS::StackName}-Port"
)";

// 3.15.0 drops the Address output and its export.
const char* db_v2 = R"(
Parameters:
  Size:
    Type: String
    Default: small
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !Ref Size
Outputs:
  Port:
    Value: "5432"
    Export:
      Name: !Sub "${AWS::StackName}-Port"
)";

const char* app_template = R"(
Parameters:
  DbStackName:
    Type: String
  StorageEnabled:
    Type: String
    Default: "true"
Conditions:
  Storage: !Equals [!Ref StorageEnabled, "true"]
Resources:
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !If
        - Storage
        - Fn::ImportValue: !Sub "${DbStackName}-Address"
        - Fn::ImportValue: !Sub "${DbStackName}-Port"
)";

void db_world(World& w, const std::string& storage, std::vector<std::string> no_echo = {}) {
    w.release("3.14.2", "1-1-db", db_v1);
    w.release("3.15.0", "1-1-db", db_v2);
    w.releases({"3.14.2", "3.15.0"}, "2-1-app", app_template);
    w.deploy(stack("1-1-db", "3.14.2", {{"Size", "small"}}));
    w.deploy(stack("2-1-app", "3.14.2", {{"DbStackName", "acme-1-1-db"}, {"StorageEnabled", storage}}, std::move(no_echo)));
}

TEST(ExportCheck, AStepRemovingAnExportInUseBlocksThePlanInEveryRendering) {
    World w;
    db_world(w, "true");
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    const auto& db = step_for(p, "acme-1-1-db");
    ASSERT_EQ(db.kind, StepKind::update_stack);
    ASSERT_EQ(p.export_conflicts.size(), 1U);
    const auto& c = p.export_conflicts.front();
    EXPECT_EQ(c.kind, ExportConflictKind::removed);
    EXPECT_EQ(c.step, db.id);
    EXPECT_EQ(c.stack, "acme-1-1-db");
    EXPECT_EQ(c.export_name, "acme-1-1-db-Address");
    EXPECT_EQ(c.importers, std::vector<std::string>{"acme-2-1-app"});
    EXPECT_FALSE(c.possible);
    EXPECT_EQ(c.fix, "update acme-2-1-app so that it no longer imports acme-1-1-db-Address before step " + db.id +
                         ", or keep the export as it is");
    EXPECT_TRUE(p.blocked());
    EXPECT_FALSE(p.needs_input());

    std::string text = render::plan_text(p, false);
    EXPECT_NE(text.find("Cannot be applied yet:"), std::string::npos) << text;
    EXPECT_NE(text.find("Export conflicts"), std::string::npos) << text;
    EXPECT_NE(text.find("step " + db.id + " removes the export acme-1-1-db-Address of acme-1-1-db, which acme-2-1-app still imports"),
              std::string::npos)
        << text;
    std::string markdown = render::plan_markdown(p);
    EXPECT_NE(markdown.find("## Export conflicts"), std::string::npos) << markdown;
    EXPECT_NE(markdown.find("`acme-1-1-db-Address`"), std::string::npos) << markdown;
    auto json = nlohmann::json::parse(render::plan_json(p));
    EXPECT_TRUE(json.at("blocked").get<bool>());
    ASSERT_EQ(json.at("exportConflicts").size(), 1U);
    EXPECT_EQ(json.at("exportConflicts")[0].at("export"), "acme-1-1-db-Address");
    EXPECT_EQ(json.at("exportConflicts")[0].at("kind"), "removed");
    EXPECT_EQ(json.at("exportConflicts")[0].at("importers")[0], "acme-2-1-app");
    EXPECT_EQ(json.at("exportConflicts")[0].at("step"), db.id);
}

TEST(ExportCheck, TurningTheImportOffAfterTheRemovalIsTooLate) {
    World w;
    db_world(w, "true");
    w.values("2-1-app:\n  StorageEnabled: \"false\"\n");
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    // The app's update that stops the import comes after the db's, in template order.
    auto order = outline(p);
    auto db = std::find(order.begin(), order.end(), "update-stack:acme-1-1-db");
    auto app = std::find_if(order.begin(), order.end(), [](const std::string& s) { return s.ends_with(":acme-2-1-app"); });
    ASSERT_NE(app, order.end());
    EXPECT_NE(*app, "skip-stack:acme-2-1-app");
    ASSERT_LT(db, app);
    ASSERT_EQ(p.export_conflicts.size(), 1U);
    EXPECT_EQ(p.export_conflicts[0].step, step_for(p, "acme-1-1-db").id);
    EXPECT_TRUE(p.blocked());
}

TEST(ExportCheck, AnImportUnderAFalseConditionIsNoImport) {
    World w;
    db_world(w, "false");
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    EXPECT_TRUE(p.export_conflicts.empty());
    EXPECT_FALSE(p.blocked());
    auto json = nlohmann::json::parse(render::plan_json(p));
    EXPECT_FALSE(json.contains("exportConflicts"));  // a plan without conflicts keeps its document
}

TEST(ExportCheck, AConditionOnANoEchoValueCountsAsAPossibleImport) {
    World w;
    db_world(w, "false", {"StorageEnabled"});
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    ASSERT_EQ(p.export_conflicts.size(), 1U);
    EXPECT_TRUE(p.export_conflicts[0].possible);
    EXPECT_EQ(p.export_conflicts[0].importers, std::vector<std::string>{"acme-2-1-app"});
    EXPECT_TRUE(p.blocked());
}

TEST(ExportCheck, AStackImportingAnExportNobodyProvidesBlocksThePlan) {
    World w;
    w.releases({"3.14.2", "3.15.0"}, "1-1-db", db_v1);
    w.release("3.14.2", "2-1-app", app_template);
    std::string v2 = app_template;
    v2.replace(v2.find("-Port\""), std::string("-Port\"").size(), "-Replica\"");
    w.release("3.15.0", "2-1-app", v2);
    w.deploy(stack("1-1-db", "3.14.2", {{"Size", "small"}}));
    w.deploy(stack("2-1-app", "3.14.2", {{"DbStackName", "acme-1-1-db"}, {"StorageEnabled", "false"}}));
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    ASSERT_EQ(p.export_conflicts.size(), 1U);
    const auto& c = p.export_conflicts[0];
    EXPECT_EQ(c.kind, ExportConflictKind::missing);
    EXPECT_EQ(c.export_name, "acme-1-1-db-Replica");
    EXPECT_EQ(c.step, step_for(p, "acme-2-1-app").id);
    EXPECT_NE(c.describe().find("which no stack provides then"), std::string::npos) << c.describe();
}

TEST(ExportCheck, TheBundledExampleIsReadyAndWithoutItsStorageOffStepsConflicts) {
    auto deployment = inputs::load_deployment(testing::source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    plan::PlanRequest request;
    request.deployment = *deployment;
    request.deployment_path = "example";
    request.releases_path = testing::source_path("examples/releases");
    request.to = "3.30.2";
    request.values_path = testing::source_path("examples/values-3.30.2.yaml");
    request.allow_replace = {"acme-prod-2-5-db-timescale/Volume", "acme-prod-4-1-secrets/InteropTLSSecret"};
    plan::PlanInputs inputs = plan::load_plan_inputs(request);
    plan::Plan p = plan::make_plan(inputs);
    EXPECT_TRUE(p.export_conflicts.empty()) << p.export_conflicts.front().describe();
    EXPECT_FALSE(p.blocked());

    // The vendor's procedure turns the storage integration off before 2-5-db-timescale loses
    // its Address export; without those steps, the update would be refused.
    auto& steps = p.hops.at(0).steps;
    auto removed = std::erase_if(steps, [](const plan::Step& s) {
        return s.kind == StepKind::set_parameters && s.id.find("storage-off") != std::string::npos;
    });
    ASSERT_EQ(removed, 2U);
    auto conflicts = plan::check_exports(inputs, p);
    ASSERT_EQ(conflicts.size(), 1U);
    EXPECT_EQ(conflicts[0].kind, ExportConflictKind::removed);
    EXPECT_EQ(conflicts[0].stack, "acme-prod-2-5-db-timescale");
    EXPECT_EQ(conflicts[0].export_name, "acme-prod-2-5-db-timescale-Address");
    std::vector<std::string> importers{"acme-prod-5-2-ecs-ops", "acme-prod-5-4-ecs-services"};
    EXPECT_EQ(conflicts[0].importers, importers);
    EXPECT_EQ(step_for(p, "acme-prod-2-5-db-timescale").id, conflicts[0].step);
}

}  // namespace
}  // namespace stackshift::plan_test
