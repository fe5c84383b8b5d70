#include <algorithm>

#include "core/error.hpp"
#include "core/text.hpp"
#include "plan/planning.hpp"

namespace stackshift::plan {

std::vector<std::unique_ptr<Rule>> make_rules(const profile::Profile& profile) {
    std::vector<std::unique_ptr<Rule>> rules;
    const std::vector<std::string> known{"timescale-update", "launch-configuration-advice", "image-parameters",
                                         "storage-integration-toggle"};
    for (const auto& name : profile.rules) {
        if (std::find(known.begin(), known.end(), name) == known.end())
            throw InputError(profile.file + ": unknown rule '" + name + "'" + did_you_mean(name, known) +
                             "; rules are " + join(known, ", "));
    }
    // image-parameters needs no unit: the parameter planner moves every image the profile's
    // patterns recognize.
    if (profile.has_rule("timescale-update"))
        rules.push_back(make_timescale_rule(profile.has_rule("storage-integration-toggle")));
    if (profile.has_rule("launch-configuration-advice")) rules.push_back(make_launch_configuration_rule());
    return rules;
}

}  // namespace stackshift::plan
