#pragma once
// The drift of a live deployment: a drift detection started on every stack at once (each runs
// on AWS's side while the others do), polled with the Cloud's `wait` until each ends, and the
// drifted resources recorded on the stack. Fails closed: a stack whose detection AWS refuses
// (a stack in progress), fails or does not end in time is recorded as failed with the reason,
// never dropped and never taken as in sync.

#include <vector>

#include "cfn/deployment.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::inputs {

struct DriftPolling {
    std::int64_t interval_s = 5;   // between two rounds of DescribeStackDriftDetectionStatus
    std::int64_t timeout_s = 900;  // on the Cloud's clock, from the first detection started
    int throttle_retries = 5;      // a throttled call is tried again after a wait, this often
};

// Fills drift_check, drift_failure and drift of every stack.
void read_drift(cloud::Cloud& cloud, std::vector<cfn::DeployedStack>& stacks, const DriftPolling& polling = {});

}  // namespace stackshift::inputs
