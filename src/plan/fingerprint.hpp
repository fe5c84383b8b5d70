#pragma once
// The plan's identity: a short hash (core/fingerprint's 16 hex digits) over what the plan
// means, so that a run of apply resumes only under the plan it was started with, and change
// sets, task tokens, snapshot ids and uploaded templates are named from it. It is computed
// over a serialisation written for this purpose alone, never over a renderer's output: a
// reworded sentence or another spelling of a path is the same plan; a different action is not.
//
// In (each changes what apply does, or what a reviewer approved):
//   - the versions FROM and TO, the profile's name;
//   - each hop's versions and, for each step in order: its id, kind, risk and whether it is
//     automated; the stack, template id and the content hash of the target template's text
//     (`Step::template_hash`, not its file), whether the deployed template is kept; each
//     parameter's name, action, value, the value before, the parameter it carries and whether
//     it is NoEcho (a NoEcho parameter contributes only whether the values file gives it,
//     never a value: the plan holds none, and the hash must not depend on a secret); the
//     dropped parameters; each resource's logical id, type, impact, whether it is stateful,
//     acknowledged (`--allow-replace`), its changed properties and change-set scopes; the
//     logical id and role of a snapshot or terminate step, the output a migration reads, its
//     database, command, image, the steps that require it and whether it is conditional; the
//     seconds of a wait;
//   - the inputs the plan still needs (stack, template id, parameter, allowed values, role,
//     acknowledgement id, migration): an acknowledgement given in the values file removes one;
//   - the export conflicts (step, stack, export, kind, importers, whether only possible).
// Out (prose or the spelling of where something was read; none changes an action):
//   - titles, `why`, details, a skip's reason, warnings, the release notes to read, an
//     input's `why` and source (file:line), an export conflict's fix text;
//   - file paths: the deployment's file (the journal keeps runs by deployment already; the
//     stacks' names in the steps say which deployment the plan acts on), the release folder,
//     each template's file.
//   - `Plan::blocked()` and the summary counts: they follow from what is in.

#include <string>

#include "plan/plan.hpp"

namespace stackshift::plan {

std::string plan_fingerprint(const Plan& plan);

// The content hash stored in `Step::template_hash`: a template's identity by its text, its
// SHA-256 in hex, which a saved plan pins each template with (a file a reviewer approved
// cannot be given another text under the same hash).
std::string template_content_hash(std::string_view text);

}  // namespace stackshift::plan
