#pragma once
// Release notes as an upgrade reads them: for each release, the database operations it
// requires (`<name>-db migrate`, `<name>-db init`), the versions an upgrade must pass through
// (waypoints), and the database commands it removed. Read from a folder of `<version>.md`
// files (the vendor's "what's new" pages, Hugo front matter ignored) or from one
// keep-a-changelog file (`## [3.15.0] - 2021-09-17`). A command that is only mentioned (a new
// command, a fixed bug in one, a description) is kept as a mention, never as a requirement.

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "core/version.hpp"

namespace stackshift::release {

// Where a fact was read: the file's name (not its folder) and the line of its block.
struct NoteSource {
    std::string file;  // "3.19.2.md", "CHANGELOG.md"
    int line = 0;

    std::string to_string() const;  // "3.19.2.md:16"
};

// A database operation a release requires: `is-db migrate`, `noc-db init`.
struct DatabaseOperation {
    std::string database;      // "is-db"
    std::string command;       // "is-db migrate", without the binary
    bool conditional = false;  // only some deployments need it; `sentence` says which
    std::string sentence;      // the sentence that requires it
    NoteSource source;
};

// A version an upgrade must pass through: an upgrade from before it to after it must stop
// there first (and run `command` there, when the note says so).
struct Waypoint {
    VersionSpec version;   // "3.19.2", or "3.24" meaning its latest known patch
    std::string database;  // the database it concerns; empty when the note names none
    std::string command;   // what to run at the waypoint ("is-db migrate"); may be empty
    std::string sentence;  // the block that states it, shortcodes removed
    NoteSource source;
};

// A database command a release removed.
struct RemovedCommand {
    std::string database;
    std::string command;  // "dcs-db migrate"
    std::string sentence;
    NoteSource source;
};

// A database command named without being required, and why it is no requirement.
struct Mention {
    std::string command;
    std::string why;  // "a new command", "a fixed bug in the command", ...
    std::string sentence;
    NoteSource source;
};

// A release-note item an operator must read before upgrading: a removal, a breaking change,
// an action outside CloudFormation ("you must", "needs to be set in configuration").
struct ReadItem {
    std::string text;  // the item, shortcodes removed
    std::string why;   // "removed", or the words that make it one: "breaking"
    NoteSource source;
};

// What one release's notes say about databases, and what an operator must read.
struct ReleaseNote {
    Version version;
    NoteSource source;  // the file (line 0), or the release's heading in a changelog
    std::vector<DatabaseOperation> migrations;
    std::vector<DatabaseOperation> inits;
    std::vector<Waypoint> waypoints;
    std::vector<RemovedCommand> removed;
    std::vector<Mention> mentions;
    std::vector<ReadItem> to_read;
};

struct ReleaseNotes {
    std::string path;                   // as given
    std::vector<ReleaseNote> releases;  // in version order, one per version
    Diagnostics warnings;               // files skipped, and why

    std::vector<Version> versions() const;
};

// Reads a folder of `<version>.md` files or one keep-a-changelog file. In a folder, every
// other file (`_index.md`, Hugo's section page; files that are not Markdown; `.md` files whose
// name is no version) is skipped with a warning that says why; hidden files pass unmentioned.
// Errors: a missing path, an unreadable file, text that is not UTF-8, two files or sections
// for one version, no release at all.
Result<ReleaseNotes> read_release_notes(const std::string& path);

// One release's notes, from Markdown text (front matter skipped). `file_name` is what sources name.
ReleaseNote read_release_note(std::string_view markdown, const Version& version, const std::string& file_name);

// A keep-a-changelog text: one release per `## [version]` heading; `## [Unreleased]` and
// headings without a version end a release and are not read.
Result<ReleaseNotes> read_changelog_notes(std::string_view markdown, const std::string& file_name);

}  // namespace stackshift::release
