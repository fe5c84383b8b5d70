#pragma once
// Who accepts a step before apply carries it out (plan::Step::confirmation): nobody for an
// automated step; --yes, --confirm STEP_ID or an interactive yes for a routine one; only
// --confirm STEP_ID or an interactive yes, shown the physical resource it acts on, for a step
// that destroys something or asks a person to back something up first.

#include <string>

#include "apply/step_context.hpp"

namespace stackshift::apply {

enum class Acceptance {
    not_asked,  // an automated step
    by_person,  // an interactive yes, or --confirm STEP_ID
    by_yes,     // --yes accepted a routine confirmation: nobody said a person's work was done
};

// Asks as the step's confirmation says. Throws StepStopped when it is declined, or when nobody
// may accept it here (an explicit step without --confirm and without a terminal), with the fix;
// Interrupted when a stop came while the question was asked.
Acceptance accept_step(StepContext& ctx, const plan::Step& step);

// What the step acts on, as AWS names it now: "instance i-0abc (acme-2-5-db-timescale/Instance)",
// "stack acme-6-1-vpc-peering (arn:...)"; the plan's label when AWS cannot say.
std::string acted_on(StepContext& ctx, const plan::Step& step);

}  // namespace stackshift::apply
