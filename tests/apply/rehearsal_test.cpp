// A rehearsal in process: the example's plan run in full in an in-memory world, the verdict it
// gives, a refused call carried with AWS's code, and data the plan did not acknowledge turning
// a run that went through into a failure (fail closed).

#include "apply/rehearsal.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"
#include "render/plan_render.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::source_path;

struct Rehearsed {
    plan::Plan plan;
    cloud::sim::SimCloud sim;
};

Rehearsed planned(const std::string& to, const cloud::sim::Scenario& scenario = {}) {
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
    return {std::move(p), cloud::sim::SimCloud(cloud::sim::world_from_deployment(inputs.deployment, scenario))};
}

plan::Rehearsal rehearse(Rehearsed& r) {
    apply::RehearsalOptions options;
    options.container = "ttes";
    options.world = [&r] {
        apply::WorldFacts facts;
        for (const auto& [operation, count] : r.sim.world().api_calls) facts.api_calls[operation] = count;
        for (const auto& d : r.sim.world().data_lost) facts.data_lost.push_back({d.stack, d.logical_id, d.type, d.cause, false});
        return facts;
    };
    return apply::rehearse(r.plan, render::plan_fingerprint(r.plan), r.sim, options);
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

TEST(Rehearsal, DataLostThatThePlanDidNotAcknowledgeFailsTheVerdict) {
    auto r = planned("3.30.2");
    // The plan as if nobody had acknowledged the secret that 3.24.0 deletes.
    for (auto& hop : r.plan.hops)
        for (auto& step : hop.steps)
            for (auto& resource : step.resources)
                if (resource.logical_id == "InteropTLSSecret") resource.acknowledged = false;
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_fail);
    EXPECT_FALSE(verdict.failed_step);  // every step went through
    EXPECT_EQ(verdict.steps.not_run, 0);
    ASSERT_EQ(verdict.data_lost.size(), 1u);
    EXPECT_EQ(verdict.data_lost[0].logical_id, "InteropTLSSecret");
    EXPECT_FALSE(verdict.data_lost[0].acknowledged);
    ASSERT_EQ(verdict.advice.size(), 1u);
    EXPECT_EQ(verdict.advice[0].rfind("the data of acme-prod-4-1-secrets/InteropTLSSecret (AWS::SecretsManager::Secret) would be "
                                      "lost (deleted)", 0),
              0u)
        << verdict.advice[0];
}

TEST(Rehearsal, AcknowledgedDataLossStillSucceeds) {
    auto r = planned("3.30.2");
    plan::Rehearsal verdict = rehearse(r);
    EXPECT_EQ(verdict.verdict, plan::Verdict::would_succeed);
    ASSERT_EQ(verdict.data_lost.size(), 1u);
    EXPECT_TRUE(verdict.data_lost[0].acknowledged);
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
