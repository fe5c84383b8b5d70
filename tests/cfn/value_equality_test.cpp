// Equality as CloudFormation sees it beyond the written form: a Fn::Sub against the literal or
// the reference it comes to.

#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_ok;

// The value of the property P of resource R, parsed from YAML.
Value property(const std::string& yaml_value) {
    Template t = parse_ok("Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n      P: " + yaml_value + "\n");
    const Resource* r = t.resource("R");
    if (r == nullptr || r->properties == nullptr || r->properties->find("P") == nullptr) {
        ADD_FAILURE() << "no property in " << yaml_value;
        return Value();
    }
    return *r->properties->find("P");
}

bool same(const std::string& a, const std::string& b) {
    bool forward = property(a).same_as(property(b));
    EXPECT_EQ(forward, property(b).same_as(property(a))) << a << " vs " << b << ": same_as must be symmetric";
    return forward;
}

TEST(SubEquality, SubWithoutVariablesWasReportedAsChangedAgainstItsLiteral) {
    EXPECT_TRUE(same("!Sub 'arn:aws:s3:::bucket'", "'arn:aws:s3:::bucket'"));
    EXPECT_TRUE(same("{'Fn::Sub': ['plain text', {}]}", "plain text"));
    EXPECT_FALSE(same("!Sub 'plain text'", "'other text'"));
}

TEST(SubEquality, EscapedDollarBraceIsLiteralText) {
    EXPECT_TRUE(same("!Sub 'echo ${!HOME}'", "'echo ${HOME}'"));
    EXPECT_FALSE(same("!Sub 'echo ${!HOME}'", "'echo ${!HOME}'"));
}

TEST(SubEquality, SubOfOneParameterWasReportedAsChangedAgainstRef) {
    EXPECT_TRUE(same("!Sub '${Image}'", "!Ref Image"));
    EXPECT_TRUE(same("!Sub '${AWS::Region}'", "!Ref AWS::Region"));
    EXPECT_FALSE(same("!Sub '${Image}'", "!Ref Tag"));
    EXPECT_FALSE(same("!Sub '${Image}:latest'", "!Ref Image"));
}

TEST(SubEquality, SubOfOneAttributeWasReportedAsChangedAgainstGetAtt) {
    EXPECT_TRUE(same("!Sub '${Db.Endpoint.Address}'", "!GetAtt [Db, Endpoint.Address]"));
    EXPECT_TRUE(same("!Sub '${Db.Arn}'", "{'Fn::GetAtt': [Db, Arn]}"));
    EXPECT_FALSE(same("!Sub '${Db.Arn}'", "!GetAtt [Db, Id]"));
}

TEST(SubEquality, VariableOfItsOwnMapIsNotAParameter) {
    EXPECT_FALSE(same("{'Fn::Sub': ['${Image}', {Image: other}]}", "!Ref Image"));
    EXPECT_TRUE(same("{'Fn::Sub': ['${Image}', {}]}", "!Ref Image"));
}

TEST(SubEquality, NestedSubsCompareInsideListsAndMaps) {
    EXPECT_TRUE(same("[!Sub '${Image}', {Name: !Sub 'app'}]", "[!Ref Image, {Name: app}]"));
    EXPECT_FALSE(same("[!Sub '${Image}', {Name: !Sub 'app'}]", "[!Ref Image, {Name: web}]"));
}

TEST(SubEquality, DiffReportsNoChangeForAnEquivalentSub) {
    std::string before = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                         "      QueueName: !Ref Name\n      Tags: [{Key: app, Value: web}]\n"
                         "Parameters:\n  Name: {Type: String}\n";
    std::string after = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                        "      QueueName: !Sub '${Name}'\n      Tags: [{Key: app, Value: !Sub web}]\n"
                        "Parameters:\n  Name: {Type: String}\n";
    Template a = parse_ok(before);
    Template b = parse_ok(after);
    EXPECT_TRUE(diff_templates(a, b, nullptr).empty());
    ParameterValues values{{{"Name", "jobs"}}};
    EXPECT_TRUE(diff_templates(a, b, &values).empty());
}

}  // namespace
}  // namespace stackshift::cfn
