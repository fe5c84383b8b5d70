// The product profiles: the bundled ones load, and each question the planner asks of them.

#include "profile/image_tag.hpp"
#include "profile/profile.hpp"
#include "test_support.hpp"

namespace stackshift::profile {
namespace {

Profile tts() {
    auto p = builtin_profile("the-things-stack-ecs");
    if (!p) throw std::runtime_error(to_string(p.diagnostics()));
    return std::move(p).value();
}

TEST(Profile, BundledProfilesLoad) {
    EXPECT_EQ(builtin_profile_names(), (std::vector<std::string>{"numbered-stacks", "the-things-stack-ecs"}));
    for (const auto& name : builtin_profile_names()) {
        auto p = builtin_profile(name);
        EXPECT_TRUE(p.ok()) << name << ": " << (p ? "" : to_string(p.diagnostics()));
    }
    auto file = load_profile(testing::source_path("profiles/the-things-stack-ecs.yaml"));
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->name, "the-things-stack-ecs");
}

TEST(Profile, TheThingsStackFacts) {
    Profile p = tts();
    ASSERT_TRUE(p.migrations);
    EXPECT_EQ(p.migrations->after_stack, "5-2-ecs-ops");
    EXPECT_EQ(p.migrations->task_arguments_output, "OpsRunTaskArguments");
    EXPECT_EQ(p.migrations->task_arguments,
              (std::vector<std::string>{"task_definition", "cluster", "subnet_one", "subnet_two", "security_group"}));
    using profile::TaskArgument;
    EXPECT_EQ(p.migrations->task_fields, (std::vector<TaskArgument>{TaskArgument::task_definition, TaskArgument::cluster,
                                                                     TaskArgument::subnet, TaskArgument::subnet,
                                                                     TaskArgument::security_group}));
    EXPECT_EQ(p.migrations->container, "ttes");
    EXPECT_EQ(p.migrations->launch_type, "FARGATE");
    EXPECT_EQ(p.migrations->command_for("is-db"), (std::vector<std::string>{"tti-lw-stack", "is-db", "migrate"}));
    ASSERT_EQ(p.waypoints.size(), 1u);
    EXPECT_EQ(p.waypoints[0].version.to_string(), "3.19.2");
    EXPECT_EQ(p.waypoints[0].database, "is-db");
    auto volume = std::find_if(p.stateful.begin(), p.stateful.end(), [](const StatefulResource& r) { return r.template_id == "2-5-db-timescale"; });
    ASSERT_NE(volume, p.stateful.end());
    EXPECT_EQ(volume->role, "timescale-volume");
    EXPECT_EQ(volume->type, "AWS::EC2::Volume");
    EXPECT_TRUE(p.has_rule("timescale-update"));
}

// The resources that matter are named by role, never by logical id.
TEST(Profile, TheThingsStackRoles) {
    Profile p = tts();
    std::vector<std::string> names;
    for (const auto& r : p.roles) names.push_back(r.name);
    EXPECT_EQ(names, (std::vector<std::string>{"timescale-volume", "timescale-machine", "aurora-cluster",
                                               "ops-task-definition", "cluster-machines"}));
    const Role* volume = p.role("timescale-volume");
    ASSERT_NE(volume, nullptr);
    EXPECT_EQ(volume->template_id, "2-5-db-timescale");
    EXPECT_EQ(volume->type, "AWS::EC2::Volume");
    EXPECT_EQ(volume->relation, RoleRelation::mounted_by);
    EXPECT_EQ(volume->related, "timescale-machine");
    EXPECT_EQ(p.role("timescale-machine")->relation, RoleRelation::mounts);
    EXPECT_EQ(p.role("aurora-cluster")->backup, RoleBackup::before_migrations);
    EXPECT_EQ(p.role("aurora-cluster")->type, "AWS::RDS::DBCluster");
    EXPECT_EQ(p.role("ops-task-definition")->template_id, "5-2-ecs-ops");
    EXPECT_EQ(p.role("cluster-machines")->type, "AWS::AutoScaling::AutoScalingGroup");
    for (const auto& s : p.stateful) EXPECT_TRUE(s.role.empty() || p.role(s.role)) << s.role;
    EXPECT_TRUE(builtin_profile("numbered-stacks")->roles.empty());
}

TEST(Profile, StackNamesMapToTemplateIds) {
    Profile p = tts();
    EXPECT_EQ(p.template_for_stack("acme-prod-2-5-db-timescale"), "2-5-db-timescale");
    EXPECT_EQ(p.template_for_stack("acme-1-2-bastion"), "1-2-bastion");
    EXPECT_EQ(p.template_for_stack("1-1-vpc"), "1-1-vpc");
    EXPECT_EQ(p.template_for_stack("acme-prod-200-1-crypto"), "200-1-crypto");
    EXPECT_EQ(p.template_for_stack("no-template-here"), std::nullopt);
    // A prefix with numbers in it: the known templates decide.
    std::vector<std::string> known{"1-1-vpc", "2-5-db-timescale"};
    EXPECT_EQ(p.template_for_stack("env-10-1-1-vpc", known), "1-1-vpc");
    EXPECT_EQ(p.template_for_stack("env-10-1-1-vpc"), "10-1-1-vpc");
    p.stack_overrides["legacy-timescale"] = "2-5-db-timescale";
    EXPECT_EQ(p.template_for_stack("legacy-timescale"), "2-5-db-timescale");
}

TEST(Profile, ImageParametersByNameAndByValue) {
    Profile p = tts();
    EXPECT_TRUE(p.is_image_parameter("5-2-ecs-ops", "OpsImage", "anything"));
    EXPECT_TRUE(p.is_image_parameter("5-4-ecs-services", "Stack", "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws"));
    EXPECT_FALSE(p.is_image_parameter("5-4-ecs-services", "Stack", "docker.io/library/nginx:1.25"));
    EXPECT_FALSE(p.is_image_parameter("2-5-db-timescale", "OpsImage", "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws"));
    Profile generic = std::move(builtin_profile("numbered-stacks")).value();
    EXPECT_FALSE(generic.is_image_parameter("5-2-ecs-ops", "OpsImage", "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws"));
    EXPECT_FALSE(generic.migrations.has_value());
    EXPECT_EQ(generic.template_for_stack("shop-3-1-queues"), "3-1-queues");
}

TEST(ImageTag, TheSuffixIsKept) {
    Version to = *Version::parse("3.15.2");
    EXPECT_EQ(retag_image("docker.io/thethingsindustries/lorawan-stack:3.14.2-aws", to),
              "docker.io/thethingsindustries/lorawan-stack:3.15.2-aws");
    EXPECT_EQ(retag_image("thethingsindustries/lorawan-stack:3.14.2", to), "thethingsindustries/lorawan-stack:3.15.2");
    EXPECT_EQ(retag_image("registry.local:5000/tts/lorawan-stack:v3.14.2-aws-fips", to), "registry.local:5000/tts/lorawan-stack:v3.15.2-aws-fips");
    EXPECT_EQ(retag_image("ghcr.io/thethingsindustries/lorawan-stack-noc-grafana:3.27.2", to),
              "ghcr.io/thethingsindustries/lorawan-stack-noc-grafana:3.15.2");
}

TEST(ImageTag, WhatCannotBeRetagged) {
    Version to = *Version::parse("3.15.2");
    EXPECT_EQ(retag_image("docker.io/thethingsindustries/lorawan-stack:latest", to), std::nullopt);
    EXPECT_EQ(retag_image("docker.io/thethingsindustries/lorawan-stack@sha256:abcd", to), std::nullopt);
    EXPECT_EQ(retag_image("docker.io/thethingsindustries/lorawan-stack", to), std::nullopt);
    EXPECT_EQ(retag_image("not an image", to), std::nullopt);
    auto ref = ImageReference::parse("registry.local:5000/tts/stack:3.14.2-aws");
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->repository, "registry.local:5000/tts/stack");
    EXPECT_EQ(ref->suffix, "-aws");
}

// The problems of a profile file with this text, each line with "P" for the file's path.
std::string profile_errors(const std::string& text) {
    testing::TempDir dir;
    std::string path = dir.write("p.yaml", text);
    auto p = load_profile(path);
    if (p) return "(no error)";
    std::string out = to_string(p.diagnostics());
    for (auto at = out.find(path); at != std::string::npos; at = out.find(path, at + 1)) out.replace(at, path.size(), "P");
    return out;
}

TEST(ProfileErrors, EveryProblemWithItsPlace) {
    EXPECT_EQ(profile_errors("format: stackshift-profile/1\nname: x\nimage:\n  repositories: []\n"
                             "waypoints:\n  - {version: three, database: is-db}\n"
                             "migrations:\n  after_stack: 5-2-ecs-ops\n  container: ttes\n  command: [tti-lw-stack, migrate]\n"),
              "P:3:1: profile: unknown key 'image' (did you mean 'images'?)\n"
              "P:10:12: migrations.command must name the database as {database}\n"
              "P:6:5: waypoint: 'three' is not a version such as 3.19.2 or 3.24");
}

TEST(ProfileErrors, AnUnknownTaskArgumentIsAnErrorAtItsPlace) {
    EXPECT_EQ(profile_errors("format: stackshift-profile/1\nname: x\n"
                             "migrations:\n  after_stack: 5-2-ecs-ops\n  container: ttes\n  command: [m, '{database}']\n"
                             "  task_arguments_output: Args\n  task_arguments: [task_definition, clustr, subnet_one]\n"),
              "P:8:37: migrations.task_arguments: unknown field 'clustr' (did you mean 'cluster'?); the fields are "
              "task_definition, cluster, subnet, subnet_one, subnet_two, subnet_three, security_group, security_group_two");
    EXPECT_EQ(profile_errors("format: stackshift-profile/1\nname: x\n"
                             "migrations:\n  after_stack: 5-2-ecs-ops\n  container: ttes\n  command: [m, '{database}']\n"
                             "  task_arguments_output: Args\n  task_arguments: [task_definition, subnet_one]\n"),
              "P:8:19: migrations.task_arguments must name a cluster field: ECS cannot start a task without one");
}

TEST(Profile, FeaturesAreFoundByTheirPhrases) {
    Profile p = tts();
    const Feature* storage = p.feature_in("If you use the Application Server Storage Integration, this requires ...");
    ASSERT_NE(storage, nullptr);
    EXPECT_EQ(storage->name, "storage integration");
    ASSERT_EQ(storage->parameters.size(), 2u);
    EXPECT_EQ(storage->parameters[0].template_id, "5-2-ecs-ops");
    EXPECT_EQ(storage->parameters[0].parameter, "ApplicationServerStorageEnabled");
    EXPECT_EQ(storage->parameters[0].on, "true");
    const Feature* noc = p.feature_in("if you deploy the Network Operations Center");
    ASSERT_NE(noc, nullptr);
    EXPECT_EQ(noc->name, "Network Operations Center");
    EXPECT_EQ(p.feature_in("If you use the LoRa Cloud Device & Application Services package"), nullptr);
}

TEST(ProfileErrors, FeaturesAreValidatedWithTheirPlace) {
    EXPECT_EQ(profile_errors("format: stackshift-profile/1\nname: x\nfeatures:\n"
                             "  - {name: storage, phrases: [storage], parameters: [{template: ops, parameter: P, on: x}]}\n"
                             "  - {name: noc, phrase: [noc], parameters: []}\n"),
              "P:4:54: feature 'storage': template 'ops' is not a template id such as 5-2-ecs-ops\n"
              "P:5:17: feature: unknown key 'phrase' (did you mean 'phrases'?)\n"
              "P:5:5: feature: each entry needs a name and phrases, e.g. name: storage integration\n"
              "P:5:44: feature 'noc': parameters must list {template, parameter, on}, e.g. {template: "
              "5-2-ecs-ops, parameter: ApplicationServerStorageEnabled, on: \"true\"}");
}

TEST(ProfileErrors, RolesAreCheckedWithTheirPlaces) {
    testing::TempDir dir;
    std::string path = dir.write("p.yaml",
                                 "format: stackshift-profile/1\nname: x\nroles:\n"
                                 "  - {name: data, template: 2-5-db, type: AWS::EC2::Volume, mounted_by: machin, why: w}\n"
                                 "  - {name: machine, template: 2-5-db, type: AWS::EC2::Volume, mounts: data, why: w}\n"
                                 "  - {name: db, template: two, type: RDS, backup: daily, why: w}\n"
                                 "  - {name: data, template: 2-5-db, type: AWS::EC2::Volume, why: w}\n"
                                 "  - {template: 2-1-db}\n"
                                 "stateful:\n  - {role: dta, why: w}\n  - {role: db, type: AWS::S3::Bucket, why: w}\n");
    auto p = load_profile(path);
    ASSERT_FALSE(p);
    EXPECT_EQ(to_string(p.diagnostics()),
              path + ":5:71: roles.machine: mounts needs type AWS::EC2::Instance, not 'AWS::EC2::Volume'\n" +
              path + ":6:26: roles.db: 'two' is not a template id such as 2-5-db-timescale\n" +
              path + ":6:37: roles.db: 'RDS' is not a resource type such as AWS::EC2::Volume\n" +
              path + ":6:50: roles.db: unknown backup 'daily'; the one known is before-migrations\n" +
              path + ":7:12: roles: 'data' is declared twice\n" +
              path + ":8:5: roles: each entry needs name, template, type and why\n" +
              path + ":4:5: roles.data: mounted_by names unknown role 'machin' (did you mean 'machine'?); declared "
                     "roles are data, machine, db\n" +
              path + ":10:12: stateful: unknown role 'dta' (did you mean 'data'?); declared roles are data, machine, db\n" +
              path + ":11:5: stateful: role 'db' is RDS of two; drop template and type, the role says them");
}

TEST(ProfileErrors, OnlyAClusterIsBackedUpBeforeMigrations) {
    testing::TempDir dir;
    std::string path = dir.write("p.yaml", "format: stackshift-profile/1\nname: x\nroles:\n"
                                           "  - {name: data, template: 2-5-db, type: AWS::EC2::Volume, backup: before-migrations, why: w}\n");
    auto p = load_profile(path);
    ASSERT_FALSE(p);
    EXPECT_EQ(to_string(p.diagnostics()), path + ":4:68: roles.data: backup before-migrations takes an Aurora cluster "
                                                 "snapshot; 'AWS::EC2::Volume' is not an AWS::RDS::DBCluster");
}

TEST(ProfileErrors, UnknownBundledProfile) {
    auto p = find_profile("the-things-stack");
    ASSERT_FALSE(p);
    EXPECT_EQ(to_string(p.diagnostics()),
              "unknown profile 'the-things-stack' (did you mean 'the-things-stack-ecs'?); bundled profiles are numbered-stacks, "
              "the-things-stack-ecs, or give the "
              "path of a profile file");
}

}  // namespace
}  // namespace stackshift::profile
