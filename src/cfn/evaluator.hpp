#pragma once
// Evaluator: what a template's conditions and expressions come to for given parameter values.
// It resolves what can be resolved (Refs to parameters and pseudo parameters with known
// values, Fn::FindInMap with known keys, Fn::If with a known condition, Fn::Join, Fn::Select,
// Fn::Split, Fn::Sub over known values, AWS::NoValue) and leaves the rest as it is written, so
// two templates can be compared by what CloudFormation would see.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cfn/template.hpp"
#include "core/result.hpp"

namespace stackshift::cfn {

// Three-valued truth: a condition over a parameter without a known value is unknown.
enum class Tri : std::uint8_t { no, yes, unknown };

// Parameter values and pseudo parameters ("AWS::Region") given for an evaluation.
struct ParameterValues {
    std::map<std::string, std::string, std::less<>> values;
    // Parameters whose value exists but is not known here (a NoEcho value, one the operator has
    // still to give): not resolved, and not replaced by the template's Default either.
    std::set<std::string, std::less<>> unknown = {};
};

// Reads a YAML or JSON map of parameter names to values (scalars or lists of scalars).
Result<ParameterValues> load_parameter_values(const std::string& path);

class Evaluator {
public:
    // With `values`, parameters take the given value, else their Default, and conditions are
    // evaluated. Without, parameters stay symbolic and every condition is unknown.
    Evaluator(const Template& t, const ParameterValues* values);

    const Template& source() const { return m_template; }
    bool evaluates_conditions() const { return m_values != nullptr; }

    // The condition named in the Conditions section.
    Tri condition(std::string_view name);
    Tri condition_expression(const Value& expression);

    // Whether a resource or output with this Condition attribute exists ("" exists).
    Tri exists(std::string_view condition_name);

    // The value with everything known substituted. A member or item that resolves to
    // AWS::NoValue is dropped.
    Value resolve(const Value& value);

    // The known value of a parameter or pseudo parameter.
    std::optional<std::string> known(std::string_view name) const;

private:
    // Inside an unresolved function, AWS::NoValue is an argument, not an absent value.
    enum class NoValue { drop, keep };
    Value resolve(const Value& value, NoValue no_value);
    std::optional<Value> resolve_function(const Value& value, std::string_view name, const Value& argument);
    std::optional<Value> find_in_map(const Value& arguments, Position at);
    std::optional<Value> substitute(const Value& arguments, Position at);
    std::optional<std::string> known_scalar(const Value& v);

    const Template& m_template;
    const ParameterValues* m_values;
    std::unordered_map<std::string, Tri> m_conditions;
    std::vector<std::string> m_evaluating;  // guards against conditions that refer to themselves
};

// The `${Name}` and `${Name.Attr}` references of a Fn::Sub string, without `${!literal}`.
std::vector<std::string> sub_references(std::string_view text);

bool is_no_value(const Value& v);

}  // namespace stackshift::cfn
