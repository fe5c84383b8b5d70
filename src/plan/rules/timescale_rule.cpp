// The 2-5-db-timescale stack, as the vendor's update procedure has it: its EC2 machine runs
// TimescaleDB on a separate EBS volume that must never be replaced.
//   - to a target before 3.15.0: a CloudFormation update fails (EBS volumes are not remounted);
//     skip the stack and apply its changes by hand;
//   - from before 3.15.0 to 3.15.0 or later: turn the storage integration off on 5-2-ecs-ops
//     and 5-4-ecs-services (previous template), snapshot the volume, terminate the machine,
//     update the stack without touching the volume, and turn the integration back on when
//     5-2-ecs-ops and 5-4-ecs-services are updated;
//   - from 3.15.0 on: a normal update that must not touch the volume, then a short wait while
//     the new machine starts and DNS follows;
//   - a template that differs only in its AMI with nothing in the changelog: upgrade the
//     software on the machine instead of replacing it.
// The volume and the machine are the profile's roles `timescale-volume` and `timescale-machine`,
// found in each template whatever their logical ids; when one cannot be found, the plan holds.

#include <algorithm>

#include "core/text.hpp"
#include "plan/planning.hpp"

namespace stackshift::plan {

namespace {

constexpr std::string_view timescale = "2-5-db-timescale";
constexpr std::string_view storage_parameter = "ApplicationServerStorageEnabled";
const std::vector<std::string> storage_stacks{"5-2-ecs-ops", "5-4-ecs-services"};
const Version rework{3, 15, 0, {}};
constexpr int settle_seconds = 180;  // the machine starts in about two minutes; DNS TTL is one

// The journal's name of the procedure that switches the storage integration off and on.
constexpr std::string_view storage_procedure = "storage-integration";

constexpr std::string_view volume_role = "timescale-volume";
constexpr std::string_view machine_role = "timescale-machine";

// The logical id of a role in the template the stack runs now; nullopt once the plan holds on it.
std::optional<std::string> deployed_role(HopContext& hop, const StackPlan& plan, std::string_view name) {
    const profile::Role* role = required_role(hop, plan, name);
    if (!role) return std::nullopt;
    return role_logical_id(hop, plan, *role, *plan.state->body, plan.old_id);
}

// Whether two trees differ only in AMI ids ("ami-..." strings), and do differ.
bool differs_only_in_ami(const cfn::Value& a, const cfn::Value& b, bool& differs) {
    if (a.kind() != b.kind()) return false;
    if (a.is_map()) {
        if (a.size() != b.size()) return false;
        for (const auto& member : a.members()) {
            const cfn::Value* other = b.find(member.key);
            if (!other || !differs_only_in_ami(member.value, *other, differs)) return false;
        }
        return true;
    }
    if (a.is_list()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!differs_only_in_ami(a.items()[i], b.items()[i], differs)) return false;
        return true;
    }
    if (a.text() == b.text()) return true;
    if (a.text().starts_with("ami-") && b.text().starts_with("ami-")) {
        differs = true;
        return true;
    }
    return false;
}

// The vendor's case: the new template differs from the deployed one only by its AMI ids (the
// newest Amazon Linux image of each region); everything the diff reports follows from that.
bool ami_only(const StackPlan& plan) {
    bool differs = false;
    return differs_only_in_ami(plan.state->body->document, plan.target->document, differs) && differs;
}

std::vector<std::string> changes_of(const StackPlan& plan) {
    std::vector<std::string> out;
    for (const auto& r : plan.diff.resources)
        if (r.impact != cfn::Impact::no_change)
            out.push_back(r.logical_id + " (" + r.type + "): " + std::string(cfn::impact_name(r.impact)) +
                          (r.properties.empty() ? "" : ", " + join(property_paths(r), ", ")));
    return out;
}

class TimescaleRule : public Rule {
public:
    explicit TimescaleRule(bool toggle) : m_toggle(toggle) {}

    std::string_view name() const override { return "timescale-update"; }

    void adjust(HopContext& hop) override {
        m_crossing = false;
        m_restoring.clear();
        m_back_on.clear();
        m_by_hand.clear();
        StackPlan* plan = hop.find_plan(timescale);
        bool changes = plan && plan->state && plan->target && plan->template_changed();
        // The stack's own version: a stack left behind may cross the rework in a later hop.
        m_crossing = changes && plan->from < rework && !(hop.to < rework);
        // A plan that switches the integration off and on itself restores it anyway; otherwise
        // what an earlier run left off goes back on in the first hop.
        if (hop.number == 1 && !(m_crossing && m_toggle)) restore_left_off(hop);
        if (!m_crossing || !m_toggle) return;
        // Storage integration back on with the updates of 5-2-ecs-ops and 5-4-ecs-services.
        for (const auto& id : storage_stacks) {
            StackPlan* other = hop.find_plan(id);
            if (!other || !other->target) continue;
            ParameterPlan* p = other->parameter(storage_parameter);
            if (!p || p->action == ParameterAction::set) continue;  // the operator's value wins
            p->action = ParameterAction::set;
            p->value = "true";
            p->why = "storage integration back on once 2-5-db-timescale is updated (vendor procedure, "
                     "updating from before 3.15.0)";
            m_restoring.push_back(id);
        }
    }

    // Marks the steps that switch the integration back on, for the journal.
    void after_stack(HopContext& hop, StackPlan& plan) override {
        bool restores = std::find(m_restoring.begin(), m_restoring.end(), plan.target_id) != m_restoring.end() ||
                        std::find(m_back_on.begin(), m_back_on.end(), plan.stack) != m_back_on.end();
        if (restores)
            for (auto step = hop.steps.rbegin(); step != hop.steps.rend(); ++step)
                if (step->stack == plan.stack &&
                    (step->kind == StepKind::update_stack || step->kind == StepKind::set_parameters)) {
                    step->switches_on = storage_procedure;
                    break;
                }
        if (&plan == &hop.plans.back())
            for (const auto& off : m_by_hand) write_back_on_by_hand(hop, off);
    }

    void before_stack(HopContext& hop, StackPlan& plan) override {
        if (plan.target_id != timescale || !plan.state || !plan.target || !plan.template_changed()) return;
        plan.handled = true;
        if (hop.to < rework) return skip_before_rework(hop, plan);
        if (ami_only(plan) && plan.changelog.empty()) return recommend_in_place(hop, plan);
        if (m_crossing) return reworked_update(hop, plan);
        return normal_update(hop, plan);
    }

private:
    void skip_before_rework(HopContext& hop, StackPlan& plan) {
        Step& skip = hop.add_for(plan, StepKind::skip_stack, "Skip " + plan.stack, Risk::caution);
        skip.reason = "updating 2-5-db-timescale to a version before 3.15.0 fails: CloudFormation does not remount "
                      "the EBS volume";
        skip.why.push_back("vendor procedure: updating 2-5-db-timescale before version 3.15.0");
        Step& manual = hop.add_for(plan, StepKind::manual, "Review the 2-5-db-timescale changes and apply them by hand",
                                   Risk::caution);
        manual.automated = false;
        manual.why.push_back("the stack is skipped (above); its template changes between " + plan.from.to_string() +
                             " and " + hop.to.to_string());
        manual.details = changes_of(plan);
        for (const auto& c : plan.changelog) manual.why.push_back(c.source + ": " + c.text);
        plan.outcome = StackPlan::Outcome::skipped;
    }

    void recommend_in_place(HopContext& hop, StackPlan& plan) {
        Step& skip = hop.add_for(plan, StepKind::skip_stack, "Skip " + plan.stack, Risk::info);
        skip.reason = "the template differs only in its AMI and the changelog says nothing of it: an update would "
                      "replace the TimescaleDB machine for no other change";
        skip.why.push_back("vendor procedure: 2-5-db-timescale, a new AMI only");
        Step& manual = hop.add_for(plan, StepKind::manual, "Upgrade the software on the TimescaleDB machine in place",
                                   plan.from < rework ? Risk::caution : Risk::info);
        manual.automated = false;
        manual.confirmation = Confirmation::explicit_;  // its first instruction: back up the data
        manual.why.push_back("recommended instead of replacing the machine" +
                             std::string(plan.from < rework ? ", especially before 3.15.0" : ""));
        auto volume = deployed_role(hop, plan, volume_role);
        manual.details = {"back up the data first (snapshot the volume " +
                              volume.value_or("of role " + std::string(volume_role)) + ")",
                          "connect to the machine (through the bastion) and run: sudo yum update -y",
                          "restart TimescaleDB if the update asks for it, and check the storage integration"};
        for (const auto& c : changes_of(plan)) manual.details.push_back("template change: " + c);
        plan.outcome = StackPlan::Outcome::skipped;
    }

    // What the journal says an earlier run switched off and nothing switched back on: the
    // stack's steps in this plan set the parameter back to its "on" value, citing that run.
    void restore_left_off(HopContext& hop) {
        for (const auto& off : hop.inputs.switched_off) {
            if (off.procedure != storage_procedure) continue;
            StackPlan* other = nullptr;
            for (auto& p : hop.plans)
                if (p.stack == off.stack) other = &p;
            ParameterPlan* p = other && other->target && !other->ahead ? other->parameter(storage_parameter) : nullptr;
            if (!p) {
                m_by_hand.push_back(off);
                continue;
            }
            if (p->action == ParameterAction::set) {  // the operator's value wins
                if (p->value == "true") m_back_on.push_back(other->stack);
                continue;
            }
            p->action = ParameterAction::set;
            p->value = "true";
            p->why = "storage integration back on: run " + std::to_string(off.run) + " switched it off at step " +
                     off.step + " and no later step switched it back on (journal)";
            m_back_on.push_back(other->stack);
        }
    }

    // A stack left off that this plan cannot update with the parameter: a person does it.
    void write_back_on_by_hand(HopContext& hop, const SwitchedOff& off) {
        Step& step = hop.add(StepKind::manual, "Turn the storage integration back on on " + off.stack + " by hand",
                             Risk::caution, "storage-on");
        step.automated = false;
        step.stack = off.stack;
        step.switches_on = storage_procedure;
        step.why.push_back("run " + std::to_string(off.run) + " switched it off at step " + off.step +
                           " and no later step switched it back on (journal)");
        step.details.push_back("this plan does not update " + off.stack + " with a " + std::string(storage_parameter) +
                               " parameter: set it to true by hand");
    }

    void set_storage(HopContext& hop, std::string_view template_id, bool enabled) {
        StackPlan* other = hop.find_plan(template_id);
        if (!other || !other->state) return;
        const cfn::Template* body = other->state->body;
        const auto* definition = body->parameter(storage_parameter);
        if (!definition) {
            // The vendor's step cannot be automated here: a person does it, and confirms it.
            Step& step = hop.add(StepKind::manual, "Turn the storage integration off on " + other->stack + " by hand",
                                 Risk::caution, std::string(template_id) + "-storage-off");
            step.automated = false;
            step.stack = other->stack;
            step.template_id = other->old_id;
            step.why.push_back("vendor procedure: updating 2-5-db-timescale from before 3.15.0, step 1");
            step.switches_off = storage_procedure;
            step.details.push_back(other->stack + " has no " + std::string(storage_parameter) +
                                   " parameter: turn the storage integration off by hand before " +
                                   std::string(timescale) + " is updated");
            return;
        }
        Step& step = hop.add(StepKind::set_parameters,
                             "Turn the storage integration off on " + other->stack + " (" +
                                 std::string(storage_parameter) + "=false)",
                             Risk::caution, std::string(template_id) + "-storage-off");
        step.stack = other->stack;
        step.template_id = other->old_id;
        step.previous_template = true;
        if (!enabled) step.switches_off = storage_procedure;
        for (const auto& p : body->parameters) {
            ParameterPlan plan{p.name, ParameterAction::keep, std::nullopt, "", "", p.no_echo, "kept"};
            if (p.name == storage_parameter) {
                plan.action = ParameterAction::set;
                plan.value = enabled ? "true" : "false";
                plan.why = "storage integration off while TimescaleDB is replaced";
            }
            step.parameters.push_back(plan);
        }
        step.why.push_back("vendor procedure: updating 2-5-db-timescale from before 3.15.0, step 1");
        // The update of the stack later in the hop turns it back on: say which step it undoes.
        if (std::find(m_restoring.begin(), m_restoring.end(), std::string(template_id)) != m_restoring.end())
            if (ParameterPlan* back_on = other->parameter(storage_parameter))
                back_on->why = "storage integration back on: restores the value switched off at step " + step.id +
                               " while 2-5-db-timescale was updated (vendor procedure, updating from before 3.15.0)";

        // What the new value does to the stack's resources, resolved with its current values.
        cfn::ParameterValues before;
        if (!hop.inputs.deployment.region.empty()) before.values["AWS::Region"] = hop.inputs.deployment.region;
        for (const auto& [name, value] : other->state->parameters)
            if (value) before.values[name] = *value;
        cfn::ParameterValues after = before;
        after.values[std::string(storage_parameter)] = enabled ? "true" : "false";
        step.resources = resource_impacts(hop, *other, cfn::diff_templates(*body, *body, &before, &after));
        for (const auto& r : step.resources) step.details.push_back(describe_impact(r));
    }

    void check_volume(HopContext& hop, StackPlan& plan, Step& update) {
        auto found = deployed_role(hop, plan, volume_role);
        if (!found) return;  // the plan holds on the role
        const std::string& volume = *found;
        const auto* r = plan.diff.resource(volume);
        if (!r || r->impact == cfn::Impact::no_change) {
            update.details.push_back("the change set must not touch " + volume + " (checked: the template leaves it "
                                     "as it is)");
            return;
        }
        update.risk = std::max(update.risk, Risk::caution);
        update.details.push_back(volume + " changes (" + std::string(cfn::impact_name(r->impact)) +
                                 "): data may be lost; if it cannot be avoided, snapshot the volume and set "
                                 "VolumeSnapshotID to recreate it from the snapshot");
    }

    void reworked_update(HopContext& hop, StackPlan& plan) {
        if (m_toggle)
            for (const auto& id : storage_stacks) set_storage(hop, id, false);
        auto volume = deployed_role(hop, plan, volume_role);
        auto instance = deployed_role(hop, plan, machine_role);
        if (volume) {
            Step& snapshot = hop.add_for(plan, StepKind::snapshot_volume, "Snapshot the TimescaleDB volume " + *volume,
                                         Risk::caution, *volume);
            snapshot.logical_id = *volume;
            snapshot.role = volume_role;
            snapshot.why.push_back("vendor procedure: back up the data before updating 2-5-db-timescale");
        }
        if (instance) {
            Step& terminate = hop.add_for(plan, StepKind::terminate_instance,
                                          "Terminate the TimescaleDB machine " + *instance, Risk::caution, *instance);
            terminate.automated = false;
            terminate.logical_id = *instance;
            terminate.role = machine_role;
            terminate.why.push_back("vendor procedure: updating 2-5-db-timescale from before 3.15.0, step 2");
            terminate.details.push_back("the volume stays; the updated stack starts a new machine that mounts it");
        }
        Step& update = write_update_step(hop, plan);
        update.why.push_back("vendor procedure: the 3.15.0 rework of 2-5-db-timescale, step 3");
        check_volume(hop, plan, update);
    }

    void normal_update(HopContext& hop, StackPlan& plan) {
        Step& update = write_update_step(hop, plan);
        check_volume(hop, plan, update);
        if (plan.outcome != StackPlan::Outcome::updated) return;
        Step& wait = hop.add_for(plan, StepKind::wait, "Wait for the new TimescaleDB machine and its DNS entry",
                                 Risk::info);
        wait.wait_seconds = settle_seconds;
        wait.why.push_back("vendor procedure: storage integration may report failures until the new machine is up "
                           "(about two minutes) and the Application Server picks up the new DNS entry (TTL one "
                           "minute)");
    }

    bool m_toggle;
    bool m_crossing = false;
    std::vector<std::string> m_restoring;  // stacks whose storage integration this hop turns back on
    std::vector<std::string> m_back_on;       // stacks an earlier run left off, by name, back on in this hop
    std::vector<SwitchedOff> m_by_hand;       // those this plan cannot switch back on itself
};

}  // namespace

std::unique_ptr<Rule> make_timescale_rule(bool toggle_storage_integration) {
    return std::make_unique<TimescaleRule>(toggle_storage_integration);
}

}  // namespace stackshift::plan
