#pragma once
// Every changelog directive ("must set", "make sure", "should be equal to", "you need to", ...)
// for a stack in the plan is answered before the plan is Ready: a directive about a parameter
// becomes that parameter's decision where the text and the deployment's history settle it (a
// value to set, a mapping, "deployments created before X"), else it holds the plan as a
// needs-input parameter; a directive about no parameter holds the plan as an acknowledgement
// input until the values file lists its id under `acknowledge:`.

#include "plan/planning.hpp"

namespace stackshift::plan {

// The directives about the stack's parameters, decided on its planned parameters.
void decide_parameter_directives(HopContext& hop, StackPlan& stack);

// The hop's directives about no parameter, for the stacks in it: an acknowledgement input
// each, unless the values file acknowledges it.
void require_acknowledgements(HopContext& hop);

// An id under `acknowledge:` that is no directive of the changelog is bad input (exit 2).
void check_acknowledgements(const PlanInputs& inputs);

// Whether a changelog scope (a template heading, or a section such as "All") concerns the
// stack: a template scope must name it (under any of its names); another section concerns
// every template that has the parameter.
bool scope_concerns(const HopContext& hop, std::string_view scope, const StackPlan& stack);

}  // namespace stackshift::plan
