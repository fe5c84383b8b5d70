// Who may accept each step of a plan: destructive steps and backups by name only, what a person
// does or confirms routinely, automated steps nobody; and which steps --skip may leave out.

#include <gtest/gtest.h>

#include <algorithm>

#include "inputs/snapshot_file.hpp"
#include "plan/confirmation.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using plan::Confirmation;
using plan::StepKind;

plan::Plan example_plan() {
    auto deployment = inputs::load_deployment(testing::source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment.ok());
    plan::PlanRequest request;
    request.deployment = *deployment;
    request.deployment_path = "example";
    request.releases_path = testing::source_path("examples/releases");
    request.to = "3.30.2";
    request.values_path = testing::source_path("examples/values-3.30.2.yaml");
    request.allow_replace = {"acme-prod-2-5-db-timescale/Volume", "acme-prod-4-1-secrets/InteropTLSSecret"};
    return plan::make_plan(plan::load_plan_inputs(request));
}

std::vector<const plan::Step*> steps_where(const plan::Plan& p, const std::function<bool(const plan::Step&)>& pick) {
    std::vector<const plan::Step*> out;
    for (const auto& hop : p.hops)
        for (const auto& s : hop.steps)
            if (pick(s)) out.push_back(&s);
    return out;
}

TEST(Confirmation, DestructiveStepsAndBackupsAreAcceptedByNameOnly) {
    plan::Plan p = example_plan();
    auto destructive = steps_where(p, [](const plan::Step& s) {
        return s.kind == StepKind::terminate_instance || s.kind == StepKind::delete_stack;
    });
    ASSERT_EQ(destructive.size(), 2U);  // the TimescaleDB machine, the VPC peering stack
    for (const auto* s : destructive) EXPECT_EQ(s->confirmation, Confirmation::explicit_) << s->id;

    // "Back up InteropTLSSecret of 4-1-secrets before its update": a person backs up data.
    auto backups = steps_where(p, [](const plan::Step& s) {
        return s.kind == StepKind::manual && s.title.starts_with("Back up");
    });
    ASSERT_FALSE(backups.empty());
    for (const auto* s : backups) EXPECT_EQ(s->confirmation, Confirmation::explicit_) << s->id;
}

TEST(Confirmation, PersonWorkIsRoutineAndAutomatedStepsAskNobody) {
    plan::Plan p = example_plan();
    for (const auto& hop : p.hops) {
        for (const auto& s : hop.steps) {
            bool backup = s.title.starts_with("Back up") || s.title.starts_with("Upgrade the software");
            if ((s.kind == StepKind::update_stack && s.automated) || s.kind == StepKind::snapshot_volume) {
                EXPECT_EQ(s.confirmation, Confirmation::none) << s.id;
            } else if (s.kind == StepKind::manual && !backup) {
                EXPECT_EQ(s.confirmation, Confirmation::routine) << s.id;
            }
            EXPECT_EQ(plan::is_person_work(s), s.kind == StepKind::manual) << s.id;
        }
    }
}

TEST(Confirmation, OnlyOptionalWorkIsSkippable) {
    plan::Plan p = example_plan();
    auto skippable = steps_where(p, [](const plan::Step& s) { return s.skippable; });
    ASSERT_FALSE(skippable.empty());
    for (const auto* s : skippable) {
        bool optional = (s->kind == StepKind::run_migration && s->conditional) || s->title.starts_with("(optional)") ||
                        s->title.starts_with("(if it applies)");
        EXPECT_TRUE(optional) << s->id << ": " << s->title;
    }
    auto required = steps_where(p, [](const plan::Step& s) {
        return s.kind == StepKind::update_stack || s.kind == StepKind::terminate_instance || s.kind == StepKind::delete_stack;
    });
    for (const auto* s : required) EXPECT_FALSE(s->skippable) << s->id;
}

TEST(Confirmation, AStepMarkedExplicitWhereItWasWrittenStaysExplicit) {
    plan::Plan p;
    p.hops.push_back({});
    plan::Step automated;
    automated.kind = StepKind::update_stack;
    plan::Step by_hand;
    by_hand.kind = StepKind::manual;
    by_hand.automated = false;
    plan::Step backup = by_hand;
    backup.confirmation = Confirmation::explicit_;
    plan::Step deploy;
    deploy.kind = StepKind::deploy_stack;
    p.hops[0].steps = {automated, by_hand, backup, deploy};
    plan::assign_confirmations(p);
    EXPECT_EQ(p.hops[0].steps[0].confirmation, Confirmation::none);
    EXPECT_EQ(p.hops[0].steps[1].confirmation, Confirmation::routine);
    EXPECT_EQ(p.hops[0].steps[2].confirmation, Confirmation::explicit_);
    EXPECT_EQ(p.hops[0].steps[3].confirmation, Confirmation::routine);
}

}  // namespace
}  // namespace stackshift
