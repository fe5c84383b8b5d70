#include "cloud/sim/stack_operation.hpp"

#include <algorithm>

#include "cfn/stateful_types.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/drift.hpp"
#include "cloud/sim/machines.hpp"
#include "cloud/sim/account.hpp"
#include "cloud/sim/sim_exports.hpp"
#include "cloud/sim/task_definitions.hpp"

namespace stackshift::cloud::sim {

namespace {

constexpr std::string_view stack_type = "AWS::CloudFormation::Stack";

// Appends scheduled events to a stack, each with a fresh id.
class Timeline {
public:
    Timeline(World& world, SimStack& stack) : m_world(world), m_stack(stack), m_t(world.clock_s) {}

    std::int64_t& t() { return m_t; }

    void stack_event(const std::string& status, const std::string& reason = {}) {
        event(m_stack.name, m_stack.id, std::string(stack_type), status, reason);
    }

    void event(const std::string& logical_id, const std::string& physical_id, const std::string& type,
               const std::string& status, const std::string& reason = {}) {
        std::string id = make_id("", m_stack.name + "#" + std::to_string(m_world.next_serial++), 32);
        id = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" + id.substr(16, 4) + "-" + id.substr(20, 12);
        m_stack.pending.push_back({id, m_stack.name, logical_id, physical_id, type, status, reason, m_t});
    }

    // A resource operation: IN_PROGRESS now, the end `seconds` later.
    void resource(const std::string& logical_id, const std::string& physical_id, const std::string& type,
                  const std::string& verb, const std::string& reason = {}, std::int64_t extra_seconds = 0) {
        m_t += 1;
        event(logical_id, physical_id, type, verb + "_IN_PROGRESS", reason);
        m_t += resource_seconds(m_world.scenario, type) + extra_seconds;
        event(logical_id, physical_id, type, verb + "_COMPLETE");
    }

private:
    World& m_world;
    SimStack& m_stack;
    std::int64_t m_t;
};

const FailingResource* failing(const World& world, const SimStack& stack, std::string_view logical_id) {
    for (const auto& f : world.scenario.failing_resources) {
        if ((f.stack == stack.name || f.stack == stack.template_id) && f.logical_id == logical_id) return &f;
    }
    return nullptr;
}

std::string new_physical_id(const Outcome& o, std::string_view logical_id) {
    for (const auto& r : o.resources) {
        if (r.logical_id == logical_id) return r.physical_id;
    }
    return {};
}

// Undoes `undo` (in that order): modified resources back, then resources made new deleted.
void undo_changes(Timeline& tl, const std::vector<ResourceChange>& undo, const Outcome& outcome, Operation op) {
    bool create = op == Operation::create;
    for (const auto& c : undo) {
        if (c.action == ChangeAction::modify) tl.resource(c.logical_id, c.physical_id, c.resource_type, "UPDATE");
    }
    if (!create) {
        tl.t() += 1;
        tl.stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
    }
    for (const auto& c : undo) {
        bool made_new = c.action == ChangeAction::add || (c.action == ChangeAction::modify && c.replacement == ChangeReplacement::yes);
        if (made_new) tl.resource(c.logical_id, new_physical_id(outcome, c.logical_id), c.resource_type, "DELETE");
    }
    tl.t() += 1;
    tl.stack_event(create ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_COMPLETE");
}

// The rollback after `failed` failed, undoing `done` (changes that completed) in reverse.
void schedule_rollback(Timeline& tl, World& world, const std::vector<ResourceChange>& done,
                       const ResourceChange& failed, const FailingResource& fault, const Outcome& outcome, Operation op) {
    bool create = op == Operation::create;
    std::string prefix = create ? "ROLLBACK" : "UPDATE_ROLLBACK";
    tl.t() += 1;
    tl.stack_event(prefix + "_IN_PROGRESS",
                   "The following resource(s) failed to " + std::string(create ? "create" : "update") + ": [" + failed.logical_id + "]. ");
    if (fault.rollback_fails) {
        tl.t() += resource_seconds(world.scenario, failed.resource_type);
        tl.event(failed.logical_id, failed.physical_id, failed.resource_type, create ? "DELETE_FAILED" : "UPDATE_FAILED",
                 "Resource handler returned message: \"rollback of " + failed.logical_id + " failed\"");
        tl.t() += 1;
        tl.stack_event(prefix + "_FAILED", "The following resource(s) failed to " + std::string(create ? "delete" : "update") +
                                               ": [" + failed.logical_id + "]. ");
        return;
    }
    std::vector<ResourceChange> undo(done.rbegin(), done.rend());
    if (failed.action == ChangeAction::modify) undo.insert(undo.begin(), failed);
    undo_changes(tl, undo, outcome, op);
}

// The rollback of an operation CloudFormation refuses as a whole (an export in use, an import
// of a missing export): the stack's reason says why, and what was done is undone.
void schedule_refusal(Timeline& tl, const std::vector<ResourceChange>& done, const std::string& reason,
                      const Outcome& outcome, Operation op) {
    tl.t() += 1;
    tl.stack_event(op == Operation::create ? "ROLLBACK_IN_PROGRESS" : "UPDATE_ROLLBACK_IN_PROGRESS", reason);
    undo_changes(tl, std::vector<ResourceChange>(done.rbegin(), done.rend()), outcome, op);
}

// The outputs, exports and imports the operation leaves (a deleted stack has none).
void take_outputs(SimStack& stack, Outcome& o) {
    if (o.deletes) {
        stack.outputs.clear();
        stack.exports.clear();
        stack.imports.clear();
    } else if (o.outputs_computed) {
        stack.outputs = std::move(o.outputs);
        stack.exports = std::move(o.exports);
        stack.imports = std::move(o.imports);
    }
}

void finish(World& world, SimStack& stack) {
    Outcome o = std::move(*stack.outcome);
    stack.outcome.reset();
    bool success = stack.status.ends_with("_COMPLETE") && stack.status.find("ROLLBACK") == std::string::npos;
    for (auto& c : world.change_sets) {
        if (c.described.id == o.change_set_id) c.described.execution_status = success ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED";
    }
    if (!success || !o.applies) {
        end_service_rollouts(world, stack);
        return;
    }
    std::vector<SimResource> before = std::move(stack.resources);
    std::string before_body = stack.template_body;  // the policies of what the operation removed
    if (o.deletes) {
        stack.resources.clear();
        stack.drift.clear();
    } else {
        stack.template_body = std::move(o.template_body);
        stack.parameters = std::move(o.parameters);
        stack.resources = std::move(o.resources);
    }
    take_outputs(stack, o);
    reconcile_machines(world, stack, before, before_body);
    sync_inventory(world, before, stack.resources);
    sync_task_definitions(world, stack, before);
    if (!o.deletes) resync_drift(world, stack, before, o.rewritten);
    for (auto& loss : o.data_lost) {
        loss.clock_s = world.clock_s;
        world.data_lost.push_back(std::move(loss));
    }
}

}  // namespace

void start_update(World& world, SimStack& stack, const std::vector<ResourceChange>& changes, Outcome outcome, Operation op) {
    bool create = op == Operation::create;
    ExportVerdict exports = prepare_outputs(world, stack, outcome);
    Timeline tl(world, stack);
    tl.stack_event(create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", "User Initiated");
    std::vector<ResourceChange> done;
    if (!exports.at_start.empty()) {
        schedule_refusal(tl, done, exports.at_start, outcome, op);
        outcome.applies = false;
        stack.outcome = std::move(outcome);
        return;
    }
    for (const auto& c : changes) {
        if (c.action == ChangeAction::remove) continue;
        bool replaces = c.action == ChangeAction::modify && c.replacement == ChangeReplacement::yes;
        std::string id = c.action == ChangeAction::add || replaces ? new_physical_id(outcome, c.logical_id) : c.physical_id;
        std::string verb = c.action == ChangeAction::add ? "CREATE" : "UPDATE";
        std::optional<FailingResource> refused = named_replacement_fault(stack, c, id);
        if (!refused) refused = unsettled_service_fault(world, stack, c, outcome);
        const FailingResource* fault = refused ? &*refused : failing(world, stack, c.logical_id);
        if (fault != nullptr) {
            tl.t() += 1;
            tl.event(c.logical_id, id, c.resource_type, verb + "_IN_PROGRESS");
            start_service_rollout(world, stack, c, outcome, tl.t(), -1);
            tl.t() += fault->seconds > 0 ? fault->seconds : resource_seconds(world.scenario, c.resource_type);
            tl.event(c.logical_id, id, c.resource_type, verb + "_FAILED", fault->reason);
            schedule_rollback(tl, world, done, c, *fault, outcome, op);
            outcome.applies = false;
            stack.outcome = std::move(outcome);
            return;
        }
        std::int64_t started = tl.t() + 1;
        tl.resource(c.logical_id, id, c.resource_type, verb,
                    replaces ? "Requested update requires the creation of a new physical resource; hence creating one." : "",
                    extra_change_seconds(world, stack, c, outcome));
        start_service_rollout(world, stack, c, outcome, started, tl.t());
        done.push_back(c);
    }
    if (!exports.at_end.empty()) {
        schedule_refusal(tl, done, exports.at_end, outcome, op);
        outcome.applies = false;
        stack.outcome = std::move(outcome);
        return;
    }
    if (!create) {
        tl.t() += 1;
        tl.stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
        for (const auto& c : changes) {
            bool replaced = c.action == ChangeAction::modify && c.replacement == ChangeReplacement::yes;
            if (c.action == ChangeAction::remove || replaced) tl.resource(c.logical_id, c.physical_id, c.resource_type, "DELETE");
        }
    }
    tl.t() += 1;
    tl.stack_event(create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE");
    for (const auto& c : changes)
        if (c.action == ChangeAction::modify) outcome.rewritten.push_back(c.logical_id);
    stack.outcome = std::move(outcome);
}

void start_refused_update(World& world, SimStack& stack, const std::string& reason) {
    Timeline tl(world, stack);
    tl.stack_event("UPDATE_IN_PROGRESS", "User Initiated");
    tl.t() += 1;
    tl.stack_event("UPDATE_ROLLBACK_IN_PROGRESS", reason);
    tl.t() += 1;
    tl.stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
    tl.t() += 1;
    tl.stack_event("UPDATE_ROLLBACK_COMPLETE");
    Outcome o;
    o.applies = false;
    stack.outcome = std::move(o);
}

void start_delete(World& world, SimStack& stack) {
    Outcome o;
    o.deletes = true;
    auto t = cfn::parse_template(stack.template_body, stack.name);
    Timeline tl(world, stack);
    tl.stack_event("DELETE_IN_PROGRESS", "User Initiated");
    for (auto r = stack.resources.rbegin(); r != stack.resources.rend(); ++r) {
        const cfn::Resource* source = t ? t->resource(r->logical_id) : nullptr;
        std::string policy = source ? source->deletion_policy : "";
        if (policy == "Retain") {
            tl.t() += 1;
            tl.event(r->logical_id, r->physical_id, r->type, "DELETE_SKIPPED");
            continue;
        }
        tl.resource(r->logical_id, r->physical_id, r->type, "DELETE");
        if (cfn::find_stateful_type(r->type) && policy != "Snapshot") {
            o.data_lost.push_back({stack.name, r->logical_id, r->type, r->physical_id, "deleted", 0});
        }
    }
    tl.t() += 1;
    tl.stack_event("DELETE_COMPLETE");
    stack.outcome = std::move(o);
}

void refuse_delete(World& world, SimStack& stack, const std::string& reason) {
    Outcome o;
    o.applies = false;
    std::string before = stack.status;
    Timeline tl(world, stack);
    tl.stack_event("DELETE_IN_PROGRESS", "User Initiated");
    tl.t() += 1;
    tl.stack_event(before, reason);
    stack.outcome = std::move(o);
}

void settle(World& world) {
    for (auto& stack : world.stacks) {
        std::size_t n = 0;
        while (n < stack.pending.size() && stack.pending[n].timestamp_s <= world.clock_s) {
            StackEvent& e = stack.pending[n++];
            if (e.resource_type == stack_type) {
                stack.status = e.status;
                stack.status_reason = e.status_reason;
                stack.last_updated_s = e.timestamp_s;
            }
            stack.events.push_back(std::move(e));
        }
        stack.pending.erase(stack.pending.begin(), stack.pending.begin() + static_cast<std::ptrdiff_t>(n));
        if (stack.pending.empty() && stack.outcome) finish(world, stack);
    }
}

}  // namespace stackshift::cloud::sim
