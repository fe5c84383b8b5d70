// The release-notes reader on the vendor's real "what's new" pages (../shared/corpus), when
// they are present: what an upgrade from 3.18.0 to 3.24.2 must do, and single facts read from
// older pages. Every expectation was checked by reading the files.

#include <gtest/gtest.h>

#include <filesystem>

#include "release/migration_report.hpp"
#include "release/release_notes.hpp"

namespace stackshift::release {
namespace {

const std::string corpus = STACKSHIFT_SOURCE_DIR "/../shared/corpus/tti-docs/whats-new";

Version v(std::string_view text) { return *Version::parse(text); }

class NotesCorpus : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::is_directory(corpus)) GTEST_SKIP() << "no vendor corpus at " << corpus << "; skipped";
        static const ReleaseNotes read = [] {
            auto r = read_release_notes(corpus);
            if (!r) throw std::runtime_error(to_string(r.diagnostics()));
            return std::move(r).value();
        }();
        notes = &read;
    }
    const ReleaseNote& release(std::string_view version) const {
        for (const auto& r : notes->releases) {
            if (r.version.to_string() == version) return r;
        }
        throw std::runtime_error("no release " + std::string(version));
    }
    const PlannedOperation& operation(const MigrationReport& report, std::string_view command) const {
        for (const auto* op : report.operations()) {
            if (op->command == command) return *op;
        }
        throw std::runtime_error("no operation " + std::string(command));
    }
    const ReleaseNotes* notes = nullptr;
};

std::string joined(const std::vector<Version>& versions) {
    std::string out;
    for (const auto& x : versions) out += (out.empty() ? "" : ",") + x.to_string();
    return out;
}

std::string sources(const std::vector<DatabaseOperation>& operations) {
    std::string out;
    for (const auto& op : operations) out += (out.empty() ? "" : " ") + op.command + "@" + op.source.to_string();
    return out;
}

TEST_F(NotesCorpus, EveryPageFrom3_10_0To3_24_2IsARelease) {
    EXPECT_EQ(notes->releases.size(), 55u);
    EXPECT_EQ(notes->releases.front().version.to_string(), "3.10.0");
    EXPECT_EQ(notes->releases.back().version.to_string(), "3.24.2");
    EXPECT_TRUE(notes->warnings.empty());
}

TEST_F(NotesCorpus, From3_18_0To3_24_2TheOperationsInOrder) {
    auto report = migrations_between(*notes, v("3.18.0"), v("3.24.2"));
    std::string all;
    for (const auto* op : report.operations()) {
        all += op->command + (op->conditional ? "?" : "") + " [" + joined(op->required_by) + "] " + op->run_with.to_string() + "\n";
    }
    EXPECT_EQ(all,
              "is-db migrate [3.19.0,3.21.0,3.23.0,3.24.0] 3.24.2\n"
              "noc-db init [3.19.2,3.21.0] 3.24.2\n"
              "storage-db migrate [3.20.0,3.21.0] 3.24.2\n"
              "noc-db migrate [3.20.0,3.21.0,3.23.0,3.24.0] 3.24.2\n");
    EXPECT_TRUE(report.removed.empty());
}

TEST_F(NotesCorpus, IsDbMigrateIsRequiredByFourReleasesFromEightPlaces) {
    auto report = migrations_between(*notes, v("3.18.0"), v("3.24.2"));
    const auto& is = operation(report, "is-db migrate");
    EXPECT_EQ(is.database, "is-db");
    EXPECT_FALSE(is.conditional);
    std::string places;
    for (const auto& s : is.sources) places += (places.empty() ? "" : " ") + s.to_string();
    EXPECT_EQ(places, "3.19.0.md:11 3.19.0.md:15 3.21.0.md:41 3.21.0.md:44 3.21.0.md:52 3.21.0.md:58 3.23.0.md:13 3.24.0.md:23");
}

TEST_F(NotesCorpus, TheWaypointAt3_19_2IsForTheIdentityServer) {
    auto report = migrations_between(*notes, v("3.18.0"), v("3.24.2"));
    ASSERT_EQ(report.waypoints.size(), 1u);
    const auto& w = report.waypoints[0];
    EXPECT_EQ(w.version.to_string(), "3.19.2");
    EXPECT_EQ(w.database, "is-db");
    EXPECT_EQ(w.command, "is-db migrate");
    EXPECT_EQ(w.source.to_string(), "3.19.2.md:16");
    EXPECT_EQ(w.declared_in.to_string(), "3.19.2");
    // From 3.19.2 on, the waypoint lies behind.
    EXPECT_TRUE(migrations_between(*notes, v("3.19.2"), v("3.24.2")).waypoints.empty());
}

TEST_F(NotesCorpus, FromIsExcluded) {
    // 3.18.0 itself requires js-db migrate; an upgrade from 3.18.0 has it already.
    auto report = migrations_between(*notes, v("3.17.2"), v("3.18.0"));
    ASSERT_EQ(report.operations().size(), 1u);
    EXPECT_EQ(report.operations()[0]->command, "js-db migrate");
    EXPECT_EQ(joined(report.operations()[0]->required_by), "3.18.0");
}

TEST_F(NotesCorpus, FactsOfSinglePages) {
    EXPECT_EQ(sources(release("3.10.0").inits), "storage-db init@3.10.0.md:28");
    EXPECT_EQ(sources(release("3.11.0").migrations),
              "is-db migrate@3.11.0.md:10 is-db migrate@3.11.0.md:16 dcs-db migrate@3.11.0.md:33 "
              "ns-db migrate@3.11.0.md:36 is-db migrate@3.11.0.md:43");
    EXPECT_EQ(sources(release("3.16.0").migrations), "is-db migrate@3.16.0.md:24 as-db migrate@3.16.0.md:34");
    EXPECT_EQ(sources(release("3.20.0").migrations), "storage-db migrate@3.20.0.md:25 noc-db migrate@3.20.0.md:27");
    for (const auto* version : {"3.13.0", "3.15.0", "3.22.0", "3.24.2"}) {
        const auto& r = release(version);
        EXPECT_TRUE(r.migrations.empty() && r.inits.empty() && r.waypoints.empty() && r.removed.empty()) << version;
    }
}

TEST_F(NotesCorpus, ConditionalMigrations) {
    const auto& as = release("3.11.1").migrations;
    ASSERT_EQ(as.size(), 1u);
    EXPECT_EQ(as[0].command, "as-db migrate");
    EXPECT_TRUE(as[0].conditional);  // "To migrate existing pub/sub integrations to packages, ..."
    const auto& storage = release("3.12.0").migrations;
    ASSERT_GE(storage.size(), 2u);
    EXPECT_EQ(storage[1].command, "storage-db migrate");
    EXPECT_FALSE(storage[1].conditional);  // "You will need to run ... to apply the new configuration": required
    EXPECT_EQ(storage[1].source.to_string(), "3.12.0.md:12");
}

TEST_F(NotesCorpus, MentionsThatAreNoRequirements) {
    auto why = [&](std::string_view version, std::string_view command) {
        std::string out;
        for (const auto& m : release(version).mentions) {
            if (m.command == command) out += (out.empty() ? "" : "; ") + m.why + "@" + m.source.to_string();
        }
        return out;
    };
    EXPECT_EQ(why("3.19.0", "is-db migrate"), "a fixed bug in the command@3.19.0.md:36");
    EXPECT_EQ(why("3.16.0", "as-db migrate"), "a new command@3.16.0.md:25");
    EXPECT_EQ(why("3.14.0", "ns-db migrate"), "describes the command@3.14.0.md:42");
    EXPECT_EQ(why("3.11.0", "dr-db init"), "describes the command@3.11.0.md:23");
}

}  // namespace
}  // namespace stackshift::release
