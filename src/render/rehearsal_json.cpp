// A rehearsal's verdict as JSON: the shape is in rehearsal_render.hpp.

#include <nlohmann/json.hpp>

#include "render/rehearsal_render.hpp"

namespace stackshift::render {

namespace {

using Json = nlohmann::ordered_json;

Json failed_step_json(const plan::FailedStep& f) {
    Json out{{"id", f.id}, {"title", f.title}, {"kind", f.kind}, {"stack", f.stack}};
    if (!f.logical_id.empty()) out["logicalId"] = f.logical_id;
    if (!f.resource_type.empty()) out["resourceType"] = f.resource_type;
    if (!f.stack_status.empty()) out["stackStatus"] = f.stack_status;
    return out;
}

Json error_json(const plan::RehearsalError& e) {
    Json out{{"code", e.code}, {"message", e.message}, {"detail", e.detail}};
    if (!e.log.empty()) out["log"] = e.log;
    return out;
}

}  // namespace

std::string rehearsal_json(const plan::Rehearsal& r) {
    Json out;
    out["verdict"] = std::string(plan::verdict_name(r.verdict));
    out["deployment"] = r.deployment;
    out["from"] = r.from;
    out["to"] = r.to;
    out["failedStep"] = r.failed_step ? failed_step_json(*r.failed_step) : Json(nullptr);
    out["error"] = r.error ? error_json(*r.error) : Json(nullptr);
    out["advice"] = r.advice;
    out["steps"] = {{"total", r.steps.total}, {"done", r.steps.done}, {"skipped", r.steps.skipped},
                    {"failed", r.steps.failed}, {"notRun", r.steps.not_run}};
    out["clock_s"] = r.clock_s;
    out["api_calls"] = Json::object();
    for (const auto& [operation, count] : r.api_calls) out["api_calls"][operation] = count;
    out["data_lost"] = Json::array();
    for (const auto& d : r.data_lost) {
        out["data_lost"].push_back({{"stack", d.stack}, {"logicalId", d.logical_id}, {"type", d.type}, {"cause", d.cause},
                                    {"acknowledged", d.acknowledged}, {"systemDisk", d.system_disk}});
    }
    out["manual_steps"] = Json::array();
    for (const auto& m : r.manual_steps) {
        out["manual_steps"].push_back({{"id", m.id}, {"title", m.title}, {"kind", m.kind}, {"details", m.details},
                                       {"reached", m.reached}});
    }
    return out.dump(2);
}

}  // namespace stackshift::render
