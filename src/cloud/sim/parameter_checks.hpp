#pragma once
// What CloudFormation checks of a CreateChangeSet or an UpdateStack before it computes
// anything, with its own ValidationError texts: the template's size and where it comes from
// (TemplateBody up to 51,200 bytes; TemplateURL naming an S3 object of at most 1 MB), and the
// parameter values (declared, given or defaulted, AllowedValues, AllowedPattern, Min/MaxLength,
// Min/MaxValue, Number, SSM parameters that can be fetched). These refuse the call itself.
// A value of an AWS-specific type (a key pair, subnet, security group, VPC, image or
// availability zone) CloudFormation looks up once the change set or the update is under way:
// one that names nothing fails the change set (status FAILED with the reason) or rolls the
// update back, and `missing_resource` gives that reason.

#include <optional>
#include <string>
#include <vector>

#include "cloud/cloud.hpp"
#include "cloud/sim/world.hpp"

namespace stackshift::cfn {
class Template;
}

namespace stackshift::cloud::sim {

inline constexpr std::size_t template_body_limit = max_template_body_bytes;  // bytes of a TemplateBody
inline constexpr std::size_t template_url_limit = 1024 * 1024;  // bytes of the object a TemplateURL names

// The body a CreateChangeSet asks for: its TemplateBody, the S3 object its TemplateURL names,
// or (UsePreviousTemplate) the stack's own. Throws CloudError ValidationError as AWS refuses it.
std::string requested_template(const World& world, const ChangeSetRequest& request, const SimStack& stack);

// The values after the call (given ones, previous ones, then the template's defaults), each
// checked as CloudFormation checks it at the call. Throws CloudError ValidationError with AWS's
// text for the first refusal. A previous NoEcho value the world holds only masked (a world made
// from a snapshot) is not checked: AWS accepted it and the simulator cannot see it.
StringMap checked_parameters(const World& world, const SimStack& stack, const std::vector<ParameterInput>& inputs,
                             const cfn::Template& t);

// The reason CloudFormation gives when a value of an AWS-specific type (or the value an
// AWS::SSM::Parameter::Value<...> of such a type resolves to) names nothing in the account:
// "Parameter validation failed: parameter value sg-1 for parameter name SecurityGroup does
// not exist. Rollback requested by user."; nullopt when every one exists.
std::optional<std::string> missing_resource(const World& world, const cfn::Template& t, const StringMap& values);

}  // namespace stackshift::cloud::sim
