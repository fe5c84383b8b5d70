#pragma once
// A simulated change's PolicyAction and Details in the world's state file, beside the fields
// world_json writes, so that a change set described by a later process says what it said.

#include <nlohmann/json.hpp>

#include "cloud/cloud.hpp"

namespace stackshift::cloud::sim {

// Adds "policyAction" (when there is one) and "details" to the change's entry.
void change_details_to_json(const ResourceChange& change, nlohmann::json& entry);

// Reads them back; an entry written before they existed has neither. A word AWS does not use
// is refused: the file was not written by this simulator.
void change_details_from_json(const nlohmann::json& entry, ResourceChange& change);

}  // namespace stackshift::cloud::sim
