// The deployment lock against moto's AWS emulator, through the real AWS CLI v2: the SSM
// parameter created only if absent (a second acquire gets ParameterAlreadyExists and is told the
// holder), released only with its token; and through the binary, an apply refused by the lock
// of another host, `stackshift unlock` removing it, and an apply that then runs and leaves no
// lock behind.

#include <gtest/gtest.h>

#include "aws/moto_fixture.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::run_stackshift;

class MotoLock : public MotoFixture {
protected:
    std::unique_ptr<AwsCloud> open_cloud() {
        AwsOptions o;
        o.cli = cli;
        o.endpoint_url = server->url();
        o.region = "eu-west-1";
        o.env = env;
        return AwsCloud::open(o);
    }
    std::vector<std::string> aws_options() { return {"--aws-cli", cli, "--endpoint-url", server->url(), "--region", "eu-west-1"}; }
};

LockHolder holder(const std::string& user, const std::string& host, const std::string& token) {
    return {"shop-", user, host, 4242, "/srv/" + user + ".db", "stackshift 0.1.0", 1714564800, token};
}

TEST_F(MotoLock, ASecondAcquireIsRefusedWithTheFirstHolderAndOnlyItsTokenReleases) {
    auto first = open_cloud();
    auto second = open_cloud();
    LockHolder alice = holder("alice", "ci-1", "t-alice");
    ASSERT_TRUE(first->acquire_lock("shop-", alice).acquired);
    Json stored = aws({"ssm", "get-parameter", "--name", "/stackshift/lock/shop-"});
    EXPECT_EQ(lock_holder_from_json(stored["Parameter"]["Value"].get<std::string>()), alice);

    LockAttempt attempt = second->acquire_lock("shop-", holder("bob", "ci-2", "t-bob"));
    EXPECT_FALSE(attempt.acquired);
    EXPECT_EQ(attempt.held_by, alice);
    EXPECT_EQ(second->release_lock("shop-", "t-bob"), LockRelease::held_by_other);
    EXPECT_EQ(first->release_lock("shop-", "t-alice"), LockRelease::released);
    EXPECT_FALSE(second->describe_lock("shop-"));
    EXPECT_EQ(first->release_lock("shop-", "t-alice"), LockRelease::absent);
    EXPECT_TRUE(second->acquire_lock("shop-", holder("bob", "ci-2", "t-bob")).acquired);
    EXPECT_TRUE(first->break_lock("shop-"));
    EXPECT_FALSE(first->break_lock("shop-"));
}

TEST_F(MotoLock, ApplyIsRefusedByAnotherHostsLockUntilUnlockRemovesIt) {
    aws({"cloudformation", "create-stack", "--stack-name", "shop-1-1-config", "--template-body",
         "file://" + release("1.0.0", "1-1-config.yaml"), "--parameters",
         R"([{"ParameterKey":"Name","ParameterValue":"shop"},{"ParameterKey":"ApiToken","ParameterValue":"t0ken"}])"});
    aws({"cloudformation", "create-stack", "--stack-name", "shop-2-1-queue", "--template-body",
         "file://" + release("1.0.0", "2-1-queue.yaml"), "--parameters",
         R"([{"ParameterKey":"Name","ParameterValue":"shop"},{"ParameterKey":"VisibilityTimeout","ParameterValue":"45"}])"});
    aws({"ssm", "put-parameter", "--name", "/stackshift/lock/shop-", "--type", "String", "--value",
         lock_holder_to_json(holder("ops", "build-42.example.com", "t-ops"))});

    std::string values = dir.write("values.yaml", "acknowledge:\n  - drift:shop-1-1-config\n  - drift:shop-2-1-queue\n");
    std::vector<std::string> apply = {"apply", "--backend", "aws", "--stack-prefix", "shop-", "--releases",
                                      stackshift::testing::data_path("aws/releases"), "--to", "1.1.0", "--product",
                                      "numbered-stacks", "--values", values, "--journal", dir.file("journal.db"), "--yes"};
    for (const auto& o : aws_options()) apply.push_back(o);
    auto refused = run_stackshift(apply, env);
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("the deployment 'shop-' is locked by ops@build-42.example.com, process 4242, journal "
                               "'/srv/ops.db', stackshift 0.1.0, since 2024-05-01T12:00:00Z"),
              std::string::npos)
        << refused.err;
    std::string unlock_line = "stackshift unlock --backend aws --stack-prefix shop- --region eu-west-1 --endpoint-url " +
                              server->url() + " --aws-cli " + cli;
    EXPECT_NE(refused.err.find("remove its lock with: " + unlock_line + "\n"), std::string::npos) << refused.err;

    std::vector<std::string> unlock = {"unlock", "--backend", "aws", "--stack-prefix", "shop-", "--yes"};
    for (const auto& o : aws_options()) unlock.push_back(o);
    auto unlocked = run_stackshift(unlock, env);
    ASSERT_EQ(unlocked.exit_code, 0) << unlocked.out << unlocked.err;
    EXPECT_NE(unlocked.out.find("removed the lock of 'shop-'"), std::string::npos) << unlocked.out;
    EXPECT_FALSE(open_cloud()->describe_lock("shop-"));

    auto applied = run_stackshift(apply, env);
    EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
    EXPECT_FALSE(open_cloud()->describe_lock("shop-")) << "the run released its lock";
    auto again = run_stackshift(unlock, env);
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_EQ(again.out, "the deployment 'shop-' is not locked: nothing to remove\n");
}

}  // namespace
}  // namespace stackshift::cloud::aws
