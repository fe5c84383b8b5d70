// `stackshift snapshot` and `plan --stack-prefix` on a simulated AWS: the live-deployment
// reader is generic over the Cloud, so the simulator answers as AWS does.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::run_stackshift;

TEST(SnapshotCli, FromASimulatedWorldThenPlannedByPrefix) {
    testing::TempDir dir;
    std::string world = dir.file("world.json");
    auto r = run_stackshift({"sim", "init", "--deployment", testing::source_path("examples/generic/deployment/shop-1.0.0.json"),
                             "--out", world});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string out = dir.file("snapshot.json");
    r = run_stackshift({"snapshot", "--backend", "sim:" + world, "--stack-prefix", "shop-", "--product", "numbered-stacks",
                        "--out", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "snapshot of 3 stacks (shop-*) written to " + out + "\n");
    auto snapshot = inputs::load_deployment(out);
    ASSERT_TRUE(snapshot) << to_string(snapshot.diagnostics());
    EXPECT_EQ(snapshot->version, "1.0.0");
    ASSERT_EQ(snapshot->stacks.size(), 3u);
    EXPECT_EQ(snapshot->stacks[2].template_id, "3-1-workers");

    std::vector<std::string> plan = {"plan", "--releases", testing::source_path("examples/generic/releases"), "--to", "1.1.0",
                                     "--product", "numbered-stacks", "--output", "json"};
    auto from_file = plan;
    from_file.insert(from_file.end(), {"--deployment", out});
    auto by_prefix = plan;
    by_prefix.insert(by_prefix.end(), {"--backend", "sim:" + world, "--stack-prefix", "shop-"});
    auto a = run_stackshift(from_file);
    auto b = run_stackshift(by_prefix);
    EXPECT_EQ(a.exit_code, b.exit_code) << a.err << b.err;
    nlohmann::json ja = nlohmann::json::parse(a.out);
    nlohmann::json jb = nlohmann::json::parse(b.out);
    // The same plan, but for the name of the deployment in the preflight.
    auto& steps_a = ja["hops"][0]["steps"];
    auto& steps_b = jb["hops"][0]["steps"];
    ASSERT_EQ(steps_a.size(), 5u);
    ASSERT_EQ(steps_b.size(), 5u);
    for (std::size_t i = 1; i < steps_a.size(); ++i) EXPECT_EQ(steps_a[i], steps_b[i]) << i;
}

TEST(SnapshotCli, BadInputWritesNothing) {
    testing::TempDir dir;
    std::string out = dir.file("snapshot.json");
    auto r = run_stackshift({"snapshot", "--backend", "azure", "--stack-prefix", "shop-", "--out", out});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: --backend 'azure': expected aws or sim:STATEFILE (a world from 'stackshift sim init')\n");
    r = run_stackshift({"plan", "--releases", "x", "--to", "1.1.0", "--stack-prefix", "shop-", "--deployment", "y"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: --stack-prefix reads a live deployment: give --backend aws (or sim:STATE) with it\n");
    EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace stackshift
