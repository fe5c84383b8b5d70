// The parameter validator: each constraint, with the words a user sees.

#include "cfn/parameter_validator.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

Parameter param(std::string type) {
    Parameter p;
    p.name = "P";
    p.type = std::move(type);
    return p;
}

TEST(ParameterType, PlainAndListTypes) {
    EXPECT_TRUE(parse_parameter_type("String").valid);
    EXPECT_TRUE(parse_parameter_type("Number").is_number);
    auto numbers = parse_parameter_type("List<Number>");
    EXPECT_TRUE(numbers.valid && numbers.is_list && numbers.is_number);
    auto commas = parse_parameter_type("CommaDelimitedList");
    EXPECT_TRUE(commas.valid && commas.is_list && !commas.is_number);
}

TEST(ParameterType, AwsSpecificTypes) {
    auto key = parse_parameter_type("AWS::EC2::KeyPair::KeyName");
    EXPECT_TRUE(key.valid && key.aws_specific && !key.is_list);
    auto subnets = parse_parameter_type("List<AWS::EC2::Subnet::Id>");
    EXPECT_TRUE(subnets.valid && subnets.aws_specific && subnets.is_list);
    EXPECT_EQ(subnets.element, "AWS::EC2::Subnet::Id");
    EXPECT_FALSE(parse_parameter_type("AWS::EC2::Subnet::Name").valid);
    EXPECT_FALSE(parse_parameter_type("List<AWS::EC2::Nope>").valid);
}

TEST(ParameterType, SsmTypes) {
    auto name = parse_parameter_type("AWS::SSM::Parameter::Name");
    EXPECT_TRUE(name.valid && name.is_ssm);
    auto image = parse_parameter_type("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
    EXPECT_TRUE(image.valid && image.is_ssm && image.aws_specific);
    EXPECT_TRUE(parse_parameter_type("AWS::SSM::Parameter::Value<List<String>>").valid);
    EXPECT_TRUE(parse_parameter_type("AWS::SSM::Parameter::Value<CommaDelimitedList>").valid);
    EXPECT_TRUE(parse_parameter_type("AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>").valid);
    EXPECT_FALSE(parse_parameter_type("AWS::SSM::Parameter::Value<Number>").valid);
    EXPECT_FALSE(parse_parameter_type("AWS::SSM::Parameter::Value<Bogus>").valid);
}

TEST(ParameterValidator, AllowedValues) {
    Parameter p = param("String");
    p.allowed_values = {"m5.large", "m5.xlarge"};
    EXPECT_EQ(validate_parameter_value(p, "m5.large"), std::nullopt);
    EXPECT_EQ(validate_parameter_value(p, "m5.huge"),
              "parameter P: value 'm5.huge' is not one of the allowed values: m5.large, m5.xlarge");
}

TEST(ParameterValidator, AllowedPatternMustMatchTheWholeValue) {
    Parameter p = param("String");
    p.allowed_pattern = "[a-z]+";
    EXPECT_EQ(validate_parameter_value(p, "abc"), std::nullopt);
    // A search would find "abc" inside; CloudFormation requires the whole value to match.
    EXPECT_EQ(validate_parameter_value(p, "abc1"),
              "parameter P: value 'abc1' does not match the pattern '[a-z]+' (the whole value must match)");
}

TEST(ParameterValidator, Lengths) {
    Parameter p = param("String");
    p.min_length = 3;
    p.max_length = 5;
    EXPECT_EQ(validate_parameter_value(p, "abcd"), std::nullopt);
    EXPECT_EQ(validate_parameter_value(p, "ab"),
              "parameter P: value 'ab' is 2 characters long, shorter than the minimum length 3");
    EXPECT_EQ(validate_parameter_value(p, "abcdef"),
              "parameter P: value 'abcdef' is 6 characters long, longer than the maximum length 5");
}

TEST(ParameterValidator, NumbersAndBounds) {
    Parameter p = param("Number");
    p.min_value = 10;
    p.max_value = 16384;
    EXPECT_EQ(validate_parameter_value(p, "100"), std::nullopt);
    EXPECT_EQ(validate_parameter_value(p, "1.5e2"), std::nullopt);
    EXPECT_EQ(validate_parameter_value(p, "ten"), "parameter P: value 'ten' is not a number");
    EXPECT_EQ(validate_parameter_value(p, "5"), "parameter P: value '5' is less than the minimum 10");
    EXPECT_EQ(validate_parameter_value(p, "20000"), "parameter P: value '20000' is greater than the maximum 16384");
}

TEST(ParameterValidator, ListOfNumbersChecksEachElement) {
    Parameter p = param("List<Number>");
    p.max_value = 10;
    EXPECT_EQ(validate_parameter_value(p, "1, 2,3"), std::nullopt);
    EXPECT_EQ(validate_parameter_value(p, "1,x,30"),
              "parameter P: value 'x' is not a number; value '30' is greater than the maximum 10");
}

TEST(ParameterValidator, ConstraintDescriptionIsAppended) {
    Parameter p = param("String");
    p.allowed_pattern = "ami-[0-9a-f]+";
    p.constraint_description = "must be an AMI id";
    EXPECT_EQ(validate_parameter_value(p, "image"),
              "parameter P: value 'image' does not match the pattern 'ami-[0-9a-f]+' (the whole value must match) "
              "(must be an AMI id)");
}

TEST(ParameterValidator, NoEchoValueIsNeverRepeated) {
    Parameter p = param("String");
    p.no_echo = true;
    p.min_length = 12;
    auto problem = validate_parameter_value(p, "hunter2");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->find("hunter2"), std::string::npos) << *problem;
    EXPECT_EQ(*problem, "parameter P: value (NoEcho value) is 7 characters long, shorter than the minimum length 12");
}

TEST(ParameterValidator, EveryProblemAtOnce) {
    Parameter p = param("String");
    p.allowed_values = {"abc"};
    p.max_length = 2;
    EXPECT_EQ(validate_parameter_value(p, "xyz"),
              "parameter P: value 'xyz' is not one of the allowed values: abc; value 'xyz' is 3 characters long, "
              "longer than the maximum length 2");
}

TEST(ParameterValidator, InvalidPatternIsReported) {
    EXPECT_EQ(matches_whole("[a-", "a"), std::nullopt);
    EXPECT_EQ(testing::parse_errors("Parameters:\n  P: {Type: String, AllowedPattern: '[a-'}\nResources:\n  A: {Type: 'AWS::SNS::Topic'}\n"),
              "t.yaml:2:37: parameter P: AllowedPattern '[a-' is not a valid regular expression: unclosed character class "
              "(CloudFormation reads it as a Java regular expression; escape a literal with '\\')");
}

}  // namespace
}  // namespace stackshift::cfn
