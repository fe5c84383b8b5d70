// Finding the profile's roles in a template: by type and relation, never by logical id; a role
// that no resource or several resources fit is reported, not guessed.

#include <gtest/gtest.h>

#include "cfn/template.hpp"
#include "plan/roles.hpp"

namespace stackshift::plan {
namespace {

profile::Profile tts() {
    auto p = profile::builtin_profile("the-things-stack-ecs");
    if (!p) throw std::runtime_error(to_string(p.diagnostics()));
    return std::move(p).value();
}

cfn::Template parse(const std::string& text) {
    auto t = cfn::parse_template(text, "t.yaml");
    if (!t) throw std::runtime_error(to_string(t.diagnostics()));
    return std::move(t).value();
}

RoleMatch find(const profile::Profile& p, const std::string& role, const cfn::Template& t) {
    return find_role(p, *p.role(role), t);
}

const char* by_attachment = R"(Resources:
  Aaa:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 8}
  PgData:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 50}
  Bastion:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1}
  DbHost:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1}
  Mount:
    Type: AWS::EC2::VolumeAttachment
    Properties: {Device: /dev/xvdf, InstanceId: !Ref DbHost, VolumeId: !Ref PgData}
)";

TEST(RoleFinding, AVolumeAttachmentTiesTheVolumeToItsMachine) {
    auto p = tts();
    auto t = parse(by_attachment);
    RoleMatch volume = find(p, "timescale-volume", t);
    EXPECT_EQ(volume.status, RoleMatch::Status::found);
    EXPECT_EQ(volume.logical_id, "PgData");
    RoleMatch machine = find(p, "timescale-machine", t);
    EXPECT_EQ(machine.status, RoleMatch::Status::found);
    EXPECT_EQ(machine.logical_id, "DbHost");
    EXPECT_TRUE(mounts(t, "DbHost", "PgData"));
    EXPECT_FALSE(mounts(t, "Bastion", "PgData"));
    EXPECT_FALSE(mounts(t, "DbHost", "Aaa"));
}

TEST(RoleFinding, TheInstancesVolumesPropertyTiesThemToo) {
    auto p = tts();
    auto t = parse(R"(Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 50}
  Machine:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, Volumes: [{Device: /dev/xvdf, VolumeId: {Ref: Data}}]}
  Other:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 8}
)");
    EXPECT_EQ(find(p, "timescale-volume", t).logical_id, "Data");
    EXPECT_EQ(find(p, "timescale-machine", t).logical_id, "Machine");
}

TEST(RoleFinding, ARoleWithoutRelationIsTheOneResourceOfItsType) {
    auto p = tts();
    auto one = parse("Resources:\n  Main:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-postgresql}\n");
    EXPECT_EQ(find(p, "aurora-cluster", one).logical_id, "Main");
    auto two = parse("Resources:\n  A:\n    Type: AWS::RDS::DBCluster\n  B:\n    Type: AWS::RDS::DBCluster\n");
    RoleMatch ambiguous = find(p, "aurora-cluster", two);
    EXPECT_EQ(ambiguous.status, RoleMatch::Status::ambiguous);
    EXPECT_EQ(ambiguous.candidates, (std::vector<std::string>{"A", "B"}));
    auto none = parse("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    EXPECT_EQ(find(p, "aurora-cluster", none).status, RoleMatch::Status::missing);
}

TEST(RoleFinding, AVolumeNoMachineMountsIsNotTheRoleEvenAlone) {
    auto p = tts();
    auto t = parse(R"(Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 50}
  Instance:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1}
)");
    RoleMatch volume = find(p, "timescale-volume", t);
    EXPECT_EQ(volume.status, RoleMatch::Status::missing);
    EXPECT_EQ(role_question(*p.role("timescale-volume"), volume, "2-5-db-timescale", "p.yaml"),
              "role 'timescale-volume' (AWS::EC2::Volume mounted by role 'timescale-machine'): no resource of template "
              "2-5-db-timescale fits; the plan does not guess which resource holds it. Fix the role in p.yaml (its "
              "type or relation) or the template, then plan again");
}

}  // namespace
}  // namespace stackshift::plan
