// stackshift rehearse end to end on the bundled example: the verdict in text, Markdown and
// JSON, failures from scenario files (a resource, a migration, a stack left in
// UPDATE_ROLLBACK_FAILED) named with AWS's messages and advice, a simulated world's state file
// left byte for byte as it was, a blocked plan, and bad input.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "test_support.hpp"

namespace stackshift::testing {
namespace {

using Json = nlohmann::json;

const std::string task_definition_failure = "simulated failure of TaskDefinition (CannotPullContainerError)";

// The example's upgrade to 3.30.2 with the values and acknowledgements it needs (the Makefile's).
std::vector<std::string> example_plan_options() {
    return {"--releases", source_path("examples/releases"), "--to", "3.30.2", "--values", source_path("examples/values-3.30.2.yaml"),
            "--allow-replace", "acme-prod-2-5-db-timescale/Volume", "--allow-replace", "acme-prod-4-1-secrets/InteropTLSSecret"};
}

std::vector<std::string> rehearse_args(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"rehearse", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json")};
    for (const auto& a : example_plan_options()) args.push_back(a);
    for (const auto& a : extra) args.push_back(a);
    return args;
}

Json rehearse_json(const std::vector<std::string>& extra, int expected_exit) {
    auto args = rehearse_args(extra);
    args.insert(args.end(), {"--output", "json"});
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.err;
    EXPECT_EQ(r.err, "");
    return Json::parse(r.out);
}

TEST(RehearseCli, TheExampleWouldSucceedInJson) {
    Json j = rehearse_json({}, 0);
    EXPECT_EQ(j["verdict"], "would-succeed");
    EXPECT_TRUE(j["failedStep"].is_null());
    EXPECT_TRUE(j["error"].is_null());
    EXPECT_EQ(j["advice"], Json::array());
    EXPECT_EQ(j["from"], "3.14.2");
    EXPECT_EQ(j["to"], "3.30.2");
    EXPECT_EQ(j["steps"]["failed"], 0);
    EXPECT_EQ(j["steps"]["notRun"], 0);
    EXPECT_EQ(j["steps"]["done"].get<int>() + j["steps"]["skipped"].get<int>(), j["steps"]["total"].get<int>());
    EXPECT_GT(j["clock_s"].get<std::int64_t>(), 3600);  // hours of virtual time: stacks take minutes each
    EXPECT_EQ(j["api_calls"]["ExecuteChangeSet"], j["api_calls"]["CreateChangeSet"]);
    EXPECT_EQ(j["api_calls"]["RunTask"], 7);
    // 3.24.0 deletes the acknowledged secret, and the TimescaleDB machine replaced in that hop
    // takes its system disk with it; nothing else is lost.
    ASSERT_EQ(j["data_lost"].size(), 2u);
    Json secret = Json::parse(R"({"stack": "acme-prod-4-1-secrets", "logicalId": "InteropTLSSecret",
        "type": "AWS::SecretsManager::Secret", "cause": "deleted", "acknowledged": true, "systemDisk": false})");
    EXPECT_EQ(std::count(j["data_lost"].begin(), j["data_lost"].end(), secret), 1) << j["data_lost"].dump();
    for (const auto& lost : j["data_lost"]) {
        if (lost == secret) continue;
        EXPECT_EQ(lost["logicalId"], "Instance");
        EXPECT_EQ(lost["systemDisk"], true);
        EXPECT_TRUE(lost["cause"].get<std::string>().starts_with("system disk /dev/xvda deleted with instance i-")) << lost;
    }
    // Every manual step of the plan is listed for a person, all reached.
    ASSERT_FALSE(j["manual_steps"].empty());
    for (const auto& m : j["manual_steps"]) {
        EXPECT_EQ(m["kind"], "manual");
        EXPECT_TRUE(m["reached"].get<bool>());
    }
    EXPECT_EQ(j["manual_steps"][0]["id"], "h1-06-manual");
}

TEST(RehearseCli, TheExampleWouldSucceedInTextAndMarkdown) {
    auto r = run_stackshift(rehearse_args({}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("rehearsal of " + source_path("examples/deployment/acme-prod-3.14.2.json") +
                              " 3.14.2 -> 3.30.2: would succeed\n",
                          0),
              0u)
        << r.out;
    EXPECT_NE(r.out.find("data lost:     2 resource(s), 1 acknowledged by the plan, 1 system disk deleted with its instance\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("steps a person must still do for real"), std::string::npos);
    EXPECT_NE(r.out.find("  - h1-06-manual: Upgrade procedure (3.15.0)\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\033["), std::string::npos);  // no color into a pipe

    auto md = run_stackshift(rehearse_args({"--output", "markdown"}));
    EXPECT_EQ(md.exit_code, 0) << md.err;
    EXPECT_EQ(md.out.rfind("# Rehearsal 3.14.2 → 3.30.2: would succeed\n", 0), 0u) << md.out;
    EXPECT_NE(md.out.find("## Steps a person must still do for real"), std::string::npos);
    EXPECT_NE(md.out.find("- [ ] **Upgrade procedure (3.15.0)** (`h1-06-manual`)"), std::string::npos);
    EXPECT_NE(md.out.find("acme-prod-4-1-secrets/InteropTLSSecret (AWS::SecretsManager::Secret, deleted), acknowledged"),
              std::string::npos);
}

TEST(RehearseCli, AFailingTaskDefinitionNamesTheStepTheMessageAndAdvice) {
    TempDir dir;
    std::string scenario = dir.write("faults.yaml", "failing_resources:\n  - stack: acme-prod-5-2-ecs-ops\n    logicalId: TaskDefinition\n"
                                                    "    reason: \"" + task_definition_failure + "\"\n");
    Json j = rehearse_json({"--scenario", scenario}, 1);
    EXPECT_EQ(j["verdict"], "would-fail");
    // The first update of the ops stack is the set-parameters step that turns its storage off.
    EXPECT_EQ(j["failedStep"], Json::parse(R"json({"id": "h1-07-set-parameters-5-2-ecs-ops-storage-off",
        "title": "Turn the storage integration off on acme-prod-5-2-ecs-ops (ApplicationServerStorageEnabled=false)",
        "kind": "set-parameters", "stack": "acme-prod-5-2-ecs-ops", "logicalId": "TaskDefinition",
        "resourceType": "AWS::ECS::TaskDefinition", "stackStatus": "UPDATE_ROLLBACK_COMPLETE"})json"));
    EXPECT_EQ(j["error"]["code"], "UPDATE_FAILED");
    EXPECT_EQ(j["error"]["message"], task_definition_failure);
    EXPECT_NE(j["error"]["detail"].get<std::string>().find("ended in UPDATE_ROLLBACK_COMPLETE"), std::string::npos);
    EXPECT_EQ(j["advice"], Json::array({"the resource TaskDefinition (AWS::ECS::TaskDefinition) of acme-prod-5-2-ecs-ops failed: "
                                        "read its message above, fix the template or the values that set it, then plan and "
                                        "rehearse again"}));
    EXPECT_EQ(j["steps"]["failed"], 1);
    EXPECT_GT(j["steps"]["notRun"].get<int>(), 0);
    EXPECT_GT(j["clock_s"].get<std::int64_t>(), 0);
    // The manual steps after the failure were not reached.
    EXPECT_TRUE(j["manual_steps"][0]["reached"].get<bool>());
    EXPECT_FALSE(j["manual_steps"][1]["reached"].get<bool>());

    auto text = run_stackshift(rehearse_args({"--scenario", scenario}));
    EXPECT_EQ(text.exit_code, 1);
    EXPECT_NE(text.out.find(": would fail\n"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("first step that would fail: h1-07-set-parameters-5-2-ecs-ops-storage-off: "), std::string::npos);
    EXPECT_NE(text.out.find("  error:    UPDATE_FAILED: " + task_definition_failure + "\n"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("what to change:\n  - the resource TaskDefinition"), std::string::npos) << text.out;
}

TEST(RehearseCli, AFailingMigrationNamesItsStepAndLogLines) {
    TempDir dir;
    std::string scenario = dir.write("faults.yaml", "failing_tasks:\n  - command: \"is-db migrate\"\n    exitCode: 3\n"
                                                    "    log: [\"error: migration 42 failed: relation gateways does not exist\"]\n");
    Json j = rehearse_json({"--scenario", scenario}, 1);
    EXPECT_EQ(j["verdict"], "would-fail");
    EXPECT_EQ(j["failedStep"]["id"], "h1-20-run-migration-is-db");
    EXPECT_EQ(j["failedStep"]["kind"], "run-migration");
    EXPECT_EQ(j["error"]["code"], "STOPPED");
    std::string message = j["error"]["message"];
    EXPECT_NE(message.find("Essential container in task exited, exit code 3"), std::string::npos) << message;
    ASSERT_TRUE(j["error"].contains("log"));
    const auto& log = j["error"]["log"];
    EXPECT_NE(std::find(log.begin(), log.end(), "error: migration 42 failed: relation gateways does not exist"), log.end()) << log;
    ASSERT_EQ(j["advice"].size(), 1u);
    EXPECT_EQ(j["advice"][0].get<std::string>().rfind("the migration of step h1-20-run-migration-is-db failed: read its log lines", 0),
              0u);
}

TEST(RehearseCli, AStackLeftInUpdateRollbackFailedAdvisesContinuingTheRollback) {
    TempDir dir;
    std::string scenario = dir.write("faults.yaml", "rollback_failed_stacks: [acme-prod-2-5-db-timescale]\n");
    Json j = rehearse_json({"--scenario", scenario}, 1);
    EXPECT_EQ(j["failedStep"]["stack"], "acme-prod-2-5-db-timescale");
    EXPECT_EQ(j["failedStep"]["stackStatus"], "UPDATE_ROLLBACK_FAILED");
    EXPECT_EQ(j["error"]["code"], "UPDATE_ROLLBACK_FAILED");
    EXPECT_EQ(j["steps"]["done"], 0);
    EXPECT_EQ(j["steps"]["failed"], 0);  // the run would not start
    ASSERT_EQ(j["advice"].size(), 1u);
    EXPECT_NE(j["advice"][0].get<std::string>().find("continue-update-rollback --stack-name acme-prod-2-5-db-timescale"),
              std::string::npos);
    for (const auto& m : j["manual_steps"]) EXPECT_FALSE(m["reached"].get<bool>());
}

TEST(RehearseCli, ASimulatedWorldIsCopiedAndItsStateFileLeftAsItWas) {
    TempDir dir;
    std::string state = dir.file("world.json");
    auto made = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--out", state});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::string before = read_text(state);
    std::vector<std::string> args = {"rehearse", "--backend", "sim:" + state, "--output", "json"};
    for (const auto& a : example_plan_options()) args.push_back(a);
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Json j = Json::parse(r.out);
    EXPECT_EQ(j["verdict"], "would-succeed");
    EXPECT_EQ(j["deployment"], "sim:" + state);
    EXPECT_EQ(read_text(state), before);
    // Nothing else was written beside it (no journal, no saved deployment).
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
    EXPECT_EQ(files, 1u);
}

TEST(RehearseCli, TheWorldsOwnFaultsAreRehearsedUnlessAScenarioReplacesThem) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string faults = dir.write("faults.yaml", "failing_resources:\n  - stack: acme-prod-5-2-ecs-ops\n    logicalId: TaskDefinition\n");
    std::string none = dir.write("none.yaml", "seed: 1\n");
    auto made = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--out",
                                state, "--scenario", faults});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::vector<std::string> args = {"rehearse", "--backend", "sim:" + state, "--output", "json"};
    for (const auto& a : example_plan_options()) args.push_back(a);
    auto own = run_stackshift(args);
    EXPECT_EQ(own.exit_code, 1) << own.err;
    EXPECT_EQ(Json::parse(own.out)["failedStep"]["logicalId"], "TaskDefinition");
    args.insert(args.end(), {"--scenario", none});
    auto replaced = run_stackshift(args);
    EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
}

// Drift the upgrade would overwrite (the bastion's instance type changed in the console, and
// the 3.19.2 update rewrites the instance): the rehearsal is blocked with the acknowledgement
// to give, and goes through once the values file gives it.
TEST(RehearseCli, DriftTheUpgradeWouldOverwriteBlocksItUntilAcknowledged) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string faults = dir.write("drift.yaml", "drift:\n  - stack: acme-prod-1-2-bastion\n    logicalId: Instance\n"
                                                 "    property: InstanceType\n    actual: t3.large\n");
    auto made = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--out",
                                state, "--scenario", faults});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::vector<std::string> args = {"rehearse", "--backend", "sim:" + state, "--output", "json"};
    for (const auto& a : example_plan_options()) args.push_back(a);
    auto blocked = run_stackshift(args);
    EXPECT_EQ(blocked.exit_code, 3) << blocked.err;
    Json j = Json::parse(blocked.out);
    EXPECT_EQ(j["verdict"], "blocked");
    std::string advice = j["advice"].dump();
    EXPECT_NE(advice.find("drift:acme-prod-1-2-bastion/Instance"), std::string::npos) << advice;

    std::string values = read_text(source_path("examples/values-3.30.2.yaml"));
    auto at = values.find("acknowledge:\n");
    ASSERT_NE(at, std::string::npos);
    values.insert(at + std::string("acknowledge:\n").size(), "  - drift:acme-prod-1-2-bastion/Instance\n");
    std::replace(args.begin(), args.end(), source_path("examples/values-3.30.2.yaml"), dir.write("values.yaml", values));
    auto acknowledged = run_stackshift(args);
    EXPECT_EQ(acknowledged.exit_code, 0) << acknowledged.err;
    EXPECT_EQ(Json::parse(acknowledged.out)["verdict"], "would-succeed");
}

TEST(RehearseCli, TheReportGoesToOutAtomically) {
    TempDir dir;
    std::string out = dir.file("rehearsal.md");
    auto r = run_stackshift(rehearse_args({"--output", "markdown", "--out", out}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stackshift: rehearsal written to " + out + "\n");
    auto direct = run_stackshift(rehearse_args({"--output", "markdown"}));
    EXPECT_EQ(read_text(out), direct.out);
}

TEST(RehearseCli, ABlockedPlanExitsThreeWithTheVerdictBlocked) {
    auto r = run_stackshift({"rehearse", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--releases",
                             source_path("examples/releases"), "--to", "3.30.2", "--output", "json"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    Json j = Json::parse(r.out);
    EXPECT_EQ(j["verdict"], "blocked");
    EXPECT_TRUE(j["failedStep"].is_null());
    EXPECT_TRUE(j["error"].is_null());
    EXPECT_EQ(j["steps"]["notRun"], j["steps"]["total"]);
    EXPECT_FALSE(j["advice"].empty());
    EXPECT_NE(r.err.find("stackshift: error: cannot rehearse: the plan needs input (give the values with --values); nothing was "
                         "run\n"),
              std::string::npos)
        << r.err;
    // The plan's text comes first, on standard error, as apply shows it.
    EXPECT_NE(r.err.find("h1-06-manual"), std::string::npos);
}

TEST(RehearseCli, BadInputExitsTwoNamingTheFileOrTheFlag) {
    TempDir dir;
    std::string missing = dir.file("no-such-scenario.yaml");
    auto r = run_stackshift(rehearse_args({"--scenario", missing}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stackshift: error: " + missing + ": cannot read file: No such file or directory\n");

    std::string bad = dir.write("bad.yaml", "throttling: lots\n");
    r = run_stackshift(rehearse_args({"--scenario", bad}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind("stackshift: error: " + bad + ":1:", 0), 0u) << r.err;

    r = run_stackshift(rehearse_args({"--output", "yaml"}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: --output: yaml not in {text,markdown,json}\nrun 'stackshift --help' for usage\n");
}

}  // namespace
}  // namespace stackshift::testing
