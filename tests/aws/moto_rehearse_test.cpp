// stackshift rehearse --backend aws against moto's AWS emulator on 127.0.0.1: the live stacks
// are read, the upgrade is rehearsed in a simulated world made from them, and AWS is left
// exactly as it was: no change set, no update, the templates and statuses unchanged.

#include <gtest/gtest.h>

#include "aws/local_server.hpp"
#include "cloud/aws/aws_cli.hpp"
#include "cloud/aws/process_runner.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::read_text;
using stackshift::testing::run_stackshift;

class MotoRehearse : public ::testing::Test {
protected:
    void SetUp() override {
        std::string moto = stackshift::testing::find_on_path("moto_server");
        if (moto.empty()) GTEST_SKIP() << "moto_server is not on PATH (pip install 'moto[server]'); rehearse --backend aws is not tested";
        cli = stackshift::testing::aws_cli_v2();
        ASSERT_EQ(access(cli.c_str(), X_OK), 0) << "these tests need the AWS CLI v2 at " << cli;
        server = std::make_unique<stackshift::testing::LocalServer>(std::vector<std::string>{moto, "-H", "127.0.0.1", "-p", "0"},
                                                                    "Running on http://127\\.0\\.0\\.1:(\\d+)");
        ASSERT_NE(server->port, 0) << "moto_server did not start: " << server->output();
        env = stackshift::testing::fake_aws_environment(dir);
    }

    Json aws(std::vector<std::string> args) {
        std::vector<std::string> argv = {cli};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--endpoint-url", server->url(), "--output", "json"});
        std::vector<std::string> environment = current_environment();
        environment.insert(environment.end(), env.begin(), env.end());
        ProcessResult r = PosixProcessRunner().run(argv, environment);
        EXPECT_EQ(r.exit_code, 0) << args[1] << ": " << r.err;
        return r.out.empty() ? Json::object() : Json::parse(r.out);
    }

    std::string release(const std::string& version, const std::string& file) {
        return stackshift::testing::data_path("aws/releases/" + version + "/" + file);
    }

    stackshift::testing::TempDir dir;
    std::string cli;
    std::unique_ptr<stackshift::testing::LocalServer> server;
    std::vector<std::string> env;
};

TEST_F(MotoRehearse, RehearsesTheLiveStacksAndChangesNothingInAws) {
    aws({"cloudformation", "create-stack", "--stack-name", "shop-1-1-config", "--template-body",
         "file://" + release("1.0.0", "1-1-config.yaml"), "--parameters",
         R"([{"ParameterKey":"Name","ParameterValue":"shop"},{"ParameterKey":"ApiToken","ParameterValue":"s3cret"}])"});
    aws({"cloudformation", "create-stack", "--stack-name", "shop-2-1-queue", "--template-body",
         "file://" + release("1.0.0", "2-1-queue.yaml"), "--parameters",
         R"([{"ParameterKey":"Name","ParameterValue":"shop"},{"ParameterKey":"VisibilityTimeout","ParameterValue":"45"}])"});

    // moto has no drift detection: each stack's check fails, and the plan holds until acknowledged.
    std::string acknowledged = dir.write("values.yaml", "acknowledge:\n  - drift:shop-1-1-config\n  - drift:shop-2-1-queue\n");
    std::vector<std::string> args = {"rehearse", "--backend", "aws", "--stack-prefix", "shop-", "--releases",
                                     stackshift::testing::data_path("aws/releases"), "--to", "1.1.0", "--product", "numbered-stacks",
                                     "--values", acknowledged, "--output", "json", "--aws-cli", cli, "--endpoint-url", server->url(), "--region", "eu-west-1"};
    auto r = run_stackshift(args, env);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    Json verdict = Json::parse(r.out);
    EXPECT_EQ(verdict["verdict"], "would-succeed");
    EXPECT_EQ(verdict["deployment"], "aws:shop-");
    EXPECT_EQ(verdict["api_calls"]["ExecuteChangeSet"], 2);  // in the simulated world
    EXPECT_EQ(r.out.find("s3cret"), std::string::npos);

    // AWS itself: the 1.0.0 templates, created and never updated, no change set made.
    for (std::string stack : {"1-1-config", "2-1-queue"}) {
        Json t = aws({"cloudformation", "get-template", "--stack-name", "shop-" + stack, "--template-stage", "Original"});
        EXPECT_EQ(t["TemplateBody"].get<std::string>(), read_text(release("1.0.0", stack + ".yaml"))) << stack;
        Json described = aws({"cloudformation", "describe-stacks", "--stack-name", "shop-" + stack});
        EXPECT_EQ(described["Stacks"][0]["StackStatus"], "CREATE_COMPLETE") << stack;
        Json sets = aws({"cloudformation", "list-change-sets", "--stack-name", "shop-" + stack});
        EXPECT_TRUE(sets["Summaries"].empty()) << stack << ": " << sets.dump();
    }
}

}  // namespace
}  // namespace stackshift::cloud::aws
