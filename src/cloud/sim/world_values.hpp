#pragma once
// Values in the world: a template value of a stack resolved as CloudFormation would resolve it
// in this simulated region. Parameters and pseudo parameters go through cfn::Evaluator; Ref of
// a resource gives what Ref returns for its type (the physical id for most, an ARN or a URL
// for some), Fn::GetAtt a deterministic attribute derived from the physical id (an instance's
// 10.x address, ARNs, RDS and ElastiCache endpoints), ${Res} and ${Res.Attr} in Fn::Sub the
// same, and Fn::ImportValue the export's value in the world (an unknown export is AWS's
// "No export named X found"). Conditions take the stack's parameter values.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// A stack as resolution sees it: its name and id, parameter values and resources. An update's
// outcome is resolved before the stack holds it, so this is not SimStack.
struct StackView {
    const std::string& name;
    const std::string& id;
    const StringMap& parameters;
    const std::vector<SimResource>& resources;
};

StackView view_of(const SimStack& stack);

// The values `source` sees for the stack's parameters (an SSM parameter type's value is what
// the SSM parameter holds), with AWS's pseudo parameters (region, account, stack name, and the
// stack's id once it has one). The one place the simulator makes them.
cfn::ParameterValues world_parameter_values(const World& world, const StackView& stack, const cfn::Template& source);

// What Ref of this resource returns, and one of its Fn::GetAtt attributes ("PrivateIp",
// "Endpoint.Address", "Arn"). `source` (may be null) is the resource in the template: an
// attribute that names one of its properties ("CidrBlock") takes the property's value.
std::string ref_value(const World& world, const SimResource& resource);
std::string attribute_value(const World& world, const StackView& stack, const SimResource& resource,
                            std::string_view attribute, const cfn::Template* source);

// The export's value in the world, or nullptr when no stack exports that name.
const std::string* export_value(const World& world, std::string_view name);

// The message AWS gives when a template imports an export that does not exist.
std::string no_export_message(std::string_view name);

// Resolves values of one stack's template in the world. Throws CloudError ValidationError with
// no_export_message for a Fn::ImportValue of an export that does not exist (under a false
// condition, it is not looked up).
class WorldResolver {
public:
    // What a Fn::ImportValue of an export nobody holds comes to: AWS's refusal (a stack
    // operation), or the function kept as written (a world made from a snapshot that imports
    // from stacks outside it: what it imports is real, only not known here).
    enum class MissingImport : std::uint8_t { refuse, keep };

    WorldResolver(const World& world, const StackView& stack, const cfn::Template& source,
                  MissingImport missing = MissingImport::refuse);
    WorldResolver(const WorldResolver&) = delete;
    WorldResolver& operator=(const WorldResolver&) = delete;

    cfn::Value resolve(const cfn::Value& value);
    // The resource's Properties, resolved (an empty map for a resource without any).
    cfn::Value properties(const cfn::Resource& resource);
    // The outputs whose Condition holds, by name, each value as DescribeStacks gives it (a
    // list joined with commas).
    StringMap outputs();
    cfn::Evaluator& evaluator() { return m_evaluator; }

private:
    cfn::Value substitute(const cfn::Value& value);
    cfn::Value substitute_function(const cfn::Value& value, std::string_view name, const cfn::Value& argument);
    std::string substitute_sub_text(const std::string& text, const cfn::Value* variables);
    const SimResource* resource(std::string_view logical_id) const;

    const World& m_world;
    StackView m_stack;
    const cfn::Template& m_template;
    cfn::ParameterValues m_values;
    cfn::Evaluator m_evaluator;
    MissingImport m_missing;
};

// The same, for a stack as it is deployed.
cfn::Value resolve_in_world(const World& world, const SimStack& stack, const cfn::Template& source, const cfn::Value& value);
cfn::Value resource_properties_in_world(const World& world, const SimStack& stack, const cfn::Template& source,
                                        const cfn::Resource& resource);
StringMap outputs_in_world(const World& world, const SimStack& stack, const cfn::Template& source);

}  // namespace stackshift::cloud::sim
