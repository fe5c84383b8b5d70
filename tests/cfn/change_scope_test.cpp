// Change scopes: a resource whose only change is its Metadata, a policy or its Tags is updated
// (CloudFormation lists it as Modify with that Scope); a DependsOn that changes alone is no
// change at all.

#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_ok;

struct Pair {
    Template old_template;
    Template new_template;
};

Pair pair_of(const std::string& old_text, const std::string& new_text) {
    return {parse_ok(old_text, "old.yaml"), parse_ok(new_text, "new.yaml")};
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

const char* machine = R"(Parameters:
  Image: {Type: String}
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '1'
      MaxSize: '2'
      LaunchConfigurationName: !Ref Launch
    CreationPolicy:
      ResourceSignal: {Count: 1, Timeout: PT10M}
    UpdatePolicy:
      AutoScalingRollingUpdate: {MinInstancesInService: 1}
  Launch:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          files:
            /etc/app.conf:
              content: !Sub 'image=${Image}'
    Properties:
      ImageId: ami-1
      InstanceType: m5.large
  Data:
    Type: AWS::EC2::Volume
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 100
      Tags:
        - {Key: team, Value: lora}
)";

TEST(ChangeScope, InitMetadataOnlyChangeWasNoChange) {
    auto p = pair_of(machine, replace_all(machine, "image=${Image}", "image=${Image}\\nlog=debug"));
    auto d = diff_templates(p.old_template, p.new_template, nullptr);
    const ResourceDiff* launch = d.resource("Launch");
    ASSERT_NE(launch, nullptr);
    EXPECT_EQ(launch->impact, Impact::will_update);
    EXPECT_EQ(launch->scopes, ChangeScopes{ChangeScope::metadata});
    ASSERT_EQ(launch->properties.size(), 1u);
    EXPECT_EQ(launch->properties[0].path, "Metadata");
    EXPECT_EQ(launch->properties[0].impact, Impact::will_update);
    EXPECT_EQ(d.resources.size(), 1u);
}

TEST(ChangeScope, EachPolicyOnlyChangeIsAnUpdateWithItsScope) {
    const std::tuple<std::string, std::string, std::string, ChangeScope> cases[] = {
        {"Group", "Timeout: PT10M", "Timeout: PT20M", ChangeScope::creation_policy},
        {"Group", "MinInstancesInService: 1", "MinInstancesInService: 0", ChangeScope::update_policy},
        {"Data", "DeletionPolicy: Snapshot", "DeletionPolicy: Retain", ChangeScope::deletion_policy},
        {"Data", "UpdateReplacePolicy: Snapshot", "UpdateReplacePolicy: Retain", ChangeScope::update_replace_policy},
    };
    for (const auto& [id, from, to, scope] : cases) {
        auto p = pair_of(machine, replace_all(machine, from, to));
        auto d = diff_templates(p.old_template, p.new_template, nullptr);
        const ResourceDiff* r = d.resource(id);
        ASSERT_NE(r, nullptr) << to;
        EXPECT_EQ(r->impact, Impact::will_update) << to;
        EXPECT_EQ(r->scopes, ChangeScopes{scope}) << to;
        EXPECT_EQ(d.resources.size(), 1u) << to;
    }
}

TEST(ChangeScope, TagsOnlyChangeListsTagsNotProperties) {
    // As AWS's own example change set: a tag added to an instance is Scope ["Tags"].
    auto p = pair_of(machine, replace_all(machine, "Value: lora}", "Value: lora}\n        - {Key: env, Value: prod}"));
    auto d = diff_templates(p.old_template, p.new_template, nullptr);
    const ResourceDiff* data = d.resource("Data");
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->impact, Impact::will_update);
    EXPECT_EQ(data->scopes, ChangeScopes{ChangeScope::tags});
    EXPECT_EQ(data->scopes.names(), std::vector<std::string>{"Tags"});
}

TEST(ChangeScope, PropertyReplacementIsUnchangedBesideOtherScopes) {
    std::string changed = replace_all(replace_all(machine, "Size: 100", "Size: 200"), "Value: lora", "Value: web");
    changed = replace_all(changed, "AvailabilityZone: eu-west-1a", "AvailabilityZone: eu-west-1b");
    changed = replace_all(changed, "DeletionPolicy: Snapshot", "DeletionPolicy: Retain");
    auto p = pair_of(machine, changed);
    auto d = diff_templates(p.old_template, p.new_template, nullptr);
    const ResourceDiff* data = d.resource("Data");
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->impact, Impact::will_replace);  // AvailabilityZone replaces the volume
    EXPECT_EQ(data->scopes.names(), (std::vector<std::string>{"Properties", "DeletionPolicy", "Tags"}));
}

TEST(ChangeScope, DependsOnOnlyChangeWasReportedAsAChange) {
    std::string base = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n  B: {Type: 'AWS::SNS::Topic'}\n"
                       "  C:\n    Type: AWS::SQS::Queue\n";
    for (const char* depends : {"    DependsOn: A\n", "    DependsOn: [B, A]\n"}) {
        auto p = pair_of(base, base + depends);
        EXPECT_TRUE(diff_templates(p.old_template, p.new_template, nullptr).empty()) << depends;
    }
    auto reordered = pair_of(base + "    DependsOn: [A, B]\n", base + "    DependsOn: [B, A]\n");
    EXPECT_TRUE(diff_templates(reordered.old_template, reordered.new_template, nullptr).empty());
    auto bare = pair_of(base + "    DependsOn: A\n", base + "    DependsOn: [A]\n");
    EXPECT_TRUE(diff_templates(bare.old_template, bare.new_template, nullptr).empty());
}

TEST(ChangeScope, DependsOnBesideARealChangeIsShownWithoutAScope) {
    std::string base = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n  C:\n    Type: AWS::SQS::Queue\n";
    auto p = pair_of(base, base + "    DependsOn: A\n    Metadata: {owner: ops}\n");
    auto d = diff_templates(p.old_template, p.new_template, nullptr);
    const ResourceDiff* c = d.resource("C");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->scopes, ChangeScopes{ChangeScope::metadata});
    ASSERT_EQ(c->properties.size(), 2u);
    EXPECT_EQ(c->properties[0].attribute, Attribute::depends_on);
    EXPECT_FALSE(c->properties[0].scope().has_value());
}

TEST(ChangeScope, ParameterReachingMetadataIsAMetadataChange) {
    auto p = pair_of(machine, machine);
    ParameterValues before{{{"Image", "app:1"}}};
    ParameterValues after{{{"Image", "app:2"}}};
    auto d = diff_templates(p.old_template, p.new_template, &before, &after);
    const ResourceDiff* launch = d.resource("Launch");
    ASSERT_NE(launch, nullptr);
    EXPECT_EQ(launch->scopes, ChangeScopes{ChangeScope::metadata});
    EXPECT_EQ(launch->impact, Impact::will_update);
    EXPECT_TRUE(diff_templates(p.old_template, p.new_template, &before, &before).empty());
}

TEST(ChangeScope, AddedAndRemovedResourcesHaveNoScope) {
    std::string base = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n";
    auto p = pair_of(base, "Resources:\n  B: {Type: 'AWS::SQS::Queue'}\n");
    auto d = diff_templates(p.old_template, p.new_template, nullptr);
    ASSERT_EQ(d.resources.size(), 2u);
    for (const auto& r : d.resources) EXPECT_TRUE(r.scopes.empty()) << r.logical_id;
}

TEST(ChangeScope, NamesAreCloudFormationsWords) {
    const std::pair<ChangeScope, std::string> words[] = {
        {ChangeScope::properties, "Properties"},         {ChangeScope::metadata, "Metadata"},
        {ChangeScope::creation_policy, "CreationPolicy"}, {ChangeScope::update_policy, "UpdatePolicy"},
        {ChangeScope::deletion_policy, "DeletionPolicy"}, {ChangeScope::update_replace_policy, "UpdateReplacePolicy"},
        {ChangeScope::tags, "Tags"},
    };
    for (const auto& [scope, word] : words) {
        EXPECT_EQ(change_scope_name(scope), word);
        EXPECT_EQ(change_scope_from_name(word), scope);
    }
    EXPECT_FALSE(change_scope_from_name("properties").has_value());
    ChangeScopes set{ChangeScope::tags, ChangeScope::properties};
    EXPECT_EQ(set.names(), (std::vector<std::string>{"Properties", "Tags"}));
}

}  // namespace
}  // namespace stackshift::cfn
