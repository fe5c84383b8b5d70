#pragma once
// Profile: what is special about one product, as data, so that the engine stays generic:
// how stack names map to template ids, which parameters hold Docker images and how their
// tags follow the version, which resources hold the product's data, how and when database
// migrations run, the versions an upgrade must pass through, and the planner rules that apply.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/version.hpp"
#include "profile/task_argument.hpp"

namespace stackshift::profile {

// How a role's resource is told apart from others of its type in the same template.
enum class RoleRelation {
    none,        // the one resource of the type in the template
    mounted_by,  // an AWS::EC2::Volume that the instance of the related role mounts
    mounts,      // an AWS::EC2::Instance that mounts the volume of the related role
};

std::string_view role_relation_name(RoleRelation relation);  // "mounted_by", "mounts"

// What a role's resource needs before a risk to the product's data.
enum class RoleBackup {
    none,
    before_migrations,  // a snapshot before the first database migration of each hop
};

// A resource that matters to the product, named by what it is rather than by its logical id:
// the planner finds it in each release's template by its type and relation.
struct Role {
    std::string name;         // "timescale-volume"
    std::string template_id;  // the template that makes it, as the profile knows it
    std::string type;         // "AWS::EC2::Volume"
    RoleRelation relation = RoleRelation::none;
    std::string related;      // the other role of the relation
    RoleBackup backup = RoleBackup::none;
    std::string why;
    // An auto-scaling group's role: the MinHealthyPercentage its instance refresh keeps in
    // service (0..100); unset, a plan that refreshes the group asks for it.
    std::optional<int> min_healthy_percentage = std::nullopt;
};

// A resource that holds the product's data: every resource of `type` in the template, or the
// resource of a role.
struct StatefulResource {
    std::string template_id;
    std::string role;  // empty: every resource of the type in that template
    std::string type;
    std::string why;
};

// How to run a migration: as an ECS task described by a stack output.
struct MigrationRun {
    std::string after_stack;                  // template id: migrations run right after it
    std::string task_arguments_output;        // "OpsRunTaskArguments"
    std::vector<std::string> task_arguments;  // names of the output's space-separated fields
    std::string launch_type;                  // "FARGATE"
    std::string container;                    // "ttes"
    std::vector<std::string> command;         // with "{database}" to fill in
    std::vector<std::string> init_command;
    // task_arguments read: what each field of the output fills in the RunTask request.
    std::vector<TaskArgument> task_fields = {};

    // The command for one database: {"tti-lw-stack", "is-db", "migrate"}.
    std::vector<std::string> command_for(std::string_view database) const;
};

struct Waypoint {
    VersionSpec version;
    std::string database;
    std::string why;
    std::string source;
};

// A deployment parameter that tells whether a feature is on: on when its value is `on`.
struct FeatureParameter {
    std::string template_id;
    std::string parameter;
    std::string on = "true";
};

// An optional part of the product that release notes make work conditional on ("if you use the
// Application Server storage integration"), and the parameters that say whether a deployment
// uses it, so that the planner decides such work instead of asking.
struct Feature {
    std::string name;                  // "storage integration"
    std::vector<std::string> phrases;  // lowercase, as the notes write it: "storage integration"
    std::vector<FeatureParameter> parameters;
};

struct Profile {
    std::string name;
    std::string description;
    std::string file;  // where it was read from
    std::map<std::string, std::string, std::less<>> stack_overrides;  // stack name -> template id
    std::vector<std::string> image_parameter_patterns;  // ECMAScript regular expressions, whole name
    std::vector<std::string> image_repositories;
    std::vector<std::string> image_templates;  // template id globs ("5-*")
    std::vector<Role> roles;
    std::vector<StatefulResource> stateful;
    std::optional<MigrationRun> migrations;
    std::vector<Waypoint> waypoints;
    std::vector<std::string> rules;
    std::vector<Feature> features;

    // The template id of a stack: an override, else the longest "-<template id>" suffix of
    // the name, preferring ids in `known` (the release's templates) when given.
    std::optional<std::string> template_for_stack(std::string_view stack_name,
                                                  std::span<const std::string> known = {}) const;

    // Whether a parameter holds a Docker image of the product, by its name or its value.
    bool is_image_parameter(std::string_view template_id, std::string_view parameter, std::string_view value) const;

    bool has_rule(std::string_view rule) const;
    const Role* role(std::string_view role_name) const;

    // The feature a sentence speaks of, by its phrases (case-insensitive); null when none.
    const Feature* feature_in(std::string_view sentence) const;
};

// Reads a profile file (YAML or JSON); every problem is reported with file:line:column.
Result<Profile> load_profile(const std::string& path);

// A profile bundled with stackshift, by name ("the-things-stack-ecs", "numbered-stacks").
Result<Profile> builtin_profile(std::string_view name);

// The names of the bundled profiles.
std::vector<std::string> builtin_profile_names();

// Reads a profile by bundled name or by path.
Result<Profile> find_profile(std::string_view name_or_path);

}  // namespace stackshift::profile
