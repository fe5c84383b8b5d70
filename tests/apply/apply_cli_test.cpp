// End-to-end: `stackshift apply --backend sim:STATE` through the real binary, against worlds made
// by `stackshift sim init` from the bundled example.

#include <nlohmann/json.hpp>

#include "apply/apply_cli_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::apply_args;
using testing::calls;
using testing::completed_change_sets;
using testing::init_world;
using testing::plan_args;
using testing::plan_json;
using testing::plant_secrets;
using testing::read_text;
using testing::read_world;
using testing::run_stackshift;
using testing::source_path;
using testing::status;
using testing::steps_of_kind;
using testing::write_world;

TEST(ApplyCli, FullUpgradeOfTheExampleEndsComplete) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    std::vector<std::string> secrets = plant_secrets(state);
    ASSERT_FALSE(secrets.empty());
    json plan = plan_json(state);
    auto r = run_stackshift(apply_args(state, journal, {"--yes"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("summary: steps"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("UPDATE_COMPLETE"), std::string::npos) << r.out;  // stack events streamed

    json s = status(state);
    for (const auto& step : steps_of_kind(plan, "update-stack")) {
        std::string stack = step["stack"];
        EXPECT_EQ(s["stacks"][stack]["status"], "UPDATE_COMPLETE") << stack;
    }
    for (const auto& [name, stack] : s["stacks"].items()) EXPECT_TRUE(stack["status"].get<std::string>().ends_with("_COMPLETE")) << name;
    auto migrations = steps_of_kind(plan, "run-migration");
    ASSERT_FALSE(migrations.empty());
    EXPECT_EQ(calls(s, "RunTask"), migrations.size());
    for (const auto& lost : s["data_lost"]) {
        std::string id = lost["stack"].get<std::string>() + "/" + lost["logicalId"].get<std::string>();
        EXPECT_TRUE(id == "acme-prod-2-5-db-timescale/Volume" || id == "acme-prod-4-1-secrets/InteropTLSSecret") << id;
    }
    json world = read_world(state);
    EXPECT_EQ(world["version"], "3.15.1");

    // NoEcho: never sent as a value, never written or printed; the stacks keep their secrets.
    for (const auto& c : world["changeSets"]) {
        const json* stack = nullptr;
        for (const auto& st : world["stacks"]) {
            if (st["name"] == c["stack"]) stack = &st;
        }
        ASSERT_NE(stack, nullptr);
        for (const auto& p : c["parameters"]) {
            bool no_echo = std::find((*stack)["noEcho"].begin(), (*stack)["noEcho"].end(), p["key"]) != (*stack)["noEcho"].end();
            if (no_echo) {
                EXPECT_TRUE(p.value("usePreviousValue", false)) << c["name"] << " " << p["key"];
            }
        }
    }
    std::string journal_bytes = read_text(journal) + read_text(journal + "-wal") + read_text(journal + ".deployment.json");
    for (const auto& secret : secrets) {
        EXPECT_EQ(journal_bytes.find(secret), std::string::npos) << secret;
        EXPECT_EQ(r.out.find(secret), std::string::npos) << secret;
        EXPECT_EQ(r.err.find(secret), std::string::npos) << secret;
        EXPECT_NE(read_text(state).find(secret), std::string::npos) << "the stack lost its secret " << secret;
    }
    auto shown = run_stackshift({"journal", "--journal", journal});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    for (const auto& secret : secrets) EXPECT_EQ(shown.out.find(secret), std::string::npos);
}

TEST(ApplyCli, BlockedPlanExitsThreeAndChangesNothing) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    auto r = run_stackshift({"apply", "--backend", "sim:" + state, "--journal", dir.file("j.db"), "--releases",
                             source_path("examples/releases"), "--to", "3.15.1", "--values",
                             testing::values_for("3.15.1"), "--yes"});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r.err;
    json s = status(state);
    EXPECT_EQ(calls(s, "ExecuteChangeSet"), 0u);
    EXPECT_EQ(calls(s, "CreateChangeSet"), 0u);
}

TEST(ApplyCli, ManualStepWithoutYesStopsThenResumesWithYes) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    auto r = run_stackshift(apply_args(state, journal, {}));
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("needs confirmation"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
    std::uint64_t executed = calls(status(state), "ExecuteChangeSet");

    auto resumed = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("already done"), std::string::npos) << resumed.out;
    std::uint64_t completed = completed_change_sets(state);
    EXPECT_EQ(calls(status(state), "ExecuteChangeSet"), completed);  // none executed twice
    EXPECT_GE(completed, executed);
}

TEST(ApplyCli, ResumeAfterAFailingMigrationDoesNotRepeatChangeSets) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state, dir.write("faults.yaml", "failing_tasks:\n  - command: \"is-db migrate\"\n    exitCode: 3\n"
                                               "    log: [\"error: migration 42 failed\"]\n"));
    auto r = run_stackshift(apply_args(state, journal, {"--yes"}));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("exited with code 3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("error: migration 42 failed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
    json before = status(state);
    std::uint64_t executed_before = calls(before, "ExecuteChangeSet");
    EXPECT_GT(executed_before, 0u);
    EXPECT_EQ(calls(before, "RunTask"), 1u);

    // The operator fixes the cause: the migration succeeds now.
    json world = read_world(state);
    world["scenario"]["failing_tasks"] = json::array();
    write_world(state, world);

    auto resumed = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("resuming run"), std::string::npos) << resumed.out;
    json after = status(state);
    EXPECT_EQ(calls(after, "RunTask"), 2u);
    EXPECT_EQ(calls(after, "ExecuteChangeSet"), completed_change_sets(state));
    EXPECT_EQ(read_world(state)["version"], "3.15.1");

    auto again = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}));
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("the run 1 of this plan already finished (succeeded at "), std::string::npos) << again.out;
}

TEST(ApplyCli, BackendIsRequiredAndAwsNeedsAStackPrefix) {
    testing::TempDir dir;
    std::vector<std::string> aws = {"apply", "--backend", "aws", "--journal", dir.file("j.db")};
    for (const auto& a : plan_args()) aws.push_back(a);
    auto r = run_stackshift(aws);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: --backend aws reads the live deployment: give --stack-prefix PREFIX (the start of "
                     "its stack names, such as acme-prod-)\n");
    std::vector<std::string> none = {"apply", "--journal", dir.file("j.db")};
    for (const auto& a : plan_args()) none.push_back(a);
    r = run_stackshift(none);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--backend sim:"), std::string::npos) << r.err;
}

TEST(ApplyCli, StackInRollbackFailedStopsBeforeAnyChange) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state, dir.write("faults.yaml", "rollback_failed_stacks:\n  - acme-prod-1-2-bastion\n"));
    auto r = run_stackshift(apply_args(state, dir.file("j.db"), {"--yes"}));
    EXPECT_NE(r.exit_code, 0) << r.out << r.err;  // the plan itself refuses it (2), else the executor (1)
    EXPECT_NE(r.err.find("acme-prod-1-2-bastion"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("UPDATE_ROLLBACK_FAILED"), std::string::npos) << r.err;
    EXPECT_EQ(calls(status(state), "CreateChangeSet"), 0u);
}

}  // namespace
}  // namespace stackshift

namespace stackshift {
namespace {

using namespace testing;

// The example's changelog says deployments created before 3.30.0 must set DBEngineVersion to 12
// (a PostgreSQL 12 volume under a 14 server stops the machine at boot): the rehearsal ends with
// 12 on the timescale stack, not the default 14.
TEST(ApplyCli, ExampleTo3302EndsWithDBEngineVersion12OnTheTimescaleStack) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    auto r = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}, "3.30.2"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto s = status(state);
    const auto& timescale = s["stacks"]["acme-prod-2-5-db-timescale"];
    EXPECT_EQ(timescale["template"], "2-5-db-timescale");
    EXPECT_EQ(timescale["parameters"]["DBEngineVersion"], "12");
    EXPECT_EQ(s["stacks"]["acme-prod-4-2a-configuration"]["parameters"]["ClusterIDAddressTemplate"],
              "eu1.lorawan.acme.example");
}

}  // namespace
}  // namespace stackshift
