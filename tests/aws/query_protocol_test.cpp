// The AWS query protocol: requests flattened and percent-encoded as AWS names them, answers read
// from XML shaped as the API reference's examples into the Cloud's structs, error documents
// (the query services' and EC2's) into a CloudError of the kind the CLI backend gives, and a
// broken document into a CloudError that names the service, never a crash.

#include <gtest/gtest.h>

#include "cloud/aws/query_answers.hpp"
#include "cloud/aws/query_protocol.hpp"

namespace stackshift::cloud::aws {
namespace {

// ---- requests ----

TEST(QueryRequest, StartsWithActionAndTheServicesVersion) {
    EXPECT_EQ(QueryRequest(QueryService::cloudformation, "DescribeStacks").body(), "Action=DescribeStacks&Version=2010-05-15");
    EXPECT_EQ(QueryRequest(QueryService::ec2, "DescribeInstances").body(), "Action=DescribeInstances&Version=2016-11-15");
    EXPECT_EQ(QueryRequest(QueryService::autoscaling, "DescribeAutoScalingGroups").body(),
              "Action=DescribeAutoScalingGroups&Version=2011-01-01");
    EXPECT_EQ(QueryRequest(QueryService::rds, "DescribeDBClusterSnapshots").body(),
              "Action=DescribeDBClusterSnapshots&Version=2014-10-31");
}

TEST(QueryRequest, FlattensCloudFormationParametersAsMembers) {
    QueryRequest r(QueryService::cloudformation, "CreateChangeSet");
    r.set("StackName", "tts-1-network").parameters({ParameterInput::set("Image", "thethingsnetwork/lorawan-stack:3.30.2"),
                                                  ParameterInput::keep("DbPassword")});
    EXPECT_EQ(r.body(),
              "Action=CreateChangeSet&Version=2010-05-15"
              "&Parameters.member.1.ParameterKey=Image"
              "&Parameters.member.1.ParameterValue=thethingsnetwork%2Florawan-stack%3A3.30.2"
              "&Parameters.member.2.ParameterKey=DbPassword"
              "&Parameters.member.2.UsePreviousValue=true"
              "&StackName=tts-1-network");
}

TEST(QueryRequest, FlattensListsPerService) {
    QueryRequest cfn(QueryService::cloudformation, "CreateChangeSet");
    cfn.list("Capabilities", {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"});
    EXPECT_EQ(cfn.fields().at("Capabilities.member.2"), "CAPABILITY_AUTO_EXPAND");

    QueryRequest ec2(QueryService::ec2, "DescribeInstances");
    ec2.list("InstanceId", {"i-0a", "i-0b"});
    EXPECT_EQ(ec2.body(), "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0a&InstanceId.2=i-0b");

    QueryRequest asg(QueryService::autoscaling, "DescribeAutoScalingGroups");
    asg.list("AutoScalingGroupNames", {"tts-gateways"});
    EXPECT_EQ(asg.body(), "Action=DescribeAutoScalingGroups&Version=2011-01-01&AutoScalingGroupNames.member.1=tts-gateways");
}

TEST(QueryRequest, NestsListsInsideStructures) {
    QueryRequest ec2(QueryService::ec2, "DescribeSnapshots");
    ec2.set(ec2.item("Filter", 1) + ".Name", "volume-id").list(ec2.item("Filter", 1) + ".Value", {"vol-1", "vol-2"});
    EXPECT_EQ(ec2.body(), "Action=DescribeSnapshots&Version=2016-11-15&Filter.1.Name=volume-id&Filter.1.Value.1=vol-1&Filter.1.Value.2=vol-2");

    QueryRequest rds(QueryService::rds, "DescribeDBClusterSnapshots");
    rds.set(rds.item("Filters", 1) + ".Name", "db-cluster-id").list(rds.item("Filters", 1) + ".Values", {"tts"});
    EXPECT_EQ(rds.fields().at("Filters.member.1.Values.member.1"), "tts");
}

TEST(QueryRequest, PercentEncodesAllButUnreserved) {
    EXPECT_EQ(aws_percent_encode("AZaz09-_.~"), "AZaz09-_.~");
    EXPECT_EQ(aws_percent_encode("a b+c=d&e/f*g%h"), "a%20b%2Bc%3Dd%26e%2Ff%2Ag%25h");
    EXPECT_EQ(aws_percent_encode("Zürich"), "Z%C3%BCrich");  // UTF-8 bytes, upper-case hex
    QueryRequest r(QueryService::cloudformation, "CreateChangeSet");
    r.set("Description", "stackshift 3.29 -> 3.30 & more");
    EXPECT_EQ(r.body(), "Action=CreateChangeSet&Version=2010-05-15&Description=stackshift%203.29%20-%3E%203.30%20%26%20more");
}

TEST(QueryRequest, RefusesAParameterGivenTwice) {
    QueryRequest r(QueryService::cloudformation, "DescribeStacks");
    r.set("StackName", "a");
    EXPECT_THROW(r.set("StackName", "b"), std::logic_error);
    EXPECT_THROW(r.set("Action", "DeleteStack"), std::logic_error);
}

// ---- the XML tree ----

TEST(XmlTree, ReadsNamesWithoutNamespaceTextAndPaths) {
    XmlElement root = parse_xml(
        "<?xml version=\"1.0\"?>\n<a:Top xmlns:a=\"urn:x\"><a:One>1 &amp; &lt;2&gt;</a:One><Two><member>x</member>"
        "<member><![CDATA[<y>]]></member></Two></a:Top>");
    EXPECT_EQ(root.name, "Top");
    EXPECT_EQ(root.child_text("One"), "1 & <2>");
    ASSERT_EQ(root.children("Two").size(), 1U);
    auto members = root.path("Two")->children("member");
    ASSERT_EQ(members.size(), 2U);
    EXPECT_EQ(members[1]->text, "<y>");
    EXPECT_EQ(root.path("Two/member")->text, "x");
    EXPECT_EQ(root.path("Two/Missing"), nullptr);
    EXPECT_EQ(root.child("Three"), nullptr);
    EXPECT_EQ(root.child_text("Three"), "");
}

TEST(XmlTree, RefusesABrokenDocumentWithTheLine) {
    try {
        parse_xml("<A>\n<B></A>");
        FAIL() << "no XmlError";
    } catch (const XmlError& e) {
        EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_xml(""), XmlError);
}

// An answer is never a way to read local files: an external entity stays unexpanded.
TEST(XmlTree, ExpandsNoExternalEntity) {
    XmlElement root = parse_xml("<?xml version=\"1.0\"?>\n<!DOCTYPE A [<!ENTITY secret SYSTEM \"file:///etc/hostname\">]>"
                                "<A><B>before&secret;after</B></A>");
    EXPECT_EQ(root.child_text("B"), "beforeafter");
}

// ---- answers ----

constexpr const char* describe_stacks_xml = R"(<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackName>tts-2-database</StackName>
        <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/tts-2-database/5b4e1a50-0000-11ee-9c1a-0a1b2c3d4e5f</StackId>
        <CreationTime>2026-03-01T10:00:00.123Z</CreationTime>
        <LastUpdatedTime>2026-11-30T08:15:30.500Z</LastUpdatedTime>
        <StackStatus>UPDATE_COMPLETE</StackStatus>
        <Parameters>
          <member><ParameterKey>DbPassword</ParameterKey><ParameterValue>****</ParameterValue></member>
          <member><ParameterKey>InstanceClass</ParameterKey><ParameterValue>db.r6g.large</ParameterValue></member>
        </Parameters>
        <Outputs>
          <member><OutputKey>Endpoint</OutputKey><OutputValue>tts.cluster-abc.eu-west-1.rds.amazonaws.com</OutputValue><Description>writer</Description></member>
        </Outputs>
        <Tags><member><Key>owner</Key><Value>ops &amp; co</Value></member></Tags>
        <DisableRollback>false</DisableRollback>
      </member>
      <member>
        <StackName>tts-3-cache</StackName>
        <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/tts-3-cache/6c5f2b60-0000-11ee-9c1a-0a1b2c3d4e5f</StackId>
        <CreationTime>2026-03-01T10:05:00Z</CreationTime>
        <StackStatus>UPDATE_ROLLBACK_FAILED</StackStatus>
        <StackStatusReason>The following resource(s) failed to update: [Cache].</StackStatusReason>
      </member>
    </Stacks>
    <NextToken>page-2-token</NextToken>
  </DescribeStacksResult>
  <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>
</DescribeStacksResponse>)";

TEST(QueryAnswers, ReadsDescribeStacks) {
    StacksPage page = describe_stacks_from_xml(read_query_answer(QueryService::cloudformation, "DescribeStacks", describe_stacks_xml));
    ASSERT_EQ(page.stacks.size(), 2U);
    const Stack& db = page.stacks[0];
    EXPECT_EQ(db.name, "tts-2-database");
    EXPECT_EQ(db.status, "UPDATE_COMPLETE");
    EXPECT_EQ(db.parameters.at("InstanceClass"), "db.r6g.large");
    EXPECT_EQ(db.no_echo, std::vector<std::string>{"DbPassword"});
    EXPECT_EQ(db.outputs.at("Endpoint"), "tts.cluster-abc.eu-west-1.rds.amazonaws.com");
    EXPECT_EQ(db.tags.at("owner"), "ops & co");
    EXPECT_EQ(db.last_updated_s, 1796026530);  // LastUpdatedTime 2026-11-30T08:15:30Z
    const Stack& cache = page.stacks[1];
    EXPECT_EQ(cache.status_reason, "The following resource(s) failed to update: [Cache].");
    EXPECT_EQ(cache.last_updated_s, 1772359500);  // never updated: CreationTime 2026-03-01T10:05:00Z
    EXPECT_TRUE(cache.parameters.empty());
    EXPECT_EQ(page.next_token, "page-2-token");
}

TEST(QueryAnswers, LastPageHasNoNextToken) {
    auto answer = read_query_answer(QueryService::cloudformation, "DescribeStacks",
                                    "<DescribeStacksResponse><DescribeStacksResult><Stacks/></DescribeStacksResult></DescribeStacksResponse>");
    StacksPage page = describe_stacks_from_xml(answer);
    EXPECT_TRUE(page.stacks.empty());
    EXPECT_EQ(page.next_token, "");
}

TEST(QueryAnswers, ReadsDescribeStackEventsNewestFirst) {
    auto answer = read_query_answer(QueryService::cloudformation, "DescribeStackEvents", R"(
<DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStackEventsResult>
    <StackEvents>
      <member>
        <EventId>e-2</EventId><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/tts-1/x</StackId>
        <StackName>tts-1</StackName><LogicalResourceId>tts-1</LogicalResourceId>
        <PhysicalResourceId>arn:aws:cloudformation:eu-west-1:123456789012:stack/tts-1/x</PhysicalResourceId>
        <ResourceType>AWS::CloudFormation::Stack</ResourceType><Timestamp>2026-12-07T09:12:44.817Z</Timestamp>
        <ResourceStatus>UPDATE_COMPLETE</ResourceStatus>
      </member>
      <member>
        <EventId>e-1</EventId><StackName>tts-1</StackName><LogicalResourceId>Service</LogicalResourceId>
        <PhysicalResourceId>arn:aws:ecs:eu-west-1:123456789012:service/tts/stack</PhysicalResourceId>
        <ResourceType>AWS::ECS::Service</ResourceType><Timestamp>2026-12-07T09:10:00Z</Timestamp>
        <ResourceStatus>UPDATE_IN_PROGRESS</ResourceStatus><ResourceStatusReason>Resource update started</ResourceStatusReason>
      </member>
    </StackEvents>
    <NextToken>older</NextToken>
  </DescribeStackEventsResult>
</DescribeStackEventsResponse>)");
    StackEventsPage page = describe_stack_events_from_xml(answer);
    ASSERT_EQ(page.events.size(), 2U);
    EXPECT_EQ(page.events[0].event_id, "e-2");
    EXPECT_EQ(page.events[0].status, "UPDATE_COMPLETE");
    EXPECT_EQ(page.events[0].timestamp_s, 1796634764);
    EXPECT_EQ(page.events[1].logical_id, "Service");
    EXPECT_EQ(page.events[1].resource_type, "AWS::ECS::Service");
    EXPECT_EQ(page.events[1].status_reason, "Resource update started");
    EXPECT_EQ(page.events[1].timestamp_s, 1796634600);
    EXPECT_EQ(page.next_token, "older");
}

constexpr const char* describe_change_set_xml = R"(<DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeChangeSetResult>
    <ChangeSetId>arn:aws:cloudformation:eu-west-1:123456789012:changeSet/stackshift-1a2b/9edc39b0-0000</ChangeSetId>
    <ChangeSetName>stackshift-1a2b</ChangeSetName>
    <StackName>tts-2-database</StackName>
    <Status>CREATE_COMPLETE</Status>
    <ExecutionStatus>AVAILABLE</ExecutionStatus>
    <Parameters>
      <member><ParameterKey>DbPassword</ParameterKey><UsePreviousValue>true</UsePreviousValue></member>
      <member><ParameterKey>InstanceClass</ParameterKey><ParameterValue>db.r6g.xlarge</ParameterValue></member>
    </Parameters>
    <Changes>
      <member>
        <Type>Resource</Type>
        <ResourceChange>
          <Action>Modify</Action>
          <LogicalResourceId>Cluster</LogicalResourceId>
          <PhysicalResourceId>tts-cluster</PhysicalResourceId>
          <ResourceType>AWS::RDS::DBCluster</ResourceType>
          <Replacement>True</Replacement>
          <PolicyAction>ReplaceAndSnapshot</PolicyAction>
          <Scope><member>Properties</member><member>Tags</member></Scope>
          <Details>
            <member>
              <Target><Attribute>Properties</Attribute><Name>EngineVersion</Name><RequiresRecreation>Always</RequiresRecreation></Target>
              <Evaluation>Static</Evaluation>
              <ChangeSource>ParameterReference</ChangeSource>
              <CausingEntity>EngineVersion</CausingEntity>
            </member>
            <member>
              <Target><Attribute>Properties</Attribute><Name>Future</Name></Target>
              <Evaluation>Static</Evaluation>
              <ChangeSource>SomethingAwsAddsLater</ChangeSource>
            </member>
          </Details>
        </ResourceChange>
      </member>
      <member>
        <Type>Resource</Type>
        <ResourceChange>
          <Action>Remove</Action>
          <LogicalResourceId>OldQueue</LogicalResourceId>
          <PhysicalResourceId>https://sqs.eu-west-1.amazonaws.com/123456789012/old</PhysicalResourceId>
          <ResourceType>AWS::SQS::Queue</ResourceType>
          <PolicyAction>Retain</PolicyAction>
          <Scope/><Details/>
        </ResourceChange>
      </member>
      <member>
        <Type>Resource</Type>
        <ResourceChange>
          <Action>Add</Action><LogicalResourceId>NewTopic</LogicalResourceId><ResourceType>AWS::SNS::Topic</ResourceType>
        </ResourceChange>
      </member>
    </Changes>
    <NextToken>more-changes</NextToken>
  </DescribeChangeSetResult>
</DescribeChangeSetResponse>)";

TEST(QueryAnswers, ReadsDescribeChangeSetWithDetails) {
    ChangeSetPage page = describe_change_set_from_xml(read_query_answer(QueryService::cloudformation, "DescribeChangeSet", describe_change_set_xml));
    const ChangeSet& cs = page.change_set;
    EXPECT_EQ(cs.name, "stackshift-1a2b");
    EXPECT_EQ(cs.stack, "tts-2-database");
    EXPECT_EQ(cs.status, "CREATE_COMPLETE");
    EXPECT_EQ(cs.execution_status, "AVAILABLE");
    EXPECT_FALSE(cs.no_changes);
    ASSERT_EQ(cs.parameters.size(), 2U);
    EXPECT_TRUE(cs.parameters[0].use_previous_value);
    EXPECT_EQ(cs.parameters[1].value, "db.r6g.xlarge");
    ASSERT_EQ(cs.changes.size(), 3U);

    const ResourceChange& cluster = cs.changes[0];
    EXPECT_EQ(cluster.action, ChangeAction::modify);
    EXPECT_EQ(cluster.physical_id, "tts-cluster");
    EXPECT_EQ(cluster.resource_type, "AWS::RDS::DBCluster");
    EXPECT_EQ(cluster.replacement, ChangeReplacement::yes);
    EXPECT_EQ(cluster.policy_action, PolicyAction::replace_and_snapshot);
    EXPECT_TRUE(cluster.scopes.contains(ChangeScope::properties));
    EXPECT_TRUE(cluster.scopes.contains(ChangeScope::tags));
    // The detail in a ChangeSource stackshift does not know is left out, never guessed.
    ASSERT_EQ(cluster.details.size(), 1U);
    ResourceChangeDetail expected{{ChangeScope::properties, "EngineVersion", RequiresRecreation::always},
                                  ChangeEvaluation::static_value, ChangeSource::parameter_reference, "EngineVersion"};
    EXPECT_EQ(cluster.details[0], expected);

    EXPECT_EQ(cs.changes[1].action, ChangeAction::remove);
    EXPECT_EQ(cs.changes[1].policy_action, PolicyAction::retain);
    EXPECT_EQ(cs.changes[2].action, ChangeAction::add);
    EXPECT_EQ(cs.changes[2].physical_id, "");
    EXPECT_EQ(cs.changes[2].policy_action, std::nullopt);
    EXPECT_EQ(page.next_token, "more-changes");
}

TEST(QueryAnswers, ChangeSetThatChangesNothingIsNoChanges) {
    auto read = [](const std::string& status, const std::string& reason) {
        return describe_change_set_from_xml(
                   read_query_answer(QueryService::cloudformation, "DescribeChangeSet",
                                     "<DescribeChangeSetResponse><DescribeChangeSetResult><ChangeSetId>arn:aws:cloudformation:x</ChangeSetId>"
                                     "<Status>" + status + "</Status><StatusReason>" + reason +
                                         "</StatusReason><ExecutionStatus>UNAVAILABLE</ExecutionStatus>"
                                         "</DescribeChangeSetResult></DescribeChangeSetResponse>"))
            .change_set;
    };
    EXPECT_TRUE(read("FAILED", "The submitted information didn't contain changes. Submit different information to create a change set.").no_changes);
    EXPECT_FALSE(read("FAILED", "Parameter 'Image' must be one of AllowedValues").no_changes);
}

// ---- errors ----

CloudError refusal(QueryService service, const std::string& action, const std::string& body) {
    try {
        read_query_answer(service, action, body);
    } catch (const CloudError& e) {
        return e;
    }
    ADD_FAILURE() << "no CloudError for " << body;
    return {"none", "none"};
}

TEST(QueryErrors, ErrorResponseBecomesTheCodeAndKind) {
    const std::string missing = R"(<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id tts-9 does not exist</Message></Error>
  <RequestId>5ccc7dcd-744c-11e5-be70-example</RequestId>
</ErrorResponse>)";
    CloudError e = refusal(QueryService::cloudformation, "DescribeStacks", missing);
    EXPECT_EQ(e.code(), "ValidationError");
    EXPECT_EQ(e.message(), "Stack with id tts-9 does not exist");
    EXPECT_EQ(e.kind(), ErrorKind::not_found);

    CloudError nothing = refusal(QueryService::cloudformation, "UpdateStack",
                                 "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                                 "<Message>No updates are to be performed.</Message></Error></ErrorResponse>");
    EXPECT_EQ(nothing.kind(), ErrorKind::no_changes);

    CloudError throttled = refusal(QueryService::autoscaling, "DescribeAutoScalingGroups",
                                   "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                                   "<Message>Rate exceeded</Message></Error></ErrorResponse>");
    EXPECT_TRUE(throttled.is_throttling());
    EXPECT_EQ(throttled.kind(), ErrorKind::other);
}

TEST(QueryErrors, Ec2ErrorFormBecomesTheCodeAndKind) {
    CloudError e = refusal(QueryService::ec2, "DescribeInstances", R"(<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-0123456789abcdef0' does not exist</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>)");
    EXPECT_EQ(e.code(), "InvalidInstanceID.NotFound");
    EXPECT_EQ(e.message(), "The instance ID 'i-0123456789abcdef0' does not exist");
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
}

TEST(QueryErrors, MalformedDocumentNamesTheServiceAndWhatWasWrong) {
    CloudError broken = refusal(QueryService::cloudformation, "DescribeStacks", "<DescribeStacksResponse><DescribeStacksResult>");
    EXPECT_EQ(broken.code(), malformed_answer_code);
    EXPECT_NE(broken.message().find("cloudformation to DescribeStacks"), std::string::npos) << broken.message();
    EXPECT_NE(broken.message().find("not well-formed XML"), std::string::npos) << broken.message();

    CloudError html = refusal(QueryService::rds, "DescribeDBClusterSnapshots", "<html><body>502 Bad Gateway</body></html>");
    EXPECT_EQ(html.code(), malformed_answer_code);
    EXPECT_NE(html.message().find("rds to DescribeDBClusterSnapshots"), std::string::npos) << html.message();
    EXPECT_NE(html.message().find("expected <DescribeDBClusterSnapshotsResponse>, found <html>"), std::string::npos) << html.message();

    CloudError no_code = refusal(QueryService::ec2, "DescribeVolumes", "<Response><Errors><Error><Message>x</Message></Error></Errors></Response>");
    EXPECT_EQ(no_code.code(), malformed_answer_code);
    EXPECT_NE(no_code.message().find("no <Code>"), std::string::npos) << no_code.message();

    CloudError empty = refusal(QueryService::autoscaling, "DescribeAutoScalingGroups", "");
    EXPECT_EQ(empty.code(), malformed_answer_code);
}

TEST(QueryErrors, AnswerMissingWhatTheApiAlwaysSendsIsMalformed) {
    auto answer = read_query_answer(QueryService::cloudformation, "DescribeStacks",
                                    "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>a</StackName>"
                                    "<StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>yesterday</CreationTime>"
                                    "</member></Stacks></DescribeStacksResult></DescribeStacksResponse>");
    try {
        describe_stacks_from_xml(answer);
        FAIL() << "no CloudError";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), malformed_answer_code);
        EXPECT_NE(e.message().find("CreationTime 'yesterday'"), std::string::npos) << e.message();
    }
    auto no_result = read_query_answer(QueryService::cloudformation, "DescribeChangeSet", "<DescribeChangeSetResponse/>");
    EXPECT_THROW(describe_change_set_from_xml(no_result), CloudError);
}

}  // namespace
}  // namespace stackshift::cloud::aws
