// The journal: schema, the records of a run, the queries a resume asks, refusals.

#include <sqlite3.h>

#include <filesystem>

#include "apply/journal.hpp"
#include "core/fingerprint.hpp"
#include "plan/plan.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace stackshift::apply {
namespace {

using stackshift::testing::TempDir;

// 2024-05-01T12:00:00Z, one second later at every timestamp asked.
struct FakeClock {
    std::int64_t now = 1714564800000;
    JournalClock clock() {
        return [this] { return now += 1000; };
    }
};

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return std::to_string(static_cast<int>(e.code())) + ": " + e.what();
    }
    return "(no error)";
}

void run_sql(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
}

const std::vector<StepEntry> three_steps{
    {"h1-01-preflight", "preflight", ""},
    {"h1-02-update-stack-5-2-ecs-ops", "update-stack", "5-2-ecs-ops"},
    {"h1-03-run-migration", "run-migration", "5-2-ecs-ops"},
};

TEST(JournalTest, CreatesTheSchemaInWalModeAndReopensIt) {
    TempDir dir;
    std::string path = dir.file("j.db");
    {
        Journal journal(path);
        EXPECT_EQ(journal.journal_mode(), "wal");
        EXPECT_EQ(journal.schema_version(), journal_schema_version);
        journal.begin_run({"deployment.json", "abc", "3.14.2", "3.15.1"});
    }
    Journal again(path);
    EXPECT_EQ(again.journal_mode(), "wal");
    ASSERT_EQ(again.runs().size(), 1U);
    EXPECT_EQ(again.runs()[0].deployment, "deployment.json");
    Journal reader(path, JournalAccess::read_existing);
    EXPECT_EQ(reader.runs().size(), 1U);
}

TEST(JournalTest, RecordsTheSequenceOfARun) {
    TempDir dir;
    FakeClock time;
    Journal journal(dir.file("j.db"), JournalAccess::create_or_open, time.clock());  // 12:00:01: created
    std::int64_t run = journal.begin_run({"deployment.json", fingerprint("{}"), "3.14.2", "3.15.1"});
    journal.add_steps(run, three_steps);

    journal.start_step(run, "h1-01-preflight");
    journal.finish_step(run, "h1-01-preflight", StepStatus::done);
    journal.start_step(run, "h1-02-update-stack-5-2-ecs-ops");
    std::int64_t create = journal.intend_action(run, "h1-02-update-stack-5-2-ecs-ops", "create-change-set", "stackshift-h1-02");
    journal.action_started(create, "arn:aws:cloudformation:eu-west-1:1:changeSet/stackshift-h1-02/1");
    journal.finish_action(create, ActionState::done);
    std::int64_t execute = journal.intend_action(run, "h1-02-update-stack-5-2-ecs-ops", "execute-change-set", "stackshift-h1-02");
    journal.action_started(execute, "arn:aws:cloudformation:eu-west-1:1:changeSet/stackshift-h1-02/1");
    journal.finish_action(execute, ActionState::failed, "UPDATE_ROLLBACK_COMPLETE");
    journal.finish_step(run, "h1-02-update-stack-5-2-ecs-ops", StepStatus::failed, "the stack rolled back");
    journal.end_run(run, RunOutcome::failed, "stopped at h1-02");

    auto record = journal.run(run);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->outcome, RunOutcome::failed);
    EXPECT_EQ(record->message, "stopped at h1-02");
    EXPECT_EQ(record->started_ms, 1714564802000);
    EXPECT_EQ(record->ended_ms, 1714564813000);
    EXPECT_EQ(record->steps_total(), 3);
    EXPECT_EQ(record->steps_done, 1);
    EXPECT_EQ(record->steps_failed, 1);
    EXPECT_EQ(record->steps_pending, 1);

    auto steps = journal.steps(run);
    ASSERT_EQ(steps.size(), 3U);
    EXPECT_EQ(steps[1].position, 2);
    EXPECT_EQ(steps[1].kind, "update-stack");
    EXPECT_EQ(steps[1].stack, "5-2-ecs-ops");
    EXPECT_EQ(steps[1].status, StepStatus::failed);
    EXPECT_EQ(steps[1].message, "the stack rolled back");
    EXPECT_EQ(steps[1].started_ms, 1714564805000);
    EXPECT_EQ(steps[1].ended_ms, 1714564812000);
    EXPECT_EQ(steps[2].status, StepStatus::pending);
    EXPECT_FALSE(steps[2].started_ms);

    auto actions = journal.actions(run, "h1-02-update-stack-5-2-ecs-ops");
    ASSERT_EQ(actions.size(), 2U);
    EXPECT_EQ(actions[0].kind, "create-change-set");
    EXPECT_EQ(actions[0].name, "stackshift-h1-02");
    EXPECT_EQ(actions[0].aws_id, "arn:aws:cloudformation:eu-west-1:1:changeSet/stackshift-h1-02/1");
    EXPECT_EQ(actions[0].state, ActionState::done);
    EXPECT_EQ(actions[0].intended_ms, 1714564806000);
    EXPECT_EQ(actions[0].started_ms, 1714564807000);
    EXPECT_EQ(actions[0].ended_ms, 1714564808000);
    EXPECT_EQ(actions[1].state, ActionState::failed);
    EXPECT_EQ(actions[1].message, "UPDATE_ROLLBACK_COMPLETE");
    EXPECT_TRUE(journal.actions(run, "h1-01-preflight").empty());
    EXPECT_EQ(journal.actions_of_run(run).size(), 2U);
}

TEST(JournalTest, ActionsTellAResumeWhatHappened) {
    TempDir dir;
    Journal journal(dir.file("j.db"));
    std::int64_t run = journal.begin_run({"d", "f", "1.0.0", "2.0.0"});
    journal.add_steps(run, three_steps);
    journal.start_step(run, "h1-03-run-migration");
    std::int64_t task = journal.intend_action(run, "h1-03-run-migration", "run-task", "migrate-db");
    // Killed here: the task may or may not have been started; there is no id to re-attach to.
    auto actions = journal.actions(run, "h1-03-run-migration");
    ASSERT_EQ(actions.size(), 1U);
    EXPECT_EQ(actions[0].state, ActionState::intended);
    EXPECT_EQ(actions[0].aws_id, "");
    journal.action_started(task, "arn:aws:ecs:eu-west-1:1:task/c/0123");
    // Killed here: re-attach to the task by its ARN.
    actions = journal.actions(run, "h1-03-run-migration");
    EXPECT_EQ(actions[0].state, ActionState::started);
    EXPECT_EQ(actions[0].aws_id, "arn:aws:ecs:eu-west-1:1:task/c/0123");
    EXPECT_FALSE(actions[0].ended_ms);
    EXPECT_EQ(journal.step(run, "h1-03-run-migration")->status, StepStatus::started);
    EXPECT_FALSE(journal.step(run, "h9-unknown"));
}

TEST(JournalTest, ResumeFindsTheLatestUnfinishedRunWithTheSamePlan) {
    TempDir dir;
    Journal journal(dir.file("j.db"));
    std::string plan_a = fingerprint("{\"plan\": \"a\"}");
    std::string plan_b = fingerprint("{\"plan\": \"b\"}");
    std::int64_t failed = journal.begin_run({"prod.json", plan_a, "3.14.2", "3.15.1"});
    journal.end_run(failed, RunOutcome::failed, "rolled back");
    std::int64_t killed = journal.begin_run({"prod.json", plan_a, "3.14.2", "3.15.1"});
    std::int64_t other_plan = journal.begin_run({"prod.json", plan_b, "3.14.2", "3.16.0"});
    std::int64_t other_deployment = journal.begin_run({"staging.json", plan_a, "3.14.2", "3.15.1"});
    (void)other_plan;
    (void)other_deployment;

    auto found = journal.latest_unfinished_run("prod.json", plan_a);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, killed);
    EXPECT_FALSE(journal.latest_unfinished_run("prod.json", fingerprint("{\"plan\": \"c\"}")));
    EXPECT_FALSE(journal.latest_unfinished_run("dev.json", plan_a));

    // A run that was abandoned or succeeded is not resumed; the failed one before it is.
    journal.end_run(killed, RunOutcome::abandoned, "replaced by a new run");
    EXPECT_EQ(journal.latest_unfinished_run("prod.json", plan_a)->id, failed);
    journal.reopen_run(failed);
    auto reopened = journal.run(failed);
    EXPECT_EQ(reopened->outcome, RunOutcome::running);
    EXPECT_FALSE(reopened->ended_ms);
    EXPECT_EQ(reopened->resumes, 1);
    journal.end_run(failed, RunOutcome::succeeded);
    EXPECT_FALSE(journal.latest_unfinished_run("prod.json", plan_a));

    auto runs = journal.runs();
    ASSERT_EQ(runs.size(), 4U);
    EXPECT_EQ(runs.front().id, other_deployment);  // newest first
}

TEST(JournalTest, RefusesAFileThatIsNotAnSqliteDatabaseAndLeavesItAlone) {
    TempDir dir;
    std::string path = dir.write("notes.txt", std::string(200, 'x') + "\n");
    EXPECT_EQ(error_of([&] { Journal j(path); }),
              "2: '" + path +
                  "' is not a stackshift journal (not an SQLite database); give the journal file that 'stackshift apply' "
                  "wrote with --journal FILE, or move this file away");
    EXPECT_EQ(stackshift::testing::read_text(path), std::string(200, 'x') + "\n");
}

TEST(JournalTest, RefusesAnSqliteDatabaseOfSomethingElse) {
    TempDir dir;
    std::string path = dir.file("other.db");
    run_sql(path, "CREATE TABLE things (id INTEGER)");
    EXPECT_EQ(error_of([&] { Journal j(path); }),
              "2: '" + path +
                  "' is not a stackshift journal (an SQLite database of something else); give the journal file that "
                  "'stackshift apply' wrote with --journal FILE, or move this file away");
}

TEST(JournalTest, RefusesANewerSchema) {
    TempDir dir;
    std::string path = dir.file("j.db");
    { Journal j(path); }
    run_sql(path, "UPDATE stackshift_journal SET schema_version = 7");
    EXPECT_EQ(error_of([&] { Journal j(path); }),
              "2: the journal '" + path +
                  "' has schema version 7, newer than this stackshift understands (3); use the stackshift release that "
                  "wrote it, or a newer one");
}

TEST(JournalTest, ReadingAMissingJournalCreatesNothing) {
    TempDir dir;
    std::string path = dir.file("missing.db");
    EXPECT_EQ(error_of([&] { Journal j(path, JournalAccess::read_existing); }),
              "2: no journal at '" + path +
                  "'; give the file 'stackshift apply' wrote with --journal FILE (by default stackshift-journal.db in "
                  "the folder it ran in)");
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JournalTest, UnknownStepIsAnError) {
    TempDir dir;
    std::string path = dir.file("j.db");
    Journal journal(path);
    std::int64_t run = journal.begin_run({"d", "f", "1.0.0", "2.0.0"});
    EXPECT_EQ(error_of([&] { journal.start_step(run, "h1-99-nothing"); }),
              "1: the journal '" + path + "' has no step 'h1-99-nothing' in run " + std::to_string(run));
}

TEST(JournalTest, StepsTakeTheirKindsFromThePlan) {
    plan::Plan plan;
    plan.hops.resize(2);
    plan.hops[0].steps.resize(1);
    plan.hops[0].steps[0].id = "h1-01-update-stack-a";
    plan.hops[0].steps[0].kind = plan::StepKind::update_stack;
    plan.hops[0].steps[0].stack = "a";
    plan.hops[1].steps.resize(1);
    plan.hops[1].steps[0].id = "h2-01-run-migration";
    plan.hops[1].steps[0].kind = plan::StepKind::run_migration;
    auto entries = journal_steps(plan);
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].kind, "update-stack");
    EXPECT_EQ(entries[0].stack, "a");
    EXPECT_EQ(entries[1].step_id, "h2-01-run-migration");
    EXPECT_EQ(entries[1].kind, "run-migration");
}

// A rehearsal journals its run in memory: the journal works as a file's does, writes no file
// (not even one named ":memory:"), and each one starts empty.
TEST(JournalTest, InMemoryJournalRecordsARunAndWritesNoFile) {
    auto before = std::filesystem::exists(std::string(in_memory_journal));
    FakeClock clock;
    {
        Journal journal(std::string(in_memory_journal), JournalAccess::create_or_open, clock.clock());
        EXPECT_EQ(journal.journal_mode(), "memory");
        std::int64_t run = journal.begin_run({"sim:world.json", "abc", "3.14.2", "3.15.1"}, three_steps);
        journal.start_step(run, "h1-01-preflight");
        journal.finish_step(run, "h1-01-preflight", StepStatus::done);
        auto steps = journal.steps(run);
        ASSERT_EQ(steps.size(), 3u);
        EXPECT_EQ(steps[0].status, StepStatus::done);
        EXPECT_EQ(steps[1].status, StepStatus::pending);
    }
    Journal fresh{std::string(in_memory_journal)};
    EXPECT_TRUE(fresh.runs().empty());
    EXPECT_EQ(std::filesystem::exists(std::string(in_memory_journal)), before);
    EXPECT_FALSE(before);
}

}  // namespace
}  // namespace stackshift::apply
