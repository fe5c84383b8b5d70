#pragma once
// The sentence classifier of the release-notes reader. Release notes name database commands
// for many reasons: a release requires `is-db migrate`, a new command is added, a bug in one is
// fixed, one is described, deprecated or removed. This tells them apart one sentence at a
// time, and finds the versions an upgrade must pass through (waypoints). Pure text in,
// findings out; notes_reader.cpp walks the Markdown and calls it for each block.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/version.hpp"

namespace stackshift::release::notes_detail {

enum class FindingKind {
    migrate,   // the release requires `<db> migrate`
    init,      // the release requires `<db> init`
    waypoint,  // an upgrade must pass through a version
    removed,   // a database command was removed
    mention,   // a database command is named, but nothing is required
};

struct Finding {
    FindingKind kind = FindingKind::mention;
    std::string database;                // "is-db"; empty for a waypoint that names none
    std::string command;                 // "is-db migrate"; for a waypoint, what to run there
    bool conditional = false;            // migrate, init: only some deployments need it
    std::optional<VersionSpec> version;  // waypoint
    std::string why;                     // mention: why it is no requirement
    std::string sentence;
};

// Meanings that depend on the section a sentence stands in: under "### Removed", a list item
// whose subject is a command says that the command was removed.
enum class NoteSection { other, removed };

// What one sentence says (text as the Markdown reader gives it: code spans in backticks).
std::vector<Finding> classify_sentence(std::string_view sentence, NoteSection section = NoteSection::other);

// What one block says: shortcodes removed, each sentence classified, and the waypoints of the
// block merged per version, taking the database and command that other sentences name.
std::vector<Finding> classify_block(std::string_view text, NoteSection section = NoteSection::other);

// The database a component's name stands for in prose: "Identity Server" -> "is-db".
std::optional<std::string> database_of_component(std::string_view name);

}  // namespace stackshift::release::notes_detail
