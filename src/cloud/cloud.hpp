#pragma once
// Cloud: everything stackshift asks of AWS, as one backend-neutral interface. Two backends
// implement it: `sim` (a simulated AWS on a virtual clock, src/cloud/sim/) and `aws` (the
// AWS CLI v2, src/cloud/aws/). Requests and results are plain structs; a refused call throws
// CloudError with the AWS error code, so callers can retry `Throttling` and stop on the rest.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/change_scope.hpp"

namespace stackshift::cloud {

using stackshift::ChangeScope;
using stackshift::ChangeScopes;

using StringMap = std::map<std::string, std::string, std::less<>>;

// What a refusal means for the caller, as the backend that translated AWS's code and message
// says (the callers decide on it, never on AWS's text): the stack, change set, instance or
// snapshot named does not exist; what was to be created exists already (a change set name in
// use, a stack created again, a snapshot identifier taken); an update with nothing to change
// (UpdateStack's "No updates are to be performed."); the resource is busy with another
// operation (a stack *_IN_PROGRESS, a change set executing). `other` for every other refusal.
enum class ErrorKind : std::uint8_t { other, not_found, already_exists, no_changes, in_progress };
std::string_view error_kind_name(ErrorKind kind);  // "other", "not-found", ...

// An API call AWS refused: the error code as AWS names it ("Throttling", "ValidationError",
// "ChangeSetNotFound", "InvalidChangeSetStatus", ...), its message, and its kind.
class CloudError : public std::runtime_error {
public:
    CloudError(std::string code, const std::string& message, ErrorKind kind = ErrorKind::other)
        : std::runtime_error(code + ": " + message), m_code(std::move(code)), m_message(message), m_kind(kind) {}
    const std::string& code() const { return m_code; }
    const std::string& message() const { return m_message; }
    ErrorKind kind() const { return m_kind; }
    // Whether retrying later may succeed: the throttling codes of the AWS APIs.
    bool is_throttling() const;

private:
    std::string m_code;
    std::string m_message;
    ErrorKind m_kind = ErrorKind::other;
};

// ---- CloudFormation ----------------------------------------------------------------------

struct Stack {
    std::string name;
    std::string id;
    std::string status;  // CREATE_COMPLETE, UPDATE_IN_PROGRESS, UPDATE_ROLLBACK_FAILED, ...
    std::string status_reason;
    StringMap parameters;  // NoEcho values as AWS reports them: "****"
    std::vector<std::string> no_echo;
    StringMap outputs;
    StringMap tags;
    // When the stack was last created, updated or rolled back, in seconds on the backend's clock
    // (AWS: LastUpdatedTime, or CreationTime for a stack never updated); a saved plan records it
    // to tell that the stack changed since it was planned.
    std::int64_t last_updated_s = 0;
};

// A parameter sent with a change set or an update: a value, or UsePreviousValue.
struct ParameterInput {
    std::string key;
    std::string value;
    bool use_previous_value = false;

    static ParameterInput keep(std::string key) { return {std::move(key), {}, true}; }
    static ParameterInput set(std::string key, std::string value) { return {std::move(key), std::move(value), false}; }
};

enum class ChangeSetType : std::uint8_t { update, create };
enum class ChangeAction : std::uint8_t { add, modify, remove };
enum class ChangeReplacement : std::uint8_t { no, yes, conditional };

std::string_view change_action_name(ChangeAction action);             // "Add", "Modify", "Remove"
std::string_view change_replacement_name(ChangeReplacement replacement);  // "False", "True", "Conditional"

// What CloudFormation does with the physical resource when the change set runs
// (ResourceChange.PolicyAction): a Remove follows the DeletionPolicy, a Modify that replaces
// for certain (Replacement True) the UpdateReplacePolicy. AWS leaves it out for an Add, an
// update in place and a Conditional replacement.
enum class PolicyAction : std::uint8_t { delete_resource, retain, snapshot, replace_and_delete, replace_and_retain, replace_and_snapshot };

// ResourceTargetDefinition.RequiresRecreation, ResourceChangeDetail.Evaluation and
// ResourceChangeDetail.ChangeSource, with AWS's values.
enum class RequiresRecreation : std::uint8_t { never, conditionally, always };
enum class ChangeEvaluation : std::uint8_t { static_value, dynamic_value };
enum class ChangeSource : std::uint8_t { resource_reference, parameter_reference, resource_attribute, direct_modification, automatic };

// AWS's words ("Delete", "ReplaceAndRetain", "Conditionally", "Static", "ParameterReference",
// ...) and back; a word AWS does not use gives nothing.
std::string_view policy_action_name(PolicyAction action);
std::optional<PolicyAction> policy_action_from_name(std::string_view name);
std::string_view requires_recreation_name(RequiresRecreation value);
std::optional<RequiresRecreation> requires_recreation_from_name(std::string_view name);
std::string_view change_evaluation_name(ChangeEvaluation value);
std::optional<ChangeEvaluation> change_evaluation_from_name(std::string_view name);
std::string_view change_source_name(ChangeSource value);
std::optional<ChangeSource> change_source_from_name(std::string_view name);

// What a detail changes: an attribute of the resource (the scopes' words), the property by its
// top-level name when the attribute is Properties, and whether that property recreates.
struct ResourceTargetDefinition {
    ChangeScope attribute = ChangeScope::properties;
    std::string name;  // Properties only
    std::optional<RequiresRecreation> requires_recreation;  // Properties and Tags
    bool operator==(const ResourceTargetDefinition&) const = default;
};

// One cause of a Modify: what changes and why. CausingEntity names the parameter
// (ParameterReference), the resource (ResourceReference: `Db`) or its attribute
// (ResourceAttribute: `Db.Endpoint.Address`); a DirectModification has none.
struct ResourceChangeDetail {
    ResourceTargetDefinition target;
    ChangeEvaluation evaluation = ChangeEvaluation::static_value;
    ChangeSource change_source = ChangeSource::direct_modification;
    std::string causing_entity;
    bool operator==(const ResourceChangeDetail&) const = default;
};

struct ResourceChange {
    std::string logical_id;
    std::string physical_id;  // empty for an Add
    std::string resource_type;
    ChangeAction action = ChangeAction::modify;
    ChangeReplacement replacement = ChangeReplacement::no;  // meaningful for Modify only
    ChangeScopes scopes;                                    // Modify only
    std::optional<PolicyAction> policy_action = std::nullopt;  // Remove, and Modify with Replacement True
    std::vector<ResourceChangeDetail> details = {};             // Modify only
};

// The largest TemplateBody CloudFormation takes in a request, in bytes; a longer template goes
// to S3 first and is named by its URL (ChangeSetRequest::template_url, at most 1 MB).
inline constexpr std::size_t max_template_body_bytes = 51200;

struct ChangeSetRequest {
    std::string stack;
    std::string change_set_name;
    ChangeSetType type = ChangeSetType::update;
    std::string template_body;           // used unless use_previous_template
    bool use_previous_template = false;
    std::vector<ParameterInput> parameters;
    std::string description;
    // The https URL of an S3 object holding the template (see Cloud::upload_template), for a
    // body over CloudFormation's 51,200-byte TemplateBody limit; used instead of template_body when set.
    std::string template_url = {};  // a default, so that requests written field by field need not name it
};

struct ChangeSet {
    std::string id;
    std::string name;
    std::string stack;
    std::string status;  // CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED
    std::string status_reason;
    std::string execution_status;  // UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED, OBSOLETE
    std::vector<ParameterInput> parameters;  // NoEcho values as "****"
    std::vector<ResourceChange> changes;
    // FAILED because it changes nothing (AWS's "The submitted information didn't contain
    // changes."): set by the backend, so that no caller reads the status reason.
    bool no_changes = false;
};

// UpdateStack with UsePreviousTemplate: only parameters change.
struct UpdateStackRequest {
    std::string stack;
    std::vector<ParameterInput> parameters;
};

// One resource of a stack as DescribeStackResources reports it: how apply finds the physical
// id of a resource the plan names by its logical id.
struct StackResource {
    std::string logical_id;
    std::string physical_id;  // empty while it is being created
    std::string type;
    std::string status;  // CREATE_COMPLETE, UPDATE_COMPLETE, ...
};

struct StackEvent {
    std::string event_id;
    std::string stack;
    std::string logical_id;  // the stack name for the stack's own events
    std::string physical_id;
    std::string resource_type;  // AWS::CloudFormation::Stack for the stack's own events
    std::string status;
    std::string status_reason;
    std::int64_t timestamp_s = 0;  // seconds on the backend's clock
};

// ---- CloudFormation drift ----------------------------------------------------------------

// DescribeStackDriftDetectionStatus's DetectionStatus.
enum class DriftDetectionStatus : std::uint8_t { in_progress, complete, failed };
// StackResourceDriftStatus: how a resource compares with what its template expects.
enum class ResourceDriftStatus : std::uint8_t { in_sync, modified, deleted, not_checked, unknown };
// A PropertyDifference's DifferenceType.
enum class DifferenceType : std::uint8_t { add, remove, not_equal };

std::string_view drift_detection_status_name(DriftDetectionStatus status);  // "DETECTION_COMPLETE", ...
std::optional<DriftDetectionStatus> drift_detection_status_from_name(std::string_view name);
std::string_view resource_drift_status_name(ResourceDriftStatus status);  // "MODIFIED", ...
std::optional<ResourceDriftStatus> resource_drift_status_from_name(std::string_view name);
std::string_view difference_type_name(DifferenceType type);  // "NOT_EQUAL", ...
std::optional<DifferenceType> difference_type_from_name(std::string_view name);

// One drift detection of a stack (DescribeStackDriftDetectionStatus).
struct StackDriftDetection {
    std::string id;        // StackDriftDetectionId
    std::string stack_id;
    DriftDetectionStatus status = DriftDetectionStatus::in_progress;
    std::string status_reason;       // DetectionStatusReason
    std::string stack_drift_status;  // DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED; empty while in progress
    int drifted_resource_count = 0;  // DriftedStackResourceCount
};

struct PropertyDifference {
    std::string path;  // PropertyPath: "/SecurityGroupIngress/0/CidrIp"
    std::string expected;
    std::string actual;
    DifferenceType type = DifferenceType::not_equal;
};

// One resource of the latest drift detection of its stack (DescribeStackResourceDrifts).
struct ResourceDrift {
    std::string logical_id;
    std::string physical_id;
    std::string resource_type;
    ResourceDriftStatus status = ResourceDriftStatus::in_sync;
    std::string expected_properties;  // JSON text; empty for DELETED and NOT_CHECKED
    std::string actual_properties;    // JSON text; empty for DELETED and NOT_CHECKED
    std::vector<PropertyDifference> differences;  // MODIFIED only
};

// ---- ECS, CloudWatch Logs ----------------------------------------------------------------

struct RunTaskRequest {
    std::string cluster;
    std::string task_definition;
    std::string container;             // the container whose command is overridden
    std::vector<std::string> command;  // container override
    std::vector<std::string> subnets;
    std::vector<std::string> security_groups;
    // ECS's startedBy (at most 36 letters, digits, '-' and '_'): a token derived from the plan
    // step, so that a resumed run finds a task it started before a crash (list_tasks).
    std::string started_by;
    std::string launch_type = {};  // FARGATE (also when empty), EC2, EXTERNAL
};

struct Task {
    std::string arn;
    std::string cluster;
    std::string task_definition;
    std::string last_status;  // PROVISIONING, PENDING, RUNNING, STOPPED
    std::string desired_status;
    std::optional<int> exit_code;  // set once STOPPED
    std::string stopped_reason;
};

// A container of a task definition, as DescribeTaskDefinition reports it.
struct ContainerDefinition {
    std::string name;
    std::string image;
};

// A registered revision of a task definition family (DescribeTaskDefinition): what a task
// started from it runs. A revision CloudFormation replaced is INACTIVE and starts no task.
struct TaskDefinition {
    std::string arn;  // arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION
    std::string family;
    int revision = 0;
    std::string status;  // ACTIVE, INACTIVE, DELETE_IN_PROGRESS
    std::vector<ContainerDefinition> containers;
};

// ---- ECS services --------------------------------------------------------------------------

// One deployment of a service (DescribeServices' deployments): PRIMARY is the newest, ACTIVE
// ones still run tasks of an older task definition, INACTIVE ones are done with.
struct ServiceDeployment {
    std::string id;
    std::string status;         // PRIMARY, ACTIVE, INACTIVE
    std::string rollout_state;  // COMPLETED, IN_PROGRESS, FAILED
    std::string rollout_state_reason;
    std::string task_definition;  // its ARN
    int desired_count = 0;
    int running_count = 0;
    int pending_count = 0;
};

// An ECS service as DescribeServices reports it. A name or ARN ECS does not know comes back as
// a service with status "MISSING" (ECS lists it under `failures` with reason MISSING).
struct Service {
    std::string arn;
    std::string name;
    std::string cluster;  // the cluster's ARN
    std::string status;   // ACTIVE, DRAINING, INACTIVE, or MISSING
    int desired_count = 0;
    int running_count = 0;
    int pending_count = 0;
    std::string task_definition;  // the PRIMARY deployment's task definition ARN
    std::vector<ServiceDeployment> deployments;
    std::vector<std::string> events;  // the latest service event messages, newest first
};

// ---- EC2, Auto Scaling -------------------------------------------------------------------

struct Instance {
    std::string id;
    std::string state;  // pending, running, shutting-down, terminated
    std::string instance_type;
    std::vector<std::string> volume_ids;
    StringMap tags;  // aws:cloudformation:stack-name, aws:cloudformation:logical-id
    std::string image_id;
    std::string subnet_id;
    // What an auto-scaling group's instance was launched with (empty for other instances).
    std::string launch_configuration;
    std::string launch_template;  // LaunchTemplateName (from AWS: the aws:ec2launchtemplate:id tag)
    std::string launch_template_version;
};

struct Snapshot {
    std::string id;
    std::string volume_id;
    std::string state;     // pending, completed, error
    std::string progress;  // "40%"
    std::string description;
    std::int64_t start_time_s = 0;
};

// ---- Auto Scaling instance refresh --------------------------------------------------------

// One instance refresh of a group (DescribeInstanceRefreshes). Status, as Auto Scaling names
// it: Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress,
// RollbackFailed, RollbackSuccessful, Baking.
struct InstanceRefresh {
    std::string id;  // InstanceRefreshId
    std::string group;
    std::string status;
    std::string status_reason;
    int percentage_complete = 0;
    int instances_to_update = 0;
    std::int64_t start_time_s = 0;  // 0 while Pending
    std::int64_t end_time_s = 0;    // 0 until it ends
};

// StartInstanceRefresh's answer: the new refresh's id, or (AWS's InstanceRefreshInProgress)
// nothing started because one runs already.
struct StartInstanceRefreshResult {
    std::string id;
    bool already_in_progress = false;
    std::string message;  // AWS's message when already_in_progress
};

// Whether an instance refresh status is final (Successful, Failed, Cancelled, Rollback*ed).
bool instance_refresh_ended(std::string_view status);

// ---- RDS ---------------------------------------------------------------------------------

// A manual snapshot of an Aurora cluster (DBClusterSnapshot).
struct DbClusterSnapshot {
    std::string id;          // DBClusterSnapshotIdentifier
    std::string cluster_id;  // DBClusterIdentifier
    std::string status;      // creating, available, failed, ...
    int percent_progress = 0;
    std::int64_t created_s = 0;
};

// Whether a name is a valid DBClusterSnapshotIdentifier: 1 to 255 letters, digits and
// hyphens, starting with a letter, with no two hyphens in a row and none at the end.
bool valid_db_cluster_snapshot_id(std::string_view id);

struct AutoScalingGroup {
    std::string name;
    int min_size = 0;
    int max_size = 0;
    int desired_capacity = 0;
    std::vector<std::string> instance_ids;
    std::string launch_configuration;
    std::string launch_template;  // LaunchTemplateName
    std::string launch_template_version;
};

// ---- Deployment lock ---------------------------------------------------------------------

// Who holds the lock of a deployment: one `stackshift apply` at a time changes it, wherever it
// runs. AWS keeps the lock as the SSM parameter /stackshift/lock/<name>, created only if absent;
// the simulator keeps it in its world. Written by the holder when it takes the lock.
struct LockHolder {
    std::string name;  // the lock's name: the deployment's
    std::string user;
    std::string host;
    long pid = 0;
    std::string journal;       // the journal of the run that holds it
    std::string tool_version;  // "stackshift 0.1.0"
    std::int64_t since_s = 0;  // Unix seconds
    // Random, made at acquire: a release removes the lock only while it still carries it, so a
    // process whose lock was broken and taken by another never removes the other's.
    std::string token;
    bool operator==(const LockHolder&) const = default;
};

// acquire_lock's answer: taken, or held by someone else (as they recorded it).
struct LockAttempt {
    bool acquired = false;
    LockHolder held_by;  // when not acquired

    static LockAttempt taken() { return {true, {}}; }
    static LockAttempt held(LockHolder holder) { return {false, std::move(holder)}; }
};

enum class LockRelease : std::uint8_t { released, absent, held_by_other };

// The holder as the JSON object the backends store, and back. A value that is not such an
// object reads as a holder with every field empty but what can be read (a lock stackshift did
// not write is still a lock: it is shown as unknown, never ignored).
std::string lock_holder_to_json(const LockHolder& holder);
LockHolder lock_holder_from_json(std::string_view text);

// The operations a plan needs. Every call may throw CloudError.
class Cloud {
public:
    virtual ~Cloud() = default;

    // CloudFormation. A stack is named by its name or id; a change set by its name (with
    // the stack) or its id.
    virtual Stack describe_stack(const std::string& stack) = 0;
    virtual std::vector<Stack> describe_stacks() = 0;  // every stack not deleted
    virtual std::string get_template(const std::string& stack) = 0;  // the deployed body
    // The deployed bodies of several stacks, in order; a backend may fetch them in parallel.
    virtual std::vector<std::string> get_templates(const std::vector<std::string>& stacks);
    virtual std::string create_change_set(const ChangeSetRequest& request) = 0;  // the change set id
    virtual ChangeSet describe_change_set(const std::string& stack, const std::string& change_set) = 0;
    virtual void execute_change_set(const std::string& stack, const std::string& change_set) = 0;
    virtual void delete_change_set(const std::string& stack, const std::string& change_set) = 0;
    virtual void update_stack(const UpdateStackRequest& request) = 0;
    virtual void delete_stack(const std::string& stack) = 0;
    // Every resource of the stack, with its physical id (DescribeStackResources).
    virtual std::vector<StackResource> describe_stack_resources(const std::string& stack) = 0;
    // The stack's events after `since_event_id` (all when empty), oldest first.
    virtual std::vector<StackEvent> describe_stack_events(const std::string& stack,
                                                          const std::string& since_event_id) = 0;

    // S3: puts `body` as the object `key` of `bucket` (PutObject) and returns the object's https
    // URL, which a ChangeSetRequest's template_url names it by.
    virtual std::string upload_template(const std::string& bucket, const std::string& key, const std::string& body) = 0;
    // Drift: starts a detection on every resource of the stack (the detection id); its
    // status; and the resources the stack's latest detection checked, every page of them.
    virtual std::string detect_stack_drift(const std::string& stack) = 0;
    virtual StackDriftDetection describe_stack_drift_detection_status(const std::string& detection_id) = 0;
    virtual std::vector<ResourceDrift> describe_stack_resource_drifts(const std::string& stack) = 0;

    // ECS tasks and their logs.
    virtual std::string run_task(const RunTaskRequest& request) = 0;  // the task ARN
    virtual std::vector<Task> describe_tasks(const std::string& cluster, const std::vector<std::string>& arns) = 0;
    virtual std::vector<std::string> task_log_lines(const std::string& task_arn) = 0;
    // The ARNs of the cluster's tasks, running or stopped, started with this startedBy.
    virtual std::vector<std::string> list_tasks(const std::string& cluster, const std::string& started_by) = 0;
    // A task definition by its ARN, FAMILY:REVISION or FAMILY (the latest ACTIVE revision),
    // INACTIVE ones included (ECS's ClientException "Unable to describe task definition." when
    // there is none).
    virtual TaskDefinition describe_task_definition(const std::string& task_definition) = 0;

    // EC2 and Auto Scaling; an empty id list means all.
    virtual std::vector<Instance> describe_instances(const std::vector<std::string>& ids) = 0;
    virtual void terminate_instances(const std::vector<std::string>& ids) = 0;
    virtual Snapshot create_snapshot(const std::string& volume_id, const std::string& description) = 0;
    virtual std::vector<Snapshot> describe_snapshots(const std::vector<std::string>& ids) = 0;
    // This account's snapshots of the volume with exactly this description (a resumed run's
    // way to find a snapshot it asked for before a crash).
    virtual std::vector<Snapshot> find_snapshots(const std::string& volume_id, const std::string& description) = 0;
    virtual std::vector<AutoScalingGroup> describe_auto_scaling_groups(const std::vector<std::string>& names) = 0;

    // RDS: a manual snapshot of an Aurora cluster, under an identifier the caller chooses (a
    // resumed run finds the snapshot it asked for by that identifier).
    virtual DbClusterSnapshot create_db_cluster_snapshot(const std::string& cluster_id, const std::string& snapshot_id) = 0;
    // The snapshot with this identifier, or none when it does not exist.
    virtual std::vector<DbClusterSnapshot> describe_db_cluster_snapshots(const std::string& snapshot_id) = 0;

    // ---- Deployment lock: see LockHolder. `name` is the deployment's (its stack prefix).
    // Takes the lock if nobody holds it, else says who does (a lock that already carries
    // `holder.token` is ours: acquired again).
    virtual LockAttempt acquire_lock(const std::string& name, const LockHolder& holder) = 0;
    // Removes the lock only while it still carries `token`: released, absent, or someone else's.
    virtual LockRelease release_lock(const std::string& name, const std::string& token) = 0;
    virtual std::optional<LockHolder> describe_lock(const std::string& name) = 0;
    // Removes the lock whoever holds it (`stackshift unlock`); false when there was none.
    virtual bool break_lock(const std::string& name) = 0;
    // ECS services (DescribeServices, at most 10 per call: a backend pages). A name or ARN ECS
    // does not know comes back with status "MISSING".
    virtual std::vector<Service> describe_services(const std::string& cluster, const std::vector<std::string>& services) = 0;

    // Auto Scaling instance refresh: replaces the group's instances that do not run its current
    // launch configuration or template, keeping min_healthy_percentage of its capacity in
    // service; and the group's refreshes (all when `ids` is empty), newest first.
    virtual StartInstanceRefreshResult start_instance_refresh(const std::string& group, int min_healthy_percentage) = 0;
    virtual std::vector<InstanceRefresh> describe_instance_refreshes(const std::string& group,
                                                                     const std::vector<std::string>& ids) = 0;

    // Lets time pass between polls: the real backend sleeps, the simulator moves its clock.
    virtual void wait(std::int64_t seconds) = 0;
    // Seconds on the backend's clock (Unix time for AWS, virtual time in the simulator): what
    // progress and durations are measured in.
    virtual std::int64_t clock_s() = 0;
};

}  // namespace stackshift::cloud
