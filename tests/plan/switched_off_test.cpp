// What an earlier run left switched off (PlanInputs::switched_off, from the journal): the
// timescale rule switches the storage integration back on in the stack's update or, when the
// stack is not updated, in a parameter-only update of its own; and the steps of the vendor's
// procedure are marked as switching it off and on, for the journal.

#include "plan/fingerprint.hpp"
#include "plan_world.hpp"

namespace stackshift::plan_test {
namespace {

using plan::ParameterAction;
using plan::StepKind;

std::string timescale_body(const std::string& ami) {
    return R"(Parameters:
  InstanceType: {Type: String, Default: m5.large}
Mappings:
  RegionMap:
    eu-west-1: {AMI: )" + ami + R"(}
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [RegionMap, !Ref "AWS::Region", AMI]
      InstanceType: !Ref InstanceType
      AvailabilityZone: eu-west-1a
  Volume:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 100}
  VolumeAttachment:
    Type: AWS::EC2::VolumeAttachment
    Properties: {Device: /dev/xvdf, InstanceId: !Ref Instance, VolumeId: !Ref Volume}
)";
}

std::string ecs_body(const std::string& image) {
    return R"(Parameters:
  Image: {Type: String, Default: )" + image + R"(}
  ApplicationServerStorageEnabled: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: ttes, Image: !Ref Image, Environment: [{Name: STORAGE, Value: !Ref ApplicationServerStorageEnabled}]}
)";
}

std::string image(const std::string& v) { return "docker.io/thethingsindustries/lorawan-stack:" + v + "-aws"; }

// The world a run left when it failed after updating 2-5-db-timescale: the timescale stack at
// 3.15.0, the two services stacks still at `services_at` with the storage integration off.
void half_done(World& w, const std::string& services_at) {
    for (const auto* v : {"3.14.2", "3.15.0"}) {
        w.release(v, "5-2-ecs-ops", ecs_body(image(v)));
        w.release(v, "5-4-ecs-services", ecs_body(image(v)));
    }
    w.release("3.14.2", "2-5-db-timescale", timescale_body("ami-1"));
    w.release("3.15.0", "2-5-db-timescale", timescale_body("ami-2"));
    for (const auto* id : {"5-2-ecs-ops", "5-4-ecs-services"})
        w.deploy(stack(id, services_at, {{"Image", image(services_at)}, {"ApplicationServerStorageEnabled", "false"}}));
    w.deploy(stack("2-5-db-timescale", "3.15.0", {{"InstanceType", "m5.large"}}));
    // A stack the run did not reach.
    for (const auto* v : {"3.14.2", "3.15.0"}) w.release(v, "5-5-ecs-proxy", ecs_body(image(v)));
    w.deploy(stack("5-5-ecs-proxy", "3.14.2", {{"Image", image("3.14.2")}, {"ApplicationServerStorageEnabled", "true"}}));
}

const std::vector<plan::SwitchedOff> left_off{
    {"storage-integration", "acme-5-2-ecs-ops", 1, "h1-02-set-parameters-5-2-ecs-ops-storage-off"},
    {"storage-integration", "acme-5-4-ecs-services", 1, "h1-03-set-parameters-5-4-ecs-services-storage-off"},
};

plan::Plan plan_with(const World& w, const std::string& from, const std::string& to,
                     const std::vector<plan::SwitchedOff>& switched_off) {
    auto r = w.request(from, to);
    r.switched_off = switched_off;
    auto inputs = plan::load_plan_inputs(r);
    return plan::make_plan(inputs);
}

TEST(SwitchedOff, AStackLeftOffIsSwitchedBackOnInItsUpdateNamingTheRunAndStep) {
    World w;
    half_done(w, "3.14.2");
    auto p = plan_with(w, "3.14.2", "3.15.0", left_off);
    for (std::size_t i = 0; i < left_off.size(); ++i) {
        const auto& update = step_for(p, left_off[i].stack);
        EXPECT_EQ(update.kind, StepKind::update_stack) << left_off[i].stack;
        const auto& on = parameter(update, "ApplicationServerStorageEnabled");
        EXPECT_EQ(on.action, ParameterAction::set);
        EXPECT_EQ(on.value.value_or(""), "true");
        EXPECT_EQ(on.why, "storage integration back on: run 1 switched it off at step " + left_off[i].step +
                              " and no later step switched it back on (journal)");
        EXPECT_EQ(update.switches_on, "storage-integration");
        EXPECT_EQ(update.switches_off, "");
    }
    // The plan itself does not switch it off again: 2-5-db-timescale is done.
    for (const auto& s : p.hops[0].steps) EXPECT_EQ(s.switches_off, "") << s.id;
}

// Without the journal's word, the same world keeps the integration off: the bug this fixes.
TEST(SwitchedOff, WithoutTheJournalTheStorageStaysOff) {
    World w;
    half_done(w, "3.14.2");
    auto p = plan_with(w, "3.14.2", "3.15.0", {});
    for (const auto& off : left_off) {
        EXPECT_EQ(parameter(step_for(p, off.stack), "ApplicationServerStorageEnabled").action, ParameterAction::keep);
        EXPECT_EQ(step_for(p, off.stack).switches_on, "");
    }
}

// The services stacks were updated already (the run failed later): nothing else changes them,
// so a parameter-only update with the deployed template switches the integration back on.
TEST(SwitchedOff, AStackNotUpdatedGetsAParameterOnlyUpdate) {
    World w;
    half_done(w, "3.15.0");
    auto p = plan_with(w, "3.15.0", "3.15.0", {left_off[1]});
    const plan::Step* found = find_step(p, StepKind::set_parameters, "acme-5-4-ecs-services");
    ASSERT_NE(found, nullptr) << ::testing::PrintToString(outline(p));
    const plan::Step& on = *found;
    EXPECT_TRUE(on.previous_template);
    EXPECT_EQ(parameter(on, "ApplicationServerStorageEnabled").value.value_or(""), "true");
    EXPECT_EQ(on.switches_on, "storage-integration");
    // Only what the journal names.
    for (const auto& s : p.hops[0].steps)
        if (s.stack == "acme-5-2-ecs-ops") {
            EXPECT_EQ(s.switches_on, "") << s.id;
            if (!s.parameters.empty()) {
                EXPECT_EQ(parameter(s, "ApplicationServerStorageEnabled").action, ParameterAction::keep) << s.id;
            }
        }
}

// A stack the journal names that the deployment no longer has: a person is asked to do it.
TEST(SwitchedOff, AStackThePlanCannotUpdateGetsAManualStep) {
    World w;
    half_done(w, "3.15.0");
    auto p = plan_with(w, "3.15.0", "3.15.0", {{"storage-integration", "acme-5-9-gone", 4, "h1-05-manual-storage-off"}});
    const plan::Step* manual = find_step(p, StepKind::manual, "acme-5-9-gone");
    ASSERT_NE(manual, nullptr) << ::testing::PrintToString(outline(p));
    EXPECT_FALSE(manual->automated);
    EXPECT_EQ(manual->title, "Turn the storage integration back on on acme-5-9-gone by hand");
    EXPECT_EQ(manual->switches_on, "storage-integration");
    EXPECT_EQ(manual->why, (std::vector<std::string>{"run 4 switched it off at step h1-05-manual-storage-off and no later "
                                                     "step switched it back on (journal)"}));
}

// The vendor's procedure marks its own steps: the switch-offs and the updates that switch back on.
TEST(SwitchedOff, TheProcedureMarksTheStepsThatSwitchOffAndBackOn) {
    World w;
    for (const auto* v : {"3.14.2", "3.15.0"}) {
        w.release(v, "5-2-ecs-ops", ecs_body(image(v)));
        w.release(v, "5-4-ecs-services", ecs_body(image(v)));
    }
    w.release("3.14.2", "2-5-db-timescale", timescale_body("ami-1"));
    w.release("3.15.0", "2-5-db-timescale", timescale_body("ami-2") + "Outputs:\n  DNSName: {Value: x}\n");
    for (const auto* id : {"5-2-ecs-ops", "5-4-ecs-services"})
        w.deploy(stack(id, "3.14.2", {{"Image", image("3.14.2")}, {"ApplicationServerStorageEnabled", "true"}}));
    w.deploy(stack("2-5-db-timescale", "3.14.2", {{"InstanceType", "m5.large"}}));
    // A switch-off the journal names is switched back on by the procedure itself.
    auto p = plan_with(w, "3.14.2", "3.15.0", left_off);
    std::vector<std::string> marked;
    for (const auto& s : p.hops[0].steps) {
        if (!s.switches_off.empty()) marked.push_back("off " + s.id + " " + s.switches_off);
        if (!s.switches_on.empty()) marked.push_back("on " + s.id + " " + s.switches_on);
    }
    EXPECT_EQ(marked, (std::vector<std::string>{
                          "off h1-02-set-parameters-5-2-ecs-ops-storage-off storage-integration",
                          "off h1-03-set-parameters-5-4-ecs-services-storage-off storage-integration",
                          "on h1-07-update-stack-5-2-ecs-ops storage-integration",
                          "on h1-08-update-stack-5-4-ecs-services storage-integration",
                      }));
    EXPECT_NE(parameter(step_for(p, "acme-5-2-ecs-ops"), "ApplicationServerStorageEnabled").why.find("vendor procedure"),
              std::string::npos);
}

// A run resumes only under its plan: a step that switches something off or on is another plan.
TEST(SwitchedOff, TheSwitchesArePartOfThePlansIdentity) {
    plan::Plan p;
    p.hops.push_back({*Version::parse("3.14.2"), *Version::parse("3.15.0"), {}});
    plan::Step step;
    step.id = "h1-02-set-parameters-5-2-ecs-ops-storage-off";
    step.kind = StepKind::set_parameters;
    p.hops[0].steps.push_back(step);
    std::string plain = plan::plan_fingerprint(p);
    p.hops[0].steps[0].switches_off = "storage-integration";
    std::string off = plan::plan_fingerprint(p);
    p.hops[0].steps[0].switches_off.clear();
    p.hops[0].steps[0].switches_on = "storage-integration";
    std::string on = plan::plan_fingerprint(p);
    EXPECT_NE(plain, off);
    EXPECT_NE(plain, on);
    EXPECT_NE(off, on);
}

}  // namespace
}  // namespace stackshift::plan_test
