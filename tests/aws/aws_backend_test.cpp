// The AWS backend with an in-memory process runner: the arguments it builds, how it reads the
// CLI's output, how it maps the CLI's exit codes to CloudError, the v1 refusal, throttling
// backoff, paging of stack events, the parallel bound; and reading a deployment through it.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "cloud/aws/cli_error.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "inputs/deployment_reader.hpp"
#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;
using Args = std::vector<std::string>;

const std::string fake_cli = "/bin/true";  // executable: locate_cli accepts it

AwsOptions options() {
    AwsOptions o;
    o.cli = fake_cli;
    o.throttle_base_ms = 1;
    return o;
}

struct Backend {
    std::shared_ptr<FakeRunner> runner;
    std::vector<std::int64_t> sleeps;
    std::shared_ptr<AwsCli> cli;
    std::unique_ptr<AwsCloud> cloud;

    explicit Backend(FakeRunner::Handler handler, AwsOptions o = options())
        : runner(std::make_shared<FakeRunner>(std::move(handler))) {
        cli = std::make_shared<AwsCli>(o, runner, [this](std::int64_t ms) { sleeps.push_back(ms); });
        cloud = std::make_unique<AwsCloud>(cli);
    }
};

ProcessResult ok(const std::string& out) { return {0, out, ""}; }
ProcessResult aws_error(const std::string& code, const std::string& op, const std::string& message) {
    return {254, "", "\nAn error occurred (" + code + ") when calling the " + op + " operation: " + message + "\n"};
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const CloudError& e) {
        return e.what();
    } catch (const Error& e) {
        return std::string("Error: ") + e.what();
    }
    return "(no error)";
}

TEST(AwsCli, PassesTheGlobalOptionsAndAskesForJson) {
    AwsOptions o = options();
    o.region = "eu-west-1";
    o.profile = "prod";
    o.endpoint_url = "http://127.0.0.1:1";
    Backend b([](const Args&) { return ok(""); }, o);
    b.cloud->delete_stack("acme-1-1-vpc");
    ASSERT_EQ(b.runner->calls().size(), 1u);
    EXPECT_EQ(b.runner->calls()[0], (Args{"cloudformation", "delete-stack", "--stack-name", "acme-1-1-vpc", "--output", "json",
                                          "--region", "eu-west-1", "--profile", "prod", "--endpoint-url", "http://127.0.0.1:1"}));
}

TEST(AwsCli, RunsWithoutPagerInUtcKeepingTheUsersEnvironment) {
    setenv("STACKSHIFT_TEST_USER_VARIABLE", "kept", 1);
    setenv("TZ", "Europe/Amsterdam", 1);
    Backend b([](const Args&) { return ok("{}"); });
    b.cloud->delete_stack("s");
    const auto& env = b.runner->last_env;
    auto has = [&](const std::string& e) { return std::find(env.begin(), env.end(), e) != env.end(); };
    EXPECT_TRUE(has("AWS_PAGER="));
    EXPECT_TRUE(has("TZ=UTC"));
    EXPECT_FALSE(has("TZ=Europe/Amsterdam"));
    EXPECT_TRUE(has("STACKSHIFT_TEST_USER_VARIABLE=kept"));
    unsetenv("TZ");
}

TEST(AwsCli, EmptyOutputReadsAsAnEmptyObject) {
    Backend b([](const Args&) { return ok("\n"); });
    EXPECT_EQ(b.cli->call("cloudformation", "execute-change-set", {}).dump(), "{}");
}

TEST(AwsCli, OutputThatIsNotJsonIsNotQuoted) {
    Backend b([](const Args&) { return ok("Name=secret-value"); });
    EXPECT_EQ(error_of([&] { b.cloud->describe_stacks(); }),
              "CliOutput: the AWS CLI at /bin/true printed 17 bytes that are not JSON for DescribeStacks; is output set to "
              "json (stackshift passes --output json)?");
}

TEST(AwsCliVersion, RefusesVersionOneWhichPrintsOnStderr) {
    auto runner = std::make_shared<FakeRunner>();
    runner->version = {0, "", "aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11\n"};
    EXPECT_EQ(error_of([&] { AwsCli(options(), runner); }),
              "Error: the AWS CLI at /bin/true is version 1 (aws-cli/1.45.11); stackshift needs the AWS CLI v2: install the "
              "AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and put it first "
              "on PATH, or give its path with --aws-cli PATH or STACKSHIFT_AWS_CLI");
}

TEST(AwsCliVersion, AcceptsVersionTwoOnStdoutAndRefusesSomethingElse) {
    auto runner = std::make_shared<FakeRunner>();
    EXPECT_NO_THROW(AwsCli(options(), runner));
    runner->version = {0, "usage: true\n", ""};
    EXPECT_EQ(error_of([&] { AwsCli(options(), runner); }),
              "Error: '/bin/true --version' did not print an AWS CLI version (exit code 0); install the AWS CLI v2 "
              "(https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and put it first on PATH, or "
              "give its path with --aws-cli PATH or STACKSHIFT_AWS_CLI");
}

TEST(AwsCliLocation, OptionThenEnvironmentThenPath) {
    stackshift::testing::TempDir dir;
    std::string on_path = dir.write("bin/aws", "#!/bin/sh\n");
    std::filesystem::permissions(on_path, std::filesystem::perms::owner_all);
    std::string path = "/nonexistent:" + dir.file("bin");
    auto env = [&](const char* stackshift_cli) {
        return [=](const char* name) -> const char* {
            if (std::string(name) == "STACKSHIFT_AWS_CLI") return stackshift_cli;
            if (std::string(name) == "PATH") return path.c_str();
            return nullptr;
        };
    };
    AwsOptions o;
    EXPECT_EQ(locate_cli(o, env(nullptr)), on_path);
    EXPECT_EQ(locate_cli(o, env("/bin/true")), "/bin/true");
    o.cli = "/bin/sh";
    EXPECT_EQ(locate_cli(o, env("/bin/true")), "/bin/sh");
    o.cli.clear();
    path = "/nonexistent";
    EXPECT_EQ(error_of([&] { locate_cli(o, env(nullptr)); }),
              "Error: no AWS CLI found: 'aws' is not on PATH; install the AWS CLI v2 "
              "(https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and put it first on PATH, or "
              "give its path with --aws-cli PATH or STACKSHIFT_AWS_CLI");
}

// ---- exit codes ---------------------------------------------------------------------------

CliCall call_of(const std::string& profile = "") { return {"/usr/bin/aws", "DescribeStacks", "cloudformation", profile}; }

TEST(CliError, UsageErrorNeverEchoesTheArguments) {
    auto e = cli_error(call_of(), 252,
                       "\nError parsing parameter '--parameters': Invalid JSON: Expecting value\nJSON received: "
                       "[{\"ParameterKey\":\"Name\",\"ParameterValue\":\"secret\"}]\n");
    EXPECT_EQ(e.code(), "CliUsage");
    EXPECT_EQ(e.message(), "the AWS CLI at /usr/bin/aws refused the arguments of DescribeStacks (exit code 252: Error "
                           "parsing parameter '--parameters': Invalid JSON: Expecting value); check that it is a recent "
                           "AWS CLI v2 (aws --version)");
}

TEST(CliError, MissingCredentialsSayHowToLogIn) {
    auto e = cli_error(call_of("prod"), 253,
                       "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n");
    EXPECT_EQ(e.code(), "NoCredentials");
    EXPECT_EQ(e.message(), "no AWS credentials for profile 'prod' calling DescribeStacks (Unable to locate credentials. You "
                           "can configure credentials by running \"aws configure\".); log in (aws sso login --profile "
                           "prod, or aws configure --profile prod for access keys) and run again, or choose another "
                           "profile with --profile");
}

TEST(CliError, ExpiredTokenSaysHowToLogIn) {
    auto e = cli_error(call_of(), 254, "An error occurred (ExpiredToken) when calling the DescribeStacks operation: The "
                                       "security token included in the request is expired\n");
    EXPECT_EQ(e.code(), "ExpiredToken");
    EXPECT_EQ(e.message(), "the AWS credentials of the default credentials were refused calling DescribeStacks (The "
                           "security token included in the request is expired); log in (aws sso login, or aws configure "
                           "for access keys) and run again, or choose another profile with --profile");
}

TEST(CliError, AccessDeniedNamesTheOperationAndThePolicy) {
    auto e = cli_error(call_of("prod"), 254,
                       "An error occurred (AccessDenied) when calling the DescribeStacks operation: User: x is not "
                       "authorized\n");
    EXPECT_EQ(e.code(), "AccessDenied");
    EXPECT_EQ(e.message(), "access denied calling DescribeStacks (cloudformation:DescribeStacks) with profile 'prod': User: "
                           "x is not authorized; the IAM policy in README.md ('Using it on a real AWS account', "
                           "docs/iam-policy.json) lists every permission stackshift needs");
}

TEST(CliError, ServiceErrorsKeepTheAwsCode) {
    auto missing = cli_error(call_of(), 254, "An error occurred (ValidationError) when calling the DescribeStacks operation "
                                             "(reached max retries: 2): Stack with id acme does not exist\n");
    EXPECT_EQ(missing.code(), "ValidationError");
    EXPECT_EQ(missing.message(), "stack 'acme' does not exist (DescribeStacks: Stack with id acme does not exist)");
    auto none = cli_error(call_of(), 254, "An error occurred (ValidationError) when calling the UpdateStack operation: No "
                                          "updates are to be performed.\n");
    EXPECT_EQ(none.message(), "No updates are to be performed.");
    auto limit = cli_error(call_of(), 254, "An error occurred (LimitExceededException) when calling the CreateChangeSet "
                                           "operation: ChangeSet limit exceeded\n");
    EXPECT_EQ(limit.message(), "CreateChangeSet: ChangeSet limit exceeded; CloudFormation's limit was reached: delete old "
                               "change sets of the stack (aws cloudformation list-change-sets --stack-name STACK, then "
                               "delete-change-set) and run again");
    auto throttled = cli_error(call_of(), 254, "An error occurred (Throttling) when calling the DescribeStacks operation "
                                               "(reached max retries: 4): Rate exceeded\n");
    EXPECT_TRUE(throttled.is_throttling());
}

TEST(CliError, OtherFailuresSayWhatTheCliSaid) {
    auto e = cli_error(call_of(), 255, "\nCould not connect to the endpoint URL: \"https://cloudformation.xx.amazonaws.com/\"\n");
    EXPECT_EQ(e.code(), "EndpointConnectionError");
    EXPECT_EQ(e.message(), "Could not connect to the endpoint URL: \"https://cloudformation.xx.amazonaws.com/\"; check "
                           "--region and --endpoint-url and the network");
    auto other = cli_error(call_of(), 255, "\nsomething broke\n\n");
    EXPECT_EQ(other.code(), "CliFailed");
    EXPECT_EQ(other.message(), "the AWS CLI at /usr/bin/aws failed calling DescribeStacks (exit code 255): something broke");
}

// ---- CloudFormation -----------------------------------------------------------------------

TEST(AwsCloudFormation, ChangeSetArgumentsAreJsonNeverShorthand) {
    Backend b([](const Args&) { return ok(R"({"Id": "arn:aws:cloudformation:eu-west-1:1:changeSet/cs/1", "StackId": "s"})"); });
    ChangeSetRequest r;
    r.stack = "acme-1-1-vpc";
    r.change_set_name = "cs";
    r.template_body = "Resources: {}\n";
    r.parameters = {ParameterInput::set("Subnets", "subnet-1,subnet-2"), ParameterInput::keep("DBPassword")};
    r.description = "stackshift h1-02";
    EXPECT_EQ(b.cloud->create_change_set(r), "arn:aws:cloudformation:eu-west-1:1:changeSet/cs/1");
    EXPECT_EQ(b.runner->calls()[0],
              (Args{"cloudformation", "create-change-set", "--stack-name", "acme-1-1-vpc", "--change-set-name", "cs",
                    "--change-set-type", "UPDATE", "--template-body", "Resources: {}\n", "--parameters",
                    R"([{"ParameterKey":"Subnets","ParameterValue":"subnet-1,subnet-2"},{"ParameterKey":"DBPassword","UsePreviousValue":true}])",
                    "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND", "--description",
                    "stackshift h1-02", "--output", "json"}));
}

TEST(AwsCloudFormation, LargeTemplateBodiesGoThroughATemporaryFileThatIsRemoved) {
    stackshift::testing::TempDir tmp;
    setenv("TMPDIR", tmp.path().c_str(), 1);
    std::string seen;
    std::string path;
    Backend b([&](const Args& argv) {
        auto at = std::find(argv.begin(), argv.end(), "--template-body");
        path = at[1].substr(7);
        EXPECT_EQ(at[1].substr(0, 7), "file://");
        seen = stackshift::testing::read_text(path);
        return ok(R"({"Id": "id-1"})");
    });
    ChangeSetRequest r;
    r.stack = "s";
    r.change_set_name = "cs";
    r.type = ChangeSetType::create;
    r.template_body = std::string(40000, '#') + "\nResources: {}\n";
    b.cloud->create_change_set(r);
    unsetenv("TMPDIR");
    EXPECT_EQ(seen, r.template_body);
    EXPECT_EQ(path.rfind(tmp.path(), 0), 0u);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_NE(std::find(b.runner->calls()[0].begin(), b.runner->calls()[0].end(), "CREATE"), b.runner->calls()[0].end());
}

TEST(AwsCloudFormation, UpdateStackUsesThePreviousTemplate) {
    Backend b([](const Args&) { return ok(R"({"StackId": "s"})"); });
    b.cloud->update_stack({"acme-2-1-db", {ParameterInput::keep("DBPassword"), ParameterInput::set("Size", "20")}});
    EXPECT_EQ(b.runner->calls()[0],
              (Args{"cloudformation", "update-stack", "--stack-name", "acme-2-1-db", "--use-previous-template", "--parameters",
                    R"([{"ParameterKey":"DBPassword","UsePreviousValue":true},{"ParameterKey":"Size","ParameterValue":"20"}])",
                    "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND", "--output", "json"}));
}

TEST(AwsCloudFormation, TemplateBodiesYamlAsTextJsonAsObjectWrittenBack) {
    EXPECT_EQ(template_body_from_json(Json::parse(R"({"TemplateBody": "Resources:\n  A: {Type: X}\n"})")),
              "Resources:\n  A: {Type: X}\n");
    EXPECT_EQ(template_body_from_json(Json::parse(R"({"TemplateBody": {"Resources": {"B": {"Type": "X"}, "A": {"Type": "Y"}}}})")),
              "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"X\"\n    },\n    \"A\": {\n      \"Type\": \"Y\"\n    }\n  }\n}\n");
}

TEST(AwsCloudFormation, ChangeSetsByArnNeedNoStack) {
    Backend b([](const Args&) { return ok(R"({"Status": "CREATE_COMPLETE"})"); });
    b.cloud->describe_change_set("acme", "arn:aws:cloudformation:eu-west-1:1:changeSet/cs/1");
    b.cloud->execute_change_set("acme", "cs");
    EXPECT_EQ(b.runner->calls()[0], (Args{"cloudformation", "describe-change-set", "--change-set-name",
                                          "arn:aws:cloudformation:eu-west-1:1:changeSet/cs/1", "--output", "json"}));
    EXPECT_EQ(b.runner->calls()[1], (Args{"cloudformation", "execute-change-set", "--change-set-name", "cs", "--stack-name",
                                          "acme", "--output", "json"}));
}

TEST(AwsCloudFormation, StackEventsStopPagingAtTheCursor) {
    int pages = 0;
    Backend b([&](const Args& argv) {
        ++pages;
        bool second = std::find(argv.begin(), argv.end(), "--next-token") != argv.end();
        if (!second)
            return ok(R"({"StackEvents": [{"EventId": "e3", "Timestamp": "2024-05-01T10:00:30+00:00"},
                                         {"EventId": "e2", "Timestamp": "2024-05-01T12:00:20+02:00"}], "NextToken": "t2"})");
        return ok(R"({"StackEvents": [{"EventId": "e1", "Timestamp": "2024-05-01T10:00:10.123000Z"}]})");
    });
    auto recent = b.cloud->describe_stack_events("acme", "e2");
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0].event_id, "e3");
    EXPECT_EQ(pages, 1);
    auto all = b.cloud->describe_stack_events("acme", "");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].event_id + all[1].event_id + all[2].event_id, "e1e2e3");
    EXPECT_EQ(all[0].timestamp_s, 1714557610);
    EXPECT_EQ(all[1].timestamp_s, 1714557620);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(b.runner->calls()[2], (Args{"cloudformation", "describe-stack-events", "--stack-name", "acme", "--no-paginate",
                                          "--next-token", "t2", "--output", "json"}));
}

TEST(AwsCloudFormation, NoEchoValuesAreTheMaskedOnes) {
    Stack s = stack_from_json(Json::parse(R"({"StackName": "a", "StackStatus": "UPDATE_COMPLETE", "Parameters": [
        {"ParameterKey": "DBPassword", "ParameterValue": "****"}, {"ParameterKey": "Size", "ParameterValue": "10"}]})"));
    EXPECT_EQ(s.no_echo, (std::vector<std::string>{"DBPassword"}));
    EXPECT_EQ(s.parameters.at("Size"), "10");
}

TEST(AwsCloudFormation, LastUpdateIsLastUpdatedTimeElseCreationTime) {
    Stack updated = stack_from_json(Json::parse(R"({"StackName": "a", "StackStatus": "UPDATE_COMPLETE",
        "CreationTime": "2026-11-01T08:00:00.000000+00:00", "LastUpdatedTime": "2026-12-07T09:12:44.512000+00:00"})"));
    EXPECT_EQ(updated.last_updated_s, 1796634764);  // 2026-12-07T09:12:44Z
    Stack created = stack_from_json(Json::parse(R"({"StackName": "b", "StackStatus": "CREATE_COMPLETE",
        "CreationTime": "2026-11-01T08:00:00Z"})"));
    EXPECT_EQ(created.last_updated_s, 1793520000);  // 2026-11-01T08:00:00Z
}

// ---- throttling and parallel calls --------------------------------------------------------

// The backoff's promise (aws_options.hpp): retry n (0-based) waits between half and all of
// base * 2^n, and never more than 20 s. A real base, so that a zero wait cannot pass.
AwsOptions throttled_options(int retries) {
    AwsOptions o = options();
    o.throttle_base_ms = 1000;
    o.throttle_retries = retries;
    return o;
}

void expect_backoff_bounds(const std::vector<std::int64_t>& sleeps) {
    for (std::size_t n = 0; n < sleeps.size(); ++n) {
        std::int64_t delay = std::min<std::int64_t>(std::int64_t{1000} << n, 20000);
        EXPECT_GE(sleeps[n], delay / 2) << "retry " << n;
        EXPECT_LE(sleeps[n], delay) << "retry " << n;
    }
}

TEST(AwsThrottling, BacksOffThenSucceeds) {
    int calls = 0;
    Backend b(
        [&](const Args&) {
            if (++calls <= 2) return aws_error("Throttling", "DescribeStacks", "Rate exceeded");
            return ok(R"({"Stacks": [{"StackName": "a", "StackStatus": "CREATE_COMPLETE"}]})");
        },
        throttled_options(4));
    EXPECT_EQ(b.cloud->describe_stack("a").status, "CREATE_COMPLETE");
    EXPECT_EQ(calls, 3);
    ASSERT_EQ(b.sleeps.size(), 2u) << "one wait before each retry, none after the success";
    expect_backoff_bounds(b.sleeps);
    EXPECT_GE(b.sleeps[0], 500);
    EXPECT_LE(b.sleeps[0], 1000);
    EXPECT_GE(b.sleeps[1], 1000);
    EXPECT_LE(b.sleeps[1], 2000);
}

TEST(AwsThrottling, IsBoundedThenThrowsTheThrottlingCode) {
    int calls = 0;
    Backend b(
        [&](const Args&) {
            ++calls;
            return aws_error("ThrottlingException", "DescribeStacks", "Rate exceeded");
        },
        throttled_options(7));
    try {
        b.cloud->describe_stack("a");
        FAIL() << "no error";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ThrottlingException");
        EXPECT_TRUE(e.is_throttling());
    }
    EXPECT_EQ(calls, 1 + 7);
    ASSERT_EQ(b.sleeps.size(), 7u) << "a wait before each retry, none after the last attempt";
    expect_backoff_bounds(b.sleeps);
    // Below the cap each wait's range starts where the previous one's ends: the waits grow.
    for (std::size_t n = 1; n < 5; ++n) EXPECT_GE(b.sleeps[n], b.sleeps[n - 1]) << "retry " << n;
    // Past 16 s the delay is capped at 20 s: the 6th and 7th waits are 10 to 20 s, not 32 and 64.
    EXPECT_GE(b.sleeps[5], 10000);
    EXPECT_LE(b.sleeps[6], 20000);
}

TEST(AwsThrottling, TheDefaultIsFourRetries) {
    int calls = 0;
    AwsOptions o = options();
    Backend b(
        [&](const Args&) {
            ++calls;
            return aws_error("Throttling", "DescribeStacks", "Rate exceeded");
        },
        o);
    EXPECT_THROW(b.cloud->describe_stack("a"), CloudError);
    EXPECT_EQ(AwsOptions{}.throttle_retries, 4);
    EXPECT_EQ(AwsOptions{}.throttle_base_ms, 1000);
    EXPECT_EQ(calls, 5);
    EXPECT_EQ(b.sleeps.size(), 4u);
}

TEST(AwsThrottling, WaitsAreJittered) {
    // Every other call is throttled once: twenty first retries, each drawn from 500..1000 ms.
    int calls = 0;
    Backend b(
        [&](const Args&) {
            if (++calls % 2 == 1) return aws_error("Throttling", "DescribeStacks", "Rate exceeded");
            return ok(R"({"Stacks": [{"StackName": "a", "StackStatus": "CREATE_COMPLETE"}]})");
        },
        throttled_options(4));
    for (int i = 0; i < 20; ++i) b.cloud->describe_stack("a");
    ASSERT_EQ(b.sleeps.size(), 20u);
    std::set<std::int64_t> distinct(b.sleeps.begin(), b.sleeps.end());
    // Twenty equal draws from 501 values would happen once in 10^51 runs: one value means no jitter.
    EXPECT_GT(distinct.size(), 1u);
    for (auto ms : b.sleeps) {
        EXPECT_GE(ms, 500);
        EXPECT_LE(ms, 1000);
    }
}

TEST(AwsParallel, TemplatesAreFetchedAtMostFourAtOnce) {
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    Backend b([&](const Args& argv) {
        int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --running;
        return ok(Json{{"TemplateBody", "body of " + argv[4]}}.dump());
    });
    std::vector<std::string> stacks;
    for (int i = 0; i < 12; ++i) stacks.push_back("s" + std::to_string(i));
    auto bodies = b.cloud->get_templates(stacks);
    ASSERT_EQ(bodies.size(), 12u);
    EXPECT_EQ(bodies[7], "body of s7");
    EXPECT_EQ(most.load(), 4);
}

// ---- ECS ----------------------------------------------------------------------------------

TEST(AwsEcs, RunTaskOverridesTheContainerOnFargate) {
    Backend b([](const Args&) { return ok(R"({"tasks": [{"taskArn": "arn:aws:ecs:r:1:task/c/t1"}], "failures": []})"); });
    RunTaskRequest r{"c", "ops:3", "ttes", {"tti-lw-stack", "is-db", "migrate"}, {"subnet-1", "subnet-2"}, {"sg-1"}, "stackshift-x"};
    EXPECT_EQ(b.cloud->run_task(r), "arn:aws:ecs:r:1:task/c/t1");
    EXPECT_EQ(b.runner->calls()[0],
              (Args{"ecs", "run-task", "--cluster", "c", "--task-definition", "ops:3", "--launch-type", "FARGATE", "--count", "1",
                    "--started-by", "stackshift-x", "--network-configuration",
                    R"({"awsvpcConfiguration":{"subnets":["subnet-1","subnet-2"],"securityGroups":["sg-1"]}})", "--overrides",
                    R"({"containerOverrides":[{"name":"ttes","command":["tti-lw-stack","is-db","migrate"]}]})", "--output", "json"}));
}

// ---- EC2 and Auto Scaling: what an instance and a group were launched with ----------------

TEST(AwsEc2, AnInstanceReportsItsImageSubnetAndLaunchTemplate) {
    Backend b([](const Args&) {
        return ok(R"({"Reservations": [{"Instances": [{"InstanceId": "i-0aaa", "State": {"Name": "running"},
            "InstanceType": "m6i.large", "ImageId": "ami-0abc", "SubnetId": "subnet-0abc",
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeId": "vol-0root"}}],
            "Tags": [{"Key": "aws:ec2launchtemplate:id", "Value": "lt-0abc"},
                     {"Key": "aws:ec2launchtemplate:version", "Value": "3"}]}]}]})");
    });
    auto instances = b.cloud->describe_instances({"i-0aaa"});
    ASSERT_EQ(instances.size(), 1u);
    EXPECT_EQ(instances[0].image_id, "ami-0abc");
    EXPECT_EQ(instances[0].subnet_id, "subnet-0abc");
    EXPECT_EQ(instances[0].launch_template, "lt-0abc");
    EXPECT_EQ(instances[0].launch_template_version, "3");
    EXPECT_EQ(instances[0].volume_ids, (std::vector<std::string>{"vol-0root"}));
}

TEST(AwsAutoScaling, AGroupReportsItsLaunchTemplateAndVersion) {
    Backend b([](const Args&) {
        return ok(R"({"AutoScalingGroups": [{"AutoScalingGroupName": "acme-asg", "MinSize": 1, "MaxSize": 3,
            "DesiredCapacity": 2, "LaunchTemplate": {"LaunchTemplateId": "lt-0abc", "LaunchTemplateName": "acme-ecs",
            "Version": "4"}, "Instances": [{"InstanceId": "i-0aaa"}]}]})");
    });
    auto groups = b.cloud->describe_auto_scaling_groups({"acme-asg"});
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].launch_template, "acme-ecs");
    EXPECT_EQ(groups[0].launch_template_version, "4");
    EXPECT_TRUE(groups[0].launch_configuration.empty());
}

TEST(AwsEcs, DescribeTaskDefinitionReadsTheRevisionAndTheImageOfEachContainer) {
    Backend b([](const Args&) {
        return ok(R"({"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:r:1:task-definition/acme-ops:8", "family": "acme-ops",
            "revision": 8, "status": "INACTIVE", "containerDefinitions": [
            {"name": "ttes", "image": "thethingsindustries/lorawan-stack:3.15.1-aws", "command": ["tti-lw-stack", "version"]},
            {"name": "sidecar", "image": "busybox"}]}})");
    });
    TaskDefinition d = b.cloud->describe_task_definition("arn:aws:ecs:r:1:task-definition/acme-ops:8");
    EXPECT_EQ(b.runner->calls()[0], (Args{"ecs", "describe-task-definition", "--task-definition",
                                          "arn:aws:ecs:r:1:task-definition/acme-ops:8", "--output", "json"}));
    EXPECT_EQ(d.arn, "arn:aws:ecs:r:1:task-definition/acme-ops:8");
    EXPECT_EQ(d.family, "acme-ops");
    EXPECT_EQ(d.revision, 8);
    EXPECT_EQ(d.status, "INACTIVE");
    ASSERT_EQ(d.containers.size(), 2u);
    EXPECT_EQ(d.containers[0].name, "ttes");
    EXPECT_EQ(d.containers[0].image, "thethingsindustries/lorawan-stack:3.15.1-aws");
    EXPECT_EQ(d.containers[1].image, "busybox");
}

TEST(AwsEcs, DescribeTaskDefinitionFailsOnAnUnknownOneAndOnAnAnswerWithoutOne) {
    Backend unknown([](const Args&) {
        return aws_error("ClientException", "DescribeTaskDefinition", "Unable to describe task definition.");
    });
    EXPECT_EQ(error_of([&] { unknown.cloud->describe_task_definition("acme-ops:99"); }).rfind("ClientException: Unable to describe task definition.", 0), 0u);
    Backend empty([](const Args&) { return ok("{}"); });
    EXPECT_EQ(error_of([&] { empty.cloud->describe_task_definition("acme-ops:1"); }),
              "ClientException: DescribeTaskDefinition of acme-ops:1 answered no taskDefinition");
}

// ---- reading a deployment through the AWS backend (through the simulator: inputs_tests) ----

TEST(DeploymentReader, MasksWhatTheTemplateDeclaresNoEcho) {
    // AWS masks NoEcho values; an emulator may not: the template says which they are.
    Backend b([](const Args& argv) {
        if (argv[2] == "describe-stacks")
            return ok(R"({"Stacks": [{"StackName": "t-1-1-config", "StackId": "arn:aws:cloudformation:eu-central-1:1:stack/t-1-1-config/x",
                "StackStatus": "CREATE_COMPLETE", "Parameters": [{"ParameterKey": "Token", "ParameterValue": "s3cret"}]},
                {"StackName": "t-2-1-gone", "StackStatus": "REVIEW_IN_PROGRESS"}, {"StackName": "u-1-1-x", "StackStatus": "CREATE_COMPLETE"}]})");
        return ok(R"({"TemplateBody": "Parameters:\n  Token: {Type: String, NoEcho: true}\nResources:\n  A: {Type: AWS::SQS::Queue}\n"})");
    });
    auto profile = profile::builtin_profile("numbered-stacks");
    cfn::Deployment d = inputs::read_deployment(*b.cloud, {"t-", ""}, *profile);
    ASSERT_EQ(d.stacks.size(), 1u);
    EXPECT_EQ(d.region, "eu-central-1");
    EXPECT_EQ(d.stacks[0].template_id, "1-1-config");
    EXPECT_EQ(d.stacks[0].parameters.at("Token"), "****");
    EXPECT_EQ(d.stacks[0].no_echo, (std::vector<std::string>{"Token"}));
    EXPECT_EQ(inputs::deployment_to_json(d).find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace stackshift::cloud::aws
