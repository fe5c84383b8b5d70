#include "cli/resume_changes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"
#include "render/plan_changes.hpp"
#include "render/plan_render.hpp"

namespace stackshift::cli {

namespace {

bool unfinished(apply::RunOutcome outcome) {
    return outcome == apply::RunOutcome::running || outcome == apply::RunOutcome::failed ||
           outcome == apply::RunOutcome::stopped || outcome == apply::RunOutcome::interrupted;
}

std::optional<std::string> saved_plan_of(const std::string& journal_path, std::int64_t run_id) {
    std::string path = run_plan_path(journal_path, run_id);
    if (!std::filesystem::exists(path)) return std::nullopt;
    auto text = read_file(path);
    if (!text) throw InputError(text.diagnostics());
    return std::move(text).value();
}

// Says what changed between the superseded run's plan and the plan of the current inputs from
// the same deployment state.
void say_what_changed(const std::string& journal_path, const apply::RunRecord& run, const plan::Plan& compared,
                      const std::optional<std::string>& saved) {
    std::cout << "no unfinished run of this plan: run " << run.id << " (" << apply::run_outcome_name(run.outcome)
              << ") ran another plan of " << run.deployment << "; what changed in the inputs since it was planned:\n";
    if (!saved) {
        std::cout << "  (its plan was not kept beside the journal, " << run_plan_path(journal_path, run.id)
                  << ": what changed cannot be said)\n";
        return;
    }
    auto lines = render::plan_changes(*saved, render::plan_json(compared), run_plan_path(journal_path, run.id));
    if (lines.empty())
        lines.push_back("no parameter, acknowledgement or step differs; the plans differ elsewhere (plan " +
                        run.plan_fingerprint + ", now " + plan::plan_fingerprint(compared) + ")");
    for (const auto& line : lines) std::cout << "  " << line << '\n';
}

// The --allow-replace names (STACK/LOGICALID) of endangered resources acknowledged in steps of
// the run that are done: the resource was replaced or removed already.
std::set<std::string> used_acknowledgements(const std::string& saved, const apply::Journal& journal, std::int64_t run_id) {
    std::set<std::string> done;
    for (const auto& step : journal.steps(run_id))
        if (step.status == apply::StepStatus::done) done.insert(step.step_id);
    std::set<std::string> used;
    auto plan = nlohmann::json::parse(saved);
    for (const auto& hop : plan["hops"])
        for (const auto& step : hop["steps"]) {
            if (!done.count(step.value("id", "")) || !step.contains("resources")) continue;
            for (const auto& [id, r] : step["resources"].items())
                if (r.value("acknowledged", false)) used.insert(step.value("stack", "") + "/" + id);
        }
    return used;
}

// Those of `names` (STACK/LOGICALID) whose resource the plan endangers.
std::vector<std::string> endangered_among(const plan::Plan& plan, const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps)
            for (const auto& r : step.resources) {
                std::string name = step.stack + "/" + r.logical_id;
                bool listed = std::find(names.begin(), names.end(), name) != names.end();
                if (r.endangered() && listed && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
            }
    return out;
}

}  // namespace

std::string run_plan_path(const std::string& journal, std::int64_t run_id) {
    return journal + ".run-" + std::to_string(run_id) + ".plan.json";
}

void save_run_plan(const std::string& journal, std::int64_t run_id, const plan::Plan& plan) {
    write_file_atomic(run_plan_path(journal, run_id), render::plan_json(plan) + "\n");
}

std::vector<plan::SwitchedOff> switched_off_in(const apply::Journal& journal, const std::string& deployment,
                                               std::int64_t before_run) {
    std::vector<plan::SwitchedOff> out;
    for (const auto& r : journal.switched_off(deployment, before_run)) out.push_back({r.procedure, r.stack, r.run_id, r.step_id});
    return out;
}

std::vector<plan::SwitchedOff> switched_off_in(const std::string& journal_path, const std::string& deployment,
                                               std::int64_t before_run) {
    if (!std::filesystem::exists(journal_path)) return {};
    apply::Journal journal(journal_path, apply::JournalAccess::read_existing);
    return switched_off_in(journal, deployment, before_run);
}

std::vector<plan::SwitchedOff> journal_switched_off(const std::string& journal_path, const std::string& deployment) {
    apply::Journal journal(journal_path, apply::JournalAccess::read_existing);
    std::set<std::string> others;
    bool any = false;
    for (const auto& run : journal.runs()) {
        any = any || run.deployment == deployment;
        others.insert(run.deployment);
    }
    if (!any)
        throw InputError("--journal " + journal_path + ": it holds no run of " + deployment +
                         (others.empty() ? std::string(" (it holds no run at all)")
                                         : " (it holds runs of " + join(std::vector<std::string>(others.begin(), others.end()), ", ") + ")") +
                         "; give the journal 'stackshift apply' kept for this deployment");
    return switched_off_in(journal, deployment);
}

std::optional<apply::RunRecord> unfinished_run_of(const apply::Journal& journal, const std::string& deployment) {
    for (const auto& run : journal.runs())  // newest first
        if (run.deployment == deployment && unfinished(run.outcome)) return run;
    return std::nullopt;
}

std::vector<plan::SwitchedOff> switched_off_for_apply(const std::string& journal_path, const std::string& deployment,
                                                      bool resume) {
    if (!std::filesystem::exists(journal_path)) return {};
    apply::Journal journal(journal_path, apply::JournalAccess::read_existing);
    std::int64_t before = std::numeric_limits<std::int64_t>::max();
    if (resume)
        if (auto run = unfinished_run_of(journal, deployment)) before = run->id;
    return switched_off_in(journal, deployment, before);
}

std::optional<NewCourse> plan_new_course(const PlanSource& source, const std::string& journal_path,
                                         const apply::Journal& journal, const plan::Plan& compared) {
    auto run = unfinished_run_of(journal, compared.deployment);
    if (!run) return std::nullopt;
    auto saved = saved_plan_of(journal_path, run->id);
    say_what_changed(journal_path, *run, compared, saved);

    // From the deployment as it is now: the stacks the run updated are unchanged for the planner.
    plan::PlanRequest request = with_deployment(source);
    request.switched_off = switched_off_in(journal, compared.deployment);
    std::vector<std::string> used;
    if (saved) {
        auto done = used_acknowledgements(*saved, journal, run->id);
        std::erase_if(request.allow_replace, [&](const std::string& name) {
            if (!done.count(name)) return false;
            used.push_back(name);
            return true;
        });
    }
    plan::PlanInputs inputs = plan::load_plan_inputs(request);
    plan::Plan plan = plan::make_plan(inputs);
    // An acknowledgement the new plan needs again (it endangers the resource once more) stays.
    std::vector<std::string> again = endangered_among(plan, used);
    if (!again.empty()) {
        request.allow_replace.insert(request.allow_replace.end(), again.begin(), again.end());
        inputs = plan::load_plan_inputs(request);
        plan = plan::make_plan(inputs);
    }
    for (const auto& name : used)
        if (std::find(again.begin(), again.end(), name) == again.end())
            std::cout << "  --allow-replace " << name << ": run " << run->id
                      << " already did the step it acknowledged; the new plan does not need it\n";
    return NewCourse{*run, std::move(inputs), std::move(plan)};
}

std::int64_t begin_new_course(apply::Journal& journal, const NewCourse& course, const std::string& fingerprint,
                              const std::string& saved_deployment_path) {
    const plan::Plan& plan = course.plan;
    write_file_atomic(saved_deployment_path, inputs::deployment_to_json(course.inputs.deployment));
    std::int64_t run_id = journal.begin_run({plan.deployment, fingerprint, plan.from.to_string(), plan.to.to_string()},
                                            apply::journal_steps(plan));
    save_run_plan(journal.path(), run_id, plan);
    journal.end_run(course.superseded.id, apply::RunOutcome::abandoned,
                    "superseded by run " + std::to_string(run_id) + " (inputs changed)");
    std::cout << "run " << run_id << " supersedes run " << course.superseded.id
              << " (inputs changed): a new plan from the deployment as it is now\n";
    return run_id;
}

}  // namespace stackshift::cli
