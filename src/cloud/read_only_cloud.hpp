#pragma once
// ReadOnlyCloud: a Cloud that only reads. It forwards every Describe, Get and List call (and
// waits) to the Cloud it wraps and refuses every call that would change what AWS holds, before
// the wrapped Cloud sees it. What reads a live deployment (plan, and a rehearsal of the live
// stacks) goes through it, so that no bug above can touch the real deployment.
//
// A refused call throws Error (exit code 1), not CloudError: it is a fault of the caller, not an
// answer of AWS, and nothing may retry it or take it for a failed step. A method added to
// Cloud must be sorted here into reads and changes (the class does not compile until it is).

#include "cloud/cloud.hpp"

namespace stackshift::cloud {

class ReadOnlyCloud : public Cloud {
public:
    explicit ReadOnlyCloud(Cloud& inner) : m_inner(inner) {}

    // Reads: forwarded.
    Stack describe_stack(const std::string& stack) override { return m_inner.describe_stack(stack); }
    std::vector<Stack> describe_stacks() override { return m_inner.describe_stacks(); }
    std::string get_template(const std::string& stack) override { return m_inner.get_template(stack); }
    std::vector<std::string> get_templates(const std::vector<std::string>& stacks) override { return m_inner.get_templates(stacks); }
    ChangeSet describe_change_set(const std::string& stack, const std::string& change_set) override {
        return m_inner.describe_change_set(stack, change_set);
    }
    std::vector<StackResource> describe_stack_resources(const std::string& stack) override {
        return m_inner.describe_stack_resources(stack);
    }
    std::vector<StackEvent> describe_stack_events(const std::string& stack, const std::string& since_event_id) override {
        return m_inner.describe_stack_events(stack, since_event_id);
    }
    std::vector<Task> describe_tasks(const std::string& cluster, const std::vector<std::string>& arns) override {
        return m_inner.describe_tasks(cluster, arns);
    }
    std::vector<std::string> task_log_lines(const std::string& task_arn) override { return m_inner.task_log_lines(task_arn); }
    std::vector<std::string> list_tasks(const std::string& cluster, const std::string& started_by) override {
        return m_inner.list_tasks(cluster, started_by);
    }
    TaskDefinition describe_task_definition(const std::string& task_definition) override {
        return m_inner.describe_task_definition(task_definition);
    }
    std::vector<Instance> describe_instances(const std::vector<std::string>& ids) override { return m_inner.describe_instances(ids); }
    std::vector<Snapshot> describe_snapshots(const std::vector<std::string>& ids) override { return m_inner.describe_snapshots(ids); }
    std::vector<Snapshot> find_snapshots(const std::string& volume_id, const std::string& description) override {
        return m_inner.find_snapshots(volume_id, description);
    }
    std::vector<AutoScalingGroup> describe_auto_scaling_groups(const std::vector<std::string>& names) override {
        return m_inner.describe_auto_scaling_groups(names);
    }
    std::vector<DbClusterSnapshot> describe_db_cluster_snapshots(const std::string& snapshot_id) override {
        return m_inner.describe_db_cluster_snapshots(snapshot_id);
    }
    // DetectStackDrift starts a check and records its result; it changes no stack or resource,
    // so it counts as a read: a plan from the live deployment must know its drift.
    std::string detect_stack_drift(const std::string& stack) override { return m_inner.detect_stack_drift(stack); }
    StackDriftDetection describe_stack_drift_detection_status(const std::string& detection_id) override {
        return m_inner.describe_stack_drift_detection_status(detection_id);
    }
    std::vector<ResourceDrift> describe_stack_resource_drifts(const std::string& stack) override {
        return m_inner.describe_stack_resource_drifts(stack);
    }
    std::optional<LockHolder> describe_lock(const std::string& name) override { return m_inner.describe_lock(name); }
    // ECS services and instance refreshes (read_only_cloud.cpp refuses starting one).
    std::vector<Service> describe_services(const std::string& cluster, const std::vector<std::string>& services) override {
        return m_inner.describe_services(cluster, services);
    }
    std::vector<InstanceRefresh> describe_instance_refreshes(const std::string& group,
                                                             const std::vector<std::string>& ids) override {
        return m_inner.describe_instance_refreshes(group, ids);
    }
    void wait(std::int64_t seconds) override { m_inner.wait(seconds); }
    std::int64_t clock_s() override { return m_inner.clock_s(); }

    // Changes: refused.
    std::string create_change_set(const ChangeSetRequest& request) override;
    void execute_change_set(const std::string& stack, const std::string& change_set) override;
    void delete_change_set(const std::string& stack, const std::string& change_set) override;
    void update_stack(const UpdateStackRequest& request) override;
    void delete_stack(const std::string& stack) override;
    std::string run_task(const RunTaskRequest& request) override;
    void terminate_instances(const std::vector<std::string>& ids) override;
    Snapshot create_snapshot(const std::string& volume_id, const std::string& description) override;
    DbClusterSnapshot create_db_cluster_snapshot(const std::string& cluster_id, const std::string& snapshot_id) override;
    std::string upload_template(const std::string& bucket, const std::string& key, const std::string& body) override;
    // The deployment lock: a rehearsal or a plan takes none, and a lock is written to AWS.
    LockAttempt acquire_lock(const std::string& name, const LockHolder& holder) override;
    LockRelease release_lock(const std::string& name, const std::string& token) override;
    bool break_lock(const std::string& name) override;
    StartInstanceRefreshResult start_instance_refresh(const std::string& group, int min_healthy_percentage) override;

private:
    Cloud& m_inner;
};

}  // namespace stackshift::cloud
