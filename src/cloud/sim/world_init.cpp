// A simulated world made from a deployment snapshot, the deployment read back from a world,
// and the `sim status` reports.

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/account.hpp"
#include "cloud/sim/drift.hpp"
#include "cloud/sim/machines.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim/sim_exports.hpp"
#include "cloud/sim/stack_operation.hpp"
#include "cloud/sim/task_definitions.hpp"
#include "core/error.hpp"
#include "core/no_echo.hpp"

namespace stackshift::cloud::sim {

namespace {

// The real ids the snapshot's outputs give: an output whose value in the template is a !Ref of
// an instance, a volume, an auto-scaling group or a database cluster names that resource's
// physical id ("i-...", "vol-...", the group's name, the cluster's identifier), so that the
// world's ids and the stack's outputs agree.
void take_output_ids(SimStack& s, const cfn::DeployedStack& d) {
    auto t = cfn::parse_template(s.template_body, s.name);
    if (!t) return;
    for (const auto& output : t->outputs) {
        const cfn::Value* ref = output.value && output.value->is_map() ? output.value->find("Ref") : nullptr;
        auto deployed = d.outputs.find(output.name);
        if (!ref || !ref->is_scalar() || deployed == d.outputs.end()) continue;
        const std::string& id = deployed->second;
        for (auto& r : s.resources) {
            if (r.logical_id != ref->text()) continue;
            bool fits = (r.type == "AWS::EC2::Instance" && id.starts_with("i-")) ||
                        (r.type == "AWS::EC2::Volume" && id.starts_with("vol-")) ||
                        (r.type == "AWS::AutoScaling::AutoScalingGroup" && !id.empty()) ||
                        (r.type == "AWS::RDS::DBCluster" && !id.empty());
            if (fits && id.find(' ') == std::string::npos) r.physical_id = id;
        }
    }
}

SimStack stack_from(const World& world, const cfn::DeployedStack& d, const Scenario& scenario, const std::string& file) {
    SimStack s;
    s.name = d.name;
    s.id = "arn:aws:cloudformation:" + world.region + ":" + world.account + ":stack/" + d.name + "/" + make_id("", d.name, 32);
    s.template_id = d.template_id;
    s.status = d.status;
    if (std::count(scenario.rollback_failed_stacks.begin(), scenario.rollback_failed_stacks.end(), d.name) != 0) {
        s.status = "UPDATE_ROLLBACK_FAILED";
        s.status_reason = "The following resource(s) failed to update: [simulated].";
    }
    s.template_body = d.template_body;
    s.last_updated_s = d.last_updated_s;
    for (const auto& [k, v] : d.parameters) s.parameters[k] = v;
    s.no_echo = d.no_echo;
    for (const auto& [k, v] : d.outputs) s.outputs[k] = v;
    for (const auto& [k, v] : d.tags) s.tags[k] = v;
    try {
        s.resources = initial_resources(world, s.name, s.template_body, s.parameters);
    } catch (const CloudError& e) {
        throw InputError(file + ": stack '" + d.name + "': its templateBody cannot be read (" + e.message() +
                         "); fix the snapshot or take a new one with 'stackshift snapshot'");
    }
    // The snapshot's outputs name the real instance and volume: the world uses those ids.
    take_output_ids(s, d);
    take_deployed_revisions(s, s.outputs);
    s.events.push_back({make_id("", d.name + "#initial", 32), s.name, s.name, s.id, "AWS::CloudFormation::Stack", s.status,
                        s.status_reason, 0});
    return s;
}

}  // namespace

World world_from_deployment(const cfn::Deployment& deployment, const Scenario& scenario) {
    World world;
    if (!deployment.region.empty()) world.region = deployment.region;
    world.version = deployment.version;
    world.scenario = scenario;
    for (const auto& name : scenario.rollback_failed_stacks) {
        if (deployment.stack(name) == nullptr) {
            throw InputError("scenario: rollback_failed_stacks names '" + name + "', which is not a stack of " + deployment.file +
                             "; use one of the snapshot's stack names");
        }
    }
    for (const auto& d : deployment.stacks) world.stacks.push_back(stack_from(world, d, scenario, deployment.file));
    // The snapshot's outputs are the real values; the exports table and the imports follow from
    // them and the templates. The machines come after: their subnets and groups are imports.
    for (auto& s : world.stacks) derive_exports(world, s);
    for (const auto& s : world.stacks) {
        reconcile_machines(world, s, {});
        sync_task_definitions(world, s, {});
    }
    build_inventory(world);
    apply_scenario_drift(world);
    return world;
}

cfn::Deployment world_to_deployment(const World& world) {
    cfn::Deployment d;
    d.region = world.region;
    d.version = world.version;
    for (const auto& s : world.stacks) {
        if (s.status == "DELETE_COMPLETE" || s.status == "REVIEW_IN_PROGRESS") continue;
        cfn::DeployedStack out;
        out.name = s.name;
        out.template_id = s.template_id;
        out.status = s.status;
        for (const auto& [k, v] : s.parameters) out.parameters[k] = v;
        for (const auto& k : s.no_echo) {
            if (out.parameters.count(k) != 0) out.parameters[k] = std::string(masked_value);
        }
        out.no_echo = s.no_echo;
        for (const auto& [k, v] : s.outputs) out.outputs[k] = v;
        for (const auto& [k, v] : s.tags) out.tags[k] = v;
        out.template_body = s.template_body;
        out.last_updated_s = s.last_updated_s;
        record_drift(world, s, out);  // what a live read's drift detection would find
        d.stacks.push_back(std::move(out));
    }
    return d;
}

std::string status_json(const World& world) {
    nlohmann::ordered_json j;
    j["clock_s"] = world.clock_s;
    j["stacks"] = nlohmann::ordered_json::object();
    for (const auto& s : world.stacks) {
        // The parameters as DescribeStacks shows them: NoEcho values masked.
        nlohmann::ordered_json parameters = nlohmann::ordered_json::object();
        for (const auto& [k, v] : s.parameters) parameters[k] = v;
        for (const auto& k : s.no_echo)
            if (parameters.contains(k)) parameters[k] = std::string(masked_value);
        j["stacks"][s.name] = {{"status", s.status}, {"template", s.template_id}, {"statusReason", s.status_reason},
                               {"resources", s.resources.size()}, {"parameters", parameters}};
    }
    j["data_lost"] = nlohmann::ordered_json::array();
    for (const auto& d : world.data_lost) {
        j["data_lost"].push_back({{"stack", d.stack}, {"logicalId", d.logical_id}, {"type", d.type},
                                  {"physicalId", d.physical_id}, {"cause", d.cause}, {"clock_s", d.clock_s},
                                  {"systemDisk", d.system_disk}});
    }
    j["api_calls"] = nlohmann::ordered_json::object();
    for (const auto& [op, n] : world.api_calls) j["api_calls"][op] = n;
    j["throttled"] = world.throttled;
    j["tasks"] = nlohmann::ordered_json::array();
    for (const auto& t : world.tasks) {
        j["tasks"].push_back({{"taskArn", t.arn}, {"taskDefinition", t.task_definition}, {"images", t.images},
                              {"command", t.command}, {"exitCode", t.exit_code}, {"stopped", world.clock_s >= t.stops_s}});
    }
    j["instances"] = nlohmann::ordered_json::array();
    for (const auto& i : world.instances) {
        if (i.terminated_s) continue;
        nlohmann::ordered_json volumes = nlohmann::ordered_json::array();
        for (const auto& v : world.volumes) {
            if (std::count(i.volume_ids.begin(), i.volume_ids.end(), v.id) != 0)
                volumes.push_back({{"volumeId", v.id}, {"device", v.device}, {"sizeGb", v.size_gb},
                                   {"deleteOnTermination", v.delete_on_termination}});
        }
        nlohmann::ordered_json entry = {{"id", i.id}, {"stack", i.stack}, {"logicalId", i.logical_id},
                                        {"instanceType", i.instance_type}, {"imageId", i.image_id}, {"volumes", volumes}};
        if (!i.auto_scaling_group.empty()) {
            entry["autoScalingGroup"] = i.auto_scaling_group;
            entry["launchConfiguration"] = i.launch_configuration;
            entry["launchTemplate"] = i.launch_template;
            entry["launchTemplateVersion"] = i.launch_template_version;
        }
        j["instances"].push_back(std::move(entry));
    }
    j["services"] = nlohmann::ordered_json::array();
    for (const auto& s : world.services) {
        nlohmann::ordered_json entry = {{"name", s.name}, {"stack", s.stack}, {"logicalId", s.logical_id}, {"cluster", s.cluster},
                                        {"taskDefinition", s.task_definition}, {"desiredCount", s.desired_count},
                                        {"runningCount", s.running_count}, {"deployment", s.deployment}};
        if (!s.rollout_task_definition.empty()) {
            entry["rollout"] = {{"taskDefinition", s.rollout_task_definition}, {"desiredCount", s.rollout_desired},
                                {"runningCount", rollout_running(s, world.clock_s)}};
        }
        j["services"].push_back(std::move(entry));
    }
    return j.dump(2);
}

namespace {

// The running instances with their type and volumes, and the ECS services with their counts.
std::string machines_text(const World& world) {
    std::string out = "\ninstances:";
    std::size_t running = 0;
    for (const auto& i : world.instances) {
        if (i.terminated_s) continue;
        out += std::string(running++ == 0 ? "\n" : "") + "  " + i.id + "  " + i.stack + " " + i.logical_id + "  " +
               (i.instance_type.empty() ? "(type unknown)" : i.instance_type);
        for (const auto& v : world.volumes) {
            if (std::count(i.volume_ids.begin(), i.volume_ids.end(), v.id) != 0)
                out += "  " + v.id + (v.device.empty() ? "" : " at " + v.device);
        }
        out += "\n";
    }
    if (running == 0) out += " none\n";
    out += "\nservices:" + std::string(world.services.empty() ? " none\n" : "\n");
    for (const auto& s : world.services) {
        out += "  " + s.stack + " " + s.logical_id + " (" + s.name + ")  " + std::to_string(s.running_count) + "/" +
               std::to_string(s.desired_count) + " running";
        if (!s.rollout_task_definition.empty()) {
            out += ", deployment " + s.deployment + ": " + std::to_string(rollout_running(s, world.clock_s)) + "/" +
                   std::to_string(s.rollout_desired) + " of " + s.rollout_task_definition;
        }
        out += "\n";
    }
    return out;
}

}  // namespace

std::string status_text(const World& world) {
    std::string out = "clock: " + std::to_string(world.clock_s) + " s (" + std::to_string(world.clock_s / 60) + " min)\n\nstacks:\n";
    std::size_t width = 0;
    for (const auto& s : world.stacks) width = std::max(width, s.name.size());
    for (const auto& s : world.stacks) {
        out += "  " + s.name + std::string(width - s.name.size() + 2, ' ') + s.status;
        if (!s.status_reason.empty()) out += " (" + s.status_reason + ")";
        out += "\n";
    }
    out += "\ndata lost:" + std::string(world.data_lost.empty() ? " none\n" : "\n");
    for (const auto& d : world.data_lost) out += "  " + d.stack + " " + d.logical_id + " (" + d.type + ", " + d.cause + ")\n";
    out += machines_text(world);
    out += "\napi calls:" + std::string(world.api_calls.empty() ? " none\n" : "\n");
    for (const auto& [op, n] : world.api_calls) out += "  " + op + ": " + std::to_string(n) + "\n";
    if (world.throttled != 0) out += "  (throttled: " + std::to_string(world.throttled) + ")\n";
    return out;
}

}  // namespace stackshift::cloud::sim
