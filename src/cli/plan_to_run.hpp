#pragma once
// The plan apply and rehearse carry out: planned from the sources, as `plan` plans, or read from
// a saved plan (--plan FILE), and what the executor needs beside it in either case: the
// migration container, the values file's NoEcho values, and where the step templates are read.

#include <functional>
#include <optional>
#include <string>

#include "cfn/deployment.hpp"
#include "cli/plan_source.hpp"
#include "cloud/cloud.hpp"
#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::cli {

struct PlanToRun {
    plan::Plan plan;
    std::string container;    // the container a migration task overrides; "" when none
    plan::StackValues values;  // NoEcho values are read here when a step sends them
    // The step templates: the saved plan's pinned texts by template file; empty: the files.
    std::function<std::string(const std::string& path)> read_template;
    std::string saved_file;                  // --plan, "" when planned from the sources
    std::optional<cfn::Deployment> planned_from;  // the deployment planned from the sources

    // ExecutorOptions::secret over `values`.
    std::function<std::optional<std::string>(const std::string&, const std::string&, const std::string&)> secret() const;
};

// The plan of the sources, as `plan` makes it.
PlanToRun plan_from_sources(plan::PlanInputs inputs);
// The same, for a plan already made from `inputs`.
PlanToRun plan_from_sources(plan::PlanInputs inputs, plan::Plan plan);

// The saved plan `source.saved_plan` names, for the deployment the backend holds: its
// `deployment` is the backend's name (as the journal keys runs), and `values` the --values file.
// InputError for a file that cannot be read (exit 2) and for a NoEcho value a step sends that the
// values file (or its absence) does not give.
PlanToRun plan_from_saved(const PlanSource& source);

// Before the first step of a new run of a saved plan: throws Error (exit 1) naming each stack
// that changed since the plan was made, and what changed, and saying to plan again.
void refuse_stale_plan(cloud::Cloud& cloud, const PlanToRun& run);

// Why a blocked plan cannot run: "it needs input (give the values with --values)", ...
std::string blocked_reason(const plan::Plan& plan);

}  // namespace stackshift::cli
