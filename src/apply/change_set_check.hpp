#pragma once
// The change set against the plan, before it is executed: what CloudFormation says it will do
// (each change's PolicyAction and Scope) checked against what the plan's step expected. A
// check that fails stops the run with the change set left unexecuted (fail closed): the plan
// was made from templates and a deployment that may not be the ones AWS sees now.

#include <string>

#include "cloud/cloud.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

// Why the change set must not run, or empty when it may. It must not when it would:
// - replace or remove a resource the step does not list as replaced or removed (checked first:
//   the plan did not see this change at all);
// - delete a stateful resource (PolicyAction Delete or ReplaceAndDelete; stateful by the
//   resource spec's list or by the plan) whose loss the step does not acknowledge
//   (--allow-replace; a backup step the plan wrote does not count: the plan itself asks for
//   the acknowledgement beside it, and a manual backup is not proven to be done). Retain and
//   Snapshot keep the data and pass. A replacement or removal without a PolicyAction (AWS
//   gives none for a Conditional replacement; an old AWS CLI drops the field) counts as a
//   deletion, unless it is a removal the plan rated will-orphan (the deployed template's
//   DeletionPolicy Retain, which CloudFormation applies to a removed resource);
// - modify a resource the step does not list, or in a scope the step did not list for it.
// `name` is the change set's name, for the message.
std::string check_change_set(const plan::Step& step, const cloud::ChangeSet& set, const std::string& name);

}  // namespace stackshift::apply
