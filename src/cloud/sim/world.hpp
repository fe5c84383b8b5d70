#pragma once
// World: the whole state of the simulated AWS, as plain data. SimCloud operates on it; it is
// saved to and loaded from a JSON state file ("format": "stackshift-sim/1", see world_json.cpp)
// so separate processes continue the same world.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/cloud.hpp"
#include "cloud/sim/scenario.hpp"

namespace stackshift::cloud::sim {

struct SimResource {
    std::string logical_id;
    std::string type;
    std::string physical_id;
    std::string status;  // CREATE_COMPLETE, UPDATE_COMPLETE, ...
};

// A stateful resource replaced or deleted: its data is gone (or never was, if it was new).
struct DataLoss {
    std::string stack;
    std::string logical_id;
    std::string type;
    std::string physical_id;
    std::string cause;  // "replaced" or "deleted"
    std::int64_t clock_s = 0;
    // An instance's root volume, deleted with the instance as AWS does: the machine's own disk,
    // which the project holds to be no place for data (an instance is replaced routinely; data
    // belongs on an AWS::EC2::Volume). Listed, but no data a plan must acknowledge.
    bool system_disk = false;
};

// What a stack becomes when a running operation ends well (or, for a rollback, nothing).
struct Outcome {
    std::string template_body;
    StringMap parameters;
    std::vector<SimResource> resources;
    std::vector<DataLoss> data_lost;
    std::vector<std::pair<std::string, std::string>> replaced_ids;  // old physical id, new one
    std::string change_set_id;
    bool applies = true;  // false for a rollback: only the statuses move
    bool deletes = false;
    // The stack's outputs, exports and imports once the operation succeeds (sim_exports.hpp);
    // outputs_computed is false for an outcome that does not touch them (a delete).
    bool outputs_computed = false;
    StringMap outputs;
    StringMap exports;                 // export name -> value
    std::vector<std::string> imports;  // the export names the stack imports
    // The resources the operation modifies in place or replaces: CloudFormation writes their
    // template values, which puts the drift of what the template sets back in sync.
    std::vector<std::string> rewritten = {};
};

// A property of a resource changed out of band (a scenario's `drift`), or the resource deleted.
struct SimDrift {
    std::string logical_id;
    std::vector<std::string> path;  // into Properties: {SecurityGroupIngress, 0, CidrIp}
    std::string actual;
    bool deleted = false;
};

// A drift detection (DetectStackDrift): its results are taken when it starts and shown once
// the clock reaches `completes_s`.
struct SimDriftDetection {
    std::string id;
    std::string stack_id;
    std::int64_t completes_s = 0;
    std::vector<ResourceDrift> results;
};

struct SimStack {
    std::string name;
    std::string id;
    std::string template_id;
    std::string status;
    std::string status_reason;
    std::string template_body;
    StringMap parameters;  // NoEcho values as they were given; never printed
    std::vector<std::string> no_echo;
    StringMap outputs;
    StringMap tags;
    std::vector<SimResource> resources;
    std::vector<StackEvent> events;   // published, oldest first
    std::vector<StackEvent> pending;  // scheduled on the clock, oldest first
    std::optional<Outcome> outcome;   // applied when the last pending event is published
    // Its exports (name -> value, from the outputs) and the exports it imports, as the deployed
    // template and parameters make them: the region's exports table is the union (sim_exports.hpp).
    StringMap exports;
    std::vector<std::string> imports;
    std::vector<SimDrift> drift = {};  // what was changed out of band, until an update rewrites it
    // The virtual time of its last stack-level status change (create, update, rollback), as
    // DescribeStacks reports it in LastUpdatedTime; from the snapshot when the world was made.
    std::int64_t last_updated_s = 0;
};

struct SimChangeSet {
    ChangeSet described;       // NoEcho parameter values masked
    std::string stack_id;
    StringMap new_parameters;  // the effective values after execution (NoEcho as given)
    std::string template_body;
    std::int64_t created_s = 0;
};

struct SimTask {
    std::string arn;
    std::string cluster;
    std::string task_definition;
    std::vector<std::string> command;
    std::int64_t started_s = 0;
    std::int64_t stops_s = 0;
    int exit_code = 0;
    std::vector<std::string> log;
    std::string started_by;
    std::vector<std::string> images;  // of each container of the task definition it ran
};

// A container of a registered task definition, resolved from the template with the stack's
// parameters at the time it was registered.
struct SimContainer {
    std::string name;
    std::string image;
    std::vector<std::string> command;
};

// A revision of a task definition family as ECS keeps it (see task_definitions.hpp).
struct SimTaskDefinition {
    std::string arn;
    std::string family;
    int revision = 0;
    std::string status;  // ACTIVE, or INACTIVE once CloudFormation deleted it
    std::string stack;
    std::string logical_id;
    std::vector<SimContainer> containers;
};

struct SimInstance {
    std::string id;
    std::string instance_type;
    std::string stack;
    std::string logical_id;
    std::vector<std::string> volume_ids;
    std::optional<std::int64_t> terminated_s;  // when termination was asked
    // What it was launched with, from the template's resolved properties (machines.cpp), or
    // from its group's launch configuration / template for an auto-scaling group's instance.
    std::string image_id;
    std::string subnet_id;
    std::string key_name;
    std::vector<std::string> security_group_ids;
    std::string user_data;  // fingerprint of the resolved text
    std::string auto_scaling_group;
    std::string launch_configuration;
    std::string launch_template;  // name or id
    std::string launch_template_version;
    std::int64_t launched_s = 0;
};

struct SimVolume {
    std::string id;
    std::string stack;
    std::string logical_id;
    int size_gb = 0;
    // What the volume holds: a marker written when it was made empty, copied from the snapshot
    // it was made from. It survives detach and re-attach; a deleted volume is in data_lost.
    std::string data;
    std::string device;                  // where it is attached ("/dev/sdf"), empty when detached
    bool delete_on_termination = false;  // a block device mapping's volume goes with its instance
    std::string snapshot_id;             // made from this snapshot
    std::string attached_by;             // the VolumeAttachment (physical id) or instance that attached it
};

struct SimSnapshot {
    std::string id;
    std::string volume_id;
    std::string description;
    std::int64_t started_s = 0;
    std::int64_t completes_s = 0;
    std::string data;  // the volume's data when the snapshot was taken
};

// A manual snapshot of an Aurora cluster: creating, then available once the clock reaches
// `completes_s`.
struct SimDbClusterSnapshot {
    std::string id;
    std::string cluster_id;
    std::int64_t started_s = 0;
    std::int64_t completes_s = 0;
};

struct SimAutoScalingGroup {
    std::string name;
    std::string stack;
    std::string logical_id;
    int min_size = 0;
    int max_size = 0;
    int desired_capacity = 0;
    std::vector<std::string> instance_ids;
    std::string launch_configuration;
    std::string launch_template;  // LaunchTemplateName or LaunchTemplateId, as resolved
    std::string launch_template_version;
    std::string update_policy;  // "", "rolling" (AutoScalingRollingUpdate), "replacing" (WillReplace)
};

// An EC2 launch template: its version moves when its LaunchTemplateData changes.
struct SimLaunchTemplate {
    std::string id;
    std::string stack;
    std::string logical_id;
    std::string name;
    int version = 1;
    std::string data;  // fingerprint of the resolved LaunchTemplateData
};

// An ECS service and its last deployment: tasks of `task_definition` reach `desired_count`
// between the deployment's start and the time it settles.
struct SimService {
    std::string arn;
    std::string name;
    std::string stack;
    std::string logical_id;
    std::string cluster;
    std::string task_definition;
    int desired_count = 1;
    int running_count = 0;
    std::string deployment;  // PRIMARY's rollout state: COMPLETED, IN_PROGRESS or FAILED
    std::int64_t deployment_started_s = 0;
    std::int64_t deployment_settled_s = 0;
    // The deployment a stack operation is rolling out, until the operation ends: tasks of
    // `rollout_task_definition` start from `rollout_started_s` and reach `rollout_desired` at
    // `rollout_settles_s` (-1: never, the deployment does not settle).
    std::string rollout_task_definition;
    int rollout_desired = 0;
    std::int64_t rollout_started_s = 0;
    std::int64_t rollout_settles_s = 0;
};

// An Auto Scaling instance refresh (instance_refresh.hpp): the group's instances present when it
// started are replaced batch by batch, each batch's new instances warming up until `batch_ready_s`.
struct SimInstanceRefresh {
    std::string id;
    std::string group;
    int min_healthy_percentage = 90;
    std::string status;  // Pending, InProgress, Successful, Failed
    std::string status_reason;
    std::int64_t started_s = 0;
    std::int64_t ended_s = 0;
    std::vector<std::string> to_replace;  // the instances still to replace, in the order they go
    int total = 0;                         // instances to replace when it started
    int in_flight = 0;                     // replacements warming up in the current batch
    std::int64_t batch_ready_s = 0;        // when the current batch is in service
};

struct World {
    std::string region = "eu-west-1";
    std::string account = "123456789012";
    std::string version;
    std::int64_t clock_s = 0;
    std::uint64_t next_serial = 1;      // for ids made during the run
    std::uint64_t throttle_draws = 0;   // position in the throttling sequence
    Scenario scenario;
    std::vector<SimStack> stacks;
    std::vector<SimChangeSet> change_sets;
    std::vector<SimTask> tasks;
    std::vector<SimInstance> instances;
    std::vector<SimVolume> volumes;
    std::vector<SimSnapshot> snapshots;
    std::vector<SimDbClusterSnapshot> db_cluster_snapshots;
    std::vector<SimAutoScalingGroup> auto_scaling_groups;
    std::vector<DataLoss> data_lost;
    std::map<std::string, std::uint64_t, std::less<>> api_calls;
    std::uint64_t throttled = 0;
    std::vector<SimLaunchTemplate> launch_templates;
    std::vector<SimService> services;
    Inventory inventory;  // what parameters of AWS-specific and SSM types are checked against; S3
    std::vector<SimTaskDefinition> task_definitions;  // every revision registered, oldest first
    std::vector<SimDriftDetection> drift_detections = {};
    // The deployment locks, by name (Cloud::acquire_lock): saved under an optional "locks" key.
    std::map<std::string, LockHolder, std::less<>> locks = {};
    std::vector<SimInstanceRefresh> instance_refreshes = {};  // oldest first

    SimStack* stack(std::string_view name_or_id);
    const SimStack* stack(std::string_view name_or_id) const;
};

// A deterministic id: `prefix` followed by `length` hex digits derived from `seed`.
std::string make_id(std::string_view prefix, std::string_view seed, std::size_t length);

// Reads a state file; InputError naming the file and the fix when it is not one.
World load_world(const std::string& path);
// Writes the state file atomically.
void save_world(const World& world, const std::string& path);
std::string world_to_json(const World& world);
World world_from_json(std::string_view text, const std::string& file);

}  // namespace stackshift::cloud::sim
