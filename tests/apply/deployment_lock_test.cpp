// DeploymentLock over a Cloud (a simulated one in memory): taken and released; released by its
// destructor on an exception; refused with the holder named and what to do; a holder that died
// on this host taken over, saying so; a lock broken during the run told at its end.

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "apply/deployment_lock.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"

namespace stackshift::apply {
namespace {

using cloud::LockHolder;
using cloud::LockRelease;
using cloud::sim::SimCloud;

SimCloud empty_cloud() { return SimCloud(cloud::sim::World{}); }

LockHolder me() { return this_process_holder("shop-", "/srv/shop.db", "stackshift 0.1.0"); }

const std::string unlock = "stackshift unlock --backend aws --stack-prefix shop- --region eu-west-1";

DeploymentLock::Options options(std::vector<std::string>* said = nullptr) {
    DeploymentLock::Options o;
    o.unlock_command = unlock;
    if (said) o.say = [said](const std::string& line) { said->push_back(line); };
    return o;
}

// A pid that existed and is gone: a child that exited and was reaped.
long dead_pid() {
    pid_t child = ::fork();
    if (child == 0) _exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return static_cast<long>(child);
}

std::string refusal(cloud::Cloud& cloud) {
    try {
        DeploymentLock::acquire(cloud, me(), options());
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::failure);
        return e.what();
    }
    return "(taken)";
}

TEST(DeploymentLock, ThisProcessHolderSaysWhoWhereAndSince) {
    LockHolder h = me();
    EXPECT_EQ(h.name, "shop-");
    EXPECT_EQ(h.pid, static_cast<long>(::getpid()));
    EXPECT_EQ(h.host, this_host());
    EXPECT_FALSE(h.user.empty());
    EXPECT_EQ(h.journal, "/srv/shop.db");
    EXPECT_GT(h.since_s, 1700000000);
    EXPECT_EQ(h.token.size(), 32u);
    EXPECT_NE(h.token, me().token) << "every acquire has its own token";
}

TEST(DeploymentLock, IsTakenAndReleasedWithItsToken) {
    SimCloud cloud = empty_cloud();
    DeploymentLock lock = DeploymentLock::acquire(cloud, me(), options());
    ASSERT_TRUE(cloud.describe_lock("shop-"));
    EXPECT_EQ(cloud.describe_lock("shop-")->token, lock.holder().token);
    EXPECT_EQ(lock.release(), LockRelease::released);
    EXPECT_FALSE(cloud.describe_lock("shop-"));
    EXPECT_EQ(lock.release(), LockRelease::released) << "a second release does nothing";
}

TEST(DeploymentLock, TheDestructorReleasesOnAnException) {
    SimCloud cloud = empty_cloud();
    try {
        DeploymentLock lock = DeploymentLock::acquire(cloud, me(), options());
        throw std::runtime_error("a step failed");
    } catch (const std::runtime_error&) {
    }
    EXPECT_FALSE(cloud.describe_lock("shop-"));
}

TEST(DeploymentLock, ALiveHolderOnThisHostIsRefusedWithItsPid) {
    SimCloud cloud = empty_cloud();
    LockHolder running = me();  // this very process: alive
    running.user = "alice";
    running.since_s = 1714564800;
    ASSERT_TRUE(cloud.acquire_lock("shop-", running).acquired);
    std::string pid = std::to_string(::getpid());
    EXPECT_EQ(refusal(cloud), "the deployment 'shop-' is locked by alice@" + this_host() + ", process " + pid +
                                  ", journal '/srv/shop.db', stackshift 0.1.0, since 2024-05-01T12:00:00Z: another "
                                  "'stackshift apply' is changing it; wait for it to end, or stop it (kill " + pid +
                                  ") and run again: the lock of a process that is gone from this host is taken over");
    EXPECT_EQ(cloud.describe_lock("shop-")->token, running.token) << "the holder keeps its lock";
}

TEST(DeploymentLock, AHolderOnAnotherHostIsRefusedAndUnlockIsNamed) {
    SimCloud cloud = empty_cloud();
    LockHolder remote{"shop-", "bob", "build-42.example.com", static_cast<long>(dead_pid()), "/home/bob/j.db",
                      "stackshift 0.1.0", 1714564800, "t-bob"};
    ASSERT_TRUE(cloud.acquire_lock("shop-", remote).acquired);
    EXPECT_EQ(refusal(cloud), "the deployment 'shop-' is locked by bob@build-42.example.com, process " +
                                  std::to_string(remote.pid) +
                                  ", journal '/home/bob/j.db', stackshift 0.1.0, since 2024-05-01T12:00:00Z: another "
                                  "'stackshift apply' is changing it; wait for it to end; if it is no longer running (its "
                                  "host cannot be checked from here), remove its lock with: " + unlock)
        << "a pid of another host proves nothing here, even one that does not exist on this one";
}

TEST(DeploymentLock, AHolderThatDiedOnThisHostIsTakenOverSayingSo) {
    SimCloud cloud = empty_cloud();
    LockHolder dead = me();
    dead.pid = dead_pid();
    dead.since_s = 1714564800;
    ASSERT_TRUE(cloud.acquire_lock("shop-", dead).acquired);
    std::vector<std::string> said;
    DeploymentLock lock = DeploymentLock::acquire(cloud, me(), options(&said));
    EXPECT_EQ(cloud.describe_lock("shop-")->token, lock.holder().token);
    ASSERT_EQ(said.size(), 1u);
    EXPECT_EQ(said[0].rfind("took over the lock of process " + std::to_string(dead.pid) +
                                " on this host, which is no longer running (",
                            0),
              0u)
        << said[0];
}

TEST(DeploymentLock, AnUnknownHolderIsRefusedNotTakenOver) {
    SimCloud cloud = empty_cloud();
    LockHolder unknown;
    unknown.token = "?";
    ASSERT_TRUE(cloud.acquire_lock("shop-", unknown).acquired);
    EXPECT_NE(refusal(cloud).find("locked by an unknown holder"), std::string::npos);
}

TEST(DeploymentLock, ALockBrokenDuringTheRunIsToldAtItsEnd) {
    SimCloud cloud = empty_cloud();
    DeploymentLock lock = DeploymentLock::acquire(cloud, me(), options());
    ASSERT_TRUE(cloud.break_lock("shop-"));
    LockRelease release = lock.release();
    EXPECT_EQ(release, LockRelease::absent);
    auto message = lost_lock_message(release, "shop-");
    ASSERT_TRUE(message);
    EXPECT_NE(message->find("was gone at the end of this run"), std::string::npos);

    DeploymentLock again = DeploymentLock::acquire(cloud, me(), options());
    ASSERT_TRUE(cloud.break_lock("shop-"));
    LockHolder other = me();
    ASSERT_TRUE(cloud.acquire_lock("shop-", other).acquired);
    EXPECT_EQ(again.release(), LockRelease::held_by_other);
    EXPECT_EQ(cloud.describe_lock("shop-")->token, other.token) << "the other holder's lock stays";
    EXPECT_FALSE(lost_lock_message(LockRelease::released, "shop-"));
}

TEST(DeploymentLock, HolderIsGoneOnlyForADeadPidOfThisHost) {
    LockHolder h = me();
    EXPECT_FALSE(holder_is_gone(h));
    EXPECT_TRUE(holder_is_gone(h, [](long) { return false; }));
    h.host = "elsewhere";
    EXPECT_FALSE(holder_is_gone(h, [](long) { return false; }));
    h.host = this_host();
    h.pid = 0;
    EXPECT_FALSE(holder_is_gone(h, [](long) { return false; }));
}

}  // namespace
}  // namespace stackshift::apply
