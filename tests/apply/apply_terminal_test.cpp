// `stackshift apply` on a terminal: the binary runs on a pseudo-terminal, draws its status area
// and asks before each step that needs confirmation; off a terminal it writes plain lines.

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::run_stackshift;
using testing::source_path;

std::vector<std::string> apply_args(const testing::TempDir& dir) {
    return {"apply", "--backend", "sim:" + dir.file("world.json"), "--journal", dir.file("journal.db"), "--releases",
            source_path("examples/releases"), "--to", "3.15.1", "--values", source_path("examples/values-3.15.1.yaml"),
            "--allow-replace", "acme-prod-2-5-db-timescale/Volume"};
}

void init_world(const testing::TempDir& dir) {
    auto r = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--out",
                             dir.file("world.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

struct TerminalRun {
    int exit_code = -1;
    std::string screen;  // every byte the program wrote to the terminal
    int questions = 0;
};

// Runs the binary on a pseudo-terminal of 100x40 and answers each "[y/N] " question with
// `answer`. Gives up (and kills the program) after a minute without output.
TerminalRun run_on_terminal(const std::vector<std::string>& args, const std::string& answer) {
    TerminalRun run;
    winsize size{};
    size.ws_col = 100;
    size.ws_row = 40;
    int master = -1;
    pid_t pid = forkpty(&master, nullptr, nullptr, &size);
    if (pid < 0) {
        ADD_FAILURE() << "forkpty failed";
        return run;
    }
    if (pid == 0) {
        setenv("TERM", "xterm", 1);
        unsetenv("NO_COLOR");
        testing::exec_stackshift(args);
    }
    std::size_t answered_up_to = 0;
    for (;;) {
        pollfd fd{master, POLLIN, 0};
        int ready = poll(&fd, 1, 60'000);
        if (ready == 0) {
            ADD_FAILURE() << "no output for a minute; the screen so far:\n" << run.screen;
            kill(pid, SIGKILL);
            break;
        }
        char buffer[4096];
        ssize_t n = read(master, buffer, sizeof buffer);
        if (n <= 0) break;  // EIO: the program closed the terminal
        run.screen.append(buffer, static_cast<std::size_t>(n));
        std::size_t question = run.screen.find("[y/N] ", answered_up_to);
        if (question != std::string::npos) {
            ++run.questions;
            answered_up_to = question + 6;
            std::string line = answer + "\n";
            EXPECT_EQ(write(master, line.data(), line.size()), static_cast<ssize_t>(line.size()));
        }
    }
    close(master);
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return run;
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

TEST(ApplyTerminal, AsksBeforeEachStepThatNeedsItAndDrawsTheStatusArea) {
    testing::TempDir dir;
    init_world(dir);
    TerminalRun run = run_on_terminal(apply_args(dir), "y");
    ASSERT_EQ(run.exit_code, 0) << run.screen;
    EXPECT_GE(run.questions, 1) << run.screen;
    EXPECT_EQ(run.questions, count(run.screen, "? [y/N] ")) << "one answer per question";
    EXPECT_NE(run.screen.find("world.json is at 3.15.1"), std::string::npos) << run.screen;
    // The status area: erased and drawn again in place, rows cleared to their end, its header.
    EXPECT_GT(count(run.screen, "\x1b[J"), 10) << run.screen;
    EXPECT_NE(run.screen.find("\x1b[K"), std::string::npos);
    EXPECT_NE(run.screen.find("3.14.2 -> 3.15.1  ["), std::string::npos) << run.screen;
    EXPECT_NE(run.screen.find("all steps finished"), std::string::npos) << "the last frame stays";
    EXPECT_NE(run.screen.find("\x1b[32mok\x1b[0m acme-prod-"), std::string::npos) << "marks are colored on a terminal";

    auto shown = run_stackshift({"sim", "status", dir.file("world.json"), "--output", "json"});
    json world = json::parse(shown.out);
    for (const auto& [name, stack] : world["stacks"].items())
        EXPECT_TRUE(stack["status"].get<std::string>().ends_with("_COMPLETE")) << name;
}

TEST(ApplyTerminal, ANoStopsTheRunAtThatStepWithTheResumeCommand) {
    testing::TempDir dir;
    init_world(dir);
    TerminalRun run = run_on_terminal(apply_args(dir), "n");
    EXPECT_EQ(run.exit_code, 1) << run.screen;
    EXPECT_EQ(run.questions, 1) << run.screen;
    EXPECT_NE(run.screen.find("declined at step"), std::string::npos) << run.screen;
    EXPECT_NE(run.screen.find("--resume"), std::string::npos) << run.screen;
    EXPECT_NE(run.screen.find("stopped at "), std::string::npos) << "the status area tells where the run stopped";
}

TEST(ApplyTerminal, OffATerminalTheLinesArePlain) {
    testing::TempDir dir;
    init_world(dir);
    std::vector<std::string> args = apply_args(dir);
    args.push_back("--yes");
    auto r = run_stackshift(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\r'), std::string::npos);
    EXPECT_NE(r.out.find("[+00:00:0"), std::string::npos) << "each line is stamped with the elapsed time";
}

}  // namespace
}  // namespace stackshift
