// docs/iam-policy.json stays in step with the backend: every AWS CLI operation the backend
// runs (m_cli->call("SERVICE", "COMMAND", ...) in src/cloud/aws/) is allowed by the policy,
// and the policy allows nothing the backend does not call (iam:PassRole aside: RunTask needs it
// for the task's roles; s3:GetObject aside: CreateChangeSet with a TemplateURL reads the object
// with the caller's rights).

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "cloud/aws/aws_cli.hpp"
#include "cloud/aws/cli_error.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

std::set<std::string> called_operations() {
    std::set<std::string> out;
    std::regex call("call\\(\"([a-z0-9]+)\", \"([a-z-]+)\"");
    for (const auto& entry : std::filesystem::directory_iterator(stackshift::testing::source_path("src/cloud/aws"))) {
        if (entry.path().extension() != ".cpp") continue;
        std::string text = stackshift::testing::read_text(entry.path().string());
        for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it)
            // The CLI's s3api commands are actions of the IAM service s3.
            out.insert(((*it)[1].str() == "s3api" ? "s3" : (*it)[1].str()) + ":" + operation_name((*it)[2].str()));
    }
    return out;
}

std::set<std::string> allowed_actions() {
    Json policy = Json::parse(stackshift::testing::read_text(stackshift::testing::source_path("docs/iam-policy.json")));
    std::set<std::string> out;
    for (const auto& statement : policy["Statement"]) {
        EXPECT_EQ(statement["Effect"], "Allow");
        const Json& action = statement["Action"];
        if (action.is_string()) out.insert(action.get<std::string>());
        else
            for (const auto& a : action) out.insert(a.get<std::string>());
    }
    return out;
}

TEST(IamPolicy, AllowsEveryOperationTheBackendCallsAndNothingElse) {
    std::set<std::string> called = called_operations();
    std::set<std::string> allowed = allowed_actions();
    EXPECT_EQ(called.size(), 32u);  // a new call must be added to the policy (and to this count)
    for (const auto& op : called) EXPECT_TRUE(allowed.count(op)) << op << " is called but docs/iam-policy.json does not allow it";
    allowed.erase("iam:PassRole");
    allowed.erase("s3:GetObject");  // CloudFormation reads a TemplateURL's object with the caller's rights
    for (const auto& action : allowed) EXPECT_TRUE(called.count(action)) << action << " is allowed but never called";
}

}  // namespace
}  // namespace stackshift::cloud::aws
