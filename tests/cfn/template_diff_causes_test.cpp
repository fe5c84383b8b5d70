// A change the template diff carries along a reference to a replaced resource names what it
// reads of that resource (a change set's CausingEntity); a change written in the template names
// nothing.

#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_ok;

constexpr const char* before = R"(Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, InstanceType: m5.large}
  Attachment:
    Type: AWS::EC2::VolumeAttachment
    Properties: {InstanceId: !Ref Instance, VolumeId: vol-1, Device: /dev/sdf}
  Address:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt Instance.PrivateIp
      Description: !Sub "${Instance.PublicDnsName} of ${Instance}"
)";

const PropertyDiff* property(const TemplateDiff& diff, const std::string& id, const std::string& path) {
    const ResourceDiff* r = diff.resource(id);
    if (r == nullptr) return nullptr;
    for (const auto& p : r->properties)
        if (p.path == path) return &p;
    return nullptr;
}

TEST(TemplateDiffCauses, APropagatedChangeNamesTheReplacedResourceAndItsAttribute) {
    std::string after = before;
    after.replace(after.find("ami-1"), 5, "ami-2");
    Template old_t = parse_ok(before, "old.yaml");
    Template new_t = parse_ok(after, "new.yaml");
    TemplateDiff diff = diff_templates(old_t, new_t, nullptr);

    const PropertyDiff* image = property(diff, "Instance", "ImageId");
    ASSERT_NE(image, nullptr);
    EXPECT_EQ(image->caused_by, "");  // written in the template
    const PropertyDiff* instance_id = property(diff, "Attachment", "InstanceId");
    ASSERT_NE(instance_id, nullptr);
    EXPECT_EQ(instance_id->caused_by, "Instance");
    const PropertyDiff* value = property(diff, "Address", "Value");
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(value->caused_by, "Instance.PrivateIp");
    const PropertyDiff* description = property(diff, "Address", "Description");
    ASSERT_NE(description, nullptr);
    EXPECT_EQ(description->caused_by, "Instance.PublicDnsName");  // the first reference of the Fn::Sub
}

}  // namespace
}  // namespace stackshift::cfn
