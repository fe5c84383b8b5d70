#pragma once
// Exports and imports of a template under given values: which outputs a stack exports (with
// the export's name resolved) and which exports it imports with Fn::ImportValue, with the
// conditions taken into account (an import under a false Fn::If branch, in a resource or an
// output whose Condition is false, is no import). The simulator and the planner's export
// check both read templates this way, so CloudFormation's rule is written once.

#include <optional>
#include <string>
#include <vector>

#include "cfn/evaluator.hpp"

namespace stackshift::cfn {

// An output with an Export.
struct TemplateExport {
    std::string output;                // the output's logical name
    std::optional<std::string> name;   // the export's name, when the values resolve it
    Tri exists = Tri::yes;             // the output's Condition
    const Value* value = nullptr;      // the output's Value as written
};

// A Fn::ImportValue found in a resource or an output.
struct TemplateImport {
    std::optional<std::string> name;  // the imported export's name, when the values resolve it
    Tri active = Tri::yes;            // no: under a false condition; unknown: the values cannot tell
    std::string where;                // "Resources.TaskDefinition" or "Outputs.Address"
};

// Every output with an Export, in template order (those whose Condition is false included, with
// exists = no, so a caller can tell "removed" from "turned off").
std::vector<TemplateExport> template_exports(Evaluator& evaluator);

// Every Fn::ImportValue of the template's resources and outputs, in template order; an import
// under a false condition is left out.
std::vector<TemplateImport> template_imports(Evaluator& evaluator);

// The names of the resources a value refers to (Ref, Fn::GetAtt, ${Name} and ${Name.Attr}),
// parameters and pseudo parameters included: the caller knows which are resources.
std::vector<std::string> referenced_names(const Value& value);

}  // namespace stackshift::cfn
