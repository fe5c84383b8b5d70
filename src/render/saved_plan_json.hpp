#pragma once
// The saved plan as JSON (plan/saved_plan.hpp): the plan document of DESIGN.md's contract
// (plan_json), with a "format" tag first, "sources", "madeFrom" and a "saved" object holding
// the whole plan, every field of every step, the pinned templates and the migration container,
// which plan/saved_plan.cpp reads back.

#include <string>

#include "plan/saved_plan.hpp"

namespace stackshift::render {

std::string saved_plan_json(const plan::SavedPlan& saved);

}  // namespace stackshift::render
