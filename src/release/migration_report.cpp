#include "release/migration_report.hpp"

#include <algorithm>

namespace stackshift::release {

namespace {

void add_operation(std::vector<PlannedOperation>& list, const DatabaseOperation& op, const Version& release,
                   const Version& to) {
    auto it = std::find_if(list.begin(), list.end(), [&](const PlannedOperation& p) { return p.command == op.command; });
    if (it == list.end()) {
        PlannedOperation p;
        p.database = op.database;
        p.command = op.command;
        p.conditional = true;  // until a release requires it outright
        p.run_with = to;
        list.push_back(std::move(p));
        it = std::prev(list.end());
    }
    if (std::find(it->required_by.begin(), it->required_by.end(), release) == it->required_by.end()) {
        it->required_by.push_back(release);
        std::sort(it->required_by.begin(), it->required_by.end());
    }
    it->conditional = it->conditional && op.conditional;
    if (op.conditional) it->conditions.push_back(op);
    it->sources.push_back(op.source);
}

// A waypoint given as a minor version means its latest known patch.
std::optional<Version> resolve(const VersionSpec& spec, const std::vector<Version>& known) {
    if (spec.exact) return spec.exact;
    return latest_patch(spec.major, spec.minor, known);
}

std::optional<Version> last_release_before(const Version& v, const std::vector<Version>& known) {
    std::optional<Version> best;
    for (const auto& k : known) {
        if (k < v && k.pre_release.empty() && (!best || *best < k)) best = k;
    }
    return best;
}

void add_waypoint(MigrationReport& report, const ReleaseNote& note, const Waypoint& w, const std::vector<Version>& known) {
    auto version = resolve(w.version, known);
    if (!version) {
        // No patch of that minor version is known: stop at its first patch, and say so.
        version = Version{w.version.major, w.version.minor, 0, ""};
        report.warnings.push_back(w.source.to_string() + ": waypoint " + w.version.to_string() +
                                  " names no release in the notes; upgrade to its latest patch first");
    }
    if (*version == report.to && report.from < *version && !w.command.empty()) {
        // Upgrading to the waypoint itself: what it says to run there is run with TO.
        auto& list = w.command.ends_with(" init") ? report.inits : report.migrations;
        add_operation(list, {w.database, w.command, false, w.sentence, w.source}, note.version, report.to);
        return;
    }
    if (!(report.from < *version && *version < report.to)) return;
    for (auto& p : report.waypoints) {
        bool same_database = p.database.empty() || w.database.empty() || p.database == w.database;
        if (p.version != *version || !same_database) continue;
        if (p.database.empty()) p.database = w.database;
        if (p.command.empty()) p.command = w.command;
        return;
    }
    report.waypoints.push_back({*version, w.version.to_string(), w.database, w.command, note.version, w.sentence, w.source});
}

// A command removed after the last release that requires it, up to TO, is not in the TO
// image: it must run with the last version that still has it.
void check_removed(MigrationReport& report, PlannedOperation& op, const std::vector<Version>& known) {
    for (const auto& removal : report.removed) {
        if (removal.command != op.command || removal.version <= op.required_by.back()) continue;
        op.removed_in = removal.version;
        op.last_version_with_command = last_release_before(removal.version, known);
        std::string required = op.command + " (required by " + op.required_by.back().to_string() + ")";
        if (op.last_version_with_command) {
            op.run_with = *op.last_version_with_command;
            report.warnings.push_back(required + " was removed in " + removal.version.to_string() + ": run it with " +
                                      op.run_with.to_string() + ", the last version that still has it, before upgrading to " +
                                      report.to.to_string());
        } else {
            report.warnings.push_back(required + " was removed in " + removal.version.to_string() +
                                      " and the notes know no earlier release that has it");
        }
        return;
    }
}

void finish(MigrationReport& report, std::vector<PlannedOperation>& list, const std::vector<Version>& known) {
    for (auto& op : list) {
        if (!op.conditional) op.conditions.clear();
        check_removed(report, op, known);
    }
    std::stable_sort(list.begin(), list.end(), [](const PlannedOperation& a, const PlannedOperation& b) {
        return a.required_by.front() < b.required_by.front();
    });
}

}  // namespace

std::vector<const PlannedOperation*> MigrationReport::operations() const {
    std::vector<const PlannedOperation*> out;
    for (const auto& op : migrations) out.push_back(&op);
    for (const auto& op : inits) out.push_back(&op);
    std::stable_sort(out.begin(), out.end(), [](const PlannedOperation* a, const PlannedOperation* b) {
        return a->required_by.front() < b->required_by.front();
    });
    for (const auto& init : inits) {
        auto init_at = std::find(out.begin(), out.end(), &init);
        auto first_migrate = std::find_if(out.begin(), init_at, [&](const PlannedOperation* p) { return p->database == init.database; });
        if (first_migrate != init_at) std::rotate(first_migrate, init_at, std::next(init_at));
    }
    return out;
}

MigrationReport migrations_between(const ReleaseNotes& notes, const Version& from, const Version& to) {
    MigrationReport report;
    report.from = from;
    report.to = to;
    std::vector<Version> known = notes.versions();
    report.releases = versions_in_range(from, to, known);
    for (const auto& d : notes.warnings) report.warnings.push_back(d.to_string());

    // Every release after FROM up to TO: what it requires, where it must stop, what it removed.
    for (const auto& note : notes.releases) {
        if (!in_range(note.version, from, to)) continue;
        for (const auto& op : note.migrations) add_operation(report.migrations, op, note.version, to);
        for (const auto& op : note.inits) add_operation(report.inits, op, note.version, to);
        for (const auto& w : note.waypoints) add_waypoint(report, note, w, known);
        for (const auto& r : note.removed) {
            bool seen = std::any_of(report.removed.begin(), report.removed.end(), [&](const PlannedRemoval& p) {
                return p.command == r.command && p.version == note.version;
            });
            if (!seen) report.removed.push_back({r.database, r.command, note.version, r.sentence, r.source});
        }
    }

    // Once per command, in the order the releases asked for them; removed commands checked.
    finish(report, report.migrations, known);
    finish(report, report.inits, known);
    std::stable_sort(report.waypoints.begin(), report.waypoints.end(),
                     [](const PlannedWaypoint& a, const PlannedWaypoint& b) { return a.version < b.version; });
    return report;
}

}  // namespace stackshift::release
