#pragma once
// Deployment: the stacks of one deployment as a snapshot describes them (DESIGN.md,
// "stackshift-deployment/1"): name, template id, status, parameters (NoEcho ones masked as
// CloudFormation reports them), outputs, tags and the deployed template body. The data only:
// inputs/ reads it from a snapshot file or live from a Cloud; the simulator is made from it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stackshift::cfn {

// A property of a drifted resource whose actual value differs from the template's
// (CloudFormation's PropertyDifference).
struct DriftDifference {
    std::string path;  // "/SecurityGroupIngress/0/CidrIp"
    std::string expected;
    std::string actual;
    std::string type;  // ADD, REMOVE, NOT_EQUAL
};

enum class DriftStatus { modified, deleted };

std::string_view drift_status_name(DriftStatus status);  // "MODIFIED", "DELETED"
std::optional<DriftStatus> drift_status_from_name(std::string_view name);

// A resource changed out of band, as the stack's drift detection found it.
struct DriftedResource {
    std::string logical_id;
    std::string type;
    DriftStatus status = DriftStatus::modified;
    std::vector<DriftDifference> differences;  // modified only
};

// Whether the stack's drift is known: never checked (a snapshot from before drift was read),
// checked (the drifted resources are all listed, none when in sync), or the check failed (why).
enum class DriftCheck { not_checked, checked, failed };

struct DeployedStack {
    std::string name;
    std::string template_id;  // may be empty: the profile maps it from the name
    std::string status;       // CloudFormation stack status, e.g. UPDATE_COMPLETE
    std::map<std::string, std::string, std::less<>> parameters;
    std::vector<std::string> no_echo;
    std::map<std::string, std::string, std::less<>> outputs;
    std::map<std::string, std::string, std::less<>> tags;
    std::string template_body;
    DriftCheck drift_check = DriftCheck::not_checked;
    std::string drift_failure;  // failed: why, as AWS said it
    std::vector<DriftedResource> drift;  // checked: the resources that drifted (MODIFIED, DELETED)
    // When the stack was last created or updated, seconds since the Unix epoch (the simulator's
    // virtual clock for a simulated world); 0 when unknown (a snapshot from before it was kept).
    std::int64_t last_updated_s = 0;

    bool is_no_echo(std::string_view parameter) const;
};

struct Deployment {
    std::string file;
    std::string region;
    std::string version;  // may be empty: detected from image tags or given with --from
    std::vector<DeployedStack> stacks;

    const DeployedStack* stack(std::string_view name) const;
};

// Whether a stack status is stable enough to update: *_COMPLETE but not a failed rollback.
bool is_stable_status(std::string_view status);

}  // namespace stackshift::cfn
