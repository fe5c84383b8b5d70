#pragma once
// Finding the profile's roles (profile::Role) in a template: the resource of the role's type
// that the role's relation singles out, whatever its logical id. A role that no resource, or
// more than one, fits is not guessed: the caller holds the plan and asks.

#include <string>
#include <vector>

#include "cfn/template.hpp"
#include "profile/profile.hpp"

namespace stackshift::plan {

struct RoleMatch {
    enum class Status { found, missing, ambiguous };
    Status status = Status::missing;
    std::string logical_id;               // found
    std::vector<std::string> candidates;  // ambiguous: every resource that fits
};

RoleMatch find_role(const profile::Profile& profile, const profile::Role& role, const cfn::Template& body);

// Whether the instance mounts the volume: through an AWS::EC2::VolumeAttachment whose InstanceId
// and VolumeId refer to them, or through the instance's own Volumes property.
bool mounts(const cfn::Template& body, std::string_view instance, std::string_view volume);

// What settles a role that was not found: "role 'x' (AWS::EC2::Volume mounted by role 'y'): no
// resource of template T fits; ..." for a plan input.
std::string role_question(const profile::Role& role, const RoleMatch& match, std::string_view template_id,
                          std::string_view profile_file);

}  // namespace stackshift::plan
