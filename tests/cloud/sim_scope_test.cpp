// The simulated AWS's change sets carry each Modify's scope, as CloudFormation's do: a
// Metadata-only update is an update, a DependsOn-only one is "no changes".

#include <algorithm>

#include "cfn/deployment.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using cloud::ChangeAction;
using cloud::ChangeReplacement;
using cloud::ChangeScope;
using cloud::ChangeSetRequest;
using cloud::ParameterInput;
using cloud::sim::SimCloud;

constexpr const char* machines = R"(Parameters:
  Size: {Type: String, Default: '2'}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
  Launch:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          files:
            /etc/app.conf: {content: 'level=info'}
    Properties:
      ImageId: ami-1
      InstanceType: m5.large
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref Launch
      MinSize: '1'
      MaxSize: !Ref Size
      Tags: [{Key: team, Value: lora, PropagateAtLaunch: true}]
)";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

cfn::Deployment machines_deployment() {
    cfn::Deployment d;
    d.file = "machines.json";
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "machines";
    s.template_id = "4-1-machines";
    s.status = "CREATE_COMPLETE";
    s.parameters = {{"Size", "2"}};
    s.template_body = machines;
    d.stacks.push_back(s);
    return d;
}

SimCloud machines_cloud() { return SimCloud(cloud::sim::world_from_deployment(machines_deployment(), {})); }

cloud::ChangeSet change_set_for(SimCloud& c, const std::string& name, const std::string& body) {
    ChangeSetRequest request{"machines", name, cloud::ChangeSetType::update, body, false, {ParameterInput::keep("Size")}, ""};
    c.create_change_set(request);
    for (int i = 0; i < 100; ++i) {
        cloud::ChangeSet cs = c.describe_change_set("machines", name);
        if (cs.status != "CREATE_IN_PROGRESS" && cs.status != "CREATE_PENDING") return cs;
        c.wait(1);
    }
    return {};
}

std::string physical_id(SimCloud& c, const std::string& logical_id) {
    for (const auto& r : c.describe_stack_resources("machines"))
        if (r.logical_id == logical_id) return r.physical_id;
    return "";
}

const cloud::ResourceChange* change_of(const cloud::ChangeSet& cs, const std::string& logical_id) {
    for (const auto& c : cs.changes)
        if (c.logical_id == logical_id) return &c;
    return nullptr;
}

TEST(SimChangeSetScope, InitMetadataOnlyChangeSetListedNoChange) {
    SimCloud c = machines_cloud();
    cloud::ChangeSet cs = change_set_for(c, "init", replace_all(machines, "level=info", "level=debug"));
    ASSERT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    ASSERT_EQ(cs.changes.size(), 1u);
    const cloud::ResourceChange* launch = change_of(cs, "Launch");
    ASSERT_NE(launch, nullptr);
    EXPECT_EQ(launch->action, ChangeAction::modify);
    EXPECT_EQ(launch->replacement, ChangeReplacement::no);
    EXPECT_EQ(launch->scopes, ChangeScopes{ChangeScope::metadata});
}

TEST(SimChangeSetScope, MetadataOnlyUpdateIsCarriedOutAsAnUpdate) {
    SimCloud c = machines_cloud();
    std::string body = replace_all(machines, "level=info", "level=debug");
    change_set_for(c, "init", body);
    std::string before = physical_id(c, "Launch");
    c.execute_change_set("machines", "init");
    for (int i = 0; i < 100 && c.describe_stack("machines").status.ends_with("_IN_PROGRESS"); ++i) c.wait(15);
    EXPECT_EQ(c.describe_stack("machines").status, "UPDATE_COMPLETE");
    std::vector<std::string> launch_events;
    for (const auto& e : c.describe_stack_events("machines", ""))
        if (e.logical_id == "Launch") launch_events.push_back(e.status);
    EXPECT_EQ(launch_events, (std::vector<std::string>{"UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"}));
    EXPECT_EQ(c.get_template("machines"), body);
    EXPECT_FALSE(before.empty());
    EXPECT_EQ(physical_id(c, "Launch"), before);  // updated in place
}

TEST(SimChangeSetScope, TagsAloneAndBesideProperties) {
    SimCloud c = machines_cloud();
    cloud::ChangeSet tags = change_set_for(c, "tags", replace_all(machines, "Value: lora", "Value: web"));
    ASSERT_NE(change_of(tags, "Group"), nullptr);
    EXPECT_EQ(change_of(tags, "Group")->scopes, ChangeScopes{ChangeScope::tags});
    cloud::ChangeSet both = change_set_for(c, "both", replace_all(replace_all(machines, "Value: lora", "Value: web"),
                                                                   "MinSize: '1'", "MinSize: '2'"));
    ASSERT_NE(change_of(both, "Group"), nullptr);
    EXPECT_EQ(change_of(both, "Group")->scopes, (ChangeScopes{ChangeScope::properties, ChangeScope::tags}));
}

TEST(SimChangeSetScope, DependsOnOnlyChangeSetWasAnEmptyUpdate) {
    SimCloud c = machines_cloud();
    cloud::ChangeSet cs = change_set_for(c, "order", replace_all(machines, "    Type: AWS::AutoScaling::LaunchConfiguration\n",
                                                                 "    Type: AWS::AutoScaling::LaunchConfiguration\n    DependsOn: Role\n"));
    EXPECT_EQ(cs.status, "FAILED");
    EXPECT_EQ(cs.status_reason,
              "The submitted information didn't contain changes. Submit different information to create a change set.");
    EXPECT_TRUE(cs.changes.empty());
}

TEST(SimChangeSetScope, ScopesSurviveTheStateFile) {
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cloud::sim::save_world(cloud::sim::world_from_deployment(machines_deployment(), {}), path);
    {
        SimCloud first = SimCloud::open(path);
        change_set_for(first, "init", replace_all(machines, "level=info", "level=debug"));
    }
    SimCloud second = SimCloud::open(path);
    cloud::ChangeSet cs = second.describe_change_set("machines", "init");
    ASSERT_NE(change_of(cs, "Launch"), nullptr);
    EXPECT_EQ(change_of(cs, "Launch")->scopes, ChangeScopes{ChangeScope::metadata});
    EXPECT_EQ(stackshift::change_scope_name(ChangeScope::update_replace_policy), "UpdateReplacePolicy");
    EXPECT_EQ(stackshift::change_scope_from_name("Tags"), ChangeScope::tags);
    EXPECT_FALSE(stackshift::change_scope_from_name("tags").has_value());
}

}  // namespace
}  // namespace stackshift
