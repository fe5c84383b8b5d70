// stackshift plan: loads the deployment (a snapshot, or a simulated world), the release source
// and the profile, computes the runbook and renders it. Exit code 3 when the plan needs input
// or holds a danger that was not acknowledged. With --output json the plan is a saved plan
// (plan/saved_plan.hpp), which apply and rehearse take with --plan FILE.

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/plan_source.hpp"
#include "cli/resume_changes.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planner.hpp"
#include "plan/saved_plan.hpp"
#include "render/plan_render.hpp"
#include "render/saved_plan_json.hpp"

namespace stackshift::cli {

namespace {

struct PlanOptions {
    PlanSource source;
    std::string output = "text";
    std::string out_path;
    std::string journal;  // optional: what earlier applies left switched off is switched back on
};

int run_plan(const PlanOptions& options) {
    plan::PlanRequest request = with_deployment(options.source);
    if (!options.journal.empty()) request.switched_off = journal_switched_off(options.journal, request.deployment_path);
    plan::PlanInputs inputs = plan::load_plan_inputs(request);
    plan::Plan result = plan::make_plan(inputs);
    bool blocked = result.blocked();
    bool to_file = !options.out_path.empty();
    bool color = !to_file && detect_terminal(std::cout).color;
    std::string text;
    // JSON is the saved plan: what `apply --plan` and `rehearse --plan` carry out, its templates
    // in it. A blocked one is written too: it is the report of what is missing, and both refuse it.
    if (options.output == "json") text = render::saved_plan_json(plan::save_plan(std::move(result), inputs)) + "\n";
    else if (options.output == "markdown") text = render::plan_markdown(result);
    else text = render::plan_text(result, color);
    if (to_file) {
        write_file_atomic(options.out_path, text);
        std::cerr << "stackshift: plan written to " << options.out_path << '\n';
    } else {
        std::cout << text;
    }
    return static_cast<int>(blocked ? ExitCode::needs_input : ExitCode::ok);
}

}  // namespace

Handler setup_plan(CommandLine& command) {
    auto options = std::make_shared<PlanOptions>();
    add_plan_source_options(command, options->source);
    command.option("--output", options->output, "Output format")
        .one_of({"text", "markdown", "json"});
    command.option("--out", options->out_path,
                   "Write the plan to this file instead of standard output (written whole or not at all); with --output "
                   "json it is a saved plan, its templates pinned by sha256, for 'apply --plan FILE' and 'rehearse --plan FILE'");
    command.option("--journal", options->journal,
                   "The deployment's journal (from 'stackshift apply'): switch back on what its runs left switched off");
    return [options] { return run_plan(*options); };
}

}  // namespace stackshift::cli
