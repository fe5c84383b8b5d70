// The live progress display: the status area drawn from the board (a pure function of the run's
// state, the time and the terminal's size), and Progress writing it under the scrolling lines.
// A small screen model replays what Progress writes, as a terminal would show it.

#include <gtest/gtest.h>

#include <locale.h>
#include <wchar.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "apply/board.hpp"
#include "apply/progress.hpp"
#include "plan/plan.hpp"

namespace stackshift {
namespace {

using apply::Board;
using apply::BoardLayout;
using apply::BoardState;
using plan::StepKind;

plan::Step step(std::string id, StepKind kind, std::string stack) {
    plan::Step s;
    s.id = std::move(id);
    s.kind = kind;
    s.stack = std::move(stack);
    s.title = "title of " + s.id;
    return s;
}

// Two hops over three stacks, with a migration after the ops stack in each.
plan::Plan two_hops() {
    plan::Plan p;
    p.deployment = "acme";
    p.from = *Version::parse("3.14.2");
    p.to = *Version::parse("3.19.2");
    plan::Hop h1{*Version::parse("3.14.2"), *Version::parse("3.15.1"), {}};
    h1.steps = {step("h1-01-update-db", StepKind::update_stack, "acme-2-5-db"),
                step("h1-02-update-ops", StepKind::update_stack, "acme-5-2-ops"),
                step("h1-03-migrate", StepKind::run_migration, "acme-5-2-ops"),
                step("h1-04-skip-vpc", StepKind::skip_stack, "acme-1-1-vpc"),
                step("h1-05-manual", StepKind::manual, "")};
    plan::Hop h2{*Version::parse("3.15.1"), *Version::parse("3.19.2"), {}};
    h2.steps = {step("h2-01-update-db", StepKind::update_stack, "acme-2-5-db"),
                step("h2-02-update-ops", StepKind::update_stack, "acme-5-2-ops")};
    p.hops = {h1, h2};
    return p;
}

const plan::Step& find(const plan::Plan& p, const std::string& id) {
    for (const auto& hop : p.hops)
        for (const auto& s : hop.steps)
            if (s.id == id) return s;
    throw std::runtime_error("no step " + id);
}

std::string row_of(const std::vector<std::string>& lines, const std::string& stack) {
    for (const auto& line : lines)
        if (!line.starts_with("> ") && line.find(" " + stack + " ") != std::string::npos) return line;
    return "(no row for " + stack + ")";
}

// The columns a terminal gives the text, measured by the C library and not by the code under
// test: the UTF-8 decoded with mbrtowc and each character's wcwidth summed, under C.UTF-8 for
// this thread only. A byte that is not UTF-8 counts one column, as the board counts it.
int terminal_columns(const std::string& text) {
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (utf8 == static_cast<locale_t>(nullptr)) {
        ADD_FAILURE() << "no C.UTF-8 locale to measure with";
        return -1;
    }
    locale_t previous = uselocale(utf8);
    mbstate_t state{};
    int columns = 0;
    for (std::size_t i = 0; i < text.size();) {
        wchar_t c = 0;
        std::size_t n = mbrtowc(&c, text.data() + i, text.size() - i, &state);
        if (n == static_cast<std::size_t>(-1) || n == static_cast<std::size_t>(-2)) {
            state = mbstate_t{};
            ++columns;
            ++i;
            continue;
        }
        int w = wcwidth(c);
        EXPECT_GE(w, 0) << "unprintable U+" << std::hex << static_cast<unsigned>(c) << " in: " << text;
        columns += std::max(w, 0);
        i += std::max<std::size_t>(n, 1);
    }
    uselocale(previous);
    freelocale(utf8);
    return columns;
}

TEST(Board, HeaderRunningStepAndARowPerStack) {
    plan::Plan p = two_hops();
    Board board;
    board.begin(p, 1000);
    board.step_started(find(p, "h1-01-update-db"), 1000);
    board.step_ended(find(p, "h1-01-update-db"), BoardState::done, "done", 1130);
    board.step_started(find(p, "h1-02-update-ops"), 1130);
    board.status("UPDATE_IN_PROGRESS");
    board.event("Service AWS::ECS::Service UPDATE_IN_PROGRESS");

    auto lines = apply::render_board(board, 1195, BoardLayout{120, 12, false});
    ASSERT_EQ(lines.size(), 2u + 4u) << "header, running step, three stacks and the other steps";
    EXPECT_EQ(lines[0], "3.14.2 -> 3.19.2  hop 1/2 (3.14.2 -> 3.15.1)  [##..................] 1/7 steps  elapsed 3m15s");
    EXPECT_EQ(lines[1], "> (2/7) update-stack acme-5-2-ops for 1m5s: UPDATE_IN_PROGRESS; Service AWS::ECS::Service UPDATE_IN_PROGRESS");
    EXPECT_EQ(row_of(lines, "acme-2-5-db"), "ok acme-2-5-db   1/2   2m10s    updated");
    EXPECT_EQ(row_of(lines, "acme-5-2-ops"),
              ">> acme-5-2-ops  0/3   1m5s     UPDATE_IN_PROGRESS; Service AWS::ECS::Service UPDATE_IN_PROGRESS");
    EXPECT_EQ(row_of(lines, "acme-1-1-vpc"), ".. acme-1-1-vpc  0/1   -        pending");
    EXPECT_EQ(lines.back(), ".. (other steps) 0/1   -        pending") << "steps about no stack come last";
}

TEST(Board, RowsTellTheCurrentHopAndCountTheWholeRun) {
    plan::Plan p = two_hops();
    Board board;
    board.begin(p, 0);
    std::int64_t t = 0;
    for (const auto* id : {"h1-01-update-db", "h1-02-update-ops", "h1-03-migrate", "h1-05-manual"}) {
        board.step_started(find(p, id), t);
        t += 60;
        board.step_ended(find(p, id), BoardState::done, "done", t);
    }
    board.step_ended(find(p, "h1-04-skip-vpc"), BoardState::skipped, "skipped", t);
    board.step_started(find(p, "h2-01-update-db"), t);

    auto lines = apply::render_board(board, t + 30, BoardLayout{120, 12, false});
    EXPECT_NE(lines[0].find("hop 2/2 (3.15.1 -> 3.19.2)"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("5/7 steps"), std::string::npos) << lines[0];
    EXPECT_EQ(row_of(lines, "acme-2-5-db").substr(0, 2), ">>");
    // Done in hop 1, the ops stack waits for its hop 2 update: pending again, with the count of
    // the whole run and what it did so far in this hop (nothing).
    EXPECT_EQ(row_of(lines, "acme-5-2-ops"), ".. acme-5-2-ops  2/3   2m0s     pending");
    // No step in hop 2: the row tells how the whole run left it.
    EXPECT_EQ(row_of(lines, "acme-1-1-vpc"), "-- acme-1-1-vpc  1/1   -        skipped");
}

TEST(Board, AFailedStepIsMarkedAndNamedInTheStepLine) {
    plan::Plan p = two_hops();
    Board board;
    board.begin(p, 0);
    board.step_started(find(p, "h1-01-update-db"), 0);
    board.step_ended(find(p, "h1-01-update-db"), BoardState::failed, "stack acme-2-5-db ended in UPDATE_ROLLBACK_COMPLETE", 300);
    auto lines = apply::render_board(board, 300, BoardLayout{120, 12, false});
    EXPECT_EQ(lines[1], "failed at h1-01-update-db");
    EXPECT_EQ(row_of(lines, "acme-2-5-db"), "!! acme-2-5-db   0/2   5m0s     FAILED: stack acme-2-5-db ended in UPDATE_ROLLBACK_COMPLETE");
}

plan::Plan many_stacks(int n) {
    plan::Plan p;
    p.from = *Version::parse("1.0.0");
    p.to = *Version::parse("1.1.0");
    plan::Hop hop{p.from, p.to, {}};
    for (int i = 0; i < n; ++i) {
        std::string name = "stack-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
        hop.steps.push_back(step("h1-" + name, StepKind::update_stack, name));
    }
    p.hops = {hop};
    return p;
}

TEST(Board, StacksThatDoNotFitCollapseAroundTheRunningOne) {
    plan::Plan p = many_stacks(20);
    Board board;
    board.begin(p, 0);
    for (int i = 0; i < 12; ++i) {
        board.step_started(p.hops[0].steps[static_cast<std::size_t>(i)], i * 10);
        board.step_ended(p.hops[0].steps[static_cast<std::size_t>(i)], BoardState::done, "done", i * 10 + 10);
    }
    board.step_started(p.hops[0].steps[12], 120);

    auto lines = apply::render_board(board, 125, BoardLayout{100, 8, false});
    ASSERT_EQ(lines.size(), 8u);
    EXPECT_EQ(lines[2], "ok 11 stacks finished");
    EXPECT_EQ(lines[3].substr(0, 11), "ok stack-11") << "the stack before the running one stays in view";
    EXPECT_EQ(lines[4].substr(0, 11), ">> stack-12");
    EXPECT_EQ(lines[5].substr(0, 11), ".. stack-13");
    EXPECT_EQ(lines[6].substr(0, 11), ".. stack-14");
    EXPECT_EQ(lines[7], ".. 5 more stacks");

    // At the start nothing is collapsed before the first stack.
    Board fresh;
    fresh.begin(p, 0);
    auto start = apply::render_board(fresh, 0, BoardLayout{100, 8, false});
    ASSERT_EQ(start.size(), 8u);
    EXPECT_EQ(start[2].substr(0, 11), ".. stack-00");
    EXPECT_EQ(start[7], ".. 15 more stacks");

    // A tiny area keeps the header, the step line and the running stack.
    auto tiny = apply::render_board(board, 125, BoardLayout{100, 3, false});
    ASSERT_EQ(tiny.size(), 3u);
    EXPECT_EQ(tiny[2].substr(0, 11), ">> stack-12");
}

TEST(Board, NoLineIsWiderThanTheTerminal) {
    plan::Plan p = two_hops();
    Board board;
    board.begin(p, 0);
    board.step_started(find(p, "h1-02-update-ops"), 0);
    board.event("Service AWS::ECS::Service UPDATE_FAILED: Resource handler returned message: \xE2\x80\x9Cinvalid\xE2\x80\x9D");
    for (int width : {20, 40, 61, 80}) {
        for (const auto& line : apply::render_board(board, 10, BoardLayout{width, 12, false}))
            EXPECT_LE(terminal_columns(line), width - 1) << width << ": " << line;
    }
    EXPECT_EQ(apply::render_board(board, 10, BoardLayout{80, 12, false})[0],
              "3.14.2 -> 3.19.2  hop 1/2  [....................] 0/7 steps  elapsed 10s")
        << "the hop's versions give way first";
    EXPECT_EQ(apply::render_board(board, 10, BoardLayout{52, 12, false})[0], "3.14.2 -> 3.19.2  hop 1/2  0/7 steps  elapsed 10s")
        << "then the bar";
    EXPECT_EQ(apply::fit_columns("ab\xE2\x80\x9C" "cd", 4), "ab\xE2\x80\x9C~") << "a cut never splits a character";
    EXPECT_EQ(apply::fit_columns("abc", 3), "abc");
    EXPECT_EQ(apply::display_columns("\xE2\x80\x9C" "x"), 2);
}

// The first row's counts ("0/2") start at this terminal column on every stack row.
std::vector<int> counts_columns(const std::vector<std::string>& lines) {
    std::vector<int> columns;
    for (std::size_t i = 2; i < lines.size(); ++i) {
        auto slash = lines[i].find('/', 3);
        if (slash == std::string::npos) continue;
        columns.push_back(terminal_columns(lines[i].substr(0, slash - 1)));
    }
    return columns;
}

TEST(Board, WideCharactersCountAsTwoColumns) {
    const std::string kanji = "\xE6\xBC\xA2\xE5\xAD\x97";  // U+6F22 U+5B57, two wide characters
    const std::string fullwidth_a = "\xEF\xBC\xA1";          // U+FF21, a fullwidth letter
    const std::string e_acute = "e\xCC\x81";                 // e and a combining acute accent
    const std::string katakana = "\xE3\x83\xAA\xE3\x82\xBD\xE3\x83\xBC\xE3\x82\xB9";  // U+30EA U+30BD U+30FC U+30B9
    ASSERT_EQ(terminal_columns(kanji), 4) << "the C library's measure itself";
    ASSERT_EQ(terminal_columns(fullwidth_a), 2);
    ASSERT_EQ(terminal_columns(e_acute), 1);
    for (const std::string& text : std::vector<std::string>{kanji, fullwidth_a, e_acute, katakana, "acme-" + kanji + "-db", "\xE2\x80\x9C" "x",
                                    "\xF0\x9F\x98\x80 ok", "caf" + e_acute + " " + fullwidth_a + kanji})
        EXPECT_EQ(apply::display_columns(text), terminal_columns(text)) << text;

    // A cut keeps whole characters: no half of a wide one, no mark without its letter.
    EXPECT_EQ(apply::fit_columns(kanji + "ab", 4), kanji.substr(0, 3) + "~") << "the second wide character would end past 3";
    EXPECT_EQ(apply::fit_columns("a" + kanji + "b", 4), "a" + kanji.substr(0, 3) + "~");
    EXPECT_EQ(apply::fit_columns("ab" + e_acute + "cd", 4), "ab" + e_acute + "~");
    EXPECT_EQ(apply::fit_columns(kanji, 4), kanji);

    // A stack name and an event with wide characters: no line wider than the terminal, and the
    // columns after the names still line up.
    plan::Plan p = two_hops();
    const std::string db = "acme-" + kanji + "-db";
    for (auto& hop : p.hops)
        for (auto& s : hop.steps)
            if (s.stack == "acme-2-5-db") s.stack = db;
    Board board;
    board.begin(p, 0);
    board.step_started(find(p, "h1-01-update-db"), 0);
    board.event("Service AWS::ECS::Service UPDATE_FAILED: " + katakana + " " + kanji + " " + fullwidth_a + fullwidth_a);
    for (int width : {20, 33, 40, 61, 80}) {
        for (const auto& line : apply::render_board(board, 10, BoardLayout{width, 12, false}))
            EXPECT_LE(terminal_columns(line), width - 1) << width << ": " << line;
    }
    auto lines = apply::render_board(board, 10, BoardLayout{120, 12, false});
    EXPECT_EQ(row_of(lines, db), ">> " + db + "  0/2   10s      Service AWS::ECS::Service UPDATE_FAILED: " + katakana + " " + kanji +
                                     " " + fullwidth_a + fullwidth_a);
    auto columns = counts_columns(lines);
    ASSERT_EQ(columns.size(), 4u);
    for (int c : columns) EXPECT_EQ(c, columns[0]) << "counts out of line";
}

std::string strip_sgr(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b') {
            while (i < text.size() && text[i] != 'm') ++i;
            continue;
        }
        out += text[i];
    }
    return out;
}

TEST(Board, ColorTouchesOnlyTheMarks) {
    plan::Plan p = two_hops();
    Board board;
    board.begin(p, 0);
    board.step_started(find(p, "h1-01-update-db"), 0);
    auto plain = apply::render_board(board, 5, BoardLayout{120, 12, false});
    auto colored = apply::render_board(board, 5, BoardLayout{120, 12, true});
    ASSERT_EQ(plain.size(), colored.size());
    for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(strip_sgr(colored[i]), plain[i]);
    EXPECT_EQ(row_of(colored, "acme-2-5-db").substr(0, 14), "\x1b[1;33m>>\x1b[0m ");
}

// What a terminal shows after the bytes Progress wrote: text overwrites at the cursor, "\r" goes
// to the first column, "\n" to the next line, ESC[nA moves up, ESC[J clears to the end of the
// screen, ESC[K to the end of the line, ESC[...m is ignored. Anything else fails the test.
std::vector<std::string> replay(const std::string& bytes) {
    std::vector<std::string> screen(1);
    std::size_t row = 0;
    std::size_t col = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        char c = bytes[i];
        if (c == '\r') {
            col = 0;
        } else if (c == '\n') {
            ++row;
            col = 0;
            if (row == screen.size()) screen.emplace_back();
        } else if (c == '\x1b') {
            EXPECT_EQ(bytes.at(i + 1), '[');
            std::size_t j = i + 2;
            std::string arg;
            while (j < bytes.size() && (std::isdigit(static_cast<unsigned char>(bytes[j])) || bytes[j] == ';')) arg += bytes[j++];
            char op = bytes.at(j);
            if (op == 'A') {
                std::size_t n = arg.empty() ? 1 : std::stoul(arg);
                EXPECT_LE(n, row) << "moved above the first line";
                row -= std::min(n, row);
            } else if (op == 'J') {
                screen[row].resize(std::min(col, screen[row].size()));
                screen.resize(row + 1);
            } else if (op == 'K') {
                screen[row].resize(std::min(col, screen[row].size()));
            } else {
                EXPECT_EQ(op, 'm') << "unexpected escape sequence";
            }
            i = j;
        } else {
            std::string& line = screen[row];
            if (line.size() < col) line.resize(col, ' ');
            if (col < line.size()) line[col] = c;
            else line += c;
            ++col;
        }
    }
    if (screen.back().empty()) screen.pop_back();
    return screen;
}

struct Clock {
    std::int64_t t = 0;
};

void run_two_hops(apply::Progress& progress, Clock& clock, const plan::Plan& p) {
    progress.begin(p);
    int position = 0;
    for (const auto& hop : p.hops) {
        for (const auto& s : hop.steps) {
            ++position;
            progress.step_started(position, 7, s);
            clock.t += 20;
            progress.status("UPDATE_IN_PROGRESS");
            cloud::StackEvent e;
            e.event_id = "e" + std::to_string(position);
            e.stack = s.stack;
            e.logical_id = "Service";
            e.resource_type = "AWS::ECS::Service";
            e.status = "UPDATE_COMPLETE";
            progress.event(e);
            clock.t += 10;
            progress.step_ended(s, s.kind == StepKind::skip_stack ? "skipped" : "done");
        }
    }
    progress.finish();
}

TEST(LiveProgress, TheScreenHoldsEveryLineOnceThenTheStatusArea) {
    plan::Plan p = two_hops();
    Clock clock;
    std::ostringstream live_out;
    apply::ProgressOptions options;
    options.live = true;
    options.size = [] { return apply::TerminalSize{100, 40}; };
    {
        apply::Progress live(live_out, [&clock] { return clock.t; }, options);
        run_two_hops(live, clock, p);
    }
    Clock plain_clock;
    std::ostringstream plain_out;
    {
        apply::Progress plain(plain_out, [&plain_clock] { return plain_clock.t; });
        run_two_hops(plain, plain_clock, p);
    }
    EXPECT_EQ(plain_out.str().find('\x1b'), std::string::npos) << "no escape sequence when the output is not a terminal";

    auto screen = replay(live_out.str());
    std::vector<std::string> plain_lines;
    std::istringstream in(plain_out.str());
    for (std::string line; std::getline(in, line);) plain_lines.push_back(line);
    ASSERT_GT(screen.size(), plain_lines.size());
    // The scrolled part is exactly the plain output: nothing lost, nothing twice, no debris.
    for (std::size_t i = 0; i < plain_lines.size(); ++i) EXPECT_EQ(screen[i], plain_lines[i]) << i;
    // Under it, the status area once, as the run ended.
    std::vector<std::string> area(screen.begin() + static_cast<std::ptrdiff_t>(plain_lines.size()), screen.end());
    ASSERT_EQ(area.size(), 6u);
    EXPECT_EQ(area[0], "3.14.2 -> 3.19.2  hop 2/2 (3.15.1 -> 3.19.2)  [####################] 7/7 steps  elapsed 3m30s");
    EXPECT_EQ(area[1], "all steps finished");
    EXPECT_EQ(row_of(area, "acme-5-2-ops"), "ok acme-5-2-ops  3/3   1m30s    updated");
}

TEST(LiveProgress, AQuestionIsAskedOnACleanScreenAndTheAreaComesBack) {
    plan::Plan p = two_hops();
    Clock clock;
    std::ostringstream out;
    apply::ProgressOptions options;
    options.live = true;
    apply::Progress progress(out, [&clock] { return clock.t; }, options);
    progress.begin(p);
    progress.step_started(1, 7, find(p, "h1-01-update-db"));
    progress.note("  replace the volume? read the runbook");
    std::string seen_before_question;
    bool answer = progress.ask("Step h1-01 needs confirmation? [y/N] ", [&](std::string_view q) {
        out << q;
        seen_before_question = out.str();
        return true;
    });
    EXPECT_TRUE(answer);
    auto screen = replay(seen_before_question);
    ASSERT_FALSE(screen.empty());
    EXPECT_EQ(screen.back(), "Step h1-01 needs confirmation? [y/N] ") << "the question is the last thing on the screen";
    EXPECT_NE(screen[screen.size() - 2].find("replace the volume?"), std::string::npos) << "the note before it was written";
    // After the answer the status area is drawn again below.
    out << "y\n";  // the operator's echo
    progress.finish();
    auto after = replay(out.str());
    EXPECT_NE(after.back().find("pending"), std::string::npos) << after.back();
    EXPECT_NE(after[after.size() - 5].find("> (1/7) update-stack acme-2-5-db"), std::string::npos);
}

// A stream buffer another thread may write while the test waits for some text to appear.
class WatchedBuffer : public std::streambuf {
public:
    bool wait_for(const std::string& text, std::chrono::seconds limit) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, limit, [&] { return m_text.find(text) != std::string::npos; });
    }
    std::string text() {
        std::lock_guard lock(m_mutex);
        return m_text;
    }

protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) xsputn(reinterpret_cast<const char*>(&c), 1);
        return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        {
            std::lock_guard lock(m_mutex);
            m_text.append(s, static_cast<std::size_t>(n));
        }
        m_changed.notify_all();
        return n;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::string m_text;
};

TEST(LiveProgress, TheTickerMovesTheElapsedTimeWhileNothingHappens) {
    plan::Plan p = two_hops();
    std::atomic<std::int64_t> t{0};
    WatchedBuffer buffer;
    std::ostream out(&buffer);
    apply::ProgressOptions options;
    options.live = true;
    options.tick = true;
    apply::Progress progress(out, [&t] { return t.load(); }, options);
    progress.begin(p);
    progress.step_started(1, 7, find(p, "h1-01-update-db"));
    EXPECT_EQ(buffer.text().find("elapsed 1m15s"), std::string::npos);
    t = 75;
    // Nothing calls Progress now: only its ticker can draw the new time.
    EXPECT_TRUE(buffer.wait_for("elapsed 1m15s", std::chrono::seconds(5))) << buffer.text();
    EXPECT_TRUE(buffer.wait_for("for 1m15s: starting", std::chrono::seconds(5))) << buffer.text();
}

TEST(LiveProgress, WithoutTheTickerNothingIsDrawnUntilSomethingHappens) {
    plan::Plan p = two_hops();
    std::int64_t t = 0;
    std::ostringstream out;
    apply::ProgressOptions options;
    options.live = true;
    apply::Progress progress(out, [&t] { return t; }, options);
    progress.begin(p);
    std::string before = out.str();
    t = 75;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(out.str(), before) << "the simulator's clock is read by the run's own thread only";
}

}  // namespace
}  // namespace stackshift
