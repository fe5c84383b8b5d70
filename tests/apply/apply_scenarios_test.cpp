// End-to-end scenarios of `stackshift apply` through the real binary: whole upgrades of the
// example checked against what their plan says, faults from scenario files and the resumes that
// follow them, the deployment lock held by another process, and NoEcho values written nowhere.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

#include "apply/apply_cli_support.hpp"
#include "apply/lock.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::acknowledged;
using testing::apply_args;
using testing::calls;
using testing::completed_change_sets;
using testing::init_world;
using testing::plan_args;
using testing::plan_json;
using testing::plant_secrets;
using testing::read_text;
using testing::read_world;
using testing::run_stackshift;
using testing::RunResult;
using testing::source_path;
using testing::status;
using testing::steps_of_kind;
using testing::TempDir;
using testing::write_world;

std::map<std::string, json> stacks_by_name(const json& world) {
    std::map<std::string, json> out;
    for (const auto& s : world["stacks"]) out[s["name"].get<std::string>()] = s;
    return out;
}

// The template file each stack ends on: that of the last step that sent one.
std::map<std::string, std::string> planned_templates(const json& plan) {
    std::map<std::string, std::string> out;
    for (const auto& hop : plan["hops"]) {
        for (const auto& step : hop["steps"]) {
            std::string stack = step.value("stack", "");
            if (step["kind"] == "delete-stack") out.erase(stack);
            if (step.contains("templateFile")) out[stack] = step["templateFile"];
        }
    }
    return out;
}

// The value each parameter ends with: the last one a step gave it (set, carry, default, image);
// a parameter that a later template no longer has is forgotten.
std::map<std::string, std::map<std::string, std::string>> planned_values(const json& plan) {
    std::map<std::string, std::map<std::string, std::string>> out;
    for (const auto& hop : plan["hops"]) {
        for (const auto& step : hop["steps"]) {
            std::string kind = step["kind"];
            if (kind != "update-stack" && kind != "set-parameters" && kind != "deploy-stack") continue;
            auto& values = out[step["stack"].get<std::string>()];
            if (kind != "set-parameters") std::erase_if(values, [&](const auto& v) { return !step["parameters"].contains(v.first); });
            for (const auto& [key, p] : step["parameters"].items())
                if (p.contains("value")) values[key] = p["value"];
        }
    }
    return out;
}

// Every NoEcho parameter of every change set went as UsePreviousValue, never as a value.
void expect_no_echo_sent_as_previous_value(const json& world) {
    auto stacks = stacks_by_name(world);
    int no_echo_seen = 0;
    for (const auto& c : world["changeSets"]) {
        const json& no_echo = stacks.at(c["stack"].get<std::string>())["noEcho"];
        for (const auto& p : c["parameters"]) {
            if (std::find(no_echo.begin(), no_echo.end(), p["key"]) == no_echo.end()) continue;
            ++no_echo_seen;
            EXPECT_TRUE(p.value("usePreviousValue", false)) << c["name"] << " " << p["key"];
            EXPECT_FALSE(p.contains("value")) << c["name"] << " " << p["key"];
        }
    }
    EXPECT_GT(no_echo_seen, 0) << "no change set had a NoEcho parameter";
}

// Each migration task of the run (in the order of the plan's run-migration steps) ran the image
// its step expects, which carries the version tag of its hop: what ECS started is the upgraded
// ops task definition, not the revision before.
void expect_migrations_ran_the_hops_image(const json& plan, const json& status, std::size_t tasks_before) {
    std::size_t next = tasks_before;
    for (const auto& hop : plan["hops"]) {
        std::string tag = ":" + hop["to"].get<std::string>() + "-";
        for (const auto& step : hop["steps"]) {
            if (step["kind"] != "run-migration") continue;
            ASSERT_LT(next, status["tasks"].size()) << step["id"] << " ran no task";
            const json& task = status["tasks"][next++];
            ASSERT_TRUE(step["image"].is_string()) << step["id"] << " names no image";
            std::string image = step["image"];
            EXPECT_NE(image.find(tag), std::string::npos) << step["id"] << " expects " << image;
            EXPECT_EQ(task["command"], step["command"]) << step["id"];
            auto images = task["images"].get<std::vector<std::string>>();
            EXPECT_NE(std::find(images.begin(), images.end(), image), images.end())
                << step["id"] << " ran " << task["taskDefinition"] << " with " << task["images"] << ", not " << image;
        }
    }
}

// What the world must hold once `plan` ran to its end: the target version, every stack
// complete, each updated stack on its target template with the values the plan gave, deleted
// stacks gone, deployed ones created, only acknowledged data lost, one task per migration.
void expect_world_at_plan_end(const json& plan, const std::string& state, std::size_t tasks_before) {
    json s = status(state);
    json world = read_world(state);
    auto stacks = stacks_by_name(world);
    EXPECT_EQ(world["version"], plan["to"]);
    for (const auto& [name, stack] : s["stacks"].items())
        EXPECT_TRUE(stack["status"].get<std::string>().ends_with("_COMPLETE")) << name << " is " << stack["status"];

    auto templates = planned_templates(plan);
    EXPECT_FALSE(templates.empty());
    for (const auto& [name, file] : templates) {
        ASSERT_TRUE(stacks.count(name)) << name;
        EXPECT_TRUE(stacks.at(name)["templateBody"] == read_text(file)) << name << " is not on " << file;
    }
    for (const auto& [name, values] : planned_values(plan)) {
        const json& parameters = stacks.at(name)["parameters"];
        for (const auto& [key, value] : values) EXPECT_EQ(parameters.value(key, "(absent)"), value) << name << " " << key;
    }
    for (const auto& step : steps_of_kind(plan, "delete-stack")) {
        std::string name = step["stack"];
        std::string now = s["stacks"].contains(name) ? s["stacks"][name]["status"].get<std::string>() : "DELETE_COMPLETE";
        EXPECT_EQ(now, "DELETE_COMPLETE") << name;
    }
    for (const auto& step : steps_of_kind(plan, "deploy-stack")) {
        std::string name = step["stack"];
        ASSERT_TRUE(s["stacks"].contains(name)) << name;
        EXPECT_EQ(s["stacks"][name]["status"], "CREATE_COMPLETE") << name;
    }
    for (const auto& lost : s["data_lost"]) {
        std::string id = lost["stack"].get<std::string>() + "/" + lost["logicalId"].get<std::string>();
        // The TimescaleDB machine's system disk (the root device of its BlockDeviceMappings)
        // goes with the machine the vendor's procedure replaces from 3.15.0 on; the data stays on
        // the separate Volume, which must never be lost unacknowledged.
        if (lost["systemDisk"] == true) {
            EXPECT_EQ(id, "acme-prod-2-5-db-timescale/Instance");
            continue;
        }
        EXPECT_NE(std::find(acknowledged.begin(), acknowledged.end(), id), acknowledged.end()) << id << " was lost unacknowledged";
    }
    EXPECT_EQ(s["tasks"].size() - tasks_before, steps_of_kind(plan, "run-migration").size());
    for (const auto& task : s["tasks"]) EXPECT_EQ(task["exitCode"], 0) << task["taskArn"];
    expect_migrations_ran_the_hops_image(plan, s, tasks_before);
    expect_no_echo_sent_as_previous_value(world);
}

// Each update-stack and deploy-stack step of the example changes its stack: one change set each.
std::size_t change_set_steps(const json& plan) {
    return steps_of_kind(plan, "update-stack").size() + steps_of_kind(plan, "deploy-stack").size();
}

void expect_upgrade_from_the_example_ends_on(const std::string& target) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state);
    json plan = plan_json(state, target);
    ASSERT_EQ(plan["to"], target);
    ASSERT_FALSE(plan["blocked"].get<bool>());
    ASSERT_FALSE(steps_of_kind(plan, "delete-stack").empty()) << "the example removes 6-1-vpc-peering on the way to " << target;

    auto r = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}, target));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("done: sim:" + state + " is at " + target), std::string::npos) << r.out;
    expect_world_at_plan_end(plan, state, 0);
    json s = status(state);
    EXPECT_EQ(calls(s, "RunTask"), steps_of_kind(plan, "run-migration").size());
    EXPECT_EQ(calls(s, "ExecuteChangeSet"), change_set_steps(plan));
    EXPECT_EQ(read_world(state)["changeSets"].size(), change_set_steps(plan));
}

TEST(ApplyScenarios, UpgradeTo3_24_2EndsOnWhatItsPlanSays) { expect_upgrade_from_the_example_ends_on("3.24.2"); }

TEST(ApplyScenarios, UpgradeTo3_30_2EndsOnWhatItsPlanSays) { expect_upgrade_from_the_example_ends_on("3.30.2"); }

TEST(ApplyScenarios, SecondApplyFromThe3_19_2WorldEndsOn3_30_2) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    json first_plan = plan_json(state, "3.19.2");
    auto first = run_stackshift(apply_args(state, journal, {"--yes"}, "3.19.2"));
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    expect_world_at_plan_end(first_plan, state, 0);
    json between = status(state);
    EXPECT_EQ(calls(between, "RunTask"), steps_of_kind(first_plan, "run-migration").size());

    json second_plan = plan_json(state, "3.30.2", "3.19.2");
    EXPECT_EQ(second_plan["from"], "3.19.2");
    ASSERT_FALSE(second_plan["blocked"].get<bool>());
    auto second = run_stackshift(apply_args(state, journal, {"--yes"}, "3.30.2", "3.19.2"));
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_NE(second.out.find("(run 2, journal " + journal + ")"), std::string::npos) << second.out;
    expect_world_at_plan_end(second_plan, state, between["tasks"].size());
    json after = status(state);
    EXPECT_EQ(calls(after, "RunTask") - calls(between, "RunTask"), steps_of_kind(second_plan, "run-migration").size());
    EXPECT_EQ(calls(after, "ExecuteChangeSet") - calls(between, "ExecuteChangeSet"), change_set_steps(second_plan));
}

TEST(ApplyScenarios, ThrottledCallsAreRetriedAndTheUpgradeStillEndsOnTarget) {
    TempDir dir;
    std::string state = dir.file("world.json");
    init_world(state, dir.write("faults.yaml", "seed: 7\nthrottling: 0.3\n"));
    json plan = plan_json(state, "3.19.2");
    auto r = run_stackshift(apply_args(state, dir.file("journal.db"), {"--yes"}, "3.19.2"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    json s = status(state);
    std::uint64_t throttled = s["throttled"];
    EXPECT_GT(throttled, 0u);
    EXPECT_NE(r.out.find("; " + std::to_string(throttled) + " throttled calls retried\n"), std::string::npos) << r.out;
    expect_world_at_plan_end(plan, state, 0);
    // A refused call had no effect, and its retry did it once.
    json world = read_world(state);
    EXPECT_EQ(world["changeSets"].size(), change_set_steps(plan));
    EXPECT_EQ(completed_change_sets(state), change_set_steps(plan));
    EXPECT_EQ(world["snapshots"].size(), steps_of_kind(plan, "snapshot-volume").size());
}

// The first step that changes `stack`: where a fault of that stack stops the run.
std::string first_change_of(const json& plan, const std::string& stack) {
    for (const auto& hop : plan["hops"])
        for (const auto& step : hop["steps"])
            if (step.value("stack", "") == stack && (step["kind"] == "update-stack" || step["kind"] == "set-parameters"))
                return step["id"];
    ADD_FAILURE() << "the plan does not change " << stack;
    return "";
}

std::string resume_command(const std::string& state, const std::string& journal, const std::string& to) {
    std::string out = "stackshift apply --backend sim:" + state;
    std::vector<std::string> args = plan_args(to);
    for (const auto& a : args) out += " " + a;
    return out + " --journal " + journal + " --yes --resume";
}

std::string failure_stderr(const std::string& message, const std::string& state, const std::string& journal, const std::string& to) {
    return "stackshift: error: " + message + "\nstackshift: the journal " + journal +
           " holds what was done; once the cause is dealt with, continue with:\n  " + resume_command(state, journal, to) + "\n";
}

// Runs a command line as the operator would paste it from a message.
RunResult run_pasted(const std::string& command) {
    std::istringstream in(command);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    EXPECT_EQ(words.at(0), "stackshift");
    words.erase(words.begin());
    return run_stackshift(words);
}

json journal_run(const std::string& journal) {
    auto r = run_stackshift({"journal", "--journal", journal, "--run", "1", "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["run"];
}

TEST(ApplyScenarios, FailingResourceRollsBackStopsTheRunAndAResumeOnceFixedEndsOnTarget) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    const std::string reason = "Resource handler returned message: \"container ttes: image not found\"";
    init_world(state, dir.write("faults.yaml", "failing_resources:\n  - stack: acme-prod-5-2-ecs-ops\n    logicalId: TaskDefinition\n"
                                               "    reason: '" + reason + "'\n    rollback: complete\n"));
    json plan = plan_json(state, "3.19.2");
    std::string failing_step = first_change_of(plan, "acme-prod-5-2-ecs-ops");

    auto r = run_stackshift(apply_args(state, journal, {"--yes"}, "3.19.2"));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(testing::without_confirmations(r.err), failure_stderr("failed at step " + failing_step +
                                        ": stack acme-prod-5-2-ecs-ops ended in UPDATE_ROLLBACK_COMPLETE; the first resource to fail: "
                                        "TaskDefinition (AWS::ECS::TaskDefinition) UPDATE_FAILED: " + reason,
                                    state, journal, "3.19.2"));
    json failed = status(state);
    EXPECT_EQ(failed["stacks"]["acme-prod-5-2-ecs-ops"]["status"], "UPDATE_ROLLBACK_COMPLETE");
    EXPECT_EQ(calls(failed, "RunTask"), 0u);
    EXPECT_EQ(calls(failed, "CreateSnapshot"), 0u);
    bool after_failure = false;
    json run = journal_run(journal);
    for (const auto& step : run["steps"]) {
        if (after_failure) {
            EXPECT_EQ(step["status"], "pending") << step["id"];
            EXPECT_TRUE(step["actions"].empty()) << step["id"];
        }
        if (step["id"] == failing_step) {
            EXPECT_EQ(step["status"], "failed");
            after_failure = true;
        }
    }
    EXPECT_TRUE(after_failure);

    json world = read_world(state);
    json faults = json::array();
    for (const auto& f : world["scenario"]["failing_resources"])
        if (f["stack"] != "acme-prod-5-2-ecs-ops" || f["logicalId"] != "TaskDefinition") faults.push_back(f);
    ASSERT_EQ(faults.size() + 1, world["scenario"]["failing_resources"].size());
    world["scenario"]["failing_resources"] = faults;
    write_world(state, world);

    auto resumed = run_pasted(resume_command(state, journal, "3.19.2"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("resuming run 1 of " + journal), std::string::npos) << resumed.out;
    expect_world_at_plan_end(plan, state, 0);
    json done = status(state);
    EXPECT_EQ(calls(done, "ExecuteChangeSet"), completed_change_sets(state));
    EXPECT_EQ(calls(done, "RunTask"), steps_of_kind(plan, "run-migration").size());
    EXPECT_EQ(calls(done, "UpdateStack"), steps_of_kind(plan, "set-parameters").size() + 1) << "only the failed update is repeated";
    EXPECT_EQ(journal_run(journal)["outcome"], "succeeded");
}

TEST(ApplyScenarios, FailedRollbackSaysHowToContinueItAndAResumeRefusesBeforeAnyChange) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state, dir.write("faults.yaml", "failing_resources:\n  - stack: acme-prod-2-1-db-aurora-master\n"
                                               "    logicalId: ClusterParameterGroup\n    reason: 'parameter family mismatch'\n"
                                               "    rollback: failed\n"));
    json plan = plan_json(state, "3.19.2");
    std::string failing_step = first_change_of(plan, "acme-prod-2-1-db-aurora-master");

    auto r = run_stackshift(apply_args(state, journal, {"--yes"}, "3.19.2"));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(testing::without_confirmations(r.err), failure_stderr("failed at step " + failing_step +
                                        ": stack acme-prod-2-1-db-aurora-master ended in UPDATE_ROLLBACK_FAILED (The following "
                                        "resource(s) failed to update: [ClusterParameterGroup]. ); the first resource to fail: "
                                        "ClusterParameterGroup (AWS::RDS::DBClusterParameterGroup) UPDATE_FAILED: parameter family "
                                        "mismatch; its rollback failed at: ClusterParameterGroup (AWS::RDS::DBClusterParameterGroup) "
                                        "UPDATE_FAILED: Resource handler returned message: \"rollback of ClusterParameterGroup failed\". The stack takes no update until its "
                                        "rollback is over: fix what stopped it, continue it (aws cloudformation "
                                        "continue-update-rollback --stack-name acme-prod-2-1-db-aurora-master, with "
                                        "--resources-to-skip for a resource that cannot be rolled back) and wait for "
                                        "UPDATE_ROLLBACK_COMPLETE",
                                    state, journal, "3.19.2"));
    json failed = status(state);
    EXPECT_EQ(failed["stacks"]["acme-prod-2-1-db-aurora-master"]["status"], "UPDATE_ROLLBACK_FAILED");
    json stacks_before = read_world(state)["stacks"];

    auto resumed = run_pasted(resume_command(state, journal, "3.19.2"));
    EXPECT_EQ(resumed.exit_code, 1) << resumed.out << resumed.err;
    EXPECT_EQ(testing::without_confirmations(resumed.err), failure_stderr("failed: not starting: acme-prod-2-1-db-aurora-master is UPDATE_ROLLBACK_FAILED. Bring the "
                                          "stack to a *_COMPLETE state first (wait for it, or continue its rollback), then run again",
                                          state, journal, "3.19.2"));
    json refused = status(state);
    for (const char* op : {"CreateChangeSet", "ExecuteChangeSet", "UpdateStack", "RunTask", "CreateSnapshot"})
        EXPECT_EQ(calls(refused, op), calls(failed, op)) << op;
    EXPECT_EQ(read_world(state)["stacks"], stacks_before);
}

// A process that holds the deployment lock of a journal until the object ends.
class LockHolder {
public:
    explicit LockHolder(const std::string& journal) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        m_pid = ::fork();
        if (m_pid == 0) {
            ::close(fds[0]);
            auto lock = apply::JournalLock::try_acquire(journal, [] { return std::int64_t{1714564800000}; });
            char held = lock ? 'y' : 'n';
            if (::write(fds[1], &held, 1) != 1) _exit(3);
            for (;;) ::pause();
        }
        ::close(fds[1]);
        char held = 0;
        m_held = ::read(fds[0], &held, 1) == 1 && held == 'y';
        ::close(fds[0]);
    }
    ~LockHolder() { release(); }
    LockHolder(const LockHolder&) = delete;
    LockHolder& operator=(const LockHolder&) = delete;

    bool held() const { return m_held; }
    pid_t pid() const { return m_pid; }
    void release() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGKILL);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
    }

private:
    pid_t m_pid = -1;
    bool m_held = false;
};

std::string host_name() {
    char name[256] = {};
    EXPECT_EQ(::gethostname(name, sizeof name - 1), 0);
    return name;
}

TEST(ApplyScenarios, ApplyIsRefusedWhileAnotherProcessHoldsTheJournalLock) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    std::string world_before = read_text(state);
    LockHolder holder(journal);
    ASSERT_TRUE(holder.held());

    auto r = run_stackshift(apply_args(state, journal, {"--yes"}));
    std::string pid = std::to_string(holder.pid());
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(r.err, "stackshift: error: the journal '" + journal + "' is locked by process " + pid + " on host '" + host_name() +
                         "' since 2024-05-01T12:00:00Z: another 'stackshift apply' is using this journal; wait for it "
                         "to end, or stop it (kill " + pid + ") and continue with 'stackshift apply ... --resume' (the lock ends "
                         "with its process)\n");
    EXPECT_EQ(calls(status(state), "CreateChangeSet"), 0u);
    EXPECT_EQ(read_text(state), world_before);
    EXPECT_FALSE(std::filesystem::exists(journal));
    EXPECT_FALSE(std::filesystem::exists(journal + ".deployment.json"));

    holder.release();
    auto after = run_stackshift(apply_args(state, journal, {"--yes"}));
    EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
}

TEST(ApplyScenarios, NoEchoValuesAppearInNoOutputAndNoFileButTheStateFile) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    std::vector<std::string> secrets = plant_secrets(state);
    ASSERT_FALSE(secrets.empty());
    json planted = read_world(state);

    std::vector<RunResult> runs;
    for (const char* output : {"text", "markdown", "json"}) {
        std::vector<std::string> args = {"plan", "--backend", "sim:" + state, "--output", output, "--out",
                                         dir.file(std::string("plan.") + output)};
        for (const auto& a : plan_args("3.30.2")) args.push_back(a);
        runs.push_back(run_stackshift(args));
        EXPECT_EQ(runs.back().exit_code, 0) << runs.back().err;
    }
    runs.push_back(run_stackshift(apply_args(state, journal, {"--yes"}, "3.30.2")));
    ASSERT_EQ(runs.back().exit_code, 0) << runs.back().out << runs.back().err;
    for (const char* output : {"text", "json"}) {
        runs.push_back(run_stackshift({"journal", "--journal", journal, "--output", output}));
        runs.push_back(run_stackshift({"journal", "--journal", journal, "--run", "1", "--output", output}));
        runs.push_back(run_stackshift({"sim", "status", state, "--output", output}));
    }
    for (const auto& run : runs) {
        EXPECT_EQ(run.exit_code, 0) << run.err;
        for (const auto& secret : secrets) {
            EXPECT_EQ(run.out.find(secret), std::string::npos) << secret << " in\n" << run.out;
            EXPECT_EQ(run.err.find(secret), std::string::npos) << secret << " in\n" << run.err;
        }
    }

    std::vector<std::string> searched;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
        if (!entry.is_regular_file() || entry.path() == state) continue;
        searched.push_back(entry.path().filename().string());
        std::string bytes = read_text(entry.path().string());
        for (const auto& secret : secrets) EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in " << entry.path();
    }
    for (const char* expected : {"plan.text", "plan.markdown", "plan.json", "journal.db", "journal.db.deployment.json"})
        EXPECT_NE(std::find(searched.begin(), searched.end(), expected), searched.end()) << expected << " was not searched";

    auto stacks = stacks_by_name(read_world(state));
    for (const auto& stack : planted["stacks"]) {
        for (const auto& key : stack["noEcho"]) {
            const json& now = stacks.at(stack["name"].get<std::string>())["parameters"];
            EXPECT_EQ(now.value(key.get<std::string>(), ""), stack["parameters"][key.get<std::string>()]) << key;
        }
    }
}

// A NoEcho value the values file gives is sent to the stack when applied, shown only as given,
// and written nowhere else: not in a plan, the journal, the saved deployment or any output.
TEST(ApplyScenarios, ANoEchoValueFromTheValuesFileReachesTheStackAndNoOutputOrFile) {
    TempDir dir;
    TempDir private_dir;  // the values file holds the secret: it lives apart from what is searched
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    const std::string secret = "SG.fresh-from-values-7f3a";
    std::string values = private_dir.write(
        "values.yaml", read_text(testing::values_for("3.15.1")) +
                           "\nacme-prod-4-1-secrets:\n  SendgridAPIKeyValue: " + secret + "\n");
    auto with_values = [&](std::vector<std::string> args) {
        for (auto& a : args)
            if (a == testing::values_for("3.15.1")) a = values;
        return args;
    };

    std::vector<RunResult> runs;
    for (const char* output : {"text", "markdown", "json"}) {
        std::vector<std::string> args = {"plan", "--backend", "sim:" + state, "--output", output, "--out",
                                         dir.file(std::string("plan.") + output)};
        for (const auto& a : plan_args("3.15.1")) args.push_back(a);
        runs.push_back(run_stackshift(with_values(args)));
        EXPECT_EQ(runs.back().exit_code, 0) << runs.back().err;
    }
    EXPECT_NE(read_text(dir.file("plan.text")).find("SendgridAPIKeyValue: set (NoEcho value given)"), std::string::npos);
    json plan = json::parse(read_text(dir.file("plan.json")));
    bool given = false;
    for (const auto& step : plan["hops"][0]["steps"])
        if (step.value("stack", "") == "acme-prod-4-1-secrets" && step.contains("parameters"))
            given = given || step["parameters"]["SendgridAPIKeyValue"].value("valueGiven", false);
    EXPECT_TRUE(given) << "no step of acme-prod-4-1-secrets sends the given value";

    runs.push_back(run_stackshift(with_values(apply_args(state, journal, {"--yes"}, "3.15.1"))));
    ASSERT_EQ(runs.back().exit_code, 0) << runs.back().out << runs.back().err;
    runs.push_back(run_stackshift({"journal", "--journal", journal, "--output", "json"}));
    runs.push_back(run_stackshift({"sim", "status", state, "--output", "json"}));
    for (const auto& run : runs) {
        EXPECT_EQ(run.out.find(secret), std::string::npos) << run.out;
        EXPECT_EQ(run.err.find(secret), std::string::npos) << run.err;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
        if (!entry.is_regular_file() || entry.path() == state) continue;
        EXPECT_EQ(read_text(entry.path().string()).find(secret), std::string::npos) << secret << " in " << entry.path();
    }
    auto stacks = stacks_by_name(read_world(state));
    EXPECT_EQ(stacks.at("acme-prod-4-1-secrets")["parameters"].value("SendgridAPIKeyValue", ""), secret);
}

}  // namespace
}  // namespace stackshift
