#include "cloud/sim/parameter_checks.hpp"

#include <algorithm>

#include "cfn/parameter_validator.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/account.hpp"
#include "core/no_echo.hpp"
#include "core/text.hpp"

namespace stackshift::cloud::sim {

namespace {

[[noreturn]] void refuse(const std::string& message) { throw CloudError("ValidationError", message); }

// AWS's text for a value that breaks a constraint. A ConstraintDescription replaces the
// generic sentence whatever the constraint ("Parameter X failed to satisfy constraint: ...").
std::string refusal(const cfn::Parameter& p, const cfn::ParameterProblem& problem) {
    if (!p.constraint_description.empty()) return "Parameter " + p.name + " failed to satisfy constraint: " + p.constraint_description;
    std::string head = "Parameter '" + p.name + "' must ";
    switch (problem.violation) {
    case cfn::ParameterViolation::not_allowed: return head + "be one of AllowedValues";
    case cfn::ParameterViolation::not_a_number: return head + "be a number";
    case cfn::ParameterViolation::below_min_value: return head + "be a number not less than " + problem.limit;
    case cfn::ParameterViolation::above_max_value: return head + "be a number not greater than " + problem.limit;
    case cfn::ParameterViolation::no_match: return head + "match pattern " + problem.limit;
    case cfn::ParameterViolation::too_short: return head + "contain at least " + problem.limit + " characters";
    case cfn::ParameterViolation::too_long: return head + "contain at most " + problem.limit + " characters";
    case cfn::ParameterViolation::invalid_pattern: break;  // the template loader refuses the template first
    }
    return {};
}

// Given ones, then previous ones for UsePreviousValue.
StringMap given_values(const SimStack& stack, const std::vector<ParameterInput>& inputs, const cfn::Template& t) {
    std::vector<std::string> unknown;
    for (const auto& in : inputs) {
        if (t.parameter(in.key) == nullptr) unknown.push_back(in.key);
    }
    if (!unknown.empty() && t.parameters.empty()) refuse("Parameter values specified for a template which does not require them.");
    if (!unknown.empty()) refuse("Parameters: [" + join(unknown, ", ") + "] do not exist in the template");
    StringMap out;
    for (const auto& in : inputs) {
        if (!in.use_previous_value) {
            out[in.key] = in.value;
            continue;
        }
        auto previous = stack.parameters.find(in.key);
        if (previous == stack.parameters.end()) {
            refuse("Invalid input for parameter key " + in.key +
                   ". Cannot specify usePreviousValue as true for a parameter key not in the previous template");
        }
        out[in.key] = previous->second;
    }
    return out;
}

bool masked_previous(const SimStack& stack, const cfn::Parameter& p, const std::string& value) {
    return value == masked_value && std::count(stack.no_echo.begin(), stack.no_echo.end(), p.name) != 0;
}

// SSM parameter types read the parameter store when the call is made.
void check_ssm(const World& world, const cfn::Template& t, const StringMap& values) {
    std::vector<std::string> missing;
    std::vector<std::string> secure;
    for (const auto& p : t.parameters) {
        if (!cfn::parse_parameter_type(p.type).is_ssm) continue;
        const std::string& name = values.at(p.name);
        auto ssm = world.inventory.ssm_parameters.find(name);
        if (ssm == world.inventory.ssm_parameters.end()) missing.push_back(name);
        else if (ssm->second.type == "SecureString" && p.type != "AWS::SSM::Parameter::Name") secure.push_back(name);
    }
    if (!missing.empty()) refuse("Unable to fetch parameters [" + join(missing, ",") + "] from parameter store for this account.");
    if (!secure.empty()) refuse("Parameters [" + join(secure, ",") + "] referenced by template have types not supported by CloudFormation.");
}

}  // namespace

std::string requested_template(const World& world, const ChangeSetRequest& request, const SimStack& stack) {
    if (request.use_previous_template) return stack.template_body;
    if (!request.template_url.empty()) {
        auto location = s3_location(request.template_url);
        const std::string* body = nullptr;
        if (location) {
            auto bucket = world.inventory.s3_objects.find(location->first);
            if (bucket != world.inventory.s3_objects.end()) {
                auto object = bucket->second.find(location->second);
                if (object != bucket->second.end()) body = &object->second;
            }
        }
        if (body == nullptr) refuse("TemplateURL must reference a valid S3 object to which you have access.");
        if (body->size() > template_url_limit) refuse("Template may not exceed " + std::to_string(template_url_limit) + " bytes in size.");
        return *body;
    }
    if (request.template_body.size() > template_body_limit) {
        refuse("1 validation error detected: Value '" + request.template_body +
               "' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to " +
               std::to_string(template_body_limit));
    }
    return request.template_body;
}

StringMap checked_parameters(const World& world, const SimStack& stack, const std::vector<ParameterInput>& inputs,
                             const cfn::Template& t) {
    StringMap out = given_values(stack, inputs, t);
    std::vector<std::string> missing;
    for (const auto& p : t.parameters) {
        if (out.count(p.name) != 0) continue;
        if (p.default_value) out[p.name] = *p.default_value;
        else missing.push_back(p.name);
    }
    if (!missing.empty()) refuse("Parameters: [" + join(missing, ", ") + "] must have values");
    for (const auto& p : t.parameters) {
        const std::string& value = out.at(p.name);
        if (masked_previous(stack, p, value)) continue;
        for (const auto& problem : cfn::check_parameter_value(p, value)) {
            std::string message = refusal(p, problem);
            if (!message.empty()) refuse(message);
        }
    }
    check_ssm(world, t, out);
    return out;
}

std::optional<std::string> missing_resource(const World& world, const cfn::Template& t, const StringMap& values) {
    StringMap resolved = resolved_values(world, t, values);
    for (const auto& p : t.parameters) {
        cfn::ParameterType type = cfn::parse_parameter_type(p.type);
        const IdSet* ids = type.aws_specific ? ids_for_type(world.inventory, type.element) : nullptr;
        auto value = resolved.find(p.name);
        if (ids == nullptr || value == resolved.end()) continue;
        // An SSM parameter of type StringList holds a list whatever the stack parameter's Type says.
        bool is_list = type.is_list || (type.is_ssm && p.type.find("List<") != std::string::npos);
        for (const auto& element : is_list ? list_elements(value->second) : std::vector<std::string>{value->second}) {
            if (ids->count(element) != 0) continue;
            std::string shown = element.empty() ? "" : element + " ";
            return "Parameter validation failed: parameter value " + shown + "for parameter name " + p.name +
                   " does not exist. Rollback requested by user.";
        }
    }
    return std::nullopt;
}

}  // namespace stackshift::cloud::sim
