// Drift end to end: a world made with a scenario that deletes, by hand, a resource the example
// upgrade modifies; `plan --backend sim:STATE` (the world converted directly) and
// `plan --backend sim:STATE --stack-prefix` (read as from AWS, drift detection included) give
// the same plan, held until the values file acknowledges the drift.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift::testing {
namespace {

using Json = nlohmann::json;

std::vector<std::string> plan_args(const std::string& backend) {
    return {"plan", "--backend", backend, "--releases", source_path("examples/releases"), "--to", "3.15.1", "--output", "json"};
}

Json run_plan(std::vector<std::string> args, int expected_exit) {
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.err;
    return Json::parse(r.out);
}

// The first resource an update step of the plan modifies: "stack", "logicalId".
std::pair<std::string, std::string> modified_resource(const Json& plan) {
    for (const auto& step : plan["hops"][0]["steps"])
        if (step["kind"] == "update-stack" && step.contains("resources"))
            for (const auto& [logical_id, r] : step["resources"].items())
                if (r.value("impact", "") == "will-update") return {step["stack"], logical_id};
    return {};
}

bool has_input(const Json& plan, const std::string& acknowledgement) {
    for (const auto& i : plan["inputs"])
        if (i.value("acknowledge", "") == acknowledgement) return true;
    return false;
}

TEST(DriftCli, BothWaysFromASimulatedWorldHoldThePlanOnDriftTheUpgradeOverwrites) {
    TempDir dir;
    std::string snapshot = source_path("examples/deployment/acme-prod-3.14.2.json");
    Json clean = run_plan({"plan", "--deployment", snapshot, "--releases", source_path("examples/releases"), "--to", "3.15.1",
                           "--output", "json"},
                          3);
    auto [stack, logical_id] = modified_resource(clean);
    ASSERT_FALSE(logical_id.empty()) << "the example upgrade modifies no resource";
    std::string scenario = dir.write("scenario.yaml", "drift:\n  - {stack: " + stack + ", logicalId: " + logical_id + ", deleted: true}\n");
    std::string world = dir.file("world.json");
    auto init = run_stackshift({"sim", "init", "--deployment", snapshot, "--scenario", scenario, "--out", world});
    ASSERT_EQ(init.exit_code, 0) << init.err;

    std::string id = "drift:" + stack + "/" + logical_id;
    Json direct = run_plan(plan_args("sim:" + world), 3);
    auto live_args = plan_args("sim:" + world);
    live_args.insert(live_args.end(), {"--stack-prefix", "acme-prod-"});
    Json live = run_plan(live_args, 3);
    EXPECT_TRUE(has_input(direct, id)) << direct["inputs"].dump(1);
    EXPECT_TRUE(has_input(live, id)) << live["inputs"].dump(1);
    // The same plan: the world's drift read directly or through DetectStackDrift.
    direct["hops"][0]["steps"][0].erase("why");
    live["hops"][0]["steps"][0].erase("why");
    EXPECT_TRUE(direct["hops"] == live["hops"]) << "the plans differ";
    EXPECT_EQ(direct["inputs"], live["inputs"]);
    EXPECT_FALSE(has_input(clean, id));
}

}  // namespace
}  // namespace stackshift::testing
