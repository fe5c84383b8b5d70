// End-to-end: `stackshift apply --backend sim:STATE` through the real binary, against worlds made
// by `stackshift sim init` from the bundled example.

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::read_text;
using testing::run_stackshift;
using testing::source_path;

const std::string example = "examples/deployment/acme-prod-3.14.2.json";

std::vector<std::string> plan_args() {
    return {"--releases", source_path("examples/releases"), "--to", "3.15.1", "--values", source_path("examples/values-3.30.2.yaml"),
            "--allow-replace", "acme-prod-2-5-db-timescale/Volume", "--allow-replace", "acme-prod-4-1-secrets/InteropTLSSecret"};
}

std::vector<std::string> apply_args(const std::string& state, const std::string& journal, std::vector<std::string> extra) {
    std::vector<std::string> args = {"apply", "--backend", "sim:" + state, "--journal", journal};
    for (const auto& a : plan_args()) args.push_back(a);
    for (const auto& a : extra) args.push_back(a);
    return args;
}

void init_world(const std::string& state, const std::string& scenario = "") {
    std::vector<std::string> args = {"sim", "init", "--deployment", source_path(example), "--out", state};
    if (!scenario.empty()) args.insert(args.end(), {"--scenario", scenario});
    auto r = run_stackshift(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

json status(const std::string& state) {
    auto r = run_stackshift({"sim", "status", state, "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

std::uint64_t calls(const json& s, const std::string& operation) {
    return s["api_calls"].contains(operation) ? s["api_calls"][operation].get<std::uint64_t>() : 0;
}

json plan_json(const std::string& state) {
    std::vector<std::string> args = {"plan", "--backend", "sim:" + state, "--output", "json"};
    for (const auto& a : plan_args()) args.push_back(a);
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

std::vector<json> steps_of_kind(const json& plan, const std::string& kind) {
    std::vector<json> out;
    for (const auto& hop : plan["hops"])
        for (const auto& step : hop["steps"])
            if (step["kind"] == kind) out.push_back(step);
    return out;
}

// Gives every NoEcho parameter of the world a recognizable secret, as a real deployment has.
std::vector<std::string> plant_secrets(const std::string& state) {
    json world = json::parse(read_text(state));
    std::vector<std::string> secrets;
    for (auto& stack : world["stacks"]) {
        for (const auto& key : stack["noEcho"]) {
            std::string secret = "s3cr3t-" + key.get<std::string>() + "-" + stack["name"].get<std::string>();
            stack["parameters"][key.get<std::string>()] = secret;
            secrets.push_back(secret);
        }
    }
    std::ofstream(state, std::ios::binary) << world.dump();
    return secrets;
}

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
    json world = json::parse(read_text(state));
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
                             source_path("examples/values-3.30.2.yaml"), "--yes"});
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
    json world = json::parse(read_text(state));
    std::uint64_t completed = 0;
    for (const auto& c : world["changeSets"]) completed += c["executionStatus"] == "EXECUTE_COMPLETE" ? 1 : 0;
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
    json world = json::parse(read_text(state));
    world["scenario"]["failing_tasks"] = json::array();
    std::ofstream(state, std::ios::binary) << world.dump();

    auto resumed = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("resuming run"), std::string::npos) << resumed.out;
    json after = status(state);
    EXPECT_EQ(calls(after, "RunTask"), 2u);
    world = json::parse(read_text(state));
    std::uint64_t completed = 0;
    for (const auto& c : world["changeSets"]) completed += c["executionStatus"] == "EXECUTE_COMPLETE" ? 1 : 0;
    EXPECT_EQ(calls(after, "ExecuteChangeSet"), completed);
    EXPECT_EQ(world["version"], "3.15.1");

    auto again = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}));
    EXPECT_EQ(again.exit_code, 1) << again.out;
    EXPECT_NE(again.err.find("nothing to resume"), std::string::npos) << again.err;
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
