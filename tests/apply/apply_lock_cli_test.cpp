// The deployment lock through the real binary on a simulated world (issue 17, point 8): a second
// apply with another journal is refused while the first runs, and runs once it ended; a lock
// left by a process that died on this host is taken over; one of another host is refused until
// `stackshift unlock`; and every way a run ends (done, failed, interrupted, an exception)
// releases the lock.
//
// The runs that must still be running when something else happens have STACKSHIFT_TEST_PACE_MS:
// the binary sleeps that long at every safe point.

#include <gtest/gtest.h>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "apply/apply_cli_support.hpp"
#include "apply/terminal_support.hpp"
#include "apply/deployment_lock.hpp"

namespace stackshift::testing {
namespace {

using nlohmann::json;

// A paced `stackshift apply` in a child process, its stdout and stderr on one pipe.
class PacedRun {
public:
    explicit PacedRun(const std::vector<std::string>& args) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        m_pid = ::fork();
        if (m_pid == 0) {
            ::dup2(fds[1], STDOUT_FILENO);
            ::dup2(fds[1], STDERR_FILENO);
            ::close(fds[0]);
            ::close(fds[1]);
            setenv("STACKSHIFT_TEST_PACE_MS", "10", 1);
            exec_stackshift(args);
        }
        ::close(fds[1]);
        m_fd = fds[0];
    }
    ~PacedRun() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            finish();
        }
    }
    PacedRun(const PacedRun&) = delete;
    PacedRun& operator=(const PacedRun&) = delete;

    // Reads its output until it holds `marker`; false when the run ended first.
    bool reach(const std::string& marker) {
        while (output.find(marker) == std::string::npos) {
            if (!read_some()) return false;
        }
        return true;
    }
    // Reads to the end and returns the exit code (128 + the signal that killed it).
    int finish() {
        while (read_some()) {
        }
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        ::close(m_fd);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    pid_t pid() const { return m_pid; }

    std::string output;

private:
    bool read_some() {
        pollfd fd{m_fd, POLLIN, 0};
        if (::poll(&fd, 1, 60'000) == 0) {
            ADD_FAILURE() << "no output for a minute:\n" << output;
            return false;
        }
        char buffer[4096];
        ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n <= 0) return false;
        output.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    pid_t m_pid = -1;
    int m_fd = -1;
};

json world_of(const std::string& state) { return json::parse(read_text(state)); }

// Writes a lock into the world as a holder would have left it.
void put_lock(const std::string& state, const cloud::LockHolder& holder) {
    json world = world_of(state);
    world["locks"]["world"] = json::parse(cloud::lock_holder_to_json(holder));
    std::ofstream(state) << world.dump(1);
}

long dead_pid() {
    pid_t child = ::fork();
    if (child == 0) _exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return static_cast<long>(child);
}

const cloud::LockHolder remote_holder{"world", "ops", "build-42.example.com", 4242, "/srv/acme.db", "stackshift 0.1.0",
                                      1714564800, "t-remote"};

TEST(ApplyLock, ASecondApplyWithAnotherJournalIsRefusedWhileTheFirstRunsAndRunsOnceItEnded) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    std::string first_journal = dir.file("first.db");
    PacedRun first(apply_args(state, first_journal, {"--yes"}));
    ASSERT_TRUE(first.reach("applying 3.14.2 -> 3.15.1")) << first.output;
    std::string pid = std::to_string(first.pid());

    auto refused = run_stackshift(apply_args(state, dir.file("second.db"), {"--yes"}));
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("stackshift: error: the deployment 'world' is locked by "), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("@" + apply::this_host() + ", process " + pid + ", journal '" + first_journal + "'"),
              std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("(kill " + pid + ")"), std::string::npos) << refused.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("second.db"))) << "nothing was journaled for the refused run";

    ASSERT_EQ(first.finish(), 0) << first.output;
    EXPECT_FALSE(world_of(state).contains("locks")) << "released at the end";
    // Now the second runs: on to the next release.
    auto second = run_stackshift(apply_args(state, dir.file("second.db"), {"--yes"}, "3.19.2", "3.15.1"));
    EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_NE(second.out.find("done: sim:" + state + " is at 3.19.2"), std::string::npos) << second.out;
}

TEST(ApplyLock, TheLockOfAProcessThatDiedOnThisHostIsTakenOverSayingSo) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    cloud::LockHolder dead = apply::this_process_holder("world", "/srv/crashed.db", "stackshift 0.1.0");
    dead.pid = dead_pid();
    put_lock(state, dead);

    auto r = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("took over the lock of process " + std::to_string(dead.pid) +
                         " on this host, which is no longer running (" + dead.user + "@" + dead.host + ", process " +
                         std::to_string(dead.pid) + ", journal '/srv/crashed.db'"),
              std::string::npos)
        << r.out;
    EXPECT_FALSE(world_of(state).contains("locks"));
}

TEST(ApplyLock, ALockOfAnotherHostIsRefusedUntilUnlockRemovesIt) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    put_lock(state, remote_holder);
    std::string before = read_text(state);

    auto refused = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}));
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    EXPECT_EQ(refused.err,
              "stackshift: error: the deployment 'world' is locked by ops@build-42.example.com, process 4242, journal "
              "'/srv/acme.db', stackshift 0.1.0, since 2024-05-01T12:00:00Z: another 'stackshift apply' is changing it; "
              "wait for it to end; if it is no longer running (its host cannot be checked from here), remove its lock with: "
              "stackshift unlock --backend sim:" + state + "\n");
    EXPECT_EQ(read_text(state), before) << "nothing changed";

    auto unlocked = run_stackshift({"unlock", "--backend", "sim:" + state, "--yes"});
    ASSERT_EQ(unlocked.exit_code, 0) << unlocked.out << unlocked.err;
    EXPECT_EQ(unlocked.out, "the deployment 'world' is locked by ops@build-42.example.com, process 4242, journal "
                            "'/srv/acme.db', stackshift 0.1.0, since 2024-05-01T12:00:00Z\nremoved the lock of 'world'\n");
    EXPECT_FALSE(world_of(state).contains("locks"));

    auto applied = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}));
    EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
}

TEST(ApplyLock, UnlockAsksOrNeedsYesAndSaysWhenThereIsNoLock) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);

    auto none = run_stackshift({"unlock", "--backend", "sim:" + state});
    EXPECT_EQ(none.exit_code, 0) << none.err;
    EXPECT_EQ(none.out, "the deployment 'world' is not locked: nothing to remove\n");

    put_lock(state, remote_holder);
    auto no_terminal = run_stackshift({"unlock", "--backend", "sim:" + state});  // stdin is not a terminal here
    EXPECT_EQ(no_terminal.exit_code, 1);
    EXPECT_NE(no_terminal.err.find("there is no terminal to ask on; once you know that process 4242 on "
                                   "'build-42.example.com' is no longer running, run again with --yes"),
              std::string::npos)
        << no_terminal.err;
    EXPECT_TRUE(world_of(state).contains("locks")) << "the lock stays";

    EXPECT_EQ(run_stackshift({"unlock"}).exit_code, 2) << "--backend is required";
    EXPECT_EQ(run_stackshift({"unlock", "--backend", "nowhere"}).exit_code, 2);
    auto aws_without_prefix = run_stackshift({"unlock", "--backend", "aws", "--yes"});
    EXPECT_EQ(aws_without_prefix.exit_code, 2);
    EXPECT_NE(aws_without_prefix.err.find("give --stack-prefix"), std::string::npos) << aws_without_prefix.err;
}

// `stackshift unlock` on a terminal (a pty), answering its question with `answer`: the screen
// and the exit code.
std::pair<std::string, int> unlock_on_a_terminal(const std::string& state, const std::string& answer) {
    TerminalRun run = answer_on_a_terminal({"unlock", "--backend", "sim:" + state}, answer);
    EXPECT_TRUE(run.asked) << run.screen;
    return {run.screen, WIFEXITED(run.status) ? WEXITSTATUS(run.status) : 128 + WTERMSIG(run.status)};
}

TEST(ApplyLock, UnlockOnATerminalAsksAndRemovesOnlyOnYes) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    put_lock(state, remote_holder);

    auto [declined_screen, declined] = unlock_on_a_terminal(state, "n\n");
    EXPECT_EQ(declined, 1) << declined_screen;
    EXPECT_NE(declined_screen.find("is locked by ops@build-42.example.com, process 4242"), std::string::npos) << declined_screen;
    EXPECT_NE(declined_screen.find("not removed: the lock stays"), std::string::npos) << declined_screen;
    EXPECT_TRUE(world_of(state).contains("locks"));

    auto [accepted_screen, accepted] = unlock_on_a_terminal(state, "y\n");
    EXPECT_EQ(accepted, 0) << accepted_screen;
    EXPECT_NE(accepted_screen.find("removed the lock of 'world'"), std::string::npos) << accepted_screen;
    EXPECT_FALSE(world_of(state).contains("locks"));
}

TEST(ApplyLock, UnlockRefusesTheLockOfAProcessRunningOnThisHost) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    PacedRun running(apply_args(state, dir.file("journal.db"), {"--yes"}));
    ASSERT_TRUE(running.reach("applying 3.14.2 -> 3.15.1")) << running.output;

    auto r = run_stackshift({"unlock", "--backend", "sim:" + state, "--yes"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("not removed: process " + std::to_string(running.pid()) + " is still running on this host"),
              std::string::npos)
        << r.out << r.err;
    EXPECT_EQ(running.finish(), 0) << running.output;
}

TEST(ApplyLock, AFailedRunReleasesTheLock) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state, dir.write("faults.yaml", "failing_resources:\n  - stack: acme-prod-5-2-ecs-ops\n    logicalId: TaskDefinition\n"
                                               "    reason: 'image not found'\n    rollback: complete\n"));
    auto r = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}, "3.19.2"));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("failed at step"), std::string::npos) << r.err;
    EXPECT_FALSE(world_of(state).contains("locks"));
}

TEST(ApplyLock, AnInterruptedRunReleasesTheLockAndTheResumeTakesItAgain) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    PacedRun run(apply_args(state, journal, {"--yes"}));
    ASSERT_TRUE(run.reach("UPDATE_IN_PROGRESS")) << run.output;
    ::kill(run.pid(), SIGINT);
    EXPECT_EQ(run.finish(), 130) << run.output;
    EXPECT_FALSE(world_of(state).contains("locks"));

    auto resumed = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}));
    EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_EQ(resumed.out.find("took over"), std::string::npos) << "nothing was left to take over";
    EXPECT_FALSE(world_of(state).contains("locks"));
}

TEST(ApplyLock, AnExceptionOutOfTheRunReleasesTheLock) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    // A copy of the releases whose last template is deleted once the run started: reading it at
    // its step throws out of the executor.
    std::string releases = dir.file("releases");
    std::filesystem::copy(source_path("examples/releases"), releases, std::filesystem::copy_options::recursive);
    std::vector<std::string> args = apply_args(state, dir.file("journal.db"), {"--yes"});
    for (auto& a : args)
        if (a == source_path("examples/releases")) a = releases;
    PacedRun run(args);
    ASSERT_TRUE(run.reach("(1/")) << run.output;
    std::filesystem::remove(releases + "/3.15.1/5-5-ecs-proxy.yaml");
    EXPECT_EQ(run.finish(), 1) << run.output;
    EXPECT_NE(run.output.find("5-5-ecs-proxy.yaml"), std::string::npos) << run.output;
    EXPECT_FALSE(world_of(state).contains("locks"));
}

}  // namespace
}  // namespace stackshift::testing
