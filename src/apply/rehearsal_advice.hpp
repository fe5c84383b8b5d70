#pragma once
// What to change after a rehearsal: advice derived from how the first step failed (AWS's error
// code and message, the failed resource's reason, a migration's log), from data the world lost
// that the plan did not acknowledge, and from what a blocked plan needs. This is the one place
// above the backends that reads AWS's message texts: the advice is for a person, and AWS
// gives no code that tells an export in use from a parameter constraint.

#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "plan/rehearsal.hpp"

namespace stackshift::apply {

// At least one line, most specific first: what to change before the real upgrade.
std::vector<std::string> failure_advice(const plan::FailedStep& step, const plan::RehearsalError& error);

// For a stateful resource the world lost although the plan did not acknowledge it.
std::string lost_data_advice(const plan::LostData& lost);

// For a blocked plan: one line per input it needs and per danger nobody acknowledged.
std::vector<std::string> blocked_advice(const plan::Plan& plan);

}  // namespace stackshift::apply
