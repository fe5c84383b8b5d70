#pragma once
// What a parameter's Type means, and whether a value satisfies a parameter's constraints,
// checked the way CloudFormation checks them, with reasons a user can act on.

#include <cstdint>
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

// One way a value breaks a parameter's constraints, as data: what CloudFormation's own
// message and stackshift's sentence are both written from.
enum class ParameterViolation : std::uint8_t {
    not_allowed,      // not one of AllowedValues (a list: an element is not)
    not_a_number,     // Number, or an element of List<Number>
    below_min_value,  // MinValue
    above_max_value,  // MaxValue
    invalid_pattern,  // the template's AllowedPattern is not a regular expression Java accepts
    no_match,         // AllowedPattern does not match the whole value
    too_short,        // MinLength
    too_long,         // MaxLength
};

struct ParameterProblem {
    ParameterViolation violation = ParameterViolation::not_allowed;
    std::string element;  // the value, or the list element at fault
    std::string limit;    // the bound broken, as CloudFormation prints it ("20", "1.5"); the pattern's problem for invalid_pattern
};

// Every way `value` breaks `parameter`'s constraints, in the order CloudFormation checks
// them; empty when it satisfies them all. A pattern stackshift cannot evaluate is left to
// CloudFormation (no problem).
std::vector<ParameterProblem> check_parameter_value(const Parameter& parameter, std::string_view value);

// Why `value` is not valid for `parameter`, or nullopt when it is. Each problem is a
// sentence: "value 'm5.huge' is not one of the allowed values: m5.large, m5.xlarge".
// The parameter's ConstraintDescription is appended when it has one.
std::optional<std::string> validate_parameter_value(const Parameter& parameter, std::string_view value);

// AllowedPattern as CloudFormation applies it: the whole value must match (Java's syntax, see
// java_regex.hpp). Returns nullopt when the pattern is invalid or cannot be evaluated.
std::optional<bool> matches_whole(std::string_view pattern, std::string_view value);

}  // namespace stackshift::cfn
