// The AWS backend's typed results: each AWS answer the executor decides on becomes a CloudError
// of its ErrorKind (cli_error's translation of codes and messages) or ChangeSet::no_changes,
// through the fake runner.

#include <gtest/gtest.h>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "cloud/aws/cli_error.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;
using Args = std::vector<std::string>;

// The CLI answering every call with `answer`.
struct Answering {
    std::shared_ptr<FakeRunner> runner;
    std::shared_ptr<AwsCli> cli;
    std::unique_ptr<AwsCloud> cloud;

    explicit Answering(ProcessResult answer) : runner(std::make_shared<FakeRunner>([answer](const Args&) { return answer; })) {
        AwsOptions o;
        o.cli = "/bin/true";
        o.throttle_base_ms = 1;
        cli = std::make_shared<AwsCli>(o, runner, [](std::int64_t) {});
        cloud = std::make_unique<AwsCloud>(cli);
    }
};

ProcessResult refused(const std::string& code, const std::string& op, const std::string& message) {
    return {254, "", "\nAn error occurred (" + code + ") when calling the " + op + " operation: " + message + "\n"};
}

ErrorKind kind_of(const std::string& code, const std::string& op, const std::string& message) {
    ProcessResult r = refused(code, op, message);
    return cli_error({"/usr/bin/aws", op, "cloudformation", ""}, r.exit_code, r.err).kind();
}

template <typename F>
ErrorKind kind_thrown(F&& call) {
    try {
        call();
    } catch (const CloudError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "not refused";
    return ErrorKind::other;
}

TEST(AwsErrorKinds, MissingStacksChangeSetsAndResourcesAreNotFound) {
    EXPECT_EQ(kind_of("ValidationError", "DescribeStacks", "Stack with id acme does not exist"), ErrorKind::not_found);
    EXPECT_EQ(kind_of("ValidationError", "DescribeStackEvents", "Stack [acme] does not exist"), ErrorKind::not_found);
    EXPECT_EQ(kind_of("ChangeSetNotFound", "DescribeChangeSet", "ChangeSet [cs] does not exist"), ErrorKind::not_found);
    EXPECT_EQ(kind_of("InvalidInstanceID.NotFound", "DescribeInstances", "The instance ID 'i-1' does not exist"),
              ErrorKind::not_found);
    EXPECT_EQ(kind_of("DBClusterSnapshotNotFoundFault", "DescribeDBClusterSnapshots", "DBClusterSnapshot s not found."),
              ErrorKind::not_found);
    Answering aws(refused("ValidationError", "DescribeStacks", "Stack with id acme does not exist"));
    EXPECT_EQ(kind_thrown([&] { aws.cloud->describe_stack("acme"); }), ErrorKind::not_found);
    Answering none({0, R"({"Stacks": []})", ""});
    EXPECT_EQ(kind_thrown([&] { none.cloud->describe_stack("acme"); }), ErrorKind::not_found);
}

TEST(AwsErrorKinds, ANameInUseAlreadyExists) {
    EXPECT_EQ(kind_of("AlreadyExistsException", "CreateChangeSet", "ChangeSet [cs] already exists"), ErrorKind::already_exists);
    EXPECT_EQ(kind_of("ValidationError", "CreateChangeSet",
                      "Stack [acme] already exists and cannot be created again with the changeSet [cs]."),
              ErrorKind::already_exists);
    EXPECT_EQ(kind_of("DBClusterSnapshotAlreadyExistsFault", "CreateDBClusterSnapshot",
                      "Cannot create the cluster snapshot because one with the identifier s already exists."),
              ErrorKind::already_exists);
    Answering aws(refused("AlreadyExistsException", "CreateChangeSet", "ChangeSet [cs] already exists"));
    ChangeSetRequest request{"acme", "cs", ChangeSetType::update, "Resources: {}", false, {}, ""};
    EXPECT_EQ(kind_thrown([&] { aws.cloud->create_change_set(request); }), ErrorKind::already_exists);
}

TEST(AwsErrorKinds, NothingToUpdateIsNoChanges) {
    EXPECT_EQ(kind_of("ValidationError", "UpdateStack", "No updates are to be performed."), ErrorKind::no_changes);
    Answering aws(refused("ValidationError", "UpdateStack", "No updates are to be performed."));
    EXPECT_EQ(kind_thrown([&] { aws.cloud->update_stack({"acme", {ParameterInput::keep("A")}}); }), ErrorKind::no_changes);
}

TEST(AwsErrorKinds, ABusyStackOrChangeSetIsInProgress) {
    EXPECT_EQ(kind_of("ValidationError", "UpdateStack",
                      "Stack:arn:aws:cloudformation:eu-west-1:1:stack/acme/x is in UPDATE_IN_PROGRESS state and can not be updated."),
              ErrorKind::in_progress);
    EXPECT_EQ(kind_of("ValidationError", "DeleteStack", "Stack [acme] cannot be deleted while in status UPDATE_IN_PROGRESS"),
              ErrorKind::in_progress);
    EXPECT_EQ(kind_of("InvalidChangeSetStatus", "ExecuteChangeSet",
                      "ChangeSet [arn] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]"),
              ErrorKind::in_progress);
    // A stack in a failed state is not busy: waiting does not help.
    EXPECT_EQ(kind_of("ValidationError", "UpdateStack", "Stack:arn is in UPDATE_ROLLBACK_FAILED state and can not be updated."),
              ErrorKind::other);
}

TEST(AwsErrorKinds, OtherRefusalsAreOther) {
    EXPECT_EQ(kind_of("ValidationError", "CreateChangeSet", "Parameters: [Nope] do not exist in the template"), ErrorKind::other);
    EXPECT_EQ(kind_of("AccessDenied", "DescribeStacks", "User: x is not authorized"), ErrorKind::other);
}

TEST(AwsErrorKinds, AChangeSetWithoutChangesSaysSo) {
    Answering empty({0, R"({"Status": "FAILED", "StatusReason": "The submitted information didn't contain changes. Submit different information to create a change set.", "ExecutionStatus": "UNAVAILABLE"})", ""});
    EXPECT_TRUE(empty.cloud->describe_change_set("acme", "cs").no_changes);
    Answering failed({0, R"({"Status": "FAILED", "StatusReason": "Parameter 'KeyName' must be one of AllowedValues", "ExecutionStatus": "UNAVAILABLE"})", ""});
    EXPECT_FALSE(failed.cloud->describe_change_set("acme", "cs").no_changes);
    Answering complete({0, R"({"Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE"})", ""});
    EXPECT_FALSE(complete.cloud->describe_change_set("acme", "cs").no_changes);
}

}  // namespace
}  // namespace stackshift::cloud::aws
