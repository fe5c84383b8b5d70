#include "cloud/sim/machines.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "cloud/sim/world_values.hpp"
#include "core/fingerprint.hpp"

namespace stackshift::cloud::sim {

namespace {

using cfn::Value;

constexpr std::int64_t instance_launch_seconds = 120;  // a group's new instance until InService
constexpr std::int64_t service_stabilize_timeout_s = 3 * 60 * 60;  // CloudFormation's wait for ECS
constexpr std::string_view circuit_breaker_reason =
    "Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was "
    "triggered'.\" (RequestToken: ";

// Resolves a stack's values in the world (world_values: parameters, Refs and attributes of the
// stack's resources, imports), keeping an import of an export the world does not hold as it is
// written (a snapshot's stacks may import from stacks outside it), and a Fn::Base64 as its
// text: what the machine runs.
class Resolver {
public:
    Resolver(const World& world, const SimStack& stack, const cfn::Template& t)
        : m_resolver(world, view_of(stack), t, WorldResolver::MissingImport::keep) {}

    Value properties(const cfn::Resource& r) { return decoded(m_resolver.properties(r)); }

    cfn::Evaluator& evaluator() { return m_resolver.evaluator(); }

private:
    static Value decoded(Value v) {
        if (v.is_map() && v.function_name() == "Fn::Base64" && v.function_argument().is_scalar()) return v.function_argument();
        if (v.is_map()) {
            for (auto& m : v.members()) m.value = decoded(std::move(m.value));
        } else if (v.is_list()) {
            for (auto& i : v.items()) i = decoded(std::move(i));
        }
        return v;
    }

    WorldResolver m_resolver;
};

// ---- reading resolved properties ---------------------------------------------------------

std::string text_of(const Value& properties, std::string_view key, std::string fallback = {}) {
    const Value* v = properties.find(key);
    return v != nullptr && v->is_scalar() && !v->is_null() ? v->text() : fallback;
}

int int_of(const Value& properties, std::string_view key, int fallback) {
    const Value* v = properties.find(key);
    if (v == nullptr || !v->is_scalar()) return fallback;
    int n = fallback;
    const std::string& t = v->text();
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    return ec == std::errc{} && end == t.data() + t.size() ? n : fallback;
}

bool bool_of(const Value& properties, std::string_view key, bool fallback) {
    const Value* v = properties.find(key);
    if (v == nullptr || !v->is_scalar()) return fallback;
    if (v->text() == "true") return true;
    if (v->text() == "false") return false;
    return fallback;
}

std::vector<std::string> texts_of(const Value& properties, std::string_view key) {
    std::vector<std::string> out;
    const Value* v = properties.find(key);
    if (v == nullptr || !v->is_list()) return out;
    for (const auto& i : v->items()) out.push_back(i.is_scalar() ? i.text() : i.to_display());
    return out;
}

// What an instance runs on, from the resolved properties of an instance, a launch
// configuration or a launch template's data.
void take_launch_settings(SimInstance& i, const Value& p) {
    i.instance_type = text_of(p, "InstanceType", i.instance_type);
    i.image_id = text_of(p, "ImageId", i.image_id);
    i.key_name = text_of(p, "KeyName", i.key_name);
    if (p.find("SubnetId")) i.subnet_id = text_of(p, "SubnetId");
    auto groups = texts_of(p, "SecurityGroupIds");
    if (groups.empty()) groups = texts_of(p, "SecurityGroups");
    if (!groups.empty()) i.security_group_ids = groups;
    if (const Value* user_data = p.find("UserData"))
        i.user_data = fingerprint(user_data->is_scalar() ? user_data->text() : user_data->to_display());
}

// ---- volumes and attachments -------------------------------------------------------------

SimInstance* find_instance(World& world, std::string_view id) {
    for (auto& i : world.instances)
        if (i.id == id) return &i;
    return nullptr;
}

SimVolume* find_volume(World& world, std::string_view id) {
    for (auto& v : world.volumes)
        if (v.id == id) return &v;
    return nullptr;
}

void detach(World& world, SimVolume& volume) {
    for (auto& i : world.instances) std::erase(i.volume_ids, volume.id);
    volume.device.clear();
    volume.attached_by.clear();
}

void attach(World& world, SimVolume& volume, SimInstance& instance, const std::string& device, const std::string& by) {
    if (instance.terminated_s) return;  // a terminated instance takes no volume
    detach(world, volume);
    instance.volume_ids.push_back(volume.id);
    volume.device = device;
    volume.attached_by = by;
}

std::string new_data(const std::string& volume_id, std::int64_t clock_s) {
    return "written to " + volume_id + " at " + std::to_string(clock_s) + " s";
}

// A volume made empty, or from a snapshot of the world (with its data).
SimVolume make_volume(const World& world, std::string id, const std::string& stack, const std::string& logical_id,
                      int size_gb, const std::string& snapshot_id) {
    SimVolume v;
    v.id = std::move(id);
    v.stack = stack;
    v.logical_id = logical_id;
    v.size_gb = size_gb;
    v.snapshot_id = snapshot_id;
    v.data = new_data(v.id, world.clock_s);
    if (!snapshot_id.empty()) {
        v.data = "restored from " + snapshot_id;
        for (const auto& s : world.snapshots)
            if (s.id == snapshot_id && !s.data.empty()) v.data = s.data;
    }
    return v;
}

void delete_volume(World& world, const std::string& id, const DataLoss& loss) {
    SimVolume* v = find_volume(world, id);
    if (v == nullptr) return;
    detach(world, *v);
    world.data_lost.push_back(loss);
    std::erase_if(world.volumes, [&](const SimVolume& x) { return x.id == id; });
}

// The device an AMI boots from (Amazon Linux's /dev/xvda, /dev/sda1 of others).
bool is_root_device(std::string_view device) { return device == "/dev/xvda" || device == "/dev/sda1" || device == "/dev/sda"; }

// An instance's BlockDeviceMappings with Ebs: volumes made with it; and its Volumes: attached.
void add_instance_volumes(World& world, SimInstance& instance, const Value& p) {
    if (const Value* mappings = p.find("BlockDeviceMappings"); mappings && mappings->is_list()) {
        for (const auto& m : mappings->items()) {
            const Value* ebs = m.is_map() ? m.find("Ebs") : nullptr;
            if (ebs == nullptr || !ebs->is_map()) continue;
            std::string device = text_of(m, "DeviceName");
            SimVolume v = make_volume(world, make_id("vol-0", instance.id + "#" + device, 16), instance.stack,
                                      instance.logical_id, int_of(*ebs, "VolumeSize", 8), text_of(*ebs, "SnapshotId"));
            v.delete_on_termination = bool_of(*ebs, "DeleteOnTermination", true);
            world.volumes.push_back(std::move(v));
            attach(world, world.volumes.back(), instance, device, instance.id);
        }
    }
    if (const Value* volumes = p.find("Volumes"); volumes && volumes->is_list()) {
        for (const auto& item : volumes->items()) {
            if (!item.is_map()) continue;
            if (SimVolume* v = find_volume(world, text_of(item, "VolumeId"))) attach(world, *v, instance, text_of(item, "Device"), instance.id);
        }
    }
}

// ---- instances and groups ----------------------------------------------------------------

bool has_id(const std::vector<SimResource>& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(), [&](const SimResource& r) { return r.physical_id == id; });
}

SimAutoScalingGroup* find_group(World& world, std::string_view name) {
    for (auto& g : world.auto_scaling_groups)
        if (g.name == name) return &g;
    return nullptr;
}

// The instance settings a group's configuration gives: its launch configuration's resolved
// properties, or its launch template's data. Null settings when the world knows neither.
std::optional<Value> group_settings(const World& world, const SimAutoScalingGroup& g) {
    const SimStack* stack = world.stack(g.stack);
    if (stack == nullptr) return std::nullopt;
    auto t = cfn::parse_template(stack->template_body, stack->name);
    if (!t) return std::nullopt;
    for (const auto& r : stack->resources) {
        bool configuration = r.type == "AWS::AutoScaling::LaunchConfiguration" && r.physical_id == g.launch_configuration &&
                             !g.launch_configuration.empty();
        bool launch_template = false;
        if (r.type == "AWS::EC2::LaunchTemplate" && !g.launch_template.empty()) {
            for (const auto& lt : world.launch_templates)
                if (lt.id == r.physical_id && (lt.name == g.launch_template || lt.id == g.launch_template)) launch_template = true;
        }
        if (!configuration && !launch_template) continue;
        const cfn::Resource* source = t->resource(r.logical_id);
        if (source == nullptr) return std::nullopt;
        Value p = resolved_properties(world, *stack, *t, *source);
        if (configuration) return p;
        if (const Value* data = p.find("LaunchTemplateData")) return *data;
        return std::nullopt;
    }
    return std::nullopt;
}

// A new instance of the group, on the group's current configuration.
void launch_in_group(World& world, SimAutoScalingGroup& g) {
    SimInstance i;
    i.id = make_id("i-0", g.name + "#" + std::to_string(world.next_serial++), 16);
    i.stack = g.stack;
    i.logical_id = g.logical_id;
    i.auto_scaling_group = g.name;
    i.launch_configuration = g.launch_configuration;
    i.launch_template = g.launch_template;
    i.launch_template_version = g.launch_template_version;
    i.launched_s = world.clock_s;
    if (auto settings = group_settings(world, g)) take_launch_settings(i, *settings);
    g.instance_ids.push_back(i.id);
    world.instances.push_back(std::move(i));
    // Group settings were read through the world: `g` is still valid (groups did not move).
}

bool runs_current_configuration(const SimInstance& i, const SimAutoScalingGroup& g) {
    return i.launch_configuration == g.launch_configuration && i.launch_template == g.launch_template &&
           i.launch_template_version == g.launch_template_version;
}

std::string update_policy_of(cfn::Evaluator& e, const cfn::Resource& r) {
    const Value* policy = r.node && r.node->is_map() ? r.node->find("UpdatePolicy") : nullptr;
    if (policy == nullptr || !policy->is_map()) return "";
    if (policy->find("AutoScalingRollingUpdate")) return "rolling";
    if (const Value* replacing = policy->find("AutoScalingReplacingUpdate")) {
        Value resolved = e.resolve(*replacing);
        if (bool_of(resolved, "WillReplace", false)) return "replacing";
    }
    return "";
}

// The configuration a group's resolved properties name: launch configuration, or launch
// template (by name, the id mapped to the name the world knows) and version.
void take_group_configuration(const World& world, SimAutoScalingGroup& g, const Value& p) {
    g.launch_configuration = text_of(p, "LaunchConfigurationName");
    g.launch_template.clear();
    g.launch_template_version.clear();
    const Value* lt = p.find("LaunchTemplate");
    if (lt == nullptr || !lt->is_map()) return;
    g.launch_template = text_of(*lt, "LaunchTemplateName", text_of(*lt, "LaunchTemplateId"));
    for (const auto& known : world.launch_templates)
        if (known.id == g.launch_template && !known.name.empty()) g.launch_template = known.name;
    g.launch_template_version = text_of(*lt, "Version", "$Default");
}

void reconcile_group(World& world, const SimStack& stack, const SimResource& r, const cfn::Resource& source, Resolver& resolver) {
    Value p = resolver.properties(source);
    SimAutoScalingGroup* g = find_group(world, r.physical_id);
    bool created = g == nullptr;
    if (created) {
        world.auto_scaling_groups.push_back({r.physical_id, stack.name, r.logical_id, 1, 1, 1, {}, "", "", "", ""});
        g = &world.auto_scaling_groups.back();
    }
    g->min_size = int_of(p, "MinSize", 1);
    g->max_size = int_of(p, "MaxSize", std::max(g->min_size, 1));
    g->desired_capacity = int_of(p, "DesiredCapacity", g->min_size);
    g->update_policy = update_policy_of(resolver.evaluator(), source);
    take_group_configuration(world, *g, p);
    std::string name = g->name;
    // CloudFormation leaves running instances on their old configuration unless an update
    // policy replaces them (a rolling update does so during the stack update: its time is in
    // extra_change_seconds).
    if (!created && !g->update_policy.empty()) {
        std::vector<std::string> old;
        for (const auto& id : g->instance_ids) {
            const SimInstance* i = find_instance(world, id);
            if (i != nullptr && !runs_current_configuration(*i, *g)) old.push_back(id);
        }
        for (const auto& id : old) terminate_instance(world, id);  // the group launches a replacement
        g = find_group(world, name);
    }
    while (static_cast<int>(g->instance_ids.size()) < g->desired_capacity) {
        launch_in_group(world, *g);
        g = find_group(world, name);
    }
    while (static_cast<int>(g->instance_ids.size()) > g->desired_capacity) {
        std::string id = g->instance_ids.front();
        std::erase(g->instance_ids, id);  // scale-in: terminated, not replaced
        terminate_instance(world, id);
        g = find_group(world, name);
    }
}

// ---- launch templates and services -------------------------------------------------------

void reconcile_launch_template(World& world, const SimStack& stack, const SimResource& r, const cfn::Resource& source,
                               Resolver& resolver) {
    Value p = resolver.properties(source);
    const Value* data = p.find("LaunchTemplateData");
    std::string print = fingerprint(data ? data->to_display() : "");
    for (auto& lt : world.launch_templates) {
        if (lt.id != r.physical_id) continue;
        if (lt.data != print) ++lt.version;  // a change of its data is a new version
        lt.data = print;
        lt.name = text_of(p, "LaunchTemplateName", lt.id);
        return;
    }
    world.launch_templates.push_back({r.physical_id, stack.name, r.logical_id, text_of(p, "LaunchTemplateName", r.physical_id), 1, print});
}

// The time of the resource's last event with this status in the stack, or now.
std::int64_t last_event_time(const World& world, const SimStack& stack, const std::string& logical_id, std::string_view status) {
    for (auto e = stack.events.rbegin(); e != stack.events.rend(); ++e)
        if (e->logical_id == logical_id && e->status == status) return e->timestamp_s;
    return world.clock_s;
}

void reconcile_service(World& world, const SimStack& stack, const SimResource& r, const cfn::Resource& source, Resolver& resolver) {
    Value p = resolver.properties(source);
    std::string cluster = text_of(p, "Cluster", "default");
    std::string task_definition = text_of(p, "TaskDefinition");
    int desired = int_of(p, "DesiredCount", 1);
    auto it = std::find_if(world.services.begin(), world.services.end(), [&](const SimService& s) { return s.arn == r.physical_id; });
    if (it == world.services.end()) {
        SimService s{r.physical_id, text_of(p, "ServiceName", r.physical_id), stack.name, r.logical_id, cluster, task_definition,
                     desired, desired, "COMPLETED", last_event_time(world, stack, r.logical_id, "CREATE_IN_PROGRESS"), world.clock_s,
                     "", 0, 0, 0};
        world.services.push_back(std::move(s));
        return;
    }
    // A changed task definition or count is a new deployment; CloudFormation waited for it to
    // settle (the resource's UPDATE_COMPLETE), so its tasks now run at the desired count.
    if (it->task_definition != task_definition || it->desired_count != desired || it->cluster != cluster) {
        it->deployment_started_s = last_event_time(world, stack, r.logical_id, "UPDATE_IN_PROGRESS");
        it->deployment_settled_s = world.clock_s;
    }
    it->cluster = cluster;
    it->task_definition = task_definition;
    it->desired_count = desired;
    it->running_count = desired;
    it->deployment = "COMPLETED";
    it->rollout_task_definition.clear();  // settled: it is the service's own now
}

// ---- the stack's instances and volumes ---------------------------------------------------

void reconcile_instance(World& world, const SimStack& stack, const SimResource& r, const cfn::Resource& source,
                        Resolver& resolver, bool created) {
    Value p = resolver.properties(source);
    SimInstance* i = find_instance(world, r.physical_id);
    if (i == nullptr || created) {
        if (i == nullptr) {
            // AWS::EC2::Instance's InstanceType defaults to m1.small.
            SimInstance made;
            made.id = r.physical_id;
            made.instance_type = "m1.small";
            made.stack = stack.name;
            made.logical_id = r.logical_id;
            world.instances.push_back(std::move(made));
            i = &world.instances.back();
        }
        i->launched_s = world.clock_s;
        take_launch_settings(*i, p);
        add_instance_volumes(world, *i, p);
        return;
    }
    take_launch_settings(*i, p);  // an update in place (a stop and start for a new type)
}

void reconcile_volume(World& world, const SimStack& stack, const SimResource& r, const cfn::Resource& source, Resolver& resolver) {
    Value p = resolver.properties(source);
    if (SimVolume* v = find_volume(world, r.physical_id)) {
        v->size_gb = int_of(p, "Size", v->size_gb);
        return;
    }
    world.volumes.push_back(make_volume(world, r.physical_id, stack.name, r.logical_id, int_of(p, "Size", 100), text_of(p, "SnapshotId")));
}

// Every VolumeAttachment of the stack attaches its volume to its instance (the instance a
// replaced one's attachment now names, so the same volume moves to the new instance).
void reconcile_attachments(World& world, const SimStack& stack, const cfn::Template& t, Resolver& resolver) {
    for (const auto& r : stack.resources) {
        if (r.type != "AWS::EC2::VolumeAttachment") continue;
        const cfn::Resource* source = t.resource(r.logical_id);
        if (source == nullptr) continue;
        Value p = resolver.properties(*source);
        SimVolume* v = find_volume(world, text_of(p, "VolumeId"));
        SimInstance* i = find_instance(world, text_of(p, "InstanceId"));
        if (v != nullptr && i != nullptr) attach(world, *v, *i, text_of(p, "Device"), r.physical_id);
    }
}

// The policy that decides what becomes of a resource the operation removed: the new template's
// UpdateReplacePolicy when it was replaced, else the DeletionPolicy it had.
std::string policy_of(const SimStack& stack, const SimResource& gone, const std::string& before_body) {
    bool replaced = std::any_of(stack.resources.begin(), stack.resources.end(),
                                [&](const SimResource& r) { return r.logical_id == gone.logical_id; });
    const std::string& body = replaced || before_body.empty() ? stack.template_body : before_body;
    auto t = cfn::parse_template(body, stack.name);
    const cfn::Resource* source = t ? t->resource(gone.logical_id) : nullptr;
    if (source == nullptr) return "";
    return replaced ? source->update_replace_policy : source->deletion_policy;
}

// A volume the stack no longer has: retained (detached, outside the stack), snapshotted then
// deleted, or deleted (its loss is in the operation's outcome).
void end_volume(World& world, const SimResource& gone, const std::string& policy) {
    SimVolume* v = find_volume(world, gone.physical_id);
    if (v == nullptr) return;
    detach(world, *v);
    if (policy == "Retain" || policy == "RetainExceptOnCreate") return;
    if (policy == "Snapshot") {
        std::string id = make_id("snap-0", v->id + "#policy#" + std::to_string(world.next_serial++), 16);
        world.snapshots.push_back({id, v->id, "Created by CloudFormation for " + gone.logical_id, world.clock_s,
                                   world.clock_s + 60 + v->size_gb, v->data});
    }
    std::erase_if(world.volumes, [&](const SimVolume& x) { return x.id == gone.physical_id; });
}

// Removes what the stack no longer has: instances terminate, volumes end as their policy says,
// groups end with their instances, services stop.
void remove_gone(World& world, const SimStack& stack, const std::vector<SimResource>& before, const std::string& before_body) {
    for (const auto& r : before) {
        if (has_id(stack.resources, r.physical_id)) continue;
        if (r.type == "AWS::EC2::Instance") terminate_instance(world, r.physical_id);
        if (r.type == "AWS::EC2::VolumeAttachment") {  // its volume stays, detached
            for (auto& v : world.volumes)
                if (v.attached_by == r.physical_id) detach(world, v);
        }
        if (r.type == "AWS::EC2::Volume") end_volume(world, r, policy_of(stack, r, before_body));
        if (r.type == "AWS::AutoScaling::AutoScalingGroup") {
            SimAutoScalingGroup* g = find_group(world, r.physical_id);
            std::vector<std::string> ids = g ? g->instance_ids : std::vector<std::string>{};
            std::erase_if(world.auto_scaling_groups, [&](const SimAutoScalingGroup& x) { return x.name == r.physical_id; });
            for (const auto& id : ids) terminate_instance(world, id);
        }
        if (r.type == "AWS::EC2::LaunchTemplate")
            std::erase_if(world.launch_templates, [&](const SimLaunchTemplate& x) { return x.id == r.physical_id; });
        if (r.type == "AWS::ECS::Service") std::erase_if(world.services, [&](const SimService& x) { return x.arn == r.physical_id; });
    }
}

bool is_unsettled(const World& world, const SimStack& stack, std::string_view logical_id) {
    return std::any_of(world.scenario.unsettled_services.begin(), world.scenario.unsettled_services.end(), [&](const UnsettledService& u) {
        return (u.stack == stack.name || u.stack == stack.template_id) && u.logical_id == logical_id;
    });
}

}  // namespace

cfn::Value resolved_properties(const World& world, const SimStack& stack, const cfn::Template& t, const cfn::Resource& r) {
    Resolver resolver(world, stack, t);
    return resolver.properties(r);
}

std::optional<std::string> named_physical_id(cfn::Evaluator& e, const cfn::Resource& r) {
    if (r.properties == nullptr) return std::nullopt;
    std::string_view key;
    if (r.type == "AWS::AutoScaling::AutoScalingGroup") key = "AutoScalingGroupName";
    else if (r.type == "AWS::RDS::DBCluster") key = "DBClusterIdentifier";
    else return std::nullopt;
    const Value* v = r.properties->find(key);
    if (v == nullptr) return std::nullopt;
    Value resolved = e.resolve(*v);
    if (!resolved.is_scalar() || resolved.is_null() || resolved.text().empty()) return std::nullopt;
    std::string name = resolved.text();
    if (r.type == "AWS::RDS::DBCluster")
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

void reconcile_machines(World& world, const SimStack& stack, const std::vector<SimResource>& before,
                        const std::string& before_body) {
    remove_gone(world, stack, before, before_body);
    if (stack.resources.empty()) return;
    auto t = cfn::parse_template(stack.template_body, stack.name);
    if (!t) return;
    Resolver resolver(world, stack, *t);
    // In dependency order: launch templates before groups (their version), volumes before the
    // instances that name them, attachments after both, services last.
    static const std::vector<std::string_view> order = {"AWS::EC2::LaunchTemplate", "AWS::EC2::Volume", "AWS::EC2::Instance",
                                                        "AWS::AutoScaling::AutoScalingGroup", "AWS::ECS::Service"};
    for (std::string_view type : order) {
        for (const auto& r : stack.resources) {
            const cfn::Resource* source = r.type == type ? t->resource(r.logical_id) : nullptr;
            if (source == nullptr) continue;
            if (type == "AWS::EC2::LaunchTemplate") reconcile_launch_template(world, stack, r, *source, resolver);
            else if (type == "AWS::EC2::Volume") reconcile_volume(world, stack, r, *source, resolver);
            else if (type == "AWS::EC2::Instance") reconcile_instance(world, stack, r, *source, resolver, !has_id(before, r.physical_id));
            else if (type == "AWS::AutoScaling::AutoScalingGroup") reconcile_group(world, stack, r, *source, resolver);
            else reconcile_service(world, stack, r, *source, resolver);
        }
        if (type == "AWS::EC2::Instance") reconcile_attachments(world, stack, *t, resolver);
    }
}

void terminate_instance(World& world, const std::string& id) {
    SimInstance* i = find_instance(world, id);
    if (i == nullptr || i->terminated_s) return;
    i->terminated_s = world.clock_s;
    std::vector<std::string> volumes = i->volume_ids;
    std::string stack = i->stack;
    std::string logical_id = i->logical_id;
    std::string group = i->auto_scaling_group;
    for (const auto& vid : volumes) {
        SimVolume* v = find_volume(world, vid);
        if (v == nullptr) continue;
        if (!v->delete_on_termination) {
            detach(world, *v);
            continue;
        }
        bool root = is_root_device(v->device);
        delete_volume(world, vid, {stack, logical_id, "AWS::EC2::Volume", vid,
                                   std::string(root ? "system disk " : "volume ") + v->device + " deleted with instance " + id,
                                   world.clock_s, root});
    }
    if (SimAutoScalingGroup* g = find_group(world, group); g != nullptr && std::count(g->instance_ids.begin(), g->instance_ids.end(), id)) {
        // The group sees an instance gone below its desired capacity and launches another, on
        // the group's current configuration: an instance refresh, one instance at a time.
        std::erase(g->instance_ids, id);
        if (static_cast<int>(g->instance_ids.size()) < g->desired_capacity) launch_in_group(world, *g);
    }
}

std::int64_t extra_change_seconds(const World& world, const SimStack& stack, const ResourceChange& change, const Outcome& outcome) {
    if (change.resource_type != "AWS::AutoScaling::AutoScalingGroup" || change.action != ChangeAction::modify) return 0;
    auto t = cfn::parse_template(outcome.template_body, stack.name);
    const cfn::Resource* source = t ? t->resource(change.logical_id) : nullptr;
    if (source == nullptr) return 0;
    cfn::ParameterValues values = world_parameter_values(world, {stack.name, stack.id, outcome.parameters, outcome.resources}, *t);
    cfn::Evaluator e(*t, &values);
    if (update_policy_of(e, *source) != "rolling") return 0;
    const Value* policy = source->node->find("UpdatePolicy")->find("AutoScalingRollingUpdate");
    int batch = std::max(1, int_of(policy && policy->is_map() ? e.resolve(*policy) : Value::map(), "MaxBatchSize", 1));
    int instances = 0;
    for (const auto& g : world.auto_scaling_groups)
        if (g.stack == stack.name && g.logical_id == change.logical_id) instances = static_cast<int>(g.instance_ids.size());
    int batches = (instances + batch - 1) / batch;
    return batches * instance_launch_seconds;
}

std::optional<FailingResource> unsettled_service_fault(const World& world, const SimStack& stack, const ResourceChange& change,
                                                       const Outcome& outcome) {
    if (change.resource_type != "AWS::ECS::Service" || change.action == ChangeAction::remove) return std::nullopt;
    if (!is_unsettled(world, stack, change.logical_id)) return std::nullopt;
    auto t = cfn::parse_template(outcome.template_body, stack.name);
    const cfn::Resource* source = t ? t->resource(change.logical_id) : nullptr;
    SimStack after = stack;
    after.parameters = outcome.parameters;
    after.resources = outcome.resources;
    Value p = source != nullptr && t ? resolved_properties(world, after, *t, *source) : Value::map();
    const Value* configuration = p.find("DeploymentConfiguration");
    const Value* breaker = configuration && configuration->is_map() ? configuration->find("DeploymentCircuitBreaker") : nullptr;
    FailingResource f{stack.name, change.logical_id, "", false, 0};
    if (breaker != nullptr && breaker->is_map() && bool_of(*breaker, "Enable", false)) {
        // ECS stops the deployment after its failed tasks reach the breaker's threshold.
        std::string token = make_id("", stack.name + "#" + change.logical_id + "#" + std::to_string(world.next_serial), 32);
        token = token.substr(0, 8) + "-" + token.substr(8, 4) + "-" + token.substr(12, 4) + "-" + token.substr(16, 4) + "-" + token.substr(20, 12);
        f.reason = std::string(circuit_breaker_reason) + token + ", HandlerErrorCode: GeneralServiceException)";
        return f;
    }
    std::string cluster = text_of(p, "Cluster", "default");
    if (auto slash = cluster.rfind('/'); slash != std::string::npos) cluster = cluster.substr(slash + 1);
    std::string name = text_of(p, "ServiceName", change.logical_id);
    f.reason = "Service arn:aws:ecs:" + world.region + ":" + world.account + ":service/" + cluster + "/" + name + " did not stabilize.";
    f.seconds = service_stabilize_timeout_s;
    return f;
}

void start_service_rollout(World& world, const SimStack& stack, const ResourceChange& change, const Outcome& outcome,
                           std::int64_t started_s, std::int64_t settles_s) {
    if (change.resource_type != "AWS::ECS::Service" || change.action != ChangeAction::modify) return;
    auto it = std::find_if(world.services.begin(), world.services.end(), [&](const SimService& s) { return s.arn == change.physical_id; });
    auto t = cfn::parse_template(outcome.template_body, stack.name);
    const cfn::Resource* source = t ? t->resource(change.logical_id) : nullptr;
    if (it == world.services.end() || source == nullptr) return;
    SimStack after = stack;  // the values and physical ids the operation gives
    after.parameters = outcome.parameters;
    after.resources = outcome.resources;
    Value p = resolved_properties(world, after, *t, *source);
    it->rollout_task_definition = text_of(p, "TaskDefinition");
    it->rollout_desired = int_of(p, "DesiredCount", 1);
    it->rollout_started_s = started_s;
    it->rollout_settles_s = settles_s;
    it->deployment = settles_s < 0 ? "FAILED" : "IN_PROGRESS";
}

void end_service_rollouts(World& world, const SimStack& stack) {
    for (auto& s : world.services) {
        if (s.stack != stack.name || s.rollout_task_definition.empty()) continue;
        if (s.rollout_settles_s >= 0) s.deployment = "COMPLETED";  // the rollback's deployment of the old revision
        s.rollout_task_definition.clear();
    }
}

int rollout_running(const SimService& s, std::int64_t now) {
    if (s.rollout_task_definition.empty() || s.rollout_settles_s < 0 || now <= s.rollout_started_s) return 0;
    if (now >= s.rollout_settles_s) return s.rollout_desired;
    std::int64_t span = std::max<std::int64_t>(s.rollout_settles_s - s.rollout_started_s, 1);
    return static_cast<int>((now - s.rollout_started_s) * s.rollout_desired / span);
}

std::optional<FailingResource> named_replacement_fault(const SimStack& stack, const ResourceChange& change,
                                                       const std::string& new_physical_id) {
    bool replaces = change.action == ChangeAction::modify && change.replacement == ChangeReplacement::yes;
    if (!replaces || new_physical_id.empty() || new_physical_id != change.physical_id) return std::nullopt;
    return FailingResource{stack.name, change.logical_id,
                           "CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename " +
                               new_physical_id + " and update the stack again.",
                           false, 1};
}

}  // namespace stackshift::cloud::sim
