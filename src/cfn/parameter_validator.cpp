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

std::vector<ParameterProblem> check_parameter_value(const Parameter& parameter, std::string_view value) {
    std::vector<ParameterProblem> problems;
    ParameterType type = parse_parameter_type(parameter.type);
    auto add = [&](ParameterViolation violation, std::string_view element, std::string limit = {}) {
        problems.push_back({violation, std::string(element), std::move(limit)});
    };
    const auto& allowed = parameter.allowed_values;
    auto is_allowed = [&](std::string_view v) { return std::find(allowed.begin(), allowed.end(), v) != allowed.end(); };
    if (!allowed.empty() && !is_allowed(value)) {
        // Each element of a list must be one of the allowed values.
        bool each = type.is_list;
        if (each) {
            for (auto part : split_list(value)) each = each && is_allowed(part);
        }
        if (!each) add(ParameterViolation::not_allowed, value);
    }
    if (type.is_number && !type.is_ssm) {
        auto parts = type.is_list ? split_list(value) : std::vector<std::string_view>{value};
        for (auto part : parts) {
            auto number = to_number(part);
            if (!number) {
                add(ParameterViolation::not_a_number, part);
                continue;
            }
            if (parameter.min_value && *number < *parameter.min_value) add(ParameterViolation::below_min_value, part, format_number(*parameter.min_value));
            if (parameter.max_value && *number > *parameter.max_value) add(ParameterViolation::above_max_value, part, format_number(*parameter.max_value));
        }
    }
    if (parameter.allowed_pattern) {
        const JavaRegex& pattern = java_regex(*parameter.allowed_pattern);
        // A pattern stackshift cannot evaluate (a Unicode block) leaves the value to CloudFormation.
        auto matched = pattern.matches(value);
        if (pattern.status() == PatternStatus::invalid) add(ParameterViolation::invalid_pattern, value, pattern.problem());
        else if (matched && !*matched) add(ParameterViolation::no_match, value, *parameter.allowed_pattern);
    }
    if (parameter.min_length && value.size() < *parameter.min_length) add(ParameterViolation::too_short, value, std::to_string(*parameter.min_length));
    if (parameter.max_length && value.size() > *parameter.max_length) add(ParameterViolation::too_long, value, std::to_string(*parameter.max_length));
    return problems;
}

std::optional<std::string> validate_parameter_value(const Parameter& parameter, std::string_view value) {
    auto problems = check_parameter_value(parameter, value);
    if (problems.empty()) return std::nullopt;
    // A NoEcho value is a secret: never repeat it in a message.
    auto show = [&](std::string_view v) { return parameter.no_echo ? std::string("(NoEcho value)") : quote(v); };
    auto length = [](const std::string& v) { return std::to_string(v.size()) + " characters long"; };
    std::vector<std::string> sentences;
    for (const auto& p : problems) {
        std::string shown = show(p.element);
        switch (p.violation) {
        case ParameterViolation::not_allowed:
            sentences.push_back("value " + shown + " is not one of the allowed values: " + join(parameter.allowed_values, ", "));
            break;
        case ParameterViolation::not_a_number: sentences.push_back("value " + shown + " is not a number"); break;
        case ParameterViolation::below_min_value: sentences.push_back("value " + shown + " is less than the minimum " + p.limit); break;
        case ParameterViolation::above_max_value: sentences.push_back("value " + shown + " is greater than the maximum " + p.limit); break;
        case ParameterViolation::invalid_pattern:
            sentences.push_back("the template's AllowedPattern " + quote(*parameter.allowed_pattern) +
                                " is not a valid regular expression: " + p.limit);
            break;
        case ParameterViolation::no_match:
            sentences.push_back("value " + shown + " does not match the pattern " + quote(p.limit) + " (the whole value must match)");
            break;
        case ParameterViolation::too_short:
            sentences.push_back("value " + shown + " is " + length(p.element) + ", shorter than the minimum length " + p.limit);
            break;
        case ParameterViolation::too_long:
            sentences.push_back("value " + shown + " is " + length(p.element) + ", longer than the maximum length " + p.limit);
            break;
        }
    }
    std::string out = "parameter " + parameter.name + ": " + join(sentences, "; ");
    if (!parameter.constraint_description.empty()) out += " (" + parameter.constraint_description + ")";
    return out;
}

}  // namespace stackshift::cfn
