// stackshift sim init | status: creates a simulated AWS from a deployment snapshot, and
// reports its state (clock, stacks, data lost, API calls).

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "inputs/snapshot_file.hpp"

namespace stackshift::cli {

namespace {

struct SimOptions {
    std::string deployment;
    std::string out;
    std::string scenario;
    std::string state;
    std::string output = "text";
};

int run_sim_init(const SimOptions& options) {
    // Load: the snapshot and the scenario; report every problem at once, write nothing.
    Diagnostics problems;
    auto deployment = inputs::load_deployment(options.deployment);
    if (!deployment) problems.insert(problems.end(), deployment.diagnostics().begin(), deployment.diagnostics().end());
    cloud::sim::Scenario scenario;
    if (!options.scenario.empty()) {
        auto loaded = cloud::sim::load_scenario(options.scenario);
        if (loaded) scenario = std::move(*loaded);
        else problems.insert(problems.end(), loaded.diagnostics().begin(), loaded.diagnostics().end());
    }
    if (!problems.empty()) throw InputError(problems);

    // Build the world, then write it in one go.
    cloud::sim::World world = cloud::sim::world_from_deployment(*deployment, scenario);
    cloud::sim::save_world(world, options.out);
    std::cout << "simulated world with " << world.stacks.size() << " stacks written to " << options.out << '\n';
    return 0;
}

int run_sim_status(const SimOptions& options) {
    cloud::sim::World world = cloud::sim::load_world(options.state);
    if (options.output == "json") std::cout << cloud::sim::status_json(world) << '\n';
    else std::cout << cloud::sim::status_text(world);
    return 0;
}

}  // namespace

Handler setup_sim(CommandLine& command) {
    auto options = std::make_shared<SimOptions>();
    command.require_subcommand();
    CommandLine& init = command.subcommand("init", "Create a simulated AWS from a deployment snapshot");
    init.option("--deployment", options->deployment, "The deployment snapshot (stackshift-deployment/1 JSON)").required();
    init.option("--out", options->out, "The state file to write").required();
    init.option("--scenario", options->scenario, "Faults to inject, YAML or JSON (see README, 'stackshift sim')");
    CommandLine& status = command.subcommand("status", "Show a simulated AWS: clock, stacks, data lost, API calls");
    status.option("STATE", options->state, "The state file").required();
    status.option("--output", options->output, "Output format").one_of({"text", "json"});
    return [options, &init, &status]() -> int {
        if (init.chosen()) return run_sim_init(*options);
        if (status.chosen()) return run_sim_status(*options);
        return 0;
    };
}

}  // namespace stackshift::cli
