// Questions asked of a read changelog: what a template is called in a version (renames chain
// across versions, both ways), which versions touched it, and the slice an upgrade crosses.

#include "changelog_test_support.hpp"

namespace stackshift {
namespace {

using namespace testing;
using Strings = std::vector<std::string>;

const release::Changelog& fixture() {
    static const release::Changelog c = changelog_fixture("phrasings.md");
    return c;
}

TEST(ChangelogNames, RenamedTwiceResolvesToTheNewestName) {
    EXPECT_EQ(fixture().name_in("7-1-alpha", v("4.3.0")), "7-3-gamma");
    EXPECT_EQ(fixture().name_in("7-1-alpha", v("4.1.0")), "7-2-beta");
    EXPECT_EQ(fixture().name_in("7-1-alpha", v("4.0.0")), "7-1-alpha");
}

TEST(ChangelogNames, ANewNameAskedForInAnOlderVersionGivesTheNameItHadThen) {
    EXPECT_EQ(fixture().name_in("7-3-gamma", v("4.0.1")), "7-1-alpha");
    EXPECT_EQ(fixture().name_in("7-3-gamma", v("4.1.0")), "7-2-beta");
    EXPECT_EQ(fixture().name_in("8-2-thing", v("4.0.0")), "8-1-legacy-thing");
}

TEST(ChangelogNames, UnrenamedAndUnknownTemplatesKeepTheirName) {
    EXPECT_EQ(fixture().name_in("1-1-vpc", v("4.3.0")), "1-1-vpc");
    EXPECT_EQ(fixture().name_in("99-1-nowhere", v("4.3.0")), "99-1-nowhere");
    EXPECT_EQ(fixture().name_in("5-4-ecs-service", v("4.3.0")), "5-4-ecs-services");  // the alias
}

TEST(ChangelogNames, VersionsTouchingFollowEveryName) {
    EXPECT_EQ(labels(fixture().versions_touching("7-3-gamma")), (Strings{"4.1.0", "4.2.0"}));
    EXPECT_EQ(labels(fixture().versions_touching("7-1-alpha")), (Strings{"4.1.0", "4.2.0"}));
    EXPECT_EQ(labels(fixture().versions_touching("5-4-ecs-services")), (Strings{"4.2.0"}));
    EXPECT_EQ(labels(fixture().versions_touching("2-5-db-timescale")), (Strings{"4.1.0"}));
    EXPECT_EQ(labels(fixture().versions_touching("9-9-old-task")), (Strings{"4.3.0"}));  // undeployed there
    EXPECT_TRUE(fixture().versions_touching("99-1-nowhere").empty());
}

TEST(ChangelogNames, RenameCycleInTheFileEnds) {
    auto c = changelog_ok("## 1.2.0\n\n### `1-2-b`\n\n- Renamed `1-2-b` to `1-1-a`.\n\n"
                          "## 1.1.0\n\n### `1-1-a`\n\n- Renamed `1-1-a` to `1-2-b`.\n");
    EXPECT_EQ(c.name_in("1-1-a", v("1.1.0")), "1-2-b");
    EXPECT_EQ(c.name_in("1-1-a", v("1.2.0")), "1-1-a");
    EXPECT_EQ(labels(c.versions_touching("1-2-b")), (Strings{"1.1.0", "1.2.0"}));
}

TEST(ChangelogSlice, AfterFromUpToAndIncludingToOldestFirst) {
    auto part = release::slice(fixture(), v("4.0.1"), v("4.2.0"));
    Strings seen;
    for (const auto& version : part.versions) seen.push_back(version.label);
    EXPECT_EQ(seen, (Strings{"4.1.0", "4.2.0"}));
    Strings renames;
    for (const auto& r : part.template_renames) renames.push_back(r.from + ">" + r.to);
    EXPECT_EQ(renames, (Strings{"9-1-old-name>9-1-new-name", "8-1-legacy-thing>8-2-thing", "7-1-alpha>7-2-beta",
                                "7-2-beta>7-3-gamma"}));
    EXPECT_TRUE(part.lifecycle.empty());  // all in 4.3.0
    EXPECT_EQ(part.parameter_renames.size(), 5u);
}

TEST(ChangelogSlice, UnreleasedIsNeverPartOfIt) {
    auto part = release::slice(fixture(), v("4.0.0"), v("9.0.0"));
    for (const auto& version : part.versions) EXPECT_TRUE(version.version.has_value());
    EXPECT_EQ(part.versions.size(), 4u);
}

TEST(ChangelogSlice, EmptyRange) {
    auto part = release::slice(fixture(), v("4.3.0"), v("4.3.0"));
    EXPECT_TRUE(part.versions.empty());
    EXPECT_TRUE(part.procedures.empty());
}

}  // namespace
}  // namespace stackshift
