#pragma once
// Scenario: the faults a simulated world injects, read from a YAML or JSON file given to
// `stackshift sim init --scenario FILE` and kept in the world's state. The format:
//
//   seed: 42                       # seeds the throttling sequence (default 1)
//   throttling: 0.3                # fraction of API calls refused with Throttling (0..1)
//   failing_resources:             # an update of this resource fails, the stack rolls back
//     - stack: acme-prod-5-2-ecs-ops
//       logicalId: TaskDefinition
//       reason: "Resource handler returned message: ..."   # optional
//       rollback: complete         # or `failed`: the stack ends in UPDATE_ROLLBACK_FAILED
//   failing_tasks:                 # an ECS task whose command contains `command` fails
//     - command: "is-db migrate"
//       exitCode: 1                # optional, default 1
//       log: ["error: migration 42 failed"]   # optional
//   rollback_failed_stacks:        # stacks already in UPDATE_ROLLBACK_FAILED at init
//     - acme-prod-2-5-db-timescale
//   durations:                     # seconds per resource type, over the built-in table
//     AWS::ECS::Service: 300
//   task_seconds: 60               # how long an ECS task runs (default 60)
//   unsettled_services:            # an update of this ECS service never settles: the
//     - stack: acme-prod-5-4-ecs-services   # deployment circuit breaker stops it, the
//       logicalId: GatewayServerService     # resource fails and the stack rolls back
//   unhealthy_services:            # this ECS service's tasks keep failing once CloudFormation saw it
//     - stack: 5-4-ecs-services    #   stable: only `running` of its desired tasks run and ECS keeps
//       logicalId: ApplicationServerService   # its deployment IN_PROGRESS
//       running: 1                 # optional, default 0
//   failing_instance_refreshes:    # an instance refresh of this stack's group fails after its
//     - stack: 5-1-ecs-cluster     #   first batch, with `reason` as its StatusReason (optional)
//       logicalId: ECSAutoScalingGroup
//   account:                       # what exists in the account beyond what the snapshot shows
//     add:                         # ids made to exist, by kind: key_pairs, subnets,
//       key_pairs: [acme-ops-2]    #   security_groups, vpcs, images, availability_zones,
//       s3_buckets: [acme-templates]  # s3_buckets (a bucket upload_template may put objects in)
//     remove:                      # ids made to be gone (the same kinds, and ssm_parameters by
//       key_pairs: [acme-ops]      #   name): each must be one the account holds
//     ssm_parameters:              # SSM parameters, added or replacing one of that name
//       - name: /acme/prod/environment
//         type: String             # String (default), StringList or SecureString
//         value: prod
//   drift:                         # resources changed out of band when the world is made
//     - stack: acme-prod-2-1-network   # a stack's name or its template id (2-1-network)
//       logicalId: SecurityGroup
//       property: "SecurityGroupIngress[0].CidrIp"   # a path into the resource's Properties
//       actual: 0.0.0.0/0          # the value the console set
//     - stack: 3-1-ops
//       logicalId: Queue
//       deleted: true              # the resource was deleted by hand

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/sim/inventory.hpp"
#include "core/result.hpp"

namespace stackshift::cloud::sim {

struct FailingResource {
    std::string stack;
    std::string logical_id;
    std::string reason;
    bool rollback_fails = false;
    std::int64_t seconds = 0;  // how long until it fails; 0: the time its type takes
};

struct FailingTask {
    std::string command;
    int exit_code = 1;
    std::vector<std::string> log;
};

// An ECS service whose deployments do not reach a steady state.
struct UnsettledService {
    std::string stack;  // stack name or template id
    std::string logical_id;
};

// A resource changed out of band (see drift.hpp): one property set to `actual`, or the
// resource deleted.
struct DriftEdit {
    std::string stack;  // name or template id
    std::string logical_id;
    std::vector<std::string> path;  // "SecurityGroupIngress[0].CidrIp": {SecurityGroupIngress, 0, CidrIp}
    std::string actual;
    bool deleted = false;
    std::string where;  // file:line:column of the entry, for the checks at `sim init`; not saved
};

// "SecurityGroupIngress[0].CidrIp" as path segments; nullopt when it is not one.
std::optional<std::vector<std::string>> parse_property_path(std::string_view text);
// The segments as CloudFormation writes a PropertyPath: "/SecurityGroupIngress/0/CidrIp".
std::string property_path_text(const std::vector<std::string>& path);

// An ECS service whose tasks keep failing after its deployments settled (`unhealthy_services`).
struct UnhealthyService {
    std::string stack;  // stack name or template id
    std::string logical_id;
    int running = 0;  // the tasks that stay up
};

// An auto-scaling group whose instance refreshes fail (`failing_instance_refreshes`).
struct FailingRefresh {
    std::string stack;  // stack name or template id
    std::string logical_id;
    std::string reason;
};

struct Scenario {
    std::uint64_t seed = 1;
    double throttling = 0.0;
    std::vector<FailingResource> failing_resources;
    std::vector<FailingTask> failing_tasks;
    std::vector<std::string> rollback_failed_stacks;
    std::map<std::string, std::int64_t, std::less<>> durations;
    std::int64_t task_seconds = 60;
    std::vector<UnsettledService> unsettled_services;
    InventoryChanges account;
    std::vector<DriftEdit> drift;
    std::vector<UnhealthyService> unhealthy_services = {};
    std::vector<FailingRefresh> failing_instance_refreshes = {};
};

// Reads a scenario file; every problem with file:line:column.
Result<Scenario> load_scenario(const std::string& path);
Result<Scenario> parse_scenario(std::string_view text, const std::string& file);

}  // namespace stackshift::cloud::sim
