// End-to-end: `stackshift changelog` on the project's fixture, read through its JSON output,
// and its errors (exit 2, nothing on stdout, a message that names the fix).

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::data_path;
using testing::run_stackshift;
using Strings = std::vector<std::string>;

const std::string fixture = data_path("release/changelog/phrasings.md");

json changelog_json(const std::string& from, const std::string& to) {
    auto r = run_stackshift({"changelog", fixture, "--from", from, "--to", to, "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

TEST(ChangelogCli, JsonFollowsTheContract) {
    json j = changelog_json("4.0.1", "4.3.0");
    EXPECT_EQ(j["from"], "4.0.1");
    EXPECT_EQ(j["to"], "4.3.0");
    EXPECT_EQ(j["versions"], json(Strings{"4.1.0", "4.2.0", "4.3.0"}));
    ASSERT_TRUE(j["templates"].is_object());
    EXPECT_EQ(j["templates"]["5-4-ecs-services"]["versions"], json(Strings{"4.2.0"}));
    EXPECT_EQ(j["templates"]["5-4-ecs-services"]["entries"].size(), 17u);
    EXPECT_EQ(j["templates"]["9-5-extras"]["entries"], json(Strings{"Add new optional template for extra things."}));
    EXPECT_EQ(j["templates"]["7-1-alpha"]["name_in_target"], "7-3-gamma");
    EXPECT_TRUE(j["templates"].contains("2-2-db-aurora-replica"));
    EXPECT_EQ(j["other"]["Proxy"], json(Strings{"Removed the legacy routes.", "Upgraded Envoy."}));
    EXPECT_TRUE(j["other"].contains("AMI/BYOL template"));
    EXPECT_FALSE(j["other"].contains("Upgrade procedure"));
}

TEST(ChangelogCli, RenamesOfBothKinds) {
    json j = changelog_json("4.1.0", "4.2.0");
    json expected_template = {{"kind", "template"}, {"from", "7-2-beta"}, {"to", "7-3-gamma"}, {"version", "4.2.0"}};
    ASSERT_GE(j["renames"].size(), 2u);
    json first = j["renames"][0];
    first.erase("source");
    EXPECT_EQ(first, expected_template);
    json interop;
    for (const auto& r : j["renames"]) {
        if (r["kind"] == "parameter" && r["from"] == "InteropMode") interop = r;
    }
    EXPECT_EQ(interop["template"], "5-3a-ecs-is-service");
    EXPECT_EQ(interop["to"], "InteropModeIS");
    EXPECT_EQ(interop["values"], json({{"identity-server", "mutual"}}));
    EXPECT_EQ(interop["otherwise"], "disabled");
    EXPECT_EQ(interop["version"], "4.2.0");
}

TEST(ChangelogCli, ProceduresAsOrderedSteps) {
    json j = changelog_json("4.2.0", "4.3.0");
    ASSERT_EQ(j["procedures"].size(), 1u);
    EXPECT_EQ(j["procedures"][0]["version"], "4.3.0");
    EXPECT_EQ(j["procedures"][0]["steps"],
              json(Strings{"As this version removes resources, the standard order cannot be followed directly.",
                           "The `9-4-tasks` template needs to be upgraded first.", "Keep the old value of `TaskCount`.",
                           "The standard upgrade procedure can commence afterwards."}));
    EXPECT_EQ(j["unrecognized"].size(), 2u);
    EXPECT_EQ(j["lifecycle"][0], json({{"template", "9-9-old-task"},
                                       {"event", "undeploy"},
                                       {"version", "4.3.0"},
                                       {"source", fixture + ":33"},
                                       {"before", "9-4-tasks"}}));
}

TEST(ChangelogCli, TextShowsWhatWasNotUnderstood) {
    auto r = run_stackshift({"changelog", fixture, "--from", "4.1.0", "--to", "4.2.0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Not understood: read these yourself\n  5-4-ecs-services: This is done via the `HelperParam` parameter."),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  template 7-2-beta -> 7-3-gamma"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\033["), std::string::npos);  // not a terminal: no color
}

TEST(ChangelogCli, MinorVersionMeansItsLatestPatch) {
    json j = changelog_json("4.0", "4.2");
    EXPECT_EQ(j["from"], "4.0.1");
    EXPECT_EQ(j["versions"], json(Strings{"4.1.0", "4.2.0"}));
}

TEST(ChangelogCli, UnknownVersion) {
    auto r = run_stackshift({"changelog", fixture, "--from", "4.0.0", "--to", "4.9.0"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stackshift: error: unknown version '4.9.0' in --to; known versions are 4.0.0, 4.0.1, 4.1.0, 4.2.0, "
                     "4.3.0 (versions with a section in " + fixture + ")\n");
}

TEST(ChangelogCli, NotAVersion) {
    auto r = run_stackshift({"changelog", fixture, "--from", "x", "--to", "4.3.0"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stackshift: error: invalid version 'x' in --from; expected MAJOR.MINOR.PATCH such as 3.24.2, or "
                     "MAJOR.MINOR for its latest patch (versions with a section in " + fixture + ")\n");
}

TEST(ChangelogCli, FromAfterTo) {
    auto r = run_stackshift({"changelog", fixture, "--from", "4.3.0", "--to", "4.1.0"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stackshift: error: --from 4.3.0 is after --to 4.1.0; an upgrade goes from an older version to a "
                     "newer one (swap them)\n");
}

TEST(ChangelogCli, MissingFile) {
    auto r = run_stackshift({"changelog", "/nonexistent/UPGRADING.md", "--from", "4.0.0", "--to", "4.1.0"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("stackshift: error: /nonexistent/UPGRADING.md"), std::string::npos) << r.err;
}

TEST(ChangelogCli, BadOutputFormat) {
    auto r = run_stackshift({"changelog", fixture, "--from", "4.0.0", "--to", "4.1.0", "--output", "yaml"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("--output"), std::string::npos) << r.err;
}

TEST(ChangelogCli, InvalidChangelogNamesFileAndLine) {
    testing::TempDir dir;
    std::string path = dir.write("UPGRADING.md", "# Upgrading\n\n## 3.x\n");
    auto r = run_stackshift({"changelog", path, "--from", "3.0.0", "--to", "3.1.0"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stackshift: error: " + path +
                         ":3:1: version heading '3.x' is not a version; expected MAJOR.MINOR.PATCH such as 3.15.0, or "
                         "'Unreleased'\n");
}

}  // namespace
}  // namespace stackshift

namespace stackshift {
namespace {

// The directives of the example's changelog, with the ids a values file acknowledges them by.
TEST(ChangelogCli, DirectivesAreListedWithTheirIds) {
    auto r = testing::run_stackshift({"changelog", testing::source_path("examples/releases/3.30.2/UPGRADING.md"),
                                      "--from", "3.14.2", "--to", "3.30.2", "--output", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    std::vector<std::string> ids;
    for (const auto& d : j["directives"]) ids.push_back(d["kind"].get<std::string>() + " " + d["id"].get<std::string>());
    EXPECT_EQ(ids, (std::vector<std::string>{"enter 3.15.0/4-2a-configuration/make-sure-you-enter-the",
                                             "check 3.17.2/5-1-ecs-cluster/you-need-to-update-the",
                                             "equal-to 3.19.0/4-2a-configuration/its-default-is-empty-which",
                                             "mapping 3.22.0/2-3-db-redis/deployments-that-used-value-should",
                                             "mapping 3.22.0/2-3-db-redis/deployments-that-used-value-should-2",
                                             "mapping 3.22.0/2-3-db-redis/deployments-that-used-value-should-3",
                                             "mapping 3.22.0/2-3-db-redis/deployments-that-used-value-should-4",
                                             "mapping 3.22.0/2-3-db-redis/deployments-that-used-value-should-5",
                                             "set 3.30.0/2-5-db-timescale/deployments-created-before-this-version"}));
    EXPECT_EQ(j["directives"][3]["parameter"], "RedisNodeType");
    const auto& engine = j["directives"][8];
    EXPECT_EQ(engine["parameter"], "DBEngineVersion");
    EXPECT_EQ(engine["value"], "12");
    EXPECT_EQ(engine["created_before"], "3.30.0");
}

}  // namespace
}  // namespace stackshift
