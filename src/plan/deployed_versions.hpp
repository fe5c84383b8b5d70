#pragma once
// Which release each deployed stack runs, proven from its template (never from a flag): the
// deployed body is compared with the template of the stack's id in every release the source
// holds (under the name the changelog gives it in that release), to the letter first and then
// as CloudFormation reads it. A body that matches no release was customized: it is matched to
// the releases whose templates differ from it the least, and said so. Where several releases
// share the template, the stack's Docker images (the version in their tags) tell them apart.
// The deployment's version is the release the most stacks prove; a stack proven at another one
// was left behind (or ran ahead) and is planned from its own version.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/deployment.hpp"
#include "cfn/template.hpp"
#include "core/version.hpp"
#include "profile/profile.hpp"
#include "release/changelog.hpp"
#include "release/release_source.hpp"

namespace stackshift::plan {

struct DeployedTemplate {
    std::string stack;
    std::string template_id;  // as the profile maps the stack name
    const cfn::Template* body = nullptr;  // the deployed template (`owned`)
    std::unique_ptr<cfn::Template> owned;
    // The releases whose template the body is, in order; for a customized body, the releases
    // whose templates it is nearest to (below).
    std::vector<Version> matches;
    bool customized = false;
    Version version;  // the release this stack is planned from
};

// What a deployed template is identified against: the releases' templates (under the names the
// changelog gives them), and the deployment's stacks with the profile that reads their image
// tags. Not PlanInputs, which holds the DeployedTemplates: plan_inputs includes this file,
// never the other way round.
struct IdentifyInputs {
    const release::ReleaseSource& releases;
    const release::Changelog* changelog;  // none when the plan has no changelog
    const cfn::Deployment& deployment;
    const profile::Profile& profile;
};

// Every release whose template the stack's body is (or, customized, is nearest to), in order.
// Loads the candidate templates through the release source; throws InputError for a release
// template that does not load.
void identify_deployed(DeployedTemplate& deployed, const IdentifyInputs& inputs);

// The version the most stacks prove (the oldest of a tie: planning from it misses nothing).
Version proven_version(const std::vector<DeployedTemplate>& deployed);

// Each stack's own version: the deployment's when its template is that release's, else the
// nearest release it proves (left behind, or ahead).
void assign_versions(std::vector<DeployedTemplate>& deployed, const Version& deployment);

// Checks a version the operator (--from) or the snapshot ("version") states against what the
// templates prove: the deployment's version, or one no stack contradicts (templates several
// releases share cannot tell them apart). Throws InputError naming each stack that contradicts
// it and the version its template is.
Version check_stated_version(const std::string& stated, const std::string& where, const Version& proven,
                             const std::vector<DeployedTemplate>& deployed);

// "3.14.2", "3.14.2, 3.15.1", or "3.14.2 to 3.30.2 (5 releases)" for a template many share.
std::string matched_versions_text(const std::vector<Version>& versions);

}  // namespace stackshift::plan
