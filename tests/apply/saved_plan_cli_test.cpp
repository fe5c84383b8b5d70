// End-to-end: the review flow through the real binary. `plan --output json --out FILE` writes a
// saved plan, `apply --plan FILE` carries out exactly that plan (its templates from the file,
// never from the releases), refuses it when the deployment changed since it was made (each cause
// named), resumes its own runs, and refuses a damaged or blocked file; `rehearse --plan FILE`
// rehearses it.

#include <nlohmann/json.hpp>

#include <filesystem>

#include "apply/apply_cli_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::calls;
using testing::init_world;
using testing::plan_args;
using testing::read_text;
using testing::read_world;
using testing::run_stackshift;
using testing::source_path;
using testing::status;
using testing::values_for;
using testing::write_world;

// Saves the plan of the example's upgrade to 3.15.1 for the world `state`; `extra` replaces the
// plan options (to make a blocked plan). Returns the plan command's result.
testing::RunResult save_plan(const std::string& state, const std::string& out, std::vector<std::string> options = plan_args()) {
    std::vector<std::string> args = {"plan", "--backend", "sim:" + state, "--output", "json", "--out", out};
    args.insert(args.end(), options.begin(), options.end());
    return run_stackshift(args);
}

std::vector<std::string> apply_plan_args(const std::string& plan, const std::string& state, const std::string& journal,
                                         std::vector<std::string> extra = {"--yes"}) {
    std::vector<std::string> args = {"apply", "--plan", plan, "--backend", "sim:" + state, "--journal", journal,
                                     "--values", values_for("3.15.1")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// What a stack of a world ended as: its status, template and parameters.
std::map<std::string, json> stacks_of(const std::string& state) {
    std::map<std::string, json> out;
    json world = read_world(state);  // a range-for over a member of a temporary reads freed memory
    for (const auto& s : world["stacks"])
        out[s["name"]] = json{{"status", s["status"]}, {"templateBody", s["templateBody"]}, {"parameters", s["parameters"]}};
    return out;
}

// Nothing was started in the world: no change set, no update, no task.
void expect_untouched(const std::string& state) {
    json s = status(state);
    EXPECT_EQ(calls(s, "CreateChangeSet"), 0U);
    EXPECT_EQ(calls(s, "UpdateStack"), 0U);
    EXPECT_EQ(calls(s, "RunTask"), 0U);
}

class SavedPlanCli : public ::testing::Test {
protected:
    void SetUp() override {
        init_world(state);
        auto r = save_plan(state, plan);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    json made_from(const std::string& stack) const {
        json saved = json::parse(read_text(plan));
        for (const auto& s : saved["madeFrom"]["stacks"])
            if (s["name"] == stack) return s;
        ADD_FAILURE() << stack << " not in madeFrom";
        return {};
    }
    // Edits the stack `name` of the world, as something outside stackshift would have.
    void edit_stack(const std::string& name, const std::function<void(json&)>& change) const {
        json world = read_world(state);
        for (auto& s : world["stacks"])
            if (s["name"] == name) change(s);
        write_world(state, world);
    }
    testing::RunResult stale_refusal() const {
        auto r = run_stackshift(apply_plan_args(plan, state, journal));
        EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
        EXPECT_NE(r.err.find("stackshift: error: the saved plan " + plan + " is stale: the deployment changed since it was made:"),
                  std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find("plan again ('stackshift plan ... --output json --out FILE'), review the new plan and apply it; "
                             "nothing was changed"),
                  std::string::npos)
            << r.err;
        expect_untouched(state);
        return r;
    }

    testing::TempDir dir;
    std::string state = dir.file("world.json");
    std::string plan = dir.file("plan.json");
    std::string journal = dir.file("journal.db");
};

TEST_F(SavedPlanCli, EndsInTheSameWorldAsApplyWithTheSameInputsAndReadsNoRelease) {
    // The plan is made from a copy of the releases that is gone by the time it is applied.
    std::string releases = dir.file("releases");
    std::filesystem::copy(source_path("examples/releases"), releases, std::filesystem::copy_options::recursive);
    std::vector<std::string> options = plan_args();
    options[1] = releases;  // --releases
    ASSERT_EQ(save_plan(state, plan, options).exit_code, 0);
    std::filesystem::remove_all(releases);

    auto r = run_stackshift(apply_plan_args(plan, state, journal));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("done: sim:" + state + " is at 3.15.1"), std::string::npos) << r.out;

    std::string other = dir.file("other.json");
    init_world(other);
    auto planned = run_stackshift(testing::apply_args(other, dir.file("other.db"), {"--yes"}));
    ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
    auto saved_world = stacks_of(state);
    auto planned_world = stacks_of(other);
    ASSERT_EQ(saved_world.size(), planned_world.size());
    for (const auto& [name, stack] : planned_world) EXPECT_EQ(saved_world[name], stack) << name;
    EXPECT_EQ(read_world(state)["version"], "3.15.1");
}

TEST_F(SavedPlanCli, AStatusChangedSinceIsStale) {
    std::string was = made_from("acme-prod-5-2-ecs-ops")["status"];
    edit_stack("acme-prod-5-2-ecs-ops", [](json& s) { s["status"] = "UPDATE_ROLLBACK_FAILED"; });
    auto r = stale_refusal();
    EXPECT_NE(r.err.find("\n  acme-prod-5-2-ecs-ops: status " + was + " when planned, now UPDATE_ROLLBACK_FAILED\n"),
              std::string::npos)
        << r.err;
}

TEST_F(SavedPlanCli, AnUpdateSinceIsStaleByItsTime) {
    edit_stack("acme-prod-5-2-ecs-ops", [](json& s) { s["lastUpdated"] = 1796634764; });
    auto r = stale_refusal();
    EXPECT_NE(r.err.find("\n  acme-prod-5-2-ecs-ops: last updated (not recorded) when planned, now 2026-12-07T09:12:44Z\n"),
              std::string::npos)
        << r.err;
}

TEST_F(SavedPlanCli, ATemplateChangedSinceIsStale) {
    edit_stack("acme-prod-5-2-ecs-ops", [](json& s) { s["templateBody"] = s["templateBody"].get<std::string>() + "\n# edited\n"; });
    auto r = stale_refusal();
    EXPECT_NE(r.err.find("\n  acme-prod-5-2-ecs-ops: its template changed\n"), std::string::npos) << r.err;
}

TEST_F(SavedPlanCli, AStackDeletedOrCreatedSinceIsStale) {
    json world = read_world(state);
    json copy;
    for (auto& s : world["stacks"]) {
        if (s["name"] == "acme-prod-6-1-vpc-peering") s["status"] = "DELETE_COMPLETE";
        if (s["name"] == "acme-prod-1-1-vpc") copy = s;
    }
    copy["name"] = "acme-prod-9-9-extra";
    copy["id"] = "arn:aws:cloudformation:eu-west-1:123456789012:stack/acme-prod-9-9-extra/x";
    copy["exports"] = json::object();
    world["stacks"].push_back(copy);
    write_world(state, world);
    auto r = stale_refusal();
    EXPECT_NE(r.err.find("\n  acme-prod-6-1-vpc-peering: deleted since the plan was made (it was " +
                         made_from("acme-prod-6-1-vpc-peering")["status"].get<std::string>() + ")\n"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("\n  acme-prod-9-9-extra: created since the plan was made (now " + copy["status"].get<std::string>() + ")\n"),
              std::string::npos)
        << r.err;
}

TEST_F(SavedPlanCli, ResumeAfterAFailureContinuesWithoutAStaleRefusal) {
    json world = read_world(state);
    world["scenario"]["failing_tasks"] = json::parse(R"([{"command": "is-db migrate", "exitCode": 3, "log": ["boom"]}])");
    write_world(state, world);
    auto r = run_stackshift(apply_plan_args(plan, state, journal));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    // The resume command names the saved plan, not the releases.
    EXPECT_NE(testing::without_confirmations(r.err).find("stackshift apply --backend sim:" + state + " --plan " + plan + " --values " + values_for("3.15.1") +
                         " --journal " + journal + " --yes --resume"),
              std::string::npos)
        << r.err;
    // The stacks the run updated changed: a new run of the plan is stale now.
    auto again = run_stackshift(apply_plan_args(plan, state, dir.file("other.db")));
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("is stale"), std::string::npos) << again.err;

    world = read_world(state);
    world["scenario"]["failing_tasks"] = json::array();
    write_world(state, world);
    auto resumed = run_stackshift(apply_plan_args(plan, state, journal, {"--yes", "--resume"}));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("resuming run"), std::string::npos) << resumed.out;
    EXPECT_EQ(read_world(state)["version"], "3.15.1");
}

TEST_F(SavedPlanCli, ABlockedPlanIsWrittenAndRefused) {
    std::string blocked = dir.file("blocked.json");
    std::vector<std::string> options = {"--releases", source_path("examples/releases"), "--to", "3.15.1", "--values", values_for("3.15.1")};
    auto written = save_plan(state, blocked, options);  // no --allow-replace: a danger nobody acknowledged
    ASSERT_EQ(written.exit_code, 3) << written.err;
    EXPECT_TRUE(json::parse(read_text(blocked))["blocked"].get<bool>());
    auto r = run_stackshift(apply_plan_args(blocked, state, journal));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("stackshift: error: the plan cannot be applied as it is: it replaces or removes stateful resources "
                         "nobody acknowledged (--allow-replace STACK/LOGICALID); nothing was changed"),
              std::string::npos)
        << r.err;
    auto rehearsed = run_stackshift({"rehearse", "--plan", blocked, "--backend", "sim:" + state, "--values", values_for("3.15.1")});
    EXPECT_EQ(rehearsed.exit_code, 3) << rehearsed.out << rehearsed.err;
    expect_untouched(state);
}

TEST_F(SavedPlanCli, ADamagedFileIsBadInputAtItsPlace) {
    std::string text = read_text(plan);
    std::size_t at = text.find("\"format\": \"stackshift-plan/1\"");
    text.replace(at, 29, "\"format\": \"stackshift-plan/0\"");
    std::string damaged = dir.write("damaged.json", text);
    auto r = run_stackshift(apply_plan_args(damaged, state, journal));
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(damaged + ":2:13: unknown plan format 'stackshift-plan/0'"), std::string::npos) << r.err;
    expect_untouched(state);
}

TEST_F(SavedPlanCli, ATemplateEditedInTheFileIsRefused) {
    json saved = json::parse(read_text(plan));
    auto& templates = saved["saved"]["templates"];
    ASSERT_FALSE(templates.empty());
    std::string file = templates.begin().key();
    templates[file]["text"] = templates[file]["text"].get<std::string>() + "\n# not what was reviewed\n";
    std::string edited = dir.write("edited.json", saved.dump(2));
    auto r = run_stackshift(apply_plan_args(edited, state, journal));
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("the text of template '" + file + "' does not hash to its pinned sha256"), std::string::npos) << r.err;
    expect_untouched(state);
}

TEST_F(SavedPlanCli, OptionsTheFileFixesAreRefused) {
    auto r = run_stackshift(apply_plan_args(plan, state, journal, {"--to", "3.15.1", "--allow-replace", "a/b"}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("stackshift: error: --plan " + plan + " carries the plan as it was reviewed; leave out --to, "
                         "--allow-replace (to change them, plan again and save the new plan)"),
              std::string::npos)
        << r.err;
    auto without = run_stackshift({"apply", "--backend", "sim:" + state, "--journal", journal});
    EXPECT_EQ(without.exit_code, 2);
    EXPECT_NE(without.err.find("stackshift: error: --releases is required (or --plan FILE, a saved plan)"), std::string::npos)
        << without.err;
    expect_untouched(state);
}

TEST_F(SavedPlanCli, ANoEchoValueTheValuesFileGaveIsNeededAgain) {
    // A plan that sets the database password from the values file: the saved plan says so and
    // never holds the value; apply reads it from the values file again, or refuses to start.
    std::string values = dir.write("values.yaml", read_text(values_for("3.15.1")) +
                                                      "acme-prod-2-5-db-timescale:\n  DBPassword: n3wS3cretValue42\n");
    std::vector<std::string> options = plan_args();
    options[5] = values;  // --values
    std::string with_secret = dir.file("secret-plan.json");
    ASSERT_EQ(save_plan(state, with_secret, options).exit_code, 0);
    EXPECT_EQ(read_text(with_secret).find("n3wS3cretValue42"), std::string::npos);

    std::string step = "h1-11-update-stack-2-5-db-timescale";
    auto without = run_stackshift({"apply", "--plan", with_secret, "--backend", "sim:" + state, "--journal", journal, "--yes"});
    EXPECT_EQ(without.exit_code, 2) << without.out << without.err;
    EXPECT_NE(without.err.find("stackshift: error: step " + step + " of " + with_secret +
                               " sends the NoEcho parameter DBPassword of acme-prod-2-5-db-timescale, whose value the values "
                               "file gave when the plan was made; give that file with --values FILE"),
              std::string::npos)
        << without.err;
    auto other = run_stackshift(apply_plan_args(with_secret, state, journal));  // the values file without the password
    EXPECT_EQ(other.exit_code, 2) << other.out << other.err;
    EXPECT_NE(other.err.find(values_for("3.15.1") + " does not give it: add acme-prod-2-5-db-timescale: {DBPassword: ...} or "
                             "give the file the plan was made with"),
              std::string::npos)
        << other.err;
    expect_untouched(state);

    auto r = run_stackshift({"apply", "--plan", with_secret, "--backend", "sim:" + state, "--journal", journal, "--values", values, "--yes"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    json world = read_world(state);
    for (const auto& s : world["stacks"])
        if (s["name"] == "acme-prod-2-5-db-timescale") {
            EXPECT_EQ(s["parameters"]["DBPassword"], "n3wS3cretValue42");
        }
}

TEST_F(SavedPlanCli, RehearseRunsTheSavedPlanAndRefusesAStaleOne) {
    auto r = run_stackshift({"rehearse", "--plan", plan, "--backend", "sim:" + state, "--values", values_for("3.15.1"),
                             "--output", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    json verdict = json::parse(r.out);
    EXPECT_EQ(verdict["verdict"], "would-succeed") << r.out;
    EXPECT_EQ(verdict["to"], "3.15.1");
    EXPECT_EQ(verdict["steps"]["total"], json::parse(read_text(plan))["summary"]["steps"]) << r.out;
    edit_stack("acme-prod-5-2-ecs-ops", [](json& s) { s["status"] = "UPDATE_ROLLBACK_FAILED"; });
    auto stale = run_stackshift({"rehearse", "--plan", plan, "--backend", "sim:" + state, "--values", values_for("3.15.1")});
    EXPECT_EQ(stale.exit_code, 1) << stale.out << stale.err;
    EXPECT_NE(stale.err.find("acme-prod-5-2-ecs-ops: status "), std::string::npos) << stale.err;
    expect_untouched(state);
}

}  // namespace
}  // namespace stackshift
