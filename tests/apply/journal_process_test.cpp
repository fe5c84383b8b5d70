// The journal across processes: the deployment lock against a second holder and its release
// when the holder dies, and every returned write surviving a SIGKILL.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

#include "apply/journal.hpp"
#include "apply/lock.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace stackshift::apply {
namespace {

using stackshift::testing::TempDir;

// Reads exactly one int64 from a pipe; false at end of file.
bool read_number(int fd, std::int64_t& value) {
    char* p = reinterpret_cast<char*>(&value);
    std::size_t got = 0;
    while (got < sizeof value) {
        ssize_t n = ::read(fd, p + got, sizeof value - got);
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
    }
    return true;
}

void write_number(int fd, std::int64_t value) {
    if (::write(fd, &value, sizeof value) != static_cast<ssize_t>(sizeof value)) _exit(3);
}

// A child that takes the lock, says so through the pipe, and waits to be killed (or exits).
enum class ChildEnd { wait_for_kill, exit_at_once };

pid_t lock_holder_child(const std::string& journal, ChildEnd end, int& ready_fd) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        auto lock = JournalLock::try_acquire(journal);
        write_number(fds[1], lock ? 1 : 0);
        if (end == ChildEnd::exit_at_once) _exit(0);
        for (;;) ::pause();
    }
    ::close(fds[1]);
    ready_fd = fds[0];
    return pid;
}

TEST(JournalLockTest, RefusesASecondHolderAndSaysWhoHoldsIt) {
    TempDir dir;
    std::string journal = dir.file("j.db");
    auto first = JournalLock::try_acquire(journal, [] { return std::int64_t{1714564800000}; });
    ASSERT_TRUE(first);
    EXPECT_FALSE(JournalLock::try_acquire(journal));
    auto holder = JournalLock::holder(journal);
    ASSERT_TRUE(holder);
    EXPECT_EQ(holder->pid, static_cast<long>(::getpid()));
    EXPECT_EQ(holder->since_ms, 1714564800000);
    try {
        JournalLock::acquire(journal);
        ADD_FAILURE() << "a second lock was granted";
    } catch (const Error& e) {
        EXPECT_EQ(static_cast<int>(e.code()), 1);
        EXPECT_EQ(std::string(e.what()),
                  "the journal '" + journal + "' is locked by process " + std::to_string(::getpid()) + " on host '" +
                      holder->host +
                      "' since 2024-05-01T12:00:00Z: another 'stackshift apply' is using this journal; wait "
                      "for it to end, or stop it (kill " +
                      std::to_string(::getpid()) +
                      ") and continue with 'stackshift apply ... --resume' (the lock ends with its process)");
    }
    first.reset();
    EXPECT_FALSE(JournalLock::holder(journal));
    EXPECT_TRUE(JournalLock::try_acquire(journal));
}

TEST(JournalLockTest, IsReleasedWhenTheHolderIsKilled) {
    TempDir dir;
    std::string journal = dir.file("j.db");
    int ready = -1;
    pid_t child = lock_holder_child(journal, ChildEnd::wait_for_kill, ready);
    std::int64_t got = 0;
    ASSERT_TRUE(read_number(ready, got));
    ::close(ready);
    ASSERT_EQ(got, 1);
    EXPECT_FALSE(JournalLock::try_acquire(journal));
    EXPECT_EQ(JournalLock::holder(journal)->pid, static_cast<long>(child));

    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
    EXPECT_TRUE(JournalLock::try_acquire(journal));
}

TEST(JournalLockTest, IsReleasedWhenTheHolderExits) {
    TempDir dir;
    std::string journal = dir.file("j.db");
    int ready = -1;
    pid_t child = lock_holder_child(journal, ChildEnd::exit_at_once, ready);
    std::int64_t got = 0;
    ASSERT_TRUE(read_number(ready, got));
    ::close(ready);
    EXPECT_EQ(got, 1);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(JournalLock::try_acquire(journal));
}

// The crash test's child: writes as fast as it can, reporting each write through the pipe
// after it returned (the action id once intended, its negation once started), until killed.
[[noreturn]] void write_until_killed(const std::string& path, int fd) {
    try {
        Journal journal(path);
        std::int64_t run = journal.begin_run({"prod.json", "f", "3.14.2", "3.15.1"});
        journal.add_steps(run, {{"h1-01-update-stack-a", "update-stack", "a"}});
        journal.start_step(run, "h1-01-update-stack-a");
        write_number(fd, run);
        for (int i = 0;; ++i) {
            std::int64_t action = journal.intend_action(run, "h1-01-update-stack-a", "create-change-set", "cs-" + std::to_string(i));
            write_number(fd, action);
            journal.action_started(action, "arn-" + std::to_string(i));
            write_number(fd, -action);
        }
    } catch (...) {
        _exit(4);
    }
}

TEST(JournalCrashTest, EveryReturnedWriteSurvivesASigkill) {
    TempDir dir;
    std::string path = dir.file("j.db");
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        write_until_killed(path, fds[1]);
    }
    ::close(fds[1]);
    std::int64_t run = 0;
    ASSERT_TRUE(read_number(fds[0], run));
    std::set<std::int64_t> intended;
    std::set<std::int64_t> started;
    std::int64_t value = 0;
    while (intended.size() < 40 && read_number(fds[0], value)) {
        if (value > 0) intended.insert(value);
        else started.insert(-value);
    }
    ::kill(child, SIGKILL);
    // Whatever the child reported before it died was written, too.
    while (read_number(fds[0], value)) {
        if (value > 0) intended.insert(value);
        else started.insert(-value);
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));

    Journal journal(path);
    EXPECT_EQ(journal.journal_mode(), "wal");
    std::map<std::int64_t, ActionRecord> found;
    for (auto& a : journal.actions_of_run(run)) found[a.id] = a;
    for (std::int64_t id : intended) EXPECT_TRUE(found.count(id)) << "intended action " << id << " was lost";
    for (std::int64_t id : started) {
        ASSERT_TRUE(found.count(id));
        EXPECT_EQ(found[id].state, ActionState::started);
        EXPECT_EQ(found[id].aws_id.substr(0, 4), "arn-");
    }
    EXPECT_GE(found.size(), intended.size());
    EXPECT_EQ(journal.run(run)->outcome, RunOutcome::running);
    EXPECT_EQ(journal.steps(run).at(0).status, StepStatus::started);
}

}  // namespace
}  // namespace stackshift::apply
