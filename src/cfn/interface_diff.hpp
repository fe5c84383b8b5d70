#pragma once
// The template's interface: its parameters (what a deployment must supply) and its outputs and
// exports (what other stacks may import).

#include <vector>

#include "cfn/evaluator.hpp"
#include "cfn/diff_types.hpp"

namespace stackshift::cfn {

std::vector<ParameterDiff> diff_parameters(const Template& old_template, const Template& new_template);

std::vector<OutputDiff> diff_outputs(const Template& old_template, const Template& new_template,
                                     Evaluator& old_evaluator, Evaluator& new_evaluator);

}  // namespace stackshift::cfn
