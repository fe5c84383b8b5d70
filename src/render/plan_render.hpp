#pragma once
// Renderers for a plan: a runbook for the terminal, read top to bottom (summary, then the
// steps with their risk, what changes and why); Markdown for a change ticket; JSON as
// DESIGN.md fixes it.

#include <string>

#include "plan/plan.hpp"

namespace stackshift::render {

struct PlanSummary {
    int steps = 0;
    int updates = 0;        // update-stack and set-parameters steps
    int skipped = 0;
    int deploys = 0;
    int deletes = 0;
    int migrations = 0;
    int manual = 0;         // steps a person carries out or confirms
    int danger = 0;
    int unacknowledged = 0;
    int caution = 0;
    int inputs = 0;
};

PlanSummary summarize(const plan::Plan& plan);

// Every rendering shows the plan's fingerprint, plan::plan_fingerprint (plan/fingerprint.hpp):
// what a reviewer pins, computed over what the plan means, never over a rendering.
std::string plan_json(const plan::Plan& plan);
std::string plan_text(const plan::Plan& plan, bool color);
std::string plan_markdown(const plan::Plan& plan);

}  // namespace stackshift::render
