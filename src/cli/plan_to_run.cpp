#include "cli/plan_to_run.hpp"

#include <memory>

#include "apply/stale_plan.hpp"
#include "core/error.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"
#include "plan/saved_plan.hpp"

namespace stackshift::cli {

std::function<std::optional<std::string>(const std::string&, const std::string&, const std::string&)> PlanToRun::secret() const {
    return [this](const std::string& stack, const std::string& template_id, const std::string& parameter) {
        return values.find(stack, template_id, parameter);
    };
}

PlanToRun plan_from_sources(plan::PlanInputs inputs) {
    plan::Plan plan = plan::make_plan(inputs);
    return plan_from_sources(std::move(inputs), std::move(plan));
}

PlanToRun plan_from_sources(plan::PlanInputs inputs, plan::Plan plan) {
    PlanToRun run;
    run.plan = std::move(plan);
    if (inputs.profile.migrations) run.container = inputs.profile.migrations->container;
    run.values = std::move(inputs.values);
    run.planned_from = std::move(inputs.deployment);
    return run;
}

namespace {

// Every NoEcho value a step sends from the values file is there now: the plan was made with it,
// and apply reads it again as it sends it (the saved plan never holds it).
void check_secrets_given(const PlanToRun& run, const std::string& values_path) {
    for (const auto& hop : run.plan.hops)
        for (const auto& step : hop.steps)
            for (const auto& p : step.parameters) {
                if (!p.no_echo || !p.value_given || run.values.find(step.stack, step.template_id, p.name)) continue;
                throw InputError("step " + step.id + " of " + run.saved_file + " sends the NoEcho parameter " + p.name + " of " +
                                 step.stack + ", whose value the values file gave when the plan was made; " +
                                 (values_path.empty() ? "give that file with --values FILE"
                                                      : values_path + " does not give it: add " + step.stack + ": {" + p.name +
                                                            ": ...} or give the file the plan was made with"));
            }
}

std::string backend_deployment_name(const PlanSource& source, const plan::Plan& plan) {
    if (source.backend == "aws") return "aws:" + (source.stack_prefix.empty() ? plan.stack_prefix : source.stack_prefix);
    return source.backend;
}

}  // namespace

PlanToRun plan_from_saved(const PlanSource& source) {
    auto saved = plan::load_saved_plan(source.saved_plan);
    if (!saved) throw InputError(saved.diagnostics());
    PlanToRun run;
    run.saved_file = source.saved_plan;
    run.container = saved->container;
    run.plan = std::move(saved->plan);
    run.plan.deployment = backend_deployment_name(source, run.plan);
    if (!source.request.values_path.empty()) {
        auto values = plan::load_stack_values(source.request.values_path);
        if (!values) throw InputError(values.diagnostics());
        run.values = std::move(values).value();
    }
    check_secrets_given(run, source.request.values_path);
    // Only the reviewed texts: a step whose template the file does not pin cannot be (the reader
    // checked), and no template is ever read from disk.
    auto templates = std::make_shared<std::map<std::string, std::string, std::less<>>>(std::move(saved->templates));
    std::string file = run.saved_file;
    run.read_template = [templates, file](const std::string& path) {
        auto it = templates->find(path);
        if (it == templates->end()) throw Error(ExitCode::failure, "the saved plan " + file + " pins no template '" + path + "'");
        return it->second;
    };
    return run;
}

void refuse_stale_plan(cloud::Cloud& cloud, const PlanToRun& run) {
    std::vector<std::string> changes = apply::stale_stacks(cloud, run.plan);
    if (changes.empty()) return;
    std::string message = "the saved plan " + run.saved_file + " is stale: the deployment changed since it was made:";
    for (const auto& c : changes) message += "\n  " + c;
    message += "\nplan again ('stackshift plan ... --output json --out FILE'), review the new plan and apply it; nothing was changed";
    throw Error(ExitCode::failure, message);
}

std::string blocked_reason(const plan::Plan& plan) {
    if (plan.needs_input()) return "it needs input (give the values with --values)";
    if (plan.has_unacknowledged_danger())
        return "it replaces or removes stateful resources nobody acknowledged (--allow-replace STACK/LOGICALID)";
    return "CloudFormation would refuse a step over an export (see Export conflicts)";
}

}  // namespace stackshift::cli
