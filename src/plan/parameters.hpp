#pragma once
// Chooses what happens to each parameter of a stack's target template (keep, carry, default,
// set, image, needs-input) and records what the operator must supply.

#include "plan/planning.hpp"

namespace stackshift::plan {

void plan_parameters(HopContext& hop, StackPlan& stack);

// Whether a changelog scope (a template heading, or a section such as "All") concerns the
// stack: a template scope must name it (under any of its names); another section concerns
// every template that has the parameter.
bool scope_concerns(const HopContext& hop, std::string_view scope, const StackPlan& stack);

}  // namespace stackshift::plan
