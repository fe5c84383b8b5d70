#include "apply/journal.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cinttypes>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <ctime>

#include "core/error.hpp"
#include "core/text.hpp"
#include "plan/plan.hpp"

namespace stackshift::apply {

namespace {

// PRAGMA application_id of a stackshift journal: "SSJN".
constexpr int application_id = 0x53534A4E;

constexpr std::string_view run_outcome_names[] = {"running", "succeeded", "failed", "stopped", "abandoned", "interrupted"};
constexpr std::string_view step_status_names[] = {"pending", "started", "done", "failed", "skipped"};
constexpr std::string_view action_state_names[] = {"intended", "started", "done", "failed"};

template <class Enum, std::size_t N>
Enum from_name(const std::string_view (&names)[N], std::string_view name, Enum fallback) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name) return static_cast<Enum>(i);
    }
    return fallback;
}

// The runs table of schema 2: what a new journal creates and what an upgrade from schema 1
// rebuilds the table as (SQLite cannot change a CHECK in place).
std::string runs_table_sql(std::string_view name) {
    return "CREATE TABLE " + std::string(name) + R"sql( (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deployment TEXT NOT NULL,
    plan_fingerprint TEXT NOT NULL,
    from_version TEXT NOT NULL,
    to_version TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'stopped', 'abandoned', 'interrupted')),
    message TEXT NOT NULL DEFAULT '',
    resumes INTEGER NOT NULL DEFAULT 0,
    elapsed_s INTEGER NOT NULL DEFAULT 0
);
)sql";
}

const char* const schema_sql = R"sql(
CREATE TABLE stackshift_journal (
    schema_version INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX runs_by_plan ON runs (deployment, plan_fingerprint);
CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    position INTEGER NOT NULL,
    step_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    stack TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'started', 'done', 'failed', 'skipped')),
    started_ms INTEGER,
    ended_ms INTEGER,
    message TEXT NOT NULL DEFAULT '',
    UNIQUE (run_id, step_id)
);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    step_row INTEGER NOT NULL REFERENCES steps (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    aws_id TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('intended', 'started', 'done', 'failed')),
    intended_ms INTEGER NOT NULL,
    started_ms INTEGER,
    ended_ms INTEGER,
    message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_by_step ON actions (step_row);
)sql";

// Schema 3: the steps of a run that switch a procedure off or back on ("storage-integration"),
// recorded with the run's steps; switched_off() reads them with the steps' statuses.
const char* const switches_sql = R"sql(
CREATE TABLE switches (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    step_id TEXT NOT NULL,
    procedure TEXT NOT NULL,
    stack TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('off', 'on')),
    UNIQUE (run_id, step_id, procedure, direction)
);
)sql";

[[noreturn]] void fail(sqlite3* db, const std::string& path, std::string_view doing) {
    throw Error(ExitCode::failure, "cannot " + std::string(doing) + " in the journal " + quote(path) + ": " +
                                       (db ? sqlite3_errmsg(db) : "out of memory"));
}

// One prepared statement; bind by position from 1, step, read columns from 0.
class Statement {
public:
    Statement(sqlite3* db, const std::string& path, std::string_view sql) : m_db(db), m_path(path) {
        if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr) != SQLITE_OK) {
            fail(db, path, "prepare a query");
        }
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    template <class... Args>
    Statement& bind(const Args&... args) {
        int i = 0;
        (bind_one(++i, args), ...);
        return *this;
    }

    // True when a row is ready; false when done.
    bool next(std::string_view doing = "read") {
        int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(m_db, m_path, doing);
    }
    void run(std::string_view doing) {
        while (next(doing)) {
        }
    }
    // Ready to run again with new values.
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

    std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
    std::optional<std::int64_t> optional_integer(int column) const {
        if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL) return std::nullopt;
        return integer(column);
    }
    std::string text(int column) const {
        const unsigned char* t = sqlite3_column_text(m_stmt, column);
        return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                 : std::string();
    }

private:
    void bind_one(int i, std::int64_t v) { check(sqlite3_bind_int64(m_stmt, i, v)); }
    void bind_one(int i, int v) { check(sqlite3_bind_int64(m_stmt, i, v)); }
    void bind_one(int i, std::string_view v) {
        // An empty view may have no data; SQLite would store NULL for it.
        check(sqlite3_bind_text(m_stmt, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    void bind_one(int i, const std::string& v) { bind_one(i, std::string_view(v)); }
    void bind_one(int i, const char* v) { bind_one(i, std::string_view(v)); }
    void check(int rc) {
        if (rc != SQLITE_OK) fail(m_db, m_path, "bind a value");
    }

    sqlite3* m_db;
    const std::string& m_path;
    sqlite3_stmt* m_stmt = nullptr;
};

void exec(sqlite3* db, const std::string& path, const char* sql, std::string_view doing) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, path, doing);
}

// BEGIN IMMEDIATE ... COMMIT, rolled back when left by an exception.
class Transaction {
public:
    Transaction(sqlite3* db, const std::string& path) : m_db(db), m_path(path) {
        exec(db, path, "BEGIN IMMEDIATE", "begin a transaction");
    }
    ~Transaction() {
        if (!m_committed) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        exec(m_db, m_path, "COMMIT", "commit a write");
        m_committed = true;
    }

private:
    sqlite3* m_db;
    const std::string& m_path;
    bool m_committed = false;
};

std::string not_a_journal(const std::string& path, std::string_view why) {
    return quote(path) + " is not a stackshift journal (" + std::string(why) +
           "); give the journal file that 'stackshift apply' wrote with --journal FILE, or move this file away";
}

// The columns of a run, with its step counts.
// Schema 1 had no elapsed_s: a journal of it opened for reading (never upgraded) reads 0.
std::string run_columns(int schema) {
    return std::string("SELECT r.id, r.deployment, r.plan_fingerprint, r.from_version, r.to_version, r.started_ms, "
                       "r.ended_ms, r.outcome, r.message, r.resumes, ") +
           (schema >= 2 ? "r.elapsed_s, " : "0, ") +
           "(SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'pending'), "
           "(SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'started'), "
           "(SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'done'), "
           "(SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'failed'), "
           "(SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'skipped') "
           "FROM runs r ";
}

RunRecord read_run(const Statement& q) {
    RunRecord r;
    r.id = q.integer(0);
    r.deployment = q.text(1);
    r.plan_fingerprint = q.text(2);
    r.from = q.text(3);
    r.to = q.text(4);
    r.started_ms = q.integer(5);
    r.ended_ms = q.optional_integer(6);
    r.outcome = from_name(run_outcome_names, q.text(7), RunOutcome::running);
    r.message = q.text(8);
    r.resumes = static_cast<int>(q.integer(9));
    r.elapsed_s = q.integer(10);
    r.steps_pending = static_cast<int>(q.integer(11));
    r.steps_started = static_cast<int>(q.integer(12));
    r.steps_done = static_cast<int>(q.integer(13));
    r.steps_failed = static_cast<int>(q.integer(14));
    r.steps_skipped = static_cast<int>(q.integer(15));
    return r;
}

const char* const step_columns =
    "SELECT id, run_id, position, step_id, kind, stack, status, started_ms, ended_ms, message FROM steps ";

StepRecord read_step(const Statement& q) {
    StepRecord s;
    s.id = q.integer(0);
    s.run_id = q.integer(1);
    s.position = static_cast<int>(q.integer(2));
    s.step_id = q.text(3);
    s.kind = q.text(4);
    s.stack = q.text(5);
    s.status = from_name(step_status_names, q.text(6), StepStatus::pending);
    s.started_ms = q.optional_integer(7);
    s.ended_ms = q.optional_integer(8);
    s.message = q.text(9);
    return s;
}

const char* const action_columns =
    "SELECT a.id, a.step_row, a.kind, a.name, a.aws_id, a.state, a.intended_ms, a.started_ms, a.ended_ms, a.message "
    "FROM actions a JOIN steps s ON s.id = a.step_row ";

ActionRecord read_action(const Statement& q) {
    ActionRecord a;
    a.id = q.integer(0);
    a.step_row = q.integer(1);
    a.kind = q.text(2);
    a.name = q.text(3);
    a.aws_id = q.text(4);
    a.state = from_name(action_state_names, q.text(5), ActionState::intended);
    a.intended_ms = q.integer(6);
    a.started_ms = q.optional_integer(7);
    a.ended_ms = q.optional_integer(8);
    a.message = q.text(9);
    return a;
}

}  // namespace

std::string_view run_outcome_name(RunOutcome outcome) { return run_outcome_names[static_cast<int>(outcome)]; }
std::string_view step_status_name(StepStatus status) { return step_status_names[static_cast<int>(status)]; }
std::string_view action_state_name(ActionState state) { return action_state_names[static_cast<int>(state)]; }

// The crash test's hook (tests/apply/apply_crash_test.cpp): with
// STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES=N in the environment, the process kills itself with
// SIGKILL as soon as its Nth journal write has returned, the harshest moment a real crash can
// pick: the record is durable and the side effect it announces has not been attempted (or has
// ended and nothing after it is recorded yet).
void Journal::written() {
    static const long crash_after = [] {
        const char* value = std::getenv("STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES");
        return value == nullptr ? 0L : std::strtol(value, nullptr, 10);
    }();
    static long writes = 0;
    if (crash_after > 0 && ++writes == crash_after) ::raise(SIGKILL);
}

std::int64_t system_time_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_utc(std::int64_t ms) {
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::vector<StepEntry> journal_steps(const plan::Plan& plan) {
    std::vector<StepEntry> entries;
    for (const auto& hop : plan.hops) {
        for (const auto& step : hop.steps) {
            entries.push_back({step.id, std::string(plan::step_kind_name(step.kind)), step.stack, step.switches_off,
                               step.switches_on});
        }
    }
    return entries;
}

Journal::Journal(const std::string& path, JournalAccess access, JournalClock clock)
    : m_path(path), m_clock(std::move(clock)) {
    try {
        open_checked(access);
    } catch (...) {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

Journal::~Journal() { sqlite3_close(m_db); }

// Opens the file and makes sure it is a journal this build understands before writing
// anything: a file that is not ours is left exactly as it was.
void Journal::open_checked(JournalAccess access) {
    bool in_memory = m_path == in_memory_journal;
    struct stat info {};
    bool exists = !in_memory && ::stat(m_path.c_str(), &info) == 0;
    if (access == JournalAccess::read_existing && !exists) {
        throw InputError("no journal at " + quote(m_path) +
                         "; give the file 'stackshift apply' wrote with --journal FILE (by default " +
                         std::string(default_journal_file) + " in the folder it ran in)");
    }
    if (exists && !S_ISREG(info.st_mode)) throw InputError(not_a_journal(m_path, "not a regular file"));
    int flags = access == JournalAccess::read_existing ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(m_path.c_str(), &m_db, flags, nullptr) != SQLITE_OK) fail(m_db, m_path, "open the file");
    sqlite3_busy_timeout(m_db, 10000);

    // Identify: an empty database becomes a journal; anything else must carry our marks.
    std::int64_t tables = 0;
    bool ours = false;
    try {
        Statement q(m_db, m_path,
                    "SELECT count(*), coalesce(sum(name = 'stackshift_journal'), 0) FROM sqlite_master WHERE type = 'table'");
        if (!q.next("read the file")) fail(m_db, m_path, "read the file");
        tables = q.integer(0);
        ours = q.integer(1) > 0;
    } catch (const Error&) {
        if (sqlite3_errcode(m_db) == SQLITE_NOTADB) throw InputError(not_a_journal(m_path, "not an SQLite database"));
        throw;
    }
    if (tables == 0 && access == JournalAccess::read_existing) throw InputError(not_a_journal(m_path, "it holds no runs table"));
    if (tables > 0 && !ours) throw InputError(not_a_journal(m_path, "an SQLite database of something else"));
    if (ours) {
        int version = schema_version();
        if (version > journal_schema_version) {
            throw InputError("the journal " + quote(m_path) + " has schema version " + std::to_string(version) +
                             ", newer than this stackshift understands (" + std::to_string(journal_schema_version) +
                             "); use the stackshift release that wrote it, or a newer one");
        }
        m_schema = version;
    }
    exec(m_db, m_path, "PRAGMA foreign_keys = ON", "turn on foreign keys");
    if (access == JournalAccess::read_existing) return;

    // Durability: WAL, and every commit synced to disk before it returns. A journal in memory
    // has nothing to sync and ends with its process.
    if (in_memory) {
        create_schema();
        return;
    }
    {
        Statement q(m_db, m_path, "PRAGMA journal_mode = WAL");
        if (!q.next("switch to WAL") || q.text(0) != "wal") fail(m_db, m_path, "switch to WAL mode");
    }
    exec(m_db, m_path, "PRAGMA synchronous = FULL", "set synchronous = FULL");
    if (!ours) create_schema();
    else if (m_schema < journal_schema_version) upgrade_schema();
}

// Schema 1 -> 2: runs gain the outcome 'interrupted' and elapsed_s. SQLite cannot change a
// CHECK constraint in place, so the runs table is rebuilt (SQLite's documented procedure for
// other kinds of table schema changes: foreign keys off, then new table, copy, drop and rename in
// one transaction). The ids are kept, so the steps still point at their runs.
void Journal::upgrade_schema() {
    exec(m_db, m_path, "PRAGMA foreign_keys = OFF", "turn off foreign keys for the upgrade");
    {
        Transaction t(m_db, m_path);
        // Another process may have upgraded it meanwhile. (The statement must be finished
        // before the DROP: SQLite refuses to drop a table a running statement reads.)
        if (schema_version() < 2) {
            std::string upgrade = runs_table_sql("runs_v2") + R"sql(
INSERT INTO runs_v2 (id, deployment, plan_fingerprint, from_version, to_version, started_ms, ended_ms, outcome, message, resumes)
    SELECT id, deployment, plan_fingerprint, from_version, to_version, started_ms, ended_ms, outcome, message, resumes FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;
CREATE INDEX runs_by_plan ON runs (deployment, plan_fingerprint);
)sql";
            exec(m_db, m_path, upgrade.c_str(), "upgrade the schema to version 2");
            Statement insert(m_db, m_path, "INSERT INTO stackshift_journal (schema_version, created_ms) VALUES (?, ?)");
            insert.bind(2, m_clock()).run("upgrade the schema");
        }
        // Schema 2 -> 3: a new table; the runs before it recorded no switches.
        if (schema_version() < 3) {
            exec(m_db, m_path, switches_sql, "upgrade the schema to version 3");
            Statement insert(m_db, m_path, "INSERT INTO stackshift_journal (schema_version, created_ms) VALUES (?, ?)");
            insert.bind(3, m_clock()).run("upgrade the schema");
        }
        t.commit();
    }
    exec(m_db, m_path, "PRAGMA foreign_keys = ON", "turn on foreign keys");
    m_schema = journal_schema_version;
}

void Journal::create_schema() {
    Transaction t(m_db, m_path);
    // Another process may have created it between our check and this transaction.
    Statement check(m_db, m_path, "SELECT count(*) FROM sqlite_master WHERE name = 'stackshift_journal'");
    check.next();
    if (check.integer(0) == 0) {
        exec(m_db, m_path, (runs_table_sql("runs") + schema_sql + switches_sql).c_str(), "create the schema");
        m_schema = journal_schema_version;
        Statement insert(m_db, m_path, "INSERT INTO stackshift_journal (schema_version, created_ms) VALUES (?, ?)");
        insert.bind(journal_schema_version, m_clock()).run("create the schema");
        exec(m_db, m_path, ("PRAGMA application_id = " + std::to_string(application_id)).c_str(), "mark the file");
    }
    t.commit();
}

int Journal::schema_version() const {
    Statement q(m_db, m_path, "SELECT max(schema_version) FROM stackshift_journal");
    q.next();
    return static_cast<int>(q.integer(0));
}

std::string Journal::journal_mode() const {
    Statement q(m_db, m_path, "PRAGMA journal_mode");
    q.next();
    return q.text(0);
}

std::int64_t Journal::begin_run(const RunStart& start, const std::vector<StepEntry>& steps) {
    Transaction t(m_db, m_path);
    Statement q(m_db, m_path,
                "INSERT INTO runs (deployment, plan_fingerprint, from_version, to_version, started_ms, outcome) "
                "VALUES (?, ?, ?, ?, ?, 'running')");
    q.bind(start.deployment, start.plan_fingerprint, start.from, start.to, m_clock()).run("record a run");
    std::int64_t run_id = sqlite3_last_insert_rowid(m_db);
    insert_steps(run_id, steps);
    t.commit();
    written();
    return run_id;
}

void Journal::end_run(std::int64_t run_id, RunOutcome outcome, std::string_view message) {
    Statement q(m_db, m_path, "UPDATE runs SET outcome = ?, ended_ms = ?, message = ? WHERE id = ?");
    q.bind(run_outcome_name(outcome), m_clock(), message, run_id).run("record the end of a run");
    written();
}

void Journal::record_elapsed(std::int64_t run_id, std::int64_t elapsed_s) {
    Statement q(m_db, m_path, "UPDATE runs SET elapsed_s = ? WHERE id = ?");
    q.bind(elapsed_s, run_id).run("record the elapsed time of a run");
    written();
}

void Journal::reopen_run(std::int64_t run_id) {
    Statement q(m_db, m_path,
                "UPDATE runs SET outcome = 'running', ended_ms = NULL, message = '', resumes = resumes + 1 WHERE id = ?");
    q.bind(run_id).run("record a resume");
    written();
}

void Journal::add_steps(std::int64_t run_id, const std::vector<StepEntry>& steps) {
    Transaction t(m_db, m_path);
    insert_steps(run_id, steps);
    t.commit();
    written();
}

void Journal::insert_steps(std::int64_t run_id, const std::vector<StepEntry>& steps) {
    Statement q(m_db, m_path,
                "INSERT INTO steps (run_id, position, step_id, kind, stack, status) VALUES (?, ?, ?, ?, ?, 'pending')");
    Statement sw(m_db, m_path, "INSERT INTO switches (run_id, step_id, procedure, stack, direction) VALUES (?, ?, ?, ?, ?)");
    int position = 0;
    for (const auto& step : steps) {
        q.bind(run_id, ++position, step.step_id, step.kind, step.stack).run("record the steps");
        q.reset();
        for (const auto& [procedure, direction] : {std::pair{&step.switches_off, "off"}, std::pair{&step.switches_on, "on"}}) {
            if (procedure->empty()) continue;
            sw.bind(run_id, step.step_id, *procedure, step.stack, direction).run("record a switch");
            sw.reset();
        }
    }
}

std::int64_t Journal::step_row(std::int64_t run_id, std::string_view step_id) const {
    Statement q(m_db, m_path, "SELECT id FROM steps WHERE run_id = ? AND step_id = ?");
    q.bind(run_id, step_id);
    if (!q.next()) {
        throw Error(ExitCode::failure, "the journal " + quote(m_path) + " has no step " + quote(step_id) + " in run " +
                                           std::to_string(run_id));
    }
    return q.integer(0);
}

void Journal::start_step(std::int64_t run_id, std::string_view step_id) {
    std::int64_t row = step_row(run_id, step_id);
    Statement q(m_db, m_path,
                "UPDATE steps SET status = 'started', started_ms = coalesce(started_ms, ?), ended_ms = NULL WHERE id = ?");
    q.bind(m_clock(), row).run("record the start of a step");
    written();
}

void Journal::finish_step(std::int64_t run_id, std::string_view step_id, StepStatus status, std::string_view message) {
    std::int64_t row = step_row(run_id, step_id);
    Statement q(m_db, m_path, "UPDATE steps SET status = ?, ended_ms = ?, message = ? WHERE id = ?");
    q.bind(step_status_name(status), m_clock(), message, row).run("record the end of a step");
    written();
}

std::int64_t Journal::intend_action(std::int64_t run_id, std::string_view step_id, std::string_view kind,
                                    std::string_view name) {
    std::int64_t row = step_row(run_id, step_id);
    Statement q(m_db, m_path,
                "INSERT INTO actions (step_row, kind, name, state, intended_ms) VALUES (?, ?, ?, 'intended', ?)");
    q.bind(row, kind, name, m_clock()).run("record an action");
    std::int64_t id = sqlite3_last_insert_rowid(m_db);
    written();
    return id;
}

void Journal::action_started(std::int64_t action_id, std::string_view aws_id) {
    Statement q(m_db, m_path, "UPDATE actions SET state = 'started', aws_id = ?, started_ms = ? WHERE id = ?");
    q.bind(aws_id, m_clock(), action_id).run("record the start of an action");
    written();
}

void Journal::finish_action(std::int64_t action_id, ActionState state, std::string_view message) {
    Statement q(m_db, m_path, "UPDATE actions SET state = ?, ended_ms = ?, message = ? WHERE id = ?");
    q.bind(action_state_name(state), m_clock(), message, action_id).run("record the end of an action");
    written();
}

std::vector<RunRecord> Journal::runs() const {
    Statement q(m_db, m_path, run_columns(m_schema) + "ORDER BY r.id DESC");
    std::vector<RunRecord> result;
    while (q.next()) result.push_back(read_run(q));
    return result;
}

std::optional<RunRecord> Journal::run(std::int64_t run_id) const {
    Statement q(m_db, m_path, run_columns(m_schema) + "WHERE r.id = ?");
    q.bind(run_id);
    if (!q.next()) return std::nullopt;
    return read_run(q);
}

std::optional<RunRecord> Journal::latest_unfinished_run(std::string_view deployment, std::string_view fingerprint) const {
    Statement q(m_db, m_path,
                run_columns(m_schema) +
                    "WHERE r.deployment = ? AND r.plan_fingerprint = ? AND r.outcome NOT IN ('succeeded', 'abandoned') "
                    "ORDER BY r.id DESC LIMIT 1");
    q.bind(deployment, fingerprint);
    if (!q.next()) return std::nullopt;
    return read_run(q);
}

std::vector<StepRecord> Journal::steps(std::int64_t run_id) const {
    Statement q(m_db, m_path, std::string(step_columns) + "WHERE run_id = ? ORDER BY position");
    q.bind(run_id);
    std::vector<StepRecord> result;
    while (q.next()) result.push_back(read_step(q));
    return result;
}

std::optional<StepRecord> Journal::step(std::int64_t run_id, std::string_view step_id) const {
    Statement q(m_db, m_path, std::string(step_columns) + "WHERE run_id = ? AND step_id = ?");
    q.bind(run_id, step_id);
    if (!q.next()) return std::nullopt;
    return read_step(q);
}

std::vector<ActionRecord> Journal::actions(std::int64_t run_id, std::string_view step_id) const {
    Statement q(m_db, m_path, std::string(action_columns) + "WHERE s.run_id = ? AND s.step_id = ? ORDER BY a.id");
    q.bind(run_id, step_id);
    std::vector<ActionRecord> result;
    while (q.next()) result.push_back(read_action(q));
    return result;
}

std::vector<ActionRecord> Journal::actions_of_run(std::int64_t run_id) const {
    Statement q(m_db, m_path, std::string(action_columns) + "WHERE s.run_id = ? ORDER BY a.id");
    q.bind(run_id);
    std::vector<ActionRecord> result;
    while (q.next()) result.push_back(read_action(q));
    return result;
}

// The latest switch-off of each procedure and stack whose step was done or started (a failed
// one was rolled back), unless a switch-on of the same procedure and stack was done after it:
// later in the same run, or in a later run.
std::vector<SwitchRecord> Journal::switched_off(std::string_view deployment, std::int64_t before_run) const {
    if (m_schema < 3) return {};
    Statement q(m_db, m_path, R"sql(
SELECT w.procedure, w.stack, w.run_id, w.step_id
FROM switches w
JOIN steps s ON s.run_id = w.run_id AND s.step_id = w.step_id
JOIN runs r ON r.id = w.run_id
WHERE r.deployment = ?1 AND r.id < ?2 AND w.direction = 'off' AND s.status IN ('done', 'started')
  AND NOT EXISTS (
    SELECT 1 FROM switches w2
    JOIN steps s2 ON s2.run_id = w2.run_id AND s2.step_id = w2.step_id
    JOIN runs r2 ON r2.id = w2.run_id
    WHERE r2.deployment = ?1 AND r2.id < ?2 AND w2.direction = 'on' AND s2.status = 'done'
      AND w2.procedure = w.procedure AND w2.stack = w.stack
      AND (w2.run_id > w.run_id OR (w2.run_id = w.run_id AND s2.position > s.position)))
ORDER BY w.run_id DESC, s.position DESC
)sql");
    q.bind(deployment, before_run);
    std::vector<SwitchRecord> result;
    while (q.next()) {
        SwitchRecord record{q.text(0), q.text(1), q.integer(2), q.text(3)};
        bool seen = std::any_of(result.begin(), result.end(), [&](const SwitchRecord& r) {
            return r.procedure == record.procedure && r.stack == record.stack;
        });
        if (!seen) result.push_back(std::move(record));
    }
    // In the order the runs switched them off.
    std::reverse(result.begin(), result.end());
    return result;
}

std::string_view action_kind_name(ActionKind kind) {
    switch (kind) {
    case ActionKind::create_change_set: return "create-change-set";
    case ActionKind::execute_change_set: return "execute-change-set";
    case ActionKind::update_stack: return "update-stack";
    case ActionKind::delete_stack: return "delete-stack";
    case ActionKind::run_task: return "run-task";
    case ActionKind::create_snapshot: return "create-snapshot";
    case ActionKind::create_db_cluster_snapshot: return "create-db-cluster-snapshot";
    case ActionKind::terminate_instance: return "terminate-instance";
    case ActionKind::upload_template: return "upload-template";
    case ActionKind::start_instance_refresh: return "start-instance-refresh";
    }
    return "unknown";
}

}  // namespace stackshift::apply
