// What transforms allow and the Rules section's functions: SAM's Globals and attributes,
// AWS::LanguageExtensions (Fn::ForEach, Fn::Length, Fn::ToJsonString, Fn::FindInMap defaults,
// intrinsic policies), rule functions in long and short form, and a macro's own syntax kept as
// written. Each is refused where CloudFormation refuses it, with the place and the fix.

#include "cfn/transforms.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_errors;
using testing::parse_ok;

std::vector<std::string> kept_paths(const Template& t) {
    std::vector<std::string> paths;
    for (const auto& k : t.kept_as_written) paths.push_back(k.path);
    return paths;
}

// --- SAM ----------------------------------------------------------------------------------

constexpr const char* sam_template = R"(Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
Resources:
  Fn:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Timeout]
    Connectors:
      ToTable:
        Properties: {Destination: {Id: Table}, Permissions: [Read]}
    Properties:
      Handler: app.handler
      CodeUri: s3://bucket/code.zip
  Table:
    Type: AWS::Serverless::SimpleTable
)";

TEST(SamTemplates, GlobalsAndSamAttributesAreKeptAsWritten) {
    Template t = parse_ok(sam_template);
    EXPECT_EQ(t.transforms, std::vector<std::string>{"AWS::Serverless-2016-10-31"});
    EXPECT_EQ(kept_paths(t), (std::vector<std::string>{"Globals", "Resources.Fn.IgnoreGlobals", "Resources.Fn.Connectors"}));
    EXPECT_EQ(t.kept_as_written[0].reason, "SAM's Globals section");
    ASSERT_NE(t.resource("Fn"), nullptr);
    EXPECT_EQ(t.resource("Fn")->type, "AWS::Serverless::Function");
    EXPECT_EQ(t.resource("Fn")->properties->find("Handler")->text(), "app.handler");
}

TEST(SamTemplates, GlobalsWithoutTheTransformSaysWhichTransformAllowsIt) {
    std::string text = sam_template;
    text.erase(0, text.find('\n') + 1);  // no Transform line
    EXPECT_EQ(parse_errors(text),
              "t.yaml:1:1: unknown template section 'Globals'; sections are AWSTemplateFormatVersion, Description, Metadata, "
              "Parameters, Rules, Mappings, Conditions, Transform, Resources, Outputs, Hooks; Globals is SAM's: declare "
              "'Transform: AWS::Serverless-2016-10-31'\n"
              "t.yaml:8:5: resource Fn: unknown resource attribute 'IgnoreGlobals'\n"
              "t.yaml:9:5: resource Fn: unknown resource attribute 'Connectors'\n"
              "t.yaml:7:11: resource Fn: type 'AWS::Serverless::Function' is SAM's: declare 'Transform: AWS::Serverless-2016-10-31'\n"
              "t.yaml:16:11: resource Table: type 'AWS::Serverless::SimpleTable' is SAM's: declare 'Transform: "
              "AWS::Serverless-2016-10-31'");
}

TEST(SamTemplates, TransformListsAndNamedForms) {
    Template t = parse_ok("Transform: [AWS::LanguageExtensions, {Name: AWS::Serverless-2016-10-31}]\n"
                          "Resources:\n  A: {Type: AWS::SNS::Topic}\n");
    EXPECT_EQ(t.transforms, (std::vector<std::string>{"AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"}));
    EXPECT_EQ(parse_errors("Transform: [1]\nResources:\n  A: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:1:13: Transform must name a transform (e.g. 'AWS::Serverless-2016-10-31') or list them, found a number '1'");
}

// --- AWS::LanguageExtensions ----------------------------------------------------------------

constexpr const char* for_each_template = R"(Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Topics:
    - Name
    - [orders, billing.v2]
    - Topic&{Name}:
        Type: AWS::SNS::Topic
        Properties: {TopicName: !Sub '${Name}-topic'}
  Fn::ForEach::Queues:
    - Name
    - !Ref Names
    - Fn::ForEach::Kinds:
        - Kind
        - [Main, Dlq]
        - Queue${Name}${Kind}:
            Type: AWS::SQS::Queue
  Plain:
    Type: AWS::SNS::Topic
Outputs:
  Fn::ForEach::Arns:
    - Name
    - [orders, billing]
    - Topic${Name}Arn:
        Value: !GetAtt [!Sub 'Topic${Name}', TopicArn]
Conditions:
  Fn::ForEach::Flags:
    - Name
    - [A, B]
    - Is${Name}: !Equals [!Ref 'AWS::Region', eu-west-1]
)";

TEST(LanguageExtensions, ForEachLoopsLoadAndAreKeptAsWritten) {
    Template t = parse_ok(for_each_template);
    EXPECT_EQ(kept_paths(t), (std::vector<std::string>{"Conditions.Fn::ForEach::Flags", "Resources.Fn::ForEach::Topics",
                                                       "Resources.Fn::ForEach::Queues", "Outputs.Fn::ForEach::Arns"}));
    ASSERT_EQ(t.resources.size(), 1u);
    EXPECT_EQ(t.resources[0].logical_id, "Plain");
}

std::string for_each_errors(const std::string& loop) {
    return parse_errors("Transform: AWS::LanguageExtensions\nResources:\n" + loop);
}

TEST(LanguageExtensions, ForEachKeysMustUseTheIdentifier) {
    // ${} puts the value in as it is, &{} without its non-alphanumeric characters.
    EXPECT_EQ(for_each_errors("  Fn::ForEach::T:\n    - Name\n    - [orders, billing.v2]\n    - Topic${Name}: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:6:7: Fn::ForEach::T: the key 'Topic${Name}' gives 'Topicbilling.v2' for 'billing.v2', which is not an "
              "alphanumeric logical id; write '&{Name}' to drop the other characters");
    EXPECT_EQ(for_each_errors("  Fn::ForEach::T:\n    - Name\n    - [a-b, ab]\n    - Topic&{Name}: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:6:7: Fn::ForEach::T: the key 'Topic&{Name}' gives 'Topicab' twice; the collection must give distinct keys");
    EXPECT_EQ(for_each_errors("  Fn::ForEach::T:\n    - Name\n    - [a, b]\n    - Topic: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:6:7: Fn::ForEach::T: the key 'Topic' must use the identifier as '${Name}' or '&{Name}', so that each "
              "iteration gives its own key");
    EXPECT_EQ(for_each_errors("  Fn::ForEach::T:\n    - Name\n    - [a, b]\n    - Topic${Nme}: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:6:7: Fn::ForEach::T: the key 'Topic${Nme}' uses '${Nme}', which no enclosing Fn::ForEach defines");
}

TEST(LanguageExtensions, NestedForEachSeesTheOuterIdentifier) {
    EXPECT_EQ(for_each_errors("  Fn::ForEach::Outer:\n    - A\n    - [x, y]\n    - Fn::ForEach::Inner:\n        - B\n"
                              "        - [p, q]\n        - R${A}${B}: {Type: AWS::SNS::Topic}\n"),
              "(no error)");
    EXPECT_EQ(for_each_errors("  Fn::ForEach::Outer:\n    - A\n    - [x, y]\n    - Fn::ForEach::Inner:\n        - A\n"
                              "        - [p, q]\n        - R${A}: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:7:11: Fn::ForEach::Inner: the identifier 'A' is already an enclosing loop's; choose another name");
    // Without the outer identifier, x and y would both give Rp and Rq.
    EXPECT_EQ(for_each_errors("  Fn::ForEach::Outer:\n    - A\n    - [x, y]\n    - Fn::ForEach::Inner:\n        - B\n"
                              "        - [p, q]\n        - R&{B}: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:9:11: Fn::ForEach::Inner: the key 'R&{B}' gives the same keys for each value of 'A'; use '${A}' or '&{A}' in it too");
}

TEST(LanguageExtensions, ForEachShapeErrors) {
    EXPECT_EQ(for_each_errors("  Fn::ForEach::T:\n    - Name\n    - [a]\n"),
              "t.yaml:4:5: Fn::ForEach::T must be a list of [identifier, collection, {output key: output value}], found a list of 2");
    EXPECT_EQ(for_each_errors("  Fn::ForEach::T:\n    - Name\n    - a,b\n    - T${Name}: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:5:7: Fn::ForEach::T: the collection must be a list or a function that gives one, found a string 'a,b'");
    EXPECT_EQ(for_each_errors("  Fn::ForEach::T:\n    - Name\n    - [a]\n    - T${Name}: {Properties: {}}\n"),
              "t.yaml:6:17: Fn::ForEach::T: resource 'T${Name}' must be a mapping with at least a Type");
    EXPECT_EQ(parse_errors("Resources:\n  Fn::ForEach::T:\n    - Name\n    - [a]\n    - T${Name}: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:2:3: Fn::ForEach needs the AWS::LanguageExtensions transform; declare 'Transform: AWS::LanguageExtensions'");
}

TEST(LanguageExtensions, LengthAndToJsonStringNeedTheTransform) {
    std::string body = "Resources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties:\n"
                       "      Value: !ToJsonString {a: !Length [1, 2]}\n"
                       "      Name: {'Fn::Length': !Split [',', 'a,b']}\n";
    Template t = parse_ok("Transform: AWS::LanguageExtensions\n" + body);
    EXPECT_EQ(t.resource("A")->properties->find("Value")->to_display(), R"({"Fn::ToJsonString": {"a": {"Fn::Length": [1, 2]}}})");
    EXPECT_EQ(t.resource("A")->properties->find("Name")->to_display(), R"({"Fn::Length": {"Fn::Split": [",", "a,b"]}})");
    EXPECT_EQ(parse_errors(body),
              "t.yaml:5:14: Fn::ToJsonString needs the AWS::LanguageExtensions transform; declare 'Transform: AWS::LanguageExtensions'\n"
              "t.yaml:5:32: Fn::Length needs the AWS::LanguageExtensions transform; declare 'Transform: AWS::LanguageExtensions'\n"
              "t.yaml:6:13: Fn::Length needs the AWS::LanguageExtensions transform; declare 'Transform: AWS::LanguageExtensions'");
    EXPECT_EQ(parse_errors("Mappings:\n  M: {a: {b: c}}\nResources:\n  A:\n    Type: AWS::SNS::Topic\n"
                           "    Properties: {TopicName: !FindInMap [M, x, b, {DefaultValue: d}]}\n"),
              "t.yaml:6:29: Fn::FindInMap with a DefaultValue needs the AWS::LanguageExtensions transform; declare "
              "'Transform: AWS::LanguageExtensions'");
}

TEST(LanguageExtensions, IntrinsicDeletionAndUpdateReplacePolicies) {
    Template t = parse_ok(R"(Transform: AWS::LanguageExtensions
Parameters:
  Policy: {Type: String, AllowedValues: [Retain, Delete]}
Conditions:
  IsProd: !Equals [!Ref 'AWS::AccountId', '111111111111']
Mappings:
  Policies: {prod: {Db: Snapshot}}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: !If [IsProd, Snapshot, Delete]
    UpdateReplacePolicy: !FindInMap [Policies, prod, Db]
  Bucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: !Ref Policy
)");
    EXPECT_EQ(t.resource("Db")->deletion_policy, R"({"Fn::If": ["IsProd", "Snapshot", "Delete"]})");
    EXPECT_EQ(t.resource("Db")->update_replace_policy, R"({"Fn::FindInMap": ["Policies", "prod", "Db"]})");
    EXPECT_EQ(t.resource("Bucket")->deletion_policy, R"({"Ref": "Policy"})");
    EXPECT_EQ(parse_errors("Conditions:\n  C: !Equals [a, b]\nResources:\n  A:\n    Type: AWS::SNS::Topic\n"
                           "    DeletionPolicy: !If [C, Retain, Keep]\n"),
              "t.yaml:6:37: resource A: DeletionPolicy must be one of Delete, Retain, RetainExceptOnCreate, Snapshot, found "
              "'Keep' in its Fn::If");
}

// --- Rules ----------------------------------------------------------------------------------

TEST(RuleFunctions, LongAndShortFormsAreTheSame) {
    const std::pair<const char*, const char*> forms[] = {
        {"!Contains [[a, b], !Ref Env]", "{'Fn::Contains': [[a, b], !Ref Env]}"},
        {"!EachMemberEquals [!Ref Subnets, x]", "{'Fn::EachMemberEquals': [!Ref Subnets, x]}"},
        {"!EachMemberIn [!ValueOfAll ['AWS::EC2::Subnet::Id', VpcId], !RefAll 'AWS::EC2::VPC::Id']",
         "{'Fn::EachMemberIn': [{'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', VpcId]}, {'Fn::RefAll': 'AWS::EC2::VPC::Id'}]}"},
        {"!Equals [!ValueOf [Env, Tag], prod]", "{'Fn::Equals': [{'Fn::ValueOf': [Env, Tag]}, prod]}"},
    };
    for (const auto& [short_form, long_form] : forms) {
        auto with = [](const char* assert_value) {
            return std::string("Parameters:\n  Env: {Type: String}\n  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
                               "Rules:\n  R:\n    RuleCondition: !Equals [!Ref Env, prod]\n    Assertions:\n"
                               "      - Assert: ") + assert_value + "\n        AssertDescription: checked\n"
                               "Resources:\n  A: {Type: AWS::SNS::Topic}\n";
        };
        Template a = parse_ok(with(short_form));
        Template b = parse_ok(with(long_form));
        const Value& assert_a = a.rules->find("R")->find("Assertions")->items()[0];
        const Value& assert_b = b.rules->find("R")->find("Assertions")->items()[0];
        EXPECT_TRUE(assert_a.same_as(assert_b)) << short_form << " vs " << long_form;
        EXPECT_TRUE(!assert_a.find("Assert")->function_name().empty()) << short_form;
    }
}

TEST(RuleFunctions, OnlyInRulesAndWithTheirArguments) {
    EXPECT_EQ(parse_errors("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !Contains [[a], a]}\n"),
              "t.yaml:4:29: Fn::Contains is a rule function: only the Rules section may use it");
    std::string rules = "Parameters:\n  Env: {Type: String}\nRules:\n  R:\n    Assertions:\n      - Assert: ";
    std::string resources = "\nResources:\n  A: {Type: AWS::SNS::Topic}\n";
    EXPECT_EQ(parse_errors(rules + "!Contains [a, b]" + resources),
              "t.yaml:6:17: Fn::Contains expects [list of strings, string], found [\"a\", \"b\"]");
    EXPECT_EQ(parse_errors(rules + "!EachMemberIn [[a], b]" + resources),
              "t.yaml:6:17: Fn::EachMemberIn expects [list of strings, list of strings], found [[\"a\"], \"b\"]");
    EXPECT_EQ(parse_errors(rules + "!RefAll [x]" + resources),
              "t.yaml:6:17: Fn::RefAll expects a parameter type, e.g. 'AWS::EC2::VPC::Id', found [\"x\"]");
    EXPECT_EQ(parse_errors(rules + "!Equals [!ValueOf [Envv, Tag], a]" + resources),
              "t.yaml:6:36: Fn::ValueOf names the parameter 'Envv', which the template does not declare");
    EXPECT_EQ(parse_errors("Rules:\n  R:\n    Assert: !Equals [a, b]\nResources:\n  A: {Type: AWS::SNS::Topic}\n"),
              "t.yaml:3:5: rule R: unknown attribute 'Assert'; a rule has RuleCondition and Assertions\n"
              "t.yaml:2:3: rule R has no Assertions; add a list of {Assert: condition, AssertDescription: text}");
}

// --- macros ---------------------------------------------------------------------------------

TEST(Macros, WhatOnlyTheMacroUnderstandsIsKeptAsWritten) {
    Template t = parse_ok(R"(Transform: [AcmeExpander, AWS::Serverless-2016-10-31]
Expansions:
  count: 3
Parameters:
  Size: {Type: Number, AcmeHint: small}
Resources:
  Service:
    Type: AWS::ECS::Service
    AcmeSidecars: [envoy]
    Properties: {DesiredCount: 2}
  Replicated:
    AcmeTemplate: web
  web-1:
    Type: AWS::SNS::Topic
Outputs:
  Url:
    Value: !GetAtt Service.Name
    AcmeExport: true
)");
    EXPECT_EQ(kept_paths(t), (std::vector<std::string>{"Expansions", "Parameters.Size.AcmeHint", "Resources.Service.AcmeSidecars",
                                                       "Resources.Replicated", "Resources.web-1", "Outputs.Url.AcmeExport"}));
    EXPECT_EQ(t.kept_as_written[0].reason, "only the macro 'AcmeExpander' understands it");
    ASSERT_EQ(t.resources.size(), 1u);
    EXPECT_EQ(t.resources[0].logical_id, "Service");
}

TEST(Macros, WithoutTheMacroTheSameIsRefused) {
    EXPECT_EQ(parse_errors("Resources:\n  Service:\n    Type: AWS::ECS::Service\n    AcmeSidecars: [envoy]\n"),
              "t.yaml:4:5: resource Service: unknown resource attribute 'AcmeSidecars'");
}

TEST(Macros, FnTransformAsAnEntryIsKept) {
    Template t = parse_ok("Resources:\n  Fn::Transform:\n    Name: AWS::Include\n    Parameters: {Location: s3://b/k.yaml}\n"
                          "  A: {Type: AWS::SNS::Topic}\n");
    EXPECT_EQ(kept_paths(t), std::vector<std::string>{"Resources.Fn::Transform"});
}

// --- the note a diff carries ----------------------------------------------------------------

TEST(TransformNote, SaysTheTemplatesAreComparedBeforeTheTransformsAndWhatChangedAsWritten) {
    Template old_t = parse_ok(sam_template);
    std::string changed = sam_template;
    changed.replace(changed.find("python3.12"), 10, "python3.13");
    Template new_t = parse_ok(changed);
    auto note = transform_note(old_t, new_t);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->text, "compared as written, before AWS::Serverless-2016-10-31 run: the resources and properties they "
                          "generate or change are not in this diff; kept as written and different: Globals (changed)");
    ASSERT_EQ(note->kept_as_written.size(), 1u);
    EXPECT_EQ(note->kept_as_written[0].path, "Globals");
    Template plain = parse_ok("Resources:\n  A: {Type: AWS::SNS::Topic}\n");
    Template plain2 = parse_ok("Resources:\n  A: {Type: AWS::SNS::Topic}\n");
    EXPECT_FALSE(transform_note(plain, plain2).has_value());
}

}  // namespace
}  // namespace stackshift::cfn
