// --confirm and --skip are checked against the plan before anything runs.

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "plan/step_choices.hpp"

namespace stackshift {
namespace {

using plan::Confirmation;
using plan::StepKind;

plan::Plan three_steps() {
    plan::Plan p;
    p.hops.push_back({});
    plan::Step update;
    update.id = "h1-01-update-stack-app";
    update.kind = StepKind::update_stack;
    plan::Step terminate;
    terminate.id = "h1-02-terminate-instance-db";
    terminate.kind = StepKind::terminate_instance;
    terminate.confirmation = Confirmation::explicit_;
    plan::Step migration;
    migration.id = "h1-03-run-migration-noc-db";
    migration.kind = StepKind::run_migration;
    migration.confirmation = Confirmation::routine;
    migration.skippable = true;
    p.hops[0].steps = {update, terminate, migration};
    return p;
}

std::string refusal(const plan::Plan& p, const std::vector<std::string>& confirm, const std::vector<std::string>& skip) {
    try {
        plan::check_step_choices(p, confirm, skip);
    } catch (const InputError& e) {
        EXPECT_EQ(e.code(), ExitCode::bad_input);
        return e.what();
    }
    return "";
}

TEST(StepChoices, KnownChoicesAreKept) {
    auto choices = plan::check_step_choices(three_steps(), {"h1-02-terminate-instance-db"}, {"h1-03-run-migration-noc-db"});
    EXPECT_EQ(choices.confirmed, (std::set<std::string, std::less<>>{"h1-02-terminate-instance-db"}));
    EXPECT_EQ(choices.skipped, (std::set<std::string, std::less<>>{"h1-03-run-migration-noc-db"}));
}

TEST(StepChoices, AnUnknownIdIsRefusedWithTheClosestOne) {
    std::string message = refusal(three_steps(), {"h1-02-terminate-instance-dv"}, {});
    EXPECT_NE(message.find("--confirm h1-02-terminate-instance-dv: the plan has no step"), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean 'h1-02-terminate-instance-db'"), std::string::npos) << message;
}

TEST(StepChoices, ConfirmingAnAutomatedStepIsRefused) {
    std::string message = refusal(three_steps(), {"h1-01-update-stack-app"}, {});
    EXPECT_NE(message.find("asks nobody"), std::string::npos) << message;
    EXPECT_NE(message.find("h1-02-terminate-instance-db, h1-03-run-migration-noc-db"), std::string::npos) << message;
}

TEST(StepChoices, SkippingARequiredStepIsRefusedNamingTheOptionalOnes) {
    std::string message = refusal(three_steps(), {}, {"h1-02-terminate-instance-db"});
    EXPECT_NE(message.find("the plan needs this step (terminate-instance)"), std::string::npos) << message;
    EXPECT_NE(message.find("may be left out: h1-03-run-migration-noc-db"), std::string::npos) << message;
}

TEST(StepChoices, ConfirmingAndSkippingOneStepContradict) {
    std::string message = refusal(three_steps(), {"h1-03-run-migration-noc-db"}, {"h1-03-run-migration-noc-db"});
    EXPECT_NE(message.find("contradict"), std::string::npos) << message;
}

}  // namespace
}  // namespace stackshift
