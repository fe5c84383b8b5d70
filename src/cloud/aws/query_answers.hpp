#pragma once
// CloudFormation's query-protocol answers that the executor polls most, read from their XML
// (read_query_answer's root element) into the Cloud's structs, as the CLI backend reads its
// JSON: DescribeStacks, DescribeStackEvents and DescribeChangeSet, each one page with the
// NextToken of the next (empty on the last). A member the API always sends that is missing,
// or a time that is not one, is a CloudError (malformed_answer_code), never a default.

#include <string>
#include <vector>

#include "cloud/aws/xml_tree.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::cloud::aws {

struct StacksPage {
    std::vector<Stack> stacks;
    std::string next_token;
};

struct StackEventsPage {
    std::vector<StackEvent> events;  // newest first, as AWS lists them
    std::string next_token;
};

struct ChangeSetPage {
    ChangeSet change_set;  // this page's Changes only
    std::string next_token;
};

StacksPage describe_stacks_from_xml(const XmlElement& answer);
StackEventsPage describe_stack_events_from_xml(const XmlElement& answer);
ChangeSetPage describe_change_set_from_xml(const XmlElement& answer);

}  // namespace stackshift::cloud::aws
