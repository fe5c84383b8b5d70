#pragma once
// Where an upgrade must stop on its way: the waypoints of the release notes and of the profile
// that lie strictly between FROM and TO ("you must first upgrade to v3.19.2"), each resolved
// against the release source (a minor version, "v3.24", becomes its latest patch there). An
// upgrade with stops is planned as hops: FROM -> stop -> ... -> TO, each a full plan.

#include <string>
#include <vector>

#include "core/version.hpp"
#include "profile/profile.hpp"
#include "release/release_notes.hpp"
#include "release/release_source.hpp"

namespace stackshift::plan {

struct Stop {
    Version version;
    std::string written;   // as the source wrote it: "3.24", "3.19.2"
    std::string database;  // what it concerns, when said
    std::string why;       // the sentence, or the profile's reason
    std::string source;    // "3.19.2.md:16", "profile the-things-stack-ecs"
};

// What the stops are found in: the release notes' waypoints and the profile's, kept when they
// lie between FROM and TO and resolved against the release source's versions. Not PlanInputs,
// which holds the stops: plan_inputs includes hops, never the other way round.
struct StopInputs {
    const Version& from;
    const Version& to;
    const release::ReleaseSource& releases;
    const release::ReleaseNotes* notes;  // none when the plan has no release notes
    const profile::Profile& profile;
};

// The stops in version order, one per version. Throws InputError naming the version to make
// available when a stop has no folder in the release source.
std::vector<Stop> waypoint_stops(const StopInputs& inputs);

}  // namespace stackshift::plan
