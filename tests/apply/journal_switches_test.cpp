// The journal's switch records (schema 3): the steps of a run that switch a procedure off and
// back on, recorded with its steps, and the procedures a deployment was left with switched off.

#include "apply/journal.hpp"
#include "test_support.hpp"

namespace stackshift::apply {
namespace {

using stackshift::testing::TempDir;

const std::string ops = "acme-5-2-ecs-ops";
const std::string services = "acme-5-4-ecs-services";

// The vendor's procedure as a plan lists it: off on two stacks, the update, back on on both.
std::vector<StepEntry> procedure_steps() {
    return {
        {"h1-01-preflight", "preflight", ""},
        {"h1-02-set-parameters-5-2-ecs-ops-storage-off", "set-parameters", ops, "storage-integration", ""},
        {"h1-03-set-parameters-5-4-ecs-services-storage-off", "set-parameters", services, "storage-integration", ""},
        {"h1-04-update-stack-2-5-db-timescale", "update-stack", "acme-2-5-db-timescale"},
        {"h1-05-update-stack-5-2-ecs-ops", "update-stack", ops, "", "storage-integration"},
        {"h1-06-update-stack-5-4-ecs-services", "update-stack", services, "", "storage-integration"},
    };
}

std::vector<std::string> left_off(const Journal& journal, const std::string& deployment = "sim:w.json",
                                  std::int64_t before = std::numeric_limits<std::int64_t>::max()) {
    std::vector<std::string> out;
    for (const auto& r : journal.switched_off(deployment, before))
        out.push_back(r.procedure + " " + r.stack + " run " + std::to_string(r.run_id) + " " + r.step_id);
    return out;
}

void run_steps(Journal& journal, std::int64_t run, int last, StepStatus last_status = StepStatus::done) {
    auto steps = procedure_steps();
    for (int i = 0; i < last; ++i) {
        journal.start_step(run, steps[static_cast<std::size_t>(i)].step_id);
        journal.finish_step(run, steps[static_cast<std::size_t>(i)].step_id, i + 1 == last ? last_status : StepStatus::done);
    }
}

TEST(JournalSwitches, ARunThatFailedAfterSwitchingOffLeavesBothStacksOff) {
    TempDir dir;
    Journal journal(dir.file("j.db"));
    std::int64_t run = journal.begin_run({"sim:w.json", "f1", "3.14.2", "3.15.1"}, procedure_steps());
    EXPECT_TRUE(left_off(journal).empty()) << "listed, not yet done";
    run_steps(journal, run, 4, StepStatus::failed);
    EXPECT_EQ(left_off(journal), (std::vector<std::string>{
                                     "storage-integration acme-5-2-ecs-ops run 1 h1-02-set-parameters-5-2-ecs-ops-storage-off",
                                     "storage-integration acme-5-4-ecs-services run 1 h1-03-set-parameters-5-4-ecs-services-storage-off",
                                 }));
    EXPECT_TRUE(left_off(journal, "sim:other.json").empty()) << "another deployment";
    EXPECT_TRUE(left_off(journal, "sim:w.json", run).empty()) << "only runs before the one named count";
}

TEST(JournalSwitches, ASwitchOnDoneLaterInTheRunEndsIt) {
    TempDir dir;
    Journal journal(dir.file("j.db"));
    std::int64_t run = journal.begin_run({"sim:w.json", "f1", "3.14.2", "3.15.1"}, procedure_steps());
    run_steps(journal, run, 5);  // 5-2-ecs-ops back on, 5-4-ecs-services not yet
    EXPECT_EQ(left_off(journal), (std::vector<std::string>{
                                     "storage-integration acme-5-4-ecs-services run 1 h1-03-set-parameters-5-4-ecs-services-storage-off",
                                 }));
    run_steps(journal, run, 6);
    EXPECT_TRUE(left_off(journal).empty());
}

// An off step that started counts (its update may have gone through); one that failed rolled
// back; an "on" step that failed switched nothing back on.
TEST(JournalSwitches, StartedOffCountsFailedOffDoesNotFailedOnDoesNotEndIt) {
    TempDir dir;
    Journal journal(dir.file("j.db"));
    std::int64_t started = journal.begin_run({"sim:w.json", "f1", "3.14.2", "3.15.1"}, procedure_steps());
    journal.start_step(started, "h1-02-set-parameters-5-2-ecs-ops-storage-off");
    EXPECT_EQ(left_off(journal).size(), 1u);
    journal.finish_step(started, "h1-02-set-parameters-5-2-ecs-ops-storage-off", StepStatus::failed);
    EXPECT_TRUE(left_off(journal).empty());

    std::int64_t run = journal.begin_run({"sim:w.json", "f2", "3.14.2", "3.15.1"}, procedure_steps());
    run_steps(journal, run, 5, StepStatus::failed);
    EXPECT_EQ(left_off(journal).size(), 2u);
}

// A later run that switched it back on (a new plan from the half-done world) ends it; a later
// run that switched it off again and failed leaves it off from that run's step.
TEST(JournalSwitches, ALaterRunSwitchesBackOnOrOffAgain) {
    TempDir dir;
    Journal journal(dir.file("j.db"));
    std::int64_t first = journal.begin_run({"sim:w.json", "f1", "3.14.2", "3.15.1"}, procedure_steps());
    run_steps(journal, first, 4, StepStatus::failed);
    std::int64_t second = journal.begin_run({"sim:w.json", "f2", "3.14.2", "3.15.1"},
                                            {{"h1-01-update-stack-5-2-ecs-ops", "update-stack", ops, "", "storage-integration"}});
    journal.start_step(second, "h1-01-update-stack-5-2-ecs-ops");
    journal.finish_step(second, "h1-01-update-stack-5-2-ecs-ops", StepStatus::done);
    EXPECT_EQ(left_off(journal), (std::vector<std::string>{
                                     "storage-integration acme-5-4-ecs-services run 1 h1-03-set-parameters-5-4-ecs-services-storage-off",
                                 }));
    std::int64_t third = journal.begin_run({"sim:w.json", "f3", "3.14.2", "3.15.1"}, procedure_steps());
    run_steps(journal, third, 2);
    EXPECT_EQ(left_off(journal), (std::vector<std::string>{
                                     "storage-integration acme-5-4-ecs-services run 1 h1-03-set-parameters-5-4-ecs-services-storage-off",
                                     "storage-integration acme-5-2-ecs-ops run 3 h1-02-set-parameters-5-2-ecs-ops-storage-off",
                                 }));
}

// The journal holds names only: the procedure, the stack and the step.
TEST(JournalSwitches, StepsWithoutASwitchRecordNone) {
    TempDir dir;
    Journal journal(dir.file("j.db"));
    std::int64_t run = journal.begin_run({"sim:w.json", "f1", "3.14.2", "3.15.1"},
                                         {{"h1-01-update-stack-5-2-ecs-ops", "update-stack", ops}});
    journal.start_step(run, "h1-01-update-stack-5-2-ecs-ops");
    journal.finish_step(run, "h1-01-update-stack-5-2-ecs-ops", StepStatus::done);
    EXPECT_TRUE(left_off(journal).empty());
}

}  // namespace
}  // namespace stackshift::apply
