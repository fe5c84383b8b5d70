#pragma once
// Deployment: the stacks of one deployment as a snapshot describes them (DESIGN.md,
// "stackshift-deployment/1"): name, template id, status, parameters (NoEcho ones masked as
// CloudFormation reports them), outputs, tags and the deployed template body. The data only:
// inputs/ reads it from a snapshot file or live from a Cloud; the simulator is made from it.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stackshift::cfn {

struct DeployedStack {
    std::string name;
    std::string template_id;  // may be empty: the profile maps it from the name
    std::string status;       // CloudFormation stack status, e.g. UPDATE_COMPLETE
    std::map<std::string, std::string, std::less<>> parameters;
    std::vector<std::string> no_echo;
    std::map<std::string, std::string, std::less<>> outputs;
    std::map<std::string, std::string, std::less<>> tags;
    std::string template_body;

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
