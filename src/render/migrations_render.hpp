#pragma once
// Renderers for what an upgrade must do about its databases (a release::MigrationReport): a
// terminal view for the operator, and JSON as DESIGN.md fixes it for `migrations --output json`.

#include <string>

#include "release/migration_report.hpp"

namespace stackshift::render {

// The JSON contract: from, to, migrations[{database, command, required_by, conditional,
// run_with}], waypoints[{version, database, source}], removed[{command, version}], plus keys
// that say more (operation, sources, conditions, removed_in, releases, warnings).
std::string migrations_json(const release::MigrationReport& report);

// The runbook view: the versions to stop at first, the operations to run once each, the
// commands removed on the way, and what the reader skipped.
std::string migrations_text(const release::MigrationReport& report, bool color);

}  // namespace stackshift::render
