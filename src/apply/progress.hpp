#pragma once
// Progress: what `stackshift apply` shows while it runs. One line when a step starts and one
// when it ends, with the elapsed time on the backend's clock (virtual time in the simulator),
// the stack events as they arrive, and notes. Plain lines, so that a log or a pipe reads the
// same as a terminal. It never receives a parameter value, so it cannot print a NoEcho one.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "cloud/cloud.hpp"

namespace stackshift::plan {
struct Step;
}

namespace stackshift::apply {

// Seconds on the backend's clock.
using ProgressClock = std::function<std::int64_t()>;

class Progress {
public:
    Progress(std::ostream& out, ProgressClock clock);

    // "[+00:01:05]": the time since the progress began.
    std::string stamp() const;
    std::int64_t elapsed_s() const;

    void step_started(int position, int total, const plan::Step& step);
    void step_ended(const plan::Step& step, std::string_view outcome, std::string_view detail = {});
    void event(const cloud::StackEvent& event);
    void note(std::string_view line);  // indented under the current step

private:
    std::ostream& m_out;
    ProgressClock m_clock;
    std::int64_t m_start = 0;
    std::int64_t m_step_start = 0;
};

// "1h02m03s", "4m05s", "7s".
std::string format_duration(std::int64_t seconds);

}  // namespace stackshift::apply
