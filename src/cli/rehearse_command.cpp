// stackshift rehearse: computes the plan as `plan` and `apply` do (or reads a saved plan, --plan
// FILE, rehearsed in the deployment given with --backend or --deployment), then carries it out in full
// in a simulated AWS made in memory from the deployment as it is (a snapshot, a simulated
// world's state file, or the live stacks read through a read-only connection), with the faults
// of a scenario, and says whether the upgrade would succeed: the verdict, or the first step
// that would fail with AWS's error and what to change. Nothing it was given is ever written:
// the world lives in memory and is never saved, the run is journaled in memory, and the
// executor's progress lines go nowhere (the report is the product).
// Exit codes: 0 would succeed, 1 would fail, 2 bad input, 3 the plan is blocked (needs input).

#include <iostream>
#include <memory>

#include "apply/rehearsal.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/plan_source.hpp"
#include "cli/plan_to_run.hpp"
#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planner.hpp"
#include "render/plan_render.hpp"
#include "render/rehearsal_render.hpp"

namespace stackshift::cli {

namespace {

struct RehearseOptions {
    PlanSource source;
    std::string scenario;
    std::string template_bucket;
    std::string output = "text";
    std::string out_path;
};

// The faults: the --scenario file; else, for a simulated world's state file, the faults it was
// made with; else none.
cloud::sim::Scenario rehearsal_scenario(const RehearseOptions& options) {
    if (!options.scenario.empty()) {
        auto loaded = cloud::sim::load_scenario(options.scenario);
        if (!loaded) throw InputError(loaded.diagnostics());
        return std::move(loaded).value();
    }
    const std::string& backend = options.source.backend;
    if (backend.rfind("sim:", 0) == 0 && backend.size() > 4) return cloud::sim::load_world(backend.substr(4)).scenario;
    return {};
}

apply::WorldFacts world_facts(const cloud::sim::World& world) {
    apply::WorldFacts facts;
    for (const auto& [operation, count] : world.api_calls) facts.api_calls[operation] = count;
    for (const auto& d : world.data_lost) facts.data_lost.push_back({d.stack, d.logical_id, d.type, d.cause, false, d.system_disk});
    return facts;
}

void write_report(const RehearseOptions& options, const plan::Rehearsal& rehearsal) {
    bool to_file = !options.out_path.empty();
    std::string text;
    if (options.output == "json") text = render::rehearsal_json(rehearsal) + "\n";
    else if (options.output == "markdown") text = render::rehearsal_markdown(rehearsal);
    else text = render::rehearsal_text(rehearsal, !to_file && detect_terminal(std::cout).color);
    if (!to_file) {
        std::cout << text;
        return;
    }
    write_file_atomic(options.out_path, text);
    std::cerr << "stackshift: rehearsal written to " << options.out_path << '\n';
}

// A saved plan, with the deployment as it is now to rehearse it in (--backend, or --deployment).
PlanToRun saved_plan_to_rehearse(const PlanSource& source) {
    PlanToRun planned = plan_from_saved(source);
    plan::PlanRequest request = with_deployment(source);
    if (request.deployment) {
        planned.planned_from = std::move(request.deployment);
    } else {
        auto deployment = inputs::load_deployment(request.deployment_path);
        if (!deployment) throw InputError(deployment.diagnostics());
        planned.planned_from = std::move(deployment).value();
    }
    return planned;
}

int run_rehearse(const RehearseOptions& options) {
    // Inputs: the scenario first (a bad file is reported before any work), then the plan as
    // `plan` makes it.
    cloud::sim::Scenario scenario = rehearsal_scenario(options);
    check_plan_source(options.source);
    PlanToRun planned = options.source.saved_plan.empty() ? plan_from_sources(plan::load_plan_inputs(with_deployment(options.source)))
                                                          : saved_plan_to_rehearse(options.source);
    const plan::Plan& plan = planned.plan;
    if (plan.blocked()) {
        std::cerr << render::plan_text(plan, false);
        std::cerr << "stackshift: error: cannot rehearse: the plan needs input ("
                  << (plan.needs_input() ? "give the values with --values"
                                         : "acknowledge the stateful resources it replaces or removes with --allow-replace "
                                           "STACK/LOGICALID")
                  << "); nothing was run\n";
        plan::Rehearsal blocked = apply::blocked_rehearsal(plan);
        write_report(options, blocked);
        return blocked.exit_code();
    }

    // A saved plan is refused as apply refuses it when the deployment changed since it was made:
    // the real run would not start. Checked in a world of its own, so that the rehearsal's API
    // call counts are the run's alone.
    if (!planned.saved_file.empty()) {
        cloud::sim::SimCloud now(cloud::sim::world_from_deployment(*planned.planned_from, {}));
        refuse_stale_plan(now, planned);
    }

    // The world: made in memory from the deployment as it is, never saved.
    cloud::sim::SimCloud sim(cloud::sim::world_from_deployment(*planned.planned_from, scenario));
    apply::RehearsalOptions ro;
    ro.container = planned.container;
    ro.secret = planned.secret();
    if (planned.read_template) ro.read_template = planned.read_template;
    ro.on_hop_done = [&sim](const plan::Hop& hop) { sim.world().version = hop.to.to_string(); };
    ro.world = [&sim] { return world_facts(sim.world()); };
    // The bucket the real run will be given: the rehearsal cannot see into S3, so the world
    // holds it as the operator says it exists.
    ro.template_bucket = options.template_bucket;
    if (!ro.template_bucket.empty()) sim.world().inventory.s3_buckets.insert(ro.template_bucket);

    // Run, then report.
    plan::Rehearsal rehearsal = apply::rehearse(plan, plan::plan_fingerprint(plan), sim, ro);
    write_report(options, rehearsal);
    return rehearsal.exit_code();
}

}  // namespace

Handler setup_rehearse(CommandLine& command) {
    auto options = std::make_shared<RehearseOptions>();
    add_plan_source_options(command, options->source, SavedPlans::accepted);
    command.option("--scenario", options->scenario,
                   "Faults to inject, YAML or JSON, as for 'stackshift sim init' (default: a --backend sim: world's own)");
    command.option("--output", options->output, "Report format").one_of({"text", "markdown", "json"});
    command.option("--out", options->out_path, "Write the report to this file instead of standard output");
    command.option("--template-bucket", options->template_bucket,
                   "The S3 bucket apply will be given for templates over 51,200 bytes (the rehearsal takes it to exist)");
    return [options] { return run_rehearse(*options); };
}

}  // namespace stackshift::cli
