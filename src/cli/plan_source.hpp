#pragma once
// The options that say what to plan, shared by `plan` and `apply`: the deployment (a snapshot
// or a simulated world), the releases, the versions, the values and the acknowledgements.

#include <CLI/CLI.hpp>
#include <string>

#include "plan/plan_inputs.hpp"

namespace stackshift::cli {

struct PlanSource {
    plan::PlanRequest request;
    std::string backend;
};

// Registers --deployment, --backend, --releases, --to, --from, --values, --allow-replace, --product.
void add_plan_source_options(CLI::App& command, PlanSource& source);

// The request with its deployment: the snapshot file, or the world of a simulated AWS.
plan::PlanRequest with_deployment(const PlanSource& source);

}  // namespace stackshift::cli
