#include "cfn/parameter_validator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "cfn/java_regex.hpp"
#include "core/text.hpp"

namespace stackshift::cfn {

namespace {

constexpr std::array aws_specific_types{
    std::string_view("AWS::EC2::AvailabilityZone::Name"), std::string_view("AWS::EC2::Image::Id"),
    std::string_view("AWS::EC2::Instance::Id"),           std::string_view("AWS::EC2::KeyPair::KeyName"),
    std::string_view("AWS::EC2::SecurityGroup::GroupName"), std::string_view("AWS::EC2::SecurityGroup::Id"),
    std::string_view("AWS::EC2::Subnet::Id"),             std::string_view("AWS::EC2::Volume::Id"),
    std::string_view("AWS::EC2::VPC::Id"),                std::string_view("AWS::Route53::HostedZone::Id"),
};

bool is_aws_specific(std::string_view type) {
    return std::find(aws_specific_types.begin(), aws_specific_types.end(), type) != aws_specific_types.end();
}

// "List<X>" -> "X", else nullopt.
std::optional<std::string_view> list_element(std::string_view type) {
    if (type.starts_with("List<") && type.ends_with(">")) return type.substr(5, type.size() - 6);
    return std::nullopt;
}

ParameterType plain_type(std::string_view type) {
    ParameterType t;
    if (type == "String" || type == "Number" || is_aws_specific(type)) {
        t.valid = true;
        t.is_number = type == "Number";
        t.aws_specific = is_aws_specific(type);
        t.element = std::string(type);
        return t;
    }
    if (type == "CommaDelimitedList") {
        t.valid = t.is_list = true;
        t.element = "String";
        return t;
    }
    if (auto element = list_element(type)) {
        if (*element == "Number" || *element == "String" || is_aws_specific(*element)) {
            t.valid = t.is_list = true;
            t.is_number = *element == "Number";
            t.aws_specific = is_aws_specific(*element);
            t.element = std::string(*element);
        }
    }
    return t;
}

std::optional<double> to_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (*begin == '+') ++begin;
    double out = 0;
    auto [ptr, ec] = std::from_chars(begin, end, out);
    if (ec != std::errc() || ptr != end || !std::isfinite(out)) return std::nullopt;
    return out;
}

std::string format_number(double d) {
    if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    std::string s = std::to_string(d);
    while (!s.empty() && s.back() == '0') s.pop_back();
    return s;
}

std::vector<std::string_view> split_list(std::string_view value) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto comma = value.find(',', start);
        std::string_view part = value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        // CloudFormation trims the blanks around list elements.
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        parts.push_back(part);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return parts;
}

}  // namespace

ParameterType parse_parameter_type(std::string_view type) {
    constexpr std::string_view ssm_value = "AWS::SSM::Parameter::Value<";
    if (type == "AWS::SSM::Parameter::Name") {
        ParameterType t;
        t.valid = t.is_ssm = true;
        t.element = "String";
        return t;
    }
    if (type.starts_with(ssm_value) && type.ends_with(">")) {
        std::string_view inner = type.substr(ssm_value.size(), type.size() - ssm_value.size() - 1);
        ParameterType t = plain_type(inner);
        if (inner == "Number") t.valid = false;  // SSM parameters hold strings, not numbers
        t.is_ssm = true;
        // The stack parameter's value is the SSM parameter's name, a single string.
        t.is_list = false;
        t.is_number = false;
        return t;
    }
    return plain_type(type);
}

std::vector<std::string> known_parameter_types() {
    std::vector<std::string> types{"String", "Number", "List<Number>", "CommaDelimitedList",
                                   "AWS::SSM::Parameter::Name", "AWS::SSM::Parameter::Value<String>",
                                   "AWS::SSM::Parameter::Value<List<String>>",
                                   "AWS::SSM::Parameter::Value<CommaDelimitedList>"};
    for (auto t : aws_specific_types) {
        types.emplace_back(t);
        types.push_back("List<" + std::string(t) + ">");
        types.push_back("AWS::SSM::Parameter::Value<" + std::string(t) + ">");
        types.push_back("AWS::SSM::Parameter::Value<List<" + std::string(t) + ">>");
    }
    return types;
}

std::optional<bool> matches_whole(std::string_view pattern, std::string_view value) {
    return java_regex(pattern).matches(value);
}

std::optional<std::string> validate_parameter_value(const Parameter& parameter, std::string_view value) {
    std::vector<std::string> problems;
    ParameterType type = parse_parameter_type(parameter.type);
    // A NoEcho value is a secret: never repeat it in a message.
    auto show = [&](std::string_view v) { return parameter.no_echo ? std::string("(NoEcho value)") : quote(v); };
    std::string shown = show(value);

    if (!parameter.allowed_values.empty()) {
        bool allowed = std::find(parameter.allowed_values.begin(), parameter.allowed_values.end(), value) !=
                       parameter.allowed_values.end();
        if (!allowed && type.is_list) {
            // Each element of a list must be one of the allowed values.
            allowed = true;
            for (auto part : split_list(value)) {
                if (std::find(parameter.allowed_values.begin(), parameter.allowed_values.end(), part) ==
                    parameter.allowed_values.end()) {
                    allowed = false;
                }
            }
        }
        if (!allowed) {
            problems.push_back("value " + shown + " is not one of the allowed values: " +
                               join(parameter.allowed_values, ", "));
        }
    }
    if (type.is_number && !type.is_ssm) {
        auto parts = type.is_list ? split_list(value) : std::vector<std::string_view>{value};
        for (auto part : parts) {
            auto number = to_number(part);
            if (!number) {
                problems.push_back("value " + show(part) + " is not a number");
                continue;
            }
            if (parameter.min_value && *number < *parameter.min_value) {
                problems.push_back("value " + show(part) + " is less than the minimum " + format_number(*parameter.min_value));
            }
            if (parameter.max_value && *number > *parameter.max_value) {
                problems.push_back("value " + show(part) + " is greater than the maximum " + format_number(*parameter.max_value));
            }
        }
    }
    if (parameter.allowed_pattern) {
        const JavaRegex& pattern = java_regex(*parameter.allowed_pattern);
        // A pattern stackshift cannot evaluate (a Unicode block) leaves the value to CloudFormation.
        auto matched = pattern.matches(value);
        if (pattern.status() == PatternStatus::invalid) {
            problems.push_back("the template's AllowedPattern " + quote(*parameter.allowed_pattern) +
                               " is not a valid regular expression: " + pattern.problem());
        } else if (matched && !*matched) {
            problems.push_back("value " + shown + " does not match the pattern " + quote(*parameter.allowed_pattern) +
                               " (the whole value must match)");
        }
    }
    if (parameter.min_length && value.size() < *parameter.min_length) {
        problems.push_back("value " + shown + " is " + std::to_string(value.size()) +
                           " characters long, shorter than the minimum length " + std::to_string(*parameter.min_length));
    }
    if (parameter.max_length && value.size() > *parameter.max_length) {
        problems.push_back("value " + shown + " is " + std::to_string(value.size()) +
                           " characters long, longer than the maximum length " + std::to_string(*parameter.max_length));
    }
    if (problems.empty()) return std::nullopt;
    std::string out = "parameter " + parameter.name + ": " + join(problems, "; ");
    if (!parameter.constraint_description.empty()) out += " (" + parameter.constraint_description + ")";
    return out;
}

}  // namespace stackshift::cfn
