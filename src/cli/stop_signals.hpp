#pragma once
// SIGINT and SIGTERM during `stackshift apply`: while a StopSignals lives, either signal only
// records that the operator asked to stop (the handler does no I/O: it stores the signal number
// and puts the signal's default action back), and the executor stops at its next safe point
// (apply/executor.hpp, ExecutorOptions::stop_requested). A second signal while it stops kills
// the process at once, as the default action does. The previous handlers come back when the
// StopSignals ends.

#include <csignal>
#include <optional>
#include <string>

namespace stackshift::cli {

class StopSignals {
public:
    StopSignals();   // installs the handlers; clears an earlier request
    ~StopSignals();  // restores the handlers found
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // The signal that asked to stop (SIGINT, SIGTERM), or 0. With
    // STACKSHIFT_TEST_PACE_MS=N in the environment it first sleeps N milliseconds: the
    // simulator's virtual time would end a run before a test could send a signal (the
    // interruption tests' hook, as STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES is the crash test's).
    int requested() const;

private:
    struct sigaction m_old_int {};
    struct sigaction m_old_term {};
};

// A line typed on `fd` (a terminal), without its newline; nothing when the input ends or a stop
// is requested first. It waits in short polls and asks `signals` between them: a signal that
// comes before the read starts would otherwise leave it blocked for good (EINTR only breaks a
// read already waiting).
std::optional<std::string> read_line_unless_stopped(int fd, const StopSignals& signals);

// The exit code of a run a signal stopped: 128 + the signal's number, as a shell reports a
// process the signal killed (130 for SIGINT, 143 for SIGTERM).
int interrupted_exit_code(int signal);

}  // namespace stackshift::cli
