#pragma once
// The image a hop's migration runs with, written into its run-migration step so that apply can
// check, before it starts the task, that the task definition it is about to use runs that
// image (and not the release before, as an ops stack not updated or an output naming an old
// revision would make it).

#include <optional>
#include <string>

#include "plan/planning.hpp"

namespace stackshift::plan {

// The Image of the profile's migration container (migrations.container) in the task definition
// of the migrations' stack (migrations.after_stack), resolved from the stack's target template
// in this hop with the parameter values the hop's steps leave; moved to the release the
// migration must run with when that is an earlier one (a command removed since). When the plan
// cannot know it (no such stack, template or container, a value not known), it asks: an input
// holds the plan, and nullopt is returned. Call only when the profile says how migrations run.
std::optional<std::string> migration_image(HopContext& hop, const release::PlannedOperation& op);

}  // namespace stackshift::plan
