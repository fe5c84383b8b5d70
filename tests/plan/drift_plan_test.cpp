// Drift the upgrade would overwrite: a resource changed out of band that a step modifies holds
// the plan until the values file acknowledges it; drift no step touches is only shown in the
// preflight; a deployment whose drift was never read says so there.

#include <nlohmann/json.hpp>

#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan_world.hpp"
#include "render/plan_render.hpp"

namespace stackshift::plan_test {
namespace {

using plan::StepKind;

const char* network_v1 = R"(Resources:
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
)";

// The upgrade opens a second port on the group and leaves the queue as it is.
const char* network_v2 = R"(Resources:
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
        - {IpProtocol: tcp, FromPort: 8443, ToPort: 8443, CidrIp: 10.0.0.0/8}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
)";

const char* group_drift = R"(drift:
  - {stack: acme-2-1-network, logicalId: SecurityGroup, property: "SecurityGroupIngress[0].CidrIp", actual: 0.0.0.0/0}
)";
const char* queue_drift = R"(drift:
  - {stack: acme-2-1-network, logicalId: Queue, property: VisibilityTimeout, actual: "60"}
)";

void network_world(World& w) {
    w.release("1.0.0", "2-1-network", network_v1);
    w.release("1.1.0", "2-1-network", network_v2);
    w.deploy(stack("2-1-network", "1.0.0"));
}

// The plan from the simulated world made of the deployment and the scenario, as
// `plan --backend sim:STATE` makes it.
plan::Plan plan_from_world(const World& w, const std::string& scenario_text) {
    auto r = w.request("1.0.0", "1.1.0");
    auto snapshot = inputs::load_deployment(r.deployment_path);
    EXPECT_TRUE(snapshot);
    auto scenario = cloud::sim::parse_scenario(scenario_text, "scenario.yaml");
    EXPECT_TRUE(scenario) << to_string(scenario.diagnostics());
    r.deployment = cloud::sim::world_to_deployment(cloud::sim::world_from_deployment(*snapshot, *scenario));
    r.deployment->version = "1.0.0";
    r.profile = "numbered-stacks";
    auto inputs = plan::load_plan_inputs(r);
    return plan::make_plan(inputs);
}

const plan::Input* input_of(const plan::Plan& p, const std::string& acknowledgement) {
    for (const auto& i : p.inputs)
        if (i.acknowledgement == acknowledgement) return &i;
    return nullptr;
}

std::string details(const plan::Step& s) {
    std::string out;
    for (const auto& d : s.details) out += d + "\n";
    return out;
}

TEST(DriftPlan, DriftOnAGroupTheUpgradeModifiesHoldsThePlan) {
    World w;
    network_world(w);
    auto p = plan_from_world(w, group_drift);
    EXPECT_TRUE(p.blocked());
    const auto* input = input_of(p, "drift:acme-2-1-network/SecurityGroup");
    ASSERT_NE(input, nullptr);
    EXPECT_EQ(input->stack, "acme-2-1-network");
    EXPECT_NE(input->why.find("/SecurityGroupIngress/0/CidrIp is '0.0.0.0/0', the template says '10.0.0.0/8'"), std::string::npos)
        << input->why;
    const auto& step = step_for(p, "acme-2-1-network");
    ASSERT_EQ(step.kind, StepKind::update_stack);
    EXPECT_NE(details(step).find("drift: SecurityGroup (AWS::EC2::SecurityGroup) was changed out of band: "
                                 "/SecurityGroupIngress/0/CidrIp is '0.0.0.0/0', the template says '10.0.0.0/8'; "
                                 "this step overwrites it with the template's values"),
              std::string::npos)
        << details(step);
    // Rendered with the step and among the inputs, in every format.
    EXPECT_NE(render::plan_text(p, false).find("acknowledge drift:acme-2-1-network/SecurityGroup"), std::string::npos);
    EXPECT_NE(render::plan_markdown(p).find("drift:acme-2-1-network/SecurityGroup"), std::string::npos);
    auto json = nlohmann::json::parse(render::plan_json(p));
    EXPECT_NE(json.dump().find("this step overwrites it with the template's values"), std::string::npos);
    EXPECT_NE(json.dump().find("\"acknowledge\":\"drift:acme-2-1-network/SecurityGroup\""), std::string::npos);
}

TEST(DriftPlan, AcknowledgedDriftLetsThePlanBeReady) {
    World w;
    network_world(w);
    w.values("acknowledge:\n  - drift:acme-2-1-network/SecurityGroup\n");
    auto p = plan_from_world(w, group_drift);
    EXPECT_FALSE(p.blocked());
    EXPECT_EQ(input_of(p, "drift:acme-2-1-network/SecurityGroup"), nullptr);
    EXPECT_NE(details(step_for(p, "acme-2-1-network")).find("(acknowledged: drift:acme-2-1-network/SecurityGroup)"), std::string::npos);
}

TEST(DriftPlan, DriftNoStepTouchesIsOnlyInThePreflight) {
    World w;
    network_world(w);
    auto p = plan_from_world(w, queue_drift);
    EXPECT_FALSE(p.blocked());
    EXPECT_EQ(details(step_for(p, "acme-2-1-network")).find("drift"), std::string::npos);
    const auto* preflight = p.hops.at(0).steps.empty() ? nullptr : &p.hops.at(0).steps.front();
    ASSERT_NE(preflight, nullptr);
    ASSERT_EQ(preflight->kind, StepKind::preflight);
    EXPECT_NE(details(*preflight).find("drift on acme-2-1-network: Queue (AWS::SQS::Queue) was changed out of band: "
                                       "/VisibilityTimeout is '60', the template says '30'; no step of the plan overwrites it"),
              std::string::npos)
        << details(*preflight);
}

TEST(DriftPlan, ASnapshotWithoutDriftSaysItWasNotChecked) {
    World w;
    network_world(w);
    auto p = w.plan("1.0.0", "1.1.0", {}, "numbered-stacks");
    EXPECT_FALSE(p.blocked());
    const auto& preflight = p.hops.at(0).steps.front();
    ASSERT_EQ(preflight.kind, StepKind::preflight);
    EXPECT_NE(details(preflight).find("drift not checked: take the snapshot with a recent stackshift, or plan from --backend "
                                      "(acme-2-1-network)"),
              std::string::npos)
        << details(preflight);
}

TEST(DriftPlan, AStackWhoseDriftCheckFailedHoldsThePlan) {
    World w;
    network_world(w);
    auto r = w.request("1.0.0", "1.1.0");
    auto snapshot = inputs::load_deployment(r.deployment_path);
    ASSERT_TRUE(snapshot);
    r.deployment = *snapshot;
    r.deployment->stacks[0].drift_check = cfn::DriftCheck::failed;
    r.deployment->stacks[0].drift_failure = "AccessDenied: not authorized to perform: cloudformation:DetectStackDrift";
    r.profile = "numbered-stacks";
    auto inputs = plan::load_plan_inputs(r);
    auto p = plan::make_plan(inputs);
    EXPECT_TRUE(p.blocked());
    ASSERT_NE(input_of(p, "drift:acme-2-1-network"), nullptr);
}

TEST(DriftPlan, AnAcknowledgementOfNoDriftIsBadInput) {
    World w;
    network_world(w);
    w.values("acknowledge:\n  - drift:acme-2-1-network/Queue\n");
    try {
        plan_from_world(w, group_drift);
        FAIL() << "an acknowledgement of drift that is not there was taken";
    } catch (const stackshift::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown acknowledgement 'drift:acme-2-1-network/Queue'"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace stackshift::plan_test
