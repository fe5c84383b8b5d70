#include "apply/board.hpp"

#include <algorithm>
#include <iterator>
#include <map>

#include "core/duration.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

void Board::begin(const plan::Plan& plan, std::int64_t now_s) {
    m_steps.clear();
    m_hops.clear();
    m_start = now_s;
    for (const auto& hop : plan.hops) {
        m_hops.push_back({hop.from.to_string(), hop.to.to_string()});
        for (const auto& step : hop.steps)
        {
            BoardStep s;
            s.id = step.id;
            s.kind = std::string(plan::step_kind_name(step.kind));
            s.stack = step.stack;
            s.hop = static_cast<int>(m_hops.size()) - 1;
            m_steps.push_back(std::move(s));
        }
    }
}

BoardStep* Board::find(const std::string& id) {
    auto it = std::find_if(m_steps.begin(), m_steps.end(), [&](const BoardStep& s) { return s.id == id; });
    return it == m_steps.end() ? nullptr : &*it;
}

const BoardStep* Board::running() const {
    auto it = std::find_if(m_steps.begin(), m_steps.end(), [](const BoardStep& s) { return s.state == BoardState::running; });
    return it == m_steps.end() ? nullptr : &*it;
}

void Board::step_started(const plan::Step& step, std::int64_t now_s) {
    BoardStep* s = find(step.id);
    if (!s) return;
    s->state = BoardState::running;
    s->started_s = now_s;
    s->ended_s = now_s;
    m_status.clear();
    m_event.clear();
}

void Board::step_ended(const plan::Step& step, BoardState state, std::string_view outcome, std::int64_t now_s) {
    BoardStep* s = find(step.id);
    if (!s) return;
    if (s->state != BoardState::running) s->started_s = now_s;
    s->state = state;
    s->outcome = std::string(outcome);
    s->ended_s = now_s;
    m_status.clear();
    m_event.clear();
}

void Board::status(std::string_view text) { m_status = std::string(text); }
void Board::event(std::string_view text) { m_event = std::string(text); }

namespace {

// One character of UTF-8 text: its code point and its length in bytes. A byte that does not
// start a well-formed sequence is a character of its own (a terminal shows it as one).
struct Utf8Char {
    char32_t code = 0xFFFD;
    std::size_t length = 1;
};

Utf8Char decode(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    if (lead < 0x80) return {lead, 1};
    std::size_t n = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > text.size()) return {};
    char32_t code = lead & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {};
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    return {code, n};
}

struct Range {
    char32_t first;
    char32_t last;
};

bool in(const Range* begin, const Range* end, char32_t code) {
    auto it = std::upper_bound(begin, end, code, [](char32_t c, const Range& r) { return c < r.first; });
    return it != begin && code <= (it - 1)->last;
}

// What a terminal draws in none or in two columns, as wcwidth has it for the characters a run
// shows (stack names, AWS's messages); a table, so that the width does not depend on the locale
// the process runs in. Sorted; a zero-width mark inside a wide range is zero.
constexpr Range zero_width[] = {
    {0x0300, 0x036F}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0x302A, 0x302D}, {0x3099, 0x309A}, {0xD7B0, 0xD7FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};
constexpr Range wide[] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3040, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x3FFFD},
};

int columns_of(char32_t code) {
    if (in(std::begin(zero_width), std::end(zero_width), code)) return 0;
    if (in(std::begin(wide), std::end(wide), code)) return 2;
    return 1;
}

}  // namespace

int display_columns(std::string_view text) {
    int columns = 0;
    for (std::size_t i = 0; i < text.size();) {
        Utf8Char c = decode(text, i);
        columns += columns_of(c.code);
        i += c.length;
    }
    return columns;
}

std::string fit_columns(std::string_view text, int columns) {
    if (columns <= 0) return {};
    if (display_columns(text) <= columns) return std::string(text);
    // Whole characters while they fit before the "~"; a combining mark stays with its letter.
    std::size_t end = 0;
    int used = 0;
    while (end < text.size()) {
        Utf8Char c = decode(text, end);
        int w = columns_of(c.code);
        if (used + w > columns - 1) break;
        used += w;
        end += c.length;
    }
    return std::string(text.substr(0, end)) + "~";
}

namespace {

struct Row {
    std::string name;
    int total = 0;     // the stack's steps in the whole run
    int finished = 0;
    BoardState state = BoardState::pending;
    std::int64_t spent_s = 0;
    std::string text;
    // How its steps ended: in the whole run, and in the hop that runs now.
    std::vector<std::string> words;
    std::vector<std::string> hop_words;
    int hop_total = 0;
};

std::string_view mark(BoardState state) {
    switch (state) {
    case BoardState::pending: return "..";
    case BoardState::running: return ">>";
    case BoardState::done:
    case BoardState::earlier: return "ok";
    case BoardState::skipped: return "--";
    case BoardState::failed: return "!!";
    case BoardState::stopped: return "||";
    }
    return "..";
}

std::string_view color_of(BoardState state) {
    switch (state) {
    case BoardState::running: return "\x1b[1;33m";
    case BoardState::done:
    case BoardState::earlier: return "\x1b[32m";
    case BoardState::failed: return "\x1b[1;31m";
    case BoardState::stopped: return "\x1b[33m";
    case BoardState::pending:
    case BoardState::skipped: return "\x1b[2m";
    }
    return "";
}

bool finished(BoardState state) {
    return state == BoardState::done || state == BoardState::skipped || state == BoardState::earlier;
}

// How a finished step ended, as a word for its stack's row.
std::string outcome_word(const BoardStep& s) {
    if (s.state == BoardState::earlier) return "done earlier";
    if (s.state == BoardState::skipped || s.outcome == "skipped") return "skipped";
    if (s.outcome == "unchanged") return "unchanged";
    if (s.kind == "update-stack") return "updated";
    if (s.kind == "deploy-stack") return "created";
    if (s.kind == "delete-stack") return "deleted";
    if (s.kind == "set-parameters") return "parameters set";
    if (s.kind == "manual") return "manual step";
    if (s.kind == "preflight") return "checked";
    if (s.kind == "wait") return "waited";
    if (s.kind == "run-migration") return "migrated";
    if (s.kind == "snapshot-volume") return "snapshot taken";
    if (s.kind == "snapshot-database") return "cluster snapshot taken";
    if (s.kind == "terminate-instance") return "instance replaced";
    return s.kind + " done";
}

std::string summarize(const std::vector<std::string>& words) {
    std::vector<std::pair<std::string, int>> counts;
    for (const auto& w : words) {
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == w; });
        if (it == counts.end()) counts.emplace_back(w, 1);
        else ++it->second;
    }
    std::string out;
    for (const auto& [word, n] : counts) {
        if (!out.empty()) out += ", ";
        out += word;
        if (n > 1) out += " x" + std::to_string(n);
    }
    return out;
}

std::string running_text(const Board& board) {
    std::string text = board.status_text();
    if (!board.event_text().empty()) text += (text.empty() ? "" : "; ") + board.event_text();
    return text.empty() ? std::string("starting") : text;
}

// A row per stack, in the order the plan first touches them. Its mark and words tell how the
// stack stands in the hop that runs now (a stack updated in hop 1 is pending again in hop 2);
// its counts and time cover the whole run.
std::vector<Row> stack_rows(const Board& board, int hop, std::int64_t now_s) {
    std::vector<Row> rows;
    std::map<std::string, std::size_t, std::less<>> index;
    // Steps about no one stack (waits, manual steps) share the last row.
    for (bool stackless : {false, true}) {
        for (const auto& s : board.steps()) {
            if (s.stack.empty() != stackless) continue;
            const std::string name = stackless ? "(other steps)" : s.stack;
            auto [it, added] = index.emplace(name, rows.size());
            if (added) {
                Row row;
                row.name = name;
                rows.push_back(std::move(row));
            }
            Row& row = rows[it->second];
            ++row.total;
            if (s.hop == hop) ++row.hop_total;
            if (finished(s.state)) {
                ++row.finished;
                row.words.push_back(outcome_word(s));
                if (s.hop == hop) row.hop_words.push_back(outcome_word(s));
            }
            if (s.state == BoardState::running) row.spent_s += now_s - s.started_s;
            else if (s.state != BoardState::pending) row.spent_s += s.ended_s - s.started_s;
            if (s.state == BoardState::failed || s.state == BoardState::stopped) {
                row.state = s.state;
                row.text = (s.state == BoardState::failed ? "FAILED: " : "stopped: ") + s.outcome;
            } else if (s.state == BoardState::running && row.state != BoardState::failed && row.state != BoardState::stopped) {
                row.state = BoardState::running;
                row.text = running_text(board);
            }
        }
    }
    for (Row& row : rows) {
        if (row.state == BoardState::running || row.state == BoardState::failed || row.state == BoardState::stopped) continue;
        bool in_hop = row.hop_total > 0;
        const auto& words = in_hop ? row.hop_words : row.words;
        bool all = in_hop ? static_cast<int>(row.hop_words.size()) == row.hop_total : row.finished == row.total;
        std::string done = summarize(words);
        if (all) {
            bool skipped = std::all_of(words.begin(), words.end(), [](const auto& w) { return w == "skipped"; });
            row.state = skipped ? BoardState::skipped : BoardState::done;
            row.text = done;
        } else {
            row.state = BoardState::pending;
            row.text = done.empty() ? "pending" : done + "; more to come";
        }
    }
    return rows;
}

std::string bar(int done, int total, int width) {
    width = std::max(width, 0);
    int filled = total > 0 ? std::clamp(done * width / total, 0, width) : 0;
    std::string out = "[";
    out.append(static_cast<std::size_t>(filled), '#');
    out.append(static_cast<std::size_t>(width - filled), '.');
    return out + "]";
}

std::string pad(std::string text, int columns) {
    int have = display_columns(text);
    if (have < columns) text.append(static_cast<std::size_t>(columns - have), ' ');
    return text;
}

}  // namespace

std::vector<std::string> render_board(const Board& board, std::int64_t now_s, const BoardLayout& layout) {
    const int width = std::max(layout.width - 1, 10);
    const auto& steps = board.steps();
    int total = static_cast<int>(steps.size());
    int finished_steps = static_cast<int>(std::count_if(steps.begin(), steps.end(), [](const auto& s) { return finished(s.state); }));
    const BoardStep* current = board.running();
    const BoardStep* last_failed = nullptr;
    for (const auto& s : steps)
        if (s.state == BoardState::failed || s.state == BoardState::stopped) last_failed = &s;

    // Header: versions, hop, the overall bar, elapsed time.
    int hop = 0;
    if (current) hop = current->hop;
    else
        for (const auto& s : steps)
            if (s.state != BoardState::pending) hop = s.hop;
    // On a narrow terminal the hop's versions go first, then the bar shrinks: the counts and
    // the elapsed time always show.
    auto make_header = [&](bool hop_versions, int bar_width) {
        std::string text;
        if (!board.hops().empty()) {
            text = board.hops().front().from + " -> " + board.hops().back().to;
            if (board.hops().size() > 1) {
                const auto& h = board.hops()[static_cast<std::size_t>(hop)];
                text += "  hop " + std::to_string(hop + 1) + "/" + std::to_string(board.hops().size());
                if (hop_versions) text += " (" + h.from + " -> " + h.to + ")";
            }
            text += "  ";
        }
        if (bar_width > 0) text += bar(finished_steps, total, bar_width) + " ";
        return text + std::to_string(finished_steps) + "/" + std::to_string(total) + " steps  elapsed " +
               format_duration(now_s - board.started_s());
    };
    std::string header;
    for (auto [hop_versions, bar_width] : {std::pair{true, 20}, {false, 20}, {false, 10}, {false, 0}}) {
        header = make_header(hop_versions, bar_width);
        if (display_columns(header) <= width) break;
    }

    // The running step, or how the run stands.
    std::string step_line;
    if (current) {
        auto position = (current - steps.data()) + 1;
        step_line = "> (" + std::to_string(position) + "/" + std::to_string(total) + ") " + current->kind +
                    (current->stack.empty() ? "" : " " + current->stack) + " for " +
                    format_duration(now_s - current->started_s) + ": " + running_text(board);
    } else if (last_failed) {
        step_line = std::string(last_failed->state == BoardState::failed ? "failed at " : "stopped at ") + last_failed->id;
    } else if (finished_steps == total) {
        step_line = "all steps finished";
    } else {
        step_line = "between steps";
    }

    std::vector<std::string> lines;
    auto add = [&](std::string text, BoardState state, bool marked) {
        text = fit_columns(text, width);
        if (layout.color && marked) {
            // The mark is the line's first two columns; color it alone.
            text = std::string(color_of(state)) + text.substr(0, 2) + "\x1b[0m" + text.substr(2);
        }
        lines.push_back(std::move(text));
    };
    add(header, BoardState::pending, false);
    if (layout.max_lines >= 2) add(step_line, current ? BoardState::running : BoardState::pending, false);

    std::vector<Row> rows = stack_rows(board, hop, now_s);
    int avail = layout.max_lines - 2;
    if (avail <= 0 || rows.empty()) return lines;
    int n = static_cast<int>(rows.size());
    int focus = 0;
    while (focus < n && (rows[static_cast<std::size_t>(focus)].state == BoardState::done ||
                         rows[static_cast<std::size_t>(focus)].state == BoardState::skipped))
        ++focus;
    if (focus == n) focus = n - 1;
    for (int i = 0; i < n; ++i) {
        auto state = rows[static_cast<std::size_t>(i)].state;
        if (state == BoardState::running || state == BoardState::failed || state == BoardState::stopped) {
            focus = i;
            break;
        }
    }

    // The window of rows shown, with summary lines for what falls outside it.
    int lo = 0;
    int hi = n;
    auto fits = [&](int l, int h) { return (l > 0 ? 1 : 0) + (h - l) + (h < n ? 1 : 0) <= avail; };
    if (!fits(0, n)) {
        if (avail <= 2) {
            lo = focus;
            hi = focus + 1;
        } else {
            lo = std::max(0, focus - 1);
            hi = lo;
            while (hi < n && fits(lo, hi + 1)) ++hi;
            while (lo > 0 && fits(lo - 1, hi)) --lo;
        }
    }

    int name_width = 0;
    for (int i = lo; i < hi; ++i) name_width = std::max(name_width, display_columns(rows[static_cast<std::size_t>(i)].name));
    name_width = std::min(name_width, 40);
    if (lo > 0 && avail > 2) add("ok " + std::to_string(lo) + (lo == 1 ? " stack" : " stacks") + " finished", BoardState::done, true);
    for (int i = lo; i < hi; ++i) {
        const Row& row = rows[static_cast<std::size_t>(i)];
        std::string counts = std::to_string(row.finished) + "/" + std::to_string(row.total);
        add(std::string(mark(row.state)) + " " + pad(fit_columns(row.name, name_width), name_width) + " " + pad(counts, 5) + " " +
                pad(row.spent_s > 0 || row.state == BoardState::running ? format_duration(row.spent_s) : "-", 8) + " " + row.text,
            row.state, true);
    }
    if (hi < n && avail > 2) {
        int rest = n - hi;
        add(".. " + std::to_string(rest) + " more" + (rest == 1 ? " stack" : " stacks"), BoardState::pending, true);
    }
    return lines;
}

}  // namespace stackshift::apply
