#include "inputs/drift_reader.hpp"

#include <algorithm>
#include <functional>
#include <optional>

namespace stackshift::inputs {

namespace {

using cloud::CloudError;

// One stack's detection: running (an id), or ended.
struct Detection {
    cfn::DeployedStack* stack = nullptr;
    std::string id;
    bool running = false;
};

// The call, tried again after a wait while AWS throttles it.
template <class F>
auto retrying(cloud::Cloud& cloud, const DriftPolling& polling, F call) -> decltype(call()) {
    for (int attempt = 0;; ++attempt) {
        try {
            return call();
        } catch (const CloudError& e) {
            if (!e.is_throttling() || attempt >= polling.throttle_retries) throw;
            cloud.wait(1 << attempt);
        }
    }
}

void fail(cfn::DeployedStack& stack, std::string why) {
    stack.drift_check = cfn::DriftCheck::failed;
    stack.drift_failure = std::move(why);
    stack.drift.clear();
}

cfn::DriftedResource drifted(const cloud::ResourceDrift& d) {
    cfn::DriftedResource out{d.logical_id, d.resource_type,
                             d.status == cloud::ResourceDriftStatus::deleted ? cfn::DriftStatus::deleted : cfn::DriftStatus::modified,
                             {}};
    for (const auto& p : d.differences)
        out.differences.push_back({p.path, p.expected, p.actual, std::string(cloud::difference_type_name(p.type))});
    return out;
}

// The detection's results: the drifted resources; a resource AWS could not check fails the stack.
void take_results(cloud::Cloud& cloud, const DriftPolling& polling, cfn::DeployedStack& stack) {
    auto drifts = retrying(cloud, polling, [&] { return cloud.describe_stack_resource_drifts(stack.name); });
    stack.drift_check = cfn::DriftCheck::checked;
    for (const auto& d : drifts) {
        switch (d.status) {
        case cloud::ResourceDriftStatus::in_sync:
        case cloud::ResourceDriftStatus::not_checked: break;
        case cloud::ResourceDriftStatus::modified:
        case cloud::ResourceDriftStatus::deleted: stack.drift.push_back(drifted(d)); break;
        case cloud::ResourceDriftStatus::unknown:
            return fail(stack, "drift detection could not check " + d.logical_id + " (" + d.resource_type + ")");
        }
    }
}

void poll(cloud::Cloud& cloud, const DriftPolling& polling, Detection& d) {
    auto status = retrying(cloud, polling, [&] { return cloud.describe_stack_drift_detection_status(d.id); });
    switch (status.status) {
    case cloud::DriftDetectionStatus::in_progress: return;
    case cloud::DriftDetectionStatus::complete: take_results(cloud, polling, *d.stack); break;
    case cloud::DriftDetectionStatus::failed:
        fail(*d.stack, "DETECTION_FAILED" + (status.status_reason.empty() ? std::string() : ": " + status.status_reason));
        break;
    }
    d.running = false;
}

}  // namespace

void read_drift(cloud::Cloud& cloud, std::vector<cfn::DeployedStack>& stacks, const DriftPolling& polling) {
    std::vector<Detection> detections;
    std::int64_t started = cloud.clock_s();
    // Every detection first, so that they run side by side.
    for (auto& s : stacks) {
        try {
            std::string id = retrying(cloud, polling, [&] { return cloud.detect_stack_drift(s.name); });
            detections.push_back({&s, std::move(id), true});
        } catch (const CloudError& e) {
            fail(s, e.what());
        }
    }
    auto running = [&] { return std::any_of(detections.begin(), detections.end(), [](const Detection& d) { return d.running; }); };
    while (running()) {
        cloud.wait(polling.interval_s);
        for (auto& d : detections) {
            if (!d.running) continue;
            try {
                poll(cloud, polling, d);
            } catch (const CloudError& e) {
                fail(*d.stack, e.what());
                d.running = false;
            }
        }
        if (running() && cloud.clock_s() - started > polling.timeout_s) {
            for (auto& d : detections) {
                if (!d.running) continue;
                fail(*d.stack, "drift detection " + d.id + " did not end within " + std::to_string(polling.timeout_s) + " s");
                d.running = false;
            }
        }
    }
}

}  // namespace stackshift::inputs
