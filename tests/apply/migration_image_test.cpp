// The executor's check before a migration task starts: the task definition the ops stack's
// output names must run the image the plan's step expects, else the run stops before RunTask
// with both images, the step and the fix. Run against the example's world, on a plan of one
// run-migration step written here.

#include <algorithm>
#include <iterator>
#include <sstream>

#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::source_path;

constexpr const char* ops_stack = "acme-prod-5-2-ecs-ops";
constexpr const char* old_image = "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws";
constexpr const char* new_image = "docker.io/thethingsindustries/lorawan-stack:3.15.1-aws";

cloud::sim::SimCloud example_cloud() {
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment.ok());
    return cloud::sim::SimCloud(cloud::sim::world_from_deployment(*deployment, {}));
}

plan::Plan migration_plan(const std::string& image) {
    plan::Step step;
    step.id = "h1-01-migrate-is-db";
    step.kind = plan::StepKind::run_migration;
    step.title = "Migrate is-db";
    step.stack = ops_stack;
    step.template_id = "5-2-ecs-ops";
    step.resource_output = "OpsRunTaskArguments";
    step.database = "is-db";
    step.command = {"tti-lw-stack", "is-db", "migrate"};
    step.image = image;
    using plan::TaskField;
    step.run_task = plan::RunTaskSpec{"OpsRunTaskArguments",
                                      {TaskField::task_definition, TaskField::cluster, TaskField::subnet, TaskField::subnet,
                                       TaskField::security_group},
                                      "ttes",
                                      "FARGATE"};
    plan::Plan p;
    p.from = *Version::parse("3.14.2");
    p.to = *Version::parse("3.15.1");
    p.deployment = "sim:memory";
    p.hops.push_back({p.from, p.to, {step}});
    return p;
}

struct Applied {
    apply::ApplyResult result;
    std::string out;
};

Applied apply_plan(cloud::sim::SimCloud& cloud, const plan::Plan& p) {
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = journal.begin_run({p.deployment, "0123456789abcdef", "3.14.2", "3.15.1"});
    journal.add_steps(id, apply::journal_steps(p));
    std::ostringstream out;
    apply::Progress progress(out, [&cloud] { return cloud.world().clock_s; });
    apply::ExecutorOptions options;
    options.yes = true;
    options.confirm = [](const std::string&) { return true; };  // a person at the terminal accepts each step
    options.container = "ttes";
    apply::Executor executor(cloud, journal, progress, options);
    Applied run{executor.run(p, id, "0123456789abcdef"), ""};
    run.out = out.str();
    return run;
}

std::uint64_t calls(cloud::sim::SimCloud& cloud, const std::string& operation) {
    auto it = cloud.world().api_calls.find(operation);
    return it == cloud.world().api_calls.end() ? 0 : it->second;
}

// The ops stack moved to `image` as the plan's update would (only its OpsImage changes).
void update_ops_image(cloud::sim::SimCloud& cloud, const std::string& image) {
    std::vector<cloud::ParameterInput> inputs;
    for (const auto& [key, value] : cloud.world().stack(ops_stack)->parameters)
        inputs.push_back(key == "OpsImage" ? cloud::ParameterInput::set(key, image) : cloud::ParameterInput::keep(key));
    cloud.update_stack({ops_stack, inputs});
    for (int i = 0; i < 200 && cloud.describe_stack(ops_stack).status.ends_with("_IN_PROGRESS"); ++i) cloud.wait(15);
    ASSERT_EQ(cloud.describe_stack(ops_stack).status, "UPDATE_COMPLETE");
}

std::string first_word(const std::string& text) { return text.substr(0, text.find(' ')); }

TEST(ApplyMigrationImage, StopsBeforeRunTaskWhenTheTaskDefinitionRunsTheOldImage) {
    // The ops stack was not updated: its output names revision 7, which runs 3.14.2.
    cloud::sim::SimCloud cloud = example_cloud();
    std::string definition = first_word(cloud.world().stack(ops_stack)->outputs.at("OpsRunTaskArguments"));
    Applied run = apply_plan(cloud, migration_plan(new_image));
    ASSERT_EQ(run.result.outcome, apply::ApplyOutcome::failed) << run.out;
    EXPECT_EQ(run.result.failed_step, "h1-01-migrate-is-db");
    const std::string& m = run.result.message;
    EXPECT_NE(m.find("h1-01-migrate-is-db"), std::string::npos) << m;
    EXPECT_NE(m.find(definition), std::string::npos) << m;
    EXPECT_NE(m.find(std::string("runs ") + old_image), std::string::npos) << m;
    EXPECT_NE(m.find(std::string("must run with ") + new_image), std::string::npos) << m;
    EXPECT_NE(m.find("--resume"), std::string::npos) << m;
    EXPECT_EQ(calls(cloud, "DescribeTaskDefinition"), 1u);
    EXPECT_EQ(calls(cloud, "RunTask"), 0u) << "no task may start with the wrong image";
}

TEST(ApplyMigrationImage, RunsOnceTheOpsStackRunsTheHopsImage) {
    cloud::sim::SimCloud cloud = example_cloud();
    update_ops_image(cloud, new_image);
    Applied run = apply_plan(cloud, migration_plan(new_image));
    ASSERT_EQ(run.result.outcome, apply::ApplyOutcome::succeeded) << run.result.message << "\n" << run.out;
    ASSERT_EQ(cloud.world().tasks.size(), 1u);
    EXPECT_EQ(cloud.world().tasks[0].images, std::vector<std::string>{new_image});
    EXPECT_TRUE(cloud.world().tasks[0].task_definition.ends_with("task-definition/acme-prod-ops:8"))
        << cloud.world().tasks[0].task_definition;
}

TEST(ApplyMigrationImage, StopsWhenTheOutputNamesTheRevisionCloudFormationReplaced) {
    cloud::sim::SimCloud cloud = example_cloud();
    std::string before = cloud.world().stack(ops_stack)->outputs.at("OpsRunTaskArguments");
    update_ops_image(cloud, new_image);
    // An output not recomputed after the update: it still names revision 7, now INACTIVE.
    cloud.world().stack(ops_stack)->outputs["OpsRunTaskArguments"] = before;
    Applied run = apply_plan(cloud, migration_plan(new_image));
    ASSERT_EQ(run.result.outcome, apply::ApplyOutcome::failed) << run.out;
    EXPECT_NE(run.result.message.find(first_word(before) + " that OpsRunTaskArguments of " + ops_stack + " names is INACTIVE"),
              std::string::npos)
        << run.result.message;
    EXPECT_EQ(calls(cloud, "RunTask"), 0u);
}

TEST(ApplyMigrationImage, AStepWithoutAnImageFailsClosed) {
    cloud::sim::SimCloud cloud = example_cloud();
    update_ops_image(cloud, new_image);
    Applied run = apply_plan(cloud, migration_plan(""));
    ASSERT_EQ(run.result.outcome, apply::ApplyOutcome::failed) << run.out;
    EXPECT_NE(run.result.message.find("does not say which image its migration must run with"), std::string::npos)
        << run.result.message;
    EXPECT_NE(run.result.message.find("make the plan again"), std::string::npos) << run.result.message;
    EXPECT_EQ(calls(cloud, "RunTask"), 0u);
}

// The run-task spec the plan carries decides what each word of the output fills: a spec of
// another length than the output stops the step, naming the output, its value and the fields.
TEST(ApplyRunTaskSpec, AnOutputWithAnotherNumberOfFieldsStopsTheStep) {
    cloud::sim::SimCloud cloud = example_cloud();
    update_ops_image(cloud, new_image);
    std::string value = cloud.world().stack(ops_stack)->outputs.at("OpsRunTaskArguments");
    plan::Plan p = migration_plan(new_image);
    p.hops[0].steps[0].run_task->fields.pop_back();
    Applied run = apply_plan(cloud, p);
    ASSERT_EQ(run.result.outcome, apply::ApplyOutcome::failed) << run.out;
    EXPECT_EQ(run.result.message, "output OpsRunTaskArguments of " + std::string(ops_stack) + " is '" + value +
                                      "': 5 field(s), but the profile's migrations.task_arguments expects 4 "
                                      "(task_definition cluster subnet subnet)");
    EXPECT_EQ(calls(cloud, "RunTask"), 0u);
}

TEST(ApplyRunTaskSpec, AStepWithoutASpecFailsClosed) {
    cloud::sim::SimCloud cloud = example_cloud();
    update_ops_image(cloud, new_image);
    plan::Plan p = migration_plan(new_image);
    p.hops[0].steps[0].run_task.reset();
    Applied run = apply_plan(cloud, p);
    ASSERT_EQ(run.result.outcome, apply::ApplyOutcome::failed) << run.out;
    EXPECT_NE(run.result.message.find("does not say how its task starts"), std::string::npos) << run.result.message;
    EXPECT_EQ(calls(cloud, "RunTask"), 0u);
}

// The fields go where the spec puts them: the task definition and the cluster of the output.
TEST(ApplyRunTaskSpec, TheTaskRunsTheOutputsTaskDefinitionInItsCluster) {
    cloud::sim::SimCloud cloud = example_cloud();
    update_ops_image(cloud, new_image);
    std::istringstream words(cloud.world().stack(ops_stack)->outputs.at("OpsRunTaskArguments"));
    std::vector<std::string> fields{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
    ASSERT_EQ(fields.size(), 5u);
    Applied run = apply_plan(cloud, migration_plan(new_image));
    ASSERT_EQ(run.result.outcome, apply::ApplyOutcome::succeeded) << run.result.message << "\n" << run.out;
    ASSERT_EQ(cloud.world().tasks.size(), 1u);
    const auto& task = cloud.world().tasks[0];
    ASSERT_NE(fields[0].find("task-definition/"), std::string::npos) << fields[0];
    EXPECT_TRUE(task.task_definition.ends_with(fields[0].substr(fields[0].find("task-definition/")))) << task.task_definition;
    EXPECT_EQ(task.cluster, fields[1]);
}

}  // namespace
}  // namespace stackshift
