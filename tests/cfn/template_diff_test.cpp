// The template diff: every kind of change, the impacts from the spec, value flow through
// mappings, parameters and conditions, renames, propagation, and the template's interface.

#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using testing::parse_ok;

struct Diffed {
    Template old_template;
    Template new_template;
    std::optional<ParameterValues> values;
    TemplateDiff diff;

    const ResourceDiff& resource(const std::string& id) const {
        const ResourceDiff* r = diff.resource(id);
        if (r == nullptr) throw std::runtime_error("no diff for resource " + id);
        return *r;
    }
    std::string impact(const std::string& id) const {
        const ResourceDiff* r = diff.resource(id);
        return r ? std::string(impact_name(r->impact)) : "(unchanged)";
    }
    const PropertyDiff& property(const std::string& id, const std::string& path) const {
        for (const auto& p : resource(id).properties) {
            if (p.path == path) return p;
        }
        throw std::runtime_error("no property diff " + id + "." + path);
    }
};

Diffed diff_of(const std::string& old_text, const std::string& new_text,
               std::optional<std::map<std::string, std::string, std::less<>>> values = std::nullopt) {
    Diffed d{parse_ok(old_text, "old.yaml"), parse_ok(new_text, "new.yaml"), std::nullopt, {}};
    if (values) d.values = ParameterValues{*values};
    d.diff = diff_templates(d.old_template, d.new_template, d.values ? &*d.values : nullptr);
    return d;
}

const char* volume_template = R"(Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 100
      VolumeType: gp3
)";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) text.replace(pos, from.size(), to);
    return text;
}

TEST(TemplateDiff, IdenticalTemplatesHaveNoChanges) {
    auto d = diff_of(volume_template, volume_template);
    EXPECT_TRUE(d.diff.empty());
}

TEST(TemplateDiff, MutablePropertyIsAnUpdate) {
    auto d = diff_of(volume_template, replace_all(volume_template, "Size: 100", "Size: 200"));
    EXPECT_EQ(d.impact("Volume"), "will-update");
    const auto& p = d.property("Volume", "Size");
    EXPECT_EQ(p.old_value->text(), "100");
    EXPECT_EQ(p.new_value->text(), "200");
    EXPECT_EQ(p.replacement, Replacement::never);
    EXPECT_TRUE(d.resource("Volume").stateful);
}

TEST(TemplateDiff, ReplacingPropertyOfStatefulResource) {
    auto d = diff_of(volume_template, replace_all(volume_template, "eu-west-1a", "eu-west-1b"));
    EXPECT_EQ(d.impact("Volume"), "will-replace");
    EXPECT_TRUE(d.resource("Volume").stateful);
    EXPECT_FALSE(d.resource("Volume").stateful_reason.empty());
}

TEST(TemplateDiff, NumberAndStringOfTheSameValueAreEqual) {
    auto d = diff_of(volume_template, replace_all(volume_template, "Size: 100", "Size: '100'"));
    EXPECT_TRUE(d.diff.empty());
}

TEST(TemplateDiff, BooleanAndStringOfTheSameValueAreEqual) {
    std::string a = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties: {AvailabilityZone: a, Encrypted: true}\n";
    auto d = diff_of(a, replace_all(a, "Encrypted: true", "Encrypted: 'true'"));
    EXPECT_TRUE(d.diff.empty());
}

TEST(TemplateDiff, GetAttShortAndListFormsAreEqual) {
    std::string a = "Resources:\n  Q: {Type: 'AWS::SQS::Queue'}\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt Q.Arn\n";
    auto d = diff_of(a, replace_all(a, "!GetAtt Q.Arn", "{'Fn::GetAtt': [Q, Arn]}"));
    EXPECT_TRUE(d.diff.empty());
}

TEST(TemplateDiff, AddedAndRemovedResources) {
    std::string a = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n  B: {Type: 'AWS::SQS::Queue', Properties: {DelaySeconds: 5}}\n";
    std::string b = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n  C: {Type: 'AWS::SNS::Topic', Properties: {TopicName: c}}\n";
    auto d = diff_of(a, b);
    EXPECT_EQ(d.impact("B"), "will-destroy");
    EXPECT_EQ(d.resource("B").change, ResourceChange::removed);
    EXPECT_TRUE(d.resource("B").stateful);  // an SQS queue holds messages
    EXPECT_EQ(d.impact("C"), "will-create");
    EXPECT_EQ(d.impact("A"), "(unchanged)");
}

TEST(TemplateDiff, RetainedRemovalIsAnOrphan) {
    std::string a = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n  Data: {Type: 'AWS::S3::Bucket', DeletionPolicy: Retain}\n"
                    "  Keep: {Type: 'AWS::S3::Bucket', DeletionPolicy: RetainExceptOnCreate}\n";
    auto d = diff_of(a, "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n");
    EXPECT_EQ(d.impact("Data"), "will-orphan");
    EXPECT_EQ(d.impact("Keep"), "will-orphan");
}

TEST(TemplateDiff, TypeChangeIsAReplacement) {
    std::string a = "Resources:\n  Store: {Type: 'AWS::SQS::Queue'}\n";
    auto d = diff_of(a, "Resources:\n  Store: {Type: 'AWS::SNS::Topic'}\n");
    EXPECT_EQ(d.impact("Store"), "will-replace");
    EXPECT_EQ(d.resource("Store").change, ResourceChange::type_changed);
    EXPECT_EQ(d.resource("Store").old_type, "AWS::SQS::Queue");
    EXPECT_TRUE(d.resource("Store").stateful);  // the old type held data
}

TEST(TemplateDiff, RenamedResourceIsADestroyAndACreate) {
    auto d = diff_of(volume_template, replace_all(volume_template, "  Volume:", "  DataVolume:"));
    EXPECT_EQ(d.impact("Volume"), "will-destroy");
    EXPECT_EQ(d.resource("Volume").change, ResourceChange::renamed_to);
    EXPECT_EQ(d.resource("Volume").other_id, "DataVolume");
    EXPECT_EQ(d.impact("DataVolume"), "will-create");
    EXPECT_EQ(d.resource("DataVolume").change, ResourceChange::renamed_from);
    EXPECT_TRUE(d.resource("Volume").stateful);
}

TEST(TemplateDiff, NearlyTheSameBodyIsStillARename) {
    std::string a = "Resources:\n  Q1:\n    Type: AWS::SQS::Queue\n    Properties: {DelaySeconds: 1, MaximumMessageSize: 2048, "
                    "MessageRetentionPeriod: 600, ReceiveMessageWaitTimeSeconds: 2, VisibilityTimeout: 30}\n";
    std::string b = replace_all(replace_all(a, "Q1:", "Q2:"), "VisibilityTimeout: 30", "VisibilityTimeout: 60");
    auto d = diff_of(a, b);
    EXPECT_EQ(d.resource("Q1").change, ResourceChange::renamed_to);
    std::string c = replace_all(replace_all(b, "DelaySeconds: 1", "DelaySeconds: 9"), "MaximumMessageSize: 2048", "MaximumMessageSize: 4096");
    auto far = diff_of(a, c);
    EXPECT_EQ(far.resource("Q1").change, ResourceChange::removed);  // too different to be the same resource
}

TEST(TemplateDiff, NestedPathsAndTheirImpact) {
    std::string a = R"(Resources:
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {VolumeSize: 20, DeleteOnTermination: true}
)";
    auto d = diff_of(a, replace_all(a, "VolumeSize: 20", "VolumeSize: 40"));
    const auto& p = d.property("Server", "BlockDeviceMappings[0].Ebs.VolumeSize");
    EXPECT_EQ(p.old_value->text(), "20");
    EXPECT_EQ(p.new_value->text(), "40");
    EXPECT_EQ(impact_name(p.impact), "may-replace");
    EXPECT_EQ(d.impact("Server"), "may-replace");
}

TEST(TemplateDiff, ResourceImpactIsTheWorstOfItsProperties) {
    std::string a = "Resources:\n  S:\n    Type: AWS::EC2::Instance\n    Properties: {ImageId: ami-1, InstanceType: t3.small}\n";
    auto d = diff_of(a, replace_all(replace_all(a, "ami-1", "ami-2"), "t3.small", "t3.large"));
    EXPECT_EQ(d.impact("S"), "will-replace");
    EXPECT_EQ(impact_name(d.property("S", "ImageId").impact), "will-replace");
    EXPECT_EQ(d.resource("S").properties.size(), 2u);
}

const char* timescale_template = R"(Mappings:
  RegionMap:
    eu-west-1: {AMI: ami-0aaa}
    us-east-1: {AMI: ami-0bbb}
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [RegionMap, !Ref 'AWS::Region', AMI]
      InstanceType: m5.large
  Volume:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: !GetAtt Instance.AvailabilityZone, Size: 100}
  Attachment:
    Type: AWS::EC2::VolumeAttachment
    Properties:
      InstanceId: !Ref Instance
      VolumeId: !Ref Volume
      Device: /dev/xvdf
)";

TEST(TemplateDiff, AmiChangeInRegionMapReplacesTheInstance) {
    std::string b = replace_all(replace_all(timescale_template, "ami-0aaa", "ami-1aaa"), "ami-0bbb", "ami-1bbb");
    auto d = diff_of(timescale_template, b);
    EXPECT_EQ(d.impact("Instance"), "will-replace");
    const auto& p = d.property("Instance", "ImageId");
    EXPECT_TRUE(p.certain);
    EXPECT_NE(p.note.find("RegionMap.eu-west-1.AMI: \"ami-0aaa\" -> \"ami-1aaa\""), std::string::npos) << p.note;
}

TEST(TemplateDiff, AmiChangeInSomeRegionsMayReplace) {
    auto d = diff_of(timescale_template, replace_all(timescale_template, "ami-0bbb", "ami-1bbb"));
    EXPECT_EQ(d.impact("Instance"), "may-replace");
    EXPECT_FALSE(d.property("Instance", "ImageId").certain);
}

TEST(TemplateDiff, AmiChangeOutsideTheDeployedRegionIsNoChange) {
    auto d = diff_of(timescale_template, replace_all(timescale_template, "ami-0bbb", "ami-1bbb"), {{{"AWS::Region", "eu-west-1"}}});
    EXPECT_EQ(d.impact("Instance"), "(unchanged)");
    auto e = diff_of(timescale_template, replace_all(timescale_template, "ami-0aaa", "ami-1aaa"), {{{"AWS::Region", "eu-west-1"}}});
    EXPECT_EQ(e.impact("Instance"), "will-replace");
    EXPECT_EQ(e.property("Instance", "ImageId").new_value->text(), "ami-1aaa");
}

TEST(TemplateDiff, ReplacementCarriesAlongReferences) {
    std::string b = replace_all(replace_all(timescale_template, "ami-0aaa", "ami-1aaa"), "ami-0bbb", "ami-1bbb");
    auto d = diff_of(timescale_template, b);
    // The attachment names the instance in a property that replaces: it is replaced too.
    EXPECT_EQ(d.impact("Attachment"), "will-replace");
    EXPECT_NE(d.property("Attachment", "InstanceId").note.find("refers to Instance, which is replaced"), std::string::npos);
    // The volume reads the instance's AZ in a replacing property: with the spec's patch, replaced.
    EXPECT_EQ(d.impact("Volume"), "will-replace");
}

TEST(TemplateDiff, PossibleReplacementCarriesAlongAsPossible) {
    auto d = diff_of(timescale_template, replace_all(timescale_template, "ami-0bbb", "ami-1bbb"));
    EXPECT_EQ(d.impact("Attachment"), "may-replace");
    EXPECT_FALSE(d.property("Attachment", "InstanceId").certain);
}

TEST(TemplateDiff, ParameterValuesAreSubstituted) {
    std::string a = "Parameters:\n  Size: {Type: Number, Default: 100}\nResources:\n  V:\n    Type: AWS::EC2::Volume\n"
                    "    Properties: {AvailabilityZone: a, Size: !Ref Size}\n";
    std::string b = replace_all(a, "!Ref Size", "200");
    EXPECT_EQ(diff_of(a, b).impact("V"), "will-update");  // unknown value: compared as written
    EXPECT_EQ(diff_of(a, b, {{{"Size", "200"}}}).impact("V"), "(unchanged)");
}

TEST(TemplateDiff, ConditionsDecideWhatExists) {
    std::string a = R"(Parameters:
  Replica: {Type: String, Default: 'false', AllowedValues: ['true', 'false']}
Conditions:
  HasReplica: !Equals [!Ref Replica, 'true']
Resources:
  Main: {Type: 'AWS::SNS::Topic'}
  Standby: {Type: 'AWS::SNS::Topic', Condition: HasReplica}
)";
    std::string b = replace_all(a, "HasReplica: !Equals [!Ref Replica, 'true']", "HasReplica: !Equals [!Ref Replica, 'false']");
    auto without = diff_of(a, b);
    EXPECT_EQ(without.impact("Standby"), "(unchanged)");  // conditions not evaluated: compared as written
    auto with = diff_of(a, b, {{{"Replica", "false"}}});
    EXPECT_EQ(with.impact("Standby"), "will-create");
    auto reverse = diff_of(b, a, {{{"Replica", "false"}}});
    EXPECT_EQ(reverse.impact("Standby"), "will-destroy");
    EXPECT_NE(reverse.resource("Standby").notes.back().find("Condition is now false"), std::string::npos);
}

TEST(TemplateDiff, FnIfResolvedWhereTheConditionIsKnown) {
    std::string a = R"(Parameters:
  Snap: {Type: String, Default: ''}
Conditions:
  HasSnap: !Not [!Equals [!Ref Snap, '']]
Resources:
  V:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: a
      SnapshotId: !If [HasSnap, !Ref Snap, !Ref 'AWS::NoValue']
)";
    EXPECT_TRUE(diff_of(a, a, {{{"Snap", ""}}}).diff.empty());
    std::string b = replace_all(a, "SnapshotId: !If [HasSnap, !Ref Snap, !Ref 'AWS::NoValue']", "SnapshotId: snap-1");
    auto d = diff_of(a, b, {{{"Snap", ""}}});
    EXPECT_EQ(d.impact("V"), "will-replace");
    EXPECT_FALSE(d.property("V", "SnapshotId").old_value.has_value());
}

TEST(TemplateDiff, AttributeChangesAreReported) {
    std::string a = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n  B: {Type: 'AWS::SNS::Topic'}\n"
                    "  D:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Metadata: {v: 1}\n";
    std::string b = "Resources:\n  A: {Type: 'AWS::SNS::Topic'}\n  B: {Type: 'AWS::SNS::Topic'}\n"
                    "  D:\n    Type: AWS::S3::Bucket\n    DependsOn: A\n    Condition: C\n    Metadata: {v: 2}\n"
                    "Conditions:\n  C: !Equals [a, a]\n";
    auto d = diff_of(a, b);
    const auto& r = d.resource("D");
    std::vector<std::string> paths;
    for (const auto& p : r.properties) paths.push_back(p.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"DeletionPolicy", "UpdateReplacePolicy", "Condition", "DependsOn", "Metadata"}));
    EXPECT_TRUE(d.property("D", "DeletionPolicy").is_attribute());
    // Metadata and the policies are updated in place; Condition and DependsOn update nothing.
    EXPECT_EQ(d.impact("D"), "will-update");
    EXPECT_EQ(r.scopes, (ChangeScopes{ChangeScope::deletion_policy, ChangeScope::update_replace_policy, ChangeScope::metadata}));
    EXPECT_EQ(d.property("D", "Condition").impact, Impact::no_change);
    EXPECT_EQ(d.property("D", "DependsOn").impact, Impact::no_change);
}

TEST(TemplateDiff, ParameterChangesWithDetails) {
    std::string a = R"(Parameters:
  Family: {Type: String, Default: m5, AllowedValues: [m5, r5]}
  Gone: {Type: String}
  Pattern: {Type: String, AllowedPattern: '[a-z]+', MinLength: 1, MaxLength: 5}
  Size: {Type: Number, MinValue: 1, MaxValue: 10}
  Secret: {Type: String}
Resources:
  A: {Type: 'AWS::SNS::Topic'}
)";
    std::string b = R"(Parameters:
  Family: {Type: String, Default: r6, AllowedValues: [r6, m6]}
  New: {Type: String}
  Pattern: {Type: String, AllowedPattern: '[a-z0-9]+', MinLength: 2, MaxLength: 6}
  Size: {Type: String, MinValue: 2, MaxValue: 20}
  Secret: {Type: String, NoEcho: true}
Resources:
  A: {Type: 'AWS::SNS::Topic'}
)";
    auto d = diff_of(a, b);
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> got;
    for (const auto& p : d.diff.parameters) got[p.name] = {p.change, p.details};
    using V = std::vector<std::string>;
    EXPECT_EQ(got["Family"], std::make_pair(std::string("changed"), V{"default", "allowed-values"}));
    EXPECT_EQ(got["Gone"].first, "removed");
    EXPECT_EQ(got["New"].first, "added");
    EXPECT_EQ(got["Pattern"].second, (V{"allowed-pattern", "min-length", "max-length"}));
    EXPECT_EQ(got["Size"].second, (V{"type", "min-value", "max-value"}));
    EXPECT_EQ(got["Secret"].second, V{"no-echo"});
}

TEST(TemplateDiff, OutputsAndExports) {
    std::string a = R"(Resources:
  A: {Type: 'AWS::SNS::Topic'}
Outputs:
  Kept: {Value: !Ref A, Export: {Name: !Sub '${AWS::StackName}-Kept'}}
  Renamed: {Value: !Ref A, Export: {Name: !Sub '${AWS::StackName}-Old'}}
  Removed: {Value: !Ref A, Export: {Name: shared-removed}}
  Changed: {Value: one}
)";
    std::string b = R"(Resources:
  A: {Type: 'AWS::SNS::Topic'}
Outputs:
  Kept: {Value: !Ref A, Export: {Name: !Sub '${AWS::StackName}-Kept'}}
  Renamed: {Value: !Ref A, Export: {Name: !Sub '${AWS::StackName}-New'}}
  Changed: {Value: two}
  Added: {Value: x, Export: {Name: shared-added}}
)";
    auto d = diff_of(a, b, {{{"AWS::StackName", "acme"}}});
    std::map<std::string, const OutputDiff*> got;
    for (const auto& o : d.diff.outputs) got[o.name] = &o;
    EXPECT_EQ(got.count("Kept"), 0u);
    ASSERT_TRUE(got["Renamed"] && got["Removed"] && got["Changed"] && got["Added"]);
    EXPECT_TRUE(got["Renamed"]->breaks_imports);
    EXPECT_EQ(got["Renamed"]->old_export, "acme-Old");
    EXPECT_EQ(got["Renamed"]->new_export, "acme-New");
    EXPECT_TRUE(got["Removed"]->breaks_imports);
    EXPECT_EQ(got["Removed"]->change, "removed");
    EXPECT_FALSE(got["Changed"]->breaks_imports);
    EXPECT_EQ(got["Changed"]->details, std::vector<std::string>{"value"});
    EXPECT_FALSE(got["Added"]->breaks_imports);
}

TEST(TemplateDiff, OutputsFollowTheirConditions) {
    std::string a = R"(Parameters:
  On: {Type: String, Default: 'yes'}
Conditions:
  IsOn: !Equals [!Ref On, 'yes']
Resources:
  A: {Type: 'AWS::SNS::Topic'}
Outputs:
  Maybe: {Value: !Ref A, Condition: IsOn, Export: {Name: shared-maybe}}
)";
    auto d = diff_of(a, a, {{{"On", "yes"}}});
    EXPECT_TRUE(d.diff.outputs.empty());
    std::string b = replace_all(a, "!Equals [!Ref On, 'yes']", "!Equals [!Ref On, 'never']");
    auto e = diff_of(a, b, {{{"On", "yes"}}});
    ASSERT_EQ(e.diff.outputs.size(), 1u);
    EXPECT_EQ(e.diff.outputs[0].change, "removed");
    EXPECT_TRUE(e.diff.outputs[0].breaks_imports);
    auto f = diff_of(b, a, {{{"On", "yes"}}});
    ASSERT_EQ(f.diff.outputs.size(), 1u);
    EXPECT_EQ(f.diff.outputs[0].change, "added");
}

TEST(TemplateDiff, CustomResourcesUpdateAndUnknownTypesMayReplace) {
    std::string a = "Resources:\n  C: {Type: 'Custom::Seed', Properties: {ServiceToken: arn, V: 1}}\n"
                    "  N: {Type: 'AWS::Future::Thing', Properties: {V: 1}}\n";
    auto d = diff_of(a, replace_all(a, "V: 1", "V: 2"));
    EXPECT_EQ(d.impact("C"), "will-update");
    EXPECT_EQ(d.impact("N"), "may-replace");
}

TEST(TemplateDiff, ListLengthChangeIsOneChangeOfTheList) {
    std::string a = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: [{Key: a, Value: '1'}]\n";
    auto d = diff_of(a, replace_all(a, "[{Key: a, Value: '1'}]", "[{Key: a, Value: '1'}, {Key: b, Value: '2'}]"));
    ASSERT_EQ(d.resource("T").properties.size(), 1u);
    EXPECT_EQ(d.resource("T").properties[0].path, "Tags");
}

}  // namespace
}  // namespace stackshift::cfn
