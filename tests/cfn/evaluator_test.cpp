// Conditions and value resolution for given parameter values.

#include "cfn/evaluator.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_ok;

const char* conditions_template = R"(Parameters:
  Env: {Type: String, Default: dev}
  Size: {Type: Number, Default: 100}
  Snapshot: {Type: String, Default: ''}
  Zones: {Type: CommaDelimitedList, Default: 'a,b,c'}
Mappings:
  RegionMap:
    eu-west-1: {AMI: ami-eu}
    us-east-1: {AMI: ami-us}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsIreland: !Equals [!Ref 'AWS::Region', eu-west-1]
  ProdInIreland: !And [!Condition IsProd, !Condition IsIreland]
  ProdOrIreland: !Or [!Condition IsProd, !Condition IsIreland]
  NotProd: !Not [!Condition IsProd]
  HasSnapshot: !Not [!Equals [!Ref Snapshot, '']]
  Loop: !Not [!Condition Loop]
Resources:
  Topic: {Type: 'AWS::SNS::Topic'}
)";

struct Fixture {
    Template t = parse_ok(conditions_template);
    ParameterValues values;
    Tri check(const char* name) {
        Evaluator e(t, &values);
        return e.condition(name);
    }
    std::string resolve(const std::string& snippet) {
        std::string text = std::string(conditions_template) + "  R:\n    Type: AWS::SNS::Topic\n    Properties:\n      P: " + snippet + "\n";
        Template with = parse_ok(text);
        Evaluator e(with, &values);
        return e.resolve(*with.resource("R")->properties->find("P")).to_display();
    }
};

TEST(Conditions, DefaultsApplyWhenNoValueIsGiven) {
    Fixture f;
    EXPECT_EQ(f.check("IsProd"), Tri::no);
    EXPECT_EQ(f.check("NotProd"), Tri::yes);
    EXPECT_EQ(f.check("HasSnapshot"), Tri::no);
}

TEST(Conditions, GivenValuesAndPseudoParameters) {
    Fixture f;
    f.values.values = {{"Env", "prod"}, {"AWS::Region", "eu-west-1"}, {"Snapshot", "snap-1"}};
    EXPECT_EQ(f.check("IsProd"), Tri::yes);
    EXPECT_EQ(f.check("IsIreland"), Tri::yes);
    EXPECT_EQ(f.check("ProdInIreland"), Tri::yes);
    EXPECT_EQ(f.check("HasSnapshot"), Tri::yes);
}

TEST(Conditions, UnknownPseudoParameterLeavesConditionUnknown) {
    Fixture f;
    f.values.values = {{"Env", "prod"}};
    EXPECT_EQ(f.check("IsIreland"), Tri::unknown);
    EXPECT_EQ(f.check("ProdInIreland"), Tri::unknown);
    EXPECT_EQ(f.check("ProdOrIreland"), Tri::yes);  // one true is enough for Or
    f.values.values = {{"Env", "dev"}};
    EXPECT_EQ(f.check("ProdInIreland"), Tri::no);   // one false is enough for And
}

TEST(Conditions, SelfReferenceIsUnknownNotInfinite) {
    Fixture f;
    EXPECT_EQ(f.check("Loop"), Tri::unknown);
}

TEST(Conditions, WithoutValuesEverythingIsUnknown) {
    Fixture f;
    Evaluator e(f.t, nullptr);
    EXPECT_EQ(e.condition("IsProd"), Tri::unknown);
    EXPECT_EQ(e.exists(""), Tri::yes);
}

TEST(Resolve, IfPicksTheBranchAndNoValueRemovesTheProperty) {
    Fixture f;
    EXPECT_EQ(f.resolve("{A: !If [HasSnapshot, !Ref Snapshot, !Ref 'AWS::NoValue'], B: 1}"), R"({"B": 1})");
    f.values.values = {{"Snapshot", "snap-9"}};
    EXPECT_EQ(f.resolve("{A: !If [HasSnapshot, !Ref Snapshot, !Ref 'AWS::NoValue'], B: 1}"), R"({"A": "snap-9", "B": 1})");
}

TEST(Resolve, FindInMapWithKnownRegion) {
    Fixture f;
    f.values.values = {{"AWS::Region", "us-east-1"}};
    EXPECT_EQ(f.resolve("!FindInMap [RegionMap, !Ref 'AWS::Region', AMI]"), R"("ami-us")");
}

TEST(Resolve, FindInMapWithUnknownRegionStaysAsWritten) {
    Fixture f;
    EXPECT_EQ(f.resolve("!FindInMap [RegionMap, !Ref 'AWS::Region', AMI]"),
              R"({"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "AMI"]})");
}

TEST(Resolve, SubJoinSelectSplit) {
    Fixture f;
    f.values.values = {{"AWS::Region", "eu-west-1"}};
    EXPECT_EQ(f.resolve("!Sub '${Env}-${AWS::Region}-${!Literal}'"), R"("dev-eu-west-1-${Literal}")");
    EXPECT_EQ(f.resolve("!Sub ['${A}/${Size}', {A: !Ref Env}]"), R"("dev/100")");
    EXPECT_EQ(f.resolve("!Join [':', [a, !Ref Env]]"), R"("a:dev")");
    EXPECT_EQ(f.resolve("!Select [1, !Ref Zones]"), R"("b")");
    EXPECT_EQ(f.resolve("!Select [2, !Split ['-', 'x-y-z']]"), R"("z")");
    EXPECT_EQ(f.resolve("!Sub '${Bucket.Arn}/x'"), R"({"Fn::Sub": "${Bucket.Arn}/x"})");
}

TEST(Resolve, RefToResourceStaysSymbolic) {
    Fixture f;
    EXPECT_EQ(f.resolve("!Ref Topic"), R"({"Ref": "Topic"})");
}

TEST(ParameterValuesFile, ReadsScalarsAndLists) {
    testing::TempDir dir;
    std::string path = dir.write("p.yaml", "Env: prod\nSize: 200\nZones: [a, b]\nAWS::Region: eu-west-1\n");
    auto values = load_parameter_values(path);
    ASSERT_TRUE(values) << to_string(values.diagnostics());
    EXPECT_EQ(values->values.at("Env"), "prod");
    EXPECT_EQ(values->values.at("Size"), "200");
    EXPECT_EQ(values->values.at("Zones"), "a,b");
    EXPECT_EQ(values->values.at("AWS::Region"), "eu-west-1");
}

TEST(ParameterValuesFile, RejectsNestedValuesWithPosition) {
    testing::TempDir dir;
    std::string path = dir.write("p.yaml", "Env: prod\nBad: {a: 1}\n");
    auto values = load_parameter_values(path);
    ASSERT_FALSE(values);
    EXPECT_EQ(to_string(values.diagnostics()), path + ":2:6: parameter Bad: expected a string, a number or a list of them");
}

TEST(SubReferences, SkipsLiterals) {
    EXPECT_EQ(sub_references("${A}-${B.Arn}-${!C}-${ AWS::Region }"), (std::vector<std::string>{"A", "B.Arn", "AWS::Region"}));
}

}  // namespace
}  // namespace stackshift::cfn
