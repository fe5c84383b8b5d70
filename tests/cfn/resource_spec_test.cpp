#include "cfn/resource_spec.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

using stackshift::cfn::find_stateful_type;
using stackshift::cfn::property_replacement;
using stackshift::cfn::Replacement;
using stackshift::cfn::replacement_name;
using stackshift::cfn::spec_has_property;
using stackshift::cfn::spec_knows_type;
using stackshift::cfn::spec_source;
using stackshift::cfn::spec_table_is_consistent;
using stackshift::cfn::stateful_types;

namespace {

Replacement replacement(std::string_view type, std::initializer_list<std::string_view> path) {
    const std::vector<std::string_view> segments(path);
    return property_replacement(type, segments);
}

}  // namespace

TEST(ResourceSpec, TableIsConsistent) {
    EXPECT_TRUE(spec_table_is_consistent());
}

TEST(ResourceSpec, SourceNamesPackageAndVersion) {
    const std::string source(spec_source());
    EXPECT_TRUE(std::regex_match(source, std::regex(R"(@aws-cdk/aws-service-spec \d+\.\d+\.\d+)")))
        << source;
}

TEST(ResourceSpec, ReplacementNames) {
    EXPECT_EQ(replacement_name(Replacement::never), "never");
    EXPECT_EQ(replacement_name(Replacement::maybe), "maybe");
    EXPECT_EQ(replacement_name(Replacement::always), "always");
}

// The upstream data says never (the registry schema has no createOnlyProperties); the
// generator corrects it, because EC2 cannot move or re-encrypt an existing volume.
TEST(ResourceSpec, VolumeAvailabilityZoneReplaces) {
    EXPECT_EQ(replacement("AWS::EC2::Volume", {"AvailabilityZone"}), Replacement::always);
    EXPECT_EQ(replacement("AWS::EC2::Volume", {"SnapshotId"}), Replacement::always);
}

TEST(ResourceSpec, VolumeSizeUpdatesInPlace) {
    EXPECT_EQ(replacement("AWS::EC2::Volume", {"Size"}), Replacement::never);
    EXPECT_EQ(replacement("AWS::EC2::Volume", {"VolumeType"}), Replacement::never);
}

TEST(ResourceSpec, InstanceImageIdReplaces) {
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"ImageId"}), Replacement::always);
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"InstanceType"}), Replacement::maybe);
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"Tags"}), Replacement::never);
}

TEST(ResourceSpec, InstanceBlockDeviceMappingsFollowTopLevelCode) {
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"BlockDeviceMappings"}), Replacement::maybe);
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"BlockDeviceMappings", "Ebs", "VolumeSize"}),
              Replacement::maybe);
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"BlockDeviceMappings", "DeviceName"}),
              Replacement::maybe);
}

TEST(ResourceSpec, NestedMarkRaisesAnswer) {
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"BlockDeviceMappings", "Ebs", "KmsKeyId"}),
              Replacement::always);
}

TEST(ResourceSpec, NestedMarkRaisesNeverProperty) {
    // Batch's ComputeResources updates in place, but some of its fields are create-only.
    EXPECT_EQ(replacement("AWS::Batch::ComputeEnvironment", {"ComputeResources"}),
              Replacement::never);
    EXPECT_EQ(replacement("AWS::Batch::ComputeEnvironment", {"ComputeResources", "SpotIamFleetRole"}),
              Replacement::always);
}

TEST(ResourceSpec, NestedMarkNeverLowersTopLevel) {
    // DynamoDB's KeySchema type is shared with the indexes, where its fields are only 'maybe'.
    EXPECT_EQ(replacement("AWS::DynamoDB::GlobalTable", {"KeySchema", "KeyType"}),
              Replacement::always);
    EXPECT_EQ(replacement("AWS::DynamoDB::GlobalTable",
                          {"GlobalSecondaryIndexes", "KeySchema", "KeyType"}),
              Replacement::maybe);
}

TEST(ResourceSpec, UnknownNestedSegmentKeepsTopLevelCode) {
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"BlockDeviceMappings", "NoSuchField", "X"}),
              Replacement::maybe);
    EXPECT_EQ(replacement("AWS::EC2::Instance", {"ImageId", "Fn::FindInMap"}), Replacement::always);
}

TEST(ResourceSpec, RdsClusterEngineMayReplace) {
    EXPECT_EQ(replacement("AWS::RDS::DBCluster", {"Engine"}), Replacement::maybe);
    EXPECT_EQ(replacement("AWS::RDS::DBCluster", {"StorageEncrypted"}), Replacement::always);
    EXPECT_EQ(replacement("AWS::RDS::DBCluster", {"EngineVersion"}), Replacement::never);
}

TEST(ResourceSpec, LaunchConfigurationUserDataReplaces) {
    EXPECT_EQ(replacement("AWS::AutoScaling::LaunchConfiguration", {"UserData"}),
              Replacement::always);
    EXPECT_EQ(replacement("AWS::AutoScaling::LaunchConfiguration",
                          {"BlockDeviceMappings", "Ebs", "VolumeSize"}),
              Replacement::always);
}

TEST(ResourceSpec, TaskDefinitionContainerDefinitionsReplace) {
    EXPECT_EQ(replacement("AWS::ECS::TaskDefinition", {"ContainerDefinitions"}),
              Replacement::always);
    EXPECT_EQ(replacement("AWS::ECS::TaskDefinition", {"ContainerDefinitions", "Image"}),
              Replacement::always);
    EXPECT_EQ(replacement("AWS::ECS::TaskDefinition", {"Tags"}), Replacement::never);
}

// As in cdk diff: without a spec entry no replacement is predicted.
TEST(ResourceSpec, UnknownTypeNeverReplaces) {
    EXPECT_FALSE(spec_knows_type("Custom::Migration"));
    EXPECT_FALSE(spec_knows_type("AWS::EC2::Volum"));
    EXPECT_FALSE(spec_knows_type(""));
    EXPECT_EQ(replacement("Custom::Migration", {"ServiceToken"}), Replacement::never);
}

TEST(ResourceSpec, UnknownPropertyNeverReplaces) {
    EXPECT_TRUE(spec_knows_type("AWS::EC2::Volume"));
    EXPECT_FALSE(spec_has_property("AWS::EC2::Volume", "SizeInGiB"));
    EXPECT_EQ(replacement("AWS::EC2::Volume", {"SizeInGiB"}), Replacement::never);
    EXPECT_EQ(replacement("AWS::EC2::Volume", {}), Replacement::never);
}

TEST(ResourceSpec, HasProperty) {
    EXPECT_TRUE(spec_has_property("AWS::EC2::Volume", "Size"));
    EXPECT_FALSE(spec_has_property("AWS::EC2::Volume", "size"));
    EXPECT_FALSE(spec_has_property("AWS::EC2::Instance", "BlockDeviceMapping"));
    EXPECT_FALSE(spec_has_property("AWS::EC2::Instance.Ebs", "KmsKeyId"));  // not a resource
}

TEST(ResourceSpec, KnowsTypesWithoutProperties) {
    EXPECT_TRUE(spec_knows_type("AWS::CloudFormation::WaitConditionHandle"));
    EXPECT_TRUE(spec_knows_type("Alexa::ASK::Skill"));
}

TEST(StatefulTypes, EveryStatefulTypeIsKnownToSpec) {
    ASSERT_FALSE(stateful_types().empty());
    for (const auto& entry : stateful_types()) {
        EXPECT_TRUE(spec_knows_type(entry.type)) << entry.type;
        EXPECT_FALSE(entry.reason.empty()) << entry.type;
    }
}

TEST(StatefulTypes, FindsEachEntry) {
    for (const auto& entry : stateful_types()) {
        const auto* found = find_stateful_type(entry.type);
        ASSERT_NE(found, nullptr) << entry.type;
        EXPECT_EQ(found->type, entry.type);
    }
}

TEST(StatefulTypes, CoversDataStores) {
    for (const std::string_view type :
         {"AWS::EC2::Volume", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance",
          "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup",
          "AWS::ElastiCache::ServerlessCache", "AWS::S3::Bucket", "AWS::EFS::FileSystem",
          "AWS::FSx::FileSystem", "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable",
          "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain", "AWS::Kinesis::Stream",
          "AWS::SQS::Queue"}) {
        EXPECT_NE(find_stateful_type(type), nullptr) << type;
    }
}

TEST(StatefulTypes, StatelessTypesAreNotListed) {
    EXPECT_EQ(find_stateful_type("AWS::ECS::TaskDefinition"), nullptr);
    EXPECT_EQ(find_stateful_type("AWS::EC2::Instance"), nullptr);
    EXPECT_EQ(find_stateful_type("AWS::EC2::Volum"), nullptr);
    EXPECT_EQ(find_stateful_type("AWS::EC2::VolumeAttachment"), nullptr);
    EXPECT_EQ(find_stateful_type(""), nullptr);
}

TEST(StatefulTypes, VolumeReason) {
    const auto* volume = find_stateful_type("AWS::EC2::Volume");
    ASSERT_NE(volume, nullptr);
    EXPECT_EQ(volume->reason,
              "an EBS volume holds block data; replacing it creates an empty volume unless "
              "SnapshotId names a snapshot");
}
