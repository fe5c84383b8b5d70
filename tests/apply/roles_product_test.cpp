// End to end on a second product (tests/data/release/roles-product) whose templates name the
// resources that matter otherwise than the vendor: the TimescaleDB volume is PgData (after an
// unattached Scratch volume), the machine DbHost (TimescaleHost from 3.16.0), the Aurora cluster
// Aurora, and there is no VolumeId or InstanceId output. The plan finds them by their roles and
// apply in the simulator acts on the right physical resources.

#include <nlohmann/json.hpp>

#include "apply_cli_support.hpp"

namespace stackshift::testing {
namespace {

using nlohmann::json;

std::string bundle(const std::string& relative = "") { return data_path("release/roles-product/" + relative); }

std::vector<std::string> plan_options(const std::string& to) {
    return {"--releases", bundle("releases"), "--to", to, "--output", "json"};
}

// The physical id the world gave a stack's resource.
std::string physical_id(const json& world, const std::string& stack, const std::string& logical_id) {
    for (const auto& s : world["stacks"])
        if (s["name"] == stack)
            for (const auto& r : s["resources"])
                if (r["logicalId"] == logical_id) return r["physicalId"];
    return "";
}

const std::string timescale = "roles-prod-2-5-db-timescale";
const std::string aurora = "roles-prod-2-1-db-aurora-master";

TEST(RolesProduct, ThePlanActsOnTheRolesWhateverTheirLogicalIds) {
    std::vector<std::string> args = {"plan", "--deployment", bundle("deployment-3.14.0.json")};
    for (const auto& a : plan_options("3.15.0")) args.push_back(a);
    auto r = run_stackshift(args);
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    json plan = json::parse(r.out);
    EXPECT_TRUE(plan["inputs"].empty()) << plan["inputs"].dump();
    auto snapshots = steps_of_kind(plan, "snapshot-volume");
    ASSERT_EQ(snapshots.size(), 1u);
    EXPECT_EQ(snapshots[0]["stack"], timescale);
    EXPECT_EQ(snapshots[0]["template"], "2-5-db-timescale");
    EXPECT_EQ(snapshots[0]["logicalId"], "PgData");
    EXPECT_EQ(snapshots[0]["role"], "timescale-volume");
    EXPECT_FALSE(snapshots[0].contains("output"));
    auto terminations = steps_of_kind(plan, "terminate-instance");
    ASSERT_EQ(terminations.size(), 1u);
    EXPECT_EQ(terminations[0]["logicalId"], "DbHost");
    auto database = steps_of_kind(plan, "snapshot-database");
    ASSERT_EQ(database.size(), 1u);
    EXPECT_EQ(database[0]["stack"], aurora);
    EXPECT_EQ(database[0]["template"], "2-1-db-aurora-master");
    EXPECT_EQ(database[0]["logicalId"], "Aurora");
    // Right before the migration.
    const auto& steps = plan["hops"][0]["steps"];
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i]["kind"] == "run-migration") {
            EXPECT_EQ(steps[i - 1]["kind"], "snapshot-database");
        }
}

TEST(RolesProduct, ApplySnapshotsTheRightVolumeTerminatesTheRightMachineAndSnapshotsTheCluster) {
    TempDir dir;
    std::string state = dir.file("world.json");
    auto made = run_stackshift({"sim", "init", "--deployment", bundle("deployment-3.14.0.json"), "--out", state});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    json before = read_world(state);
    std::string volume = physical_id(before, timescale, "PgData");
    std::string scratch = physical_id(before, timescale, "Scratch");
    std::string machine = physical_id(before, timescale, "DbHost");
    std::string cluster = physical_id(before, aurora, "Aurora");
    ASSERT_FALSE(volume.empty());
    ASSERT_NE(volume, scratch);

    std::vector<std::string> args = {"apply", "--backend", "sim:" + state, "--journal", dir.file("j.db"), "--yes",
                                     "--releases", bundle("releases"), "--to", "3.15.0"};
    auto applied = run_stackshift(args);
    ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
    json world = read_world(state);
    ASSERT_EQ(world["snapshots"].size(), 1u);
    EXPECT_EQ(world["snapshots"][0]["volumeId"], volume);
    bool terminated = false;
    for (const auto& i : world["instances"])
        if (i["id"] == machine) terminated = !i["terminated_s"].is_null();
    EXPECT_TRUE(terminated) << "DbHost " << machine << " was not terminated";
    for (const auto& i : world["instances"])
        if (i["id"] != machine) {
            EXPECT_TRUE(i["terminated_s"].is_null()) << i.dump();
        }
    ASSERT_EQ(world["dbClusterSnapshots"].size(), 1u);
    EXPECT_EQ(world["dbClusterSnapshots"][0]["clusterId"], cluster);
    EXPECT_GE(world["apiCalls"]["DescribeStackResources"].get<int>(), 3);
    EXPECT_TRUE(world["dataLost"].empty()) << world["dataLost"].dump();
    EXPECT_EQ(world["version"], "3.15.0");

    // 3.16.0 renames the machine: the role is followed, and replacing the machine that mounts
    // the volume snapshots the volume first.
    std::vector<std::string> next = {"plan", "--backend", "sim:" + state};
    for (const auto& a : plan_options("3.16.0")) next.push_back(a);
    auto planned = run_stackshift(next);
    ASSERT_EQ(planned.exit_code, 0) << planned.err << planned.out;
    json plan = json::parse(planned.out);
    EXPECT_TRUE(plan["inputs"].empty()) << plan["inputs"].dump();
    auto snapshots = steps_of_kind(plan, "snapshot-volume");
    ASSERT_EQ(snapshots.size(), 1u);
    EXPECT_EQ(snapshots[0]["logicalId"], "PgData");
    EXPECT_EQ(snapshots[0]["why"][0],
              "the update would destroy DbHost (role timescale-machine), the machine that mounts PgData (role "
              "timescale-volume): the TimescaleDB data of the Application Server storage integration lives on this "
              "EBS volume");
    args[args.size() - 1] = "3.16.0";
    args[4] = dir.file("j2.db");
    auto second = run_stackshift(args);
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    world = read_world(state);
    ASSERT_EQ(world["snapshots"].size(), 2u);
    EXPECT_EQ(world["snapshots"][1]["volumeId"], volume);
    EXPECT_EQ(physical_id(world, timescale, "PgData"), volume);
    EXPECT_NE(physical_id(world, timescale, "TimescaleHost"), "");
}

TEST(RolesProduct, TwoVolumesTheMachineMountsHoldThePlanNamingTheRole) {
    std::vector<std::string> args = {"plan", "--deployment", bundle("deployment-3.14.0.json")};
    for (const auto& a : plan_options("3.17.0")) args.push_back(a);
    auto r = run_stackshift(args);
    ASSERT_EQ(r.exit_code, 3) << r.err << r.out;
    json plan = json::parse(r.out);
    ASSERT_EQ(plan["inputs"].size(), 1u) << plan["inputs"].dump();
    EXPECT_EQ(plan["inputs"][0]["role"], "timescale-volume");
    EXPECT_EQ(plan["inputs"][0]["stack"], timescale);
    EXPECT_EQ(plan["inputs"][0]["template"], "2-5-db-timescale");
    EXPECT_EQ(plan["inputs"][0]["why"],
              "role 'timescale-volume' (AWS::EC2::Volume mounted by role 'timescale-machine'): several resources of "
              "template 2-5-db-timescale fit (PgData, WalData); the plan does not guess which resource holds it. Fix "
              "the role in profiles/the-things-stack-ecs.yaml (its type or relation) or the template, then plan again");
}

}  // namespace
}  // namespace stackshift::testing
