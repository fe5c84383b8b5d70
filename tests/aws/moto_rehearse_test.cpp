// stackshift rehearse --backend aws against moto's AWS emulator on 127.0.0.1: the live stacks
// are read, the upgrade is rehearsed in a simulated world made from them, and AWS is left
// exactly as it was: no change set, no update, the templates and statuses unchanged.

#include <gtest/gtest.h>

#include "aws/moto_fixture.hpp"
#include "cloud/aws/aws_cli.hpp"
#include "cloud/aws/process_runner.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::read_text;
using stackshift::testing::run_stackshift;

class MotoRehearse : public MotoFixture {};

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
