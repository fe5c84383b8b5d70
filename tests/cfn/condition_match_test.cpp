// Conditions renamed without a change to what they say: no change to anything CloudFormation
// deploys, wherever the name is used (Condition attributes, Fn::If, {"Condition": ...}).

#include "cfn/condition_match.hpp"
#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_ok;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

const char* with_conditions = R"(Parameters:
  Env: {Type: String, Default: dev}
  Replicas: {Type: String, Default: '0'}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  HasReplica: !Not [!Equals [!Ref Replicas, '0']]
  ProdReplica: !And [!Condition IsProd, !Condition HasReplica]
Resources:
  Alarm:
    Type: AWS::SNS::Topic
    Condition: IsProd
    Metadata:
      level: !If [IsProd, page, mail]
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [ProdReplica, 5, 0]
      MessageRetentionPeriod: !If [IsProd, 1209600, 345600]
Outputs:
  AlarmTopic:
    Condition: IsProd
    Value: !If [IsProd, !Ref Alarm, none]
)";

TEST(ConditionMatch, RenamedConditionWithTheSameDefinitionWasReportedAsAChange) {
    Template a = parse_ok(with_conditions, "old.yaml");
    Template b = parse_ok(replace_all(with_conditions, "IsProd", "IsProduction"), "new.yaml");
    TemplateDiff without_values = diff_templates(a, b, nullptr);
    EXPECT_TRUE(without_values.empty()) << without_values.resources.size() << " resources, "
                                        << without_values.outputs.size() << " outputs";
    ParameterValues prod{{{"Env", "prod"}, {"Replicas", "2"}}};
    EXPECT_TRUE(diff_templates(a, b, &prod).empty());
    ConditionMatch match(a, b);
    EXPECT_TRUE(match.same_condition("IsProd", "IsProduction"));
    EXPECT_TRUE(match.same_condition("ProdReplica", "ProdReplica"));
    EXPECT_FALSE(match.same_condition("HasReplica", "IsProduction"));
    EXPECT_FALSE(match.same_condition("", "IsProduction"));
    EXPECT_TRUE(match.same_condition("", ""));
}

TEST(ConditionMatch, RenamedConditionThatSaysSomethingElseIsAChange) {
    Template a = parse_ok(with_conditions, "old.yaml");
    std::string changed = replace_all(with_conditions, "IsProd", "IsLive");
    changed = replace_all(changed, "IsLive: !Equals [!Ref Env, prod]", "IsLive: !Equals [!Ref Env, live]");
    Template b = parse_ok(changed, "new.yaml");
    TemplateDiff d = diff_templates(a, b, nullptr);
    const ResourceDiff* alarm = d.resource("Alarm");
    ASSERT_NE(alarm, nullptr);
    std::vector<std::string> paths;
    for (const auto& p : alarm->properties) paths.push_back(p.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"Condition", "Metadata"}));
    const ResourceDiff* queue = d.resource("Queue");
    ASSERT_NE(queue, nullptr);
    ASSERT_FALSE(queue->properties.empty());
    EXPECT_EQ(queue->properties[0].path, "MessageRetentionPeriod");
    ASSERT_EQ(d.outputs.size(), 1u);
    EXPECT_EQ(d.outputs[0].details, (std::vector<std::string>{"value", "condition"}));
}

TEST(ConditionMatch, ConditionsThatNameEachOtherDoNotLoop) {
    std::string text = "Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\n"
                       "Resources:\n  T: {Type: 'AWS::SNS::Topic', Condition: A}\n";
    Template a = parse_ok(text, "old.yaml");
    Template b = parse_ok(replace_all(replace_all(text, "A", "X"), "B", "Y"), "new.yaml");
    ConditionMatch match(a, b);
    EXPECT_FALSE(match.same_condition("A", "X"));
    EXPECT_FALSE(match.same_condition("A", "X"));  // decided once, remembered
}

}  // namespace
}  // namespace stackshift::cfn
