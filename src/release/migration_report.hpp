#pragma once
// What an upgrade from one version to another must do about its databases, as the release
// notes of the releases after FROM up to and including TO say: each migration once (the
// vendor's procedure: a migration mentioned by several releases is applied once, with the
// target image), the databases to initialize, the versions the upgrade must stop at first
// (waypoints), and the database commands removed on the way.

#include <optional>
#include <string>
#include <vector>

#include "core/version.hpp"
#include "release/release_notes.hpp"

namespace stackshift::release {

// One migration (or init) to run, with every release that asked for it.
struct PlannedOperation {
    std::string database;              // "is-db"
    std::string command;               // "is-db migrate"
    std::vector<Version> required_by;  // in order, each once
    bool conditional = false;          // every release that asks for it makes it conditional
    std::vector<DatabaseOperation> conditions;  // when conditional: the sentences that say so
    Version run_with;                  // TO, or the last version that still has the command
    std::vector<NoteSource> sources;   // every place that requires it
    // The command was removed after the last release that requires it, up to TO: it must be
    // run with the last version that still has it.
    std::optional<Version> removed_in;
    std::optional<Version> last_version_with_command;
};

// A waypoint that applies: FROM is before it and TO after it.
struct PlannedWaypoint {
    Version version;       // resolved: a minor version becomes its latest known patch
    std::string written;   // as the note wrote it: "3.24" or "3.19.2"
    std::string database;  // empty when the note names none
    std::string command;   // what to run there; may be empty
    Version declared_in;   // the release whose note states it
    std::string sentence;
    NoteSource source;
};

struct PlannedRemoval {
    std::string database;
    std::string command;
    Version version;  // the release that removed it
    std::string sentence;
    NoteSource source;
};

struct MigrationReport {
    Version from;
    Version to;
    std::vector<Version> releases;  // read: after FROM, up to and including TO
    std::vector<PlannedOperation> migrations;
    std::vector<PlannedOperation> inits;
    std::vector<PlannedWaypoint> waypoints;  // in version order
    std::vector<PlannedRemoval> removed;
    std::vector<std::string> warnings;

    bool empty() const { return migrations.empty() && inits.empty() && waypoints.empty() && removed.empty(); }

    // Every migration and init, in the order to run them: by the first release that asks for
    // it, except that a database's init comes before its migrate (it must exist to migrate).
    std::vector<const PlannedOperation*> operations() const;
};

// The report for an upgrade from `from` to `to` (from < to; both are expected to be checked
// against the known versions by the caller).
MigrationReport migrations_between(const ReleaseNotes& notes, const Version& from, const Version& to);

}  // namespace stackshift::release
