// The whole flow against moto's AWS emulator on 127.0.0.1: a two-stack deployment created
// with the AWS CLI v2, `stackshift snapshot --backend aws`, `stackshift plan` on the snapshot,
// and `stackshift apply --backend aws --stack-prefix` through the executor, ending with the
// stacks on the target templates and the NoEcho value kept, never written anywhere.

#include <gtest/gtest.h>

#include "aws/moto_fixture.hpp"
#include "cloud/aws/aws_cli.hpp"
#include "cloud/aws/process_runner.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::read_text;
using stackshift::testing::run_stackshift;

constexpr const char* secret = "s3cret-api-token-4711";

class Moto : public MotoFixture {};

TEST_F(Moto, SnapshotPlanAndApplyBringTheStacksToTheTarget) {
    // A deployment at 1.0.0.
    aws({"cloudformation", "create-stack", "--stack-name", "shop-1-1-config", "--template-body",
         "file://" + release("1.0.0", "1-1-config.yaml"), "--parameters",
         std::string(R"([{"ParameterKey":"Name","ParameterValue":"shop"},{"ParameterKey":"ApiToken","ParameterValue":")") +
             secret + R"("}])"});
    aws({"cloudformation", "create-stack", "--stack-name", "shop-2-1-queue", "--template-body",
         "file://" + release("1.0.0", "2-1-queue.yaml"), "--parameters",
         R"([{"ParameterKey":"Name","ParameterValue":"shop"},{"ParameterKey":"VisibilityTimeout","ParameterValue":"45"}])"});
    std::vector<std::string> aws_options = {"--aws-cli", cli, "--endpoint-url", server->url(), "--region", "eu-west-1"};

    // snapshot
    std::string snapshot = dir.file("shop.json");
    std::vector<std::string> args = {"snapshot", "--stack-prefix", "shop-", "--product", "numbered-stacks", "--out", snapshot};
    args.insert(args.end(), aws_options.begin(), aws_options.end());
    auto r = run_stackshift(args, env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string snapshot_text = read_text(snapshot);
    EXPECT_EQ(snapshot_text.find(secret), std::string::npos);
    Json written = Json::parse(snapshot_text);
    ASSERT_EQ(written["stacks"].size(), 2u);
    EXPECT_EQ(written["stacks"][0]["parameters"]["ApiToken"], "****");
    EXPECT_EQ(written["stacks"][0]["noEcho"], Json::array({"ApiToken"}));
    EXPECT_EQ(written["stacks"][1]["template"], "2-1-queue");
    // moto has no drift detection: the snapshot records each stack's check as failed (fail
    // closed), and the plan holds until the operator acknowledges it.
    EXPECT_EQ(written["stacks"][0]["drift"]["check"], "failed") << written["stacks"][0]["drift"];
    std::string acknowledged = dir.write("values.yaml", "acknowledge:\n  - drift:shop-1-1-config\n  - drift:shop-2-1-queue\n");

    // plan, from the snapshot
    std::string releases = stackshift::testing::data_path("aws/releases");
    r = run_stackshift({"plan", "--deployment", snapshot, "--releases", releases, "--to", "1.1.0",
                        "--product", "numbered-stacks", "--values", acknowledged, "--output", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Json plan = Json::parse(r.out);
    std::vector<std::string> kinds;
    for (const auto& step : plan["hops"][0]["steps"]) kinds.push_back(step["kind"]);
    EXPECT_EQ(kinds, (std::vector<std::string>{"preflight", "update-stack", "update-stack"}));

    // apply, reading the live deployment
    std::string journal = dir.file("journal.db");
    args = {"apply", "--backend", "aws", "--stack-prefix", "shop-", "--releases", releases, "--to",
            "1.1.0", "--product", "numbered-stacks", "--values", acknowledged, "--journal", journal, "--yes"};
    args.insert(args.end(), aws_options.begin(), aws_options.end());
    r = run_stackshift(args, env);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("summary: steps 3 done, 0 skipped; stacks 2 updated, 0 unchanged"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("done: aws:shop- is at 1.1.0"), std::string::npos) << r.out;
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos);
    EXPECT_EQ(read_text(journal).find(secret), std::string::npos);
    EXPECT_EQ(read_text(journal + ".deployment.json").find(secret), std::string::npos);

    // The stacks run the target templates; the NoEcho value was kept, never sent.
    for (std::string stack : {"1-1-config", "2-1-queue"}) {
        Json t = aws({"cloudformation", "get-template", "--stack-name", "shop-" + stack, "--template-stage", "Original"});
        EXPECT_EQ(t["TemplateBody"].get<std::string>(), read_text(release("1.1.0", stack + ".yaml"))) << stack;
    }
    Json described = aws({"cloudformation", "describe-stacks", "--stack-name", "shop-1-1-config"});
    EXPECT_EQ(described["Stacks"][0]["StackStatus"], "UPDATE_COMPLETE");
    std::map<std::string, std::string> values;
    for (const auto& p : described["Stacks"][0]["Parameters"]) values[p["ParameterKey"]] = p["ParameterValue"];
    EXPECT_EQ(values["ApiToken"], secret);
    EXPECT_EQ(values["LogLevel"], "info");  // kept: the new default does not replace a deployed value
    Json queue = aws({"cloudformation", "describe-stacks", "--stack-name", "shop-2-1-queue"});
    EXPECT_EQ(queue["Stacks"][0]["StackStatus"], "UPDATE_COMPLETE");

    // A second apply reads the stacks again: their templates prove 1.1.0, nothing is left to do.
    r = run_stackshift(args, env);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.err, "stackshift: error: the deployment is at 1.1.0 already (its templates prove it): nothing to "
                     "upgrade to --to 1.1.0\n");
}

}  // namespace
}  // namespace stackshift::cloud::aws
