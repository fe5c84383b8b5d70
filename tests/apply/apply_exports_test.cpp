// The example upgrade rehearsed in the simulator with CloudFormation's export rules: the
// bundled plan (3.14.2 -> 3.30.2) applies to done, and the same plan without the vendor's
// storage-off steps fails where AWS fails, at the 2-5-db-timescale update whose Address export
// 5-2-ecs-ops and 5-4-ecs-services still import.

#include <algorithm>
#include <sstream>

#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::source_path;

struct Upgrade {
    cloud::sim::SimCloud sim;
    plan::Plan plan;
};

// The example's plan to 3.30.2, as `make demo` makes it.
Upgrade example_upgrade() {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment.ok());
    cloud::sim::World world = cloud::sim::world_from_deployment(*deployment, {});
    plan::PlanRequest request;
    request.deployment = cloud::sim::world_to_deployment(world);
    request.deployment_path = "sim:memory";
    request.releases_path = source_path("examples/releases");
    request.to = "3.30.2";
    request.values_path = source_path("examples/values-3.30.2.yaml");
    request.allow_replace = {"acme-prod-2-5-db-timescale/Volume", "acme-prod-4-1-secrets/InteropTLSSecret"};
    plan::Plan p = plan::make_plan(plan::load_plan_inputs(request));
    return Upgrade{cloud::sim::SimCloud(std::move(world)), std::move(p)};
}

apply::ApplyResult apply_plan(Upgrade& u, const std::string& journal_path, std::ostream& out) {
    apply::Journal journal(journal_path);
    std::string fingerprint = plan::plan_fingerprint(u.plan);
    std::int64_t id = journal.begin_run({u.plan.deployment, fingerprint, "3.14.2", "3.30.2"});
    journal.add_steps(id, apply::journal_steps(u.plan));
    apply::Progress progress(out, [&u] { return u.sim.world().clock_s; });
    apply::ExecutorOptions options;
    options.yes = true;
    options.confirm = [](const std::string&) { return true; };  // a person at the terminal accepts each step
    options.container = "ttes";
    apply::Executor executor(u.sim, journal, progress, options);
    return executor.run(u.plan, id, fingerprint);
}

TEST(ApplyExports, TheExamplePlanAppliesToDoneAndTheTimescaleExportIsGone) {
    Upgrade u = example_upgrade();
    ASSERT_FALSE(u.plan.blocked());
    testing::TempDir dir;
    std::ostringstream out;
    auto result = apply_plan(u, dir.file("j.db"), out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message << "\n" << out.str();
    const auto* timescale = u.sim.world().stack("acme-prod-2-5-db-timescale");
    ASSERT_NE(timescale, nullptr);
    EXPECT_EQ(timescale->exports.count("acme-prod-2-5-db-timescale-Address"), 0U);
    EXPECT_EQ(timescale->outputs.count("Address"), 0U);
    for (const auto& s : u.sim.world().stacks) {
        EXPECT_EQ(std::count(s.imports.begin(), s.imports.end(), "acme-prod-2-5-db-timescale-Address"), 0) << s.name;
    }
}

TEST(ApplyExports, WithoutTheStorageOffStepsTheTimescaleUpdateFailsAsInAws) {
    Upgrade u = example_upgrade();
    auto& steps = u.plan.hops.at(0).steps;
    auto removed = std::erase_if(steps, [](const plan::Step& s) {
        return s.kind == plan::StepKind::set_parameters && s.id.find("storage-off") != std::string::npos;
    });
    ASSERT_EQ(removed, 2U);
    std::string timescale_step;
    for (const auto& s : steps) {
        if (s.kind == plan::StepKind::update_stack && s.stack == "acme-prod-2-5-db-timescale") timescale_step = s.id;
    }
    ASSERT_FALSE(timescale_step.empty());
    testing::TempDir dir;
    std::ostringstream out;
    auto result = apply_plan(u, dir.file("j.db"), out);
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::failed) << out.str();
    EXPECT_EQ(result.failed_step, timescale_step);
    const std::string reason =
        "Export acme-prod-2-5-db-timescale-Address cannot be deleted as it is in use by acme-prod-5-2-ecs-ops and "
        "acme-prod-5-4-ecs-services";
    EXPECT_NE(result.message.find(reason), std::string::npos) << result.message;
    const auto* timescale = u.sim.world().stack("acme-prod-2-5-db-timescale");
    EXPECT_EQ(timescale->status, "UPDATE_ROLLBACK_COMPLETE");
    EXPECT_EQ(timescale->exports.count("acme-prod-2-5-db-timescale-Address"), 1U);
}

}  // namespace
}  // namespace stackshift
