// Changing course mid-upgrade, end to end on the simulator: a run fails after the vendor's
// procedure switched the storage integration off and 2-5-db-timescale was updated, but before
// it was switched back on; the operator corrects the values file and runs the same command with
// --resume. The run is superseded by a new plan from the world as it now is, which switches the
// integration back on from what the journal recorded.

#include <filesystem>

#include "apply/apply_cli_support.hpp"
#include "apply/journal.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::apply_args;
using testing::calls;
using testing::init_world;
using testing::read_text;
using testing::read_world;
using testing::run_stackshift;
using testing::status;
using testing::TempDir;
using testing::write_world;

const std::string storage = "ApplicationServerStorageEnabled";
const std::string ops = "acme-prod-5-2-ecs-ops";
const std::string services = "acme-prod-5-4-ecs-services";
const std::string configuration = "acme-prod-4-2a-configuration";
const std::string failing_step = "h1-14-update-stack-4-2a-configuration";

// The first stack the plan updates after 2-5-db-timescale fails: the configuration names a
// Crypto Server that does not answer (the scenario's fault stands for what the wrong value did).
const std::string fault = "failing_resources:\n  - stack: " + configuration +
                          "\n    logicalId: GlobalConfiguration\n    reason: 'crypto server crypto.wrong.example does not "
                          "answer'\n    rollback: complete\n";

std::string values_with(TempDir& dir, const std::string& crypto_server) {
    return dir.write("values.yaml", read_text(testing::values_for("3.15.1")) +
                                        "\n4-2a-configuration:\n  CryptoServerDNSName: " + crypto_server + "\n");
}

std::vector<std::string> with_values(std::vector<std::string> args, const std::string& values) {
    for (auto& a : args)
        if (a == testing::values_for("3.15.1")) a = values;
    return args;
}

std::map<std::string, json> parameters_by_stack(const std::string& state) {
    json world = read_world(state);
    std::map<std::string, json> out;
    for (const auto& s : world["stacks"]) out[s["name"].get<std::string>()] = s["parameters"];
    return out;
}

json journal_run(const std::string& journal, int run) {
    auto r = run_stackshift({"journal", "--journal", journal, "--run", std::to_string(run), "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["run"];
}

// The plan of the half-done world for 3.15.1, read as JSON; `journal` empty: without one.
json plan_of_half_done_world(const std::string& state, const std::string& values, const std::string& journal) {
    std::vector<std::string> args = {"plan", "--backend", "sim:" + state, "--releases", testing::source_path("examples/releases"),
                                     "--to", "3.15.1", "--values", values, "--output", "json"};
    if (!journal.empty()) args.insert(args.end(), {"--journal", journal});
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

json update_of(const json& plan, const std::string& stack) {
    for (const auto& step : plan["hops"][0]["steps"])
        if (step.value("stack", "") == stack && step["kind"] == "update-stack") return step;
    ADD_FAILURE() << "no update of " << stack;
    return json::object();
}

class ChangeCourse : public ::testing::Test {
protected:
    void SetUp() override {
        state = dir.file("world.json");
        journal = dir.file("journal.db");
        init_world(state, dir.write("faults.yaml", fault));
        auto failed = run_stackshift(with_values(apply_args(state, journal, {"--yes"}), values_with(dir, "crypto.wrong.example")));
        ASSERT_EQ(failed.exit_code, 1) << failed.out << failed.err;
        ASSERT_NE(failed.err.find("failed at step " + failing_step + ": "), std::string::npos) << failed.err;
    }

    // The operator deals with the cause: the fault is gone and the values file corrected.
    std::string correct() {
        json world = read_world(state);
        world["scenario"]["failing_resources"] = json::array();
        write_world(state, world);
        return values_with(dir, "crypto.acme.example");
    }

    TempDir dir;
    std::string state;
    std::string journal;
};

TEST_F(ChangeCourse, TheFailedRunLeftTheStorageIntegrationOffAndTheJournalSaysSo) {
    auto parameters = parameters_by_stack(state);
    EXPECT_EQ(parameters.at(ops)[storage], "false");
    EXPECT_EQ(parameters.at(services)[storage], "false");
    EXPECT_TRUE(std::filesystem::exists(journal + ".run-1.plan.json"));
    json saved = json::parse(read_text(journal + ".run-1.plan.json"));
    EXPECT_EQ(saved["hops"][0]["steps"][6]["switchesOff"], "storage-integration");

    // A plan of the half-done world without the journal keeps the integration off; with it,
    // the updates switch it back on, naming the run and the step.
    std::string values = values_with(dir, "crypto.wrong.example");
    json without = plan_of_half_done_world(state, values, "");
    EXPECT_EQ(update_of(without, ops)["parameters"][storage]["action"], "keep");
    json with = plan_of_half_done_world(state, values, journal);
    for (const auto& [stack, step] : {std::pair{ops, "h1-07-set-parameters-5-2-ecs-ops-storage-off"},
                                      std::pair{services, "h1-08-set-parameters-5-4-ecs-services-storage-off"}}) {
        json update = update_of(with, stack);
        EXPECT_EQ(update["parameters"][storage]["value"], "true") << stack;
        EXPECT_EQ(update["parameters"][storage]["why"], "storage integration back on: run 1 switched it off at step " +
                                                            std::string(step) + " and no later step switched it back on (journal)");
        EXPECT_EQ(update["switchesOn"], "storage-integration") << stack;
    }
}

TEST_F(ChangeCourse, AResumeWithACorrectedValueSupersedesTheRunAndEndsWithTheStorageBackOn) {
    json before = status(state);
    std::string values = correct();
    auto resumed = run_stackshift(with_values(apply_args(state, journal, {"--yes", "--resume"}), values));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;

    // What changed, said per step and parameter; the acknowledgement a done step used, dropped.
    EXPECT_NE(resumed.out.find("no unfinished run of this plan: run 1 (failed) ran another plan of sim:" + state +
                               "; what changed in the inputs since it was planned:\n"
                               "  update-stack " + configuration + " (" + failing_step + "): CryptoServerDNSName changed "
                               "from 'crypto.wrong.example' to 'crypto.acme.example'\n"
                               "  --allow-replace acme-prod-2-5-db-timescale/Volume: run 1 already did the step it "
                               "acknowledged; the new plan does not need it\n"
                               "run 2 supersedes run 1 (inputs changed): a new plan from the deployment as it is now\n"),
              std::string::npos)
        << resumed.out;
    EXPECT_NE(resumed.out.find("done: sim:" + state + " is at 3.15.1"), std::string::npos) << resumed.out;

    // The world: the integration back on on both stacks, the corrected value, the target version.
    auto parameters = parameters_by_stack(state);
    EXPECT_EQ(parameters.at(ops)[storage], "true");
    EXPECT_EQ(parameters.at(services)[storage], "true");
    EXPECT_EQ(parameters.at(configuration)["CryptoServerDNSName"], "crypto.acme.example");
    EXPECT_EQ(read_world(state)["version"], "3.15.1");
    json after = status(state);
    for (const auto& [name, stack] : after["stacks"].items())
        EXPECT_TRUE(stack["status"].get<std::string>().ends_with("_COMPLETE")) << name << " is " << stack["status"];
    // What run 1 did is not done again: the machine and the snapshot of the procedure are not repeated.
    for (const char* op : {"TerminateInstances", "CreateSnapshot"}) EXPECT_EQ(calls(after, op), calls(before, op)) << op;

    json first = journal_run(journal, 1);
    EXPECT_EQ(first["outcome"], "abandoned");
    EXPECT_EQ(first["message"], "superseded by run 2 (inputs changed)");
    json second = journal_run(journal, 2);
    EXPECT_EQ(second["outcome"], "succeeded");
    EXPECT_TRUE(std::filesystem::exists(journal + ".run-2.plan.json"));

    // Nothing is left off now: run 2 switched both back on.
    apply::Journal kept(journal, apply::JournalAccess::read_existing);
    EXPECT_TRUE(kept.switched_off("sim:" + state).empty());
}

// The acknowledgement a done step used stays when the new plan endangers the resource again:
// here the corrected file also moves the TimescaleDB machine and its volume to another zone.
TEST_F(ChangeCourse, AnAcknowledgementTheNewPlanNeedsAgainIsKept) {
    json before = status(state);
    std::string values = correct();
    std::string text = read_text(values);
    std::string from = "AvailabilityZone: eu-west-1a";
    ASSERT_NE(text.find(from), std::string::npos);
    text.replace(text.find(from), from.size(), "AvailabilityZone: eu-west-1b");
    values = dir.write("values.yaml", text);
    auto resumed = run_stackshift(with_values(apply_args(state, journal, {"--yes", "--resume"}), values));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("  update-stack acme-prod-2-5-db-timescale (h1-11-update-stack-2-5-db-timescale): "
                               "AvailabilityZone changed from 'eu-west-1a' to 'eu-west-1b'\n"),
              std::string::npos)
        << resumed.out;
    EXPECT_EQ(resumed.out.find("the new plan does not need it"), std::string::npos) << resumed.out;
    EXPECT_EQ(calls(status(state), "CreateSnapshot"), calls(before, "CreateSnapshot") + 1) << "the volume is snapshotted again";
    EXPECT_EQ(parameters_by_stack(state).at("acme-prod-2-5-db-timescale")["AvailabilityZone"], "eu-west-1b");
    EXPECT_EQ(parameters_by_stack(state).at(ops)[storage], "true");
}

// plan --journal with the journal of another deployment would tell nothing: bad input, naming
// the deployments it holds runs of.
TEST_F(ChangeCourse, PlanWithTheJournalOfAnotherDeploymentIsRefused) {
    std::string other = dir.file("other.json");
    init_world(other);
    auto r = run_stackshift({"plan", "--backend", "sim:" + other, "--releases", testing::source_path("examples/releases"),
                             "--to", "3.15.1", "--values", testing::values_for("3.15.1"), "--allow-replace",
                             "acme-prod-2-5-db-timescale/Volume", "--journal", journal});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.err, "stackshift: error: --journal " + journal + ": it holds no run of sim:" + other +
                         " (it holds runs of sim:" + state + "); give the journal 'stackshift apply' kept for this "
                         "deployment\n");
    EXPECT_EQ(r.out, "");
}

TEST(ChangeCourseWithoutRuns, AResumeWithNoUnfinishedRunSaysSoAsBefore) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    auto r = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}));
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(r.err, "stackshift: error: nothing to resume in " + journal +
                         ": no unfinished run of this plan (run without --resume to start one)\n");
}

}  // namespace
}  // namespace stackshift
