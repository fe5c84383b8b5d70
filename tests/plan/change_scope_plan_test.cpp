// What the planner does with a template that changes only where CloudFormation updates a
// resource without touching its properties (Metadata, policies, Tags), and with one that
// changes only where CloudFormation changes nothing (DependsOn, a renamed condition).

#include <nlohmann/json.hpp>

#include "plan_world.hpp"
#include "render/plan_render.hpp"

namespace stackshift::plan_test {
namespace {

using plan::StepKind;

const char* machines = R"(Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
  Launch:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          files:
            /etc/app.conf: {content: 'level=info'}
    Properties:
      ImageId: ami-1
      InstanceType: !If [IsProd, m5.large, t3.small]
  Alarms:
    Type: AWS::SNS::Topic
    Condition: IsProd
)";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

plan::Plan plan_between(const std::string& deployed, const std::string& target) {
    World w;
    w.releases({"3.14.2", "3.15.0"}, "1-1-vpc", "Resources:\n  V: {Type: 'AWS::EC2::VPC', Properties: {CidrBlock: 10.0.0.0/16}}\n");
    w.release("3.14.2", "4-1-machines", deployed);
    w.release("3.15.0", "4-1-machines", target);
    w.deploy(stack("1-1-vpc", "3.14.2"));
    w.deploy(stack("4-1-machines", "3.14.2", {{"Env", "prod"}}));
    return w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
}

TEST(ChangeScopePlan, InitMetadataOnlyUpdateListedNoResource) {
    auto p = plan_between(machines, replace_all(machines, "level=info", "level=debug"));
    const auto& s = step_for(p, "acme-4-1-machines");
    ASSERT_EQ(s.kind, StepKind::update_stack);
    ASSERT_EQ(s.resources.size(), 1u);
    EXPECT_EQ(s.resources[0].logical_id, "Launch");
    EXPECT_EQ(s.resources[0].impact, cfn::Impact::will_update);
    EXPECT_EQ(s.resources[0].scopes, cfn::ChangeScopes{cfn::ChangeScope::metadata});
    EXPECT_NE(std::find(s.details.begin(), s.details.end(),
                        "Launch (AWS::AutoScaling::LaunchConfiguration): will-update [Metadata], Metadata"),
              s.details.end());
    auto j = nlohmann::json::parse(render::plan_json(p));
    for (const auto& step : j["hops"][0]["steps"]) {
        if (step["kind"] != "update-stack") continue;
        EXPECT_EQ(step["resources"]["Launch"]["scope"], nlohmann::json::array({"Metadata"}));
        EXPECT_EQ(step["resources"]["Launch"]["impact"], "will-update");
    }
}

TEST(ChangeScopePlan, PolicyAndTagsOnlyChangesAreUpdatesNeverSkips) {
    const std::pair<std::string, cfn::ChangeScope> changes[] = {
        {"    Condition: IsProd\n    DeletionPolicy: Retain\n", cfn::ChangeScope::deletion_policy},
        {"    Condition: IsProd\n    Properties: {Tags: [{Key: team, Value: ops}]}\n", cfn::ChangeScope::tags},
    };
    for (const auto& [alarms, scope] : changes) {
        auto p = plan_between(machines, replace_all(machines, "    Condition: IsProd\n", alarms));
        const auto& s = step_for(p, "acme-4-1-machines");
        ASSERT_EQ(s.kind, StepKind::update_stack) << alarms;
        ASSERT_EQ(s.resources.size(), 1u) << alarms;
        EXPECT_EQ(s.resources[0].logical_id, "Alarms");
        EXPECT_EQ(s.resources[0].scopes, cfn::ChangeScopes{scope}) << alarms;
    }
}

TEST(ChangeScopePlan, DependsOnOnlyChangeWasUpdatedInsteadOfSkipped) {
    auto p = plan_between(machines, replace_all(machines, "    Condition: IsProd\n", "    Condition: IsProd\n    DependsOn: Role\n"));
    const auto& s = step_for(p, "acme-4-1-machines");
    EXPECT_EQ(s.kind, StepKind::skip_stack);
    EXPECT_EQ(s.reason, "the deployed template differs from the one of 3.15.0 only where CloudFormation changes nothing "
                        "(DependsOn, condition names, how it is written) and no parameter changes");
}

TEST(ChangeScopePlan, ConditionRenamedAsItWasIsSkipped) {
    auto p = plan_between(machines, replace_all(machines, "IsProd", "Production"));
    EXPECT_EQ(step_for(p, "acme-4-1-machines").kind, StepKind::skip_stack);
}

TEST(ChangeScopePlan, ConditionThatSaysSomethingElseIsNotSkipped) {
    // Fail closed: Alarms now hangs on another condition, true for these values as well; the
    // stack is not skipped on the strength of one evaluation.
    std::string target = replace_all(machines, "    Condition: IsProd\n", "    Condition: NotDev\n");
    target = replace_all(target, "Resources:\n", "  NotDev: !Not [!Equals [!Ref Env, dev]]\nResources:\n");
    auto p = plan_between(machines, target);
    EXPECT_EQ(step_for(p, "acme-4-1-machines").kind, StepKind::update_stack);
}

}  // namespace
}  // namespace stackshift::plan_test

namespace stackshift::plan_test {
namespace {

// A change the engine compares only as written (the Transform section, SAM's Globals) changes
// what CloudFormation deploys though no resource of the template as written changes: the stack
// is updated, never skipped.
TEST(ChangeScopePlan, ATransformOrGlobalsOnlyChangeIsAnUpdateNeverASkip) {
    // Env: the parameter the deployed stack has, so that only the template changes.
    const char* included = R"(Transform:
  Name: AWS::Include
  Parameters: {Location: 's3://acme-templates/common-1.yaml'}
Parameters:
  Env: {Type: String}
Resources:
  Topic: {Type: AWS::SNS::Topic}
)";
    auto p = plan_between(included, replace_all(included, "common-1.yaml", "common-2.yaml"));
    const auto& s = step_for(p, "acme-4-1-machines");
    EXPECT_EQ(s.kind, StepKind::update_stack);
    EXPECT_TRUE(std::any_of(s.why.begin(), s.why.end(), [](const std::string& w) {
        return w.find("kept as written and different: Transform (changed)") != std::string::npos;
    })) << ::testing::PrintToString(s.why);

    const char* sam = R"(Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 10}
Parameters:
  Env: {Type: String}
Resources:
  Topic: {Type: AWS::SNS::Topic}
)";
    auto q = plan_between(sam, replace_all(sam, "Timeout: 10", "Timeout: 30"));
    EXPECT_EQ(step_for(q, "acme-4-1-machines").kind, StepKind::update_stack);

    auto same = plan_between(sam, std::string(sam) + "# a comment\n");
    const auto& unchanged = step_for(same, "acme-4-1-machines");
    EXPECT_EQ(unchanged.kind, StepKind::skip_stack) << ::testing::PrintToString(unchanged.why) << ::testing::PrintToString(unchanged.details);
}

}  // namespace
}  // namespace stackshift::plan_test
