// End-to-end through the binary: the example's upgrade runs its check-services and
// refresh-instances steps to done on the simulator; a service a scenario leaves unhealthy fails
// the hop's check naming it; a refresh a scenario fails stops the run at its step with the reason,
// and a resume once fixed ends the upgrade with every machine on the group's configuration.

#include <nlohmann/json.hpp>

#include "apply/apply_cli_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::apply_args;
using testing::init_world;
using testing::read_world;
using testing::run_stackshift;
using testing::TempDir;

json journal_steps(const std::string& journal) {
    auto r = run_stackshift({"journal", "--journal", journal, "--run", "1", "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["run"]["steps"];
}

const json* journal_step(const json& steps, const std::string& id) {
    for (const auto& s : steps)
        if (s["id"] == id) return &s;
    return nullptr;
}

// Every instance of every group runs the group's current launch configuration or template.
void expect_machines_on_their_groups_configuration(const json& world) {
    for (const auto& g : world["autoScalingGroups"]) {
        for (const auto& id : g["instanceIds"]) {
            for (const auto& i : world["instances"]) {
                if (i["id"] != id) continue;
                EXPECT_EQ(i["launchConfiguration"], g["launchConfiguration"]) << id;
                EXPECT_EQ(i["launchTemplateVersion"], g["launchTemplateVersion"]) << id;
            }
        }
    }
}

TEST(ApplyHealthRefresh, TheExampleUpgradeRunsTheRefreshAndTheHealthCheckToDone) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state);
    json plan = testing::plan_json(state, "3.19.2");
    auto refresh = testing::steps_of_kind(plan, "refresh-instances");
    auto check = testing::steps_of_kind(plan, "check-services");
    ASSERT_EQ(refresh.size(), 1u);
    ASSERT_EQ(check.size(), 1u);

    auto r = run_stackshift(apply_args(state, journal, {"--yes"}, "3.19.2"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("6 ECS service(s) steady on this hop's images"), std::string::npos) << r.out;
    json steps = journal_steps(journal);
    for (const auto& id : {refresh[0]["id"], check[0]["id"]}) {
        const json* s = journal_step(steps, id);
        ASSERT_NE(s, nullptr) << id;
        EXPECT_EQ((*s)["status"], "done") << id;
    }
    const json& actions = (*journal_step(steps, refresh[0]["id"]))["actions"];
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0]["kind"], "start-instance-refresh");
    EXPECT_EQ(actions[0]["state"], "done");

    json world = read_world(state);
    ASSERT_EQ(world["instanceRefreshes"].size(), 1u);
    EXPECT_EQ(world["instanceRefreshes"][0]["status"], "Successful");
    EXPECT_EQ(world["instanceRefreshes"][0]["id"], actions[0]["aws_id"]);
    EXPECT_EQ(world["instanceRefreshes"][0]["minHealthyPercentage"], 50);
    EXPECT_EQ(world["apiCalls"]["StartInstanceRefresh"], 1);
    expect_machines_on_their_groups_configuration(world);
}

TEST(ApplyHealthRefresh, AServiceLeftUnhealthyFailsTheHopsCheckNamingIt) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state, dir.write("faults.yaml", "unhealthy_services:\n  - stack: acme-prod-5-4-ecs-services\n"
                                               "    logicalId: NetworkServerService\n    running: 1\n"));
    auto r = run_stackshift(apply_args(state, journal, {"--yes"}));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("failed at step h1-23-check-services: not every ECS service is steady: "
                         "acme-prod-5-4-ecs-services/NetworkServerService: 1 of 3 tasks running; deployment IN_PROGRESS (its latest "
                         "event: (service ns) is unable to consistently start tasks successfully."),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("Amazon ECS Developer Guide.) after 30m0s."), std::string::npos) << r.err;
    json steps = journal_steps(journal);
    const json* s = journal_step(steps, "h1-23-check-services");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ((*s)["status"], "failed");
}

TEST(ApplyHealthRefresh, AFailedRefreshStopsTheRunWithItsReasonAndAResumeOnceFixedEndsOnTarget) {
    TempDir dir;
    std::string state = dir.file("world.json");
    std::string journal = dir.file("journal.db");
    init_world(state, dir.write("faults.yaml", "failing_instance_refreshes:\n  - stack: 5-1-ecs-cluster\n"
                                               "    logicalId: ECSAutoScalingGroup\n    reason: new machines failed their health checks\n"));
    json plan = testing::plan_json(state, "3.19.2");
    std::string refresh = testing::steps_of_kind(plan, "refresh-instances").at(0)["id"];
    auto r = run_stackshift(apply_args(state, journal, {"--yes"}, "3.19.2"));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("failed at step " + refresh + ": instance refresh "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(" ended Failed at 33%: new machines failed their health checks. "), std::string::npos) << r.err;
    json steps = journal_steps(journal);
    const json* s = journal_step(steps, refresh);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ((*s)["status"], "failed");
    EXPECT_EQ((*s)["actions"].at(0)["state"], "failed");

    json world = read_world(state);
    world["scenario"]["failing_instance_refreshes"] = json::array();
    testing::write_world(state, world);
    auto resumed = run_stackshift(apply_args(state, journal, {"--yes", "--resume"}, "3.19.2"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    json after = read_world(state);
    EXPECT_EQ(after["apiCalls"]["StartInstanceRefresh"], 2) << "a new refresh after the failed one";
    EXPECT_EQ(after["instanceRefreshes"].back()["status"], "Successful");
    expect_machines_on_their_groups_configuration(after);
}

}  // namespace
}  // namespace stackshift
