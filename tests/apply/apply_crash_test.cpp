// The crash test of `stackshift apply`: two upgrades in the simulator, killed with SIGKILL right
// after each journal write in turn (the journal's STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES hook),
// then resumed with --resume. The example's 3.14.2 -> 3.15.1 has every step kind but deploy and
// delete (change-set updates, parameter-only updates, a volume snapshot, a termination, a cluster
// snapshot, a migration task, a manual step); the lifecycle fixture (tests/data/lifecycle: one
// stack updated, one deleted, one deployed) has those two. Every attempt must end in the same
// world as an uninterrupted run, with no side effect repeated: no change set executed twice, no
// second migration, snapshot (of the volume or of the cluster), termination, deletion or creation.

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

// An upgrade the crash test kills: its deployment and the arguments of its apply.
struct Upgrade {
    std::string deployment;
    std::vector<std::string> arguments;
    std::string to;
    int min_points = 0;  // journal writes an uninterrupted run makes, at least
};

Upgrade example_upgrade() {
    return {source_path("examples/deployment/acme-prod-3.14.2.json"),
            {"--releases", source_path("examples/releases"), "--to", "3.15.1", "--values",
             source_path("examples/values-3.15.1.yaml"), "--allow-replace", "acme-prod-2-5-db-timescale/Volume"},
            "3.15.1",
            60};
}

Upgrade lifecycle_upgrade() {
    return {source_path("tests/data/lifecycle/deployment/lc-1.0.0.json"),
            {"--releases", source_path("tests/data/lifecycle/releases"), "--to", "1.1.0", "--product", "numbered-stacks"},
            "1.1.0",
            20};
}

std::vector<std::string> apply_args(const Upgrade& upgrade, const std::string& state, const std::string& journal, bool resume) {
    std::vector<std::string> args = {"apply", "--backend", "sim:" + state, "--journal", journal};
    args.insert(args.end(), upgrade.arguments.begin(), upgrade.arguments.end());
    args.emplace_back("--yes");
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
    // Each stack's own creations and deletions, from its events: a stack created twice (a
    // second change set of type create executed) or deleted twice shows here.
    for (const auto& s : world["stacks"]) {
        int created = 0;
        int deleted = 0;
        for (const auto& e : s["events"]) {
            if (e["logicalId"] != s["name"]) continue;
            created += e["status"] == "CREATE_IN_PROGRESS" ? 1 : 0;
            deleted += e["status"] == "DELETE_IN_PROGRESS" ? 1 : 0;
        }
        out["lifecycle"][s["name"].get<std::string>()] = {created, deleted};
    }
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

class CrashRuns {
protected:
    // The world before and after an uninterrupted run of the upgrade.
    void prepare(const Upgrade& chosen) {
        upgrade = chosen;
        initial = dir.file("initial.json");
        auto made = run_stackshift({"sim", "init", "--deployment", upgrade.deployment, "--out", initial});
        ASSERT_EQ(made.exit_code, 0) << made.err;

        std::string reference_state = dir.file("reference.json");
        std::filesystem::copy_file(initial, reference_state);
        auto reference_run = run_stackshift(apply_args(upgrade, reference_state, dir.file("reference.db"), false));
        ASSERT_EQ(reference_run.exit_code, 0) << reference_run.out << reference_run.err;
        reference = final_state(reference_state);
        ASSERT_EQ(reference["version"], upgrade.to);
    }

    void expect_example_side_effects() const {
        EXPECT_EQ(reference["calls"]["RunTask"], 1);
        EXPECT_EQ(reference["calls"]["CreateSnapshot"], 1);
        EXPECT_EQ(reference["calls"]["CreateDBClusterSnapshot"], 1);
        EXPECT_EQ(reference["calls"]["TerminateInstances"], 1);
        EXPECT_GT(reference["calls"]["UpdateStack"], 0);
    }

    void expect_lifecycle_side_effects() const {
        EXPECT_EQ(reference["calls"]["DeleteStack"], 1);
        EXPECT_EQ(reference["calls"]["ExecuteChangeSet"], 2);
        EXPECT_EQ(reference["lifecycle"]["lc-2-1-archive"], json::array({0, 1}));
        EXPECT_EQ(reference["lifecycle"]["lc-3-1-alerts"], json::array({1, 0}));
    }

    // Runs apply killed after journal write `point`; true when it was killed, false when the
    // run ended before it (past the last write).
    bool killed_at(int point, const std::string& state, const std::string& journal) {
        std::filesystem::copy_file(initial, state, std::filesystem::copy_options::overwrite_existing);
        auto first = run_stackshift(apply_args(upgrade, state, journal, false),
                                    {"STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES=" + std::to_string(point)});
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

    // Kills the run after every shard_stride-th journal write from `first`, resumes each, and
    // checks the world; returns the first point past the end and the number of kills.
    std::pair<int, int> kill_every_point_of_shard(int first);

    testing::TempDir dir;
    Upgrade upgrade;
    std::string initial;
    json reference;
};

std::pair<int, int> CrashRuns::kill_every_point_of_shard(int first) {
    int killed = 0;
    bool ended = false;
    int point = first;
    for (;; point += shard_stride) {
        SCOPED_TRACE("killed after journal write " + std::to_string(point));
        std::string state = dir.file("world-" + std::to_string(point) + ".json");
        std::string journal = dir.file("journal-" + std::to_string(point) + ".db");
        if (!killed_at(point, state, journal)) break;  // past the last write: the run finished untouched
        EXPECT_FALSE(ended) << "a kill after the run had ended";
        ++killed;
        auto resumed = run_stackshift(apply_args(upgrade, state, journal, true));
        if (resumed.out.find("nothing to resume") != std::string::npos) {
            // Killed after the run's last write: it had finished. Only the last point may be so.
            EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
            ended = true;
        } else {
            EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
            EXPECT_NE(resumed.out.find("resuming run 1"), std::string::npos) << resumed.out;
            auto again = run_stackshift(apply_args(upgrade, state, journal, true));
            EXPECT_EQ(again.exit_code, 0) << again.err;
            EXPECT_NE(again.out.find("already finished (succeeded at "), std::string::npos) << again.out << again.err;
        }
        EXPECT_EQ(final_state(state), reference);
        std::filesystem::remove(state);
    }
    return {point, killed};
}

class ApplyCrashTest : public CrashRuns, public ::testing::TestWithParam<int> {};
class ApplyCrashEnd : public CrashRuns, public ::testing::Test {};
class ApplyLifecycleCrashTest : public CrashRuns, public ::testing::TestWithParam<int> {};

TEST_P(ApplyCrashTest, KilledAfterEveryJournalWriteResumesToTheSameWorld) {
    ASSERT_NO_FATAL_FAILURE(prepare(example_upgrade()));
    expect_example_side_effects();
    auto [point, killed] = kill_every_point_of_shard(1 + GetParam());
    // Every shard reaches past the end of the run: the example has more points than that.
    EXPECT_GT(point, upgrade.min_points) << "the example's upgrade has more journal points than that";
    EXPECT_GT(killed, upgrade.min_points / shard_stride);
}

// Deploy-stack and delete-stack at every journal point: the new stack created once, the removed
// one deleted once, whatever write the kill came after.
TEST_P(ApplyLifecycleCrashTest, KilledAfterEveryJournalWriteResumesToTheSameWorld) {
    ASSERT_NO_FATAL_FAILURE(prepare(lifecycle_upgrade()));
    expect_lifecycle_side_effects();
    auto [point, killed] = kill_every_point_of_shard(1 + GetParam());
    EXPECT_GT(point, upgrade.min_points) << "the lifecycle upgrade has more journal points than that";
    EXPECT_GT(killed, upgrade.min_points / shard_stride);
}

// The kill after the last write, the run's end, falls in one shard (or none, in the sanitized
// build, whose shards skip points); here it is found by bisection and checked every time.
TEST_F(ApplyCrashEnd, KilledAfterTheLastJournalWriteLeavesNothingToResume) {
    ASSERT_NO_FATAL_FAILURE(prepare(example_upgrade()));
    const int last = last_write();
    std::string state = dir.file("world-last.json");
    std::string journal = dir.file("journal-last.db");
    ASSERT_TRUE(killed_at(last, state, journal));
    auto resumed = run_stackshift(apply_args(upgrade, state, journal, true));
    EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("already finished (succeeded at "), std::string::npos) << resumed.out << resumed.err;
    EXPECT_EQ(final_state(state), reference);
    EXPECT_FALSE(killed_at(last + 1, dir.file("world-after.json"), dir.file("journal-after.db")));
}

std::string shard_name(const ::testing::TestParamInfo<int>& shard) { return "Shard" + std::to_string(shard.param); }

INSTANTIATE_TEST_SUITE_P(Shards, ApplyCrashTest, ::testing::Range(0, shards), shard_name);
INSTANTIATE_TEST_SUITE_P(Shards, ApplyLifecycleCrashTest, ::testing::Range(0, shards), shard_name);

}  // namespace
}  // namespace stackshift
