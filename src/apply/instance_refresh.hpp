#pragma once
// The refresh-instances step: an Auto Scaling instance refresh of the group the step names by
// its logical id (its name read from the stack's resources), keeping the step's minimum healthy
// percentage in service. Journaled as one action, "start-instance-refresh": intended before
// StartInstanceRefresh with the group and the backend's clock as its name (GROUP@SECONDS), started
// with the refresh id, done or failed when the refresh ends. A resumed run re-attaches to the
// refresh it started, or, when it crashed between the intent and the id, finds it as the newest
// refresh of the group started since the intent.

#include <cstdint>
#include <string>

#include "apply/journal.hpp"
#include "apply/operation_hooks.hpp"
#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

inline constexpr std::string_view refresh_action = "start-instance-refresh";

// Returns "done"; throws OperationFailed (the action recorded failed) when the refresh fails or
// cannot start.
std::string refresh_instances(cloud::Cloud& cloud, Journal& journal, std::int64_t run, const plan::Step& step,
                              const OperationHooks& hooks);

}  // namespace stackshift::apply
