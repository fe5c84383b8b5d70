// `stackshift apply` interrupted (issue 17, point 7): SIGINT or SIGTERM stop the run at a safe
// point, record it interrupted, print the resume command and exit 128 + the signal; a resume
// finishes it without repeating a side effect and continues its clock; an exception out of the
// executor leaves the run failed, never running; --resume of a finished plan exits 0.
//
// The simulator's virtual time would end a run before a signal could arrive, so the runs that
// are signalled have STACKSHIFT_TEST_PACE_MS: the binary sleeps that long at every safe point.

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "apply/journal.hpp"
#include "core/duration.hpp"
#include "apply/terminal_support.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::read_text;
using testing::run_stackshift;
using testing::source_path;

struct Deployment {
    testing::TempDir dir;
    std::string world = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    std::string releases = source_path("examples/releases");

    Deployment() {
        auto r = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"),
                                 "--out", world});
        EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    std::vector<std::string> args(bool yes = true, bool resume = false) const {
        std::vector<std::string> a = {"apply", "--backend", "sim:" + world, "--journal", journal, "--releases", releases,
                                      "--to", "3.15.1", "--values", source_path("examples/values-3.15.1.yaml"),
                                      "--allow-replace", "acme-prod-2-5-db-timescale/Volume"};
        if (yes) a.emplace_back("--yes");
        if (resume) a.emplace_back("--resume");
        return a;
    }
    int calls(const std::string& operation) const { return json::parse(read_text(world))["apiCalls"].value(operation, 0); }
    apply::RunRecord only_run() const {
        apply::Journal j(journal, apply::JournalAccess::read_existing);
        auto runs = j.runs();
        EXPECT_EQ(runs.size(), 1u);
        return runs.at(0);
    }
};

struct SignalledRun {
    int exit_code = -1;
    std::string out;  // stdout and stderr, as the operator saw them
};

// Runs the binary paced, with stdout and stderr on one pipe; once the output holds `marker`,
// sends `signal` (then, when `then` is given, calls it instead); returns when the program ended.
SignalledRun run_signalled(const std::vector<std::string>& args, const std::string& marker, int signal,
                           const std::function<void()>& then = {}) {
    SignalledRun run;
    int fds[2];
    if (::pipe(fds) != 0) {
        ADD_FAILURE() << "pipe failed";
        return run;
    }
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        setenv("STACKSHIFT_TEST_PACE_MS", "10", 1);
        testing::exec_stackshift(args);
    }
    ::close(fds[1]);
    bool sent = false;
    for (;;) {
        pollfd fd{fds[0], POLLIN, 0};
        if (::poll(&fd, 1, 60'000) == 0) {
            ADD_FAILURE() << "no output for a minute:\n" << run.out;
            ::kill(pid, SIGKILL);
            break;
        }
        char buffer[4096];
        ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0) break;
        run.out.append(buffer, static_cast<std::size_t>(n));
        if (!sent && run.out.find(marker) != std::string::npos) {
            sent = true;
            if (then) then();
            else ::kill(pid, signal);
        }
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    EXPECT_TRUE(sent) << "the run ended before " << marker << ":\n" << run.out;
    return run;
}

// The first line of a stack update waiting on CloudFormation: the run is in a poll loop.
const std::string in_a_poll = "UPDATE_IN_PROGRESS";

TEST(ApplyInterrupt, SigintDuringAPollStopsAsInterruptedAndAResumeFinishesWithNoSideEffectRepeated) {
    Deployment reference;
    auto whole = run_stackshift(reference.args());
    ASSERT_EQ(whole.exit_code, 0) << whole.err;

    Deployment d;
    SignalledRun first = run_signalled(d.args(), in_a_poll, SIGINT);
    EXPECT_EQ(first.exit_code, 130) << first.out;
    EXPECT_NE(first.out.find("interrupted at step h1-"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("--yes --resume\n"), std::string::npos) << "the resume command: " << first.out;
    apply::RunRecord interrupted = d.only_run();
    EXPECT_EQ(interrupted.outcome, apply::RunOutcome::interrupted);
    EXPECT_LE(interrupted.steps_started, 1) << "the step in flight stays started for the resume to re-attach";
    EXPECT_LT(interrupted.steps_done + interrupted.steps_skipped, interrupted.steps_total());
    EXPECT_GT(interrupted.elapsed_s, 0);
    {
        apply::Journal j(d.journal, apply::JournalAccess::read_existing);
        for (const auto& action : j.actions_of_run(interrupted.id))
            EXPECT_NE(action.state, apply::ActionState::failed) << "an interruption fails no action: " << action.kind;
    }
    auto listed = run_stackshift({"journal", "--journal", d.journal});
    EXPECT_NE(listed.out.find("interrupted"), std::string::npos) << listed.out;
    auto listed_json = json::parse(run_stackshift({"journal", "--journal", d.journal, "--output", "json"}).out);
    ASSERT_EQ(listed_json["runs"].size(), 1u) << listed_json.dump();
    EXPECT_EQ(listed_json["runs"][0]["outcome"], "interrupted");
    EXPECT_EQ(listed_json["runs"][0]["elapsed_s"], interrupted.elapsed_s);

    auto resumed = run_stackshift(d.args(true, true));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    for (const char* op : {"ExecuteChangeSet", "UpdateStack", "RunTask", "CreateSnapshot", "TerminateInstances",
                           "CreateDBClusterSnapshot"})
        EXPECT_EQ(d.calls(op), reference.calls(op)) << op << " repeated or lost by the interruption";
    apply::RunRecord finished = d.only_run();
    EXPECT_EQ(finished.outcome, apply::RunOutcome::succeeded);
    EXPECT_EQ(finished.resumes, 1);
    // The clock continues: the summary's elapsed counts the first attempt too.
    EXPECT_GT(finished.elapsed_s, interrupted.elapsed_s);
    EXPECT_NE(resumed.out.find("elapsed " + format_duration(finished.elapsed_s) + " (simulated)"), std::string::npos)
        << resumed.out;
    EXPECT_EQ(resumed.out.find("] (1/"), std::string::npos) << "no step starts over";
}

TEST(ApplyInterrupt, SigtermStopsTheSameWayWithExitCode143) {
    Deployment d;
    SignalledRun first = run_signalled(d.args(), in_a_poll, SIGTERM);
    EXPECT_EQ(first.exit_code, 143) << first.out;
    EXPECT_NE(first.out.find("--resume"), std::string::npos) << first.out;
    EXPECT_EQ(d.only_run().outcome, apply::RunOutcome::interrupted);
    // The resume starts its stamps where the first attempt ended, not at zero.
    auto resumed = run_stackshift(d.args(true, true));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_EQ(resumed.out.find("[+00:00:00]"), std::string::npos) << resumed.out;
}

TEST(ApplyInterrupt, AnExceptionOutOfTheExecutorLeavesTheRunFailedNotRunning) {
    Deployment d;
    // A copy of the releases whose last template is deleted after the plan was made: reading it
    // at its step throws out of the executor.
    d.releases = d.dir.file("releases");
    std::filesystem::copy(source_path("examples/releases"), d.releases, std::filesystem::copy_options::recursive);
    std::string doomed = d.releases + "/3.15.1/5-5-ecs-proxy.yaml";
    ASSERT_TRUE(std::filesystem::exists(doomed));
    SignalledRun run = run_signalled(d.args(), "(1/", 0, [&] { std::filesystem::remove(doomed); });
    EXPECT_EQ(run.exit_code, 1) << run.out;
    EXPECT_NE(run.out.find("5-5-ecs-proxy.yaml"), std::string::npos) << run.out;
    apply::RunRecord record = d.only_run();
    EXPECT_EQ(record.outcome, apply::RunOutcome::failed);
    EXPECT_NE(record.message.find("5-5-ecs-proxy.yaml"), std::string::npos) << record.message;
    EXPECT_TRUE(record.ended_ms.has_value());
}

TEST(ApplyInterrupt, ResumeOfAPlanWhoseLastRunSucceededExits0AndSaysSo) {
    Deployment d;
    auto whole = run_stackshift(d.args());
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    int executed = d.calls("ExecuteChangeSet");
    auto again = run_stackshift(d.args(true, true));
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("the run 1 of this plan already finished (succeeded at 20"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("); nothing to resume"), std::string::npos) << again.out;
    EXPECT_EQ(d.calls("ExecuteChangeSet"), executed) << "nothing was done again";
    EXPECT_EQ(d.only_run().resumes, 0) << "the finished run is not reopened";
}

TEST(ApplyInterrupt, ResumeWithNoRunAtAllStillFails) {
    Deployment d;
    auto r = run_stackshift(d.args(true, true));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("run without --resume to start one"), std::string::npos) << r.err;
}

// On a terminal: Ctrl-C while a question waits answers it as an interruption, not a "no".
TEST(ApplyInterrupt, CtrlCAtAQuestionStopsAsInterruptedAndRestoresTheTerminal) {
    Deployment d;
    auto [screen, asked, status] = testing::answer_on_a_terminal(d.args(false), "\x03");  // Ctrl-C: SIGINT
    ASSERT_TRUE(asked) << screen;
    ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal instead of stopping: " << screen;
    EXPECT_EQ(WEXITSTATUS(status), 130) << screen;
    EXPECT_EQ(screen.find("declined at step"), std::string::npos) << "an interruption is not a no: " << screen;
    std::size_t said = screen.find("interrupted at step");
    ASSERT_NE(said, std::string::npos) << screen;
    std::size_t restored = screen.rfind("\x1b[?25h", said);
    ASSERT_NE(restored, std::string::npos) << "the cursor is shown again before the message";
    EXPECT_EQ(screen.find("\x1b[K", restored), std::string::npos) << "no status area drawn after the interruption";
    EXPECT_EQ(d.only_run().outcome, apply::RunOutcome::interrupted);
}

}  // namespace
}  // namespace stackshift
