#pragma once
// Exports and imports in the simulated region, with CloudFormation's rules: an update or a
// delete may not remove or change an export another stack imports, an import needs the export
// to exist, and an export name is unique in the region. Each stack holds its own exports and
// imports (SimStack::exports, ::imports); the region's table is their union.

#include <string>
#include <string_view>
#include <vector>

#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// Why CloudFormation refuses an operation over exports: `at_start` before any resource is
// touched (an import of a missing export), `at_end` once the resources are done, when the
// exports are written (an export in use removed or changed, a name another stack exports).
struct ExportVerdict {
    std::string at_start;
    std::string at_end;
};

// Computes the stack's outputs, exports and imports as `outcome` leaves them (the new template
// with the new parameters and resources) into the outcome, and the refusal AWS would give. An
// output whose value resolves as before keeps the value the stack reports (a snapshot's real
// values stay); removed outputs and those whose Condition is false are gone.
ExportVerdict prepare_outputs(const World& world, const SimStack& stack, Outcome& outcome);

// AWS's reason for refusing to delete the stack (an export of it is imported), or "".
std::string delete_refusal(const World& world, const SimStack& stack);

// The stacks other than `except` that import the export, in the world's order.
std::vector<std::string> importers(const World& world, std::string_view export_name, std::string_view except);

// The stack's exports and imports from its deployed template, parameters and outputs (a world
// made from a snapshot, a state file written before they were kept).
void derive_exports(const World& world, SimStack& stack);

}  // namespace stackshift::cloud::sim
