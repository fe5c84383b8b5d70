#pragma once
// Auto Scaling instance refreshes in the simulated world. A refresh replaces every instance the
// group had when it started (AWS's default: no SkipMatching, which a launch configuration does
// not allow), batch by batch: a batch's instances are terminated and the group launches their
// replacements on its current launch configuration or template; the next batch starts once
// they have warmed up. A batch is as large as keeping min_healthy_percentage of the desired
// capacity in service allows (one instance at least, as AWS replaced them at 100% before
// MaxHealthyPercentage). A scenario's `failing_instance_refreshes` fails it after its first
// batch. Progress follows the virtual clock (`progress_instance_refreshes`, after each move).

#include <cstdint>
#include <string>

#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// How long a replacement warms up before it counts as in service.
inline constexpr std::int64_t refresh_warmup_seconds = 300;

// StartInstanceRefresh: a new refresh of `group`, or (already_in_progress) none while one
// runs. Throws CloudError ValidationError for a group Auto Scaling does not know.
StartInstanceRefreshResult start_refresh(World& world, const std::string& group, int min_healthy_percentage);

// DescribeInstanceRefreshes: the group's refreshes, newest first (those of `ids` when given).
std::vector<InstanceRefresh> describe_refreshes(const World& world, const std::string& group, const std::vector<std::string>& ids);

// Moves every running refresh on to the world's clock.
void progress_instance_refreshes(World& world);

// The group's instances in service at the world's clock: running and warmed up.
int in_service_count(const World& world, const std::string& group);

}  // namespace stackshift::cloud::sim
