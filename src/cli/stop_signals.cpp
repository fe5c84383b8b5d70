#include "cli/stop_signals.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace stackshift::cli {

namespace {

// Written by the handler, read by the run: a lock-free atomic is async-signal-safe.
std::atomic<int> stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal) {
    int none = 0;
    stop_signal.compare_exchange_strong(none, signal);
    // The second Ctrl-C kills at once: sigaction is async-signal-safe.
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(signal, &default_action, nullptr);
}

long pace_ms() {
    static const long pace = [] {
        const char* value = std::getenv("STACKSHIFT_TEST_PACE_MS");
        return value == nullptr ? 0L : std::strtol(value, nullptr, 10);
    }();
    return pace;
}

}  // namespace

StopSignals::StopSignals() {
    stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a read from the terminal (a question being asked) returns EINTR, so the
    // question ends unanswered and the executor sees the request.
    action.sa_flags = 0;
    sigaction(SIGINT, &action, &m_old_int);
    sigaction(SIGTERM, &action, &m_old_term);
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &m_old_int, nullptr);
    sigaction(SIGTERM, &m_old_term, nullptr);
}

int StopSignals::requested() const {
    if (long pace = pace_ms(); pace > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pace));
    return stop_signal.load();
}

std::optional<std::string> read_line_unless_stopped(int fd, const StopSignals& signals) {
    std::string line;
    while (signals.requested() == 0) {
        pollfd ready{fd, POLLIN, 0};
        int n = ::poll(&ready, 1, 100);
        if (n < 0 && errno == EINTR) continue;  // the signal: the loop's test sees it
        if (n <= 0) {
            if (n < 0) return std::nullopt;
            continue;
        }
        char c = 0;
        ssize_t got = ::read(fd, &c, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return std::nullopt;
        if (c == '\n') return line;
        line += c;
    }
    return std::nullopt;
}

int interrupted_exit_code(int signal) { return 128 + signal; }

}  // namespace stackshift::cli
