// The instance refresh under SIGKILL: the example's upgrade to 3.19.2 killed right after each
// journal write of its refresh-instances step (the intent, the refresh id, the action's end, the
// step's end), then resumed. Each resume ends the upgrade with exactly one StartInstanceRefresh
// and every machine of the group on its launch configuration.

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>

#include "apply/apply_cli_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::apply_args;
using testing::read_world;
using testing::run_stackshift;

class RefreshCrash : public ::testing::Test {
protected:
    void SetUp() override {
        initial = dir.file("initial.json");
        testing::init_world(initial);
    }

    // Runs the upgrade killed after journal write `point` (or to its end when it has fewer).
    std::pair<std::string, std::string> run_to(int point) {
        std::string state = dir.file("world-" + std::to_string(point) + ".json");
        std::string journal = dir.file("journal-" + std::to_string(point) + ".db");
        std::filesystem::copy_file(initial, state, std::filesystem::copy_options::overwrite_existing);
        auto r = run_stackshift(apply_args(state, journal, {"--yes"}, "3.19.2"),
                                {"STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES=" + std::to_string(point)});
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 128 + SIGKILL) << r.out << r.err;
        return {state, journal};
    }

    // The state of the refresh's action in the journal ("" when there is none).
    static std::string refresh_action_state(const std::string& journal) {
        auto r = run_stackshift({"journal", "--journal", journal, "--run", "1", "--output", "json"});
        if (r.exit_code != 0) return "";  // killed before the run was recorded
        json run = json::parse(r.out)["run"];
        for (const auto& step : run["steps"])
            for (const auto& action : step["actions"])
                if (action["kind"] == "start-instance-refresh") return action["state"];
        return "";
    }

    // Whether the journal holds the refresh's action after a run killed at `point`.
    bool refresh_intended(int point) { return !refresh_action_state(run_to(point).second).empty(); }

    // The journal write that records the refresh's intent, by bisection (the run is deterministic).
    int intent_write() {
        int low = 1;  // not yet
        int high = 1024;
        EXPECT_TRUE(refresh_intended(high));
        while (high - low > 1) {
            int middle = (low + high) / 2;
            (refresh_intended(middle) ? high : low) = middle;
        }
        return high;
    }

    testing::TempDir dir;
    std::string initial;
};

TEST_F(RefreshCrash, KilledAfterEachWriteOfTheRefreshStepTheResumeStartsNoSecondRefresh) {
    int intent = intent_write();
    const std::vector<std::string> recorded = {"intended", "started", "done", "done"};
    for (int point = intent; point < intent + 4; ++point) {
        SCOPED_TRACE("killed after journal write " + std::to_string(point));
        auto [state, journal] = run_to(point);
        EXPECT_EQ(refresh_action_state(journal), recorded[static_cast<std::size_t>(point - intent)]);
        auto resumed = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}, "3.19.2"));
        ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
        json world = read_world(state);
        EXPECT_EQ(world["version"], "3.19.2");
        EXPECT_EQ(world["apiCalls"]["StartInstanceRefresh"], 1);
        ASSERT_EQ(world["instanceRefreshes"].size(), 1u);
        EXPECT_EQ(world["instanceRefreshes"][0]["status"], "Successful");
        for (const auto& g : world["autoScalingGroups"])
            for (const auto& id : g["instanceIds"])
                for (const auto& i : world["instances"]) {
                    if (i["id"] == id) {
                        EXPECT_EQ(i["launchConfiguration"], g["launchConfiguration"]) << id;
                    }
                }
        std::filesystem::remove(state);
    }
}

}  // namespace
}  // namespace stackshift
