#pragma once
// Progress: what `stackshift apply` shows while it runs. One line when a step starts and one
// when it ends, with the elapsed time on the backend's clock (virtual time in the simulator),
// the stack events as they arrive, and notes. Those lines scroll the same on a terminal, a log
// or a pipe. On a terminal (live mode) a status area stays under them and is redrawn as the run
// moves: the overall progress and elapsed time, the running step, and a row per stack (see
// board.hpp). It never receives a parameter value, so it cannot print a NoEcho one.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "apply/board.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::plan {
struct Plan;
struct Step;
}

namespace stackshift::apply {

// Seconds on the backend's clock.
using ProgressClock = std::function<std::int64_t()>;

struct TerminalSize {
    int columns = 80;
    int rows = 24;
};

struct ProgressOptions {
    bool live = false;   // redraw a status area (the output is a terminal)
    bool color = false;  // color its state marks
    // The terminal's size, asked before each redraw (it may change); none means 80x24.
    std::function<TerminalSize()> size;
    // Redraw every quarter second even when nothing happens, so that the elapsed time moves
    // while a real stack update takes minutes. Only for a clock that may be read from another
    // thread (the wall clock); the simulator's virtual time jumps on its own.
    bool tick = false;
    // Seconds the run took in earlier attempts (a resumed run: the journal's elapsed_s): the
    // stamps, the status area and elapsed_s() continue from them instead of from zero.
    std::int64_t elapsed_before = 0;
};

class Progress {
public:
    Progress(std::ostream& out, ProgressClock clock, ProgressOptions options = {});
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // "[+00:01:05]": the time since the progress began.
    std::string stamp() const;
    std::int64_t elapsed_s() const;

    void begin(const plan::Plan& plan);
    void step_started(int position, int total, const plan::Step& step);
    void step_ended(const plan::Step& step, std::string_view outcome, std::string_view detail = {});
    void step_failed(const plan::Step& step, bool stopped, std::string_view message);
    void step_done_earlier(int position, int total, const plan::Step& step, std::string_view status);
    void event(const cloud::StackEvent& event);
    void note(std::string_view line);  // indented under the current step
    // What the cloud says of the running step while it is waited for; only the status area
    // shows it (the plain lines already carry the events).
    void status(std::string_view text);

    // A question on the terminal: the status area is cleared first and drawn again after.
    bool ask(std::string_view question, const std::function<bool(std::string_view)>& read_answer);
    // Draws the status area one last time and leaves it in place.
    void finish();
    // After an interruption or an error: erases the status area (what it showed is in the
    // lines above it), writes the lines not yet written and shows the cursor.
    void restore();

private:
    void line(std::string text);           // holds m_mutex
    void redraw(bool force);               // holds m_mutex
    std::string erase() const;             // holds m_mutex
    std::int64_t now() const { return m_clock ? m_clock() : 0; }
    void ticker();

    std::ostream& m_out;
    ProgressClock m_clock;
    ProgressOptions m_options;
    std::int64_t m_start = 0;
    std::int64_t m_step_start = 0;

    // Live mode.
    mutable std::mutex m_mutex;
    Board m_board;
    std::string m_pending;  // lines not yet written above the status area
    int m_drawn = 0;        // rows of the status area on the screen
    std::chrono::steady_clock::time_point m_last_draw{};
    std::int64_t m_last_drawn_s = -1;
    bool m_finished = false;
    std::condition_variable m_wake;
    std::thread m_ticker;
};

}  // namespace stackshift::apply
