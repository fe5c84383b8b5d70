#pragma once
// A rehearsal: a plan carried out in full by the real executor in a simulated world, ending in
// a verdict (plan/rehearsal.hpp). The world is given as a plain Cloud (this layer knows no
// simulator); what only the simulator can tell (its API call counts, the data it lost) comes
// through `RehearsalOptions::world`. Every confirmation is answered yes, person steps included,
// and the verdict lists those a person must still do for real. The run is journaled in memory
// and its progress lines go nowhere: the verdict is the product.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/cloud.hpp"
#include "plan/plan.hpp"
#include "plan/rehearsal.hpp"

namespace stackshift::apply {

// What the simulated world holds once the run ended.
struct WorldFacts {
    std::map<std::string, std::uint64_t, std::less<>> api_calls;  // by AWS operation
    std::vector<plan::LostData> data_lost;                        // `acknowledged` left false
};

struct RehearsalOptions {
    std::string container;  // the container a migration task overrides (the profile's)
    // The NoEcho values the values file gives (ExecutorOptions::secret).
    std::function<std::optional<std::string>(const std::string&, const std::string&, const std::string&)> secret;
    std::function<void(const plan::Hop& hop)> on_hop_done;
    std::function<WorldFacts()> world;
    // Reads a step's template file (ExecutorOptions::read_template); default: the file system.
    std::function<std::string(const std::string& path)> read_template;
    // Where templates over the TemplateBody limit go (ExecutorOptions::template_bucket), as the
    // real run will be told with apply --template-bucket.
    std::string template_bucket;
};

// Runs `plan` (not blocked) against `cloud` and says whether it would succeed. `fingerprint`
// is the plan's (plan::plan_fingerprint): change sets are named from it as apply names them.
plan::Rehearsal rehearse(const plan::Plan& plan, const std::string& fingerprint, cloud::Cloud& cloud,
                         const RehearsalOptions& options);

// The verdict of a blocked plan: nothing ran; the advice says what the plan needs.
plan::Rehearsal blocked_rehearsal(const plan::Plan& plan);

}  // namespace stackshift::apply
