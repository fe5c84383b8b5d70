#pragma once
// Everything the planner reads, loaded and checked up front, so that the planner itself is
// pure: the deployment, the release source with the templates of the versions the plan
// visits, the template changelog and the release notes, the profile, the operator's values
// and acknowledgements. Every problem is an InputError (exit code 2) that names the file.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cfn/deployment.hpp"
#include "cfn/template.hpp"
#include "core/diagnostic.hpp"
#include "core/version.hpp"
#include "plan/deployed_versions.hpp"
#include "plan/hops.hpp"
#include "profile/profile.hpp"
#include "release/changelog.hpp"
#include "release/release_notes.hpp"
#include "release/release_source.hpp"

namespace stackshift::plan {

// The templates of one release, by template id.
struct ReleaseTemplates {
    Version version;
    std::map<std::string, std::unique_ptr<cfn::Template>, std::less<>> templates;
    std::map<std::string, std::string, std::less<>> files;
    std::map<std::string, std::string, std::less<>> texts;  // each file's text, to recognize deployed bodies

    const cfn::Template* find(std::string_view template_id) const;
};

// An id listed under `acknowledge:` in the values file: a changelog directive about no
// parameter that the operator has done or checked.
struct Acknowledgement {
    std::string id;
    Position where;
};

// The operator's answer to a migration the release notes make conditional on something no
// feature of the profile decides.
struct MigrationAnswer {
    bool run = false;  // run it, or skip it
    Position where;
};

// The values file: `stack-name-or-template-id: {Parameter: value}`, and the reserved keys
// `acknowledge: [id, ...]` and `migrations: {"as-db migrate": run|skip}`.
struct StackValues {
    std::string file;
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> values;
    // Where each key stands: "stack" and "stack/Parameter".
    std::map<std::string, Position, std::less<>> positions;
    std::vector<Acknowledgement> acknowledged;
    std::map<std::string, MigrationAnswer, std::less<>> migrations = {};  // by command: "as-db migrate"

    bool acknowledges(std::string_view id) const;

    // The value for a stack's parameter: by stack name first, then by template id.
    std::optional<std::string> find(std::string_view stack, std::string_view template_id,
                                    std::string_view parameter) const;
};

// A procedure an earlier run of apply switched off on a stack and no later step switched back
// on, as the journal recorded it (never a parameter value): the plan switches it back on.
struct SwitchedOff {
    std::string procedure;  // "storage-integration"
    std::string stack;      // the stack's name
    std::int64_t run = 0;   // the run and the step that switched it off
    std::string step;
};

struct PlanInputs {
    cfn::Deployment deployment;
    release::ReleaseSource releases;
    profile::Profile profile;
    std::optional<release::Changelog> changelog;
    std::optional<release::ReleaseNotes> notes;
    std::map<std::string, ReleaseTemplates, std::less<>> versions;  // by version text
    std::vector<DeployedTemplate> deployed;  // in the deployment's order
    Version deployment_version;  // the release the most stacks prove
    Version from;                // the oldest release a stack is planned from
    Version to;
    std::vector<Stop> stops;     // the waypoints between FROM and TO
    StackValues values;
    std::set<std::string, std::less<>> allow_replace;  // "STACK/LOGICALID"
    std::vector<SwitchedOff> switched_off = {};  // from the journal; empty without one

    const ReleaseTemplates* release(const Version& version) const;
    const DeployedTemplate* deployed_stack(std::string_view stack) const;
};

struct PlanRequest {
    std::string deployment_path;
    // A deployment read elsewhere (from a simulated world, later from AWS); then
    // deployment_path only names it in messages.
    std::optional<cfn::Deployment> deployment;
    std::string releases_path;
    std::string to;
    std::string from;  // optional: checked against the version the templates prove
    std::string values_path;
    std::vector<std::string> allow_replace;
    std::string profile = "the-things-stack-ecs";  // a bundled name or a file
    std::vector<SwitchedOff> switched_off = {};  // what the journal says earlier runs left switched off
};

}  // namespace stackshift::plan
