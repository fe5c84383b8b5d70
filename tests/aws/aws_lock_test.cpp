// The deployment lock of the AWS backend with an in-memory process runner: the SSM calls it
// makes (a create without --overwrite, a read, a delete), how it reads AWS's
// ParameterAlreadyExists and ParameterNotFound answers, and the parameter's name.

#include <gtest/gtest.h>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "core/error.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;
using Args = std::vector<std::string>;

struct Backend {
    std::shared_ptr<FakeRunner> runner;
    std::unique_ptr<AwsCloud> cloud;

    explicit Backend(FakeRunner::Handler handler) : runner(std::make_shared<FakeRunner>(std::move(handler))) {
        AwsOptions o;
        o.cli = "/bin/true";
        o.throttle_base_ms = 1;
        cloud = std::make_unique<AwsCloud>(std::make_shared<AwsCli>(o, runner, [](std::int64_t) {}));
    }
    // The calls made, each as SERVICE COMMAND ARGS without the trailing "--output json".
    std::vector<Args> calls() const {
        std::vector<Args> out;
        for (auto call : runner->calls()) {
            if (call.size() >= 2 && call[call.size() - 2] == "--output") call.resize(call.size() - 2);
            out.push_back(call);
        }
        return out;
    }
};

ProcessResult ok(const std::string& out) { return {0, out, ""}; }
// As the AWS CLI prints an error of SSM: AWS's codes and texts (the put-parameter one as AWS
// answers a PutParameter without Overwrite on an existing name).
ProcessResult already_exists() {
    return {254, "", "\nAn error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter "
                     "already exists. To overwrite this value, set the overwrite option in the request to true.\n"};
}
ProcessResult not_found(const std::string& op) {
    return {254, "", "\nAn error occurred (ParameterNotFound) when calling the " + op + " operation: \n"};
}

LockHolder holder(const std::string& user, const std::string& token) {
    return {"shop-", user, "ci-7", 4242, "/srv/shop.db", "stackshift 0.1.0", 1714564800, token};
}

std::string get_answer(const LockHolder& h) {
    nlohmann::json answer = {{"Parameter", {{"Name", "/stackshift/lock/shop-"}, {"Type", "String"},
                                             {"Value", lock_holder_to_json(h)}, {"Version", 1}}}};
    return answer.dump();
}

TEST(AwsLock, AcquireCreatesTheParameterOnlyIfAbsent) {
    Backend b([](const Args&) { return ok(R"({"Version": 1, "Tier": "Standard"})"); });
    LockHolder me = holder("alice", "t-1");
    EXPECT_TRUE(b.cloud->acquire_lock("shop-", me).acquired);
    std::vector<Args> calls = b.calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0], (Args{"ssm", "put-parameter", "--name", "/stackshift/lock/shop-", "--type", "String", "--value",
                              lock_holder_to_json(me)}));
    for (const auto& word : calls[0]) EXPECT_NE(word, "--overwrite");
}

TEST(AwsLock, ParameterAlreadyExistsIsTheHolderReadBack) {
    LockHolder other = holder("bob", "t-other");
    Backend b([&](const Args& argv) {
        if (argv[2] == "put-parameter") return already_exists();
        return ok(get_answer(other));
    });
    LockAttempt attempt = b.cloud->acquire_lock("shop-", holder("alice", "t-1"));
    EXPECT_FALSE(attempt.acquired);
    EXPECT_EQ(attempt.held_by, other);
    ASSERT_EQ(b.calls().size(), 2u);
    EXPECT_EQ(b.calls()[1], (Args{"ssm", "get-parameter", "--name", "/stackshift/lock/shop-"}));
}

TEST(AwsLock, ALockReleasedBetweenTheCreateAndTheReadIsCreatedAgain) {
    int puts = 0;
    Backend b([&](const Args& argv) {
        if (argv[2] == "put-parameter") return ++puts == 1 ? already_exists() : ok("{}");
        return not_found("GetParameter");
    });
    EXPECT_TRUE(b.cloud->acquire_lock("shop-", holder("alice", "t-1")).acquired);
    EXPECT_EQ(puts, 2);
}

TEST(AwsLock, ReleaseDeletesOnlyALockThatStillCarriesOurToken) {
    LockHolder mine = holder("alice", "t-mine");
    Backend ours([&](const Args& argv) { return argv[2] == "get-parameter" ? ok(get_answer(mine)) : ok(""); });
    EXPECT_EQ(ours.cloud->release_lock("shop-", "t-mine"), LockRelease::released);
    ASSERT_EQ(ours.calls().size(), 2u);
    EXPECT_EQ(ours.calls()[1], (Args{"ssm", "delete-parameter", "--name", "/stackshift/lock/shop-"}));

    Backend theirs([&](const Args& argv) { return argv[2] == "get-parameter" ? ok(get_answer(holder("bob", "t-bob"))) : ok(""); });
    EXPECT_EQ(theirs.cloud->release_lock("shop-", "t-mine"), LockRelease::held_by_other);
    ASSERT_EQ(theirs.calls().size(), 1u) << "someone else's lock is never deleted";

    Backend gone([](const Args&) { return not_found("GetParameter"); });
    EXPECT_EQ(gone.cloud->release_lock("shop-", "t-mine"), LockRelease::absent);
}

TEST(AwsLock, DescribeAndBreakReadParameterNotFoundAsNoLock) {
    Backend b([](const Args& argv) { return not_found(argv[2] == "get-parameter" ? "GetParameter" : "DeleteParameter"); });
    EXPECT_FALSE(b.cloud->describe_lock("shop-"));
    EXPECT_FALSE(b.cloud->break_lock("shop-"));
    Backend present([](const Args&) { return ok(""); });
    EXPECT_TRUE(present.cloud->break_lock("shop-"));
}

TEST(AwsLock, AValueStackshiftDidNotWriteIsStillALockOfAnUnknownHolder) {
    Backend b([](const Args&) { return ok(R"({"Parameter": {"Name": "/stackshift/lock/shop-", "Value": "held by hand"}})"); });
    auto held = b.cloud->describe_lock("shop-");
    ASSERT_TRUE(held);
    EXPECT_EQ(held->name, "shop-");
    EXPECT_TRUE(held->host.empty());
    EXPECT_EQ(held->pid, 0);
}

TEST(AwsLock, OtherErrorsAreNotTakenForAnAnswer) {
    Backend b([](const Args&) {
        return ProcessResult{254, "", "\nAn error occurred (AccessDeniedException) when calling the PutParameter operation: "
                                      "User is not authorized to perform: ssm:PutParameter\n"};
    });
    try {
        b.cloud->acquire_lock("shop-", holder("alice", "t-1"));
        ADD_FAILURE() << "an access denial was taken for an answer";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "AccessDeniedException");
    }
}

TEST(AwsLock, TheParameterNameKeepsToSsmsCharacters) {
    EXPECT_EQ(ssm_lock_parameter("acme-prod-"), "/stackshift/lock/acme-prod-");
    EXPECT_EQ(ssm_lock_parameter("acme prod/x*1.a_b"), "/stackshift/lock/acme_prod_x_1.a_b");
    EXPECT_THROW(ssm_lock_parameter(""), InputError);
}

}  // namespace
}  // namespace stackshift::cloud::aws
