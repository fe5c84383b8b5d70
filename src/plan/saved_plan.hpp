#pragma once
// A saved plan (`plan --out FILE --output json`, "format": "stackshift-plan/1"): the plan with
// everything `apply --plan` needs to carry it out exactly, without the release folders: every
// field of every step, the text of each template a step sends (pinned by its SHA-256, which is
// also the step's `template_hash`), what the plan was made from (`Plan::made_from`), the
// profile's migration container and the fingerprint. render/ writes it (saved_plan_json); this
// reads it back through doc/, every problem at its file:line:column.
//
// NoEcho values are never in it: a step that sends one the values file gives says so
// (`ParameterPlan::value_given`) and apply reads the value there, as it does for a plan it makes.

#include <map>
#include <string>

#include "core/result.hpp"
#include "plan/plan.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::plan {

inline constexpr std::string_view saved_plan_format = "stackshift-plan/1";

struct SavedPlan {
    Plan plan;
    // The text of each template a step reads, by the step's `template_file`.
    std::map<std::string, std::string, std::less<>> templates;
    std::string container;  // the container a migration task overrides (the profile's); "" for none
    std::string file;       // where it was read from ("" before it is written)
};

// The plan with the templates its steps read, taken from the release texts the planner hashed.
// Throws Error when a step's template is not among them or no longer hashes to the step's
// template_hash (fail closed: the file would pin a text nobody planned with).
SavedPlan save_plan(Plan plan, const PlanInputs& inputs);

// Reads a saved plan. Every problem (not JSON, the format tag, a missing or mistyped key, an
// unknown step kind, action, impact or scope, a template whose text does not hash to its pinned
// SHA-256 or to its step's hash, a fingerprint other than the plan's) names the file, the place
// and the fix.
Result<SavedPlan> load_saved_plan(const std::string& path);
Result<SavedPlan> parse_saved_plan(std::string_view text, const std::string& file);

}  // namespace stackshift::plan
