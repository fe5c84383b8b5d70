#include "plan/hops.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "release/migration_report.hpp"

namespace stackshift::plan {

namespace {

// A waypoint as written, resolved against the versions the release source holds.
Version resolve_stop(const std::string& written, const Stop& stop, const StopInputs& inputs) {
    auto spec = VersionSpec::parse(written);
    if (!spec)
        throw InputError(stop.source + ": the waypoint '" + written + "' is not a version");
    const auto& known = inputs.releases.versions;
    if (spec->exact) {
        if (std::find(known.begin(), known.end(), *spec->exact) != known.end()) return *spec->exact;
        throw InputError("the upgrade from " + inputs.from.to_string() + " to " + inputs.to.to_string() +
                         " must pass through " + spec->exact->to_string() + " (" + stop.source + ": " + stop.why +
                         "), but " + inputs.releases.root + " has no folder for it; add " + inputs.releases.root +
                         "/" + spec->exact->to_string() + "/ with that release's templates");
    }
    if (auto latest = latest_patch(spec->major, spec->minor, known)) return *latest;
    throw InputError("the upgrade from " + inputs.from.to_string() + " to " + inputs.to.to_string() +
                     " must pass through " + written + " (" + stop.source + ": " + stop.why + "), but " +
                     inputs.releases.root + " has no " + written + ".x release; add the folder of its latest patch (" +
                     inputs.releases.root + "/" + written + ".N/)");
}

void add_stop(std::vector<Stop>& stops, Stop stop, const std::string& written, const StopInputs& inputs) {
    // A waypoint at or outside the range needs no stop: decide that on what is written first,
    // so that an unavailable waypoint outside the range is no error.
    if (auto spec = VersionSpec::parse(written); spec && spec->exact) {
        if (!(inputs.from < *spec->exact && *spec->exact < inputs.to)) return;
    }
    stop.version = resolve_stop(written, stop, inputs);
    if (!(inputs.from < stop.version && stop.version < inputs.to)) return;
    for (auto& existing : stops) {
        if (existing.version == stop.version) {
            if (existing.database.empty()) existing.database = stop.database;
            return;
        }
    }
    stops.push_back(std::move(stop));
}

}  // namespace

std::vector<Stop> waypoint_stops(const StopInputs& inputs) {
    std::vector<Stop> stops;
    if (inputs.notes) {
        auto report = release::migrations_between(*inputs.notes, inputs.from, inputs.to);
        for (const auto& w : report.waypoints) {
            Stop stop;
            stop.version = w.version;
            stop.written = w.written;
            stop.database = w.database;
            stop.why = w.sentence;
            stop.source = w.source.to_string();
            add_stop(stops, stop, w.written.empty() ? w.version.to_string() : w.written, inputs);
        }
    }
    for (const auto& w : inputs.profile.waypoints) {
        Stop stop;
        stop.written = w.version.to_string();
        stop.database = w.database;
        stop.why = w.why;
        stop.source = "profile " + inputs.profile.name;
        add_stop(stops, stop, w.version.to_string(), inputs);
    }
    std::sort(stops.begin(), stops.end(), [](const Stop& a, const Stop& b) { return a.version < b.version; });
    return stops;
}

}  // namespace stackshift::plan
