#include "cli/plan_source.hpp"

#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"

namespace stackshift::cli {

void add_plan_source_options(CLI::App& command, PlanSource& source) {
    auto& r = source.request;
    command.add_option("--deployment", r.deployment_path, "Deployment snapshot (JSON, from 'stackshift snapshot')");
    command.add_option("--backend", source.backend,
                       "Read the deployment from a simulated AWS instead: sim:STATEFILE (from 'stackshift sim init')");
    command.add_option("--releases", r.releases_path, "Release source: a folder with one folder per version")
        ->required();
    command.add_option("--to", r.to, "Target version (3.30.2, or 3.30 for its latest patch)")->required();
    command.add_option("--from", r.from, "Deployed version, when the snapshot does not say it");
    command.add_option("--values", r.values_path, "YAML: stack-name-or-template-id: {Parameter: value}");
    command.add_option("--allow-replace", r.allow_replace,
                       "Acknowledge the replacement or removal of a stateful resource: STACK/LOGICALID (repeatable)");
    command.add_option("--product", r.profile,
                       "Product profile: a bundled name (the-things-stack-ecs, numbered-stacks) or a file");
}

plan::PlanRequest with_deployment(const PlanSource& source) {
    plan::PlanRequest request = source.request;
    if (source.backend.empty()) {
        if (request.deployment_path.empty())
            throw InputError("plan needs the deployment: --deployment SNAPSHOT (from 'stackshift snapshot'), or "
                             "--backend sim:STATE for a simulated one");
        return request;
    }
    if (!request.deployment_path.empty())
        throw InputError("--deployment and --backend both name the deployment; give one of them");
    if (source.backend.rfind("sim:", 0) == 0 && source.backend.size() > 4) {
        std::string state = source.backend.substr(4);
        request.deployment = cloud::sim::world_to_deployment(cloud::sim::load_world(state));
        request.deployment_path = "sim:" + state;
        return request;
    }
    if (source.backend == "aws")
        throw InputError("--backend aws: reading a live deployment is not built yet; take a snapshot file and give "
                         "it with --deployment, or rehearse with --backend sim:STATE");
    throw InputError("--backend '" + source.backend + "': expected sim:STATEFILE (a world from 'stackshift sim init')");
}

}  // namespace stackshift::cli
