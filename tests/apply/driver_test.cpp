// The driver of journaled operations with a fake operation: each state the journal may hold for
// an operation (none, intended, started with an id, done, failed) and what the driver asks of
// the operation's hooks for it; an interruption during a poll.

#include <csignal>
#include <sstream>

#include "apply/driver.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using apply::ActionState;
using apply::Polled;

// An operation that records the hooks called and answers as told.
class FakeOperation final : public apply::Operation {
public:
    std::optional<std::string> found;  // what find answers
    bool nothing_to_start = false;
    int polls_until_done = 1;
    std::string fail_with;  // poll fails with this message when not empty
    std::vector<std::string> calls;
    std::vector<int> attempts;  // the key's attempt at each start

    apply::ActionKind kind() const override { return apply::ActionKind::run_task; }
    std::string name(const apply::OperationKey& key, const apply::ActionRecord*) override {
        return "fake-" + key.step_id + "-" + std::to_string(key.attempt);
    }
    std::string describe(const std::string& id) const override { return "fake " + id; }
    std::optional<std::string> find(const apply::OperationKey&, const std::string& name) override {
        calls.push_back("find " + name);
        return found;
    }
    apply::Started start(const apply::OperationKey& key, const std::string& name) override {
        calls.push_back("start " + name);
        attempts.push_back(key.attempt);
        if (nothing_to_start) return {{}, true};
        return {"id-of-" + name, false};
    }
    Polled poll(const std::string& id) override {
        calls.push_back("poll " + id);
        if (!fail_with.empty()) return Polled::failed(fail_with);
        return --polls_until_done > 0 ? Polled::running() : Polled::done();
    }
};

class DriverTest : public ::testing::Test {
protected:
    DriverTest()
        : sim(cloud::sim::World{}),
          journal(std::string(apply::in_memory_journal)),
          progress(out, [this] { return sim.world().clock_s; }),
          pacer(sim, options) {
        run = journal.begin_run({"fake", "0123456789abcdef", "1.0.0", "1.1.0"}, {{"h1-02-step", "run-migration", "s"}});
    }

    apply::Driver driver() { return apply::Driver(journal, progress, pacer, run, "0123456789abcdef"); }
    std::vector<apply::ActionRecord> actions() const { return journal.actions(run, "h1-02-step"); }
    std::int64_t intend(const std::string& name) {
        return journal.intend_action(run, "h1-02-step", apply::action_kind_name(apply::ActionKind::run_task), name);
    }

    cloud::sim::SimCloud sim;
    apply::Journal journal;
    std::ostringstream out;
    apply::Progress progress;
    apply::ExecutorOptions options;
    apply::Pacer pacer;
    std::int64_t run = 0;
};

TEST_F(DriverTest, ANewOperationIsJournaledAsIntendedBeforeItStartsThenStartedWithItsIdThenDone) {
    FakeOperation op;
    op.polls_until_done = 3;
    auto result = driver().run("h1-02-step", op);
    EXPECT_FALSE(result.nothing_to_do);
    EXPECT_EQ(result.aws_id, "id-of-fake-h1-02-step-1");
    EXPECT_EQ(result.name, "fake-h1-02-step-1");
    EXPECT_EQ(op.calls, (std::vector<std::string>{"start fake-h1-02-step-1", "poll id-of-fake-h1-02-step-1",
                                                  "poll id-of-fake-h1-02-step-1", "poll id-of-fake-h1-02-step-1"}));
    auto recorded = actions();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].kind, "run-task");
    EXPECT_EQ(recorded[0].name, "fake-h1-02-step-1");
    EXPECT_EQ(recorded[0].aws_id, "id-of-fake-h1-02-step-1");
    EXPECT_EQ(recorded[0].state, ActionState::done);
    EXPECT_GT(sim.world().clock_s, 0) << "polls wait between them";
}

TEST_F(DriverTest, ADoneOperationReturnsItsOutcomeAndAsksNothing) {
    FakeOperation first;
    driver().run("h1-02-step", first);
    FakeOperation again;
    auto result = driver().run("h1-02-step", again);
    EXPECT_TRUE(again.calls.empty());
    EXPECT_EQ(result.aws_id, "id-of-fake-h1-02-step-1");
    EXPECT_EQ(actions().size(), 1u);
}

TEST_F(DriverTest, AStartedOperationIsReattachedAndPolledNeverStartedAgain) {
    std::int64_t action = intend("fake-h1-02-step-1");
    journal.action_started(action, "id-before-the-crash");
    FakeOperation op;
    driver().run("h1-02-step", op);
    EXPECT_EQ(op.calls, (std::vector<std::string>{"poll id-before-the-crash"}));
    EXPECT_EQ(actions().back().state, ActionState::done);
    EXPECT_NE(out.str().find("re-attached to fake id-before-the-crash"), std::string::npos) << out.str();
}

TEST_F(DriverTest, AnIntendedOperationThatAWSHasIsFoundAndReattached) {
    intend("fake-h1-02-step-1");
    FakeOperation op;
    op.found = "id-found";
    driver().run("h1-02-step", op);
    EXPECT_EQ(op.calls, (std::vector<std::string>{"find fake-h1-02-step-1", "poll id-found"}));
    auto recorded = actions();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].aws_id, "id-found");
    EXPECT_EQ(recorded[0].state, ActionState::done);
}

TEST_F(DriverTest, AnIntendedOperationThatAWSDoesNotHaveIsStartedUnderTheSameKey) {
    intend("fake-h1-02-step-1");
    FakeOperation op;
    driver().run("h1-02-step", op);
    EXPECT_EQ(op.calls, (std::vector<std::string>{"find fake-h1-02-step-1", "start fake-h1-02-step-1",
                                                  "poll id-of-fake-h1-02-step-1"}));
    EXPECT_EQ(actions().size(), 1u) << "the intent journaled before the crash is the one that starts";
}

TEST_F(DriverTest, AFailedOperationIsTriedAgainAsANewAttemptWithANewKey) {
    FakeOperation failing;
    failing.fail_with = "it broke";
    EXPECT_THROW(driver().run("h1-02-step", failing), apply::StepFailure);
    ASSERT_EQ(actions().size(), 1u);
    EXPECT_EQ(actions()[0].state, ActionState::failed);
    EXPECT_EQ(actions()[0].message, "it broke");

    FakeOperation retry;
    auto result = driver().run("h1-02-step", retry);
    EXPECT_EQ(retry.attempts, std::vector<int>{2});
    EXPECT_EQ(result.name, "fake-h1-02-step-2");
    EXPECT_EQ(retry.calls.front(), "start fake-h1-02-step-2") << "a failed attempt is not looked for";
    ASSERT_EQ(actions().size(), 2u);
    EXPECT_EQ(actions()[1].state, ActionState::done);
}

TEST_F(DriverTest, AStartRefusedByAWSIsJournaledFailed) {
    struct Refused final : apply::Operation {
        apply::ActionKind kind() const override { return apply::ActionKind::delete_stack; }
        std::string name(const apply::OperationKey&, const apply::ActionRecord*) override { return "s"; }
        std::string describe(const std::string& id) const override { return id; }
        std::optional<std::string> find(const apply::OperationKey&, const std::string&) override { return std::nullopt; }
        apply::Started start(const apply::OperationKey&, const std::string&) override {
            throw cloud::CloudError("ValidationError", "refused");
        }
        Polled poll(const std::string&) override { return Polled::done(); }
    } op;
    EXPECT_THROW(driver().run("h1-02-step", op), cloud::CloudError);
    ASSERT_EQ(actions().size(), 1u);
    EXPECT_EQ(actions()[0].state, ActionState::failed);
    EXPECT_EQ(actions()[0].message, "ValidationError: refused");
}

TEST_F(DriverTest, NothingToDoIsDoneWithItsNoteAndRemembered) {
    FakeOperation op;
    op.nothing_to_start = true;
    EXPECT_TRUE(driver().run("h1-02-step", op).nothing_to_do);
    EXPECT_EQ(op.calls, (std::vector<std::string>{"start fake-h1-02-step-1"}));
    EXPECT_EQ(actions()[0].state, ActionState::done);
    EXPECT_EQ(actions()[0].message, "nothing to do");
    FakeOperation again;
    EXPECT_TRUE(driver().run("h1-02-step", again).nothing_to_do);
    EXPECT_TRUE(again.calls.empty());
}

TEST_F(DriverTest, AnInterruptionDuringAPollLeavesTheActionStartedForTheResume) {
    int polls = 0;
    options.stop_requested = [&] { return polls >= 1 ? SIGINT : 0; };
    struct Counting final : apply::Operation {
        int& polls;
        explicit Counting(int& p) : polls(p) {}
        apply::ActionKind kind() const override { return apply::ActionKind::run_task; }
        std::string name(const apply::OperationKey&, const apply::ActionRecord*) override { return "t"; }
        std::string describe(const std::string& id) const override { return id; }
        std::optional<std::string> find(const apply::OperationKey&, const std::string&) override { return std::nullopt; }
        apply::Started start(const apply::OperationKey&, const std::string&) override { return {"arn", false}; }
        Polled poll(const std::string&) override {
            ++polls;
            return Polled::running();
        }
    } op(polls);
    try {
        driver().run("h1-02-step", op);
        FAIL() << "not interrupted";
    } catch (const apply::Interrupted& stop) {
        EXPECT_EQ(stop.signal, SIGINT);
    }
    EXPECT_EQ(polls, 1);
    ASSERT_EQ(actions().size(), 1u);
    EXPECT_EQ(actions()[0].state, ActionState::started);
    EXPECT_EQ(actions()[0].aws_id, "arn");
}

}  // namespace
}  // namespace stackshift
