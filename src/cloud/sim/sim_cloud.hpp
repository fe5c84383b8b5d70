#pragma once
// SimCloud: the Cloud interface over a simulated World. Every API call costs one second of
// virtual time, counts in `api_calls` under its AWS name, may be refused with Throttling at
// the scenario's rate (a seeded, deterministic sequence), and publishes whatever the clock has
// reached. Opened on a state file, it saves the world atomically after every call, so a
// second process continues where the first stopped.

#include <optional>
#include <string>
#include <utility>

#include "cfn/deployment.hpp"
#include "cloud/cloud.hpp"
#include "cloud/sim/world.hpp"

namespace stackshift::cfn {
class Template;
}

namespace stackshift::cloud::sim {

class SimCloud : public Cloud {
public:
    explicit SimCloud(World world) : m_world(std::move(world)) {}
    SimCloud(SimCloud&& other) noexcept
        : m_world(std::move(other.m_world)), m_path(std::move(other.m_path)), m_reading(other.m_reading),
          m_unsaved(std::exchange(other.m_unsaved, false)), m_state_fd(std::exchange(other.m_state_fd, -1)) {}
    SimCloud& operator=(SimCloud&&) = delete;
    // Saves the reads not saved yet (see done()).
    ~SimCloud() override;
    // Loads the state file; every call that changes the world saves it, and so do waits; reads
    // are saved with the next of those, or when this ends.
    static SimCloud open(const std::string& state_path);

    World& world() { return m_world; }
    // Moves the virtual clock without an API call.
    void advance(std::int64_t seconds);
    void save() const;

    Stack describe_stack(const std::string& stack) override;
    std::vector<Stack> describe_stacks() override;
    std::string get_template(const std::string& stack) override;
    std::string create_change_set(const ChangeSetRequest& request) override;
    ChangeSet describe_change_set(const std::string& stack, const std::string& change_set) override;
    void execute_change_set(const std::string& stack, const std::string& change_set) override;
    void delete_change_set(const std::string& stack, const std::string& change_set) override;
    void update_stack(const UpdateStackRequest& request) override;
    void delete_stack(const std::string& stack) override;
    std::vector<StackEvent> describe_stack_events(const std::string& stack, const std::string& since_event_id) override;
    std::vector<StackResource> describe_stack_resources(const std::string& stack) override;
    std::string upload_template(const std::string& bucket, const std::string& key, const std::string& body) override;
    // Drift: drift.hpp says what is found and when.
    std::string detect_stack_drift(const std::string& stack) override;
    StackDriftDetection describe_stack_drift_detection_status(const std::string& detection_id) override;
    std::vector<ResourceDrift> describe_stack_resource_drifts(const std::string& stack) override;

    std::string run_task(const RunTaskRequest& request) override;
    std::vector<Task> describe_tasks(const std::string& cluster, const std::vector<std::string>& arns) override;
    std::vector<std::string> task_log_lines(const std::string& task_arn) override;
    std::vector<std::string> list_tasks(const std::string& cluster, const std::string& started_by) override;
    TaskDefinition describe_task_definition(const std::string& task_definition) override;

    std::vector<Instance> describe_instances(const std::vector<std::string>& ids) override;
    void terminate_instances(const std::vector<std::string>& ids) override;
    Snapshot create_snapshot(const std::string& volume_id, const std::string& description) override;
    std::vector<Snapshot> describe_snapshots(const std::vector<std::string>& ids) override;
    std::vector<Snapshot> find_snapshots(const std::string& volume_id, const std::string& description) override;
    std::vector<AutoScalingGroup> describe_auto_scaling_groups(const std::vector<std::string>& names) override;
    DbClusterSnapshot create_db_cluster_snapshot(const std::string& cluster_id, const std::string& snapshot_id) override;
    std::vector<DbClusterSnapshot> describe_db_cluster_snapshots(const std::string& snapshot_id) override;

    // ---- Deployment lock (sim_lock.cpp): the world's `locks`, not API calls (they move no
    // clock and count nothing). Taking a lock of a world opened on a state file also takes the
    // state file for this process until it ends (see hold_state_file) and reads the world again.
    LockAttempt acquire_lock(const std::string& name, const LockHolder& holder) override;
    LockRelease release_lock(const std::string& name, const std::string& token) override;
    std::optional<LockHolder> describe_lock(const std::string& name) override;
    bool break_lock(const std::string& name) override;
    // ECS services (services.hpp) and instance refreshes (instance_refresh.hpp).
    std::vector<Service> describe_services(const std::string& cluster, const std::vector<std::string>& services) override;
    StartInstanceRefreshResult start_instance_refresh(const std::string& group, int min_healthy_percentage) override;
    std::vector<InstanceRefresh> describe_instance_refreshes(const std::string& group, const std::vector<std::string>& ids) override;

    void wait(std::int64_t seconds) override;
    std::int64_t clock_s() override { return m_world.clock_s; }

private:
    // Counts the call, moves the clock, settles, and may refuse it with Throttling.
    void call(const char* operation);
    void done();  // saves after a call that succeeded, unless it only read
    SimStack& existing_stack(const std::string& name);
    SimChangeSet& existing_change_set(const std::string& stack, const std::string& change_set);
    StringMap resolve_parameters(const SimStack& stack, const std::vector<ParameterInput>& inputs,
                                 const cfn::Template& t);

    World m_world;
    std::optional<std::string> m_path;
    bool m_reading = false;  // the call under way only reads (Describe*, Get*, List*)
    mutable bool m_unsaved = false;  // reads made since the last save

    // ---- Deployment lock (sim_lock.cpp)
    // Takes the flock of `<state>.lock` for this process (true at once without a state file, or
    // when held already), reading the world again once taken; false when another process has it.
    bool hold_state_file();
    // Who the lock `name` is held by when another process has the state file: the world's entry
    // as saved, else that process as its lock file names it.
    LockHolder holder_in_other_process(const std::string& name) const;
    void let_go_of_state_file();
    int m_state_fd = -1;  // the flock of `<state>.lock`, held from the first lock call to the end
};

// A new world from a deployment snapshot: every stack with its resources (physical ids
// invented deterministically, instance and volume ids taken from the outputs where given),
// the EC2 instances, volumes and auto-scaling groups the templates make, and the scenario.
World world_from_deployment(const cfn::Deployment& deployment, const Scenario& scenario);

// The deployment as a snapshot would record it (NoEcho values masked).
cfn::Deployment world_to_deployment(const World& world);

// `sim status`: the DESIGN.md JSON contract, and a text summary. Neither holds a NoEcho value.
std::string status_json(const World& world);
std::string status_text(const World& world);

}  // namespace stackshift::cloud::sim
