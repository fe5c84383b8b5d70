// What an update does to a simulated stack: the change set's resource changes, computed with
// the project's template diff, and the stack as it will be afterwards (resources with their
// physical ids, parameters, data lost).

#include <algorithm>
#include <optional>
#include <set>

#include "cfn/evaluator.hpp"
#include "cfn/property_diff.hpp"
#include "cfn/stateful_types.hpp"
#include "cfn/template.hpp"
#include "cfn/template_diff.hpp"
#include "cloud/sim/change_details.hpp"
#include "cloud/sim/machines.hpp"
#include "cloud/sim/stack_operation.hpp"
#include "cloud/sim/task_definitions.hpp"
#include "cloud/sim/world_values.hpp"

namespace stackshift::cloud::sim {

namespace {

cfn::Template parse_or_throw(const std::string& body, const std::string& name) {
    auto t = cfn::parse_template(body, name);
    if (!t) throw CloudError("ValidationError", "Template format error: " + to_string(t.diagnostics()));
    return std::move(t).value();
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// An id in the shape AWS gives resources of this type.
std::string physical_id(const std::string& stack, const std::string& logical_id, std::string_view type,
                        const std::string& generation) {
    std::string seed = stack + "/" + logical_id + "/" + generation;
    if (type == "AWS::EC2::Instance") return make_id("i-0", seed, 16);
    if (type == "AWS::EC2::Volume") return make_id("vol-0", seed, 16);
    if (type == "AWS::EC2::SecurityGroup") return make_id("sg-0", seed, 16);
    if (type == "AWS::EC2::Subnet") return make_id("subnet-0", seed, 16);
    if (type == "AWS::EC2::VPC") return make_id("vpc-0", seed, 16);
    if (type == "AWS::EC2::LaunchTemplate") return make_id("lt-0", seed, 17);
    if (type == "AWS::RDS::DBCluster") {  // RDS keeps identifiers lower-cased
        std::string id = stack + "-" + logical_id + "-" + make_id("", seed, 12);
        std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return id;
    }
    return stack + "-" + logical_id + "-" + upper(make_id("", seed, 12));
}

// The id a new resource gets: a task definition is the next revision of its family, as ECS
// registers it; a resource its template names has that name; anything else an id in its type's shape.
std::string new_physical_id(const std::string& stack, const cfn::Resource& r, cfn::Evaluator& e,
                            TaskDefinitionArns& arns, const std::string& generation) {
    if (r.type == "AWS::ECS::TaskDefinition") return arns.next(task_definition_family(stack, r, e));
    if (auto named = named_physical_id(e, r)) return *named;  // AutoScalingGroupName, DBClusterIdentifier
    return physical_id(stack, r.logical_id, r.type, generation);
}

bool keeps_data(const std::string& policy) { return policy == "Retain" || policy == "RetainExceptOnCreate" || policy == "Snapshot"; }

const SimResource* find_resource(const SimStack& stack, std::string_view logical_id) {
    for (const auto& r : stack.resources) {
        if (r.logical_id == logical_id) return &r;
    }
    return nullptr;
}

// What a resource's change set entry says: how far its change goes, where, and why.
struct Modification {
    cfn::Impact impact = cfn::Impact::no_change;
    cfn::ChangeScopes scopes;
    std::vector<ResourceChangeDetail> details = {};
};

using Modifications = std::map<std::string, Modification>;

// Records a change to `id`; true when it makes the resource's impact worse.
bool note(Modifications& modifications, const std::string& id, cfn::Impact impact, std::optional<cfn::ChangeScope> scope) {
    auto [it, inserted] = modifications.try_emplace(id, Modification{impact, {}});
    if (scope) it->second.scopes.add(*scope);
    if (inserted) return true;
    if (!(it->second.impact < impact)) return false;
    it->second.impact = impact;
    return true;
}

// A Modify always names a scope: a type change (the one change without a property) counts
// as its properties.
ChangeScopes modify_scopes(ChangeScopes scopes) {
    if (scopes.empty()) scopes.add(ChangeScope::properties);
    return scopes;
}

ChangeReplacement replacement_of(cfn::Impact impact) {
    if (impact == cfn::Impact::will_replace) return ChangeReplacement::yes;
    if (impact == cfn::Impact::may_replace) return ChangeReplacement::conditional;
    return ChangeReplacement::no;
}

// Whether the template diff (under one set of values) already has the change at `path`, or
// one around or inside it: then the template's text changed there, not only a value.
bool in_diff(const cfn::TemplateDiff& diff, const std::string& logical_id, const std::string& path) {
    const cfn::ResourceDiff* d = diff.resource(logical_id);
    if (d == nullptr) return false;
    auto inside = [](const std::string& outer, const std::string& inner) {
        return inner == outer || inner.starts_with(outer + ".") || inner.starts_with(outer + "[");
    };
    return std::any_of(d->properties.begin(), d->properties.end(), [&](const cfn::PropertyDiff& p) {
        return !p.is_attribute() && (inside(p.path, path) || inside(path, p.path));
    });
}

// The details of the changes the template diff found in a resource.
std::vector<ResourceChangeDetail> diff_details(const cfn::ResourceDiff& d) {
    std::vector<ResourceChangeDetail> out;
    for (const auto& p : d.properties)
        if (auto detail = diff_detail(p)) add_detail(out, std::move(*detail));
    return out;
}

// Resources whose resolved properties differ because a parameter value changed, which a
// diff of the two template texts under one set of values cannot see.
void add_value_changes(const cfn::Template& old_t, const cfn::Template& new_t, const cfn::ParameterValues& old_v,
                       const cfn::ParameterValues& new_v, const cfn::TemplateDiff& diff, Modifications& impacts) {
    cfn::Evaluator old_e(old_t, &old_v);
    cfn::Evaluator new_e(new_t, &new_v);
    for (const auto& b : new_t.resources) {
        const cfn::Resource* a = old_t.resource(b.logical_id);
        if (a == nullptr || a->type != b.type) continue;
        cfn::Value empty = cfn::Value::map();
        cfn::Value before = a->properties ? old_e.resolve(*a->properties) : empty;
        cfn::Value after = b.properties ? new_e.resolve(*b.properties) : empty;
        std::vector<cfn::PropertyDiff> properties;
        cfn::diff_properties(b.type, before, after, old_t, new_t, properties);
        for (const auto& p : properties) {
            note(impacts, b.logical_id, p.impact, p.scope());
            if (in_diff(diff, b.logical_id, p.path)) continue;  // a DirectModification, listed already
            for (auto& detail : parameter_details(new_t, b, p, old_v, new_v)) add_detail(impacts[b.logical_id].details, std::move(detail));
        }
    }
}

// A resource that refers to a replaced one (Ref, Fn::GetAtt, ${X}) sees a new value: it
// is updated too, and replaced when the referring property replaces.
void propagate_replacements(const cfn::Template& new_t, Modifications& impacts) {
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& r : new_t.resources) {
            if (r.properties == nullptr) continue;
            std::vector<cfn::Reference> references;
            cfn::collect_references(*r.properties, references);
            for (const auto& ref : references) {
                auto target = impacts.find(ref.target);
                if (target == impacts.end() || target->second.impact != cfn::Impact::will_replace) continue;
                cfn::Replacement replacement = cfn::Replacement::never;
                cfn::Impact impact = cfn::property_impact(r.type, ref.segments, true, replacement);
                bool tags = !ref.segments.empty() && ref.segments.front() == "Tags";
                if (note(impacts, r.logical_id, impact, tags ? cfn::ChangeScope::tags : cfn::ChangeScope::properties))
                    changed = true;
                add_detail(impacts[r.logical_id].details, reference_detail(ref, replacement));
            }
        }
    }
}

}  // namespace

std::vector<SimResource> initial_resources(const World& world, const std::string& stack_name, const std::string& body,
                                           const StringMap& parameters) {
    cfn::Template t = parse_or_throw(body, stack_name);
    const std::string no_id;  // a stack being created has no id yet for its template to see
    const std::vector<SimResource> none;
    cfn::ParameterValues values = world_parameter_values(world, {stack_name, no_id, parameters, none}, t);
    cfn::Evaluator e(t, &values);
    TaskDefinitionArns arns(world);
    std::vector<SimResource> out;
    for (const auto& r : t.resources) {
        if (e.exists(r.condition) == cfn::Tri::no) continue;
        out.push_back({r.logical_id, r.type, new_physical_id(stack_name, r, e, arns, "0"), "CREATE_COMPLETE"});
    }
    return out;
}

Update compute_update(World& world, const SimStack& stack, const std::string& new_body, const StringMap& new_parameters) {
    cfn::Template old_t = parse_or_throw(stack.template_body, stack.name);
    cfn::Template new_t = parse_or_throw(new_body, stack.name);
    cfn::ParameterValues old_v = world_parameter_values(world, view_of(stack), old_t);
    cfn::ParameterValues new_v = world_parameter_values(world, {stack.name, stack.id, new_parameters, stack.resources}, new_t);

    // The template diff names what is added, removed and modified; values add the rest.
    cfn::TemplateDiff diff = cfn::diff_templates(old_t, new_t, &new_v);
    std::set<std::string> added;
    std::set<std::string> removed;
    Modifications impacts;
    for (const auto& d : diff.resources) {
        if (d.change == cfn::ResourceChange::added || d.change == cfn::ResourceChange::renamed_from) added.insert(d.logical_id);
        else if (d.change == cfn::ResourceChange::removed || d.change == cfn::ResourceChange::renamed_to) removed.insert(d.logical_id);
        else impacts[d.logical_id] = {d.impact, d.scopes, diff_details(d)};
    }
    add_value_changes(old_t, new_t, old_v, new_v, diff, impacts);
    propagate_replacements(new_t, impacts);

    cfn::Evaluator new_e(new_t, &new_v);  // for the names and families resources give themselves
    Update u;
    u.template_changes = !diff.empty();
    Outcome& o = u.outcome;
    o.template_body = new_body;
    o.parameters = new_parameters;
    std::string generation = std::to_string(world.next_serial++);
    TaskDefinitionArns arns(world);
    for (const auto& r : new_t.resources) {
        const SimResource* before = find_resource(stack, r.logical_id);
        if (added.count(r.logical_id) != 0 || (before == nullptr && removed.count(r.logical_id) == 0 && impacts.count(r.logical_id) != 0)) {
            std::string id = new_physical_id(stack.name, r, new_e, arns, generation);
            u.changes.push_back({r.logical_id, "", r.type, ChangeAction::add, ChangeReplacement::no, {}});
            o.resources.push_back({r.logical_id, r.type, id, "CREATE_COMPLETE"});
            continue;
        }
        if (before == nullptr || removed.count(r.logical_id) != 0) continue;
        SimResource after = *before;
        auto impact = impacts.find(r.logical_id);
        // Metadata, a policy or Tags alone is a Modify like any other: CloudFormation updates
        // the resource (an AWS::CloudFormation::Init change reaches the machine through it).
        if (impact != impacts.end() && impact->second.impact != cfn::Impact::no_change) {
            ChangeReplacement replacement = replacement_of(impact->second.impact);
            if (before->type != r.type) replacement = ChangeReplacement::yes;
            u.changes.push_back({r.logical_id, before->physical_id, r.type, ChangeAction::modify, replacement,
                                 modify_scopes(impact->second.scopes), policy_action_of(ChangeAction::modify, replacement, &r),
                                 impact->second.details});
            after.type = r.type;
            after.status = "UPDATE_COMPLETE";
            if (replacement == ChangeReplacement::yes) {
                after.physical_id = new_physical_id(stack.name, r, new_e, arns, generation);
                o.replaced_ids.emplace_back(before->physical_id, after.physical_id);
                if (cfn::find_stateful_type(before->type) && !keeps_data(r.update_replace_policy)) {
                    o.data_lost.push_back({stack.name, r.logical_id, before->type, before->physical_id, "replaced", 0});
                }
            }
        }
        o.resources.push_back(std::move(after));
    }
    for (const auto& before : stack.resources) {
        const cfn::Resource* now = new_t.resource(before.logical_id);
        if (now != nullptr && removed.count(before.logical_id) == 0) continue;
        const cfn::Resource* was = old_t.resource(before.logical_id);
        u.changes.push_back({before.logical_id, before.physical_id, before.type, ChangeAction::remove, ChangeReplacement::no, {},
                             policy_action_of(ChangeAction::remove, ChangeReplacement::no, was)});
        if (cfn::find_stateful_type(before.type) && !(was && keeps_data(was->deletion_policy))) {
            o.data_lost.push_back({stack.name, before.logical_id, before.type, before.physical_id, "deleted", 0});
        }
    }
    return u;
}

std::int64_t resource_seconds(const Scenario& scenario, std::string_view type) {
    if (auto it = scenario.durations.find(type); it != scenario.durations.end()) return it->second;
    static const std::map<std::string_view, std::int64_t> table = {
        {"AWS::AutoScaling::AutoScalingGroup", 300}, {"AWS::AutoScaling::LaunchConfiguration", 5},
        {"AWS::EC2::Instance", 120},                 {"AWS::EC2::Volume", 30},
        {"AWS::EC2::NatGateway", 120},               {"AWS::ECS::Cluster", 20},
        {"AWS::ECS::Service", 240},                  {"AWS::ECS::TaskDefinition", 5},
        {"AWS::ElastiCache::ReplicationGroup", 900}, {"AWS::ElasticLoadBalancingV2::LoadBalancer", 180},
        {"AWS::IAM::InstanceProfile", 120},          {"AWS::IAM::Role", 30},
        {"AWS::Lambda::Function", 20},               {"AWS::RDS::DBCluster", 900},
        {"AWS::RDS::DBInstance", 900},               {"AWS::SecretsManager::Secret", 5},
    };
    if (auto it = table.find(type); it != table.end()) return it->second;
    return 10;
}

}  // namespace stackshift::cloud::sim
