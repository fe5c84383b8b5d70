#include "cli/plan_source.hpp"

#include "cli/backend.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "cloud/read_only_cloud.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "inputs/deployment_reader.hpp"

namespace stackshift::cli {

void add_plan_source_options(CommandLine& command, PlanSource& source, SavedPlans saved) {
    auto& r = source.request;
    command.option("--deployment", r.deployment_path, "Deployment snapshot (JSON, from 'stackshift snapshot')");
    command.option("--backend", source.backend,
                       "Read the deployment from a backend instead: sim:STATEFILE (from 'stackshift sim init'), or aws "
                       "with --stack-prefix");
    command.option("--stack-prefix", source.stack_prefix,
                       "With --backend: the deployment is the stacks whose names start with this (acme-prod-)");
    add_aws_options(command, source.aws);
    std::string unless_saved = saved == SavedPlans::accepted ? "; required unless --plan gives a saved plan" : "";
    auto releases = command.option("--releases", r.releases_path, "Release source: a folder with one folder per version" + unless_saved);
    auto to = command.option("--to", r.to, "Target version (3.30.2, or 3.30 for its latest patch)" + unless_saved);
    if (saved == SavedPlans::refused) {
        releases.required();
        to.required();
    } else {
        command.option("--plan", source.saved_plan,
                       "A saved plan ('stackshift plan ... --output json --out FILE'): carried out exactly as written, "
                       "its templates from the file; refused when the deployment changed since it was made");
    }
    command.option("--from", r.from, "Deployed version, when the snapshot does not say it");
    command.option("--values", r.values_path,
                   saved == SavedPlans::accepted
                       ? "YAML: stack-name-or-template-id: {Parameter: value}; with --plan, the file that gives the NoEcho "
                         "values the plan sends (a saved plan never holds them)"
                       : "YAML: stack-name-or-template-id: {Parameter: value}");
    command.option("--allow-replace", r.allow_replace,
                       "Acknowledge the replacement or removal of a stateful resource: STACK/LOGICALID (repeatable)");
    command.option("--product", r.profile,
                       "Product profile: a bundled name (the-things-stack-ecs, numbered-stacks) or a file");
}

void check_plan_source(const PlanSource& source) {
    const auto& r = source.request;
    if (source.saved_plan.empty()) {
        if (r.releases_path.empty()) throw InputError("--releases is required (or --plan FILE, a saved plan)");
        if (r.to.empty()) throw InputError("--to is required (or --plan FILE, a saved plan)");
        return;
    }
    std::vector<std::string> fixed;
    if (!r.releases_path.empty()) fixed.emplace_back("--releases");
    if (!r.to.empty()) fixed.emplace_back("--to");
    if (!r.from.empty()) fixed.emplace_back("--from");
    if (!r.allow_replace.empty()) fixed.emplace_back("--allow-replace");
    if (r.profile != plan::PlanRequest{}.profile) fixed.emplace_back("--product");
    if (fixed.empty()) return;
    std::string names;
    for (const auto& f : fixed) names += (names.empty() ? "" : ", ") + f;
    throw InputError("--plan " + source.saved_plan + " carries the plan as it was reviewed; leave out " + names +
                     " (to change them, plan again and save the new plan)");
}

profile::Profile take_profile(const std::string& name_or_path) {
    auto profile = profile::find_profile(name_or_path);
    if (!profile) throw InputError(profile.diagnostics());
    return std::move(profile).value();
}

std::string deployment_name(const PlanSource& source) {
    if (source.backend == "aws") return "aws:" + source.stack_prefix;
    return source.backend;
}

plan::PlanRequest with_deployment(const PlanSource& source) {
    plan::PlanRequest request = source.request;
    if (source.backend.empty()) {
        if (!source.stack_prefix.empty())
            throw InputError("--stack-prefix reads a live deployment: give --backend aws (or sim:STATE) with it");
        if (request.deployment_path.empty())
            throw InputError("plan needs the deployment: --deployment SNAPSHOT (from 'stackshift snapshot'), "
                             "--backend aws --stack-prefix PREFIX for the live one, or --backend sim:STATE for a simulated one");
        return request;
    }
    if (!request.deployment_path.empty())
        throw InputError("--deployment and --backend both name the deployment; give one of them");
    if (source.backend.rfind("sim:", 0) == 0 && source.backend.size() > 4) {
        std::string state = source.backend.substr(4);
        if (source.stack_prefix.empty()) {
            request.deployment = cloud::sim::world_to_deployment(cloud::sim::load_world(state));
        } else {
            // Read as from AWS, without saving: planning moves no clock.
            cloud::sim::SimCloud sim(cloud::sim::load_world(state));
            cloud::ReadOnlyCloud reader(sim);
            request.deployment = inputs::read_deployment(reader, {source.stack_prefix, sim.world().region},
                                                        take_profile(request.profile));
            request.deployment->version = sim.world().version;
        }
        request.deployment_path = "sim:" + state;
        return request;
    }
    if (source.backend == "aws") {
        if (source.stack_prefix.empty())
            throw InputError("--backend aws reads the live deployment: give --stack-prefix PREFIX (the start of its "
                             "stack names, such as acme-prod-)");
        // Planning only reads: the live stacks are reached through a Cloud that refuses any change.
        auto cloud = cloud::aws::AwsCloud::open(source.aws);
        cloud::ReadOnlyCloud reader(*cloud);
        request.deployment = inputs::read_deployment(reader, {source.stack_prefix, source.aws.region}, take_profile(request.profile));
        request.deployment_path = deployment_name(source);
        return request;
    }
    throw InputError("--backend '" + source.backend + "': expected aws or sim:STATEFILE (a world from 'stackshift sim init')");
}

}  // namespace stackshift::cli
