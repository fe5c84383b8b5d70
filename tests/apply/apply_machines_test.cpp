// End-to-end: the example's 3.15 upgrade applied in the simulator, and the machines it leaves
// read from the world: the TimescaleDB machine as its new template says, its data volume
// attached and holding the data it held before.

#include <nlohmann/json.hpp>

#include "apply/apply_cli_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::apply_args;
using testing::init_world;
using testing::read_world;
using testing::run_stackshift;

constexpr const char* timescale = "acme-prod-2-5-db-timescale";

std::string physical_id(const json& world, const std::string& stack, const std::string& logical_id) {
    for (const auto& s : world["stacks"])
        if (s["name"] == stack)
            for (const auto& r : s["resources"])
                if (r["logicalId"] == logical_id) return r["physicalId"];
    return {};
}

const json* find_by_id(const json& list, const std::string& id) {
    for (const auto& item : list)
        if (item["id"] == id) return &item;
    return nullptr;
}

TEST(ApplyMachines, TheNewTimescaleMachineHasItsTypeAndTheDataVolumeWithItsData) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    json before = read_world(state);
    std::string old_instance = physical_id(before, timescale, "Instance");
    std::string volume = physical_id(before, timescale, "Volume");
    const json* volume_before = find_by_id(before["volumes"], volume);
    ASSERT_NE(volume_before, nullptr);
    const json* instance_before = find_by_id(before["instances"], old_instance);
    ASSERT_NE(instance_before, nullptr);
    EXPECT_EQ((*instance_before)["instanceType"], "m5.large");  // the snapshot's value of InstanceType
    EXPECT_EQ((*instance_before)["volumeIds"], json::array({volume}));

    auto r = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    json after = read_world(state);
    std::string new_instance = physical_id(after, timescale, "Instance");
    ASSERT_NE(new_instance, old_instance) << "3.15 replaces the machine";
    EXPECT_EQ(physical_id(after, timescale, "Volume"), volume) << "the data volume is kept";
    const json* machine = find_by_id(after["instances"], new_instance);
    ASSERT_NE(machine, nullptr);
    EXPECT_EQ((*machine)["instanceType"], "m6i.large");  // the values file's InstanceType for 3.15
    EXPECT_EQ((*machine)["imageId"], "ami-0c1bc246476a5572b");  // the template's AMI for eu-west-1
    EXPECT_TRUE((*machine)["terminated_s"].is_null());
    const json& attached = (*machine)["volumeIds"];
    EXPECT_NE(std::find(attached.begin(), attached.end(), volume), attached.end()) << attached.dump();
    const json* volume_after = find_by_id(after["volumes"], volume);
    ASSERT_NE(volume_after, nullptr);
    EXPECT_EQ((*volume_after)["device"], "/dev/sdf");
    EXPECT_EQ((*volume_after)["data"], (*volume_before)["data"]) << "the data survived the detach and re-attach";
    // The new machine's boot volume (BlockDeviceMappings, from 3.15) is attached too.
    EXPECT_EQ(attached.size(), 2u) << attached.dump();
    const json* old_machine = find_by_id(after["instances"], old_instance);
    ASSERT_NE(old_machine, nullptr);
    EXPECT_FALSE((*old_machine)["terminated_s"].is_null());
    EXPECT_TRUE((*old_machine)["volumeIds"].empty());
}

}  // namespace
}  // namespace stackshift
