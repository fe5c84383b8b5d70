// Exports, imports and outputs in the simulated AWS: what CloudFormation refuses (an export in
// use removed or changed, an import of a missing export, a delete of a stack whose export is in
// use, an export name taken), with AWS's messages and states; outputs that follow the template
// after an update; values resolved in the world.

#include <algorithm>

#include "cfn/template.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim/world_values.hpp"
#include "cloud/sim_support.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using stackshift::testing::wait_stable;

using cloud::ChangeSetRequest;
using cloud::CloudError;
using cloud::ParameterInput;
using cloud::sim::SimCloud;

constexpr const char* producer_template = R"(
Parameters:
  WithAddress:
    Type: String
    Default: "true"
  Image:
    Type: String
    Default: ami-1
Conditions:
  HasAddress: !Equals [!Ref WithAddress, "true"]
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Image
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  Address:
    Condition: HasAddress
    Value: !GetAtt Instance.PrivateIp
    Export:
      Name: !Sub "${AWS::StackName}-Address"
  InstanceId:
    Value: !Ref Instance
  TopicArn:
    Value: !Ref Topic
    Export:
      Name: !Sub "${AWS::StackName}-Topic"
)";

constexpr const char* consumer_template = R"(
Parameters:
  ProducerStackName:
    Type: String
  UseAddress:
    Type: String
    Default: "true"
Conditions:
  Uses: !Equals [!Ref UseAddress, "true"]
Resources:
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !If
        - Uses
        - Fn::ImportValue: !Sub "${ProducerStackName}-Address"
        - none
)";

cfn::DeployedStack deployed(const std::string& name, const char* body, std::map<std::string, std::string, std::less<>> parameters,
                            std::map<std::string, std::string, std::less<>> outputs = {}) {
    cfn::DeployedStack s;
    s.name = name;
    s.status = "CREATE_COMPLETE";
    s.parameters = std::move(parameters);
    s.outputs = std::move(outputs);
    s.template_body = body;
    return s;
}

const std::map<std::string, std::string, std::less<>> recorded_outputs = {
    {"Address", "10.1.2.3"}, {"InstanceId", "i-0123456789abcdef0"}, {"TopicArn", "arn:aws:sns:eu-west-1:123456789012:real-topic"}};

cfn::Deployment deployment(bool with_consumer = true) {
    cfn::Deployment d;
    d.file = "exports.json";
    d.region = "eu-west-1";
    d.stacks.push_back(deployed("producer", producer_template, {{"WithAddress", "true"}, {"Image", "ami-1"}}, recorded_outputs));
    if (with_consumer) d.stacks.push_back(deployed("consumer", consumer_template, {{"ProducerStackName", "producer"}, {"UseAddress", "true"}}));
    return d;
}

SimCloud cloud_of(const cfn::Deployment& d) { return SimCloud(cloud::sim::world_from_deployment(d, {})); }

std::vector<std::string> stack_statuses(const std::vector<cloud::StackEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        if (e.resource_type == "AWS::CloudFormation::Stack") out.push_back(e.status);
    }
    return out;
}

// The reason of the last stack event with this status.
std::string reason_of(const std::vector<cloud::StackEvent>& events, const std::string& status) {
    for (auto e = events.rbegin(); e != events.rend(); ++e) {
        if (e->resource_type == "AWS::CloudFormation::Stack" && e->status == status) return e->status_reason;
    }
    return "(no " + status + " event)";
}

void run_change_set(SimCloud& c, const std::string& stack, const std::string& name, const std::string& body,
                    std::vector<ParameterInput> parameters, cloud::ChangeSetType type = cloud::ChangeSetType::update) {
    c.create_change_set(ChangeSetRequest{stack, name, type, body, false, std::move(parameters), ""});
    c.wait(60);
    c.execute_change_set(stack, name);
}

std::string physical_id(SimCloud& c, const std::string& stack, const std::string& logical_id) {
    for (const auto& r : c.describe_stack_resources(stack)) {
        if (r.logical_id == logical_id) return r.physical_id;
    }
    return "(none)";
}

TEST(SimExports, WorldFromASnapshotExportsItsRecordedOutputsAndKnowsTheImports) {
    SimCloud c = cloud_of(deployment());
    const auto* producer = c.world().stack("producer");
    ASSERT_NE(producer, nullptr);
    EXPECT_EQ(producer->exports.at("producer-Address"), "10.1.2.3");
    EXPECT_EQ(producer->exports.at("producer-Topic"), "arn:aws:sns:eu-west-1:123456789012:real-topic");
    EXPECT_EQ(producer->outputs.at("InstanceId"), "i-0123456789abcdef0");
    std::vector<std::string> imports{"producer-Address"};
    EXPECT_EQ(c.world().stack("consumer")->imports, imports);
}

TEST(SimExports, AnImportUnderAFalseConditionIsNoImport) {
    cfn::Deployment d = deployment();
    d.stacks[1].parameters["UseAddress"] = "false";
    SimCloud c = cloud_of(d);
    EXPECT_TRUE(c.world().stack("consumer")->imports.empty());
}

TEST(SimExports, UpdateRemovingAnExportInUseRollsBackWithAwsMessage) {
    SimCloud c = cloud_of(deployment());
    c.update_stack({"producer", {ParameterInput::set("WithAddress", "false"), ParameterInput::keep("Image")}});
    EXPECT_EQ(wait_stable(c, "producer"), "UPDATE_ROLLBACK_COMPLETE");
    auto events = c.describe_stack_events("producer", "");
    std::vector<std::string> expected{"CREATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS",
                                      "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"};
    EXPECT_EQ(stack_statuses(events), expected);
    EXPECT_EQ(reason_of(events, "UPDATE_ROLLBACK_IN_PROGRESS"), "Export producer-Address cannot be deleted as it is in use by consumer");
    cloud::Stack producer = c.describe_stack("producer");
    EXPECT_EQ(producer.parameters.at("WithAddress"), "true");
    EXPECT_EQ(producer.outputs.at("Address"), "10.1.2.3");

    // Once the consumer no longer imports it, the same update goes through and the output goes.
    c.update_stack({"consumer", {ParameterInput::keep("ProducerStackName"), ParameterInput::set("UseAddress", "false")}});
    EXPECT_EQ(wait_stable(c, "consumer"), "UPDATE_COMPLETE");
    EXPECT_TRUE(c.world().stack("consumer")->imports.empty());
    c.update_stack({"producer", {ParameterInput::set("WithAddress", "false"), ParameterInput::keep("Image")}});
    EXPECT_EQ(wait_stable(c, "producer"), "UPDATE_COMPLETE");
    EXPECT_EQ(c.describe_stack("producer").outputs.count("Address"), 0U);
    EXPECT_EQ(c.world().stack("producer")->exports.count("producer-Address"), 0U);
}

TEST(SimExports, UpdateChangingAnExportInUseRollsBack) {
    SimCloud c = cloud_of(deployment());
    std::string body = producer_template;
    body.replace(body.find("Instance.PrivateIp"), std::string("Instance.PrivateIp").size(), "Instance.PublicIp");
    run_change_set(c, "producer", "public", body, {ParameterInput::keep("WithAddress"), ParameterInput::keep("Image")});
    EXPECT_EQ(wait_stable(c, "producer"), "UPDATE_ROLLBACK_COMPLETE");
    auto events = c.describe_stack_events("producer", "");
    EXPECT_EQ(reason_of(events, "UPDATE_ROLLBACK_IN_PROGRESS"), "Cannot update export producer-Address as it is in use by consumer");
    EXPECT_EQ(c.describe_change_set("producer", "public").execution_status, "EXECUTE_FAILED");
    EXPECT_EQ(c.describe_stack("producer").outputs.at("Address"), "10.1.2.3");
}

TEST(SimExports, ImportOfAMissingExportRollsBackBeforeAnyResource) {
    SimCloud c = cloud_of(deployment());
    c.update_stack({"consumer", {ParameterInput::set("ProducerStackName", "elsewhere"), ParameterInput::keep("UseAddress")}});
    EXPECT_EQ(wait_stable(c, "consumer"), "UPDATE_ROLLBACK_COMPLETE");
    auto events = c.describe_stack_events("consumer", "");
    EXPECT_EQ(reason_of(events, "UPDATE_ROLLBACK_IN_PROGRESS"), "No export named elsewhere-Address found. Rollback requested by user.");
    bool resource_touched = std::any_of(events.begin(), events.end(), [](const cloud::StackEvent& e) { return e.logical_id == "Setting"; });
    EXPECT_FALSE(resource_touched);
    EXPECT_EQ(c.describe_stack("consumer").parameters.at("ProducerStackName"), "producer");

    // A new stack that imports it is not created.
    run_change_set(c, "newcomer", "create", consumer_template, {ParameterInput::set("ProducerStackName", "elsewhere")},
                   cloud::ChangeSetType::create);
    EXPECT_EQ(wait_stable(c, "newcomer"), "ROLLBACK_COMPLETE");
    EXPECT_EQ(reason_of(c.describe_stack_events("newcomer", ""), "ROLLBACK_IN_PROGRESS"),
              "No export named elsewhere-Address found. Rollback requested by user.");
}

TEST(SimExports, DeletingAStackWhoseExportIsInUseIsRefused) {
    SimCloud c = cloud_of(deployment());
    c.delete_stack("producer");
    EXPECT_EQ(wait_stable(c, "producer"), "CREATE_COMPLETE");
    cloud::Stack producer = c.describe_stack("producer");
    EXPECT_EQ(producer.status_reason, "Export producer-Address cannot be deleted as it is in use by consumer");
    std::vector<std::string> expected{"CREATE_COMPLETE", "DELETE_IN_PROGRESS", "CREATE_COMPLETE"};
    EXPECT_EQ(stack_statuses(c.describe_stack_events("producer", "")), expected);
    EXPECT_EQ(c.describe_stack_resources("producer").size(), 2U);

    c.delete_stack("consumer");
    c.wait(600);
    EXPECT_EQ(c.world().stack("consumer")->status, "DELETE_COMPLETE");
    c.delete_stack("producer");
    c.wait(600);
    EXPECT_EQ(c.world().stack("producer")->status, "DELETE_COMPLETE");  // once nothing imports its exports
    EXPECT_TRUE(c.world().stack("producer")->exports.empty());
}

TEST(SimExports, AnExportNameIsUniqueInTheRegion) {
    SimCloud c = cloud_of(deployment());
    const char* copy = R"(
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  TopicArn:
    Value: !Ref Topic
    Export:
      Name: producer-Topic
)";
    run_change_set(c, "copy", "create", copy, {}, cloud::ChangeSetType::create);
    EXPECT_EQ(wait_stable(c, "copy"), "ROLLBACK_COMPLETE");
    EXPECT_EQ(reason_of(c.describe_stack_events("copy", ""), "ROLLBACK_IN_PROGRESS"),
              "Export with name producer-Topic is already exported by stack producer");
    EXPECT_EQ(c.world().stack("producer")->exports.at("producer-Topic"), "arn:aws:sns:eu-west-1:123456789012:real-topic");
}

TEST(SimOutputs, FollowTheTemplateAfterAnUpdate) {
    SimCloud c = cloud_of(deployment(false));
    std::string body = producer_template;
    // The Address output goes, a Zone output comes; a new image replaces the instance.
    body.replace(body.find("  Address:\n"), std::string("  Address:\n").size(), "  Zone:\n");
    body.replace(body.find("Instance.PrivateIp"), std::string("Instance.PrivateIp").size(), "Instance.AvailabilityZone");
    body.replace(body.find("${AWS::StackName}-Address"), std::string("${AWS::StackName}-Address").size(), "${AWS::StackName}-Zone");
    body += "  Private:\n    Value: !GetAtt Instance.PrivateIp\n";
    run_change_set(c, "producer", "outputs", body, {ParameterInput::keep("WithAddress"), ParameterInput::set("Image", "ami-2")});
    ASSERT_EQ(wait_stable(c, "producer"), "UPDATE_COMPLETE");
    cloud::Stack producer = c.describe_stack("producer");
    EXPECT_EQ(producer.outputs.count("Address"), 0U);
    EXPECT_EQ(producer.outputs.at("Zone"), "eu-west-1a");
    std::string instance = physical_id(c, "producer", "Instance");
    EXPECT_NE(instance, "i-0123456789abcdef0");
    EXPECT_EQ(producer.outputs.at("InstanceId"), instance);  // a !Ref of the replaced instance follows it
    EXPECT_TRUE(producer.outputs.at("Private").starts_with("10.")) << producer.outputs.at("Private");
    EXPECT_NE(producer.outputs.at("Private"), "10.1.2.3");  // a !GetAtt of it too
    EXPECT_EQ(producer.outputs.at("TopicArn"), "arn:aws:sns:eu-west-1:123456789012:real-topic");  // unchanged: as reported
    const auto* world_producer = c.world().stack("producer");
    EXPECT_EQ(world_producer->exports.count("producer-Address"), 0U);
    EXPECT_EQ(world_producer->exports.at("producer-Zone"), "eu-west-1a");
}

TEST(SimOutputs, UnchangedOutputsKeepTheSnapshotValues) {
    SimCloud c = cloud_of(deployment());
    std::string body = producer_template;
    body.replace(body.find("    Type: AWS::SNS::Topic\n"), std::string("    Type: AWS::SNS::Topic\n").size(),
                 "    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: alerts\n");
    run_change_set(c, "producer", "topic", body, {ParameterInput::keep("WithAddress"), ParameterInput::keep("Image")});
    ASSERT_EQ(wait_stable(c, "producer"), "UPDATE_COMPLETE");
    EXPECT_EQ(c.describe_stack("producer").outputs, recorded_outputs);
}

TEST(SimWorldFile, ExportsAndImportsSurviveTheSaveAndAreDerivedFromAnOlderFile) {
    SimCloud c = cloud_of(deployment());
    std::string text = cloud::sim::world_to_json(c.world());
    cloud::sim::World again = cloud::sim::world_from_json(text, "world.json");
    EXPECT_EQ(again.stack("producer")->exports, c.world().stack("producer")->exports);
    EXPECT_EQ(again.stack("consumer")->imports, c.world().stack("consumer")->imports);
    // A state file written before exports were kept: derived on load.
    for (const char* key : {"\"exports\"", "\"imports\""}) {
        EXPECT_NE(text.find(key), std::string::npos);
    }
    std::string older = text;
    for (const char* key : {"exports", "imports"}) {
        for (std::size_t at; (at = older.find(std::string("\"") + key + "\":")) != std::string::npos;) {
            std::size_t end = older.find_first_of("}]", at);
            older.erase(at, end + 1 - at);
            if (older[at] == ',') older.erase(at, 1);
            else if (older[at - 1] == ',') older.erase(at - 1, 1);
        }
    }
    ASSERT_EQ(older.find("\"exports\""), std::string::npos);
    cloud::sim::World derived = cloud::sim::world_from_json(older, "older.json");
    EXPECT_EQ(derived.stack("producer")->exports, c.world().stack("producer")->exports);
    EXPECT_EQ(derived.stack("consumer")->imports, c.world().stack("consumer")->imports);
}

TEST(SimValues, RefGetAttSubAndImportResolveInTheWorld) {
    SimCloud c = cloud_of(deployment());
    const char* body = R"(
Parameters:
  Name:
    Type: String
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
  Database:
    Type: AWS::RDS::DBCluster
  Instance:
    Type: AWS::EC2::Instance
  Queue:
    Type: AWS::SQS::Queue
Outputs:
  Value:
    Value: x
)";
    auto t = cfn::parse_template(body, "values.yaml");
    ASSERT_TRUE(t.ok());
    cloud::sim::SimStack stack;
    stack.name = "values";
    stack.id = "arn:aws:cloudformation:eu-west-1:123456789012:stack/values/1";
    stack.parameters = {{"Name", "db"}};
    stack.resources = {{"Task", "AWS::ECS::TaskDefinition", "arn:aws:ecs:eu-west-1:123456789012:task-definition/values-Task:3", ""},
                       {"Database", "AWS::RDS::DBCluster", "values-database-abc", ""},
                       {"Instance", "AWS::EC2::Instance", "i-0aaaabbbbccccdddd", ""},
                       {"Queue", "AWS::SQS::Queue", "values-Queue-XYZ", ""}};
    auto resolve = [&](const std::string& yaml) {
        auto doc = cfn::parse_document(yaml, "v.yaml", cfn::Format::yaml);
        EXPECT_TRUE(doc.ok());
        return cloud::sim::resolve_in_world(c.world(), stack, *t, *doc).text();
    };
    EXPECT_EQ(resolve("!Ref Task"), "arn:aws:ecs:eu-west-1:123456789012:task-definition/values-Task:3");
    EXPECT_EQ(resolve("!Ref Queue"), "https://sqs.eu-west-1.amazonaws.com/123456789012/values-Queue-XYZ");
    std::string address = resolve("!GetAtt Database.Endpoint.Address");
    EXPECT_TRUE(address.starts_with("values-database-abc.cluster-")) << address;
    EXPECT_TRUE(address.ends_with(".eu-west-1.rds.amazonaws.com")) << address;
    std::string ip = resolve("!GetAtt Instance.PrivateIp");
    EXPECT_TRUE(ip.starts_with("10.")) << ip;
    EXPECT_EQ(resolve("!GetAtt Instance.PrivateIp"), ip);  // deterministic
    EXPECT_EQ(resolve("!Sub '${Name}@${Instance.PrivateIp}/${Instance}'"), "db@" + ip + "/i-0aaaabbbbccccdddd");
    EXPECT_EQ(resolve("!Sub '${AWS::StackName}-${AWS::Region}'"), "values-eu-west-1");
    EXPECT_EQ(resolve("!ImportValue producer-Address"), "10.1.2.3");
    try {
        resolve("!ImportValue nobody-Exports-This");
        ADD_FAILURE() << "an unknown export is an error";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.message(), "No export named nobody-Exports-This found");
    }
}

}  // namespace
}  // namespace stackshift
