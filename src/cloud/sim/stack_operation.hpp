#pragma once
// Stack operations on the virtual clock. Starting an update, a create or a delete schedules
// the stack's events with CloudFormation's real states (UPDATE_IN_PROGRESS →
// UPDATE_COMPLETE_CLEANUP_IN_PROGRESS → UPDATE_COMPLETE, or UPDATE_ROLLBACK_IN_PROGRESS →
// UPDATE_ROLLBACK_COMPLETE / UPDATE_ROLLBACK_FAILED on a failing resource), one resource
// after another, each taking the time its type takes. `settle` publishes the events the clock
// has reached and, after the last one, applies the operation's outcome to the world.

#include <string>
#include <vector>

#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// What CloudFormation would do to a stack, and the world after it.
struct Update {
    std::vector<ResourceChange> changes;
    Outcome outcome;
    // The template differs as CloudFormation reads it: resources (Metadata, policies and Tags
    // included), parameters or outputs. A DependsOn or a condition renamed as it was is not.
    bool template_changes = false;
};

// Computes the changes from the stack as deployed to `new_body` with `new_parameters`, with
// the project's template diff, plus changes that parameter values alone cause. Throws
// CloudError ValidationError when the template cannot be read.
Update compute_update(World& world, const SimStack& stack, const std::string& new_body,
                      const StringMap& new_parameters);

// The resources a template makes, with physical ids invented deterministically.
std::vector<SimResource> initial_resources(const World& world, const std::string& stack_name,
                                           const std::string& body, const StringMap& parameters);

// Seconds a resource of this type takes to create, update or delete.
std::int64_t resource_seconds(const Scenario& scenario, std::string_view type);

enum class Operation { update, create };

// Schedules an update (or a create) of `stack` from its changes; the outcome applies when
// the last event is published, unless a scenario fault makes the stack roll back, or
// CloudFormation's export rules do (sim_exports.hpp): a missing import before any resource, an
// export in use removed or changed once the resources are done.
void start_update(World& world, SimStack& stack, const std::vector<ResourceChange>& changes, Outcome outcome,
                  Operation operation);

// Schedules the deletion of the stack and every resource.
void start_delete(World& world, SimStack& stack);

// A delete CloudFormation refuses (an export of the stack is in use): DELETE_IN_PROGRESS, then
// the stack is back in its status with `reason`, as AWS reports it (no DELETE_FAILED).
void refuse_delete(World& world, SimStack& stack, const std::string& reason);

// Publishes every event the clock has reached and applies finished outcomes.
void settle(World& world);

}  // namespace stackshift::cloud::sim
