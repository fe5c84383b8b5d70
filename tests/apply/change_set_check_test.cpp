// The change set against the plan before execution: a stateful resource deleted without the
// plan's acknowledgement, or a Modify the plan did not see (a resource, or a scope of one),
// stops the run; Retain and Snapshot keep the data and pass.

#include "apply/change_set_check.hpp"

#include <gtest/gtest.h>

namespace stackshift {
namespace {

using apply::check_change_set;
using cloud::ChangeAction;
using cloud::ChangeReplacement;
using cloud::PolicyAction;

plan::ResourceImpact impact(std::string logical_id, std::string type, cfn::Impact what, ChangeScopes scopes,
                            bool stateful = false, bool acknowledged = false) {
    plan::ResourceImpact r;
    r.logical_id = std::move(logical_id);
    r.type = std::move(type);
    r.impact = what;
    r.scopes = scopes;
    r.stateful = stateful;
    r.acknowledged = acknowledged;
    return r;
}

plan::Step step_with(std::vector<plan::ResourceImpact> resources) {
    plan::Step s;
    s.id = "h1-03-update-stack-2-5-db";
    s.kind = plan::StepKind::update_stack;
    s.stack = "acme-2-5-db";
    s.resources = std::move(resources);
    return s;
}

cloud::ResourceChange replace(std::string logical_id, std::string type, std::optional<PolicyAction> policy) {
    cloud::ResourceChange c;
    c.logical_id = std::move(logical_id);
    c.physical_id = "vol-0aaa";
    c.resource_type = std::move(type);
    c.action = ChangeAction::modify;
    c.replacement = ChangeReplacement::yes;
    c.scopes = {ChangeScope::properties};
    c.policy_action = policy;
    return c;
}

cloud::ChangeSet set_of(std::vector<cloud::ResourceChange> changes) {
    cloud::ChangeSet set;
    set.name = "stackshift-h1-03";
    set.changes = std::move(changes);
    return set;
}

TEST(ApplyChangeSetCheck, AReplacedVolumeWhoseLossIsNotAcknowledgedStops) {
    // The plan expected the replacement but nobody acknowledged the loss of the data.
    plan::Step step = step_with({impact("Volume", "AWS::EC2::Volume", cfn::Impact::will_replace, {ChangeScope::properties}, true)});
    std::string problem = check_change_set(step, set_of({replace("Volume", "AWS::EC2::Volume", PolicyAction::replace_and_delete)}),
                                           "stackshift-h1-03");
    EXPECT_NE(problem.find("change set stackshift-h1-03 of acme-2-5-db was not executed"), std::string::npos) << problem;
    EXPECT_NE(problem.find("Volume (AWS::EC2::Volume, PolicyAction ReplaceAndDelete)"), std::string::npos) << problem;
    EXPECT_NE(problem.find("--allow-replace acme-2-5-db/Volume"), std::string::npos) << problem;
    EXPECT_NE(problem.find("UpdateReplacePolicy Retain or Snapshot"), std::string::npos) << problem;
}

TEST(ApplyChangeSetCheck, AnAcknowledgedLossPasses) {
    plan::Step step =
        step_with({impact("Volume", "AWS::EC2::Volume", cfn::Impact::will_replace, {ChangeScope::properties}, true, true)});
    EXPECT_EQ(check_change_set(step, set_of({replace("Volume", "AWS::EC2::Volume", PolicyAction::replace_and_delete)}), "cs"), "");
}

TEST(ApplyChangeSetCheck, RetainAndSnapshotKeepTheDataAndPass) {
    plan::Step step = step_with({impact("Volume", "AWS::EC2::Volume", cfn::Impact::will_replace, {ChangeScope::properties}, true)});
    EXPECT_EQ(check_change_set(step, set_of({replace("Volume", "AWS::EC2::Volume", PolicyAction::replace_and_retain)}), "cs"), "");
    EXPECT_EQ(check_change_set(step, set_of({replace("Volume", "AWS::EC2::Volume", PolicyAction::replace_and_snapshot)}), "cs"), "");
}

TEST(ApplyChangeSetCheck, AConditionalReplacementWithoutPolicyActionCountsAsALoss) {
    plan::Step step = step_with({impact("Volume", "AWS::EC2::Volume", cfn::Impact::may_replace, {ChangeScope::properties}, true)});
    cloud::ResourceChange change = replace("Volume", "AWS::EC2::Volume", std::nullopt);
    change.replacement = ChangeReplacement::conditional;
    std::string problem = check_change_set(step, set_of({change}), "cs");
    EXPECT_NE(problem.find("Volume (AWS::EC2::Volume, Replacement Conditional, no PolicyAction): acknowledge its loss"),
              std::string::npos)
        << problem;
    step.resources.front().acknowledged = true;
    EXPECT_EQ(check_change_set(step, set_of({change}), "cs"), "");
}

TEST(ApplyChangeSetCheck, ARemovalWithoutPolicyActionCountsAsALoss) {
    // An AWS CLI whose model predates PolicyAction drops it from the answer.
    plan::Step step = step_with({impact("Volume", "AWS::EC2::Volume", cfn::Impact::will_destroy, {}, true)});
    cloud::ResourceChange removal;
    removal.logical_id = "Volume";
    removal.resource_type = "AWS::EC2::Volume";
    removal.action = ChangeAction::remove;
    std::string problem = check_change_set(step, set_of({removal}), "cs");
    EXPECT_NE(problem.find("Volume (AWS::EC2::Volume, Remove, no PolicyAction: an AWS CLI older than the field leaves it out)"),
              std::string::npos)
        << problem;
    removal.policy_action = PolicyAction::retain;
    EXPECT_EQ(check_change_set(step, set_of({removal}), "cs"), "");
}

TEST(ApplyChangeSetCheck, ARemovalThePlanProvedRetainedPassesWithoutPolicyAction) {
    // The deployed template says DeletionPolicy Retain (the plan's will-orphan): the field the
    // old CLI drops would only say what the template already proves.
    plan::Step step = step_with({impact("Volume", "AWS::EC2::Volume", cfn::Impact::will_orphan, {}, true)});
    cloud::ResourceChange removal;
    removal.logical_id = "Volume";
    removal.resource_type = "AWS::EC2::Volume";
    removal.action = ChangeAction::remove;
    EXPECT_EQ(check_change_set(step, set_of({removal}), "cs"), "");
    removal.policy_action = PolicyAction::delete_resource;  // AWS saying otherwise wins
    EXPECT_NE(check_change_set(step, set_of({removal}), "cs").find("PolicyAction Delete"), std::string::npos);
}

TEST(ApplyChangeSetCheck, StatefulByTheSpecEvenWhenThePlanSaysNot) {
    // The plan saw a harmless orphan (DeletionPolicy Retain); AWS says the removal deletes.
    plan::Step step = step_with({impact("Queue", "AWS::RDS::DBCluster", cfn::Impact::will_orphan, {})});
    cloud::ResourceChange removal;
    removal.logical_id = "Queue";
    removal.resource_type = "AWS::RDS::DBCluster";
    removal.action = ChangeAction::remove;
    removal.policy_action = PolicyAction::delete_resource;
    std::string problem = check_change_set(step, set_of({removal}), "cs");
    EXPECT_NE(problem.find("Queue (AWS::RDS::DBCluster, PolicyAction Delete)"), std::string::npos) << problem;
    EXPECT_NE(problem.find("DeletionPolicy Retain or Snapshot"), std::string::npos) << problem;
}

TEST(ApplyChangeSetCheck, AStatelessResourceDeletedPasses) {
    plan::Step step = step_with({impact("TaskDefinition", "AWS::ECS::TaskDefinition", cfn::Impact::will_replace, {ChangeScope::properties})});
    EXPECT_EQ(check_change_set(step, set_of({replace("TaskDefinition", "AWS::ECS::TaskDefinition", PolicyAction::replace_and_delete)}),
                               "cs"),
              "");
}

TEST(ApplyChangeSetCheck, AScopeThePlanDidNotListStopsNamingIt) {
    plan::Step step = step_with({impact("Launch", "AWS::AutoScaling::LaunchConfiguration", cfn::Impact::will_update, {ChangeScope::tags})});
    cloud::ResourceChange modify;
    modify.logical_id = "Launch";
    modify.resource_type = "AWS::AutoScaling::LaunchConfiguration";
    modify.action = ChangeAction::modify;
    modify.scopes = {ChangeScope::metadata, ChangeScope::tags};
    std::string problem = check_change_set(step, set_of({modify}), "cs");
    EXPECT_NE(problem.find("Launch (AWS::AutoScaling::LaunchConfiguration) Metadata: the plan changes only its Tags"),
              std::string::npos)
        << problem;
    EXPECT_EQ(problem.find(") Tags"), std::string::npos) << problem;  // the expected scope is not reported
    EXPECT_NE(problem.find("plan again"), std::string::npos) << problem;
}

TEST(ApplyChangeSetCheck, AModifyOfAResourceThePlanDoesNotListStops) {
    plan::Step step = step_with({});
    cloud::ResourceChange modify;
    modify.logical_id = "Alarm";
    modify.resource_type = "AWS::CloudWatch::Alarm";
    modify.action = ChangeAction::modify;
    modify.scopes = {ChangeScope::properties};
    std::string problem = check_change_set(step, set_of({modify}), "cs");
    EXPECT_NE(problem.find("Alarm (AWS::CloudWatch::Alarm) Properties: the plan does not change this resource"), std::string::npos)
        << problem;
}

TEST(ApplyChangeSetCheck, ExpectedScopesAndAddsPass) {
    plan::Step step = step_with({impact("Group", "AWS::AutoScaling::AutoScalingGroup", cfn::Impact::will_update,
                                        {ChangeScope::properties, ChangeScope::tags})});
    cloud::ResourceChange modify;
    modify.logical_id = "Group";
    modify.resource_type = "AWS::AutoScaling::AutoScalingGroup";
    modify.action = ChangeAction::modify;
    modify.scopes = {ChangeScope::tags};
    cloud::ResourceChange add;
    add.logical_id = "Alarm";
    add.resource_type = "AWS::CloudWatch::Alarm";
    add.action = ChangeAction::add;
    EXPECT_EQ(check_change_set(step, set_of({modify, add}), "cs"), "");
}

}  // namespace
}  // namespace stackshift
