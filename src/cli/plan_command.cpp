// stackshift plan: loads the deployment (a snapshot, or a simulated world), the release source
// and the profile, computes the runbook and renders it. Exit code 3 when the plan needs input
// or holds a danger that was not acknowledged.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planner.hpp"
#include "render/plan_render.hpp"

namespace stackshift::cli {

namespace {

struct PlanOptions {
    plan::PlanRequest request;
    std::string backend;
    std::string output = "text";
    std::string out_path;
};

// Where the deployment comes from: a snapshot file, or the world of a simulated AWS.
plan::PlanRequest with_deployment(const PlanOptions& options) {
    plan::PlanRequest request = options.request;
    if (options.backend.empty()) {
        if (request.deployment_path.empty())
            throw InputError("plan needs the deployment: --deployment SNAPSHOT (from 'stackshift snapshot'), or "
                             "--backend sim:STATE for a simulated one");
        return request;
    }
    if (!request.deployment_path.empty())
        throw InputError("--deployment and --backend both name the deployment; give one of them");
    if (options.backend.rfind("sim:", 0) == 0 && options.backend.size() > 4) {
        std::string state = options.backend.substr(4);
        request.deployment = cloud::sim::world_to_deployment(cloud::sim::load_world(state));
        request.deployment_path = "sim:" + state;
        return request;
    }
    if (options.backend == "aws")
        throw InputError("--backend aws: reading a live deployment is not built yet; take a snapshot file and give "
                         "it with --deployment, or rehearse with --backend sim:STATE");
    throw InputError("--backend '" + options.backend + "': expected sim:STATEFILE (a world from 'stackshift sim init')");
}

int run_plan(const PlanOptions& options) {
    plan::PlanInputs inputs = plan::load_plan_inputs(with_deployment(options));
    plan::Plan result = plan::make_plan(inputs);
    bool to_file = !options.out_path.empty();
    bool color = !to_file && detect_terminal(std::cout).color;
    std::string text;
    if (options.output == "json") text = render::plan_json(result) + "\n";
    else if (options.output == "markdown") text = render::plan_markdown(result);
    else text = render::plan_text(result, color);
    if (to_file) {
        write_file_atomic(options.out_path, text);
        std::cerr << "stackshift: plan written to " << options.out_path << '\n';
    } else {
        std::cout << text;
    }
    return static_cast<int>(result.blocked() ? ExitCode::needs_input : ExitCode::ok);
}

}  // namespace

Handler setup_plan(CLI::App& command) {
    auto options = std::make_shared<PlanOptions>();
    auto& r = options->request;
    command.add_option("--deployment", r.deployment_path, "Deployment snapshot (JSON, from 'stackshift snapshot')");
    command.add_option("--backend", options->backend,
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
    command.add_option("--output", options->output, "Output format")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    command.add_option("--out", options->out_path, "Write the plan to this file instead of standard output");
    return [options] { return run_plan(*options); };
}

}  // namespace stackshift::cli
