#pragma once
// The operator's choices about single steps of a plan, given by id on the command line:
// --confirm STEP_ID accepts a step that needs an explicit yes, --skip STEP_ID leaves out a step
// the plan marks skippable. Checked against the plan before anything runs, so that a typo
// never leaves a step unconfirmed or a skip unapplied without a word.

#include <set>
#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace stackshift::plan {

struct StepChoices {
    std::set<std::string, std::less<>> confirmed;
    std::set<std::string, std::less<>> skipped;
};

// The choices as given, checked: an id the plan does not have (with a "did you mean"), --confirm
// of a step nobody is asked about, --skip of a step the plan does not mark skippable, and one id
// both confirmed and skipped are InputErrors (exit 2) naming the option and the fix.
StepChoices check_step_choices(const Plan& plan, const std::vector<std::string>& confirm, const std::vector<std::string>& skip);

}  // namespace stackshift::plan
