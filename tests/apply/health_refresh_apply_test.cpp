// The apply side of the hop's health check and of the instance refresh, in process against the
// example's simulated world: steady services pass, an unhealthy one fails after the bounded
// wait naming it, a service on another image fails at once; a refresh runs to its end, fails
// with its reason, and a resume after a crash at each of its journal writes starts no second one.

#include <gtest/gtest.h>

#include <sstream>

#include "apply/step_context.hpp"
#include "apply/journal.hpp"
#include "apply/service_health.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "cloud/sim_support.hpp"
#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using apply::OperationFailed;
using cloud::sim::SimCloud;

constexpr const char* services_stack = "acme-prod-5-4-ecs-services";
constexpr const char* cluster_stack = "acme-prod-5-1-ecs-cluster";
const std::string image_3_14_2 = "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws";

SimCloud example(const std::string& scenario = "") {
    auto deployment = inputs::load_deployment(testing::source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment);
    cloud::sim::Scenario s = scenario.empty() ? cloud::sim::Scenario{} : testing::scenario_from(scenario);
    return SimCloud(cloud::sim::world_from_deployment(*deployment, s));
}

// The executor's hooks, without its throttling retries: the simulator throttles nothing here.
struct Hooks {
    std::vector<std::string> notes;
    std::string last_status;
    apply::OperationHooks of(cloud::Cloud& c) {
        return {[&c](std::int64_t s) { c.wait(s); }, [](const std::function<void()>& call) { call(); },
                [](int poll, std::int64_t first, std::int64_t cap) { return std::min(cap, first + poll * first); },
                [this](const std::string& line) { last_status = line; }, [this](const std::string& line) { notes.push_back(line); }};
    }
};

plan::Step check_step(std::vector<plan::ServiceCheck> services) {
    plan::Step step;
    step.id = "h1-23-check-services";
    step.kind = plan::StepKind::check_services;
    step.services = std::move(services);
    return step;
}

std::string failure_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const OperationFailed& e) {
        return e.what();
    } catch (const apply::StepFailure& e) {
        return e.what();
    }
    return "(no failure)";
}

TEST(ServiceHealth, SteadyServicesOnTheHopsImagesPass) {
    SimCloud c = example();
    Hooks hooks;
    plan::Step step = check_step({{services_stack, "ApplicationServerService", {image_3_14_2}, false},
                                  {services_stack, "GatewayServerService", {image_3_14_2}, false},
                                  {"acme-prod-5-5-ecs-proxy", "Service", {}, false}});
    EXPECT_EQ(apply::check_services(c, step, hooks.of(c)), "done");
    EXPECT_EQ(hooks.notes.back(), "3 ECS service(s) steady on this hop's images");
    EXPECT_EQ(c.world().api_calls["DescribeServices"], 1u) << "one call per cluster and poll: the two stacks share one";
}

TEST(ServiceHealth, AServiceThatStaysDownFailsAfterTheBoundedWaitNamingItAndWhatIsWrong) {
    SimCloud c = example("unhealthy_services:\n  - {stack: 5-4-ecs-services, logicalId: JoinServerService, running: 1}\n");
    Hooks hooks;
    plan::Step step = check_step({{services_stack, "ApplicationServerService", {image_3_14_2}, false},
                                  {services_stack, "JoinServerService", {image_3_14_2}, false}});
    std::int64_t start = c.clock_s();
    std::string message = failure_of([&] { apply::check_services(c, step, hooks.of(c)); });
    EXPECT_EQ(message, "not every ECS service is steady: acme-prod-5-4-ecs-services/JoinServerService: 1 of 2 tasks running; "
                       "deployment IN_PROGRESS (its latest event: (service js) is unable to consistently start tasks "
                       "successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer "
                       "Guide.) after 30m0s. Look at the services' events (aws ecs describe-services), fix "
                       "what keeps them down, then run again with --resume");
    EXPECT_GE(c.clock_s() - start, apply::service_check_max_wait_s);
    EXPECT_LT(c.clock_s() - start, apply::service_check_max_wait_s + 120) << "the last wait ends at the bound";
    EXPECT_NE(hooks.last_status.find("1 of 2 services steady"), std::string::npos) << hooks.last_status;
}

TEST(ServiceHealth, AServiceSteadyOnAnotherImageFailsAtOnce) {
    SimCloud c = example();
    Hooks hooks;
    const std::string wanted = "docker.io/thethingsindustries/lorawan-stack:3.15.1-aws";
    plan::Step step = check_step({{services_stack, "NetworkServerService", {wanted, wanted + "-proxy"}, false}});
    std::int64_t start = c.clock_s();
    EXPECT_EQ(failure_of([&] { apply::check_services(c, step, hooks.of(c)); }),
              "not every ECS service is steady: acme-prod-5-4-ecs-services/NetworkServerService: container ttes runs " +
                  image_3_14_2 + ", this hop set " + wanted + " or " + wanted +
                  "-proxy. Look at the services' events (aws ecs describe-services), fix what keeps them down, then run "
                  "again with --resume");
    EXPECT_LT(c.clock_s() - start, 60) << "waiting would change nothing";
}

TEST(ServiceHealth, AServiceTheStackDoesNotHaveFailsUnlessItsConditionMayBeFalse) {
    SimCloud c = example();
    Hooks hooks;
    EXPECT_EQ(failure_of([&] { apply::check_services(c, check_step({{services_stack, "NocService", {}, false}}), hooks.of(c)); }),
              "acme-prod-5-4-ecs-services/NocService: the stack has no such service (DescribeStackResources lists no "
              "NocService); the plan expects one after this hop");
    EXPECT_EQ(apply::check_services(c, check_step({{services_stack, "NocService", {}, true}, {services_stack, "JoinServerService", {}, false}}),
                                    hooks.of(c)),
              "done");
    EXPECT_EQ(hooks.notes.front(), "acme-prod-5-4-ecs-services/NocService is not deployed (its Condition is false): not checked");
}

TEST(ServiceHealth, ImageRepositoriesAndServiceArnsAreReadAsAwsWritesThem) {
    EXPECT_EQ(apply::image_repository("docker.io/thethingsindustries/lorawan-stack:3.15.1-aws"), "docker.io/thethingsindustries/lorawan-stack");
    EXPECT_EQ(apply::image_repository("registry:5000/app"), "registry:5000/app");
    EXPECT_EQ(apply::image_repository("app@sha256:abc"), "app");
    auto parts = apply::service_arn_parts("arn:aws:ecs:eu-west-1:1:service/main/web");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->first, "main");
    EXPECT_EQ(parts->second, "web");
    EXPECT_FALSE(apply::service_arn_parts("arn:aws:ecs:eu-west-1:1:service/web")) << "the old format names no cluster";
    EXPECT_FALSE(apply::service_arn_parts("web"));
}

// ---- refresh-instances ---------------------------------------------------------------------

struct RefreshRun {
    apply::Journal journal{std::string(apply::in_memory_journal)};
    plan::Plan plan;
    std::int64_t run = 0;

    RefreshRun() {
        plan::Step step;
        step.id = "h1-16-refresh-instances-5-1-ecs-cluster-machines";
        step.kind = plan::StepKind::refresh_instances;
        step.stack = cluster_stack;
        step.logical_id = "ECSAutoScalingGroup";
        step.min_healthy_percentage = 50;
        plan.hops.push_back({*Version::parse("3.14.2"), *Version::parse("3.19.2"), {step}});
        run = journal.begin_run({"example", "f00d", "3.14.2", "3.19.2"}, apply::journal_steps(plan));
    }
    const plan::Step& step() const { return plan.hops[0].steps[0]; }
    std::vector<apply::ActionRecord> actions() const { return journal.actions(run, step().id); }
};

std::string group_of(SimCloud& c) { return c.world().auto_scaling_groups.at(0).name; }

// The refresh-instances step carried out by the executor's driver, as apply carries it out; what
// it printed is kept.
struct Refresher {
    std::ostringstream out;
    apply::ExecutorOptions options;

    std::string run(SimCloud& c, RefreshRun& r) {
        apply::Progress progress(out, [&c] { return c.clock_s(); });
        apply::Pacer pacer(c, options);
        apply::Driver driver(r.journal, progress, pacer, r.run, "f00d");
        apply::StepContext ctx{c, r.journal, progress, options, pacer, driver};
        return std::string(apply::step_outcome_name(apply::run_instance_refresh(ctx, r.step())));
    }
    bool said(const std::string& line) const { return out.str().find(line) != std::string::npos; }
};

TEST(InstanceRefreshStep, RunsTheRefreshToItsEndAndJournalsItsId) {
    SimCloud c = example();
    RefreshRun r;
    Refresher hooks;
    auto before = c.world().auto_scaling_groups.at(0).instance_ids;
    EXPECT_EQ(hooks.run(c, r), "done");
    auto actions = r.actions();
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].kind, "start-instance-refresh");
    EXPECT_TRUE(actions[0].name.starts_with(group_of(c) + "@")) << actions[0].name;
    EXPECT_EQ(actions[0].state, apply::ActionState::done);
    auto refreshes = c.describe_instance_refreshes(group_of(c), {});
    ASSERT_EQ(refreshes.size(), 1u);
    EXPECT_EQ(actions[0].aws_id, refreshes[0].id);
    EXPECT_EQ(refreshes[0].status, "Successful");
    EXPECT_TRUE(hooks.said("instance refresh " + refreshes[0].id + " of " + group_of(c) + ", keeping 50% in service"))
        << hooks.out.str();
    for (const auto& id : c.world().auto_scaling_groups.at(0).instance_ids)
        EXPECT_EQ(std::count(before.begin(), before.end(), id), 0) << id;
}

TEST(InstanceRefreshStep, AFailedRefreshFailsTheStepWithItsReasonAndARetryStartsANewOne) {
    SimCloud c = example("failing_instance_refreshes:\n  - {stack: 5-1-ecs-cluster, logicalId: ECSAutoScalingGroup, "
                         "reason: \"Instance i-0abc failed its health check\"}\n");
    RefreshRun r;
    Refresher hooks;
    std::string message = failure_of([&] { hooks.run(c, r); });
    EXPECT_TRUE(message.starts_with("instance refresh ")) << message;
    EXPECT_NE(message.find(" of " + group_of(c) + " ended Failed at 33%: Instance i-0abc failed its health check. "), std::string::npos)
        << message;
    ASSERT_EQ(r.actions().size(), 1u);
    EXPECT_EQ(r.actions()[0].state, apply::ActionState::failed);

    c.world().scenario.failing_instance_refreshes.clear();  // fixed
    EXPECT_EQ(hooks.run(c, r), "done");
    EXPECT_EQ(c.world().api_calls["StartInstanceRefresh"], 2u);
    EXPECT_EQ(r.actions().back().state, apply::ActionState::done);
}

TEST(InstanceRefreshStep, AResumeAfterACrashAtEachJournalWriteStartsNoSecondRefresh) {
    // Killed after the intent, before StartInstanceRefresh: the resume starts it.
    {
        SimCloud c = example();
        RefreshRun r;
        Refresher hooks;
        r.journal.intend_action(r.run, r.step().id, apply::action_kind_name(apply::ActionKind::start_instance_refresh), group_of(c) + "@" + std::to_string(c.clock_s()));
        EXPECT_EQ(hooks.run(c, r), "done");
        EXPECT_EQ(c.world().api_calls["StartInstanceRefresh"], 1u);
        EXPECT_EQ(r.actions().size(), 1u);
    }
    // Killed after StartInstanceRefresh, before its id was journaled: the resume finds it.
    {
        SimCloud c = example();
        RefreshRun r;
        Refresher hooks;
        r.journal.intend_action(r.run, r.step().id, apply::action_kind_name(apply::ActionKind::start_instance_refresh), group_of(c) + "@" + std::to_string(c.clock_s()));
        std::string id = c.start_instance_refresh(group_of(c), 50).id;
        c.wait(400);
        EXPECT_EQ(hooks.run(c, r), "done");
        EXPECT_EQ(c.world().api_calls["StartInstanceRefresh"], 1u);
        EXPECT_EQ(r.actions().at(0).aws_id, id);
        EXPECT_TRUE(hooks.said("re-attached to instance refresh " + id + " of " + group_of(c))) << hooks.out.str();
    }
    // Killed after the id was journaled: the resume re-attaches; after done, nothing happens.
    {
        SimCloud c = example();
        RefreshRun r;
        Refresher hooks;
        auto action = r.journal.intend_action(r.run, r.step().id, apply::action_kind_name(apply::ActionKind::start_instance_refresh), group_of(c) + "@" + std::to_string(c.clock_s()));
        std::string id = c.start_instance_refresh(group_of(c), 50).id;
        r.journal.action_started(action, id);
        EXPECT_EQ(hooks.run(c, r), "done");
        auto calls = c.world().api_calls;
        EXPECT_EQ(calls["StartInstanceRefresh"], 1u);
        EXPECT_EQ(hooks.run(c, r), "done");
        EXPECT_EQ(c.world().api_calls["DescribeInstanceRefreshes"], calls["DescribeInstanceRefreshes"]);
    }
}

TEST(InstanceRefreshStep, ARefreshThisRunDidNotStartStopsTheStep) {
    SimCloud c = example();
    RefreshRun r;
    Refresher hooks;
    c.start_instance_refresh(group_of(c), 90);  // someone else's
    std::string message = failure_of([&] { hooks.run(c, r); });
    EXPECT_TRUE(message.starts_with("an instance refresh not started by this run is in progress on " + group_of(c) +
                                    " (An Instance Refresh is already in progress and blocks the execution of this Instance "
                                    "Refresh.): wait for it to end"))
        << message;
    EXPECT_EQ(r.actions().at(0).state, apply::ActionState::failed);
}

TEST(InstanceRefreshStep, AStepWithoutAPercentageStartsNothing) {
    SimCloud c = example();
    RefreshRun r;
    r.plan.hops[0].steps[0].min_healthy_percentage.reset();
    Refresher hooks;
    EXPECT_TRUE(failure_of([&] { hooks.run(c, r); })
                    .starts_with("step h1-16-refresh-instances-5-1-ecs-cluster-machines does not say which percentage"));
    EXPECT_EQ(c.world().api_calls["StartInstanceRefresh"], 0u);
    EXPECT_TRUE(r.actions().empty());
}

}  // namespace
}  // namespace stackshift
