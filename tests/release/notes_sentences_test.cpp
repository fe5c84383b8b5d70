// The sentence classifier of the release-notes reader: every phrasing the vendor uses for a
// required migration, and every way a command is named without being required.

#include <gtest/gtest.h>

#include "release/notes_sentences.hpp"
#include "release/notes_text.hpp"

namespace stackshift::release::notes_detail {
namespace {

// One line per finding: "migrate is-db migrate", "migrate? as-db migrate" (conditional),
// "init noc-db init", "waypoint 3.19.2 is-db: is-db migrate", "removed dcs-db migrate",
// "mention is-db migrate: a new command".
std::string describe(const std::vector<Finding>& findings) {
    std::string out;
    for (const auto& f : findings) {
        if (!out.empty()) out += "\n";
        switch (f.kind) {
        case FindingKind::migrate: out += std::string("migrate") + (f.conditional ? "? " : " ") + f.command; break;
        case FindingKind::init: out += std::string("init") + (f.conditional ? "? " : " ") + f.command; break;
        case FindingKind::removed: out += "removed " + f.command; break;
        case FindingKind::mention: out += "mention " + f.command + ": " + f.why; break;
        case FindingKind::waypoint:
            out += "waypoint " + f.version->to_string() + " " + (f.database.empty() ? "-" : f.database);
            if (!f.command.empty()) out += ": " + f.command;
            break;
        }
    }
    return out;
}

std::string sentence(std::string_view text, NoteSection section = NoteSection::other) {
    return describe(classify_sentence(text, section));
}

std::string block(std::string_view text, NoteSection section = NoteSection::other) {
    return describe(classify_block(text, section));
}

struct Case {
    const char* text;
    const char* expected;
};

void check(std::initializer_list<Case> cases) {
    for (const auto& c : cases) EXPECT_EQ(sentence(c.text), c.expected) << c.text;
}

TEST(NotesSentences, RequiredMigrationWithEveryBinaryOrNone) {
    check({
        {"This requires a database schema migration (`ttn-lw-stack is-db migrate`) for the new columns.",
         "migrate is-db migrate"},
        {"This requires a database migration (`tti-lw-stack dcs-db migrate`).", "migrate dcs-db migrate"},
        {"This requires a database migration (`as-db migrate`).", "migrate as-db migrate"},
        {"Run `tti-lw-stack,storage-db,migrate` after updating the ops stack.", "migrate storage-db migrate"},
        {"Run `[\"tti-lw-stack\",\"js-db\",\"migrate\"]` once.", "migrate js-db migrate"},
        {"You must run `ttn-lw-stack ns-db migrate` before starting the new version.", "migrate ns-db migrate"},
        {"The `ttn-lw-stack as-db migrate` command must be run after the upgrade.", "migrate as-db migrate"},
        {"Running `noc-db migrate` is required for this change.", "migrate noc-db migrate"},
        {"Run `ttn-lw-stack is-db migrate` and `ttn-lw-stack ns-db migrate`.", "migrate is-db migrate\nmigrate ns-db migrate"},
    });
}

TEST(NotesSentences, NamesNotSeenBeforeAreDatabasesToo) {
    check({
        {"This requires a database schema migration (`ttn-lw-stack pba-db migrate`).", "migrate pba-db migrate"},
        {"This requires a database migration (`tti-lw-stack gw2-db migrate`).", "migrate gw2-db migrate"},
    });
}

TEST(NotesSentences, RequiredMigrationInProse) {
    check({
        {"This requires a migration of the Network Server database.", "migrate ns-db migrate"},
        {"The Identity Server database must be migrated.", "migrate is-db migrate"},
        {"A migration of the Join Server database is required.", "migrate js-db migrate"},
        {"This release requires a migration of the database of the Identity Server.", "migrate is-db migrate"},
        {"Migrate the database of the Application Server.", "migrate as-db migrate"},
        {"This requires a Device Claiming Server database migration.", "migrate dcs-db migrate"},
    });
}

TEST(NotesSentences, ProseNextToTheCommandNamesOneMigration) {
    EXPECT_EQ(sentence("This requires an Application Server database migration (`ttn-lw-stack as-db migrate`) to reset "
                       "the `last_seen` field."),
              "migrate as-db migrate");
}

TEST(NotesSentences, InitRequirements) {
    check({
        {"This requires an initialization of its database schema (`tti-lw-stack noc-db init`).", "init noc-db init"},
        {"Deployments that use the Storage Integration need to run `ttn-lw-stack storage-db init`.",
         "init? storage-db init"},
    });
}

TEST(NotesSentences, ConditionalMigrations) {
    check({
        {"If you use the Storage Integration, run `tti-lw-stack storage-db migrate` after upgrading.",
         "migrate? storage-db migrate"},
        {"Optionally, run `ttn-lw-stack ns-db migrate` to compact existing queues.", "migrate? ns-db migrate"},
        {"You may need to run `tti-lw-stack as-db migrate` if you use large formatters.", "migrate? as-db migrate"},
        {"To move existing webhooks to the new format, migrate the Application Server database "
         "(`ttn-lw-stack as-db migrate`).",
         "migrate? as-db migrate"},
        {"Users of the Storage Integration should run `storage-db migrate` after this upgrade.",
         "migrate? storage-db migrate"},
    });
}

// "will need to" is a requirement; "to apply the new settings" says why, not for whom.
TEST(NotesSentences, WillNeedToRunIsARequirement) {
    check({
        {"You will need to run the `ttn-lw-stack storage-db migrate` command to apply the new settings.",
         "migrate storage-db migrate"},
    });
}

TEST(NotesSentences, AMentionIsNoRequirement) {
    check({
        {"New `ttn-lw-stack gcs-db migrate` command to migrate the Gateway Configuration Server database.",
         "mention gcs-db migrate: a new command"},
        {"`ttn-lw-stack as-db migrate` command to bring the Application Server database up to date.",
         "mention as-db migrate: a new command"},
        {"The `is-db migrate` command that failed on tenants without users created by `v3.18`.",
         "mention is-db migrate: a fixed bug in the command"},
        {"Fixed a crash in `tti-lw-stack ns-db migrate` when the database is empty.",
         "mention ns-db migrate: a fixed bug in the command"},
        {"`ttn-lw-stack ns-db migrate` command prints the schema version it finds before it changes anything.",
         "mention ns-db migrate: describes the command"},
        {"This does not require `is-db migrate`.", "mention is-db migrate: says it is not required"},
        {"No `is-db migrate` is needed for this change.", "mention is-db migrate: says it is not required"},
        {"There is no need to run `is-db migrate` for this fix.", "mention is-db migrate: says it is not required"},
        {"Running `is-db migrate` is not required.", "mention is-db migrate: says it is not required"},
        {"The `is-db migrate` command now supports `--dry-run`.", "mention is-db migrate: describes the command"},
        {"Added the `--force` flag to `ttn-lw-stack ns-db migrate`.", "mention ns-db migrate: a new command"},
        {"The `dcs-db migrate` command is deprecated and will be removed in a future version.",
         "mention dcs-db migrate: deprecated, not removed"},
        {"See the `ttn-lw-stack dr-db init` command to refresh the device models by hand.",
         "mention dr-db init: describes the command"},
    });
}

TEST(NotesSentences, OtherDatabaseCommandsAreNotMigrations) {
    check({
        {"CLI support for deleting providers (`ttn-lw-stack is-db delete-auth-provider`).", ""},
        {"Run `tti-lw-stack ns-db prune` to remove stale sessions.", ""},
    });
}

TEST(NotesSentences, RemovedCommands) {
    check({
        {"The `dcs-db migrate` command has been removed.", "removed dcs-db migrate"},
        {"Removed the `ttn-lw-stack dr-db init` command; the Device Repository is bundled in the image.",
         "removed dr-db init"},
        {"The `js-db migrate` command is no longer available.", "removed js-db migrate"},
        {"Support for `ttn-lw-stack gs-db migrate` has been dropped.", "removed gs-db migrate"},
    });
    EXPECT_EQ(sentence("The `tti-lw-stack dcs-db migrate` command.", NoteSection::removed), "removed dcs-db migrate");
    // Outside a "Removed" section, the same words only name the command.
    EXPECT_EQ(sentence("The `tti-lw-stack dcs-db migrate` command."), "mention dcs-db migrate: describes the command");
}

TEST(NotesSentences, Waypoints) {
    check({
        {"You must first upgrade to v3.19.2.", "waypoint 3.19.2 -"},
        {"Upgrade to v3.22.2 before upgrading to v3.23.0.", "waypoint 3.22.2 -"},
        {"Upgrades to v3.25.0 from versions prior to v3.24 should be done through v3.24 instead.", "waypoint 3.24 -"},
        {"Direct upgrades of the Identity Server database from versions before `v3.19.2` to later versions are not "
         "supported.",
         "waypoint 3.19.2 is-db"},
        {"Before upgrading to v3.26.0, upgrade to v3.25.1 first.", "waypoint 3.25.1 -"},
        {"Upgrades from v3.21 must go through v3.22.2.", "waypoint 3.22.2 -"},
        {"You need to upgrade to v3.19.2 first.", "waypoint 3.19.2 -"},
        {"Deployments on versions older than v3.19.2 must upgrade to v3.19.2 before upgrading further.", "waypoint 3.19.2 -"},
    });
}

TEST(NotesSentences, VersionsThatAreNoWaypoints) {
    check({
        {"Upgrading to v3.20.0 or later is recommended for all deployments.", ""},
        {"We recommend to upgrade to v3.23.0 or later first when running many gateways.", ""},
        {"Gateways must be updated to firmware 2.1 first.", ""},
    });
}

TEST(NotesSentences, AWaypointBlockTakesItsDatabaseAndCommandFromEverySentence) {
    EXPECT_EQ(block("{{< note \"Direct upgrades of the Identity Server database from versions before `v3.19.2` to later "
                    "versions are not supported. You must first upgrade to v3.19.2. If you are on an earlier version, run "
                    "`is-db migrate` with the `v3.19.2` binary, then again with the target binary.\" />}}"),
              "waypoint 3.19.2 is-db: is-db migrate");
    EXPECT_EQ(block("{{< note >}} The Application Server database schema changed in v3.24. Upgrades to v3.25.0 from "
                    "versions prior to v3.24 should be done through v3.24 instead. {{</ note >}}"),
              "waypoint 3.24 as-db");
}

TEST(NotesSentences, ComponentNamesMapToDatabases) {
    EXPECT_EQ(database_of_component("Identity Server"), "is-db");
    EXPECT_EQ(database_of_component("Network Operations Center"), "noc-db");
    EXPECT_EQ(database_of_component("Storage Integration"), "storage-db");
    EXPECT_EQ(database_of_component("Gateway Server"), std::nullopt);
}

TEST(NotesText, ShortcodesKeepTheirQuotedTextOnly) {
    EXPECT_EQ(strip_shortcodes("{{< note \"Run `is-db migrate` first.\" />}}"), "Run `is-db migrate` first.");
    EXPECT_EQ(strip_shortcodes("{{< note >}} Upgrade first. {{</ note >}}"), "Upgrade first.");
    EXPECT_EQ(strip_shortcodes("Release notes of {{% tts %}}."), "Release notes of The Things Stack.");
    EXPECT_EQ(strip_shortcodes("No shortcode {{ here"), "No shortcode {{ here");
}

TEST(NotesText, SentencesSplitOutsideCodeAndAbbreviations) {
    EXPECT_EQ(split_sentences("Use `a. b` here. Then, e.g. this. Done!"),
              (std::vector<std::string>{"Use `a. b` here.", "Then, e.g. this.", "Done!"}));
}

TEST(NotesText, VersionWords) {
    auto word = [](std::string_view w) {
        auto tokens = tokenize(w);
        auto v = tokens.empty() ? std::nullopt : version_word(tokens.front());
        return v ? v->to_string() : std::string("-");
    };
    EXPECT_EQ(word("v3.19.2"), "3.19.2");
    EXPECT_EQ(word("`3.24`"), "3.24");
    EXPECT_EQ(word("3"), "-");
    EXPECT_EQ(word("version"), "-");
}

}  // namespace
}  // namespace stackshift::release::notes_detail
