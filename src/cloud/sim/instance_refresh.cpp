#include "cloud/sim/instance_refresh.hpp"

#include <algorithm>

#include "cloud/sim/machines.hpp"

namespace stackshift::cloud::sim {

namespace {

// No AWS source gave the StatusReason of a refresh whose replacements fail their health checks;
// this text says what the simulator models.
constexpr std::string_view default_failure_reason =
    "Instance refresh failed: a replacement instance did not pass its health checks within the warm-up";

const SimAutoScalingGroup* find_group(const World& world, std::string_view name) {
    for (const auto& g : world.auto_scaling_groups)
        if (g.name == name) return &g;
    return nullptr;
}

const SimInstance* find_instance(const World& world, std::string_view id) {
    for (const auto& i : world.instances)
        if (i.id == id) return &i;
    return nullptr;
}

bool running(const SimInstanceRefresh& r) { return r.status == "Pending" || r.status == "InProgress"; }

// The scenario's fault for the group's refreshes, by its stack (name or template id) and logical id.
const FailingRefresh* fault_of(const World& world, const SimAutoScalingGroup& g) {
    const SimStack* stack = world.stack(g.stack);
    for (const auto& f : world.scenario.failing_instance_refreshes) {
        bool same_stack = f.stack == g.stack || (stack != nullptr && f.stack == stack->template_id);
        if (same_stack && f.logical_id == g.logical_id) return &f;
    }
    return nullptr;
}

// Instances a batch may replace: what keeps ceil(desired * min / 100) in service, at least one.
int batch_size(const SimAutoScalingGroup& g, int min_healthy_percentage) {
    int keep = (g.desired_capacity * min_healthy_percentage + 99) / 100;
    return std::max(1, g.desired_capacity - keep);
}

void end(SimInstanceRefresh& r, std::string status, std::string reason, std::int64_t at) {
    r.status = std::move(status);
    r.status_reason = std::move(reason);
    r.ended_s = at;
    r.in_flight = 0;
}

// The batch in flight is in service at `r.batch_ready_s`: fail, finish, or start the next one.
void next_batch(World& world, SimInstanceRefresh& r) {
    const SimAutoScalingGroup* g = find_group(world, r.group);
    if (g == nullptr) return end(r, "Failed", "The Auto Scaling group was deleted during the instance refresh", r.batch_ready_s);
    bool replaced_some = r.in_flight > 0;
    r.in_flight = 0;
    if (const FailingRefresh* f = fault_of(world, *g); f != nullptr && replaced_some)
        return end(r, "Failed", f->reason.empty() ? std::string(default_failure_reason) : f->reason, r.batch_ready_s);
    // Instances that ended otherwise (a termination, a scale-in) need no replacing.
    std::erase_if(r.to_replace, [&](const std::string& id) {
        const SimInstance* i = find_instance(world, id);
        return i == nullptr || i->terminated_s.has_value() || std::count(g->instance_ids.begin(), g->instance_ids.end(), id) == 0;
    });
    if (r.to_replace.empty()) return end(r, "Successful", "", r.batch_ready_s);
    int n = std::min<int>(batch_size(*g, r.min_healthy_percentage), static_cast<int>(r.to_replace.size()));
    std::vector<std::string> batch(r.to_replace.begin(), r.to_replace.begin() + n);
    r.to_replace.erase(r.to_replace.begin(), r.to_replace.begin() + n);
    // The batch happens at its own time, however far the clock has moved since: the terminations
    // and the launches carry that time.
    std::int64_t now = world.clock_s;
    world.clock_s = r.batch_ready_s;
    for (const auto& id : batch) terminate_instance(world, id);  // the group launches each replacement
    world.clock_s = now;
    r.in_flight = n;
    r.batch_ready_s += refresh_warmup_seconds;
}

InstanceRefresh described(const SimInstanceRefresh& r) {
    int left = static_cast<int>(r.to_replace.size()) + r.in_flight;
    int percent = r.total == 0 ? 100 : (r.total - left) * 100 / r.total;
    if (r.status == "Successful") percent = 100;
    return {r.id, r.group, r.status, r.status_reason, percent, left, r.started_s, r.ended_s};
}

}  // namespace

StartInstanceRefreshResult start_refresh(World& world, const std::string& group, int min_healthy_percentage) {
    const SimAutoScalingGroup* g = find_group(world, group);
    if (g == nullptr) throw CloudError("ValidationError", "AutoScalingGroup name not found - AutoScalingGroup " + group + " not found");
    for (const auto& r : world.instance_refreshes) {
        if (r.group == group && running(r))
            return {"", true, "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh."};
    }
    SimInstanceRefresh r;
    r.id = make_id("", group + "#refresh#" + std::to_string(world.next_serial++), 32);
    r.id = r.id.substr(0, 8) + "-" + r.id.substr(8, 4) + "-" + r.id.substr(12, 4) + "-" + r.id.substr(16, 4) + "-" + r.id.substr(20, 12);
    r.group = group;
    r.min_healthy_percentage = min_healthy_percentage;
    r.status = "InProgress";
    r.started_s = world.clock_s;
    r.batch_ready_s = world.clock_s;  // the first batch starts as the clock next moves
    r.to_replace = g->instance_ids;
    r.total = static_cast<int>(r.to_replace.size());
    world.instance_refreshes.push_back(r);
    return {r.id, false, ""};
}

std::vector<InstanceRefresh> describe_refreshes(const World& world, const std::string& group, const std::vector<std::string>& ids) {
    std::vector<InstanceRefresh> out;
    for (auto it = world.instance_refreshes.rbegin(); it != world.instance_refreshes.rend(); ++it) {
        if (it->group != group) continue;
        if (!ids.empty() && std::find(ids.begin(), ids.end(), it->id) == ids.end()) continue;
        out.push_back(described(*it));
    }
    return out;
}

void progress_instance_refreshes(World& world) {
    for (std::size_t i = 0; i < world.instance_refreshes.size(); ++i) {
        // By index: a batch launches instances, which may move other vectors, never this one.
        while (running(world.instance_refreshes[i]) && world.clock_s >= world.instance_refreshes[i].batch_ready_s)
            next_batch(world, world.instance_refreshes[i]);
    }
}

int in_service_count(const World& world, const std::string& group) {
    const SimAutoScalingGroup* g = find_group(world, group);
    if (g == nullptr) return 0;
    int n = 0;
    for (const auto& id : g->instance_ids) {
        const SimInstance* i = find_instance(world, id);
        if (i != nullptr && !i->terminated_s && i->launched_s + refresh_warmup_seconds <= world.clock_s) ++n;
    }
    return n;
}

}  // namespace stackshift::cloud::sim
