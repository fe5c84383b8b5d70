#pragma once
// Running stackshift on a terminal (a pty, 100x40, TERM=xterm) and answering its first question
// ("[y/N] ") with given keys: what the screen showed and how the process ended.

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace stackshift::testing {

struct TerminalRun {
    std::string screen;
    bool asked = false;  // the question was seen (and answered)
    int status = 0;      // as waitpid gives it
};

inline TerminalRun answer_on_a_terminal(const std::vector<std::string>& args, const std::string& keys) {
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
        exec_stackshift(args);
    }
    for (;;) {
        pollfd fd{master, POLLIN, 0};
        if (::poll(&fd, 1, 60'000) == 0) {
            ADD_FAILURE() << "no output for a minute:\n" << run.screen;
            ::kill(pid, SIGKILL);
            break;
        }
        char buffer[4096];
        ssize_t n = ::read(master, buffer, sizeof buffer);
        if (n <= 0) break;
        run.screen.append(buffer, static_cast<std::size_t>(n));
        if (!run.asked && run.screen.find("[y/N] ") != std::string::npos) {
            run.asked = true;
            EXPECT_EQ(::write(master, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
        }
    }
    ::close(master);
    ::waitpid(pid, &run.status, 0);
    return run;
}

}  // namespace stackshift::testing
