#pragma once
// AwsCloud: the Cloud interface on a real AWS account, through the AWS CLI v2 (AwsCli), so
// that profiles, SSO, roles and MFA work as the user has them. Calls map one to one onto the
// AWS operations of the same name; results are read from the CLI's JSON, shaped as the
// service models document them. Nothing here prints or stores a parameter value.

#include <map>
#include <memory>
#include <mutex>

#include "cloud/aws/aws_cli.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::cloud::aws {

class AwsCloud : public Cloud {
public:
    explicit AwsCloud(std::shared_ptr<AwsCli> cli) : m_cli(std::move(cli)) {}
    // The real CLI through the real process runner.
    static std::unique_ptr<AwsCloud> open(const AwsOptions& options);

    AwsCli& cli() { return *m_cli; }

    Stack describe_stack(const std::string& stack) override;
    std::vector<Stack> describe_stacks() override;
    std::string get_template(const std::string& stack) override;
    std::vector<std::string> get_templates(const std::vector<std::string>& stacks) override;
    std::string create_change_set(const ChangeSetRequest& request) override;
    ChangeSet describe_change_set(const std::string& stack, const std::string& change_set) override;
    void execute_change_set(const std::string& stack, const std::string& change_set) override;
    void delete_change_set(const std::string& stack, const std::string& change_set) override;
    void update_stack(const UpdateStackRequest& request) override;
    void delete_stack(const std::string& stack) override;
    std::vector<StackEvent> describe_stack_events(const std::string& stack, const std::string& since_event_id) override;
    std::vector<StackResource> describe_stack_resources(const std::string& stack) override;
    std::string upload_template(const std::string& bucket, const std::string& key, const std::string& body) override;
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

    // ---- Deployment lock: the SSM parameter ssm_lock_parameter(name) (aws_lock.cpp).
    LockAttempt acquire_lock(const std::string& name, const LockHolder& holder) override;
    LockRelease release_lock(const std::string& name, const std::string& token) override;
    std::optional<LockHolder> describe_lock(const std::string& name) override;
    bool break_lock(const std::string& name) override;
    // ECS services and Auto Scaling instance refreshes (aws_services.cpp).
    std::vector<Service> describe_services(const std::string& cluster, const std::vector<std::string>& services) override;
    StartInstanceRefreshResult start_instance_refresh(const std::string& group, int min_healthy_percentage) override;
    std::vector<InstanceRefresh> describe_instance_refreshes(const std::string& group, const std::vector<std::string>& ids) override;

    void wait(std::int64_t seconds) override;
    std::int64_t clock_s() override;

private:
    std::shared_ptr<AwsCli> m_cli;
    std::mutex m_mutex;
    // What run_task and describe_tasks learnt of a task, for its logs: its cluster and the
    // container whose command was overridden.
    std::map<std::string, std::string, std::less<>> m_task_cluster;
    std::map<std::string, std::string, std::less<>> m_task_container;
};

// The parsing of the CLI's JSON, exposed for tests.
std::int64_t parse_timestamp(const Json& value);  // ISO 8601 text or epoch seconds
Stack stack_from_json(const Json& stack);
ChangeSet change_set_from_json(const Json& change_set);
// A get-template answer: the CLI hands a YAML body over as a string and a JSON one as an object.
std::string template_body_from_json(const Json& answer);
// A describe-stack-drift-detection-status answer, and one StackResourceDrifts entry.
StackDriftDetection drift_detection_from_json(const Json& answer);
ResourceDrift resource_drift_from_json(const Json& drift);
// The SSM parameter that holds a deployment's lock: /stackshift/lock/<name>, every character
// SSM does not allow in a parameter name (it allows a-zA-Z0-9_.-) replaced by '_'.
std::string ssm_lock_parameter(const std::string& name);
// A DescribeServices `services` entry and a DescribeInstanceRefreshes `InstanceRefreshes` entry.
Service service_from_json(const Json& service);
InstanceRefresh instance_refresh_from_json(const Json& refresh);
// The --parameters JSON of a change set or update: values or UsePreviousValue, never shorthand.
std::string parameters_json(const std::vector<ParameterInput>& parameters);

// ---- Shared by the CLI's JSON and the query protocol's XML readers (query_answers.cpp) ----
// A ResourceChange's Action ("Import" reads as an Add, "Dynamic" as a Modify) and Replacement.
ChangeAction change_action_from_word(const std::string& action);
ChangeReplacement change_replacement_from_word(const std::string& replacement);
// Whether a change set FAILED because it changes nothing, which AWS says only in its reason.
bool change_set_changes_nothing(const std::string& status, const std::string& status_reason);

}  // namespace stackshift::cloud::aws
