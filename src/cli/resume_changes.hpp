#pragma once
// Changing course mid-upgrade (`apply --resume` with changed inputs): when the journal holds an
// unfinished run of the deployment under another plan than the one the current inputs give, the
// run is superseded by a new run of a plan made from the deployment as it now is. Also what the
// journal tells the planner: the procedures earlier runs left switched off.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "apply/journal.hpp"
#include "cli/plan_source.hpp"
#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::cli {

// Where the plan a run executes is kept beside the journal, as render::plan_json writes it (no
// NoEcho value is in a plan): `<journal>.run-<id>.plan.json`.
std::string run_plan_path(const std::string& journal, std::int64_t run_id);
void save_run_plan(const std::string& journal, std::int64_t run_id, const plan::Plan& plan);

// The procedures the journal says runs of `deployment` numbered before `before_run` left
// switched off, for PlanRequest::switched_off. No journal file: none.
std::vector<plan::SwitchedOff> switched_off_in(const apply::Journal& journal, const std::string& deployment,
                                               std::int64_t before_run = std::numeric_limits<std::int64_t>::max());
std::vector<plan::SwitchedOff> switched_off_in(const std::string& journal_path, const std::string& deployment,
                                               std::int64_t before_run = std::numeric_limits<std::int64_t>::max());

// For `plan --journal FILE`: the journal must exist and hold runs of the deployment (a journal of
// another deployment would tell nothing, silently); InputError naming what it holds otherwise.
std::vector<plan::SwitchedOff> journal_switched_off(const std::string& journal_path, const std::string& deployment);

// The newest run of the deployment, under any plan, that neither succeeded nor was abandoned.
std::optional<apply::RunRecord> unfinished_run_of(const apply::Journal& journal, const std::string& deployment);
// What the planner is told for a plan the journal's runs come before: the switch-offs of the
// runs before the unfinished run `--resume` continues (the state its plan was made in), or of
// every run for a new one. Run once before planning, without taking the lock.
std::vector<plan::SwitchedOff> switched_off_for_apply(const std::string& journal_path, const std::string& deployment,
                                                      bool resume);

// A new course: the plan of the current inputs from the deployment as it now is.
struct NewCourse {
    apply::RunRecord superseded;  // the unfinished run it replaces
    plan::PlanInputs inputs;
    plan::Plan plan;
};

// When `compared` (the plan the current inputs give from the run's saved state) has no
// unfinished run but another plan of its deployment has one: prints what changed between that
// run's plan and `compared`, and makes the new plan from the deployment read afresh through
// `source`, told what the journal says is switched off. The --allow-replace acknowledgements of
// resources the superseded run's done steps already replaced or removed are dropped, and said.
// nullopt: no unfinished run of the deployment at all. Nothing is written.
std::optional<NewCourse> plan_new_course(const PlanSource& source, const std::string& journal_path,
                                         const apply::Journal& journal, const plan::Plan& compared);

// Starts the new course's run: the deployment it was planned from and its plan saved beside the
// journal, its steps journaled, and the superseded run ended `abandoned` ("superseded by run N
// (inputs changed)"). Returns the new run's id.
std::int64_t begin_new_course(apply::Journal& journal, const NewCourse& course, const std::string& fingerprint,
                              const std::string& saved_deployment_path);

}  // namespace stackshift::cli
