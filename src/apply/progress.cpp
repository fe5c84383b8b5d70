#include "apply/progress.hpp"

#include <cstdio>

#include "plan/plan.hpp"

namespace stackshift::apply {

Progress::Progress(std::ostream& out, ProgressClock clock) : m_out(out), m_clock(std::move(clock)) {
    m_start = m_clock ? m_clock() : 0;
    m_step_start = m_start;
}

std::int64_t Progress::elapsed_s() const { return (m_clock ? m_clock() : 0) - m_start; }

std::string Progress::stamp() const {
    std::int64_t s = elapsed_s();
    if (s < 0) s = 0;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "[+%02lld:%02lld:%02lld]", static_cast<long long>(s / 3600),
                  static_cast<long long>((s / 60) % 60), static_cast<long long>(s % 60));
    return buffer;
}

std::string format_duration(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    std::string out;
    if (seconds >= 3600) out += std::to_string(seconds / 3600) + "h";
    if (seconds >= 60) out += std::to_string((seconds / 60) % 60) + "m";
    out += std::to_string(seconds % 60) + "s";
    return out;
}

void Progress::step_started(int position, int total, const plan::Step& step) {
    m_step_start = m_clock ? m_clock() : 0;
    m_out << stamp() << " (" << position << "/" << total << ") " << plan::step_kind_name(step.kind);
    if (!step.stack.empty()) m_out << " " << step.stack;
    m_out << ": " << step.title << '\n' << std::flush;
}

void Progress::step_ended(const plan::Step& step, std::string_view outcome, std::string_view detail) {
    std::int64_t took = (m_clock ? m_clock() : 0) - m_step_start;
    m_out << stamp() << "   " << outcome << ": " << step.id << " (" << format_duration(took) << ")";
    if (!detail.empty()) m_out << ": " << detail;
    m_out << '\n' << std::flush;
}

void Progress::event(const cloud::StackEvent& e) {
    m_out << stamp() << "     " << e.logical_id << " " << e.resource_type << " " << e.status;
    if (!e.status_reason.empty()) m_out << ": " << e.status_reason;
    m_out << '\n' << std::flush;
}

void Progress::note(std::string_view line) { m_out << stamp() << "   " << line << '\n' << std::flush; }

}  // namespace stackshift::apply
