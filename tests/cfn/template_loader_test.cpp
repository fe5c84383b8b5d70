// The template loader: every short-form tag, scalar typing, JSON and YAML into one model,
// structure checks, and error positions.

#include "cfn/template.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_errors;
using testing::parse_ok;

// A template with one resource whose property `P` is the given YAML snippet.
std::string with_property(const std::string& snippet) {
    return "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n      P: " + snippet + "\n";
}

const Value& property(const Template& t) { return *t.resource("R")->properties->find("P"); }

std::string display_of(const std::string& snippet) {
    Template t = parse_ok(with_property(snippet));
    if (t.resource("R") == nullptr) return "(not loaded)";
    return property(t).to_display();
}

TEST(TemplateLoader, RefShortFormBecomesLongForm) { EXPECT_EQ(display_of("!Ref Bucket"), R"({"Ref": "Bucket"})"); }

TEST(TemplateLoader, GetAttDottedFormSplitsAtFirstDot) {
    EXPECT_EQ(display_of("!GetAtt Db.Endpoint.Address"), R"({"Fn::GetAtt": ["Db", "Endpoint.Address"]})");
}

TEST(TemplateLoader, GetAttListFormEqualsDottedForm) {
    Template a = parse_ok(with_property("!GetAtt Db.Arn"));
    Template b = parse_ok(with_property("!GetAtt [Db, Arn]"));
    Template c = parse_ok(with_property("{\"Fn::GetAtt\": [Db, Arn]}"));
    EXPECT_TRUE(property(a).same_as(property(b)));
    EXPECT_TRUE(property(a).same_as(property(c)));
}

// The string form {"Fn::GetAtt": "A.B"} (JSON, or long-form YAML) is split on load like the
// short form, so the diff and the reference scan see one shape (it used to stay a string).
TEST(TemplateLoader, GetAttStringFormEqualsListFormInEveryReader) {
    const char* forms[] = {"!GetAtt Db.Endpoint.Address", "!GetAtt [Db, Endpoint.Address]",
                           "{\"Fn::GetAtt\": [Db, Endpoint.Address]}", "{\"Fn::GetAtt\": Db.Endpoint.Address}",
                           "\n        Fn::GetAtt: Db.Endpoint.Address", "\n        Fn::GetAtt:\n          - Db\n          - Endpoint.Address"};
    for (const char* form : forms) {
        EXPECT_EQ(display_of(form), R"({"Fn::GetAtt": ["Db", "Endpoint.Address"]})") << form;
    }
    const char* json = R"({"Resources": {"R": {"Type": "AWS::SNS::Topic", "Properties": {"P": {"Fn::GetAtt": "Db.Arn"}}}}})";
    Template from_json = parse_ok(json, "t.json");
    Template from_yaml = parse_ok(with_property("!GetAtt Db.Arn"));
    EXPECT_EQ(property(from_json).to_display(), R"({"Fn::GetAtt": ["Db", "Arn"]})");
    EXPECT_TRUE(property(from_json).same_as(property(from_yaml)));
}

TEST(TemplateLoader, GetAttStringWithoutAttributeIsRefused) {
    EXPECT_EQ(parse_errors(with_property("{\"Fn::GetAtt\": Db}")),
              "t.yaml:5:25: Fn::GetAtt expects 'Resource.Attribute' or [Resource, Attribute], found 'Db'");
    EXPECT_EQ(parse_errors(R"({"Resources": {"R": {"Type": "AWS::SNS::Topic", "Properties": {"P": {"Fn::GetAtt": "Db."}}}}})", "t.json"),
              "t.json:1:84: Fn::GetAtt expects 'Resource.Attribute' or [Resource, Attribute], found 'Db.'");
}

TEST(TemplateLoader, EveryShortFormTag) {
    const std::pair<const char*, const char*> cases[] = {
        {"!Sub 'arn:${AWS::Partition}:s3:::b'", R"({"Fn::Sub": "arn:${AWS::Partition}:s3:::b"})"},
        {"!Join [',', [a, b]]", R"({"Fn::Join": [",", ["a", "b"]]})"},
        {"!If [IsProd, 1, 2]", R"({"Fn::If": ["IsProd", 1, 2]})"},
        {"!Equals [a, b]", R"({"Fn::Equals": ["a", "b"]})"},
        {"!Not [!Condition IsProd]", R"({"Fn::Not": [{"Condition": "IsProd"}]})"},
        {"!And [!Condition A, !Condition B]", R"({"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]})"},
        {"!Or [!Condition A, !Condition B]", R"({"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]})"},
        {"!FindInMap [RegionMap, !Ref 'AWS::Region', AMI]", R"({"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "AMI"]})"},
        {"!Select [0, !GetAZs '']", R"({"Fn::Select": [0, {"Fn::GetAZs": ""}]})"},
        {"!Split [',', 'a,b']", R"({"Fn::Split": [",", "a,b"]})"},
        {"!Base64 'hello'", R"({"Fn::Base64": "hello"})"},
        {"!Cidr [10.0.0.0/16, 4, 8]", R"({"Fn::Cidr": ["10.0.0.0/16", 4, 8]})"},
        {"!ImportValue shared-VpcId", R"({"Fn::ImportValue": "shared-VpcId"})"},
        {"!GetAZs eu-west-1", R"({"Fn::GetAZs": "eu-west-1"})"},
        {"!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
         R"({"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}})"},
        {"!Condition IsProd", R"({"Condition": "IsProd"})"},
    };
    for (const auto& [snippet, expected] : cases) EXPECT_EQ(display_of(snippet), expected) << snippet;
}

TEST(TemplateLoader, SubWithVariableMap) {
    std::string text = with_property("!Sub\n        - 'https://${Host}/${AWS::Region}'\n        - Host: !GetAtt Lb.DNSName");
    EXPECT_EQ(display_of("!Sub\n        - 'https://${Host}/${AWS::Region}'\n        - Host: !GetAtt Lb.DNSName"),
              R"({"Fn::Sub": ["https://${Host}/${AWS::Region}", {"Host": {"Fn::GetAtt": ["Lb", "DNSName"]}}]})");
}

TEST(TemplateLoader, NestedTagsInsideSequences) {
    EXPECT_EQ(display_of("!If [HasSnapshot, !Ref SnapshotId, !Ref 'AWS::NoValue']"),
              R"({"Fn::If": ["HasSnapshot", {"Ref": "SnapshotId"}, {"Ref": "AWS::NoValue"}]})");
    EXPECT_EQ(display_of("!Join ['', [!Ref A, !Sub '${B}-x']]"), R"({"Fn::Join": ["", [{"Ref": "A"}, {"Fn::Sub": "${B}-x"}]]})");
}

TEST(TemplateLoader, LongFormsStayAsWritten) {
    EXPECT_EQ(display_of("{\"Fn::Base64\": {\"Fn::Sub\": \"x${A}\"}}"), R"({"Fn::Base64": {"Fn::Sub": "x${A}"}})");
}

TEST(TemplateLoader, BlockAndFoldedStrings) {
    std::string text =
        "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n"
        "      Literal: |\n        line one\n        line two\n"
        "      Folded: >\n        one\n        two\n"
        "      Stripped: |-\n        keep\n";
    Template t = parse_ok(text);
    const Value& p = *t.resource("R")->properties;
    EXPECT_EQ(p.find("Literal")->text(), "line one\nline two\n");
    EXPECT_EQ(p.find("Folded")->text(), "one two\n");
    EXPECT_EQ(p.find("Stripped")->text(), "keep");
}

TEST(TemplateLoader, ScalarsAreTypedByTheYaml12CoreSchema) {
    std::string text =
        "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n"
        "      Yes: yes\n      On: on\n      True: true\n      TrueCaps: TRUE\n      Int: 42\n      Hex: 0x1F\n"
        "      Float: 1.5e3\n      Quoted: '42'\n      Null: ~\n      Empty:\n      Version: 3.14.2\n";
    Template t = parse_ok(text);
    const Value& p = *t.resource("R")->properties;
    EXPECT_EQ(p.find("Yes")->kind(), Kind::string);
    EXPECT_EQ(p.find("On")->kind(), Kind::string);
    EXPECT_EQ(p.find("True")->kind(), Kind::boolean);
    EXPECT_EQ(p.find("TrueCaps")->kind(), Kind::boolean);
    EXPECT_EQ(p.find("Int")->kind(), Kind::number);
    EXPECT_EQ(p.find("Hex")->kind(), Kind::number);
    EXPECT_EQ(p.find("Float")->kind(), Kind::number);
    EXPECT_EQ(p.find("Quoted")->kind(), Kind::string);
    EXPECT_EQ(p.find("Null")->kind(), Kind::null);
    EXPECT_EQ(p.find("Empty")->kind(), Kind::null);
    EXPECT_EQ(p.find("Version")->kind(), Kind::string);
    EXPECT_EQ(p.find("Yes")->text(), "yes");
}

TEST(TemplateLoader, CoreTagsOverrideTyping) {
    EXPECT_EQ(display_of("!!str 42"), R"("42")");
}

TEST(TemplateLoader, ValuesCompareAsCloudFormationSeesThem) {
    Template a = parse_ok(with_property("[1, true, 1.0]"));
    Template b = parse_ok(with_property("['1', 'true', 1]"));
    EXPECT_TRUE(property(a).same_as(property(b)));
    Template c = parse_ok(with_property("'01'"));
    Template d = parse_ok(with_property("'1'"));
    EXPECT_FALSE(property(c).same_as(property(d)));
}

TEST(TemplateLoader, AnchorsAndAliasesAreCopied) {
    std::string text =
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: &props\n      TopicName: x\n"
        "  B:\n    Type: AWS::SNS::Topic\n    Properties: *props\n";
    Template t = parse_ok(text);
    EXPECT_EQ(t.resource("B")->properties->find("TopicName")->text(), "x");
}

TEST(TemplateLoader, ReadsEverySection) {
    std::string text = R"(AWSTemplateFormatVersion: '2010-09-09'
Description: all sections
Metadata: {Owner: ops}
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: {Type: String, Default: dev}
Rules:
  ProdOnly:
    Assertions:
      - Assert: !Equals [!Ref Env, prod]
Mappings:
  M: {k: {v: 1}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  T: {Type: 'AWS::SNS::Topic', Condition: IsProd, DependsOn: [U], DeletionPolicy: Retain, UpdateReplacePolicy: Snapshot}
  U: {Type: 'AWS::SNS::Topic', DependsOn: T2, Metadata: {a: 1}}
  T2: {Type: 'AWS::SNS::Topic'}
Outputs:
  Arn:
    Value: !Ref T
    Condition: IsProd
    Export: {Name: !Sub '${AWS::StackName}-Arn'}
)";
    Template t = parse_ok(text);
    EXPECT_EQ(t.format_version, "2010-09-09");
    EXPECT_EQ(t.description, "all sections");
    ASSERT_NE(t.metadata, nullptr);
    ASSERT_NE(t.transform, nullptr);
    ASSERT_NE(t.rules, nullptr);
    ASSERT_NE(t.mappings, nullptr);
    ASSERT_NE(t.condition("IsProd"), nullptr);
    const Resource* r = t.resource("T");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->condition, "IsProd");
    EXPECT_EQ(r->depends_on, std::vector<std::string>{"U"});
    EXPECT_EQ(r->deletion_policy, "Retain");
    EXPECT_EQ(r->update_replace_policy, "Snapshot");
    EXPECT_EQ(t.resource("U")->depends_on, std::vector<std::string>{"T2"});
    ASSERT_NE(t.output("Arn"), nullptr);
    EXPECT_EQ(t.output("Arn")->condition, "IsProd");
    EXPECT_EQ(t.output("Arn")->export_name->to_display(), R"({"Fn::Sub": "${AWS::StackName}-Arn"})");
}

TEST(TemplateLoader, ParametersKeepEveryConstraint) {
    std::string text = R"(Parameters:
  Size:
    Type: Number
    Default: 100
    MinValue: 10
    MaxValue: 16384
    Description: volume size
    ConstraintDescription: between 10 and 16384 GiB
  Name:
    Type: String
    AllowedPattern: '[a-z]+'
    MinLength: 1
    MaxLength: 12
  Password:
    Type: String
    NoEcho: true
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: [subnet-1, subnet-2]
  Family:
    Type: String
    AllowedValues: [m5, r5]
Resources:
  T: {Type: 'AWS::SNS::Topic'}
)";
    Template t = parse_ok(text);
    const Parameter* size = t.parameter("Size");
    ASSERT_NE(size, nullptr);
    EXPECT_EQ(size->type, "Number");
    EXPECT_EQ(size->default_value, "100");
    EXPECT_EQ(size->min_value, 10);
    EXPECT_EQ(size->max_value, 16384);
    EXPECT_EQ(size->description, "volume size");
    EXPECT_EQ(size->constraint_description, "between 10 and 16384 GiB");
    EXPECT_EQ(t.parameter("Name")->allowed_pattern, "[a-z]+");
    EXPECT_EQ(t.parameter("Name")->min_length, 1u);
    EXPECT_EQ(t.parameter("Name")->max_length, 12u);
    EXPECT_TRUE(t.parameter("Password")->no_echo);
    EXPECT_EQ(t.parameter("Subnets")->default_value, "subnet-1,subnet-2");
    EXPECT_EQ(t.parameter("Family")->allowed_values, (std::vector<std::string>{"m5", "r5"}));
}

TEST(TemplateLoader, JsonAndYamlGiveTheSameModel) {
    std::string yaml = R"(Parameters:
  Env: {Type: String, Default: dev}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${Env}-data'
      Tags:
        - {Key: env, Value: !Ref Env}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Resource: !GetAtt Bucket.Arn
)";
    std::string json = R"({
  "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
  "Resources": {
    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {
      "BucketName": {"Fn::Sub": "${Env}-data"},
      "Tags": [{"Key": "env", "Value": {"Ref": "Env"}}]}},
    "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
      "Bucket": {"Ref": "Bucket"},
      "PolicyDocument": {"Statement": [{"Effect": "Allow", "Resource": {"Fn::GetAtt": ["Bucket", "Arn"]}}]}}}
  }
})";
    Template a = parse_ok(yaml, "t.yaml");
    Template b = parse_ok(json, "t.json");
    EXPECT_TRUE(a.document.same_as(b.document)) << a.document.to_display() << "\n" << b.document.to_display();
}

TEST(TemplateLoader, JsonIsDetectedByContent) { EXPECT_EQ(detect_format("  \n{\"Resources\": {}}"), Format::json); }

// --- errors --------------------------------------------------------------------------------

TEST(TemplateLoaderErrors, DuplicateKeyNamesBothPlaces) {
    std::string text = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n";
    EXPECT_EQ(parse_errors(text), "t.yaml:4:3: duplicate key 'A' (first defined at line 2)");
}

TEST(TemplateLoaderErrors, DuplicateKeyInLargeMap) {
    std::string text = "Resources:\n";
    for (int i = 0; i < 40; ++i) text += "  R" + std::to_string(i) + ": {Type: 'AWS::SNS::Topic'}\n";
    text += "  R7: {Type: 'AWS::SNS::Topic'}\n";
    EXPECT_EQ(parse_errors(text), "t.yaml:42:3: duplicate key 'R7' (first defined at line 9)");
}

TEST(TemplateLoaderErrors, DuplicateKeyInJson) {
    EXPECT_EQ(parse_errors("{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"},\n \"A\": {}}}", "t.json"),
              "t.json:2:2: duplicate key 'A' (first defined at line 1)");
}

TEST(TemplateLoaderErrors, UnknownTagIsNamedWithSuggestion) {
    std::string errors = parse_errors(with_property("!GetAttr Db.Arn"));
    EXPECT_TRUE(errors.starts_with("t.yaml:5:10: unknown tag '!GetAttr' (did you mean '!GetAtt'?); CloudFormation knows !Ref"))
        << errors;
}

TEST(TemplateLoaderErrors, EveryProblemIsReportedAtOnce) {
    std::string text = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Foo 1\n      Y: !Bar 2\n";
    std::string errors = parse_errors(text);
    EXPECT_NE(errors.find("t.yaml:5:10: unknown tag '!Foo'"), std::string::npos) << errors;
    EXPECT_NE(errors.find("t.yaml:6:10: unknown tag '!Bar'"), std::string::npos) << errors;
}

TEST(TemplateLoaderErrors, MalformedYamlHasPosition) {
    std::string errors = parse_errors("Resources:\n  A:\n    Type: [unclosed\n");
    EXPECT_EQ(errors, "t.yaml:4:1: invalid YAML: flow sequence without a closing bracket");
}

TEST(TemplateLoaderErrors, MalformedJsonHasPosition) {
    EXPECT_EQ(parse_errors("{\n  \"Resources\": {\n    \"A\": {\"Type\": \"X\",}\n  }\n}", "t.json"),
              "t.json:3:23: invalid JSON: unexpected '}', expected a quoted key");
    EXPECT_EQ(parse_errors("{\"Resources\": [1, 2", "t.json"), "t.json:1:20: invalid JSON: unexpected end of file, expected ',' or ']'");
    EXPECT_EQ(parse_errors("", "t.json"), "t.json:1:1: invalid JSON: the file is empty, expected an object");
}

TEST(TemplateLoaderErrors, TemplateOverOneMegabyteIsRefused) {
    std::string text = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n# " + std::string(max_template_bytes, 'x') + "\n";
    EXPECT_EQ(parse_errors(text),
              "t.yaml: the template is " + std::to_string(text.size()) +
                  " bytes, over CloudFormation's limit of 1 MB (1048576 bytes); split it into nested stacks");
}

TEST(TemplateLoaderErrors, UnknownSectionSuggestsTheRightOne) {
    EXPECT_EQ(parse_errors("Resource:\n  A: {Type: 'AWS::SNS::Topic'}\n"),
              "t.yaml:1:1: unknown template section 'Resource' (did you mean 'Resources'?); sections are "
              "AWSTemplateFormatVersion, Description, Metadata, Parameters, Rules, Mappings, Conditions, Transform, "
              "Resources, Outputs, Hooks\n"
              "t.yaml:1:1: the template has no Resources section; CloudFormation requires at least one resource: add one, "
              "e.g. 'Resources: {Placeholder: {Type: AWS::CloudFormation::WaitConditionHandle}}'");
}

TEST(TemplateLoaderErrors, EmptyResourcesIsRefusedWithAPlaceholderToAdd) {
    EXPECT_EQ(parse_errors("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"),
              "t.yaml:2:12: the Resources section is empty ('{}'); CloudFormation requires at least one resource: "
              "declare one, e.g. 'Placeholder: {Type: AWS::CloudFormation::WaitConditionHandle}'");
}

TEST(TemplateLoaderErrors, ResourceWithoutType) {
    EXPECT_EQ(parse_errors("Resources:\n  A:\n    Properties: {}\n"), "t.yaml:2:3: resource A has no Type");
}

TEST(TemplateLoaderErrors, UnknownResourceAttribute) {
    EXPECT_EQ(parse_errors("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DeletionPolcy: Retain\n"),
              "t.yaml:4:5: resource A: unknown resource attribute 'DeletionPolcy' (did you mean 'DeletionPolicy'?)");
}

TEST(TemplateLoaderErrors, BadDeletionPolicy) {
    EXPECT_EQ(parse_errors("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Keep\n"),
              "t.yaml:4:21: resource A: DeletionPolicy must be one of Delete, Retain, RetainExceptOnCreate, Snapshot, found 'Keep'");
}

TEST(TemplateLoaderErrors, UnknownParameterType) {
    EXPECT_EQ(parse_errors("Parameters:\n  P:\n    Type: Strng\nResources:\n  A: {Type: 'AWS::SNS::Topic'}\n"),
              "t.yaml:3:11: parameter P: unknown parameter type 'Strng' (did you mean 'String'?)");
}

TEST(TemplateLoaderErrors, GetAttWithoutAttribute) {
    EXPECT_EQ(parse_errors(with_property("!GetAtt Db")), "t.yaml:5:10: !GetAtt expects 'Resource.Attribute', found 'Db'");
}

TEST(TemplateLoaderErrors, RefOfAList) {
    EXPECT_EQ(parse_errors(with_property("!Ref [a, b]")), "t.yaml:5:10: !Ref expects a name, found a list");
}

TEST(TemplateLoaderErrors, DeepNestingIsRefusedNotRecursed) {
    std::string deep(5000, '[');
    std::string errors = parse_errors(with_property(deep));
    EXPECT_NE(errors.find("nesting deeper than 200 levels"), std::string::npos) << errors;
    std::string json = "{\"Resources\": " + std::string(5000, '[');
    EXPECT_NE(parse_errors(json, "t.json").find("nesting deeper than 200 levels"), std::string::npos);
}

TEST(TemplateLoaderErrors, AliasBombIsRefused) {
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; ++c) {
        text += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + prev;
        text += "]\n";
        prev = c;
    }
    std::string errors = parse_errors(text);
    EXPECT_NE(errors.find("aliases expand to more than 1000000 nodes"), std::string::npos) << errors;
}

TEST(TemplateLoaderErrors, SecondDocumentIsRefused) {
    EXPECT_EQ(parse_errors("Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n---\nResources: {}\n"),
              "t.yaml:3:1: a template holds one YAML document, found a second one");
}

TEST(TemplateLoaderErrors, InvalidUtf8IsRefusedWithPosition) {
    EXPECT_EQ(parse_errors("Resources:\n  A: {Type: 'AWS::SNS::Topic', Properties: {DisplayName: 'cl\x8b\x8cter'}}\n"),
              "t.yaml:2:61: invalid UTF-8; a template must be UTF-8 text (save it as UTF-8)");
    EXPECT_EQ(parse_errors("{\"Resources\": {\"\xff\": 1}}", "t.json"),
              "t.json:1:17: invalid UTF-8; a template must be UTF-8 text (save it as UTF-8)");
}

TEST(TemplateLoaderErrors, MalformedUtf8InADirectiveDoesNotHang) {
    EXPECT_EQ(parse_errors("%JReader cl\213\214ter wi1 "), "t.yaml:1:12: invalid UTF-8; a template must be UTF-8 text (save it as UTF-8)");
}

TEST(TemplateLoaderErrors, MissingFileIsNamed) {
    auto result = load_template("/nonexistent/t.yaml");
    ASSERT_FALSE(result);
    EXPECT_EQ(to_string(result.diagnostics()), "/nonexistent/t.yaml: cannot read file: No such file or directory");
}

}  // namespace
}  // namespace stackshift::cfn
