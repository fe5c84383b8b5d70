#pragma once
// What a failed AWS CLI call means: the CLI's exit code (252 usage, 253 credentials, 254 an AWS
// error, 255 anything else) and its stderr ("An error occurred (CODE) when calling the OP
// operation: MESSAGE") become a CloudError with the AWS code and a message that says what to
// do: log in, fix the IAM policy, delete old change sets.

#include <string>
#include <string_view>

#include "cloud/cloud.hpp"

namespace stackshift::cloud::aws {

struct CliCall {
    std::string cli;        // the CLI's path, for messages
    std::string operation;  // "DescribeStacks"
    std::string service;    // "cloudformation"
    std::string profile;    // empty: the default credentials
};

// The error of a call that exited with `exit_code`. Never quotes the call's arguments.
CloudError cli_error(const CliCall& call, int exit_code, std::string_view stderr_text);

// "describe-stacks" -> "DescribeStacks"; RDS's "db" is "DB" ("create-db-cluster-snapshot" ->
// "CreateDBClusterSnapshot"), as the API and IAM name it.
std::string operation_name(std::string_view command);

// ---- Shared with the query protocol (query_protocol.cpp) ----
// The ErrorKind of an AWS refusal from its code and message: the one translation of both
// backends, so that the executor decides alike whichever way the answer came.
ErrorKind aws_error_kind(const std::string& code, const std::string& message);

}  // namespace stackshift::cloud::aws
