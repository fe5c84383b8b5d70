// `stackshift journal` end to end through the binary: the list of runs, one run in detail,
// JSON, and the refusals (exit code 2, nothing written).

#include <filesystem>
#include <nlohmann/json.hpp>

#include "apply/journal.hpp"
#include "test_support.hpp"

namespace stackshift::apply {
namespace {

using stackshift::testing::run_stackshift;
using stackshift::testing::TempDir;

// Two runs at fixed times (the clock moves 1.5 s per record): run 1 failed at its update, run 2 (the newest) is still running.
std::string write_journal(const TempDir& dir) {
    std::string path = dir.file("prod.journal.db");
    std::int64_t now = 1714564800000;
    Journal journal(path, JournalAccess::create_or_open, [&now] { return now += 1500; });
    std::int64_t first = journal.begin_run({"prod.json", "0123456789abcdef", "3.14.2", "3.15.1"});
    journal.add_steps(first, {{"h1-01-preflight", "preflight", ""}, {"h1-02-update-stack-a", "update-stack", "a"}});
    journal.start_step(first, "h1-01-preflight");
    journal.finish_step(first, "h1-01-preflight", StepStatus::done);
    journal.start_step(first, "h1-02-update-stack-a");
    std::int64_t create = journal.intend_action(first, "h1-02-update-stack-a", "create-change-set", "stackshift-h1-02");
    journal.action_started(create, "arn:cs/1");
    journal.finish_action(create, ActionState::done);
    std::int64_t execute = journal.intend_action(first, "h1-02-update-stack-a", "execute-change-set", "stackshift-h1-02");
    journal.action_started(execute, "arn:cs/1");
    journal.finish_action(execute, ActionState::failed, "UPDATE_ROLLBACK_COMPLETE");
    journal.finish_step(first, "h1-02-update-stack-a", StepStatus::failed, "the stack rolled back");
    journal.end_run(first, RunOutcome::failed, "stopped at h1-02-update-stack-a");
    std::int64_t second = journal.begin_run({"prod.json", "fedcba9876543210", "3.14.2", "3.16.0"});
    journal.add_steps(second, {{"h1-01-preflight", "preflight", ""}});
    return path;
}

TEST(JournalCliTest, ListsRunsNewestFirst) {
    TempDir dir;
    std::string path = write_journal(dir);
    auto r = run_stackshift({"journal", "--journal", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "journal " + path +
                         ": 2 runs\n"
                         "\n"
                         "run  started               took   outcome  versions          steps               deployment\n"
                         "2    2024-05-01T12:00:21Z         running  3.14.2 -> 3.16.0  0/1 done            prod.json\n"
                         "1    2024-05-01T12:00:03Z  16.5s  failed   3.14.2 -> 3.15.1  1/2 done, 1 failed  prod.json\n");
}

TEST(JournalCliTest, ShowsOneRunWithItsStepsAndActions) {
    TempDir dir;
    std::string path = write_journal(dir);
    auto r = run_stackshift({"journal", "--journal", path, "--run", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "run 1 of prod.json: 3.14.2 -> 3.15.1, failed\n"
              "started 2024-05-01T12:00:03Z, ended 2024-05-01T12:00:19Z (16.5s); plan 0123456789abcdef; steps 1/2 done, 1 failed\n"
              "stopped at h1-02-update-stack-a\n"
              "\n"
              "1  h1-01-preflight  done  1.5s\n"
              "2  h1-02-update-stack-a  failed  10.5s  the stack rolled back\n"
              "     create-change-set   stackshift-h1-02  done    3.0s  arn:cs/1\n"
              "     execute-change-set  stackshift-h1-02  failed  3.0s  arn:cs/1  UPDATE_ROLLBACK_COMPLETE\n");
}

TEST(JournalCliTest, WritesJson) {
    TempDir dir;
    std::string path = write_journal(dir);
    auto list = run_stackshift({"journal", "--journal", path, "--output", "json"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    auto runs = nlohmann::json::parse(list.out);
    EXPECT_EQ(runs["journal"], path);
    ASSERT_EQ(runs["runs"].size(), 2U);
    EXPECT_EQ(runs["runs"][0]["id"], 2);
    EXPECT_EQ(runs["runs"][0]["outcome"], "running");
    EXPECT_TRUE(runs["runs"][0]["ended"].is_null());
    EXPECT_EQ(runs["runs"][1]["outcome"], "failed");
    EXPECT_EQ(runs["runs"][1]["step_counts"]["failed"], 1);
    EXPECT_EQ(runs["runs"][1]["step_counts"]["total"], 2);

    auto one = run_stackshift({"journal", "--journal", path, "--run", "1", "--output", "json"});
    ASSERT_EQ(one.exit_code, 0) << one.err;
    auto run = nlohmann::json::parse(one.out)["run"];
    EXPECT_EQ(run["plan_fingerprint"], "0123456789abcdef");
    ASSERT_EQ(run["steps"].size(), 2U);
    EXPECT_EQ(run["steps"][1]["id"], "h1-02-update-stack-a");
    EXPECT_EQ(run["steps"][1]["status"], "failed");
    ASSERT_EQ(run["steps"][1]["actions"].size(), 2U);
    EXPECT_EQ(run["steps"][1]["actions"][0]["kind"], "create-change-set");
    EXPECT_EQ(run["steps"][1]["actions"][0]["aws_id"], "arn:cs/1");
    EXPECT_EQ(run["steps"][1]["actions"][1]["state"], "failed");
    EXPECT_TRUE(run["steps"][0]["actions"].empty());
}

TEST(JournalCliTest, AMissingJournalIsBadInputAndCreatesNothing) {
    TempDir dir;
    std::string path = dir.file("none.db");
    auto r = run_stackshift({"journal", "--journal", path});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stackshift: error: no journal at '" + path +
                         "'; give the file 'stackshift apply' wrote with --journal FILE (by default "
                         "stackshift-journal.db in the folder it ran in)\n");
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JournalCliTest, AFileThatIsNotAJournalIsBadInput) {
    TempDir dir;
    std::string path = dir.write("plan.json", "{\"not\": \"a journal\"}\n");
    auto r = run_stackshift({"journal", "--journal", path});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: '" + path +
                         "' is not a stackshift journal (not an SQLite database); give the journal file that "
                         "'stackshift apply' wrote with --journal FILE, or move this file away\n");
    EXPECT_EQ(stackshift::testing::read_text(path), "{\"not\": \"a journal\"}\n");
    std::string empty = dir.write("empty.db", "");
    r = run_stackshift({"journal", "--journal", empty});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(stackshift::testing::read_text(empty), "");
}

TEST(JournalCliTest, AnUnknownRunIsBadInput) {
    TempDir dir;
    std::string path = write_journal(dir);
    auto r = run_stackshift({"journal", "--journal", path, "--run", "9"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: no run 9 in the journal '" + path +
                         "'; runs are 1, 2 (list them with 'stackshift journal --journal " + path + "')\n");
    r = run_stackshift({"journal", "--journal", path, "--run", "last"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: --run 'last' is not a run number in the journal '" + path +
                         "'; runs are 1, 2 (list them with 'stackshift journal --journal " + path + "')\n");
    r = run_stackshift({"journal", "--journal", path, "--output", "jsn"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: unknown output format 'jsn' in --output (did you mean 'json'?); choose text or json\n");
}

TEST(JournalCliTest, UsesTheDefaultJournalInTheCurrentFolder) {
    TempDir dir;
    std::string path = write_journal(dir);
    std::filesystem::rename(path, dir.file("stackshift-journal.db"));
    auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    auto r = run_stackshift({"journal", "--output", "json"});
    std::filesystem::current_path(cwd);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["runs"].size(), 2U);
}

}  // namespace
}  // namespace stackshift::apply
