// A rehearsal in process: the example's plan run in full in an in-memory world, the verdict it
// gives, a refused call carried with AWS's code, and data the plan did not acknowledge turning
// a run that went through into a failure (fail closed).

#include <algorithm>
#include <functional>

#include "apply/rehearsal.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::source_path;

struct Rehearsed {
    plan::Plan plan;
    cloud::sim::SimCloud sim;
};

// The example planned to `to`; the world is made from the deployment as `edit` leaves it (the
// deployment as it really is, where the plan saw a snapshot).
Rehearsed planned(const std::string& to, const cloud::sim::Scenario& scenario = {},
                  const std::function<void(cfn::Deployment&)>& edit = {}) {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment);
    plan::PlanRequest request;
    request.deployment = *deployment;
    request.deployment_path = "acme-prod-3.14.2.json";
    request.releases_path = source_path("examples/releases");
    request.to = to;
    request.values_path = source_path(to == "3.15.1" ? "examples/values-3.15.1.yaml" : "examples/values-3.30.2.yaml");
    request.allow_replace = {"acme-prod-2-5-db-timescale/Volume"};
    if (to != "3.15.1") request.allow_replace.push_back("acme-prod-4-1-secrets/InteropTLSSecret");
    plan::PlanInputs inputs = plan::load_plan_inputs(request);
    plan::Plan p = plan::make_plan(inputs);
    EXPECT_FALSE(p.blocked());
    if (edit) edit(inputs.deployment);
    return {std::move(p), cloud::sim::SimCloud(cloud::sim::world_from_deployment(inputs.deployment, scenario))};
}

plan::Rehearsal rehearse(Rehearsed& r, const std::string& template_bucket = {}) {
    apply::RehearsalOptions options;
    options.template_bucket = template_bucket;
    options.container = "ttes";
    options.world = [&r] {
        apply::WorldFacts facts;
        for (const auto& [operation, count] : r.sim.world().api_calls) facts.api_calls[operation] = count;
        for (const auto& d : r.sim.world().data_lost) facts.data_lost.push_back({d.stack, d.logical_id, d.type, d.cause, false, d.system_disk});
        return facts;
    };
    return apply::rehearse(r.plan, plan::plan_fingerprint(r.plan), r.sim, options);
}

TEST(Rehearsal, TheExampleTo3151WouldSucceedWithItsMeasures) {
    auto r = planned("3.15.1");
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_succeed);
    EXPECT_EQ(verdict.exit_code(), 0);
    EXPECT_FALSE(verdict.failed_step);
    EXPECT_FALSE(verdict.error);
    EXPECT_TRUE(verdict.advice.empty());
    EXPECT_EQ(verdict.steps.failed, 0);
    EXPECT_EQ(verdict.steps.not_run, 0);
    EXPECT_EQ(verdict.steps.done + verdict.steps.skipped, verdict.steps.total);
    EXPECT_EQ(verdict.clock_s, r.sim.world().clock_s);
    EXPECT_EQ(verdict.api_calls.at("ExecuteChangeSet"), r.sim.world().api_calls.at("ExecuteChangeSet"));
    // The manual procedure of 3.15.0 is listed for a person, and was reached.
    ASSERT_FALSE(verdict.manual_steps.empty());
    EXPECT_EQ(verdict.manual_steps.front().kind, "manual");
    EXPECT_TRUE(verdict.manual_steps.front().reached);
}

TEST(Rehearsal, ARefusedCallIsReportedWithAwsCodeAndMessage) {
    auto r = planned("3.15.1");
    plan::Step* first_update = nullptr;
    for (auto& step : r.plan.hops.front().steps)
        if (step.kind == plan::StepKind::update_stack && first_update == nullptr) first_update = &step;
    ASSERT_NE(first_update, nullptr);
    plan::ParameterPlan stray;
    stray.name = "NoSuchParameter";
    stray.action = plan::ParameterAction::set;
    stray.value = "x";
    first_update->parameters.push_back(stray);

    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    EXPECT_EQ(verdict.exit_code(), 1);
    ASSERT_TRUE(verdict.failed_step);
    EXPECT_EQ(verdict.failed_step->id, first_update->id);
    ASSERT_TRUE(verdict.error);
    EXPECT_EQ(verdict.error->code, "ValidationError");
    EXPECT_EQ(verdict.error->message, "Parameters: [NoSuchParameter] do not exist in the template");
    ASSERT_EQ(verdict.advice.size(), 1u);
    EXPECT_EQ(verdict.advice[0], "the template of " + first_update->stack +
                                     " has no parameter NoSuchParameter: remove it from the values file under " +
                                     first_update->stack + ", then plan again");
    EXPECT_EQ(verdict.steps.failed, 1);
    EXPECT_GT(verdict.steps.not_run, 0);
}

TEST(Rehearsal, ADeletionThePlanDidNotAcknowledgeStopsBeforeTheChangeSetRuns) {
    auto r = planned("3.30.2");
    // The plan as if nobody had acknowledged the secret that 3.24.0 deletes.
    std::string step_id;
    for (auto& hop : r.plan.hops)
        for (auto& step : hop.steps)
            for (auto& resource : step.resources)
                if (resource.logical_id == "InteropTLSSecret") {
                    resource.acknowledged = false;
                    step_id = step.id;
                }
    ASSERT_FALSE(step_id.empty());
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    ASSERT_TRUE(verdict.failed_step);
    EXPECT_EQ(verdict.failed_step->id, step_id);
    ASSERT_TRUE(verdict.error);
    EXPECT_NE(verdict.error->detail.find("InteropTLSSecret"), std::string::npos) << verdict.error->detail;
    EXPECT_NE(verdict.error->detail.find("--allow-replace acme-prod-4-1-secrets/InteropTLSSecret"), std::string::npos)
        << verdict.error->detail;
    EXPECT_TRUE(verdict.data_lost.empty()) << "the change set was not executed";
    EXPECT_GT(verdict.steps.not_run, 0);
}

// A loss no change set shows: the TimescaleDB machine as really deployed keeps data on a
// volume of its BlockDeviceMappings, which goes with it when the procedure terminates it.
TEST(Rehearsal, DataLostThatThePlanDidNotAcknowledgeFailsTheVerdict) {
    auto r = planned("3.15.1", {}, [](cfn::Deployment& d) {
        for (auto& s : d.stacks) {
            if (s.name != "acme-prod-2-5-db-timescale") continue;
            std::string at = "      UserData:\n";
            auto pos = s.template_body.find(at);
            ASSERT_NE(pos, std::string::npos);
            s.template_body.insert(pos, "      BlockDeviceMappings:\n        - DeviceName: /dev/sdg\n          Ebs: {VolumeSize: 200}\n");
        }
    });
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    ASSERT_EQ(verdict.data_lost.size(), 1u);
    EXPECT_EQ(verdict.data_lost[0].logical_id, "Instance");
    EXPECT_FALSE(verdict.data_lost[0].acknowledged);
    EXPECT_FALSE(verdict.data_lost[0].system_disk);
    EXPECT_TRUE(verdict.data_lost[0].cause.starts_with("volume /dev/sdg deleted with instance i-")) << verdict.data_lost[0].cause;
    ASSERT_FALSE(verdict.advice.empty());
    EXPECT_NE(verdict.advice.back().find("move the data to an AWS::EC2::Volume"), std::string::npos) << verdict.advice.back();
}

TEST(Rehearsal, AcknowledgedDataLossStillSucceeds) {
    auto r = planned("3.30.2");
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_succeed);
    // The secret 3.24.0 deletes, acknowledged; the TimescaleDB machine's system disk, which goes
    // with the machine when 3.24 replaces it, is listed and is no failure.
    int secrets = 0;
    for (const auto& lost : verdict.data_lost) {
        if (lost.system_disk) {
            EXPECT_EQ(lost.stack + "/" + lost.logical_id, "acme-prod-2-5-db-timescale/Instance");
            continue;
        }
        ++secrets;
        EXPECT_EQ(lost.logical_id, "InteropTLSSecret");
        EXPECT_TRUE(lost.acknowledged);
    }
    EXPECT_EQ(secrets, 1);
}

// ---- each fault a rehearsal must catch, named with its step and what to change ----------

plan::Step* find_step(plan::Plan& plan, plan::StepKind kind, const std::string& stack) {
    for (auto& hop : plan.hops)
        for (auto& step : hop.steps)
            if (step.kind == kind && step.stack == stack) return &step;
    return nullptr;
}

std::string said(const plan::Rehearsal& verdict) {
    return verdict.error ? verdict.error->code + " " + verdict.error->message + " " + verdict.error->detail : std::string();
}

bool advised(const plan::Rehearsal& verdict, const std::string& part) {
    return std::any_of(verdict.advice.begin(), verdict.advice.end(), [&](const std::string& a) { return a.find(part) != std::string::npos; });
}

std::string all_advice(const plan::Rehearsal& verdict) {
    std::string out;
    for (const auto& a : verdict.advice) out += a + "\n";
    return out;
}

// The vendor's procedure turns the storage integration off before 2-5-db-timescale drops its
// Address export; a plan without those steps fails where CloudFormation fails.
TEST(RehearsalFaults, AnExportRemovedWhileImported) {
    auto r = planned("3.15.1");
    for (auto& hop : r.plan.hops)
        std::erase_if(hop.steps, [](const plan::Step& s) { return s.id.find("storage-off") != std::string::npos; });
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    ASSERT_TRUE(verdict.failed_step);
    EXPECT_EQ(verdict.failed_step->kind, "update-stack");
    EXPECT_EQ(verdict.failed_step->stack, "acme-prod-2-5-db-timescale");
    EXPECT_NE(said(verdict).find("Export acme-prod-2-5-db-timescale-Address cannot be deleted as it is in use by acme-prod-5-2-ecs-ops"),
              std::string::npos)
        << said(verdict);
    EXPECT_TRUE(advised(verdict, "imports the export acme-prod-2-5-db-timescale-Address, which step " + verdict.failed_step->id))
        << all_advice(verdict);
}

// The ops stack left at 3.14.2: its task definition runs the old image, and the migration
// must not run on it.
TEST(RehearsalFaults, AMigrationOnTheOldTaskDefinition) {
    auto r = planned("3.15.1");
    for (auto& hop : r.plan.hops)
        std::erase_if(hop.steps, [](const plan::Step& s) {
            return s.kind == plan::StepKind::update_stack && s.stack == "acme-prod-5-2-ecs-ops";
        });
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    ASSERT_TRUE(verdict.failed_step);
    EXPECT_EQ(verdict.failed_step->kind, "run-migration");
    EXPECT_NE(said(verdict).find("lorawan-stack:3.14.2"), std::string::npos) << said(verdict);
    EXPECT_NE(said(verdict).find("lorawan-stack:3.15.1"), std::string::npos) << said(verdict);
    EXPECT_TRUE(advised(verdict, "update the ops stack to this hop's version before its migrations")) << all_advice(verdict);
    EXPECT_EQ(r.sim.world().api_calls.count("RunTask"), 0u) << "no migration ran";
}

TEST(RehearsalFaults, AValueOutsideAllowedValues) {
    auto r = planned("3.15.1");
    plan::Step* step = find_step(r.plan, plan::StepKind::update_stack, "acme-prod-1-2-bastion");
    ASSERT_NE(step, nullptr);
    auto p = std::find_if(step->parameters.begin(), step->parameters.end(), [](const plan::ParameterPlan& x) { return x.name == "InstanceType"; });
    ASSERT_NE(p, step->parameters.end());
    p->action = plan::ParameterAction::set;
    p->value = "m5.24xlarge";
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    ASSERT_TRUE(verdict.failed_step);
    EXPECT_EQ(verdict.failed_step->id, step->id);
    ASSERT_TRUE(verdict.error);
    EXPECT_EQ(verdict.error->code, "ValidationError");
    EXPECT_EQ(verdict.error->message, "Parameter 'InstanceType' must be one of AllowedValues");
    EXPECT_TRUE(advised(verdict, "give InstanceType of acme-prod-1-2-bastion one of its AllowedValues in the values file"))
        << all_advice(verdict);
}

// A template over 51,200 bytes: without a bucket nothing is sent and the fix is named; with
// one, the template goes through S3 and the upgrade goes through.
TEST(RehearsalFaults, ABodyOver51200Bytes) {
    testing::TempDir dir;
    auto grown = [&dir](Rehearsed& r) {
        plan::Step* step = find_step(r.plan, plan::StepKind::update_stack, "acme-prod-1-2-bastion");
        EXPECT_NE(step, nullptr);
        std::string body = testing::read_text(step->template_file);
        while (body.size() <= 51200) body += "# a comment line that makes the template longer than CloudFormation takes inline\n";
        step->template_file = dir.write("1-2-bastion.yaml", body);
        return step->id;
    };
    auto r = planned("3.15.1");
    std::string id = grown(r);
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    ASSERT_TRUE(verdict.failed_step);
    EXPECT_EQ(verdict.failed_step->id, id);
    EXPECT_NE(said(verdict).find("over CloudFormation's TemplateBody limit of 51200 bytes; nothing was sent"), std::string::npos)
        << said(verdict);
    EXPECT_TRUE(advised(verdict, "--template-bucket BUCKET")) << all_advice(verdict);
    EXPECT_EQ(r.sim.world().api_calls.count("CreateChangeSet"), 0u);

    auto with_bucket = planned("3.15.1");
    grown(with_bucket);
    with_bucket.sim.world().inventory.s3_buckets.insert("acme-templates");
    plan::Rehearsal through = rehearse(with_bucket, "acme-templates");
    EXPECT_EQ(through.verdict, plan::Verdict::would_succeed) << said(through);
    EXPECT_EQ(with_bucket.sim.world().inventory.s3_objects.at("acme-templates").size(), 1u);
}

TEST(Rehearsal, ABlockedPlanRunsNothing) {
    plan::Plan plan;
    plan::Input input;
    input.stack = "s";
    input.parameter = "P";
    input.why = "no default";
    plan.inputs.push_back(input);
    plan.hops.push_back({});
    plan.hops[0].steps.push_back({});
    plan.hops[0].steps[0].kind = plan::StepKind::manual;
    plan.hops[0].steps[0].id = "h1-01-manual";
    plan::Rehearsal verdict = apply::blocked_rehearsal(plan);
    EXPECT_EQ(verdict.verdict, plan::Verdict::blocked);
    EXPECT_EQ(verdict.exit_code(), 3);
    EXPECT_EQ(verdict.steps.not_run, 1);
    ASSERT_EQ(verdict.manual_steps.size(), 1u);
    EXPECT_FALSE(verdict.manual_steps[0].reached);
    EXPECT_EQ(verdict.advice, std::vector<std::string>{"give s/P a value in the values file (--values): no default"});
}

}  // namespace
}  // namespace stackshift
