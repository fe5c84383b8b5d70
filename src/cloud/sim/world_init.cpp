// A simulated world made from a deployment snapshot, the deployment read back from a world,
// and the `sim status` reports.

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/drift.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim/stack_operation.hpp"
#include "core/error.hpp"
#include "core/no_echo.hpp"

namespace stackshift::cloud::sim {

namespace {

// The real ids the snapshot's outputs give: an output whose value in the template is a !Ref of
// an instance or a volume names that resource's physical id ("i-...", "vol-...").
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
                        (r.type == "AWS::EC2::Volume" && id.starts_with("vol-"));
            if (fits && id.find(' ') == std::string::npos) r.physical_id = id;
        }
    }
}

int resolved_int(cfn::Evaluator& e, const cfn::Resource& r, std::string_view property, int fallback) {
    const cfn::Value* v = r.properties ? r.properties->find(property) : nullptr;
    if (v == nullptr) return fallback;
    cfn::Value resolved = e.resolve(*v);
    int n = fallback;
    const std::string& t = resolved.text();
    if (resolved.is_scalar()) std::from_chars(t.data(), t.data() + t.size(), n);
    return n;
}

// EC2 instances, volumes and auto-scaling groups of one stack, from its resources.
void add_machines(World& world, const SimStack& stack) {
    auto t = cfn::parse_template(stack.template_body, stack.name);
    cfn::ParameterValues values;
    for (const auto& [k, v] : stack.parameters) values.values[k] = v;
    std::optional<cfn::Evaluator> e;
    if (t) e.emplace(*t, &values);
    for (const auto& r : stack.resources) {
        const cfn::Resource* source = t ? t->resource(r.logical_id) : nullptr;
        if (r.type == "AWS::EC2::Instance") {
            std::string type = "t3.medium";
            if (source && source->properties && source->properties->find("InstanceType")) {
                cfn::Value v = e->resolve(*source->properties->find("InstanceType"));
                if (v.is_string()) type = v.text();
            }
            world.instances.push_back({r.physical_id, type, stack.name, r.logical_id, {}, std::nullopt});
        } else if (r.type == "AWS::EC2::Volume") {
            int size = source ? resolved_int(*e, *source, "Size", 100) : 100;
            world.volumes.push_back({r.physical_id, stack.name, r.logical_id, size});
        } else if (r.type == "AWS::AutoScaling::AutoScalingGroup") {
            SimAutoScalingGroup g{r.physical_id, stack.name, r.logical_id, 1, 1, 1, {}, ""};
            if (source) {
                g.min_size = resolved_int(*e, *source, "MinSize", 1);
                g.max_size = resolved_int(*e, *source, "MaxSize", std::max(g.min_size, 1));
                g.desired_capacity = resolved_int(*e, *source, "DesiredCapacity", g.min_size);
            }
            for (const auto& other : stack.resources) {
                if (other.type == "AWS::AutoScaling::LaunchConfiguration") g.launch_configuration = other.physical_id;
            }
            for (int n = 0; n < g.desired_capacity; ++n) {
                std::string id = make_id("i-0", g.name + "#" + std::to_string(n), 16);
                g.instance_ids.push_back(id);
                world.instances.push_back({id, "t3.medium", stack.name, r.logical_id, {}, std::nullopt});
            }
            world.auto_scaling_groups.push_back(std::move(g));
        }
    }
    // A volume attached to the stack's instance (the first one, as the snapshot's outputs name them).
    for (auto& i : world.instances) {
        if (i.stack != stack.name) continue;
        for (const auto& v : world.volumes) {
            if (v.stack == stack.name) i.volume_ids.push_back(v.id);
        }
        break;
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
    for (const auto& d : deployment.stacks) {
        world.stacks.push_back(stack_from(world, d, scenario, deployment.file));
        add_machines(world, world.stacks.back());
    }
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
                                  {"physicalId", d.physical_id}, {"cause", d.cause}, {"clock_s", d.clock_s}});
    }
    j["api_calls"] = nlohmann::ordered_json::object();
    for (const auto& [op, n] : world.api_calls) j["api_calls"][op] = n;
    j["throttled"] = world.throttled;
    j["tasks"] = nlohmann::ordered_json::array();
    for (const auto& t : world.tasks) {
        j["tasks"].push_back({{"arn", t.arn}, {"stopped", world.clock_s >= t.stops_s}, {"exitCode", t.exit_code}});
    }
    return j.dump(2);
}

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
    out += "\napi calls:" + std::string(world.api_calls.empty() ? " none\n" : "\n");
    for (const auto& [op, n] : world.api_calls) out += "  " + op + ": " + std::to_string(n) + "\n";
    if (world.throttled != 0) out += "  (throttled: " + std::to_string(world.throttled) + ")\n";
    return out;
}

}  // namespace stackshift::cloud::sim
