#pragma once
// The AWS query protocol, spoken by CloudFormation, EC2, Auto Scaling and RDS: a request is an
// `Action`, the service's API `Version` and flattened parameters, form-urlencoded in a POST
// body; the answer is XML, `<ActionResponse><ActionResult>...` or an error document. This file
// encodes requests and reads answers into an XmlElement or a CloudError; the HTTP client sends
// them, and query_answers.hpp reads the answers into the Cloud's structs.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/aws/xml_tree.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::cloud::aws {

enum class QueryService : std::uint8_t { cloudformation, ec2, autoscaling, rds };

// "cloudformation", "ec2", "autoscaling", "rds": the service as its endpoint and SigV4 name it.
std::string_view query_service_name(QueryService service);
// The API version every request names: 2010-05-15, 2016-11-15, 2011-01-01, 2014-10-31.
std::string_view query_api_version(QueryService service);

// AWS's percent-encoding (SigV4's UriEncode): RFC 3986 unreserved characters (A-Z a-z 0-9
// - _ . ~) kept, every other byte of the UTF-8 text as %XY in upper-case hex; a space is %20.
std::string aws_percent_encode(std::string_view text);

// One request, its parameters by their flattened names.
class QueryRequest {
public:
    QueryRequest(QueryService service, std::string action);

    QueryService service() const { return m_service; }
    const std::string& action() const { return m_action; }

    // A parameter by its flattened name; a name given twice is a programming error (logic_error).
    QueryRequest& set(const std::string& name, const std::string& value);
    // The name of item `index` (from 1) of the list `name`, as the service flattens lists:
    // "Parameters.member.3" for CloudFormation, Auto Scaling and RDS, "InstanceId.3" for EC2.
    // Nested lists compose: item(item("Filter", 1) + ".Value", 2) is EC2's "Filter.1.Value.2".
    std::string item(const std::string& name, std::size_t index) const;
    // A list of plain values: "StackName.member.1=...", or EC2's "InstanceId.1=...".
    QueryRequest& list(const std::string& name, const std::vector<std::string>& values);
    // CloudFormation's Parameters: ParameterKey with ParameterValue, or UsePreviousValue=true.
    QueryRequest& parameters(const std::vector<ParameterInput>& parameters);

    // The POST body: Action and Version first, then every parameter sorted by name, names and
    // values percent-encoded, joined by '&'.
    std::string body() const;
    // The parameters as set, Action and Version not included.
    const std::map<std::string, std::string, std::less<>>& fields() const { return m_fields; }

private:
    QueryService m_service;
    std::string m_action;
    std::map<std::string, std::string, std::less<>> m_fields;
};

// The code of a CloudError for an answer that is no readable XML, or not the document the
// action answers with.
inline constexpr const char* malformed_answer_code = "MalformedResponse";

// The answer of `action` from `service`, its root element `<ActionResponse>`. Throws
// CloudError: AWS's error document (`<ErrorResponse><Error><Code>` of the query services,
// EC2's `<Response><Errors><Error>`) as AWS's code and message, with the kind cli_error's
// translation gives them; a document that is not well-formed, or whose root is another, as
// malformed_answer_code naming the service, the action and what was wrong.
XmlElement read_query_answer(QueryService service, std::string_view action, std::string_view body);

}  // namespace stackshift::cloud::aws
