#pragma once
// What changed between two plans of one deployment made from the same deployment state: the
// plan a run was executing (kept beside the journal as plan_json wrote it) and the plan the
// operator's current inputs give. `apply --resume` says it before a new run replaces the old
// one, so that the operator sees which value, acknowledgement or step made the difference.

#include <string>
#include <string_view>
#include <vector>

namespace stackshift::render {

// One line per change, in the order of the plans' steps: a parameter value now given, changed
// or no longer given, an --allow-replace acknowledgement added or withdrawn, a step added or
// gone. Steps are matched by hop and by their id without its number ("h1-14-"), since a step
// added earlier renumbers the rest. NoEcho values are never in a plan: a NoEcho parameter is
// said to be given or not. InputError when a text is not a plan in JSON (`what` names it).
std::vector<std::string> plan_changes(std::string_view before_json, std::string_view after_json,
                                      std::string_view what_before = "the run's plan");

}  // namespace stackshift::render
