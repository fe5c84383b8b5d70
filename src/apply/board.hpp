#pragma once
// The board: what the live progress display knows about a run, and the pure function that draws
// its status area. The state is fed by Progress as steps start and end and as the cloud reports;
// rendering takes the state, a time and the terminal's size and returns the lines to show, so a
// test can check every layout without a terminal.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stackshift::plan {
struct Plan;
struct Step;
}

namespace stackshift::apply {

enum class BoardState { pending, running, done, skipped, earlier, failed, stopped };

struct BoardStep {
    std::string id;
    std::string kind;   // "update-stack", ...
    std::string stack;  // empty for steps about no one stack
    int hop = 0;        // 0-based
    BoardState state = BoardState::pending;
    std::string outcome;  // "done", "unchanged", "skipped", a failure's reason
    std::int64_t started_s = 0;
    std::int64_t ended_s = 0;
};

struct BoardHop {
    std::string from;
    std::string to;
};

class Board {
public:
    void begin(const plan::Plan& plan, std::int64_t now_s);
    void step_started(const plan::Step& step, std::int64_t now_s);
    void step_ended(const plan::Step& step, BoardState state, std::string_view outcome, std::int64_t now_s);
    // What the cloud says about the running step: "UPDATE_IN_PROGRESS", "task RUNNING".
    void status(std::string_view text);
    // The last stack event of the running step: "Service AWS::ECS::Service UPDATE_IN_PROGRESS".
    void event(std::string_view text);

    const std::vector<BoardStep>& steps() const { return m_steps; }
    const std::vector<BoardHop>& hops() const { return m_hops; }
    const BoardStep* running() const;
    std::int64_t started_s() const { return m_start; }
    const std::string& status_text() const { return m_status; }
    const std::string& event_text() const { return m_event; }
    bool empty() const { return m_steps.empty(); }

private:
    BoardStep* find(const std::string& id);

    std::vector<BoardStep> m_steps;
    std::vector<BoardHop> m_hops;
    std::int64_t m_start = 0;
    std::string m_status;
    std::string m_event;
};

struct BoardLayout {
    int width = 80;      // columns; every line is cut to width - 1 so that none wraps
    int max_lines = 12;  // the status area never takes more rows than this
    bool color = false;  // SGR colors on the state marks
};

// The status area: a header with the overall progress and elapsed time, the running step, then
// one row per stack (state, steps finished of the stack's steps, time spent, what it is doing or
// how it ended). When the stacks do not fit, the finished ones before the running stack and the
// pending ones after it collapse into one summary line each.
std::vector<std::string> render_board(const Board& board, std::int64_t now_s, const BoardLayout& layout);

// `text` cut to at most `columns` display columns (UTF-8 aware), with "~" marking a cut; a cut
// never splits a character nor parts a combining mark from its letter.
std::string fit_columns(std::string_view text, int columns);
// Display columns of UTF-8 text without escape sequences, as a terminal draws it: East Asian
// wide characters take two columns, combining marks none (as wcwidth says, whatever the locale).
int display_columns(std::string_view text);

}  // namespace stackshift::apply
