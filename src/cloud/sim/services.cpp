#include "cloud/sim/services.hpp"

#include <algorithm>

#include "cloud/sim/machines.hpp"

namespace stackshift::cloud::sim {

namespace {

// A cluster's name from its name or its ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME).
std::string last_segment(const std::string& text) {
    auto slash = text.rfind('/');
    return slash == std::string::npos ? text : text.substr(slash + 1);
}

std::string cluster_arn(const World& world, const std::string& cluster) {
    return "arn:aws:ecs:" + world.region + ":" + world.account + ":cluster/" + last_segment(cluster);
}

const UnhealthyService* unhealthy(const World& world, const SimService& s) {
    const SimStack* stack = world.stack(s.stack);
    for (const auto& u : world.scenario.unhealthy_services) {
        bool same_stack = u.stack == s.stack || (stack != nullptr && u.stack == stack->template_id);
        if (same_stack && u.logical_id == s.logical_id) return &u;
    }
    return nullptr;
}

ServiceDeployment deployment(const SimService& s, std::string status, std::string rollout,
                             const std::string& task_definition, int desired, int running_count) {
    ServiceDeployment d;
    d.id = "ecs-svc/" + make_id("", s.arn + "#" + task_definition, 19);
    d.status = std::move(status);
    d.rollout_state = std::move(rollout);
    d.task_definition = task_definition;
    d.desired_count = desired;
    d.running_count = running_count;
    d.pending_count = std::max(0, desired - running_count);
    return d;
}

// The deployments at the world's clock: one settled PRIMARY, or a rollout beside the ACTIVE one.
void add_deployments(const World& world, const SimService& s, Service& out) {
    if (s.rollout_task_definition.empty()) {
        out.deployments.push_back(deployment(s, "PRIMARY", s.deployment, s.task_definition, s.desired_count, s.running_count));
        return;
    }
    int started = rollout_running(s, world.clock_s);
    std::string state = s.rollout_settles_s < 0 ? "FAILED" : started >= s.rollout_desired ? "COMPLETED" : "IN_PROGRESS";
    out.deployments.push_back(deployment(s, "PRIMARY", state, s.rollout_task_definition, s.rollout_desired, started));
    int old = std::max(0, s.running_count - started);
    out.deployments.push_back(deployment(s, "ACTIVE", "COMPLETED", s.task_definition, old, old));
}

Service describe(const World& world, const SimService& s) {
    Service out;
    out.arn = service_arn(world, s);
    out.name = s.name;
    out.cluster = cluster_arn(world, s.cluster);
    out.status = "ACTIVE";
    out.desired_count = s.rollout_task_definition.empty() ? s.desired_count : s.rollout_desired;
    add_deployments(world, s, out);
    if (const UnhealthyService* u = unhealthy(world, s)) {
        // Tasks that stop soon after they start: ECS keeps replacing them and never completes.
        ServiceDeployment& primary = out.deployments.front();
        primary.running_count = std::min(primary.running_count, u->running);
        primary.pending_count = std::max(0, primary.desired_count - primary.running_count);
        primary.rollout_state = "IN_PROGRESS";
        // ECS's SERVICE_TASK_START_IMPAIRED event, as its service events read.
        out.events.push_back("(service " + s.name + ") is unable to consistently start tasks successfully. For more "
                             "information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
    }
    for (const auto& d : out.deployments) {
        out.running_count += d.running_count;
        out.pending_count += d.pending_count;
    }
    out.task_definition = out.deployments.front().task_definition;
    return out;
}

bool names(const World& world, const SimService& s, const std::string& name) {
    return name == s.name || name == s.arn || name == service_arn(world, s);
}

}  // namespace

std::string service_arn(const World& world, const SimService& s) {
    return "arn:aws:ecs:" + world.region + ":" + world.account + ":service/" + last_segment(s.cluster) + "/" + s.name;
}

std::string reported_physical_id(const World& world, const SimResource& r) {
    if (r.type != "AWS::ECS::Service") return r.physical_id;
    for (const auto& s : world.services)
        if (s.arn == r.physical_id) return service_arn(world, s);
    return r.physical_id;
}

std::vector<Service> describe_sim_services(const World& world, const std::string& cluster, const std::vector<std::string>& wanted) {
    std::vector<Service> out;
    for (const auto& name : wanted) {
        auto it = std::find_if(world.services.begin(), world.services.end(), [&](const SimService& s) {
            return last_segment(s.cluster) == last_segment(cluster) && names(world, s, name);
        });
        if (it != world.services.end()) {
            out.push_back(describe(world, *it));
            continue;
        }
        Service missing;  // ECS's `failures` entry: the ARN it was asked for, reason MISSING
        missing.arn = name.starts_with("arn:") ? name
                                               : "arn:aws:ecs:" + world.region + ":" + world.account + ":service/" +
                                                     last_segment(cluster) + "/" + name;
        missing.name = last_segment(name);
        missing.cluster = cluster_arn(world, cluster);
        missing.status = "MISSING";
        out.push_back(std::move(missing));
    }
    return out;
}

}  // namespace stackshift::cloud::sim
