#pragma once
// What a parameter's Type means, and whether a value satisfies a parameter's constraints,
// checked the way CloudFormation checks them, with reasons a user can act on.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/template.hpp"

namespace stackshift::cfn {

// A parameter Type taken apart.
struct ParameterType {
    bool valid = false;
    bool is_list = false;     // List<...> or CommaDelimitedList: the value is comma-separated
    bool is_number = false;   // Number or List<Number>: each element must be a number
    bool is_ssm = false;      // the value names an SSM parameter, not the value itself
    bool aws_specific = false;  // AWS::EC2::KeyPair::KeyName and the like: checked against the account
    std::string element;      // "String", "Number" or the AWS-specific type of each element
};

ParameterType parse_parameter_type(std::string_view type);

// Every Type CloudFormation accepts, for "did you mean" suggestions.
std::vector<std::string> known_parameter_types();

// Why `value` is not valid for `parameter`, or nullopt when it is. Each problem is a
// sentence: "value 'm5.huge' is not one of the allowed values: m5.large, m5.xlarge".
// The parameter's ConstraintDescription is appended when it has one.
std::optional<std::string> validate_parameter_value(const Parameter& parameter, std::string_view value);

// AllowedPattern as CloudFormation applies it: the whole value must match (Java's syntax, see
// java_regex.hpp). Returns nullopt when the pattern is invalid or cannot be evaluated.
std::optional<bool> matches_whole(std::string_view pattern, std::string_view value);

}  // namespace stackshift::cfn
