// The simulator's deployment lock: an entry of the world, saved at once, named to whoever asks
// while it is held; the state file held by one process at a time from its first lock call (a
// second process is told who has it, and reads the world again once it gets it); the lock
// holder's JSON; and the read-only wrapper, which takes no lock.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cloud/read_only_cloud.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim_support.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using cloud::LockHolder;
using cloud::LockRelease;
using cloud::sim::SimCloud;

constexpr const char* queue_template = R"(
Parameters:
  Name:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref Name
)";

cloud::sim::World queue_world() {
    return cloud::sim::world_from_deployment(testing::one_stack_deployment("shop-1-1-queue", "1-1-queue", {{"Name", "a"}}, queue_template), {});
}

LockHolder holder(const std::string& user, long pid, const std::string& token) {
    return {"", user, "ci-7", pid, "/srv/" + user + ".db", "stackshift 0.1.0", 1714564800, token};
}

TEST(SimLock, ASecondHolderIsRefusedAndToldWhoHoldsIt) {
    SimCloud sim(queue_world());
    LockHolder alice = holder("alice", 11, "t-alice");
    EXPECT_TRUE(sim.acquire_lock("shop-", alice).acquired);
    EXPECT_TRUE(sim.acquire_lock("shop-", alice).acquired) << "the same token is the same holder";
    cloud::LockAttempt bob = sim.acquire_lock("shop-", holder("bob", 12, "t-bob"));
    ASSERT_FALSE(bob.acquired);
    EXPECT_EQ(bob.held_by.user, "alice");
    EXPECT_EQ(bob.held_by.name, "shop-");
    EXPECT_TRUE(sim.acquire_lock("other-", holder("bob", 12, "t-bob")).acquired) << "locks are per deployment";

    EXPECT_EQ(sim.release_lock("shop-", "t-bob"), LockRelease::held_by_other);
    EXPECT_EQ(sim.describe_lock("shop-")->user, "alice");
    EXPECT_EQ(sim.release_lock("shop-", "t-alice"), LockRelease::released);
    EXPECT_FALSE(sim.describe_lock("shop-"));
    EXPECT_EQ(sim.release_lock("shop-", "t-alice"), LockRelease::absent);
    EXPECT_TRUE(sim.acquire_lock("shop-", holder("bob", 12, "t-bob")).acquired);
    EXPECT_TRUE(sim.break_lock("shop-"));
    EXPECT_FALSE(sim.break_lock("shop-"));
}

TEST(SimLock, LockCallsAreNoApiCallsAndMoveNoClock) {
    SimCloud sim(queue_world());
    sim.acquire_lock("shop-", holder("alice", 11, "t"));
    sim.describe_lock("shop-");
    sim.release_lock("shop-", "t");
    EXPECT_TRUE(sim.world().api_calls.empty());
    EXPECT_EQ(sim.world().clock_s, queue_world().clock_s);
}

TEST(SimLock, TheLockIsInTheStateFileAtOnceAndOnlyWhileHeld) {
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cloud::sim::save_world(queue_world(), path);
    std::string before = testing::read_text(path);
    {
        SimCloud sim = SimCloud::open(path);
        ASSERT_TRUE(sim.acquire_lock("shop-", holder("alice", 11, "t-alice")).acquired);
        auto saved = nlohmann::json::parse(testing::read_text(path));
        EXPECT_EQ(saved["locks"]["shop-"]["user"], "alice");
        EXPECT_EQ(saved["locks"]["shop-"]["journal"], "/srv/alice.db");
        EXPECT_EQ(saved["locks"]["shop-"]["since"], 1714564800);
        LockHolder read_back = cloud::sim::load_world(path).locks.at("shop-");
        EXPECT_EQ(read_back, (LockHolder{"shop-", "alice", "ci-7", 11, "/srv/alice.db", "stackshift 0.1.0", 1714564800, "t-alice"}));
        EXPECT_EQ(sim.release_lock("shop-", "t-alice"), LockRelease::released);
    }
    EXPECT_EQ(testing::read_text(path), before) << "a world nobody locks is saved as before";
}

TEST(SimLock, TakingTheLockReadsTheWorldAgain) {
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cloud::sim::save_world(queue_world(), path);
    SimCloud late = SimCloud::open(path);  // read before the other process changed the world
    {
        SimCloud other = SimCloud::open(path);
        other.update_stack({"shop-1-1-queue", {cloud::ParameterInput::set("Name", "b")}});
    }
    ASSERT_TRUE(late.acquire_lock("shop-", holder("alice", 11, "t")).acquired);
    EXPECT_EQ(late.world().api_calls.at("UpdateStack"), 1u) << "the update of the other process is not lost";
    EXPECT_EQ(cloud::sim::load_world(path).api_calls.at("UpdateStack"), 1u);
}

// A child process that opens the world, takes the lock and waits to be killed.
pid_t holding_child(const std::string& path) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        SimCloud sim = SimCloud::open(path);
        LockHolder me = holder("child", static_cast<long>(::getpid()), "t-child");
        me.host = "this-machine";
        char taken = sim.acquire_lock("shop-", me).acquired ? 'y' : 'n';
        if (::write(fds[1], &taken, 1) != 1) _exit(3);
        for (;;) ::pause();
    }
    ::close(fds[1]);
    char taken = 0;
    EXPECT_EQ(::read(fds[0], &taken, 1), 1);
    EXPECT_EQ(taken, 'y');
    ::close(fds[0]);
    return pid;
}

TEST(SimLock, AnotherProcessHoldingTheWorldIsNamedAndKeepsItUntilItEnds) {
    testing::TempDir dir;
    std::string path = dir.file("world.json");
    cloud::sim::save_world(queue_world(), path);
    pid_t child = holding_child(path);

    SimCloud sim = SimCloud::open(path);
    cloud::LockAttempt attempt = sim.acquire_lock("shop-", holder("alice", 11, "t-alice"));
    ASSERT_FALSE(attempt.acquired);
    EXPECT_EQ(attempt.held_by.pid, static_cast<long>(child));
    EXPECT_EQ(attempt.held_by.user, "child");
    EXPECT_EQ(sim.describe_lock("shop-")->pid, static_cast<long>(child));
    // Another lock name of the same world: the process that has the file is named all the same.
    cloud::LockAttempt other_name = sim.acquire_lock("world", holder("alice", 11, "t-alice"));
    ASSERT_FALSE(other_name.acquired);
    EXPECT_EQ(other_name.held_by.pid, static_cast<long>(child));
    try {
        sim.break_lock("shop-");
        ADD_FAILURE() << "the lock of a running process was broken";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::failure);
        EXPECT_NE(std::string(e.what()).find("is open in process " + std::to_string(child)), std::string::npos) << e.what();
    }

    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // Its entry stays (it died), but the file is free: the stale lock can be taken over by token.
    attempt = sim.acquire_lock("shop-", holder("alice", 11, "t-alice"));
    ASSERT_FALSE(attempt.acquired);
    EXPECT_EQ(attempt.held_by.token, "t-child");
    EXPECT_EQ(sim.release_lock("shop-", "t-child"), LockRelease::released);
    EXPECT_TRUE(sim.acquire_lock("shop-", holder("alice", 11, "t-alice")).acquired);
}

TEST(LockHolderJson, RoundTripsAndReadsAForeignValueAsUnknown) {
    LockHolder h{"shop-", "alice", "ci-7", 11, "/srv/j.db", "stackshift 0.1.0", 1714564800, "t"};
    EXPECT_EQ(cloud::lock_holder_from_json(cloud::lock_holder_to_json(h)), h);
    EXPECT_EQ(cloud::lock_holder_from_json("held by hand"), LockHolder{});
    EXPECT_EQ(cloud::lock_holder_from_json(R"({"user": 7, "pid": "x"})"), LockHolder{});
}

TEST(ReadOnlyCloudLock, TakesReleasesAndBreaksNoLockButShowsOne) {
    SimCloud sim(queue_world());
    ASSERT_TRUE(sim.acquire_lock("shop-", holder("alice", 11, "t")).acquired);
    cloud::ReadOnlyCloud reader(sim);
    EXPECT_EQ(reader.describe_lock("shop-")->user, "alice");
    EXPECT_THROW(reader.acquire_lock("other-", holder("bob", 12, "u")), Error);
    EXPECT_THROW(reader.release_lock("shop-", "t"), Error);
    EXPECT_THROW(reader.break_lock("shop-"), Error);
    EXPECT_TRUE(sim.describe_lock("shop-"));
    EXPECT_FALSE(sim.describe_lock("other-"));
}

}  // namespace
}  // namespace stackshift
