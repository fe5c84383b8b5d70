#pragma once
// The deployment a Cloud holds, read live: the stacks whose names start with a prefix, with
// their template ids (as the profile maps them), status, parameters (NoEcho ones masked, as
// AWS reports them), outputs, tags, deployed template bodies and drift (drift_reader.hpp): what `stackshift snapshot`
// writes and what `plan --stack-prefix` plans from. Generic over the Cloud, so the simulator
// answers it as AWS does.

#include <string>

#include "cfn/deployment.hpp"
#include "cloud/cloud.hpp"
#include "inputs/drift_reader.hpp"
#include "profile/profile.hpp"

namespace stackshift::inputs {

struct DeploymentQuery {
    std::string prefix;  // stacks whose names start with it, e.g. "acme-prod-"
    std::string region;  // recorded in the snapshot; else taken from the stacks' ARNs
    DriftPolling drift = {};  // how the stacks' drift detections are waited for
};

// Reads it; InputError when no stack matches the prefix (naming a few that exist), CloudError
// when AWS refuses a call.
cfn::Deployment read_deployment(cloud::Cloud& cloud, const DeploymentQuery& query, const profile::Profile& profile);

}  // namespace stackshift::inputs
