// A run resumes under its plan however the operator spells the release folder: the plan's
// identity (plan/fingerprint.hpp) holds what the plan does, not the paths it was read from.

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "apply/apply_cli_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::apply_args;
using testing::init_world;
using testing::read_world;
using testing::run_stackshift;
using testing::source_path;
using testing::write_world;

// The process's working directory for the life of the object (the binary inherits it).
class WorkingDirectory {
public:
    explicit WorkingDirectory(const std::string& dir) : m_previous(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~WorkingDirectory() { std::filesystem::current_path(m_previous); }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;

private:
    std::filesystem::path m_previous;
};

// apply_args with the release folder given as `releases`.
std::vector<std::string> with_releases(std::vector<std::string> args, const std::string& releases) {
    auto it = std::find(args.begin(), args.end(), "--releases");
    EXPECT_NE(it, args.end());
    if (it != args.end()) *(it + 1) = releases;
    return args;
}

void clear_failing_resources(const std::string& state) {
    json world = read_world(state);
    world["scenario"]["failing_resources"] = json::array();
    write_world(state, world);
}

TEST(ApplyResumeIdentity, AResumeWithTheReleasesSpelledOtherwiseReattachesToTheRun) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state, dir.write("faults.yaml", "failing_resources:\n  - stack: acme-prod-5-2-ecs-ops\n"
                                               "    logicalId: TaskDefinition\n    rollback: complete\n"));
    auto failed = run_stackshift(apply_args(state, journal, {"--yes"}));
    ASSERT_EQ(failed.exit_code, 1) << failed.out << failed.err;
    EXPECT_NE(failed.err.find("acme-prod-5-2-ecs-ops"), std::string::npos) << failed.err;
    clear_failing_resources(state);

    // Relative to the project's folder, with "./": the first run had the absolute path.
    WorkingDirectory in_project(source_path(""));
    auto resumed =
        run_stackshift(with_releases(apply_args(state, journal, {"--yes", "--resume"}), "./examples/releases"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("resuming run 1 of " + journal), std::string::npos) << resumed.out;
    EXPECT_EQ(read_world(state)["version"], "3.15.1");
    auto runs = run_stackshift({"journal", "--journal", journal, "--output", "json"});
    ASSERT_EQ(runs.exit_code, 0) << runs.err;
    json listed = json::parse(runs.out)["runs"];
    ASSERT_EQ(listed.size(), 1u) << runs.out;  // the resume finished the run, none replaced it
    EXPECT_EQ(listed[0]["outcome"], "succeeded");
}

TEST(ApplyResumeIdentity, AnAbsolutePathSpelledOtherwiseIsTheSamePlan) {
    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state, dir.write("faults.yaml", "failing_resources:\n  - stack: acme-prod-5-2-ecs-ops\n"
                                               "    logicalId: TaskDefinition\n    rollback: complete\n"));
    auto failed = run_stackshift(apply_args(state, journal, {"--yes"}));
    ASSERT_EQ(failed.exit_code, 1) << failed.out << failed.err;
    clear_failing_resources(state);

    auto resumed = run_stackshift(
        with_releases(apply_args(state, journal, {"--yes", "--resume"}), source_path("examples/./releases/")));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("resuming run 1 of " + journal), std::string::npos) << resumed.out;
    EXPECT_EQ(read_world(state)["version"], "3.15.1");
}

}  // namespace
}  // namespace stackshift
