#include "plan/load_plan_inputs.hpp"

#include <algorithm>

#include "cfn/template_diff.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/deployed_versions.hpp"
#include "plan/values_check.hpp"

namespace stackshift::plan {

Result<StackValues> load_stack_values(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    auto document = cfn::parse_document(*text, path, cfn::detect_format(*text));
    if (!document) return std::move(document).failure();
    StackValues out{path, {}, {}, {}, {}};
    if (document->is_null()) return out;
    if (!document->is_map())
        return fail(path, document->position(),
                    "expected a map of stack names or template ids to {Parameter: value} maps");
    Diagnostics problems;
    for (const auto& stack : document->members()) {
        if (stack.key == "acknowledge") {  // reserved: the directives the operator acknowledges
            if (!stack.value.is_list()) {
                problems.push_back({path, stack.value.position(),
                                    "acknowledge: expects a list of the ids the plan names, e.g. acknowledge: "
                                    "[3.17.2/5-1-ecs-cluster/you-need-to-update-the]"});
                continue;
            }
            for (const auto& item : stack.value.items()) {
                if (item.is_scalar() && !item.is_null()) out.acknowledged.push_back({item.text(), item.position()});
                else problems.push_back({path, item.position(), "each item of acknowledge: must be an id the plan lists"});
            }
            continue;
        }
        if (stack.key == "migrations") {  // reserved: conditional migrations the operator decides
            if (!stack.value.is_map()) {
                problems.push_back({path, stack.value.position(),
                                    "migrations: expects a map of commands to run or skip, e.g. migrations: "
                                    "{as-db migrate: skip}"});
                continue;
            }
            for (const auto& m : stack.value.members()) {
                std::string answer = m.value.is_scalar() ? m.value.text() : "";
                if (answer == "run" || answer == "skip") out.migrations[m.key] = {answer == "run", m.key_position};
                else problems.push_back({path, m.value.position(),
                                         "migrations: " + m.key + ": expected run or skip, not '" + answer + "'"});
            }
            continue;
        }
        if (!stack.value.is_map()) {
            problems.push_back({path, stack.value.position(),
                                "'" + stack.key + "' should map parameter names to values, e.g. " + stack.key +
                                    ": {InstanceType: m5.large}"});
            continue;
        }
        auto& parameters = out.values[stack.key];
        out.positions[stack.key] = stack.key_position;
        for (const auto& parameter : stack.value.members()) {
            out.positions[stack.key + "/" + parameter.key] = parameter.key_position;
            if (parameter.value.is_scalar() && !parameter.value.is_null()) {
                parameters[parameter.key] = parameter.value.text();
            } else if (parameter.value.is_list()) {
                std::vector<std::string> items;
                for (const auto& item : parameter.value.items()) items.push_back(item.text());
                parameters[parameter.key] = join(items, ",");
            } else {
                problems.push_back({path, parameter.value.position(),
                                    "the value of " + stack.key + "/" + parameter.key +
                                        " must be a scalar or a list of scalars"});
            }
        }
    }
    if (!problems.empty()) return Failure{problems};
    return out;
}

namespace {

void throw_if_failed(const Diagnostics& problems) {
    if (!problems.empty()) throw InputError(problems);
}

template <class T>
T take(Result<T> result) {
    if (!result) throw InputError(result.diagnostics());
    return std::move(result).value();
}

ReleaseTemplates load_release(const release::ReleaseSource& releases, const Version& version) {
    ReleaseTemplates out;
    out.version = version;
    Diagnostics problems;
    for (const auto& id : releases.template_ids(version)) {
        auto path = releases.template_path(version, id);
        auto text = read_file(*path);
        if (!text) {
            problems.insert(problems.end(), text.diagnostics().begin(), text.diagnostics().end());
            continue;
        }
        auto loaded = cfn::parse_template(*text, *path);
        if (!loaded) {
            problems.insert(problems.end(), loaded.diagnostics().begin(), loaded.diagnostics().end());
            continue;
        }
        out.files[id] = *path;
        out.texts[id] = std::move(*text);
        out.templates[id] = std::make_unique<cfn::Template>(std::move(loaded).value());
    }
    throw_if_failed(problems);
    if (out.templates.empty())
        throw InputError(releases.root + "/" + version.to_string() +
                         ": the release folder holds no templates (expected files such as 1-1-vpc.yaml)");
    return out;
}

// Every template id some release holds: a stack's name ends in one of them.
std::vector<std::string> known_template_ids(const release::ReleaseSource& releases) {
    std::vector<std::string> out;
    for (const auto& [version, files] : releases.templates)
        for (const auto& [id, path] : files)
            if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    return out;
}

std::vector<DeployedTemplate> parse_deployed(const PlanInputs& inputs) {
    std::vector<DeployedTemplate> out;
    Diagnostics problems;
    std::vector<std::string> known = known_template_ids(inputs.releases);
    for (const auto& stack : inputs.deployment.stacks) {
        DeployedTemplate d;
        d.stack = stack.name;
        if (!stack.template_id.empty()) {
            d.template_id = stack.template_id;
        } else if (auto id = inputs.profile.template_for_stack(stack.name, known)) {
            d.template_id = *id;
        } else {
            problems.push_back({inputs.deployment.file, {},
                                "stack '" + stack.name + "': its name does not end in a template id (such as "
                                "acme-prod-1-1-vpc); give its template in the snapshot (\"template\": \"1-1-vpc\") "
                                "or map it in the profile's stacks.overrides"});
            continue;
        }
        if (stack.template_body.empty()) {
            problems.push_back({inputs.deployment.file, {},
                                "stack '" + stack.name + "' has no templateBody; take the snapshot again with "
                                "'stackshift snapshot'"});
            continue;
        }
        auto body = cfn::parse_template(stack.template_body, inputs.deployment.file + " (" + stack.name + ")");
        if (!body) {
            problems.insert(problems.end(), body.diagnostics().begin(), body.diagnostics().end());
            continue;
        }
        d.owned = std::make_unique<cfn::Template>(std::move(body).value());
        d.body = d.owned.get();
        out.push_back(std::move(d));
    }
    throw_if_failed(problems);
    for (const auto& d : out) {
        if (!std::none_of(known.begin(), known.end(), [&](const std::string& id) { return id == d.template_id; }))
            continue;
        problems.push_back({inputs.deployment.file, {},
                            "stack '" + d.stack + "' runs template '" + d.template_id + "', which no release in " +
                                inputs.releases.root + " has" + did_you_mean(d.template_id, known) +
                                "; add the release folders of this deployment, or fix the stack's \"template\""});
    }
    throw_if_failed(problems);
    return out;
}

void check_stable(const cfn::Deployment& deployment) {
    std::vector<std::string> unstable;
    for (const auto& stack : deployment.stacks)
        if (!cfn::is_stable_status(stack.status)) unstable.push_back(stack.name + " (" + stack.status + ")");
    if (!unstable.empty())
        throw InputError(deployment.file + ": stacks not in a stable state: " + join(unstable, ", ") +
                         "; wait for them to finish, or fix a failed rollback in the CloudFormation console "
                         "(continue the rollback), then take a new snapshot");
}

// The versions of the deployed stacks, proven from their templates; a version the operator or
// the snapshot states must agree with them.
void prove_versions(const PlanRequest& request, PlanInputs& inputs) {
    inputs.deployed = parse_deployed(inputs);
    const IdentifyInputs against{inputs.releases, inputs.changelog ? &*inputs.changelog : nullptr, inputs.deployment, inputs.profile};
    for (auto& d : inputs.deployed) identify_deployed(d, against);
    inputs.deployment_version = proven_version(inputs.deployed);
    if (!inputs.deployment.version.empty())
        inputs.deployment_version = check_stated_version(inputs.deployment.version, request.deployment_path + ": \"version\"",
                                                         inputs.deployment_version, inputs.deployed);
    if (!request.from.empty())
        inputs.deployment_version = check_stated_version(request.from, "--from", inputs.deployment_version, inputs.deployed);
    assign_versions(inputs.deployed, inputs.deployment_version);
    inputs.from = inputs.deployment_version;
    for (const auto& d : inputs.deployed) inputs.from = std::min(inputs.from, d.version);
}

// The template changelog and the release notes, wherever the release source keeps them. The
// changelog is always needed (it says what each release changed); the notes are needed when the
// product runs database migrations, and must then cover every release after FROM up to TO.
void load_release_texts(PlanInputs& inputs) {
    auto changelog = inputs.releases.changelog_path(inputs.to);
    if (!changelog)
        throw InputError(inputs.releases.root + ": no template changelog (UPGRADING.md) in the folder of " +
                         inputs.to.to_string() + ", of a later release, or at the root; add the vendor's UPGRADING.md "
                         "that covers " + inputs.to.to_string() + " (without it, what each release changes is unknown)");
    inputs.changelog = take(release::read_changelog(take(read_file(*changelog)), *changelog));
    auto notes = inputs.releases.notes_path(inputs.to);
    if (notes) inputs.notes = take(release::read_release_notes(*notes));
    if (!inputs.profile.migrations) return;
    if (!notes)
        throw InputError(inputs.releases.root + ": no release notes (a notes/ folder of <version>.md files) in the "
                         "folder of " + inputs.to.to_string() + ", of a later release, or at the root; the " +
                         inputs.profile.name + " product runs database migrations that only the release notes name");
}

void check_notes_cover(const PlanInputs& inputs) {
    if (!inputs.notes || !inputs.profile.migrations) return;
    std::vector<Version> known = inputs.releases.versions;
    for (const auto& v : inputs.changelog->known_versions()) known.push_back(v);
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    auto have = inputs.notes->versions();
    std::vector<std::string> missing;
    for (const auto& v : versions_in_range(inputs.from, inputs.to, known))
        if (std::find(have.begin(), have.end(), v) == have.end()) missing.push_back(v.to_string());
    if (missing.empty()) return;
    throw InputError(inputs.notes->path + ": no release notes for " + join(missing, ", ") + " (the release folders " +
                     "or the changelog know " + (missing.size() == 1 ? "it" : "them") +
                     "), so the migrations they may require are unknown; add " +
                     (missing.size() == 1 ? "its notes file" : "a notes file for each") + " (" + missing.front() +
                     ".md, ...), empty but for its title when the release requires nothing");
}

}  // namespace

PlanInputs load_plan_inputs(const PlanRequest& request) {
    PlanInputs inputs;
    inputs.profile = take(profile::find_profile(request.profile));
    if (request.deployment) {
        inputs.deployment = *request.deployment;
        inputs.deployment.file = request.deployment_path;
    } else {
        inputs.deployment = take(inputs::load_deployment(request.deployment_path));
    }
    check_stable(inputs.deployment);
    inputs.releases = take(release::open_release_source(request.releases_path));
    inputs.to = take(resolve_version(request.to, "--to", inputs.releases.versions));
    load_release_texts(inputs);

    // Which release each stack runs, from its template; FROM is the oldest of them.
    prove_versions(request, inputs);
    if (inputs.deployment_version == inputs.to && !(inputs.from < inputs.to))
        throw InputError("the deployment is at " + inputs.to.to_string() + " already (its templates prove it): "
                         "nothing to upgrade to --to " + inputs.to.to_string());
    if (!(inputs.from < inputs.to))
        throw InputError("--to " + inputs.to.to_string() + " is not after the deployed version " +
                         inputs.deployment_version.to_string() + "; stackshift plans upgrades only");
    check_notes_cover(inputs);

    // The templates of every version the plan stands on: FROM, each waypoint, TO.
    inputs.stops = waypoint_stops({inputs.from, inputs.to, inputs.releases, inputs.notes ? &*inputs.notes : nullptr, inputs.profile});
    std::vector<Version> stops{inputs.from, inputs.deployment_version};
    for (const auto& stop : inputs.stops) stops.push_back(stop.version);
    stops.push_back(inputs.to);
    for (const auto& version : stops)
        if (!inputs.release(version)) inputs.versions.emplace(version.to_string(), load_release(inputs.releases, version));

    if (!request.values_path.empty()) {
        inputs.values = take(load_stack_values(request.values_path));
        check_values(inputs);
    }
    for (const auto& name : request.allow_replace) {
        if (name.find('/') == std::string::npos)
            throw InputError("--allow-replace '" + name + "': expected STACK/LOGICALID, e.g. "
                             "acme-prod-2-5-db-timescale/Volume");
        inputs.allow_replace.insert(name);
    }
    inputs.switched_off = request.switched_off;
    return inputs;
}

}  // namespace stackshift::plan
