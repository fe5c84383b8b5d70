// AwsCloud, the machines: ECS tasks and their CloudWatch logs, EC2 instances and volume
// snapshots, Auto Scaling groups.

#include <algorithm>

#include "cloud/aws/aws_cloud.hpp"
#include "cloud/aws/aws_json.hpp"

namespace stackshift::cloud::aws {

namespace {

constexpr int log_lines = 50;  // the last lines of a task's log a failure shows

// arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID (or the old task/ID): the id is the last part.
std::string task_id(const std::string& arn) { return arn.substr(arn.rfind('/') + 1); }

std::string cluster_of(const std::string& arn) {
    auto task = arn.find(":task/");
    if (task == std::string::npos) return "default";
    std::string rest = arn.substr(task + 6);
    auto slash = rest.find('/');
    return slash == std::string::npos ? "default" : rest.substr(0, slash);
}

std::vector<std::string> with_list(std::vector<std::string> args, const char* flag, const std::vector<std::string>& values) {
    if (values.empty()) return args;
    args.emplace_back(flag);
    args.insert(args.end(), values.begin(), values.end());
    return args;
}

Snapshot snapshot_from_json(const Json& s) {
    return {json::text(s, "SnapshotId"), json::text(s, "VolumeId"), json::text(s, "State"), json::text(s, "Progress"),
            json::text(s, "Description"), parse_timestamp(s.contains("StartTime") ? s["StartTime"] : Json())};
}

std::vector<Snapshot> snapshots_from_json(const Json& answer) {
    std::vector<Snapshot> out;
    for (const auto& s : json::list(answer, "Snapshots")) out.push_back(snapshot_from_json(s));
    return out;
}

}  // namespace

std::string AwsCloud::run_task(const RunTaskRequest& request) {
    Json network = {{"awsvpcConfiguration", {{"subnets", request.subnets}, {"securityGroups", request.security_groups}}}};
    Json overrides = {{"containerOverrides", Json::array({{{"name", request.container}, {"command", request.command}}})}};
    std::string launch_type = request.launch_type.empty() ? "FARGATE" : request.launch_type;
    std::vector<std::string> args = {"--cluster",      request.cluster,  "--task-definition", request.task_definition,
                                     "--launch-type",  launch_type,      "--count",           "1",
                                     "--started-by",   request.started_by, "--network-configuration", network.dump(),
                                     "--overrides",    overrides.dump()};
    Json answer = m_cli->call("ecs", "run-task", args);
    const Json& tasks = json::list(answer, "tasks");
    if (tasks.empty()) {
        std::string why;
        for (const auto& f : json::list(answer, "failures")) {
            std::string detail = json::text(f, "detail");
            why += (why.empty() ? "" : "; ") + json::text(f, "reason") + (detail.empty() ? "" : " (" + detail + ")");
        }
        throw CloudError("RunTaskFailure", "ECS did not start the task of " + request.task_definition + " in cluster " +
                                               request.cluster + ": " + (why.empty() ? "no reason given" : why));
    }
    std::string arn = json::text(tasks.front(), "taskArn");
    std::lock_guard lock(m_mutex);
    m_task_cluster[arn] = request.cluster;
    m_task_container[arn] = request.container;
    return arn;
}

std::vector<Task> AwsCloud::describe_tasks(const std::string& cluster, const std::vector<std::string>& arns) {
    if (arns.empty()) return {};
    Json answer = m_cli->call("ecs", "describe-tasks", with_list({"--cluster", cluster}, "--tasks", arns));
    std::vector<Task> out;
    std::lock_guard lock(m_mutex);
    for (const auto& t : json::list(answer, "tasks")) {
        Task task{json::text(t, "taskArn"), cluster, json::text(t, "taskDefinitionArn"), json::text(t, "lastStatus"),
                  json::text(t, "desiredStatus"), std::nullopt, json::text(t, "stoppedReason")};
        m_task_cluster[task.arn] = cluster;
        // The exit code of the container whose command we set; else the first that failed,
        // else the first that ended (a task started before a crash has no container on record).
        auto known = m_task_container.find(task.arn);
        for (const auto& c : json::list(t, "containers")) {
            if (!c.contains("exitCode") || !c["exitCode"].is_number()) continue;
            int code = c["exitCode"].get<int>();
            if (known != m_task_container.end()) {
                if (json::text(c, "name") == known->second) task.exit_code = code;
            } else if (!task.exit_code || (*task.exit_code == 0 && code != 0)) {
                task.exit_code = code;
            }
        }
        out.push_back(std::move(task));
    }
    return out;
}

std::vector<std::string> AwsCloud::task_log_lines(const std::string& task_arn) {
    std::string cluster;
    std::string container;
    {
        std::lock_guard lock(m_mutex);
        auto c = m_task_cluster.find(task_arn);
        cluster = c != m_task_cluster.end() ? c->second : cluster_of(task_arn);
        auto n = m_task_container.find(task_arn);
        if (n != m_task_container.end()) container = n->second;
    }
    // The log stream of an awslogs container is PREFIX/CONTAINER/TASK-ID in the group its
    // task definition names.
    Json tasks = m_cli->call("ecs", "describe-tasks", {"--cluster", cluster, "--tasks", task_arn});
    const Json& found = json::list(tasks, "tasks");
    if (found.empty()) throw CloudError("ResourceNotFoundException", "task " + task_arn + " is not known to ECS");
    std::string definition = json::text(found.front(), "taskDefinitionArn");
    Json described = m_cli->call("ecs", "describe-task-definition", {"--task-definition", definition});
    const Json definition_json = described.contains("taskDefinition") ? described["taskDefinition"] : Json::object();
    const Json& containers = json::list(definition_json, "containerDefinitions");
    const Json* chosen = nullptr;
    for (const auto& c : containers) {
        bool awslogs = c.contains("logConfiguration") && json::text(c["logConfiguration"], "logDriver") == "awslogs";
        if (container.empty() ? awslogs : json::text(c, "name") == container) {
            chosen = &c;
            break;
        }
    }
    if (chosen == nullptr || !chosen->contains("logConfiguration") ||
        json::text((*chosen)["logConfiguration"], "logDriver") != "awslogs")
        throw CloudError("NoTaskLogs", "the task definition " + definition + " sends no logs of container '" + container +
                                           "' to CloudWatch Logs (logDriver awslogs)");
    const Json& log_configuration = (*chosen)["logConfiguration"];
    const Json options = log_configuration.contains("options") ? log_configuration["options"] : Json::object();
    std::string group = json::text(options, "awslogs-group");
    std::string prefix = json::text(options, "awslogs-stream-prefix");
    std::string stream = (prefix.empty() ? "" : prefix + "/") + json::text(*chosen, "name") + "/" + task_id(task_arn);
    Json events = m_cli->call("logs", "get-log-events", {"--log-group-name", group, "--log-stream-name", stream, "--limit",
                                                          std::to_string(log_lines)});
    std::vector<std::string> out;
    for (const auto& e : json::list(events, "events")) {
        std::string line = json::text(e, "message");
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        out.push_back(std::move(line));
    }
    return out;
}

TaskDefinition AwsCloud::describe_task_definition(const std::string& task_definition) {
    Json answer = m_cli->call("ecs", "describe-task-definition", {"--task-definition", task_definition});
    const Json definition = answer.contains("taskDefinition") ? answer["taskDefinition"] : Json::object();
    TaskDefinition out{json::text(definition, "taskDefinitionArn"), json::text(definition, "family"),
                       json::integer(definition, "revision"), json::text(definition, "status"), {}};
    // An answer without the ARN describes nothing: the executor must not take it for a match.
    if (out.arn.empty())
        throw CloudError("ClientException", "DescribeTaskDefinition of " + task_definition + " answered no taskDefinition");
    for (const auto& c : json::list(definition, "containerDefinitions"))
        out.containers.push_back({json::text(c, "name"), json::text(c, "image")});
    return out;
}

std::vector<std::string> AwsCloud::list_tasks(const std::string& cluster, const std::string& started_by) {
    // ListTasks filters by one desired status at a time: ask for both at once.
    Json running;
    Json stopped;
    m_cli->parallel({
        [&] { running = m_cli->call("ecs", "list-tasks", {"--cluster", cluster, "--started-by", started_by, "--desired-status", "RUNNING"}); },
        [&] { stopped = m_cli->call("ecs", "list-tasks", {"--cluster", cluster, "--started-by", started_by, "--desired-status", "STOPPED"}); },
    });
    std::vector<std::string> out;
    for (const Json* answer : {&running, &stopped}) {
        for (const auto& arn : json::list(*answer, "taskArns")) {
            std::string a = arn.is_string() ? arn.get<std::string>() : std::string();
            if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
        }
    }
    return out;
}

std::vector<Instance> AwsCloud::describe_instances(const std::vector<std::string>& ids) {
    Json answer = m_cli->call("ec2", "describe-instances", with_list({}, "--instance-ids", ids));
    std::vector<Instance> out;
    for (const auto& reservation : json::list(answer, "Reservations")) {
        for (const auto& i : json::list(reservation, "Instances")) {
            Instance instance;
            instance.id = json::text(i, "InstanceId");
            instance.state = i.contains("State") ? json::text(i["State"], "Name") : std::string();
            instance.instance_type = json::text(i, "InstanceType");
            for (const auto& m : json::list(i, "BlockDeviceMappings")) {
                if (m.contains("Ebs")) instance.volume_ids.push_back(json::text(m["Ebs"], "VolumeId"));
            }
            instance.tags = json::pairs<StringMap>(json::list(i, "Tags"), "Key", "Value");
            instance.image_id = json::text(i, "ImageId");
            instance.subnet_id = json::text(i, "SubnetId");
            // EC2 tags an instance launched from a launch template with the template and version
            // (DescribeInstances names no launch configuration: the group's answer does).
            if (auto lt = instance.tags.find("aws:ec2launchtemplate:id"); lt != instance.tags.end()) instance.launch_template = lt->second;
            if (auto v = instance.tags.find("aws:ec2launchtemplate:version"); v != instance.tags.end()) instance.launch_template_version = v->second;
            out.push_back(std::move(instance));
        }
    }
    return out;
}

void AwsCloud::terminate_instances(const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    m_cli->call("ec2", "terminate-instances", with_list({}, "--instance-ids", ids));
}

Snapshot AwsCloud::create_snapshot(const std::string& volume_id, const std::string& description) {
    return snapshot_from_json(m_cli->call("ec2", "create-snapshot", {"--volume-id", volume_id, "--description", description}));
}

std::vector<Snapshot> AwsCloud::describe_snapshots(const std::vector<std::string>& ids) {
    if (ids.empty()) return snapshots_from_json(m_cli->call("ec2", "describe-snapshots", {"--owner-ids", "self"}));
    return snapshots_from_json(m_cli->call("ec2", "describe-snapshots", with_list({}, "--snapshot-ids", ids)));
}

std::vector<Snapshot> AwsCloud::find_snapshots(const std::string& volume_id, const std::string& description) {
    Json filters = Json::array({{{"Name", "volume-id"}, {"Values", {volume_id}}}, {{"Name", "description"}, {"Values", {description}}}});
    return snapshots_from_json(m_cli->call("ec2", "describe-snapshots", {"--owner-ids", "self", "--filters", filters.dump()}));
}

std::vector<AutoScalingGroup> AwsCloud::describe_auto_scaling_groups(const std::vector<std::string>& names) {
    Json answer = m_cli->call("autoscaling", "describe-auto-scaling-groups", with_list({}, "--auto-scaling-group-names", names));
    std::vector<AutoScalingGroup> out;
    for (const auto& g : json::list(answer, "AutoScalingGroups")) {
        AutoScalingGroup group{json::text(g, "AutoScalingGroupName"), json::integer(g, "MinSize"), json::integer(g, "MaxSize"),
                               json::integer(g, "DesiredCapacity"), {}, json::text(g, "LaunchConfigurationName"), {}, {}};
        if (g.contains("LaunchTemplate")) {
            group.launch_template = json::text(g["LaunchTemplate"], "LaunchTemplateName");
            group.launch_template_version = json::text(g["LaunchTemplate"], "Version");
        }
        for (const auto& i : json::list(g, "Instances")) group.instance_ids.push_back(json::text(i, "InstanceId"));
        out.push_back(std::move(group));
    }
    return out;
}

namespace {

DbClusterSnapshot db_cluster_snapshot_from_json(const Json& s) {
    return {json::text(s, "DBClusterSnapshotIdentifier"), json::text(s, "DBClusterIdentifier"), json::text(s, "Status"),
            json::integer(s, "PercentProgress"),
            parse_timestamp(s.contains("SnapshotCreateTime") ? s["SnapshotCreateTime"] : Json())};
}

}  // namespace

DbClusterSnapshot AwsCloud::create_db_cluster_snapshot(const std::string& cluster_id, const std::string& snapshot_id) {
    Json answer = m_cli->call("rds", "create-db-cluster-snapshot",
                              {"--db-cluster-identifier", cluster_id, "--db-cluster-snapshot-identifier", snapshot_id});
    return db_cluster_snapshot_from_json(answer.contains("DBClusterSnapshot") ? answer["DBClusterSnapshot"] : Json::object());
}

std::vector<DbClusterSnapshot> AwsCloud::describe_db_cluster_snapshots(const std::string& snapshot_id) {
    Json answer;
    try {
        answer = m_cli->call("rds", "describe-db-cluster-snapshots", {"--db-cluster-snapshot-identifier", snapshot_id});
    } catch (const CloudError& e) {
        if (e.code() == "DBClusterSnapshotNotFoundFault") return {};
        throw;
    }
    std::vector<DbClusterSnapshot> out;
    for (const auto& s : json::list(answer, "DBClusterSnapshots")) out.push_back(db_cluster_snapshot_from_json(s));
    return out;
}

}  // namespace stackshift::cloud::aws
