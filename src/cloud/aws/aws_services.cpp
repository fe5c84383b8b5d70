// AwsCloud, the hop's health and the machines' refresh: ECS DescribeServices (at most 10
// services a call, so paged here), Auto Scaling StartInstanceRefresh and
// DescribeInstanceRefreshes (the CLI follows NextToken).

#include <algorithm>

#include "cloud/aws/aws_cloud.hpp"
#include "cloud/aws/aws_json.hpp"

namespace stackshift::cloud::aws {

namespace {

constexpr std::size_t services_per_call = 10;  // DescribeServices' limit

ServiceDeployment deployment_from_json(const Json& d) {
    ServiceDeployment out;
    out.id = json::text(d, "id");
    out.status = json::text(d, "status");
    out.rollout_state = json::text(d, "rolloutState");
    out.rollout_state_reason = json::text(d, "rolloutStateReason");
    out.task_definition = json::text(d, "taskDefinition");
    out.desired_count = json::integer(d, "desiredCount");
    out.running_count = json::integer(d, "runningCount");
    out.pending_count = json::integer(d, "pendingCount");
    return out;
}

// The last part of an ARN (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME): the service's name.
std::string last_segment(const std::string& text) {
    auto slash = text.rfind('/');
    return slash == std::string::npos ? text : text.substr(slash + 1);
}

}  // namespace

Service service_from_json(const Json& s) {
    Service out;
    out.arn = json::text(s, "serviceArn");
    out.name = json::text(s, "serviceName");
    out.cluster = json::text(s, "clusterArn");
    out.status = json::text(s, "status");
    out.desired_count = json::integer(s, "desiredCount");
    out.running_count = json::integer(s, "runningCount");
    out.pending_count = json::integer(s, "pendingCount");
    out.task_definition = json::text(s, "taskDefinition");
    for (const auto& d : json::list(s, "deployments")) out.deployments.push_back(deployment_from_json(d));
    for (const auto& e : json::list(s, "events")) out.events.push_back(json::text(e, "message"));
    return out;
}

InstanceRefresh instance_refresh_from_json(const Json& r) {
    InstanceRefresh out;
    out.id = json::text(r, "InstanceRefreshId");
    out.group = json::text(r, "AutoScalingGroupName");
    out.status = json::text(r, "Status");
    out.status_reason = json::text(r, "StatusReason");
    out.percentage_complete = json::integer(r, "PercentageComplete");
    out.instances_to_update = json::integer(r, "InstancesToUpdate");
    out.start_time_s = r.contains("StartTime") ? parse_timestamp(r["StartTime"]) : 0;
    out.end_time_s = r.contains("EndTime") ? parse_timestamp(r["EndTime"]) : 0;
    return out;
}

std::vector<Service> AwsCloud::describe_services(const std::string& cluster, const std::vector<std::string>& services) {
    std::vector<Service> out;
    for (std::size_t first = 0; first < services.size(); first += services_per_call) {
        std::size_t last = std::min(services.size(), first + services_per_call);
        std::vector<std::string> args = {"--cluster", cluster, "--services"};
        args.insert(args.end(), services.begin() + static_cast<std::ptrdiff_t>(first), services.begin() + static_cast<std::ptrdiff_t>(last));
        Json answer = m_cli->call("ecs", "describe-services", args);
        for (const auto& s : json::list(answer, "services")) out.push_back(service_from_json(s));
        // A service ECS does not know is a failure with reason MISSING: typed, not dropped.
        for (const auto& f : json::list(answer, "failures")) {
            Service missing;
            missing.arn = json::text(f, "arn");
            missing.name = last_segment(missing.arn);
            missing.cluster = cluster;
            missing.status = json::text(f, "reason");
            if (missing.status.empty()) missing.status = "MISSING";
            out.push_back(std::move(missing));
        }
    }
    return out;
}

StartInstanceRefreshResult AwsCloud::start_instance_refresh(const std::string& group, int min_healthy_percentage) {
    std::string preferences = "{\"MinHealthyPercentage\":" + std::to_string(min_healthy_percentage) + "}";
    try {
        Json answer = m_cli->call("autoscaling", "start-instance-refresh",
                                  {"--auto-scaling-group-name", group, "--preferences", preferences});
        std::string id = json::text(answer, "InstanceRefreshId");
        if (id.empty()) throw CloudError("ValidationError", "StartInstanceRefresh of " + group + " answered no InstanceRefreshId");
        return {id, false, ""};
    } catch (const CloudError& e) {
        // One refresh at a time per group: the one running is the caller's to find.
        if (e.code() == "InstanceRefreshInProgress") return {"", true, e.message()};
        throw;
    }
}

std::vector<InstanceRefresh> AwsCloud::describe_instance_refreshes(const std::string& group, const std::vector<std::string>& ids) {
    std::vector<std::string> args = {"--auto-scaling-group-name", group};
    if (!ids.empty()) {
        args.emplace_back("--instance-refresh-ids");
        args.insert(args.end(), ids.begin(), ids.end());
    }
    Json answer = m_cli->call("autoscaling", "describe-instance-refreshes", args);
    std::vector<InstanceRefresh> out;
    for (const auto& r : json::list(answer, "InstanceRefreshes")) out.push_back(instance_refresh_from_json(r));
    return out;
}

}  // namespace stackshift::cloud::aws
