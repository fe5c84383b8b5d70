#include "apply/change_set_check.hpp"

#include <algorithm>
#include <vector>

#include "cfn/stateful_types.hpp"

namespace stackshift::apply {

namespace {

const plan::ResourceImpact* expected_of(const plan::Step& step, const std::string& logical_id) {
    auto it = std::find_if(step.resources.begin(), step.resources.end(),
                           [&](const plan::ResourceImpact& r) { return r.logical_id == logical_id; });
    return it == step.resources.end() ? nullptr : &*it;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out;
}

bool deletes(const cloud::ResourceChange& change) {
    return change.policy_action == cloud::PolicyAction::delete_resource ||
           change.policy_action == cloud::PolicyAction::replace_and_delete;
}

// A replacement or removal without a PolicyAction: AWS gives none for a Conditional
// replacement, and an AWS CLI whose model predates the field (Debian 12's 2.9) drops it. What
// becomes of the old resource is then not known, so it counts as a loss (fail closed).
bool may_delete(const cloud::ResourceChange& change) {
    bool replaces = change.action == cloud::ChangeAction::modify && change.replacement != cloud::ChangeReplacement::no;
    return (replaces || change.action == cloud::ChangeAction::remove) && !change.policy_action;
}

std::string what_happens(const cloud::ResourceChange& change) {
    if (change.policy_action) return "PolicyAction " + std::string(cloud::policy_action_name(*change.policy_action));
    if (change.replacement == cloud::ChangeReplacement::conditional) return "Replacement Conditional, no PolicyAction";
    return std::string(change.action == cloud::ChangeAction::remove ? "Remove" : "Replacement True") +
           ", no PolicyAction: an AWS CLI older than the field leaves it out";
}

// Each replacement or removal the step does not expect: a resource it does not list as
// replaced (will-replace, may-replace) or removed (will-destroy, will-orphan).
std::vector<std::string> unexpected_replacements(const plan::Step& step, const cloud::ChangeSet& set) {
    std::vector<std::string> out;
    for (const auto& change : set.changes) {
        bool replaces = change.action == cloud::ChangeAction::modify && change.replacement != cloud::ChangeReplacement::no;
        bool removes = change.action == cloud::ChangeAction::remove;
        if (!replaces && !removes) continue;
        const plan::ResourceImpact* expected = expected_of(step, change.logical_id);
        bool ok = expected != nullptr &&
                  (removes ? (expected->impact == cfn::Impact::will_destroy || expected->impact == cfn::Impact::will_orphan)
                           : (expected->impact == cfn::Impact::will_replace || expected->impact == cfn::Impact::may_replace));
        if (!ok)
            out.push_back(change.logical_id + " (" + change.resource_type + ", " +
                          (removes ? "Remove" : "Replace " + std::string(cloud::change_replacement_name(change.replacement))) + ")");
    }
    return out;
}

// The stateful resources the change set deletes without the plan's acknowledgement, each with
// the way to go on.
std::vector<std::string> unacknowledged_losses(const plan::Step& step, const cloud::ChangeSet& set) {
    std::vector<std::string> out;
    for (const auto& change : set.changes) {
        if (!deletes(change) && !may_delete(change)) continue;
        const plan::ResourceImpact* expected = expected_of(step, change.logical_id);
        bool stateful = cfn::find_stateful_type(change.resource_type) != nullptr || (expected && expected->stateful);
        if (!stateful || (expected && expected->acknowledged)) continue;
        // A removal the plan proved retained: the deployed template, which the plan identified by
        // its content, gives the resource DeletionPolicy Retain, and CloudFormation applies the
        // removed resource's policy from it. Only the PolicyAction that says so is missing.
        bool proven_retained = !change.policy_action && change.action == cloud::ChangeAction::remove && expected &&
                               expected->impact == cfn::Impact::will_orphan;
        if (proven_retained) continue;
        bool replaced = change.action == cloud::ChangeAction::modify;
        out.push_back(change.logical_id + " (" + change.resource_type + ", " + what_happens(change) +
                      "): acknowledge its loss with --allow-replace " +
                      step.stack + "/" + change.logical_id + ", or keep its data with " +
                      (replaced ? "UpdateReplacePolicy" : "DeletionPolicy") + " Retain or Snapshot in its template");
    }
    return out;
}

// The scopes the step expects a resource's Modify to have. A type change is the one change
// without a property, which the plan lists with no scope and the change set as Properties.
ChangeScopes expected_scopes(const plan::ResourceImpact& expected) {
    ChangeScopes scopes = expected.scopes;
    if (scopes.empty()) scopes.add(ChangeScope::properties);
    return scopes;
}

// Each Modify the step does not expect: a resource it does not list, or a scope it did not list.
std::vector<std::string> unexpected_modifications(const plan::Step& step, const cloud::ChangeSet& set) {
    std::vector<std::string> out;
    for (const auto& change : set.changes) {
        if (change.action != cloud::ChangeAction::modify) continue;
        const plan::ResourceImpact* expected = expected_of(step, change.logical_id);
        std::string resource = change.logical_id + " (" + change.resource_type + ")";
        if (expected == nullptr) {
            auto names = change.scopes.names();
            out.push_back(resource + " " + (names.empty() ? std::string("Properties") : join(names, ", ")) +
                          ": the plan does not change this resource");
            continue;
        }
        ChangeScopes allowed = expected_scopes(*expected);
        for (ChangeScope scope : change.scopes.list())
            if (!allowed.contains(scope))
                out.push_back(resource + " " + std::string(change_scope_name(scope)) + ": the plan changes only its " +
                              join(allowed.names(), ", "));
    }
    return out;
}

}  // namespace

std::string check_change_set(const plan::Step& step, const cloud::ChangeSet& set, const std::string& name) {
    if (auto replaced = unexpected_replacements(step, set); !replaced.empty())
        return "change set " + name + " of " + step.stack + " would replace or remove what the plan did not expect: " +
               join(replaced, ", ") + "; it was not executed (inspect it in the console, then plan again)";
    std::vector<std::string> problems;
    auto losses = unacknowledged_losses(step, set);
    if (!losses.empty())
        problems.push_back("it would delete stateful resources whose loss the plan does not acknowledge: " + join(losses, "; "));
    auto unexpected = unexpected_modifications(step, set);
    if (!unexpected.empty())
        problems.push_back("it modifies what the plan did not see: " + join(unexpected, "; ") +
                           " (the deployment or the templates differ from what the plan saw: plan again)");
    if (problems.empty()) return {};
    return "change set " + name + " of " + step.stack + " was not executed: " + join(problems, "; and ");
}

}  // namespace stackshift::apply
