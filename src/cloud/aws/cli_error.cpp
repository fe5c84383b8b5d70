#include "cloud/aws/cli_error.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace stackshift::cloud::aws {

namespace {

constexpr std::array credential_codes = {"ExpiredToken",       "ExpiredTokenException", "RequestExpired",
                                         "InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure",
                                         "SignatureDoesNotMatch", "InvalidAccessKeyId", "MissingAuthenticationToken",
                                         "IncompleteSignature", "InvalidSignatureException"};
constexpr std::array access_codes = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                                     "UnauthorizedException", "AuthorizationError"};

template <std::size_t N>
bool one_of(const std::array<const char*, N>& codes, std::string_view code) {
    for (const char* c : codes)
        if (code == c) return true;
    return false;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

// The CLI's own complaint, without what it echoes of the arguments: a usage error can quote
// the --parameters JSON it could not read, and parameter values are never repeated.
std::string summary(std::string_view text, int max_lines) {
    std::string s(text);
    for (const char* echo : {"JSON received:", "received:"}) {
        if (auto at = s.find(echo); at != std::string::npos) s = s.substr(0, at);
    }
    std::string out;
    int lines = 0;
    std::size_t start = 0;
    while (start <= s.size() && lines < max_lines) {
        auto end = s.find('\n', start);
        std::string line = trim(std::string_view(s).substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!line.empty() && line.rfind("usage:", 0) != 0 && line.rfind("To see help text", 0) != 0) {
            out += (out.empty() ? "" : " ") + line;
            ++lines;
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out.empty() ? "(no message)" : out;
}

std::string who(const CliCall& call) {
    return call.profile.empty() ? "the default credentials" : "profile '" + call.profile + "'";
}

std::string login_advice(const CliCall& call) {
    std::string p = call.profile.empty() ? "" : " --profile " + call.profile;
    return "log in (aws sso login" + p + ", or aws configure" + p +
           " for access keys) and run again, or choose another profile with --profile";
}

// The kind of an AWS refusal (cloud.hpp's ErrorKind), from its code and, where AWS has no
// code of its own for it (CloudFormation answers ValidationError for most), its message:
// "Stack with id X does not exist", "Stack [X] does not exist", "ChangeSet [X] does not exist"
// (ChangeSetNotFound), "Stack [X] already exists and cannot be created again with the
// changeSet [Y].", "No updates are to be performed.", "Stack:ARN is in UPDATE_IN_PROGRESS state
// and can not be updated.", "Stack [X] cannot be deleted while in status UPDATE_IN_PROGRESS",
// "ChangeSet [ARN] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]".
ErrorKind error_kind(const std::string& code, const std::string& message) {
    static constexpr std::array not_found_codes = {"ChangeSetNotFound", "ChangeSetNotFoundException", "StackNotFoundException",
                                                   "InvalidInstanceID.NotFound", "InvalidSnapshot.NotFound",
                                                   "InvalidVolume.NotFound", "DBClusterSnapshotNotFoundFault",
                                                   "DBClusterNotFoundFault", "ResourceNotFoundException", "NoSuchKey"};
    static constexpr std::array exists_codes = {"AlreadyExistsException", "DBClusterSnapshotAlreadyExistsFault"};
    if (one_of(not_found_codes, code)) return ErrorKind::not_found;
    if (one_of(exists_codes, code)) return ErrorKind::already_exists;
    static const std::regex missing("^Stack (with id \\S+|\\[[^\\]]+\\]) does not exist");
    static const std::regex busy("(is in |while in status |current status of \\[)\\w+_IN_PROGRESS");
    if (code == "ValidationError" && std::regex_search(message, missing)) return ErrorKind::not_found;
    if (code == "ValidationError" && message.find("already exists") != std::string::npos) return ErrorKind::already_exists;
    if (code == "ValidationError" && message.find("No updates are to be performed") != std::string::npos)
        return ErrorKind::no_changes;
    if ((code == "ValidationError" || code == "InvalidChangeSetStatus") && std::regex_search(message, busy))
        return ErrorKind::in_progress;
    return ErrorKind::other;
}

CloudError aws_error(const CliCall& call, const std::string& code, const std::string& op, const std::string& message) {
    if (one_of(credential_codes, code))
        return {code, "the AWS credentials of " + who(call) + " were refused calling " + op + " (" + message + "); " +
                          login_advice(call)};
    if (one_of(access_codes, code))
        return {code, "access denied calling " + op + " (" + call.service + ":" + op + ") with " + who(call) + ": " + message +
                          "; the IAM policy in README.md ('Using it on a real AWS account', docs/iam-policy.json) lists "
                          "every permission stackshift needs"};
    static const std::regex missing_stack("Stack with id (\\S+) does not exist");
    std::smatch m;
    if (code == "ValidationError" && std::regex_search(message, m, missing_stack))
        return {code, "stack '" + m[1].str() + "' does not exist (" + op + ": " + message + ")"};
    if (code == "LimitExceededException")
        return {code, op + ": " + message +
                          "; CloudFormation's limit was reached: delete old change sets of the stack (aws cloudformation "
                          "list-change-sets --stack-name STACK, then delete-change-set) and run again"};
    return {code, message};
}

}  // namespace

std::string operation_name(std::string_view command) {
    std::string out;
    for (std::size_t start = 0; start <= command.size();) {
        std::size_t end = std::min(command.find('-', start), command.size());
        std::string_view word = command.substr(start, end - start);
        if (word == "db") out += "DB";
        else if (!word.empty()) {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(word.front())));
            out += word.substr(1);
        }
        start = end + 1;
    }
    return out;
}

CloudError cli_error(const CliCall& call, int exit_code, std::string_view stderr_text) {
    std::string text(stderr_text);
    static const std::regex aws_said(
        "An error occurred \\(([^)]+)\\) when calling the (\\w+) operation(?: \\(reached max retries: \\d+\\))?: ([^\\n]*)");
    std::smatch m;
    if (std::regex_search(text, m, aws_said)) {
        std::string code = m[1].str();
        std::string message = trim(m[3].str());
        CloudError said = aws_error(call, code, m[2].str(), message);
        return {said.code(), said.message(), error_kind(code, message)};
    }

    std::string said = summary(text, 3);
    switch (exit_code) {
    case 253:
        return {"NoCredentials", "no AWS credentials for " + who(call) + " calling " + call.operation + " (" + said + "); " +
                                     login_advice(call)};
    case 252:
        return {"CliUsage", "the AWS CLI at " + call.cli + " refused the arguments of " + call.operation +
                                " (exit code 252: " + said + "); check that it is a recent AWS CLI v2 (aws --version)"};
    default: break;
    }
    if (text.find("could not be found") != std::string::npos && text.find("profile") != std::string::npos)
        return {"ProfileNotFound", said + "; name a profile of your AWS config with --profile (aws configure list-profiles)"};
    if (text.find("Could not connect to the endpoint URL") != std::string::npos)
        return {"EndpointConnectionError",
                said + "; check --region and --endpoint-url and the network"};
    if (text.find("Token has expired") != std::string::npos || text.find("Error loading SSO Token") != std::string::npos ||
        text.find("Unable to locate credentials") != std::string::npos)
        return {"NoCredentials", "no AWS credentials for " + who(call) + " calling " + call.operation + " (" + said + "); " +
                                     login_advice(call)};
    return {"CliFailed", "the AWS CLI at " + call.cli + " failed calling " + call.operation + " (exit code " +
                             std::to_string(exit_code) + "): " + said};
}

// ---- Shared with the query protocol ----

ErrorKind aws_error_kind(const std::string& code, const std::string& message) { return error_kind(code, message); }

}  // namespace stackshift::cloud::aws
