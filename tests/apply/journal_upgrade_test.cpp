// A journal written by schema 1 (before runs could end interrupted and kept their elapsed
// time): opened for writing it is upgraded to schema 2 with its runs, steps and actions kept;
// opened for reading it is left as it is and read with an elapsed time of 0.

#include <sqlite3.h>

#include "apply/journal.hpp"
#include "test_support.hpp"

namespace stackshift::apply {
namespace {

// The tables as schema 1 created them, with one failed run, its step and an action.
const char* const schema_1_journal = R"sql(
CREATE TABLE stackshift_journal (schema_version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, deployment TEXT NOT NULL, plan_fingerprint TEXT NOT NULL,
    from_version TEXT NOT NULL, to_version TEXT NOT NULL, started_ms INTEGER NOT NULL, ended_ms INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'stopped', 'abandoned')),
    message TEXT NOT NULL DEFAULT '', resumes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX runs_by_plan ON runs (deployment, plan_fingerprint);
CREATE TABLE steps (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs (id), position INTEGER NOT NULL,
    step_id TEXT NOT NULL, kind TEXT NOT NULL, stack TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'started', 'done', 'failed', 'skipped')),
    started_ms INTEGER, ended_ms INTEGER, message TEXT NOT NULL DEFAULT '', UNIQUE (run_id, step_id));
CREATE TABLE actions (
    id INTEGER PRIMARY KEY, step_row INTEGER NOT NULL REFERENCES steps (id), kind TEXT NOT NULL, name TEXT NOT NULL,
    aws_id TEXT NOT NULL DEFAULT '', state TEXT NOT NULL CHECK (state IN ('intended', 'started', 'done', 'failed')),
    intended_ms INTEGER NOT NULL, started_ms INTEGER, ended_ms INTEGER, message TEXT NOT NULL DEFAULT '');
CREATE INDEX actions_by_step ON actions (step_row);
INSERT INTO stackshift_journal VALUES (1, 1000);
INSERT INTO runs VALUES (7, 'prod.json', 'f1', '3.14.2', '3.15.1', 1000, 2000, 'failed', 'rolled back', 1);
INSERT INTO steps VALUES (3, 7, 1, 'h1-01-update-stack-a', 'update-stack', 'a', 'started', 1000, NULL, '');
INSERT INTO actions VALUES (5, 3, 'execute-change-set', 'cs-1', 'arn:cs-1', 'started', 1000, 1100, NULL, '');
)sql";

void write_schema_1(const std::string& path) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, schema_1_journal, nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
}

TEST(JournalUpgrade, Schema1IsUpgradedKeepingItsRunsAndTakesAnInterruptedRun) {
    testing::TempDir dir;
    std::string path = dir.file("old.db");
    write_schema_1(path);
    Journal journal(path);
    EXPECT_EQ(journal.schema_version(), 3);
    auto run = journal.run(7);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->outcome, RunOutcome::failed);
    EXPECT_EQ(run->message, "rolled back");
    EXPECT_EQ(run->resumes, 1);
    EXPECT_EQ(run->elapsed_s, 0);
    EXPECT_EQ(run->steps_started, 1);
    auto actions = journal.actions_of_run(7);
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].aws_id, "arn:cs-1");

    journal.reopen_run(7);
    journal.record_elapsed(7, 125);
    journal.end_run(7, RunOutcome::interrupted, "interrupted by SIGINT");
    EXPECT_EQ(journal.run(7)->outcome, RunOutcome::interrupted);
    EXPECT_EQ(journal.run(7)->elapsed_s, 125);
    EXPECT_EQ(journal.latest_unfinished_run("prod.json", "f1")->id, 7) << "an interrupted run can be resumed";
    // After the upgrade a new run is numbered after the old ones and takes its steps.
    std::int64_t next = journal.begin_run({"prod.json", "f2", "3.14.2", "3.15.1"}, {{"h1-01-preflight", "preflight", ""}});
    EXPECT_GT(next, 7);
    EXPECT_EQ(journal.steps(next).size(), 1u);
}

TEST(JournalUpgrade, Schema1OpenedForReadingIsNotWritten) {
    testing::TempDir dir;
    std::string path = dir.file("old.db");
    write_schema_1(path);
    std::string before = testing::read_text(path);
    {
        Journal journal(path, JournalAccess::read_existing);
        EXPECT_EQ(journal.schema_version(), 1);
        ASSERT_EQ(journal.runs().size(), 1u);
        EXPECT_EQ(journal.runs()[0].elapsed_s, 0);
    }
    EXPECT_EQ(testing::read_text(path), before);
}

// Schema 2 as it was: runs with 'interrupted' and elapsed_s, no switches table; one failed run.
const char* const schema_2_journal = R"sql(
CREATE TABLE stackshift_journal (schema_version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, deployment TEXT NOT NULL, plan_fingerprint TEXT NOT NULL,
    from_version TEXT NOT NULL, to_version TEXT NOT NULL, started_ms INTEGER NOT NULL, ended_ms INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'stopped', 'abandoned', 'interrupted')),
    message TEXT NOT NULL DEFAULT '', resumes INTEGER NOT NULL DEFAULT 0, elapsed_s INTEGER NOT NULL DEFAULT 0);
CREATE INDEX runs_by_plan ON runs (deployment, plan_fingerprint);
CREATE TABLE steps (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs (id), position INTEGER NOT NULL,
    step_id TEXT NOT NULL, kind TEXT NOT NULL, stack TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'started', 'done', 'failed', 'skipped')),
    started_ms INTEGER, ended_ms INTEGER, message TEXT NOT NULL DEFAULT '', UNIQUE (run_id, step_id));
CREATE TABLE actions (
    id INTEGER PRIMARY KEY, step_row INTEGER NOT NULL REFERENCES steps (id), kind TEXT NOT NULL, name TEXT NOT NULL,
    aws_id TEXT NOT NULL DEFAULT '', state TEXT NOT NULL CHECK (state IN ('intended', 'started', 'done', 'failed')),
    intended_ms INTEGER NOT NULL, started_ms INTEGER, ended_ms INTEGER, message TEXT NOT NULL DEFAULT '');
CREATE INDEX actions_by_step ON actions (step_row);
INSERT INTO stackshift_journal VALUES (1, 1000);
INSERT INTO stackshift_journal VALUES (2, 1500);
INSERT INTO runs VALUES (4, 'sim:w.json', 'f1', '3.14.2', '3.15.1', 1000, 2000, 'interrupted', 'interrupted by SIGINT', 0, 42);
INSERT INTO steps VALUES (3, 4, 1, 'h1-02-set-parameters-5-2-ecs-ops-storage-off', 'set-parameters', 'acme-5-2-ecs-ops', 'done', 1000, 1100, '');
)sql";

void write_sql(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
}

// Schema 2 -> 3: the switches table is added; the runs before it recorded none, so nothing is
// said to be left off by them, and a new run records its switches.
TEST(JournalUpgrade, Schema2IsUpgradedTo3KeepingItsRunsAndRecordsSwitchesAfter) {
    testing::TempDir dir;
    std::string path = dir.file("old.db");
    write_sql(path, schema_2_journal);
    Journal journal(path);
    EXPECT_EQ(journal.schema_version(), 3);
    auto run = journal.run(4);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->outcome, RunOutcome::interrupted);
    EXPECT_EQ(run->elapsed_s, 42);
    EXPECT_EQ(journal.steps(4).size(), 1u);
    EXPECT_TRUE(journal.switched_off("sim:w.json").empty()) << "schema 2 recorded no switches";

    std::int64_t next = journal.begin_run({"sim:w.json", "f2", "3.14.2", "3.15.1"},
                                          {{"h1-02-set-parameters-5-4-ecs-services-storage-off", "set-parameters",
                                            "acme-5-4-ecs-services", "storage-integration", ""}});
    EXPECT_GT(next, 4);
    journal.start_step(next, "h1-02-set-parameters-5-4-ecs-services-storage-off");
    journal.finish_step(next, "h1-02-set-parameters-5-4-ecs-services-storage-off", StepStatus::done);
    auto off = journal.switched_off("sim:w.json");
    ASSERT_EQ(off.size(), 1u);
    EXPECT_EQ(off[0].stack, "acme-5-4-ecs-services");
    EXPECT_EQ(off[0].run_id, next);
}

TEST(JournalUpgrade, Schema2OpenedForReadingIsNotWrittenAndTellsNoSwitches) {
    testing::TempDir dir;
    std::string path = dir.file("old.db");
    write_sql(path, schema_2_journal);
    std::string before = testing::read_text(path);
    {
        Journal journal(path, JournalAccess::read_existing);
        EXPECT_EQ(journal.schema_version(), 2);
        EXPECT_TRUE(journal.switched_off("sim:w.json").empty());
        EXPECT_EQ(journal.runs().size(), 1u);
    }
    EXPECT_EQ(testing::read_text(path), before);
}

// Schema 1 goes through 2 to 3 in one upgrade.
TEST(JournalUpgrade, Schema1IsUpgradedTo3AndRecordsSwitches) {
    testing::TempDir dir;
    std::string path = dir.file("old.db");
    write_schema_1(path);
    Journal journal(path);
    EXPECT_EQ(journal.schema_version(), 3);
    std::int64_t run = journal.begin_run({"prod.json", "f2", "3.14.2", "3.15.1"},
                                         {{"h1-01-set-parameters-5-2-ecs-ops-storage-off", "set-parameters",
                                           "acme-5-2-ecs-ops", "storage-integration", ""}});
    journal.start_step(run, "h1-01-set-parameters-5-2-ecs-ops-storage-off");
    EXPECT_EQ(journal.switched_off("prod.json").size(), 1u);
}

TEST(JournalUpgrade, InterruptedHasItsName) { EXPECT_EQ(run_outcome_name(RunOutcome::interrupted), "interrupted"); }

}  // namespace
}  // namespace stackshift::apply
