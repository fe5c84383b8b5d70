// The simulated ECS tasks, CloudWatch log lines, EC2 instances, volume snapshots and
// auto-scaling groups. Their states follow from times kept in the world, read on the clock.

#include <algorithm>

#include "cloud/sim/machines.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim/task_definitions.hpp"

namespace stackshift::cloud::sim {

namespace {

constexpr std::int64_t task_start_seconds = 20;  // PROVISIONING and PENDING before RUNNING
constexpr std::int64_t terminate_seconds = 30;   // shutting-down before terminated
constexpr std::int64_t db_cluster_snapshot_seconds = 240;  // creating before available

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
    return out;
}

bool wanted(const std::vector<std::string>& ids, const std::string& id) {
    return ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end();
}

// A snapshot as DescribeSnapshots reports it at `now`: pending with its progress, then completed.
Snapshot described(const SimSnapshot& s, std::int64_t now) {
    std::int64_t total = std::max<std::int64_t>(s.completes_s - s.started_s, 1);
    std::int64_t percent = std::min<std::int64_t>(100, (now - s.started_s) * 100 / total);
    bool complete = now >= s.completes_s;
    return {s.id, s.volume_id, complete ? "completed" : "pending", std::to_string(complete ? 100 : percent) + "%",
            s.description, s.started_s};
}

// A cluster snapshot as DescribeDBClusterSnapshots reports it at `now`.
DbClusterSnapshot described(const SimDbClusterSnapshot& s, std::int64_t now) {
    std::int64_t total = std::max<std::int64_t>(s.completes_s - s.started_s, 1);
    bool complete = now >= s.completes_s;
    int percent = complete ? 100 : static_cast<int>(std::min<std::int64_t>(99, (now - s.started_s) * 100 / total));
    return {s.id, s.cluster_id, complete ? "available" : "creating", percent, s.started_s};
}

}  // namespace

std::string SimCloud::run_task(const RunTaskRequest& request) {
    call("RunTask");
    if (request.cluster.empty() || request.task_definition.empty()) {
        done();
        throw CloudError("InvalidParameterException", "cluster and taskDefinition are required");
    }
    // As ECS: a revision it never registered is not found; one CloudFormation deleted starts
    // no task (the texts ECS answers with).
    const SimTaskDefinition* definition = find_task_definition(m_world, request.task_definition);
    if (definition == nullptr) {
        done();
        throw CloudError("ClientException", "TaskDefinition not found.");
    }
    if (definition->status != "ACTIVE") {
        done();
        throw CloudError("InvalidParameterException", "TaskDefinition is inactive");
    }
    SimTask t;
    t.arn = "arn:aws:ecs:" + m_world.region + ":" + m_world.account + ":task/" + request.cluster + "/" +
            make_id("", request.cluster + "#task#" + std::to_string(m_world.next_serial++), 32);
    t.cluster = request.cluster;
    t.task_definition = definition->arn;
    t.command = request.command;
    for (const auto& c : definition->containers) t.images.push_back(c.image);
    t.started_by = request.started_by;
    t.started_s = m_world.clock_s;
    t.stops_s = m_world.clock_s + task_start_seconds + m_world.scenario.task_seconds;
    std::string command = join(request.command);
    t.log.push_back("running: " + command);
    const FailingTask* fault = nullptr;
    for (const auto& f : m_world.scenario.failing_tasks) {
        if (command.find(f.command) != std::string::npos) fault = &f;
    }
    if (fault != nullptr) {
        t.exit_code = fault->exit_code;
        t.log.insert(t.log.end(), fault->log.begin(), fault->log.end());
    } else {
        t.log.push_back("done: " + command);
    }
    std::string arn = t.arn;
    m_world.tasks.push_back(std::move(t));
    done();
    return arn;
}

std::vector<Task> SimCloud::describe_tasks(const std::string& cluster, const std::vector<std::string>& arns) {
    call("DescribeTasks");
    std::vector<Task> out;
    for (const auto& t : m_world.tasks) {
        if (t.cluster != cluster || std::find(arns.begin(), arns.end(), t.arn) == arns.end()) continue;
        Task d{t.arn, t.cluster, t.task_definition, "", "RUNNING", std::nullopt, ""};
        std::int64_t now = m_world.clock_s;
        if (now >= t.stops_s) {
            d.last_status = "STOPPED";
            d.desired_status = "STOPPED";
            d.exit_code = t.exit_code;
            d.stopped_reason = "Essential container in task exited";
        } else if (now >= t.started_s + task_start_seconds) {
            d.last_status = "RUNNING";
        } else {
            d.last_status = now >= t.started_s + 5 ? "PENDING" : "PROVISIONING";
        }
        out.push_back(std::move(d));
    }
    done();
    return out;
}

std::vector<std::string> SimCloud::task_log_lines(const std::string& task_arn) {
    call("GetLogEvents");
    for (const auto& t : m_world.tasks) {
        if (t.arn != task_arn) continue;
        std::vector<std::string> out;
        if (m_world.clock_s >= t.stops_s) out = t.log;
        else if (m_world.clock_s >= t.started_s + task_start_seconds) out.push_back(t.log.front());
        done();
        return out;
    }
    done();
    throw CloudError("ResourceNotFoundException", "The specified log stream does not exist: task " + task_arn, ErrorKind::not_found);
}

std::vector<std::string> SimCloud::list_tasks(const std::string& cluster, const std::string& started_by) {
    call("ListTasks");
    std::vector<std::string> out;
    for (const auto& t : m_world.tasks) {
        if (t.cluster == cluster && !started_by.empty() && t.started_by == started_by) out.push_back(t.arn);
    }
    done();
    return out;
}

TaskDefinition SimCloud::describe_task_definition(const std::string& task_definition) {
    call("DescribeTaskDefinition");
    const SimTaskDefinition* found = find_task_definition(m_world, task_definition);
    done();
    // ECS's own text for a task definition it does not know, whatever the reason.
    if (found == nullptr) throw CloudError("ClientException", "Unable to describe task definition.");
    return described(*found);
}

std::vector<Instance> SimCloud::describe_instances(const std::vector<std::string>& ids) {
    call("DescribeInstances");
    for (const auto& id : ids) {
        if (std::none_of(m_world.instances.begin(), m_world.instances.end(), [&](const SimInstance& i) { return i.id == id; })) {
            done();
            throw CloudError("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist", ErrorKind::not_found);
        }
    }
    std::vector<Instance> out;
    for (const auto& i : m_world.instances) {
        if (!wanted(ids, i.id)) continue;
        Instance d{i.id, "running", i.instance_type, i.volume_ids,
                   {{"aws:cloudformation:stack-name", i.stack}, {"aws:cloudformation:logical-id", i.logical_id}},
                   i.image_id, i.subnet_id, i.launch_configuration, i.launch_template, i.launch_template_version};
        if (!i.auto_scaling_group.empty()) d.tags["aws:autoscaling:groupName"] = i.auto_scaling_group;
        if (i.terminated_s) d.state = m_world.clock_s >= *i.terminated_s + terminate_seconds ? "terminated" : "shutting-down";
        out.push_back(std::move(d));
    }
    done();
    return out;
}

void SimCloud::terminate_instances(const std::vector<std::string>& ids) {
    call("TerminateInstances");
    for (const auto& id : ids) {
        auto it = std::find_if(m_world.instances.begin(), m_world.instances.end(), [&](const SimInstance& i) { return i.id == id; });
        if (it == m_world.instances.end()) {
            done();
            throw CloudError("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist", ErrorKind::not_found);
        }
        // Its DeleteOnTermination volumes go with it; its group launches a replacement.
        terminate_instance(m_world, id);
    }
    done();
}

Snapshot SimCloud::create_snapshot(const std::string& volume_id, const std::string& description) {
    call("CreateSnapshot");
    auto v = std::find_if(m_world.volumes.begin(), m_world.volumes.end(), [&](const SimVolume& x) { return x.id == volume_id; });
    if (v == m_world.volumes.end()) {
        done();
        throw CloudError("InvalidVolume.NotFound", "The volume '" + volume_id + "' does not exist.", ErrorKind::not_found);
    }
    SimSnapshot s{make_id("snap-0", volume_id + "#" + std::to_string(m_world.next_serial++), 16), volume_id, description,
                  m_world.clock_s, m_world.clock_s + 60 + v->size_gb, v->data};
    m_world.snapshots.push_back(s);
    done();
    return {s.id, s.volume_id, "pending", "0%", s.description, s.started_s};
}

std::vector<Snapshot> SimCloud::describe_snapshots(const std::vector<std::string>& ids) {
    call("DescribeSnapshots");
    std::vector<Snapshot> out;
    for (const auto& s : m_world.snapshots) {
        if (wanted(ids, s.id)) out.push_back(described(s, m_world.clock_s));
    }
    for (const auto& id : ids) {
        if (std::none_of(out.begin(), out.end(), [&](const Snapshot& s) { return s.id == id; })) {
            done();
            throw CloudError("InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.", ErrorKind::not_found);
        }
    }
    done();
    return out;
}

std::vector<Snapshot> SimCloud::find_snapshots(const std::string& volume_id, const std::string& description) {
    call("DescribeSnapshots");
    std::vector<Snapshot> out;
    for (const auto& s : m_world.snapshots) {
        if (s.volume_id == volume_id && s.description == description) out.push_back(described(s, m_world.clock_s));
    }
    done();
    return out;
}

DbClusterSnapshot SimCloud::create_db_cluster_snapshot(const std::string& cluster_id, const std::string& snapshot_id) {
    call("CreateDBClusterSnapshot");
    if (!valid_db_cluster_snapshot_id(snapshot_id)) {
        done();
        throw CloudError("InvalidParameterValue",
                         "The parameter DBClusterSnapshotIdentifier is not a valid identifier. Identifiers must begin "
                         "with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a "
                         "hyphen or contain two consecutive hyphens.");
    }
    bool exists = std::any_of(m_world.stacks.begin(), m_world.stacks.end(), [&](const SimStack& s) {
        return s.status != "DELETE_COMPLETE" &&
               std::any_of(s.resources.begin(), s.resources.end(), [&](const SimResource& r) {
                   return r.type == "AWS::RDS::DBCluster" && r.physical_id == cluster_id;
               });
    });
    if (!exists) {
        done();
        throw CloudError("DBClusterNotFoundFault", "DBCluster " + cluster_id + " not found.", ErrorKind::not_found);
    }
    for (const auto& s : m_world.db_cluster_snapshots) {
        if (s.id == snapshot_id) {
            done();
            throw CloudError("DBClusterSnapshotAlreadyExistsFault",
                             "Cannot create the cluster snapshot because one with the identifier " + snapshot_id +
                                 " already exists.",
                             ErrorKind::already_exists);
        }
    }
    SimDbClusterSnapshot s{snapshot_id, cluster_id, m_world.clock_s, m_world.clock_s + db_cluster_snapshot_seconds};
    m_world.db_cluster_snapshots.push_back(s);
    done();
    return described(s, m_world.clock_s);
}

std::vector<DbClusterSnapshot> SimCloud::describe_db_cluster_snapshots(const std::string& snapshot_id) {
    call("DescribeDBClusterSnapshots");
    std::vector<DbClusterSnapshot> out;
    for (const auto& s : m_world.db_cluster_snapshots)
        if (s.id == snapshot_id) out.push_back(described(s, m_world.clock_s));
    done();
    return out;
}

std::vector<AutoScalingGroup> SimCloud::describe_auto_scaling_groups(const std::vector<std::string>& names) {
    call("DescribeAutoScalingGroups");
    std::vector<AutoScalingGroup> out;
    for (const auto& g : m_world.auto_scaling_groups) {
        if (!wanted(names, g.name)) continue;
        out.push_back({g.name, g.min_size, g.max_size, g.desired_capacity, g.instance_ids, g.launch_configuration,
                       g.launch_template, g.launch_template_version});
    }
    done();
    return out;
}

}  // namespace stackshift::cloud::sim
