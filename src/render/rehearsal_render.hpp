#pragma once
// Renderers for a rehearsal's verdict (plan/rehearsal.hpp): text for the terminal (colored like
// the plan), Markdown for a change ticket, JSON for machines. The JSON shape:
//
//   {"verdict": "would-succeed" | "would-fail" | "blocked",
//    "deployment": "...", "from": "3.14.2", "to": "3.30.2",
//    "failedStep": {"id", "title", "kind", "stack", "logicalId"?, "resourceType"?, "stackStatus"?} | null,
//    "error": {"code": "...", "message": "...", "detail": "<the executor's account>", "log": ["..."]} | null,
//    "advice": ["what to change", ...],
//    "steps": {"total": N, "done": N, "skipped": N, "failed": N, "notRun": N},
//    "clock_s": <virtual seconds the upgrade took>,
//    "api_calls": {"<Operation>": N, ...},
//    "data_lost": [{"stack", "logicalId", "type", "cause", "acknowledged": bool, "systemDisk": bool (an instance's root volume, deleted with it: no failure)}],
//    "manual_steps": [{"id", "title", "kind", "details": [...], "reached": bool}]}
//
// `error.code` is AWS's error code of a refused call, the HandlerErrorCode or failed status of
// the resource that failed, the status of a stack that blocks the run, or a migration task's last
// status; `log` is present for a migration. A blocked verdict has no failed step and no error.

#include <string>

#include "plan/rehearsal.hpp"

namespace stackshift::render {

std::string rehearsal_text(const plan::Rehearsal& rehearsal, bool color);
std::string rehearsal_markdown(const plan::Rehearsal& rehearsal);
std::string rehearsal_json(const plan::Rehearsal& rehearsal);

}  // namespace stackshift::render
