// The migration report: what an upgrade from FROM to TO must do about its databases, computed
// from the project's release-notes fixtures.

#include <gtest/gtest.h>

#include "release/migration_report.hpp"
#include "test_support.hpp"

namespace stackshift::release {
namespace {

using testing::data_path;

Version v(std::string_view text) { return *Version::parse(text); }

ReleaseNotes load(const std::string& relative) {
    auto notes = read_release_notes(data_path(relative));
    if (!notes) throw std::runtime_error(to_string(notes.diagnostics()));
    return std::move(notes).value();
}

const ReleaseNotes& folder() {
    static const ReleaseNotes notes = load("release/notes/whats-new");
    return notes;
}

std::string joined(const std::vector<Version>& versions) {
    std::string out;
    for (const auto& x : versions) out += (out.empty() ? "" : ",") + x.to_string();
    return out;
}

// "is-db migrate [3.19.0,3.21.0] run with 3.26.0", "?" after the command when conditional.
std::string operations(const MigrationReport& report) {
    std::string out;
    for (const auto* op : report.operations()) {
        out += (out.empty() ? "" : "\n") + op->command + (op->conditional ? "?" : "") + " [" + joined(op->required_by) +
               "] run with " + op->run_with.to_string();
    }
    return out;
}

std::string waypoints(const MigrationReport& report) {
    std::string out;
    for (const auto& w : report.waypoints) {
        out += (out.empty() ? "" : "\n") + w.version.to_string() + " " + (w.database.empty() ? "-" : w.database) + " " +
               w.source.to_string();
    }
    return out;
}

std::string removals(const MigrationReport& report) {
    std::string out;
    for (const auto& r : report.removed) out += (out.empty() ? "" : "\n") + r.command + " in " + r.version.to_string();
    return out;
}

TEST(MigrationReport, DeduplicatedAndRunWithTheTarget) {
    auto report = migrations_between(folder(), v("3.18.0"), v("3.21.0"));
    EXPECT_EQ(joined(report.releases), "3.19.0,3.19.1,3.19.2,3.20.0,3.21.0");
    EXPECT_EQ(operations(report),
              "is-db migrate [3.19.0,3.21.0] run with 3.21.0\n"
              "noc-db init [3.19.2] run with 3.21.0\n"
              "ns-db migrate [3.20.0,3.21.0] run with 3.21.0\n"
              "storage-db migrate? [3.20.0,3.21.0] run with 3.21.0\n"
              "as-db migrate [3.20.0,3.21.0] run with 3.21.0\n"
              "pba-db migrate [3.21.0] run with 3.21.0");
    EXPECT_EQ(waypoints(report), "3.19.2 is-db 3.19.2.md:11");
    EXPECT_EQ(removals(report), "");
}

TEST(MigrationReport, FromIsExcludedAndToIncluded) {
    auto report = migrations_between(folder(), v("3.19.0"), v("3.20.0"));
    EXPECT_EQ(joined(report.releases), "3.19.1,3.19.2,3.20.0");
    EXPECT_EQ(operations(report),
              "noc-db init [3.19.2] run with 3.20.0\n"
              "ns-db migrate [3.20.0] run with 3.20.0\n"
              "storage-db migrate? [3.20.0] run with 3.20.0\n"
              "as-db migrate [3.20.0] run with 3.20.0");
}

TEST(MigrationReport, ConditionalOnlyWhileEveryReleaseSaysSo) {
    // 3.21.0 alone asks for ns-db migrate optionally; with 3.20.0 it is required.
    EXPECT_EQ(operations(migrations_between(folder(), v("3.20.0"), v("3.21.0"))),
              "pba-db migrate [3.21.0] run with 3.21.0\n"
              "is-db migrate [3.21.0] run with 3.21.0\n"
              "ns-db migrate? [3.21.0] run with 3.21.0\n"
              "as-db migrate? [3.21.0] run with 3.21.0\n"
              "storage-db migrate? [3.21.0] run with 3.21.0");
    auto report = migrations_between(folder(), v("3.19.2"), v("3.21.0"));
    const auto* ns = report.operations().at(0);
    EXPECT_EQ(ns->command, "ns-db migrate");
    EXPECT_FALSE(ns->conditional);
    EXPECT_TRUE(ns->conditions.empty());
    const auto* storage = report.operations().at(1);
    EXPECT_EQ(storage->command, "storage-db migrate");
    ASSERT_EQ(storage->conditions.size(), 2u);
    EXPECT_EQ(storage->conditions[0].source.to_string(), "3.20.0.md:10");
}

TEST(MigrationReport, AWaypointAppliesOnlyStrictlyBetweenFromAndTo) {
    EXPECT_EQ(waypoints(migrations_between(folder(), v("3.19.1"), v("3.20.0"))), "3.19.2 is-db 3.19.2.md:11");
    EXPECT_EQ(waypoints(migrations_between(folder(), v("3.19.2"), v("3.20.0"))), "");
    EXPECT_EQ(waypoints(migrations_between(folder(), v("3.22.2"), v("3.23.0"))), "");
    EXPECT_EQ(waypoints(migrations_between(folder(), v("3.22.1"), v("3.23.0"))), "3.22.2 ns-db 3.23.0.md:6");
}

TEST(MigrationReport, UpgradingToTheWaypointRunsWhatItSaysWithTheTarget) {
    auto report = migrations_between(folder(), v("3.19.1"), v("3.19.2"));
    EXPECT_EQ(waypoints(report), "");
    EXPECT_EQ(operations(report), "is-db migrate [3.19.2] run with 3.19.2\nnoc-db init [3.19.2] run with 3.19.2");
}

TEST(MigrationReport, AMinorWaypointResolvesToItsLatestKnownPatch) {
    auto report = migrations_between(folder(), v("3.23.0"), v("3.25.1"));
    ASSERT_EQ(report.waypoints.size(), 1u);
    EXPECT_EQ(report.waypoints[0].version.to_string(), "3.24.1");
    EXPECT_EQ(report.waypoints[0].written, "3.24");
    EXPECT_EQ(report.waypoints[0].database, "as-db");
    EXPECT_EQ(report.waypoints[0].declared_in.to_string(), "3.25.0");
    // From the latest patch itself, the waypoint is behind.
    EXPECT_EQ(waypoints(migrations_between(folder(), v("3.24.1"), v("3.25.1"))), "");
}

TEST(MigrationReport, AMigrationRemovedBeforeTheTargetRunsWithTheLastVersionThatHasIt) {
    auto report = migrations_between(folder(), v("3.24.1"), v("3.26.0"));
    EXPECT_EQ(operations(report), "dcs-db migrate [3.25.0] run with 3.25.1\nis-db migrate [3.26.0] run with 3.26.0");
    const auto* dcs = report.operations().at(0);
    ASSERT_TRUE(dcs->removed_in && dcs->last_version_with_command);
    EXPECT_EQ(dcs->removed_in->to_string(), "3.26.0");
    EXPECT_EQ(dcs->last_version_with_command->to_string(), "3.25.1");
    EXPECT_EQ(removals(report), "dcs-db migrate in 3.26.0\ndr-db init in 3.26.0");
    EXPECT_EQ(report.warnings.back(),
              "dcs-db migrate (required by 3.25.0) was removed in 3.26.0: run it with 3.25.1, the last version that still "
              "has it, before upgrading to 3.26.0");
}

TEST(MigrationReport, ARemovalAfterTheTargetDoesNotCount) {
    auto report = migrations_between(folder(), v("3.24.1"), v("3.25.1"));
    EXPECT_EQ(operations(report), "dcs-db migrate [3.25.0] run with 3.25.1");
    EXPECT_EQ(removals(report), "");
}

TEST(MigrationReport, SkippedFilesBecomeWarnings) {
    auto report = migrations_between(folder(), v("3.22.1"), v("3.22.2"));
    EXPECT_TRUE(report.empty());
    ASSERT_EQ(report.warnings.size(), 1u);
    EXPECT_EQ(report.warnings[0], data_path("release/notes/whats-new/_index.md") +
                                      ": skipped: _index.md is the section page of the notes, not a release");
}

TEST(MigrationReport, KeepAChangelogFile) {
    auto notes = load("release/notes/changelog/CHANGELOG.md");
    auto report = migrations_between(notes, v("3.14.1"), v("3.16.0"));
    EXPECT_EQ(operations(report),
              "storage-db init? [3.14.2] run with 3.16.0\n"
              "is-db migrate [3.15.0] run with 3.16.0\n"
              "js-db migrate [3.15.0] run with 3.15.1\n"
              "as-db migrate [3.16.0] run with 3.16.0");
    EXPECT_EQ(waypoints(report), "3.14.2 is-db CHANGELOG.md:33");
    EXPECT_EQ(removals(report), "js-db migrate in 3.16.0");
}

}  // namespace
}  // namespace stackshift::release
