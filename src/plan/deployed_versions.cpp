#include "plan/deployed_versions.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "cfn/template_diff.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "profile/image_tag.hpp"

namespace stackshift::plan {

namespace {

// The template file of the stack in `version`: under the name the changelog gives it there,
// or under its own id when the release still has it.
std::optional<std::string> template_path_in(const IdentifyInputs& inputs, const std::string& id, const Version& version) {
    if (inputs.changelog) {
        std::string named = inputs.changelog->name_in(id, version);
        if (auto path = inputs.releases.template_path(version, named)) return path;
    }
    return inputs.releases.template_path(version, id);
}

// How far two templates are apart: each parameter and output that differs, and each property
// (or whole resource) that does.
std::size_t distance(const cfn::TemplateDiff& diff) {
    std::size_t n = diff.parameters.size() + diff.outputs.size();
    for (const auto& r : diff.resources)
        if (r.impact != cfn::Impact::no_change) n += std::max<std::size_t>(1, r.properties.size());
    return n;
}

std::size_t proving(const std::vector<DeployedTemplate>& deployed, const Version& version) {
    return static_cast<std::size_t>(std::count_if(deployed.begin(), deployed.end(), [&](const DeployedTemplate& d) {
        return std::find(d.matches.begin(), d.matches.end(), version) != d.matches.end();
    }));
}

// The versions in the tags of the stack's Docker images, when the profile knows its images.
std::vector<Version> image_versions(const DeployedTemplate& deployed, const IdentifyInputs& inputs) {
    std::vector<Version> out;
    const auto* stack = inputs.deployment.stack(deployed.stack);
    if (!stack) return out;
    for (const auto& [name, value] : stack->parameters) {
        if (!inputs.profile.is_image_parameter(deployed.template_id, name, value)) continue;
        auto ref = profile::ImageReference::parse(value);
        if (ref && ref->version && std::find(out.begin(), out.end(), *ref->version) == out.end())
            out.push_back(*ref->version);
    }
    return out;
}

}  // namespace

void identify_deployed(DeployedTemplate& deployed, const IdentifyInputs& inputs) {
    const std::string& body_text = inputs.deployment.stack(deployed.stack)->template_body;
    std::vector<std::pair<Version, std::string>> candidates;  // every release that has the template
    for (const auto& version : inputs.releases.versions) {
        auto path = template_path_in(inputs, deployed.template_id, version);
        if (!path) continue;
        candidates.emplace_back(version, *path);
        auto text = read_file(*path);
        if (!text) throw InputError(text.diagnostics());
        if (*text == body_text) deployed.matches.push_back(version);
    }
    if (deployed.matches.empty()) {
        // Not to the letter: as CloudFormation reads it (a body read back re-indented), else
        // the nearest releases.
        std::size_t best = std::numeric_limits<std::size_t>::max();
        std::vector<Version> nearest;
        for (const auto& [version, path] : candidates) {
            auto loaded = cfn::load_template(path);
            if (!loaded) throw InputError(loaded.diagnostics());
            std::size_t d = distance(cfn::diff_templates(*deployed.body, *loaded, nullptr));
            if (d == 0) deployed.matches.push_back(version);
            if (d < best) nearest.clear(), best = d;
            if (d == best) nearest.push_back(version);
        }
        if (deployed.matches.empty()) {
            deployed.customized = true;
            deployed.matches = nearest;
        }
    }
    if (deployed.matches.size() > 1) {
        // A template several releases share: the images tell which release runs.
        std::vector<Version> narrowed;
        for (const auto& v : image_versions(deployed, inputs))
            if (std::find(deployed.matches.begin(), deployed.matches.end(), v) != deployed.matches.end())
                narrowed.push_back(v);
        if (narrowed.size() == 1) deployed.matches = narrowed;
    }
}

Version proven_version(const std::vector<DeployedTemplate>& deployed) {
    std::map<Version, int> proven;
    for (const auto& d : deployed)
        for (const auto& v : d.matches) ++proven[v];
    if (proven.empty()) throw InputError("the deployment has no stacks");
    Version deployment = proven.begin()->first;
    int most = 0;
    for (const auto& [version, count] : proven)
        if (count > most) deployment = version, most = count;  // ascending: a tie keeps the oldest
    return deployment;
}

void assign_versions(std::vector<DeployedTemplate>& deployed, const Version& deployment) {
    for (auto& d : deployed) {
        if (std::find(d.matches.begin(), d.matches.end(), deployment) != d.matches.end()) {
            d.version = deployment;
            continue;
        }
        // Left behind: the newest release it proves before the deployment's; else ahead: the oldest after.
        auto before = std::find_if(d.matches.rbegin(), d.matches.rend(), [&](const Version& v) { return v < deployment; });
        d.version = before != d.matches.rend() ? *before : d.matches.front();
    }
}

std::string matched_versions_text(const std::vector<Version>& versions) {
    if (versions.empty()) return "no release";
    if (versions.size() <= 3) {
        std::vector<std::string> words;
        for (const auto& v : versions) words.push_back(v.to_string());
        return join(words, ", ");
    }
    return versions.front().to_string() + " to " + versions.back().to_string() + " (" +
           std::to_string(versions.size()) + " releases)";
}

Version check_stated_version(const std::string& stated, const std::string& where, const Version& proven,
                             const std::vector<DeployedTemplate>& deployed) {
    auto version = Version::parse(stated);
    if (!version)
        throw InputError(where + ": '" + stated + "' is not a version (expected MAJOR.MINOR.PATCH, such as 3.14.2)");
    // As many stacks prove it as the version chosen: the stated one settles the tie.
    if (*version == proven || proving(deployed, *version) == proving(deployed, proven)) return *version;
    std::vector<std::string> contradicting;
    for (const auto& d : deployed) {
        if (std::find(d.matches.begin(), d.matches.end(), *version) != d.matches.end()) continue;
        contradicting.push_back(d.stack + " runs the " + matched_versions_text(d.matches) + " template of " +
                                d.template_id + (d.customized ? " (customized)" : ""));
    }
    // Templates several releases share cannot tell them apart: the stated version settles it.
    if (contradicting.empty()) return *version;
    throw InputError(where + ": the deployment is not at " + version->to_string() + ": its templates prove " +
                     proven.to_string() + " (" + join(contradicting, "; ") + "); drop " +
                     (where == "--from" ? where : std::string("the snapshot's \"version\"")) + ": stackshift reads each stack's version from its deployed template");
}

}  // namespace stackshift::plan
