#pragma once
// The inventory of the simulated account as data (what account.hpp builds and checks against,
// what a scenario changes in it): apart from the world, so that the scenario can hold changes
// to it without including the world.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace stackshift::cloud::sim {

using IdSet = std::set<std::string, std::less<>>;

// A Systems Manager parameter.
struct SsmParameter {
    std::string name;
    std::string type = "String";  // String, StringList or SecureString
    // Unknown for a parameter known to exist only because a deployed stack named it: the
    // snapshot records the name a stack was given, not what it resolved to.
    std::optional<std::string> value;
};

struct Inventory {
    IdSet key_pairs;
    IdSet subnets;
    IdSet security_groups;
    IdSet vpcs;
    IdSet images;
    IdSet availability_zones;
    IdSet s3_buckets;
    std::map<std::string, SsmParameter, std::less<>> ssm_parameters;
    // Objects uploaded with upload_template: bucket, then key, to the body.
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> s3_objects;

    // The ids of a kind as the scenario and the state file name it ("key_pairs", "subnets",
    // "security_groups", "vpcs", "images", "availability_zones", "s3_buckets"); null for any other.
    IdSet* ids(std::string_view kind) {
        if (kind == "key_pairs") return &key_pairs;
        if (kind == "subnets") return &subnets;
        if (kind == "security_groups") return &security_groups;
        if (kind == "vpcs") return &vpcs;
        if (kind == "images") return &images;
        if (kind == "availability_zones") return &availability_zones;
        if (kind == "s3_buckets") return &s3_buckets;
        return nullptr;
    }
    const IdSet* ids(std::string_view kind) const { return const_cast<Inventory*>(this)->ids(kind); }
};

// The kinds `Inventory::ids` knows, in the order the scenario's error messages list them.
inline const std::vector<std::string_view>& inventory_kinds() {
    static const std::vector<std::string_view> kinds = {"key_pairs", "subnets", "security_groups", "vpcs",
                                                        "images", "availability_zones", "s3_buckets"};
    return kinds;
}

// What a scenario changes in the inventory made from the deployment.
struct InventoryChanges {
    std::map<std::string, std::vector<std::string>, std::less<>> add;     // kind to ids
    std::map<std::string, std::vector<std::string>, std::less<>> remove;  // kind (or "ssm_parameters") to ids or names
    std::vector<SsmParameter> ssm_parameters;                             // added, or replacing one of that name

    bool empty() const { return add.empty() && remove.empty() && ssm_parameters.empty(); }
};

}  // namespace stackshift::cloud::sim
