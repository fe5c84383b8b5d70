// End-to-end: `stackshift migrations` on the project's release-notes fixtures, read through
// its JSON output; errors checked as exact messages with nothing on stdout.

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::data_path;
using testing::run_stackshift;
using testing::TempDir;

const std::string folder = data_path("release/notes/whats-new");
const std::string layout =
    "expected a folder of <version>.md files (such as 3.19.2.md) or a keep-a-changelog file with headings such as "
    "'## [3.19.2] - 2022-05-25'";
const std::string known =
    "3.18.0, 3.19.0, 3.19.1, 3.19.2, 3.20.0, 3.21.0, 3.22.0, 3.22.1, 3.22.2, 3.23.0, 3.24.0, 3.24.1, 3.25.0, 3.25.1, 3.26.0";

json migrations_json(const std::string& notes, const std::string& from, const std::string& to) {
    auto r = run_stackshift({"migrations", "--notes", notes, "--from", from, "--to", to, "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return json::parse(r.out);
}

// The error of a run that must fail with exit code 2 and print nothing on stdout.
std::string bad_input(const std::vector<std::string>& args) {
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    return r.err;
}

TEST(MigrationsCli, JsonFollowsTheContract) {
    json j = migrations_json(folder, "3.18.0", "3.26.0");
    EXPECT_EQ(j["from"], "3.18.0");
    EXPECT_EQ(j["to"], "3.26.0");
    ASSERT_TRUE(j["migrations"].is_array() && j["waypoints"].is_array() && j["removed"].is_array());
    for (const auto& m : j["migrations"]) {
        EXPECT_TRUE(m["database"].is_string() && m["command"].is_string() && m["required_by"].is_array() &&
                    m["conditional"].is_boolean() && m["run_with"].is_string())
            << m.dump();
    }
    for (const auto& w : j["waypoints"]) {
        EXPECT_TRUE(w["version"].is_string() && w["database"].is_string() && w["source"].is_string()) << w.dump();
    }
    for (const auto& r : j["removed"]) EXPECT_TRUE(r["command"].is_string() && r["version"].is_string()) << r.dump();
}

TEST(MigrationsCli, OneMigrationPerCommandWithEveryRelease) {
    json j = migrations_json(folder, "3.18.0", "3.21.0");
    ASSERT_EQ(j["migrations"].size(), 6u);
    const json& is = j["migrations"][0];
    EXPECT_EQ(is["database"], "is-db");
    EXPECT_EQ(is["command"], "is-db migrate");
    EXPECT_EQ(is["required_by"], json({"3.19.0", "3.21.0"}));
    EXPECT_EQ(is["conditional"], false);
    EXPECT_EQ(is["run_with"], "3.21.0");
    const json& noc = j["migrations"][1];
    EXPECT_EQ(noc["command"], "noc-db init");
    EXPECT_EQ(noc["operation"], "init");
    const json& storage = j["migrations"][3];
    EXPECT_EQ(storage["command"], "storage-db migrate");
    EXPECT_EQ(storage["conditional"], true);
    EXPECT_EQ(storage["conditions"].size(), 2u);
    EXPECT_EQ(j["waypoints"], json::parse(R"([{"version": "3.19.2", "database": "is-db", "source": "3.19.2.md:11",
        "written": "3.19.2", "command": "is-db migrate", "declared_in": "3.19.2",
        "sentence": "Direct upgrades of the Identity Server database from versions before `v3.19.2` to later versions are not supported. You must first upgrade to v3.19.2. If you are on an earlier version, run `is-db migrate` with the `v3.19.2` binary, then again with the target binary."}])"));
}

TEST(MigrationsCli, RemovedBeforeTheTargetNamesTheLastVersionWithTheCommand) {
    json j = migrations_json(folder, "3.24.1", "3.26.0");
    const json& dcs = j["migrations"][0];
    EXPECT_EQ(dcs["command"], "dcs-db migrate");
    EXPECT_EQ(dcs["required_by"], json({"3.25.0"}));
    EXPECT_EQ(dcs["run_with"], "3.25.1");
    EXPECT_EQ(dcs["removed_in"], "3.26.0");
    EXPECT_EQ(dcs["last_version_with_command"], "3.25.1");
    EXPECT_EQ(j["removed"], json::parse(R"([
        {"command": "dcs-db migrate", "version": "3.26.0", "database": "dcs-db", "source": "3.26.0.md:12"},
        {"command": "dr-db init", "version": "3.26.0", "database": "dr-db", "source": "3.26.0.md:13"}])"));
}

TEST(MigrationsCli, AMinorVersionMeansItsLatestPatch) {
    json j = migrations_json(folder, "3.23", "3.25");
    EXPECT_EQ(j["from"], "3.23.0");
    EXPECT_EQ(j["to"], "3.25.1");
    ASSERT_EQ(j["waypoints"].size(), 1u);
    EXPECT_EQ(j["waypoints"][0]["version"], "3.24.1");
    EXPECT_EQ(j["waypoints"][0]["written"], "3.24");
}

TEST(MigrationsCli, KeepAChangelogFile) {
    json j = migrations_json(data_path("release/notes/changelog/CHANGELOG.md"), "3.14.1", "3.16.0");
    std::vector<std::string> commands;
    for (const auto& m : j["migrations"]) commands.push_back(m["command"]);
    EXPECT_EQ(commands, (std::vector<std::string>{"storage-db init", "is-db migrate", "js-db migrate", "as-db migrate"}));
    EXPECT_EQ(j["waypoints"][0]["source"], "CHANGELOG.md:33");
    EXPECT_EQ(j["removed"][0]["command"], "js-db migrate");
}

TEST(MigrationsCli, TextNamesWaypointsOperationsAndRemovals) {
    auto r = run_stackshift({"migrations", "--notes", folder, "--from", "3.24.1", "--to", "3.26.0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "Database operations from 3.24.1 to 3.26.0\n"
              "Release notes read: 3.25.0, 3.25.1, 3.26.0\n"
              "\n"
              "Run once each, with the 3.26.0 image unless said otherwise:\n"
              "  1. dcs-db migrate         required by 3.25.0\n"
              "       removed in 3.26.0: run it with 3.25.1, the last version that still has it\n"
              "  2. is-db migrate          required by 3.26.0\n"
              "\n"
              "Database commands removed on the way:\n"
              "  dcs-db migrate         removed in 3.26.0  3.26.0.md:12\n"
              "  dr-db init             removed in 3.26.0  3.26.0.md:13\n"
              "\n"
              "warning: " + folder + "/_index.md: skipped: _index.md is the section page of the notes, not a release\n"
              "warning: dcs-db migrate (required by 3.25.0) was removed in 3.26.0: run it with 3.25.1, the last version "
              "that still has it, before upgrading to 3.26.0\n");
}

TEST(MigrationsCli, UnknownVersionListsTheKnownOnes) {
    EXPECT_EQ(bad_input({"migrations", "--notes", folder, "--from", "3.18.0", "--to", "3.30.0"}),
              "stackshift: error: unknown version '3.30.0' in --to; known versions are " + known + " (read from " + folder +
                  ")\n");
}

TEST(MigrationsCli, FromNeedsNoNotesFileOfItsOwn) {
    // 3.17.2 has no notes file: nothing of it is needed, only what comes after it.
    json j = migrations_json(folder, "3.17.2", "3.19.0");
    EXPECT_EQ(j["from"], "3.17.2");
    ASSERT_EQ(j["migrations"].size(), 2u);
    EXPECT_EQ(j["migrations"][0]["required_by"], json::array({"3.18.0"}));
    EXPECT_EQ(j["migrations"][1]["required_by"], json::array({"3.19.0"}));
    // A minor version still needs a release of it to resolve.
    EXPECT_EQ(bad_input({"migrations", "--notes", folder, "--from", "3.17", "--to", "3.19.0"}),
              "stackshift: error: no known release of 3.17 for --from; known versions are " + known + " (read from " +
                  folder + ")\n");
}

TEST(MigrationsCli, FromAfterTo) {
    EXPECT_EQ(bad_input({"migrations", "--notes", folder, "--from", "3.24.0", "--to", "3.19.2"}),
              "stackshift: error: --from 3.24.0 is not before --to 3.19.2; give the version deployed now in --from and a "
              "later one in --to\n");
}

TEST(MigrationsCli, MissingFolder) {
    TempDir dir;
    EXPECT_EQ(bad_input({"migrations", "--notes", dir.file("notes"), "--from", "3.18.0", "--to", "3.19.0"}),
              "stackshift: error: " + dir.file("notes") + ": no such file or folder; " + layout + "\n");
}

TEST(MigrationsCli, BadOutputFormat) {
    EXPECT_EQ(bad_input({"migrations", "--notes", folder, "--from", "3.18.0", "--to", "3.19.0", "--output", "jsn"}),
              "stackshift: error: unknown output format 'jsn' in --output (did you mean 'json'?); choose text or json\n");
}

TEST(MigrationsCli, MissingOptionIsAUsageError) {
    auto err = bad_input({"migrations", "--notes", folder, "--from", "3.18.0"});
    EXPECT_NE(err.find("--to is required"), std::string::npos) << err;
}

}  // namespace
}  // namespace stackshift
