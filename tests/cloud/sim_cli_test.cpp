// End-to-end: `stackshift sim init` and `sim status` through the real binary.

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::run_stackshift;
using testing::source_path;

TEST(SimCli, InitThenStatusFollowsTheContract) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string scenario = dir.write("faults.yaml", "seed: 3\nthrottling: 0.1\n");
    auto init = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"),
                                "--out", state, "--scenario", scenario});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    auto status = run_stackshift({"sim", "status", state, "--output", "json"});
    ASSERT_EQ(status.exit_code, 0) << status.err;
    json j = json::parse(status.out);
    EXPECT_EQ(j["clock_s"], 0);
    ASSERT_TRUE(j["stacks"].contains("acme-prod-5-2-ecs-ops"));
    EXPECT_EQ(j["stacks"]["acme-prod-5-2-ecs-ops"]["status"], "UPDATE_COMPLETE");
    EXPECT_EQ(j["stacks"]["acme-prod-5-2-ecs-ops"]["template"], "5-2-ecs-ops");
    EXPECT_EQ(j["stacks"].size(), 14u);
    EXPECT_TRUE(j["data_lost"].is_array() && j["data_lost"].empty());
    EXPECT_TRUE(j["api_calls"].is_object());
    auto text = run_stackshift({"sim", "status", state});
    EXPECT_EQ(text.exit_code, 0);
    EXPECT_NE(text.out.find("acme-prod-2-5-db-timescale"), std::string::npos);
}

TEST(SimCli, BadSnapshotExitsTwoAndWritesNothing) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string bad = dir.write("bad.json", "{\"format\": \"nope\"}");
    auto r = run_stackshift({"sim", "init", "--deployment", bad, "--out", state});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(state));
}

TEST(SimCli, BadScenarioExitsTwoAndWritesNothing) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string bad = dir.write("faults.yaml", "throttling: lots\n");
    auto r = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"),
                             "--out", state, "--scenario", bad});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: " + bad + ":1:13: expected a number from 0 to 1 for 'throttling', got 'lots'\n");
    EXPECT_FALSE(std::filesystem::exists(state));
}

TEST(SimCli, StatusOfAMissingStateSaysHowToMakeOne) {
    auto r = run_stackshift({"sim", "status", "/nonexistent/world.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("stackshift sim init"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stackshift
