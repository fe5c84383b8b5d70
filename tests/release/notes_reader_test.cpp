// The release-notes reader on the project's fixtures: a folder of `<version>.md` pages in the
// vendor's format, and one keep-a-changelog file. Every fact is checked with its source line.

#include <gtest/gtest.h>

#include "release/release_notes.hpp"
#include "test_support.hpp"

namespace stackshift::release {
namespace {

using testing::data_path;
using testing::TempDir;

// One line per fact of a release: "migrate is-db migrate @3.19.0.md:9", "migrate? ..." when
// conditional, "init ...", "waypoint 3.19.2 is-db: is-db migrate @...", "removed ... @...".
std::string facts(const ReleaseNote& note) {
    std::string out;
    auto line = [&](const std::string& text, const NoteSource& source) {
        out += (out.empty() ? "" : "\n") + text + " @" + source.to_string();
    };
    for (const auto& m : note.migrations) line(std::string("migrate") + (m.conditional ? "? " : " ") + m.command, m.source);
    for (const auto& m : note.inits) line(std::string("init") + (m.conditional ? "? " : " ") + m.command, m.source);
    for (const auto& w : note.waypoints) {
        line("waypoint " + w.version.to_string() + " " + (w.database.empty() ? "-" : w.database) +
                 (w.command.empty() ? "" : ": " + w.command),
             w.source);
    }
    for (const auto& r : note.removed) line("removed " + r.command, r.source);
    return out;
}

const ReleaseNote& release(const ReleaseNotes& notes, std::string_view version) {
    for (const auto& r : notes.releases) {
        if (r.version.to_string() == version) return r;
    }
    throw std::runtime_error("no release " + std::string(version));
}

std::string versions(const ReleaseNotes& notes) {
    std::string out;
    for (const auto& v : notes.versions()) out += (out.empty() ? "" : " ") + v.to_string();
    return out;
}

std::string errors(const std::string& path) {
    auto notes = read_release_notes(path);
    return notes ? "(no error)" : to_string(notes.diagnostics());
}

class NotesFolder : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto read = read_release_notes(data_path("release/notes/whats-new"));
        ASSERT_TRUE(read) << to_string(read.diagnostics());
        notes = new ReleaseNotes(std::move(read).value());
    }
    static void TearDownTestSuite() { delete notes; }
    static std::string of(std::string_view version) { return facts(release(*notes, version)); }
    static inline ReleaseNotes* notes = nullptr;
};

TEST_F(NotesFolder, ReadsEveryVersionPageInOrder) {
    EXPECT_EQ(versions(*notes),
              "3.18.0 3.19.0 3.19.1 3.19.2 3.20.0 3.21.0 3.22.0 3.22.1 3.22.2 3.23.0 3.24.0 3.24.1 3.25.0 3.25.1 3.26.0");
}

TEST_F(NotesFolder, SkipsTheSectionPageWithAReason) {
    ASSERT_EQ(notes->warnings.size(), 1u);
    EXPECT_EQ(notes->warnings[0].to_string(), data_path("release/notes/whats-new/_index.md") +
                                                  ": skipped: _index.md is the section page of the notes, not a release");
}

TEST_F(NotesFolder, LinesCountTheFrontMatter) {
    EXPECT_EQ(of("3.18.0"), "migrate js-db migrate @3.18.0.md:9");
}

TEST_F(NotesFolder, NewAndFixedCommandsAreNoRequirements) {
    EXPECT_EQ(of("3.19.0"), "migrate is-db migrate @3.19.0.md:9");
    EXPECT_EQ(of("3.19.1"), "");
    const auto& mentions = release(*notes, "3.19.0").mentions;
    ASSERT_EQ(mentions.size(), 3u);
    EXPECT_EQ(mentions[0].command + ": " + mentions[0].why, "gcs-db migrate: a new command");
    EXPECT_EQ(mentions[1].command + ": " + mentions[1].why, "is-db migrate: a fixed bug in the command");
    EXPECT_EQ(mentions[2].command + ": " + mentions[2].why, "ns-db migrate: a fixed bug in the command");
}

TEST_F(NotesFolder, InitAndWaypointInAShortcode) {
    EXPECT_EQ(of("3.19.2"), "init noc-db init @3.19.2.md:9\nwaypoint 3.19.2 is-db: is-db migrate @3.19.2.md:11");
}

TEST_F(NotesFolder, ProseConditionalAndBareCommands) {
    EXPECT_EQ(of("3.20.0"),
              "migrate ns-db migrate @3.20.0.md:8\n"
              "migrate? storage-db migrate @3.20.0.md:10\n"
              "migrate as-db migrate @3.20.0.md:12");
}

TEST_F(NotesFolder, CommandsInCodeBlocksTakeTheirLeadIn) {
    EXPECT_EQ(of("3.21.0"),
              "migrate pba-db migrate @3.21.0.md:9\n"
              "migrate is-db migrate @3.21.0.md:11\n"
              "migrate? ns-db migrate @3.21.0.md:13\n"
              "migrate? as-db migrate @3.21.0.md:15\n"
              "migrate? storage-db migrate @3.21.0.md:18");
    EXPECT_EQ(of("3.22.0"), "migrate dcs-db migrate @3.22.0.md:10\ninit? noc-db init @3.22.0.md:14");
}

TEST_F(NotesFolder, WaypointsInOtherPhrasings) {
    EXPECT_EQ(of("3.23.0"), "migrate ns-db migrate @3.23.0.md:11\nwaypoint 3.22.2 ns-db @3.23.0.md:6");
    EXPECT_EQ(of("3.25.0"), "migrate dcs-db migrate @3.25.0.md:11\nwaypoint 3.24 as-db @3.25.0.md:6");
}

TEST_F(NotesFolder, DeprecationIsNoRemoval) {
    EXPECT_EQ(of("3.24.0"), "migrate as-db migrate @3.24.0.md:13");
}

TEST_F(NotesFolder, RemovedCommands) {
    EXPECT_EQ(of("3.26.0"),
              "migrate is-db migrate @3.26.0.md:8\n"
              "removed dcs-db migrate @3.26.0.md:12\n"
              "removed dr-db init @3.26.0.md:13");
}

TEST(NotesChangelog, ReadsReleasesButNotUnreleased) {
    auto notes = read_release_notes(data_path("release/notes/changelog/CHANGELOG.md"));
    ASSERT_TRUE(notes) << to_string(notes.diagnostics());
    EXPECT_EQ(versions(*notes), "3.14.1 3.14.2 3.15.0 3.15.1 3.16.0");
    EXPECT_TRUE(notes->warnings.empty());
    EXPECT_EQ(release(*notes, "3.15.0").source.to_string(), "CHANGELOG.md:31");
    EXPECT_EQ(release(*notes, "3.14.1").source.to_string(), "CHANGELOG.md:48");
}

TEST(NotesChangelog, FactsOfEachRelease) {
    auto notes = read_release_notes(data_path("release/notes/changelog/CHANGELOG.md"));
    ASSERT_TRUE(notes) << to_string(notes.diagnostics());
    EXPECT_EQ(facts(release(*notes, "3.16.0")), "migrate as-db migrate @CHANGELOG.md:18\nremoved js-db migrate @CHANGELOG.md:23");
    EXPECT_EQ(facts(release(*notes, "3.15.1")), "");
    EXPECT_EQ(facts(release(*notes, "3.15.0")),
              "migrate is-db migrate @CHANGELOG.md:38\n"
              "migrate js-db migrate @CHANGELOG.md:39\n"
              "waypoint 3.14.2 is-db @CHANGELOG.md:33");
    EXPECT_EQ(facts(release(*notes, "3.14.2")), "init? storage-db init @CHANGELOG.md:46");
    EXPECT_EQ(facts(release(*notes, "3.14.1")), "");
}

TEST(NotesChangelog, ATextWithoutReleasesIsAnError) {
    auto notes = read_changelog_notes("# Changelog\n\n## [Unreleased]\n\n- Nothing yet.\n", "CHANGELOG.md");
    ASSERT_FALSE(notes);
    EXPECT_EQ(to_string(notes.diagnostics()),
              "CHANGELOG.md: no release headings found; expected a folder of <version>.md files (such as 3.19.2.md) or a "
              "keep-a-changelog file with headings such as '## [3.19.2] - 2022-05-25'");
}

TEST(NotesChangelog, AReleaseTwiceIsAnError) {
    TempDir dir;
    std::string path = dir.write("CHANGELOG.md", "# Changelog\n\n## [1.0.0]\n\n## [1.0.0] - 2020-01-01\n");
    EXPECT_EQ(errors(path), path + ":5:1: release 1.0.0 appears twice (first at line 3); keep one section per release");
}

TEST(NotesErrors, MissingPath) {
    TempDir dir;
    EXPECT_EQ(errors(dir.file("nowhere")),
              dir.file("nowhere") +
                  ": no such file or folder; expected a folder of <version>.md files (such as 3.19.2.md) or a "
                  "keep-a-changelog file with headings such as '## [3.19.2] - 2022-05-25'");
}

TEST(NotesErrors, TwoFilesForOneVersion) {
    TempDir dir;
    dir.write("3.19.2.md", "# a\n");
    dir.write("v3.19.2.md", "# b\n");
    EXPECT_EQ(errors(dir.path()), dir.file("v3.19.2.md") + ": release 3.19.2 is also in 3.19.2.md; keep one file per version");
}

TEST(NotesErrors, InvalidUtf8NamesTheLine) {
    TempDir dir;
    dir.write("3.1.0.md", "fine\n\xff\n");
    EXPECT_EQ(errors(dir.path()),
              dir.file("3.1.0.md") + ":2:1: invalid UTF-8; release notes must be UTF-8 text (save the file as UTF-8)");
}

TEST(NotesErrors, AFolderWithoutReleasesNamesWhatItSkipped) {
    TempDir dir;
    dir.write("README.txt", "notes\n");
    dir.write("latest.md", "# latest\n");
    dir.write(".hidden.md", "# hidden\n");
    EXPECT_EQ(errors(dir.path()), dir.path() +
                                      ": no release notes in this folder (skipped README.txt, latest.md); expected a folder "
                                      "of <version>.md files (such as 3.19.2.md) or a keep-a-changelog file with headings "
                                      "such as '## [3.19.2] - 2022-05-25'");
}

TEST(NotesReader, AByteOrderMarkAndWindowsLineEndingsAreRead) {
    TempDir dir;
    dir.write("3.2.0.md", "\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n\r\n- This requires a database migration (`as-db migrate`).\r\n");
    auto notes = read_release_notes(dir.path());
    ASSERT_TRUE(notes) << to_string(notes.diagnostics());
    EXPECT_EQ(facts(notes->releases.at(0)), "migrate as-db migrate @3.2.0.md:5");
}

}  // namespace
}  // namespace stackshift::release

namespace stackshift {
namespace {

using release::read_release_note;

// "why @line: text" of each item an operator must read.
std::vector<std::string> to_read(const release::ReleaseNote& note) {
    std::vector<std::string> out;
    for (const auto& r : note.to_read) out.push_back(r.why + " @" + std::to_string(r.source.line) + ": " + r.text);
    return out;
}

TEST(NotesExperimental, WorkForAnExperimentalFeatureIsConditionalOnIt) {
    auto note = read_release_note("### Added\n\n- Experimental version of the Network Operations Center.\n"
                                  "  - This requires a database schema initialization (`tti-lw-stack noc-db init`).\n"
                                  "- Faster searches. This requires a database migration (`tti-lw-stack is-db migrate`).\n",
                                  *Version::parse("3.19.2"), "3.19.2.md");
    ASSERT_EQ(note.inits.size(), 1u);
    EXPECT_TRUE(note.inits[0].conditional);
    EXPECT_EQ(note.inits[0].sentence, "Experimental version of the Network Operations Center. This requires a database "
                                      "schema initialization (`tti-lw-stack noc-db init`).");
    ASSERT_EQ(note.migrations.size(), 1u);
    EXPECT_FALSE(note.migrations[0].conditional);
}

TEST(NotesToRead, RemovalsBreaksAndActionsOutsideCloudFormation) {
    auto note = read_release_note("### Added\n\n- A new API.\n- Breaking change: the `Foo` RPC takes a mask.\n"
                                  "- The key needs to be set in configuration.\n\n### Removed\n\n- Custom email "
                                  "templates.\n\n### Fixed\n\n- A crash.\n- Old gateways are no longer supported.\n",
                                  *Version::parse("3.24.0"), "3.24.0.md");
    EXPECT_EQ(to_read(note), (std::vector<std::string>{
                                 "says 'breaking' @4: Breaking change: the `Foo` RPC takes a mask.",
                                 "says 'needs to be set in configuration' @5: The key needs to be set in configuration.",
                                 "removed @9: Custom email templates.",
                                 "says 'no longer supported' @14: Old gateways are no longer supported.",
                             }));
}

}  // namespace
}  // namespace stackshift
