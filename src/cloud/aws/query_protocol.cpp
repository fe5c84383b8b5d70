// The AWS query protocol: requests encoded as AWS flattens and percent-encodes them, answers
// read into an XML tree or a CloudError.

#include "cloud/aws/query_protocol.hpp"

#include <stdexcept>

#include "cloud/aws/cli_error.hpp"

namespace stackshift::cloud::aws {

std::string_view query_service_name(QueryService service) {
    switch (service) {
    case QueryService::cloudformation: return "cloudformation";
    case QueryService::ec2: return "ec2";
    case QueryService::autoscaling: return "autoscaling";
    case QueryService::rds: return "rds";
    }
    return "cloudformation";
}

std::string_view query_api_version(QueryService service) {
    switch (service) {
    case QueryService::cloudformation: return "2010-05-15";
    case QueryService::ec2: return "2016-11-15";
    case QueryService::autoscaling: return "2011-01-01";
    case QueryService::rds: return "2014-10-31";
    }
    return "2010-05-15";
}

std::string aws_percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                          c == '.' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0F];
        }
    }
    return out;
}

QueryRequest::QueryRequest(QueryService service, std::string action) : m_service(service), m_action(std::move(action)) {}

QueryRequest& QueryRequest::set(const std::string& name, const std::string& value) {
    if (name == "Action" || name == "Version" || !m_fields.emplace(name, value).second)
        throw std::logic_error("query parameter '" + name + "' of " + m_action + " given twice");
    return *this;
}

// EC2 names list items NAME.N; the other query services NAME.member.N.
std::string QueryRequest::item(const std::string& name, std::size_t index) const {
    if (m_service == QueryService::ec2) return name + "." + std::to_string(index);
    return name + ".member." + std::to_string(index);
}

QueryRequest& QueryRequest::list(const std::string& name, const std::vector<std::string>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) set(item(name, i + 1), values[i]);
    return *this;
}

QueryRequest& QueryRequest::parameters(const std::vector<ParameterInput>& parameters) {
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const std::string at = item("Parameters", i + 1);
        set(at + ".ParameterKey", parameters[i].key);
        if (parameters[i].use_previous_value) set(at + ".UsePreviousValue", "true");
        else set(at + ".ParameterValue", parameters[i].value);
    }
    return *this;
}

std::string QueryRequest::body() const {
    std::string out = "Action=" + aws_percent_encode(m_action) + "&Version=" + aws_percent_encode(query_api_version(m_service));
    for (const auto& [name, value] : m_fields) out += "&" + aws_percent_encode(name) + "=" + aws_percent_encode(value);
    return out;
}

namespace {

CloudError malformed(QueryService service, std::string_view action, const std::string& what) {
    return {malformed_answer_code, "the answer of " + std::string(query_service_name(service)) + " to " + std::string(action) +
                                       " could not be read: " + what};
}

// The <Error> of an error document: AWS's code and message, with its kind. An <Error> without
// a code says nothing a caller could decide on, so it is malformed rather than guessed.
CloudError error_from(QueryService service, std::string_view action, const XmlElement& error) {
    std::string code = error.child_text("Code");
    if (code.empty()) return malformed(service, action, "its <Error> has no <Code>");
    std::string message = error.child_text("Message");
    ErrorKind kind = aws_error_kind(code, message);
    return {code, message, kind};
}

}  // namespace

XmlElement read_query_answer(QueryService service, std::string_view action, std::string_view body) {
    XmlElement root;
    try {
        root = parse_xml(body);
    } catch (const XmlError& e) {
        throw malformed(service, action, std::string("it is not well-formed XML (") + e.what() + ")");
    }
    // CloudFormation, Auto Scaling and RDS: <ErrorResponse><Error>; EC2: <Response><Errors><Error>.
    const XmlElement* error = nullptr;
    if (root.name == "ErrorResponse") error = root.child("Error");
    else if (root.name == "Response") error = root.path("Errors/Error");
    if (root.name == "ErrorResponse" || root.name == "Response") {
        if (error == nullptr) throw malformed(service, action, "<" + root.name + "> holds no <Error>");
        throw error_from(service, action, *error);
    }
    std::string expected = std::string(action) + "Response";
    if (root.name != expected) throw malformed(service, action, "expected <" + expected + ">, found <" + root.name + ">");
    return root;
}

}  // namespace stackshift::cloud::aws
