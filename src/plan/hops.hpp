#pragma once
// Where an upgrade must stop on its way: the waypoints of the release notes and of the profile
// that lie strictly between FROM and TO ("you must first upgrade to v3.19.2"), each resolved
// against the release source (a minor version, "v3.24", becomes its latest patch there). An
// upgrade with stops is planned as hops: FROM -> stop -> ... -> TO, each a full plan.

#include <string>
#include <vector>

#include "core/version.hpp"

namespace stackshift::plan {

struct PlanInputs;

struct Stop {
    Version version;
    std::string written;   // as the source wrote it: "3.24", "3.19.2"
    std::string database;  // what it concerns, when said
    std::string why;       // the sentence, or the profile's reason
    std::string source;    // "3.19.2.md:16", "profile the-things-stack-ecs"
};

// The stops in version order, one per version. Throws InputError naming the version to make
// available when a stop has no folder in the release source.
std::vector<Stop> waypoint_stops(const PlanInputs& inputs);

}  // namespace stackshift::plan
