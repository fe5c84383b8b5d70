// The AWS backend reads each change's PolicyAction and Details from describe-change-set's JSON
// (through the fake process runner); words AWS may add later are left out, never guessed.

#include <gtest/gtest.h>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;
using Args = std::vector<std::string>;

constexpr const char* described = R"({
  "ChangeSetName": "cs", "ChangeSetId": "arn:aws:cloudformation:eu-west-1:1:changeSet/cs/1", "StackName": "acme-2-5-db",
  "Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE",
  "Changes": [
    {"Type": "Resource", "ResourceChange": {
      "PolicyAction": "ReplaceAndDelete", "Action": "Modify", "LogicalResourceId": "Volume",
      "PhysicalResourceId": "vol-0aaa", "ResourceType": "AWS::EC2::Volume", "Replacement": "True",
      "Scope": ["Properties", "Tags"],
      "Details": [
        {"Target": {"Attribute": "Properties", "Name": "AvailabilityZone", "RequiresRecreation": "Always"},
         "Evaluation": "Static", "ChangeSource": "ParameterReference", "CausingEntity": "Zone"},
        {"Target": {"Attribute": "Tags", "RequiresRecreation": "Never"},
         "Evaluation": "Static", "ChangeSource": "DirectModification"},
        {"Target": {"Attribute": "Properties", "Name": "SnapshotId", "RequiresRecreation": "Always"},
         "Evaluation": "Dynamic", "ChangeSource": "ResourceAttribute", "CausingEntity": "Backup.SnapshotId"},
        {"Target": {"Attribute": "SomethingNew", "Name": "X"}, "Evaluation": "Static", "ChangeSource": "DirectModification"},
        {"Target": {"Attribute": "Properties", "Name": "Y"}, "Evaluation": "Later", "ChangeSource": "DirectModification"}
      ]}},
    {"Type": "Resource", "ResourceChange": {
      "PolicyAction": "Snapshot", "Action": "Remove", "LogicalResourceId": "Old",
      "PhysicalResourceId": "vol-0bbb", "ResourceType": "AWS::EC2::Volume", "Scope": [], "Details": []}},
    {"Type": "Resource", "ResourceChange": {
      "PolicyAction": "ReplaceLater", "Action": "Modify", "LogicalResourceId": "Odd",
      "ResourceType": "AWS::SQS::Queue", "Replacement": "True", "Scope": ["Properties"]}},
    {"Type": "Resource", "ResourceChange": {
      "Action": "Modify", "LogicalResourceId": "Service", "ResourceType": "AWS::ECS::Service",
      "Replacement": "False", "Scope": ["Properties"],
      "Details": [{"Target": {"Attribute": "Properties", "Name": "TaskDefinition", "RequiresRecreation": "Never"},
                   "Evaluation": "Static", "ChangeSource": "ResourceReference", "CausingEntity": "TaskDefinition"}]}}
  ]
})";

ChangeSet describe(const std::string& json) {
    auto runner = std::make_shared<FakeRunner>([json](const Args&) { return ProcessResult{0, json, ""}; });
    AwsOptions o;
    o.cli = "/bin/true";
    auto cli = std::make_shared<AwsCli>(o, runner, [](std::int64_t) {});
    AwsCloud cloud(cli);
    return cloud.describe_change_set("acme-2-5-db", "cs");
}

TEST(AwsChangeDetails, PolicyActionAndDetailsAreRead) {
    ChangeSet set = describe(described);
    ASSERT_EQ(set.changes.size(), 4u);
    const ResourceChange& volume = set.changes[0];
    EXPECT_EQ(volume.policy_action, PolicyAction::replace_and_delete);
    ASSERT_EQ(volume.details.size(), 3u) << "the two details with unknown words are left out";
    EXPECT_EQ(volume.details[0], (ResourceChangeDetail{{ChangeScope::properties, "AvailabilityZone", RequiresRecreation::always},
                                                       ChangeEvaluation::static_value, ChangeSource::parameter_reference, "Zone"}));
    EXPECT_EQ(volume.details[1], (ResourceChangeDetail{{ChangeScope::tags, "", RequiresRecreation::never},
                                                       ChangeEvaluation::static_value, ChangeSource::direct_modification, ""}));
    EXPECT_EQ(volume.details[2],
              (ResourceChangeDetail{{ChangeScope::properties, "SnapshotId", RequiresRecreation::always},
                                    ChangeEvaluation::dynamic_value, ChangeSource::resource_attribute, "Backup.SnapshotId"}));
    EXPECT_EQ(set.changes[1].policy_action, PolicyAction::snapshot);
    EXPECT_TRUE(set.changes[1].details.empty());
    EXPECT_FALSE(set.changes[2].policy_action.has_value()) << "a PolicyAction stackshift does not know is not guessed";
    EXPECT_EQ(set.changes[2].replacement, ChangeReplacement::yes);  // which the executor still reads
    EXPECT_FALSE(set.changes[3].policy_action.has_value());
    ASSERT_EQ(set.changes[3].details.size(), 1u);
    EXPECT_EQ(set.changes[3].details[0].change_source, ChangeSource::resource_reference);
    EXPECT_EQ(set.changes[3].details[0].causing_entity, "TaskDefinition");
}

TEST(AwsChangeDetails, EveryPolicyActionWordIsKnown) {
    for (auto action : {PolicyAction::delete_resource, PolicyAction::retain, PolicyAction::snapshot, PolicyAction::replace_and_delete,
                        PolicyAction::replace_and_retain, PolicyAction::replace_and_snapshot}) {
        std::string word(policy_action_name(action));
        ChangeSet set = describe(R"({"Changes": [{"Type": "Resource", "ResourceChange": {"Action": "Remove",
            "LogicalResourceId": "A", "ResourceType": "AWS::EC2::Volume", "PolicyAction": ")" + word + R"("}}]})");
        ASSERT_EQ(set.changes.size(), 1u);
        EXPECT_EQ(set.changes[0].policy_action, action) << word;
    }
    EXPECT_EQ(policy_action_name(PolicyAction::replace_and_snapshot), "ReplaceAndSnapshot");
    EXPECT_EQ(policy_action_name(PolicyAction::delete_resource), "Delete");
}

}  // namespace
}  // namespace stackshift::cloud::aws
