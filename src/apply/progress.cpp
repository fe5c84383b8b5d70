#include "apply/progress.hpp"

#include <cstdio>

#include "core/duration.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

namespace {

// A redraw at most this often while events stream in; a step starting or ending, a question
// and the end always redraw at once.
constexpr auto redraw_interval = std::chrono::milliseconds(50);

}  // namespace

Progress::Progress(std::ostream& out, ProgressClock clock, ProgressOptions options)
    : m_out(out), m_clock(std::move(clock)), m_options(std::move(options)) {
    m_start = now();
    m_step_start = m_start;
    if (m_options.live && m_options.tick) m_ticker = std::thread([this] { ticker(); });
}

Progress::~Progress() {
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
    }
    m_wake.notify_all();
    if (m_ticker.joinable()) m_ticker.join();
}

std::int64_t Progress::elapsed_s() const { return now() - m_start + m_options.elapsed_before; }

std::string Progress::stamp() const {
    std::int64_t s = elapsed_s();
    if (s < 0) s = 0;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "[+%02lld:%02lld:%02lld]", static_cast<long long>(s / 3600),
                  static_cast<long long>((s / 60) % 60), static_cast<long long>(s % 60));
    return buffer;
}

void Progress::begin(const plan::Plan& plan) {
    std::lock_guard lock(m_mutex);
    m_board.begin(plan, m_start - m_options.elapsed_before);
    redraw(true);
}

void Progress::step_started(int position, int total, const plan::Step& step) {
    std::lock_guard lock(m_mutex);
    m_step_start = now();
    std::string text = stamp() + " (" + std::to_string(position) + "/" + std::to_string(total) + ") " +
                       std::string(plan::step_kind_name(step.kind));
    if (!step.stack.empty()) text += " " + step.stack;
    line(text + ": " + step.title);
    m_board.step_started(step, m_step_start);
    redraw(true);
}

void Progress::step_ended(const plan::Step& step, std::string_view outcome, std::string_view detail) {
    std::lock_guard lock(m_mutex);
    std::int64_t t = now();
    std::string text = stamp() + "   " + std::string(outcome) + ": " + step.id + " (" + format_duration(t - m_step_start) + ")";
    if (!detail.empty()) text += ": " + std::string(detail);
    line(text);
    m_board.step_ended(step, outcome == "skipped" ? BoardState::skipped : BoardState::done, outcome, t);
    redraw(true);
}

void Progress::step_failed(const plan::Step& step, bool stopped, std::string_view message) {
    std::lock_guard lock(m_mutex);
    std::int64_t t = now();
    line(stamp() + "   " + (stopped ? "STOPPED" : "FAILED") + ": " + step.id + " (" + format_duration(t - m_step_start) +
         "): " + std::string(message));
    m_board.step_ended(step, stopped ? BoardState::stopped : BoardState::failed, message, t);
    redraw(true);
}

void Progress::step_done_earlier(int position, int total, const plan::Step& step, std::string_view status) {
    std::lock_guard lock(m_mutex);
    line(stamp() + "   (" + std::to_string(position) + "/" + std::to_string(total) + ") " + step.id + ": already " +
         std::string(status) + " in an earlier attempt");
    m_board.step_ended(step, status == "skipped" ? BoardState::skipped : BoardState::earlier, status, now());
    redraw(false);
}

void Progress::event(const cloud::StackEvent& e) {
    std::lock_guard lock(m_mutex);
    std::string text = e.logical_id + " " + e.resource_type + " " + e.status;
    line(stamp() + "     " + text + (e.status_reason.empty() ? std::string() : ": " + e.status_reason));
    m_board.event(text);
    redraw(false);
}

void Progress::note(std::string_view text) {
    std::lock_guard lock(m_mutex);
    line(stamp() + "   " + std::string(text));
    redraw(false);
}

void Progress::status(std::string_view text) {
    if (!m_options.live) return;
    std::lock_guard lock(m_mutex);
    m_board.status(text);
    redraw(false);
}

bool Progress::ask(std::string_view question, const std::function<bool(std::string_view)>& read_answer) {
    std::unique_lock lock(m_mutex);
    if (m_options.live) {
        m_out << erase() << m_pending << std::flush;
        m_pending.clear();
        m_drawn = 0;
    }
    // The ticker must not draw over the question while the operator types: it waits for the
    // lock, which the answer holds.
    bool yes = read_answer(question);
    redraw(true);
    return yes;
}

void Progress::restore() {
    std::lock_guard lock(m_mutex);
    if (m_options.live) {
        m_out << erase() << m_pending << "\x1b[?25h" << std::flush;
        m_pending.clear();
        m_drawn = 0;
    }
    m_finished = true;
    m_wake.notify_all();
}

void Progress::finish() {
    std::lock_guard lock(m_mutex);
    redraw(true);
    m_finished = true;
    m_wake.notify_all();
}

void Progress::line(std::string text) {
    if (!m_options.live) {
        m_out << text << '\n' << std::flush;
        return;
    }
    m_pending += text;
    m_pending += '\n';
}

std::string Progress::erase() const {
    if (m_drawn == 0) return {};
    return "\r\x1b[" + std::to_string(m_drawn) + "A\x1b[J";
}

void Progress::redraw(bool force) {
    if (!m_options.live) return;
    if (m_finished && !force) return;
    auto wall = std::chrono::steady_clock::now();
    std::int64_t t = now();
    if (!force && wall - m_last_draw < redraw_interval) return;  // the next redraw writes what waits
    TerminalSize size = m_options.size ? m_options.size() : TerminalSize{};
    BoardLayout layout;
    layout.width = size.columns > 0 ? size.columns : 80;
    // The status area takes at most half the screen, so that the events stay readable.
    int rows = size.rows > 0 ? size.rows : 24;
    layout.max_lines = std::max(3, std::min(rows / 2, 2 + static_cast<int>(m_board.steps().size())));
    layout.color = m_options.color;

    std::string frame = erase() + m_pending;
    m_pending.clear();
    int drawn = 0;
    if (!m_board.empty()) {
        for (const auto& row : render_board(m_board, t, layout)) {
            frame += row;
            frame += "\x1b[K\n";
            ++drawn;
        }
    }
    m_out << frame << std::flush;
    m_drawn = drawn;
    m_last_draw = wall;
    m_last_drawn_s = t;
}

void Progress::ticker() {
    std::unique_lock lock(m_mutex);
    while (!m_finished) {
        m_wake.wait_for(lock, std::chrono::milliseconds(250));
        if (m_finished) break;
        if (!m_pending.empty() || now() != m_last_drawn_s) redraw(true);
    }
}

}  // namespace stackshift::apply
