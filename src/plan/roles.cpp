#include "plan/roles.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "plan/planning.hpp"

namespace stackshift::plan {

namespace {

// The logical id a `{"Ref": X}` names; empty for anything else.
std::string ref_of(const cfn::Value* value) {
    if (value == nullptr || !value->is_map()) return {};
    const cfn::Value* ref = value->find("Ref");
    return ref != nullptr && ref->is_scalar() ? ref->text() : std::string();
}

std::vector<std::string> of_type(const cfn::Template& body, std::string_view type) {
    std::vector<std::string> out;
    for (const auto& r : body.resources)
        if (r.type == type) out.push_back(r.logical_id);
    return out;
}

}  // namespace

bool mounts(const cfn::Template& body, std::string_view instance, std::string_view volume) {
    for (const auto& r : body.resources) {
        if (r.type != "AWS::EC2::VolumeAttachment" || r.properties == nullptr) continue;
        if (ref_of(r.properties->find("InstanceId")) == instance && ref_of(r.properties->find("VolumeId")) == volume)
            return true;
    }
    const cfn::Resource* machine = body.resource(instance);
    const cfn::Value* volumes = machine && machine->properties ? machine->properties->find("Volumes") : nullptr;
    if (volumes == nullptr || !volumes->is_list()) return false;
    return std::any_of(volumes->items().begin(), volumes->items().end(),
                       [&](const cfn::Value& v) { return v.is_map() && ref_of(v.find("VolumeId")) == volume; });
}

RoleMatch find_role(const profile::Profile& profile, const profile::Role& role, const cfn::Template& body) {
    std::vector<std::string> candidates = of_type(body, role.type);
    const profile::Role* other = role.relation == profile::RoleRelation::none ? nullptr : profile.role(role.related);
    if (other) {
        // The related role's resources by type only: a relation is checked from one side.
        std::vector<std::string> partners = of_type(body, other->type);
        std::erase_if(candidates, [&](const std::string& c) {
            return std::none_of(partners.begin(), partners.end(), [&](const std::string& p) {
                return role.relation == profile::RoleRelation::mounted_by ? mounts(body, p, c) : mounts(body, c, p);
            });
        });
    }
    RoleMatch match;
    if (candidates.size() == 1) {
        match.status = RoleMatch::Status::found;
        match.logical_id = candidates.front();
    } else if (candidates.size() > 1) {
        match.status = RoleMatch::Status::ambiguous;
        match.candidates = std::move(candidates);
    }
    return match;
}

std::string role_question(const profile::Role& role, const RoleMatch& match, std::string_view template_id,
                          std::string_view profile_file) {
    std::string what = role.type;
    if (role.relation == profile::RoleRelation::mounted_by) what += " mounted by role '" + role.related + "'";
    if (role.relation == profile::RoleRelation::mounts) what += " that mounts role '" + role.related + "'";
    std::string found = match.status == RoleMatch::Status::ambiguous
                            ? "several resources of template " + std::string(template_id) + " fit (" +
                                  join(match.candidates, ", ") + ")"
                            : "no resource of template " + std::string(template_id) + " fits";
    return "role '" + role.name + "' (" + what + "): " + found + "; the plan does not guess which resource holds it. "
           "Fix the role in " + std::string(profile_file) + " (its type or relation) or the template, then plan again";
}

std::vector<const profile::Role*> roles_of(const HopContext& hop, const StackPlan& plan) {
    std::vector<const profile::Role*> out;
    for (const auto& role : hop.inputs.profile.roles) {
        std::string id = hop.inputs.changelog ? hop.inputs.changelog->canonical(role.template_id) : role.template_id;
        bool same = role.template_id == plan.old_id || role.template_id == plan.target_id || id == plan.old_id ||
                    id == plan.target_id ||
                    (hop.inputs.changelog && hop.inputs.changelog->name_in(id, hop.to) == plan.target_id);
        if (same) out.push_back(&role);
    }
    return out;
}

namespace {

void ask(HopContext& hop, Input input) {
    bool asked = std::any_of(hop.plan.inputs.begin(), hop.plan.inputs.end(), [&](const Input& i) {
        return i.stack == input.stack && i.template_id == input.template_id && i.role == input.role &&
               i.parameter == input.parameter;
    });
    if (!asked) hop.plan.inputs.push_back(std::move(input));
}

}  // namespace

std::optional<std::string> role_logical_id(HopContext& hop, const StackPlan& plan, const profile::Role& role,
                                           const cfn::Template& body, std::string_view template_id) {
    RoleMatch match = find_role(hop.inputs.profile, role, body);
    if (match.status == RoleMatch::Status::found) return match.logical_id;
    ask(hop, {plan.stack, std::string(template_id), "", role_question(role, match, template_id, hop.inputs.profile.file),
              {}, role.name});
    return std::nullopt;
}

const profile::Role* required_role(HopContext& hop, const StackPlan& plan, std::string_view name) {
    if (const profile::Role* role = hop.inputs.profile.role(name)) return role;
    ask(hop, {plan.stack, plan.target_id, "",
              "the profile " + hop.inputs.profile.file + " declares no role '" + std::string(name) +
                  "', which the plan needs to find that resource in " + plan.target_id + "; declare it under roles:",
              {}, std::string(name)});
    return nullptr;
}

}  // namespace stackshift::plan
