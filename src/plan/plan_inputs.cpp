#include "plan/plan_inputs.hpp"

#include <algorithm>

#include "cfn/template_diff.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "plan/hops.hpp"

namespace stackshift::plan {

const cfn::Template* ReleaseTemplates::find(std::string_view template_id) const {
    auto it = templates.find(template_id);
    return it == templates.end() ? nullptr : it->second.get();
}

std::optional<std::string> StackValues::find(std::string_view stack, std::string_view template_id,
                                             std::string_view parameter) const {
    for (std::string_view key : {stack, template_id}) {
        auto it = values.find(key);
        if (it == values.end()) continue;
        auto value = it->second.find(parameter);
        if (value != it->second.end()) return value->second;
    }
    return std::nullopt;
}

bool StackValues::acknowledges(std::string_view id) const {
    return std::any_of(acknowledged.begin(), acknowledged.end(), [&](const Acknowledgement& a) { return a.id == id; });
}

const ReleaseTemplates* PlanInputs::release(const Version& version) const {
    auto it = versions.find(version.to_string());
    return it == versions.end() ? nullptr : &it->second;
}

const DeployedTemplate* PlanInputs::deployed_stack(std::string_view stack) const {
    for (const auto& d : deployed)
        if (d.stack == stack) return &d;
    return nullptr;
}

Result<StackValues> load_stack_values(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    auto document = cfn::parse_document(*text, path, cfn::detect_format(*text));
    if (!document) return std::move(document).failure();
    StackValues out{path, {}, {}};
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
        if (!stack.value.is_map()) {
            problems.push_back({path, stack.value.position(),
                                "'" + stack.key + "' should map parameter names to values, e.g. " + stack.key +
                                    ": {InstanceType: m5.large}"});
            continue;
        }
        auto& parameters = out.values[stack.key];
        for (const auto& parameter : stack.value.members()) {
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

bool same_template(const cfn::Template& a, const cfn::Template& b) {
    return cfn::diff_templates(a, b, nullptr).empty();
}

// Which known release the deployed body is the template of: FROM first, then the others from
// the newest down (a deployment is more often ahead of what the operator thinks than behind).
void identify(DeployedTemplate& deployed, const PlanInputs& inputs) {
    if (deployed.matches_from) return;  // the very text of FROM's template
    if (const auto* from = inputs.release(inputs.from)) {
        if (const auto* t = from->find(deployed.template_id); t && same_template(*deployed.body, *t)) {
            deployed.matches = inputs.from;
            deployed.matches_from = true;
            return;
        }
    }
    auto known = inputs.releases.versions;
    std::reverse(known.begin(), known.end());
    for (const auto& version : known) {
        if (version == inputs.from) continue;
        auto path = inputs.releases.template_path(version, deployed.template_id);
        if (!path) continue;
        auto loaded = cfn::load_template(*path);
        if (loaded && same_template(*deployed.body, *loaded)) {
            deployed.matches = version;
            return;
        }
    }
}

std::vector<DeployedTemplate> parse_deployed(const PlanInputs& inputs) {
    std::vector<DeployedTemplate> out;
    Diagnostics problems;
    std::vector<std::string> known;
    if (const auto* from = inputs.release(inputs.from))
        for (const auto& [id, t] : from->templates) known.push_back(id);
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
        // Most stacks run their release's template as it is: no need to parse it twice.
        if (const auto* from = inputs.release(inputs.from)) {
            auto text = from->texts.find(d.template_id);
            if (text != from->texts.end() && text->second == stack.template_body) {
                d.body = from->find(d.template_id);
                d.matches = inputs.from;
                d.matches_from = true;
                out.push_back(std::move(d));
                continue;
            }
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

Version resolve_from(const PlanRequest& request, const PlanInputs& inputs) {
    std::string text = request.from.empty() ? inputs.deployment.version : request.from;
    if (text.empty())
        throw InputError(request.deployment_path +
                         ": the snapshot does not say which version is deployed; give it with --from VERSION");
    auto version = Version::parse(text);
    if (!version)
        throw InputError((request.from.empty() ? request.deployment_path + ": \"version\"" : std::string("--from")) +
                         ": '" + text + "' is not a version (expected MAJOR.MINOR.PATCH, such as 3.14.2)");
    if (!inputs.releases.has_version(*version))
        throw InputError("version " + version->to_string() + " (the deployed version) is not in " +
                         inputs.releases.root + "; add its release folder (" + inputs.releases.root + "/" +
                         version->to_string() + "/) so the deployed templates can be checked");
    return *version;
}

}  // namespace

PlanInputs load_plan_inputs(const PlanRequest& request) {
    PlanInputs inputs;
    inputs.profile = take(profile::find_profile(request.profile));
    if (request.deployment) {
        inputs.deployment = *request.deployment;
        inputs.deployment.file = request.deployment_path;
    } else {
        inputs.deployment = take(cfn::load_deployment(request.deployment_path));
    }
    check_stable(inputs.deployment);
    inputs.releases = take(release::open_release_source(request.releases_path));
    inputs.from = resolve_from(request, inputs);
    inputs.to = take(resolve_version(request.to, "--to", inputs.releases.versions));
    if (!(inputs.from < inputs.to))
        throw InputError("--to " + inputs.to.to_string() + " is not after the deployed version " +
                         inputs.from.to_string() + "; stackshift plans upgrades only");

    if (auto path = inputs.releases.changelog_path(inputs.to)) {
        auto text = take(read_file(*path));
        inputs.changelog = take(release::read_changelog(text, *path));
    }
    if (auto path = inputs.releases.notes_path(inputs.to)) inputs.notes = take(release::read_release_notes(*path));
    if (!request.values_path.empty()) inputs.values = take(load_stack_values(request.values_path));
    for (const auto& name : request.allow_replace) {
        if (name.find('/') == std::string::npos)
            throw InputError("--allow-replace '" + name + "': expected STACK/LOGICALID, e.g. "
                             "acme-prod-2-5-db-timescale/Volume");
        inputs.allow_replace.insert(name);
    }

    // The templates of every version the plan stands on: FROM, each waypoint, TO.
    std::vector<Version> stops{inputs.from};
    for (const auto& stop : plan_stops(inputs)) stops.push_back(stop);
    stops.push_back(inputs.to);
    for (const auto& version : stops)
        inputs.versions.emplace(version.to_string(), load_release(inputs.releases, version));

    inputs.deployed = parse_deployed(inputs);
    for (auto& d : inputs.deployed) identify(d, inputs);
    return inputs;
}

}  // namespace stackshift::plan
