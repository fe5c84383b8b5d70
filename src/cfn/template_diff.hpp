#pragma once
// TemplateDiff: what changes between a deployed template and a target one, resource by
// resource and property by property, with each change's impact named as cdk names them.

#include "cfn/diff_types.hpp"
#include "cfn/evaluator.hpp"

namespace stackshift::cfn {

// Compares two templates. With `values`, conditions are evaluated and parameters substituted.
// The templates must outlive the diff (parameter diffs point into them).
TemplateDiff diff_templates(const Template& old_template, const Template& new_template,
                            const ParameterValues* values);

// The same with each side's own values: the deployed template with the stack's current values,
// the target with the values the update will give (a parameter that changes, such as a Docker
// image moved to a new tag, then reaches the properties that read it).
TemplateDiff diff_templates(const Template& old_template, const Template& new_template,
                            const ParameterValues* old_values, const ParameterValues* new_values);

}  // namespace stackshift::cfn
