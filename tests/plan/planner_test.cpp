// The planner's general rules on small worlds: order, skipped stacks, parameters, renames,
// stateful resources, preflight, procedures, new and removed templates.

#include "core/error.hpp"
#include "plan_world.hpp"
#include "render/plan_render.hpp"

namespace stackshift::plan_test {
namespace {

using plan::ParameterAction;
using plan::Risk;
using plan::StepKind;

const char* vpc = R"(AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CidrBlock: {Type: String, Default: 10.0.0.0/16}
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref CidrBlock}
)";

const char* queue_v1 = R"(Parameters:
  Retention: {Type: Number, Default: 345600}
  Tier:
    Type: String
    AllowedValues: [small, medium, large]
    Default: small
  OldName: {Type: String, Default: a}
  Legacy: {Type: String, Default: x}
  Secret: {Type: String, NoEcho: true}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: !Ref Retention
      Tags: [{Key: tier, Value: !Ref Tier}, {Key: name, Value: !Ref OldName}, {Key: legacy, Value: !Ref Legacy}]
)";

const char* queue_v2 = R"(Parameters:
  Retention: {Type: Number, Default: 345600}
  Tier:
    Type: String
    AllowedValues: [standard, premium]
    Default: standard
  NewName:
    Type: String
    AllowedValues: [alpha, beta]
    Default: alpha
  Secret: {Type: String, NoEcho: true}
  WithDefault: {Type: String, Default: on}
  WithoutDefault: {Type: String}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: !Ref Retention
      Tags:
        - {Key: tier, Value: !Ref Tier}
        - {Key: name, Value: !Ref NewName}
        - {Key: a, Value: !Ref WithDefault}
        - {Key: b, Value: !Ref WithoutDefault}
)";

const char* queue_changelog = R"(# Upgrading

## 3.15.0

### `3-1-queue`

- Renamed parameter `OldName` to `NewName`. Deployments that used value `a` should now choose `alpha`, deployments that used value `b` should now choose `beta`.
- Parameter `Tier` now takes `standard` or `premium`. Deployments that used value `small` should now choose `standard`.
- Removed parameter `Legacy`.
- Added parameter `WithDefault`.
)";

void queue_world(World& w) {
    w.releases({"3.14.2", "3.15.0"}, "1-1-vpc", vpc);
    w.release("3.14.2", "3-1-queue", queue_v1);
    w.release("3.15.0", "3-1-queue", queue_v2);
    w.changelog("3.15.0", queue_changelog);
    w.deploy(stack("1-1-vpc", "3.14.2", {{"CidrBlock", "10.0.0.0/16"}}));
    w.deploy(stack("3-1-queue", "3.14.2",
              {{"Retention", "600"}, {"Tier", "small"}, {"OldName", "b"}, {"Legacy", "y"}},
              {"Secret"}));
}

TEST(Planner, UnchangedStacksAreSkippedWithTheReason) {
    World w;
    queue_world(w);
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    const auto& s = step_for(p, "acme-1-1-vpc");
    EXPECT_EQ(s.kind, StepKind::skip_stack);
    EXPECT_NE(s.reason.find("no parameter changes"), std::string::npos) << s.reason;
    EXPECT_EQ(step_for(p, "acme-3-1-queue").kind, StepKind::update_stack);
}

TEST(Planner, EveryParameterGetsAnActionAndItsReason) {
    World w;
    queue_world(w);
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    const auto& s = step_for(p, "acme-3-1-queue");
    ASSERT_EQ(s.parameters.size(), 6u);  // every parameter of the target template

    EXPECT_EQ(parameter(s, "Retention").action, ParameterAction::keep);

    const auto& tier = parameter(s, "Tier");  // the current value is no longer allowed; the changelog maps it
    EXPECT_EQ(tier.action, ParameterAction::set);
    EXPECT_EQ(tier.value.value_or(""), "standard");
    EXPECT_NE(tier.why.find("UPGRADING.md"), std::string::npos) << tier.why;

    const auto& renamed = parameter(s, "NewName");  // renamed, value mapped
    EXPECT_EQ(renamed.action, ParameterAction::carry);
    EXPECT_EQ(renamed.carried_from, "OldName");
    EXPECT_EQ(renamed.value.value_or(""), "beta");

    const auto& secret = parameter(s, "Secret");  // NoEcho: kept, never read
    EXPECT_EQ(secret.action, ParameterAction::keep);
    EXPECT_FALSE(secret.value.has_value());

    EXPECT_EQ(parameter(s, "WithDefault").action, ParameterAction::use_default);
    EXPECT_EQ(parameter(s, "WithDefault").value.value_or(""), "on");
    EXPECT_EQ(parameter(s, "WithoutDefault").action, ParameterAction::needs_input);

    EXPECT_EQ(s.dropped_parameters, (std::vector<std::string>{"Legacy"}));
    ASSERT_EQ(p.inputs.size(), 1u);
    EXPECT_EQ(p.inputs[0].parameter, "WithoutDefault");
    EXPECT_EQ(p.inputs[0].stack, "acme-3-1-queue");
    EXPECT_TRUE(p.blocked());
}

TEST(Planner, AnInvalidCurrentValueWithoutAMappingNeedsInput) {
    World w;
    queue_world(w);
    w.changelog("3.15.0", "# Upgrading\n\n## 3.15.0\n\n### `3-1-queue`\n\n- Reworked the queue.\n");
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    const auto& tier = parameter(step_for(p, "acme-3-1-queue"), "Tier");
    EXPECT_EQ(tier.action, ParameterAction::needs_input);
    EXPECT_NE(tier.why.find("not one of the allowed values"), std::string::npos) << tier.why;
    // Without the rename in the changelog, the new parameter takes its default and the old one is dropped.
    EXPECT_EQ(parameter(step_for(p, "acme-3-1-queue"), "NewName").action, ParameterAction::use_default);
}

TEST(Planner, TheValuesFileSuppliesInputsAndIsValidated) {
    World w;
    queue_world(w);
    w.values("acme-3-1-queue:\n  WithoutDefault: given\n3-1-queue:\n  Tier: premium\n");
    auto p = w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
    const auto& s = step_for(p, "acme-3-1-queue");
    EXPECT_EQ(parameter(s, "WithoutDefault").action, ParameterAction::set);
    EXPECT_EQ(parameter(s, "Tier").value.value_or(""), "premium");  // by template id; beats the mapping
    EXPECT_TRUE(p.inputs.empty());
    EXPECT_FALSE(p.blocked());

    w.values("3-1-queue:\n  Tier: huge\n");
    try {
        (void)w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
        FAIL() << "an invalid value in the values file must be refused";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("values.yaml: acme-3-1-queue/Tier"), std::string::npos) << e.what();
    }
}

TEST(Planner, StacksAreUpdatedInTemplateNumberOrder) {
    World w;
    for (const auto* id : {"10-1-late", "2-4a-is-s3", "2-4-base", "1-1-vpc", "2-4b-routing-s3", "200-1-crypto"}) {
        std::string body = std::string("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: ") +
                           id + "}\n";
        w.release("1.0.0", id, body);
        w.release("1.1.0", id, body + "Outputs:\n  Name: {Value: x}\n");
        w.deploy(stack(id, "1.0.0", {}));
    }
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "update-stack:acme-1-1-vpc", "update-stack:acme-2-4-base",
                                                    "update-stack:acme-2-4a-is-s3", "update-stack:acme-2-4b-routing-s3",
                                                    "update-stack:acme-10-1-late", "update-stack:acme-200-1-crypto"}));
}

const char* volume_v1 = R"(Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 100, VolumeType: gp2}
)";

const char* volume_v2 = R"(Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1b, Size: 100, VolumeType: gp2}
)";

TEST(Planner, ReplacingAStatefulResourceIsADangerUntilAcknowledged) {
    World w;
    w.release("1.0.0", "2-9-data", volume_v1);
    w.release("1.1.0", "2-9-data", volume_v2);
    w.deploy(stack("2-9-data", "1.0.0", {}));
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "snapshot-volume:acme-2-9-data",
                                                    "update-stack:acme-2-9-data"}));
    const auto& update = step_for(p, "acme-2-9-data");
    EXPECT_EQ(update.risk, Risk::danger);
    ASSERT_EQ(update.resources.size(), 1u);
    EXPECT_EQ(update.resources[0].impact, cfn::Impact::will_replace);
    EXPECT_FALSE(update.resources[0].acknowledged);
    EXPECT_TRUE(p.has_unacknowledged_danger());
    EXPECT_TRUE(p.blocked());

    auto acknowledged = w.plan("1.0.0", "1.1.0", {"acme-2-9-data/Volume"}, "numbered-stacks");
    EXPECT_TRUE(step_for(acknowledged, "acme-2-9-data").resources[0].acknowledged);
    EXPECT_FALSE(acknowledged.blocked());
    // A wrong name acknowledges nothing: it is an error that lists what the plan endangers.
    try {
        (void)w.plan("1.0.0", "1.1.0", {"acme-2-9-data/Other"}, "numbered-stacks");
        FAIL() << "a wrong name was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "--allow-replace: 'acme-2-9-data/Other' names no resource this plan replaces "
                                         "or removes with its data; the plan endangers acme-2-9-data/Volume");
    }
}

// The snapshot step's reason cut the impact's name with substr(5): "would eplace Volume".
TEST(Planner, SnapshotReasonSaysWouldReplaceNotEplace) {
    World w;
    w.release("1.0.0", "2-9-data", volume_v1);
    w.release("1.1.0", "2-9-data", volume_v2);
    w.deploy(stack("2-9-data", "1.0.0", {}));
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    const auto* snapshot = find_step(p, StepKind::snapshot_volume, "acme-2-9-data");
    ASSERT_NE(snapshot, nullptr);
    ASSERT_EQ(snapshot->why.size(), 1u);
    EXPECT_EQ(snapshot->why[0], "the update would replace Volume: an EBS volume holds block data; replacing it creates "
                                "an empty volume unless SnapshotId names a snapshot");
}

TEST(Planner, PreflightFlagsCustomizedAndLeftBehindTemplates) {
    World w;
    w.releases({"1.0.0"}, "1-1-vpc", vpc);
    w.release("1.1.0", "1-1-vpc", std::string(vpc) + "Outputs:\n  Id: {Value: !Ref VPC}\n");
    w.release("1.2.0", "1-1-vpc", std::string(vpc) + "Outputs:\n  Id: {Value: !Ref VPC}\n  Cidr: {Value: x}\n");
    w.releases({"1.0.0", "1.1.0", "1.2.0"}, "1-2-other", volume_v1);
    w.release("1.0.0", "1-3-third", volume_v1);
    w.releases({"1.1.0", "1.2.0"}, "1-3-third", volume_v2);
    w.deploy(stack("1-1-vpc", "1.0.0"));  // left behind: the others run 1.1.0
    auto customized = stack("1-2-other", "1.0.0");
    customized.body = std::string(volume_v1) + "Outputs:\n  Mine: {Value: local}\n";
    w.deploy(customized);
    w.deploy(stack("1-3-third", "1.1.0"));
    w.release("1.0.0", "1-4-fourth", volume_v1);
    w.releases({"1.1.0", "1.2.0"}, "1-4-fourth", volume_v2);
    w.deploy(stack("1-4-fourth", "1.1.0"));
    auto p = w.plan("", "1.2.0", {}, "numbered-stacks");
    EXPECT_EQ(p.from.to_string(), "1.0.0");
    const auto& preflight = p.hops[0].steps[0];
    ASSERT_EQ(preflight.kind, StepKind::preflight);
    EXPECT_EQ(preflight.risk, Risk::caution);
    std::string details;
    for (const auto& d : preflight.details) details += d + "\n";
    EXPECT_NE(details.find("acme-1-1-vpc: runs the 1.0.0 template of 1-1-vpc, left behind of the deployment's 1.1.0; "
                           "planned from 1.0.0"),
              std::string::npos) << details;
    EXPECT_NE(details.find("acme-1-2-other: the deployed template is no release's template of 1-2-other: it was "
                           "customized; nearest: the template of 1.0.0, 1.1.0, 1.2.0"),
              std::string::npos) << details;
}

TEST(Planner, AStackInABadStateStopsThePlan) {
    World w;
    queue_world(w);
    auto broken = stack("9-9-broken", "3.14.2");
    broken.status = "UPDATE_ROLLBACK_FAILED";
    broken.body = vpc;
    w.deploy(broken);
    try {
        (void)w.plan("3.14.2", "3.15.0", {}, "numbered-stacks");
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("acme-9-9-broken (UPDATE_ROLLBACK_FAILED)"), std::string::npos) << e.what();
        EXPECT_EQ(e.code(), ExitCode::bad_input);
    }
}

TEST(Planner, UnknownTargetVersionListsTheKnownOnes) {
    World w;
    queue_world(w);
    try {
        (void)w.plan("3.14.2", "3.16.0", {}, "numbered-stacks");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("3.14.2, 3.15.0"), std::string::npos) << e.what();
    }
}

TEST(Planner, ARenamedTemplateKeepsItsStackAndTakesTheNewPlace) {
    World w;
    const char* proxy = "Resources:\n  Proxy:\n    Type: AWS::SNS::Topic\n";
    w.release("3.29.0", "5-5-ecs-proxy", proxy);
    w.release("3.29.0", "5-6-ecs-other", vpc);
    w.release("3.30.0", "5-7-ecs-ingress-proxy", std::string(proxy) + "Outputs:\n  X: {Value: y}\n");
    w.release("3.30.0", "5-6-ecs-other", vpc);
    w.changelog("3.30.0", "# Upgrading\n\n## 3.30.0\n\n### `5-7-ecs-ingress-proxy`\n\n"
                          "- Renamed template `5-5-ecs-proxy` to `5-7-ecs-ingress-proxy`.\n");
    w.deploy(stack("5-5-ecs-proxy", "3.29.0", {}));
    w.deploy(stack("5-6-ecs-other", "3.29.0", {}));
    auto p = w.plan("3.29.0", "3.30.0", {}, "numbered-stacks");
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "skip-stack:acme-5-6-ecs-other",
                                                    "update-stack:acme-5-5-ecs-proxy"}));
    const auto& s = step_for(p, "acme-5-5-ecs-proxy");
    EXPECT_EQ(s.template_id, "5-7-ecs-ingress-proxy");
    EXPECT_NE(joined_why(s).find("template renamed from 5-5-ecs-proxy to 5-7-ecs-ingress-proxy"), std::string::npos)
        << joined_why(s);
}

TEST(Planner, NewAndRemovedTemplatesBecomeDeployAndDeleteSteps) {
    World w;
    w.release("1.0.0", "1-1-vpc", vpc);
    w.release("1.0.0", "4-1-old", volume_v1);
    w.release("1.1.0", "1-1-vpc", vpc);
    w.release("1.1.0", "2-6-limits", "Parameters:\n  Limit: {Type: Number}\nResources:\n  T: {Type: AWS::SNS::Topic}\n");
    w.changelog("1.1.0", "# Upgrading\n\n## 1.1.0\n\n### `2-6-limits`\n\n- Added new template `2-6-limits`.\n\n"
                         "### `4-1-old`\n\n- Removed template `4-1-old`. Undeploy its stack.\n");
    w.deploy(stack("1-1-vpc", "1.0.0", {}));
    w.deploy(stack("4-1-old", "1.0.0", {}));
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    EXPECT_EQ(outline(p), (std::vector<std::string>{"preflight", "skip-stack:acme-1-1-vpc", "deploy-stack:acme-2-6-limits",
                                                    "delete-stack:acme-4-1-old"}));
    const auto& deploy = step_for(p, "acme-2-6-limits");
    EXPECT_FALSE(deploy.automated);
    EXPECT_EQ(parameter(deploy, "Limit").action, ParameterAction::needs_input);
    const auto& remove = step_for(p, "acme-4-1-old");
    EXPECT_FALSE(remove.automated);
    EXPECT_EQ(remove.risk, Risk::danger);  // it holds a volume
    ASSERT_EQ(remove.resources.size(), 1u);
    EXPECT_EQ(remove.resources[0].logical_id, "Volume");
    EXPECT_TRUE(p.has_unacknowledged_danger());
}

TEST(Planner, UpgradeProceduresBecomeManualStepsAtTheirPlace) {
    World w;
    w.release("1.0.0", "1-1-vpc", vpc);
    w.release("1.0.0", "3-1-queue", queue_v1);
    w.release("1.1.0", "1-1-vpc", vpc);
    w.release("1.1.0", "3-1-queue", queue_v1);
    w.changelog("1.1.0", "# Upgrading\n\n## 1.1.0\n\n### Upgrade procedure\n\n1. Back up everything.\n"
                         "2. Tell the users.\n");
    w.deploy(stack("1-1-vpc", "1.0.0", {}));
    w.deploy(stack("3-1-queue", "1.0.0", {}, {"Secret"}));
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    ASSERT_GE(p.hops[0].steps.size(), 2u);
    const auto& procedure = p.hops[0].steps[1];
    EXPECT_EQ(procedure.kind, StepKind::manual);
    EXPECT_FALSE(procedure.automated);
    ASSERT_EQ(procedure.details.size(), 2u);
    EXPECT_EQ(procedure.details[0], "1. Back up everything.");
}

}  // namespace
}  // namespace stackshift::plan_test

namespace stackshift::plan_test {
namespace {

TEST(Planner, NoEchoValuesAndDefaultsAreNeverWritten) {
    World w;
    const char* v1 = "Parameters:\n  Password: {Type: String, NoEcho: true}\nResources:\n  T: {Type: AWS::SNS::Topic}\n";
    const char* v2 = "Parameters:\n  Password: {Type: String, NoEcho: true}\n  Token: {Type: String, NoEcho: true, "
                     "Default: s3cr3t-default}\nResources:\n  T: {Type: AWS::SNS::Topic}\n";
    w.release("1.0.0", "4-1-secrets", v1);
    w.release("1.1.0", "4-1-secrets", v2);
    w.changelog("1.1.0", "# Upgrading\n\n## 1.1.0\n\n### `4-1-secrets`\n\n- Added parameter `Token`.\n");
    w.deploy(stack("4-1-secrets", "1.0.0", {}, {"Password"}));
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    const auto& s = step_for(p, "acme-4-1-secrets");
    EXPECT_EQ(parameter(s, "Token").action, ParameterAction::use_default);
    EXPECT_FALSE(parameter(s, "Token").value.has_value());
    EXPECT_EQ(parameter(s, "Password").action, ParameterAction::keep);
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0].find("s3cr3t"), std::string::npos) << p.warnings[0];
    for (const auto& text : {render::plan_json(p), render::plan_text(p, false), render::plan_markdown(p)})
        EXPECT_EQ(text.find("s3cr3t"), std::string::npos) << text;
}

TEST(Planner, AnOptionalTemplatesConditionReadsAsOneSentence) {
    World w;
    const char* cluster = "Resources:\n  Cluster: {Type: AWS::ECS::Cluster}\n";
    w.releases({"3.29.0", "3.30.0"}, "5-1-ecs-cluster", cluster);
    w.release("3.30.0", "5-6-ecs-noc", cluster);
    w.changelog("3.30.0", "# Upgrading\n\n## 3.30.0\n\n### `5-6-ecs-noc`\n\n- New template for the Network Operations "
                          "Center. Deploy it only if you use the Network Operations Center, after `2-5-db-timescale`.\n");
    w.deploy(stack("5-1-ecs-cluster", "3.29.0"));
    auto p = w.plan("3.29.0", "3.30.0");
    const auto* offer = find_step(p, plan::StepKind::manual, "acme-5-6-ecs-noc");
    ASSERT_NE(offer, nullptr);
    EXPECT_EQ(offer->details.at(0),
              "deploy it only if you use the Network Operations Center, after `2-5-db-timescale`");
}

}  // namespace
}  // namespace stackshift::plan_test
