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

TEST(ApplyCrashTest, KilledAfterEveryJournalWriteResumesToTheSameWorld) {
    testing::TempDir dir;
    std::string initial = dir.file("initial.json");
    auto made = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--out", initial});
    ASSERT_EQ(made.exit_code, 0) << made.err;

    std::string reference_state = dir.file("reference.json");
    std::filesystem::copy_file(initial, reference_state);
    auto reference_run = run_stackshift(apply_args(reference_state, dir.file("reference.db"), false));
    ASSERT_EQ(reference_run.exit_code, 0) << reference_run.out << reference_run.err;
    json reference = final_state(reference_state);
    ASSERT_EQ(reference["version"], "3.15.1");
    ASSERT_EQ(reference["calls"]["RunTask"], 1);
    ASSERT_EQ(reference["calls"]["CreateSnapshot"], 1);
    ASSERT_EQ(reference["calls"]["CreateDBClusterSnapshot"], 1);

    // Sanitizer builds run ten times slower: there, every eighth point (the release tests kill
    // at every one; the sanitizers look for memory errors on the resume paths).
#ifdef STACKSHIFT_SANITIZED_TESTS
    const int stride = 8;
#else
    const int stride = 1;
#endif
    int killed = 0;
    bool ended = false;
    for (int point = 1;; point += stride) {
        SCOPED_TRACE("killed after journal write " + std::to_string(point));
        std::string state = dir.file("world-" + std::to_string(point) + ".json");
        std::string journal = dir.file("journal-" + std::to_string(point) + ".db");
        std::filesystem::copy_file(initial, state);
        auto first = run_stackshift(apply_args(state, journal, false),
                                    {"STACKSHIFT_CRASH_AFTER_JOURNAL_WRITES=" + std::to_string(point)});
        if (first.exit_code == 0) break;  // past the last write: the run finished untouched
        ASSERT_EQ(first.exit_code, 128 + SIGKILL) << first.out << first.err;
        ++killed;
        auto resumed = run_stackshift(apply_args(state, journal, true));
        if (resumed.err.find("nothing to resume") != std::string::npos) {
            // Killed after the last write, the run's end: it had finished.
            EXPECT_FALSE(ended) << "two points after the end of the run";
            ended = true;
        } else {
            ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
            EXPECT_NE(resumed.out.find("resuming run 1"), std::string::npos) << resumed.out;
            auto again = run_stackshift(apply_args(state, journal, true));
            EXPECT_NE(again.err.find("nothing to resume"), std::string::npos) << again.err;
        }
        EXPECT_EQ(final_state(state), reference);
        std::filesystem::remove(state);
    }
    EXPECT_TRUE(ended || stride > 1) << "the kill after the run's last write was not seen";
    EXPECT_GT(killed, 60 / stride) << "the example's upgrade has more journal points than that";
}

}  // namespace
}  // namespace stackshift
