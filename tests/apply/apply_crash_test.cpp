// The crash test of `stackshift apply`: the example's upgrade 3.14.2 -> 3.15.1 in the simulator,
// killed with SIGKILL right after each journal write in turn (the journal's
// STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES hook), then resumed with --resume. Every attempt must
// end in the same world as an uninterrupted run, with no side effect repeated: no change set
// executed twice, no second migration, snapshot (of the volume or of the cluster) or termination.

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>

#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::read_text;
using testing::run_stackshift;
using testing::source_path;

std::vector<std::string> apply_args(const std::string& state, const std::string& journal, bool resume) {
    std::vector<std::string> args = {"apply", "--backend", "sim:" + state, "--journal", journal, "--releases",
                                     source_path("examples/releases"), "--to", "3.15.1", "--values",
                                     source_path("examples/values-3.15.1.yaml"), "--allow-replace",
                                     "acme-prod-2-5-db-timescale/Volume", "--yes"};
    if (resume) args.emplace_back("--resume");
    return args;
}

// What must come out the same: every stack's status, template and parameters, the data lost,
// the world's version, and how often each side effect was asked for.
json final_state(const std::string& state) {
    json world = json::parse(read_text(state));
    json out;
    for (const auto& s : world["stacks"])
        out["stacks"][s["name"].get<std::string>()] = {s["status"], s["templateBody"], s["parameters"]};
    for (const auto& lost : world["dataLost"]) out["lost"].push_back({lost["stack"], lost["logicalId"]});
    out["version"] = world["version"];
    for (const char* op : {"CreateChangeSet", "ExecuteChangeSet", "UpdateStack", "DeleteStack", "RunTask", "CreateSnapshot",
                           "TerminateInstances", "CreateDBClusterSnapshot"})
        out["calls"][op] = world["apiCalls"].value(op, 0);
    return out;
}

// The shards of the kill points: shard s kills after writes s+1, s+1+shards, ... so that ctest
// runs them side by side. Sanitizer builds run ten times slower: there each shard takes every
// other of its points (every eighth point in all; the sanitizers look for memory errors on the
// resume paths, the release tests kill at every point).
constexpr int shards = 4;
#ifdef STACKSHIFT_SANITIZED_TESTS
constexpr int shard_stride = 2 * shards;
#else
constexpr int shard_stride = shards;
#endif

class CrashRuns : public ::testing::Test {
protected:
    void SetUp() override {
        initial = dir.file("initial.json");
        auto made = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--out", initial});
        ASSERT_EQ(made.exit_code, 0) << made.err;

        std::string reference_state = dir.file("reference.json");
        std::filesystem::copy_file(initial, reference_state);
        auto reference_run = run_stackshift(apply_args(reference_state, dir.file("reference.db"), false));
        ASSERT_EQ(reference_run.exit_code, 0) << reference_run.out << reference_run.err;
        reference = final_state(reference_state);
        ASSERT_EQ(reference["version"], "3.15.1");
        ASSERT_EQ(reference["calls"]["RunTask"], 1);
        ASSERT_EQ(reference["calls"]["CreateSnapshot"], 1);
        ASSERT_EQ(reference["calls"]["CreateDBClusterSnapshot"], 1);
    }

    // Runs apply killed after journal write `point`; true when it was killed, false when the
    // run ended before it (past the last write).
    bool killed_at(int point, const std::string& state, const std::string& journal) {
        std::filesystem::copy_file(initial, state, std::filesystem::copy_options::overwrite_existing);
        auto first = run_stackshift(apply_args(state, journal, false), {"STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES=" + std::to_string(point)});
        if (first.exit_code == 0) return false;
        EXPECT_EQ(first.exit_code, 128 + SIGKILL) << first.out << first.err;
        return true;
    }

    // The number of journal writes of an uninterrupted run: the last point that kills, found by
    // bisection (the run is deterministic).
    int last_write() {
        int low = 1;  // kills
        int high = 2;
        while (killed_at(high, dir.file("probe.json"), dir.file("probe-" + std::to_string(high) + ".db"))) {
            low = high;
            high *= 2;
        }
        while (high - low > 1) {
            int middle = (low + high) / 2;
            if (killed_at(middle, dir.file("probe.json"), dir.file("probe-" + std::to_string(middle) + ".db"))) low = middle;
            else high = middle;
        }
        return low;
    }

    testing::TempDir dir;
    std::string initial;
    json reference;
};

class ApplyCrashTest : public CrashRuns, public ::testing::WithParamInterface<int> {};
using ApplyCrashEnd = CrashRuns;

TEST_P(ApplyCrashTest, KilledAfterEveryJournalWriteResumesToTheSameWorld) {
    int killed = 0;
    bool ended = false;
    int point = 1 + GetParam();
    for (;; point += shard_stride) {
        SCOPED_TRACE("killed after journal write " + std::to_string(point));
        std::string state = dir.file("world-" + std::to_string(point) + ".json");
        std::string journal = dir.file("journal-" + std::to_string(point) + ".db");
        if (!killed_at(point, state, journal)) break;  // past the last write: the run finished untouched
        ASSERT_FALSE(ended) << "a kill after the run had ended";
        ++killed;
        auto resumed = run_stackshift(apply_args(state, journal, true));
        if (resumed.out.find("nothing to resume") != std::string::npos) {
            // Killed after the run's last write: it had finished. Only the last point may be so.
            EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
            ended = true;
        } else {
            ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
            EXPECT_NE(resumed.out.find("resuming run 1"), std::string::npos) << resumed.out;
            auto again = run_stackshift(apply_args(state, journal, true));
            EXPECT_EQ(again.exit_code, 0) << again.err;
            EXPECT_NE(again.out.find("already finished (succeeded at "), std::string::npos) << again.out << again.err;
        }
        EXPECT_EQ(final_state(state), reference);
        std::filesystem::remove(state);
    }
    // Every shard reaches past the end of the run: the example has more points than that.
    EXPECT_GT(point, 60) << "the example's upgrade has more journal points than that";
    EXPECT_GT(killed, 60 / shard_stride);
}

// The kill after the last write, the run's end, falls in one shard (or none, in the sanitized
// build, whose shards skip points); here it is found by bisection and checked every time.
TEST_F(ApplyCrashEnd, KilledAfterTheLastJournalWriteLeavesNothingToResume) {
    const int last = last_write();
    std::string state = dir.file("world-last.json");
    std::string journal = dir.file("journal-last.db");
    ASSERT_TRUE(killed_at(last, state, journal));
    auto resumed = run_stackshift(apply_args(state, journal, true));
    EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("already finished (succeeded at "), std::string::npos) << resumed.out << resumed.err;
    EXPECT_EQ(final_state(state), reference);
    EXPECT_FALSE(killed_at(last + 1, dir.file("world-after.json"), dir.file("journal-after.db")));
}

INSTANTIATE_TEST_SUITE_P(Shards, ApplyCrashTest, ::testing::Range(0, shards),
                         [](const ::testing::TestParamInfo<int>& shard) { return "Shard" + std::to_string(shard.param); });

}  // namespace
}  // namespace stackshift
