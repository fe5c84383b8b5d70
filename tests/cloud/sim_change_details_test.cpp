// The simulated AWS's change sets say what becomes of each old resource (PolicyAction, from the
// DeletionPolicy and UpdateReplacePolicy) and why each resource changes (Details: the property,
// whether it recreates, and its cause: the template, a parameter, a replaced resource), as
// DescribeChangeSet does.

#include <algorithm>

#include "cfn/deployment.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using cloud::ChangeAction;
using cloud::ChangeEvaluation;
using cloud::ChangeReplacement;
using cloud::ChangeSetRequest;
using cloud::ChangeSource;
using cloud::ParameterInput;
using cloud::PolicyAction;
using cloud::RequiresRecreation;
using cloud::ResourceChangeDetail;
using cloud::sim::SimCloud;

constexpr const char* storage = R"(Parameters:
  Zone: {Type: String, Default: eu-west-1a}
  Size: {Type: String, Default: '20'}
  Team: {Type: String, Default: lora}
Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: !Ref Zone
      Size: !Ref Size
      Tags: [{Key: team, Value: !Ref Team}]
  Kept:
    Type: AWS::EC2::Volume
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties: {AvailabilityZone: eu-west-1a, Size: 10}
  Snapped:
    Type: AWS::EC2::Volume
    DeletionPolicy: Snapshot
    Properties: {AvailabilityZone: eu-west-1a, Size: 10}
  Scratch:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 5}
  Instance:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, InstanceType: m5.large}
  Attachment:
    Type: AWS::EC2::VolumeAttachment
    Properties:
      InstanceId: !Ref Instance
      VolumeId: !Ref Volume
      Device: /dev/sdf
  Address:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt Instance.PrivateIp
)";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

std::string without_resource(const std::string& body, const std::string& logical_id) {
    std::size_t start = body.find("  " + logical_id + ":\n");
    std::size_t end = body.find("\n  ", start + 3);
    while (end != std::string::npos && body.compare(end + 3, 1, " ") == 0) end = body.find("\n  ", end + 1);
    return body.substr(0, start) + body.substr(end == std::string::npos ? body.size() : end + 1);
}

cfn::Deployment storage_deployment() {
    cfn::Deployment d;
    d.file = "storage.json";
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "storage";
    s.template_id = "2-5-storage";
    s.status = "CREATE_COMPLETE";
    s.parameters = {{"Zone", "eu-west-1a"}, {"Size", "20"}, {"Team", "lora"}};
    s.template_body = storage;
    d.stacks.push_back(s);
    return d;
}

std::vector<ParameterInput> keep_all() {
    return {ParameterInput::keep("Zone"), ParameterInput::keep("Size"), ParameterInput::keep("Team")};
}

cloud::ChangeSet change_set_for(SimCloud& c, const std::string& name, const std::string& body,
                                std::vector<ParameterInput> parameters = keep_all()) {
    ChangeSetRequest request{"storage", name, cloud::ChangeSetType::update, body, false, std::move(parameters), ""};
    c.create_change_set(request);
    for (int i = 0; i < 100; ++i) {
        cloud::ChangeSet cs = c.describe_change_set("storage", name);
        if (cs.status != "CREATE_IN_PROGRESS" && cs.status != "CREATE_PENDING") return cs;
        c.wait(1);
    }
    return {};
}

const cloud::ResourceChange* change_of(const cloud::ChangeSet& cs, const std::string& logical_id) {
    for (const auto& c : cs.changes)
        if (c.logical_id == logical_id) return &c;
    return nullptr;
}

ResourceChangeDetail detail(ChangeScope attribute, std::string name, std::optional<RequiresRecreation> recreation,
                            ChangeSource source, std::string entity, ChangeEvaluation evaluation = ChangeEvaluation::static_value) {
    return {{attribute, std::move(name), recreation}, evaluation, source, std::move(entity)};
}

bool has_detail(const cloud::ResourceChange& change, const ResourceChangeDetail& wanted) {
    return std::find(change.details.begin(), change.details.end(), wanted) != change.details.end();
}

TEST(SimChangeDetails, ParameterCausedReplacementOfAVolumeWithoutPolicyIsReplaceAndDelete) {
    SimCloud c = SimCloud(cloud::sim::world_from_deployment(storage_deployment(), {}));
    cloud::ChangeSet cs = change_set_for(c, "zone", storage,
                                         {ParameterInput::set("Zone", "eu-west-1b"), ParameterInput::keep("Size"),
                                          ParameterInput::keep("Team")});
    ASSERT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    const cloud::ResourceChange* volume = change_of(cs, "Volume");
    ASSERT_NE(volume, nullptr);
    EXPECT_EQ(volume->replacement, ChangeReplacement::yes);
    EXPECT_EQ(volume->policy_action, PolicyAction::replace_and_delete);
    EXPECT_EQ(volume->details, (std::vector<ResourceChangeDetail>{detail(ChangeScope::properties, "AvailabilityZone",
                                                                         RequiresRecreation::always,
                                                                         ChangeSource::parameter_reference, "Zone")}));
    // The attachment reads the volume's id, which the replacement changes: the simulator's own
    // propagation names the volume as the cause.
    const cloud::ResourceChange* attachment = change_of(cs, "Attachment");
    ASSERT_NE(attachment, nullptr);
    EXPECT_EQ(attachment->replacement, ChangeReplacement::yes);
    EXPECT_TRUE(has_detail(*attachment, detail(ChangeScope::properties, "VolumeId", RequiresRecreation::always,
                                               ChangeSource::resource_reference, "Volume")));
}

TEST(SimChangeDetails, RetainAndSnapshotReplacePoliciesShowInThePolicyAction) {
    SimCloud c = SimCloud(cloud::sim::world_from_deployment(storage_deployment(), {}));
    std::string body = replace_all(storage, "Properties: {AvailabilityZone: eu-west-1a, Size: 10}",
                                   "Properties: {AvailabilityZone: eu-west-1c, Size: 10}");
    body = replace_all(body, "    DeletionPolicy: Snapshot\n", "    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot\n");
    cloud::ChangeSet cs = change_set_for(c, "zones", body);
    ASSERT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    ASSERT_NE(change_of(cs, "Kept"), nullptr);
    EXPECT_EQ(change_of(cs, "Kept")->policy_action, PolicyAction::replace_and_retain);
    ASSERT_NE(change_of(cs, "Snapped"), nullptr);
    EXPECT_EQ(change_of(cs, "Snapped")->policy_action, PolicyAction::replace_and_snapshot);
    EXPECT_TRUE(has_detail(*change_of(cs, "Kept"), detail(ChangeScope::properties, "AvailabilityZone", RequiresRecreation::always,
                                                          ChangeSource::direct_modification, "")));
}

TEST(SimChangeDetails, RemovedResourcesFollowTheirDeletionPolicy) {
    SimCloud c = SimCloud(cloud::sim::world_from_deployment(storage_deployment(), {}));
    std::string body = without_resource(without_resource(without_resource(storage, "Scratch"), "Kept"), "Snapped");
    ASSERT_EQ(body.find("Scratch"), std::string::npos) << body;
    cloud::ChangeSet cs = change_set_for(c, "removals", body);
    ASSERT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    for (const auto& [id, action] : {std::pair{"Scratch", PolicyAction::delete_resource}, std::pair{"Kept", PolicyAction::retain},
                                     std::pair{"Snapped", PolicyAction::snapshot}}) {
        const cloud::ResourceChange* change = change_of(cs, id);
        ASSERT_NE(change, nullptr) << id;
        EXPECT_EQ(change->action, ChangeAction::remove) << id;
        EXPECT_EQ(change->policy_action, action) << id;
        EXPECT_TRUE(change->details.empty()) << id;
    }
}

TEST(SimChangeDetails, AnUpdateInPlaceHasNoPolicyActionAndNamesTheParameters) {
    SimCloud c = SimCloud(cloud::sim::world_from_deployment(storage_deployment(), {}));
    cloud::ChangeSet cs = change_set_for(c, "grow", storage,
                                         {ParameterInput::keep("Zone"), ParameterInput::set("Size", "30"),
                                          ParameterInput::set("Team", "web")});
    ASSERT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    ASSERT_EQ(cs.changes.size(), 1u);
    const cloud::ResourceChange* volume = change_of(cs, "Volume");
    ASSERT_NE(volume, nullptr);
    EXPECT_EQ(volume->replacement, ChangeReplacement::no);
    EXPECT_FALSE(volume->policy_action.has_value());
    EXPECT_EQ(volume->details,
              (std::vector<ResourceChangeDetail>{
                  detail(ChangeScope::properties, "Size", RequiresRecreation::never, ChangeSource::parameter_reference, "Size"),
                  detail(ChangeScope::tags, "", RequiresRecreation::never, ChangeSource::parameter_reference, "Team")}));
}

TEST(SimChangeDetails, AReplacedResourceIsTheCauseOfWhatRefersToIt) {
    SimCloud c = SimCloud(cloud::sim::world_from_deployment(storage_deployment(), {}));
    cloud::ChangeSet cs = change_set_for(c, "image", replace_all(storage, "ImageId: ami-1", "ImageId: ami-2"));
    ASSERT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    const cloud::ResourceChange* instance = change_of(cs, "Instance");
    ASSERT_NE(instance, nullptr);
    EXPECT_EQ(instance->policy_action, PolicyAction::replace_and_delete);
    EXPECT_EQ(instance->details, (std::vector<ResourceChangeDetail>{detail(ChangeScope::properties, "ImageId",
                                                                           RequiresRecreation::always,
                                                                           ChangeSource::direct_modification, "")}));
    // A Ref names the resource (ResourceReference); a Fn::GetAtt its attribute (ResourceAttribute).
    const cloud::ResourceChange* attachment = change_of(cs, "Attachment");
    ASSERT_NE(attachment, nullptr);
    EXPECT_EQ(attachment->details, (std::vector<ResourceChangeDetail>{detail(ChangeScope::properties, "InstanceId",
                                                                             RequiresRecreation::always,
                                                                             ChangeSource::resource_reference, "Instance")}));
    const cloud::ResourceChange* address = change_of(cs, "Address");
    ASSERT_NE(address, nullptr);
    EXPECT_FALSE(address->policy_action.has_value());
    EXPECT_EQ(address->details, (std::vector<ResourceChangeDetail>{detail(ChangeScope::properties, "Value",
                                                                          RequiresRecreation::never,
                                                                          ChangeSource::resource_attribute, "Instance.PrivateIp")}));
}

TEST(SimChangeDetails, PolicyActionAndDetailsSurviveTheStateFile) {
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cloud::sim::save_world(cloud::sim::world_from_deployment(storage_deployment(), {}), path);
    cloud::ChangeSet first_view;
    {
        SimCloud first = SimCloud::open(path);
        first_view = change_set_for(first, "image", replace_all(storage, "ImageId: ami-1", "ImageId: ami-2"));
    }
    SimCloud second = SimCloud::open(path);
    cloud::ChangeSet cs = second.describe_change_set("storage", "image");
    ASSERT_EQ(cs.changes.size(), first_view.changes.size());
    ASSERT_FALSE(cs.changes.empty());
    for (std::size_t i = 0; i < cs.changes.size(); ++i) {
        EXPECT_EQ(cs.changes[i].policy_action, first_view.changes[i].policy_action) << cs.changes[i].logical_id;
        EXPECT_EQ(cs.changes[i].details, first_view.changes[i].details) << cs.changes[i].logical_id;
    }
    ASSERT_NE(change_of(cs, "Address"), nullptr);
    EXPECT_FALSE(change_of(cs, "Address")->details.empty());
}

}  // namespace
}  // namespace stackshift
