// A step whose template is over CloudFormation's 51,200-byte TemplateBody limit: without
// --template-bucket the run stops before anything is sent; with it the template is uploaded
// (journaled like every action) and the change set made from its URL.

#include <sstream>

#include "apply/executor.hpp"
#include "apply/journal.hpp"
#include "apply/progress.hpp"
#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/file_io.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planner.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using testing::source_path;

struct Fixture {
    cloud::sim::SimCloud sim;
    plan::Plan plan;
    std::string fingerprint;
    const plan::Step* big = nullptr;  // the step whose template is made too long for a TemplateBody
};

Fixture make_fixture(const std::string& scenario_text) {
    auto scenario = cloud::sim::parse_scenario(scenario_text, "scenario.yaml");
    EXPECT_TRUE(scenario.ok());
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    EXPECT_TRUE(deployment.ok());
    cloud::sim::World world = cloud::sim::world_from_deployment(*deployment, *scenario);
    plan::PlanRequest request;
    request.deployment = cloud::sim::world_to_deployment(world);
    request.deployment_path = "sim:memory";
    request.releases_path = source_path("examples/releases");
    request.to = "3.15.1";
    request.values_path = source_path("examples/values-3.15.1.yaml");
    request.allow_replace = {"acme-prod-2-5-db-timescale/Volume"};
    plan::Plan p = plan::make_plan(plan::load_plan_inputs(request));
    Fixture f{cloud::sim::SimCloud(std::move(world)), std::move(p), "", nullptr};
    f.fingerprint = plan::plan_fingerprint(f.plan);
    for (const auto& hop : f.plan.hops)
        for (const auto& s : hop.steps)
            if (s.kind == plan::StepKind::update_stack && f.big == nullptr) f.big = &s;
    return f;
}

// The step's template padded with a YAML comment to past the limit; the others as they are.
std::string padded(const std::string& body) { return body + "\n# " + std::string(cloud::max_template_body_bytes, 'x') + "\n"; }

apply::ApplyResult run(Fixture& f, apply::Journal& journal, std::int64_t run_id, std::ostream& out, const std::string& bucket) {
    apply::Progress progress(out, [&f] { return f.sim.world().clock_s; });
    apply::ExecutorOptions options;
    options.yes = true;
    options.confirm = [](const std::string&) { return true; };  // a person at the terminal accepts each step
    options.container = "ttes";
    options.template_bucket = bucket;
    std::string big_file = f.big->template_file;
    options.read_template = [big_file](const std::string& path) {
        auto body = read_file(path);
        if (!body) throw std::runtime_error(to_string(body.diagnostics()));
        return path == big_file ? padded(*body) : *body;
    };
    apply::Executor executor(f.sim, journal, progress, options);
    return executor.run(f.plan, run_id, f.fingerprint);
}

std::int64_t begin(apply::Journal& journal, const Fixture& f) {
    std::int64_t id = journal.begin_run({f.plan.deployment, f.fingerprint, "3.14.2", "3.15.1"});
    journal.add_steps(id, apply::journal_steps(f.plan));
    return id;
}

TEST(ApplyTemplateBucket, AnOversizedTemplateWithoutABucketStopsBeforeAnythingIsSent) {
    Fixture f = make_fixture("{}");
    ASSERT_NE(f.big, nullptr);
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f);
    std::ostringstream out;
    auto result = run(f, journal, id, out, "");
    EXPECT_EQ(result.outcome, apply::ApplyOutcome::stopped);
    EXPECT_EQ(result.failed_step, f.big->id);
    std::size_t size = padded(*read_file(f.big->template_file)).size();
    EXPECT_EQ(result.message, "step " + f.big->id + ": the template " + f.big->template_file + " is " + std::to_string(size) +
                                  " bytes, over CloudFormation's TemplateBody limit of 51200 bytes; nothing was sent. Give an S3 "
                                  "bucket to upload it to with --template-bucket BUCKET (it goes to s3://BUCKET/stackshift/" +
                                  f.fingerprint + "/" + f.big->id + ".template) and run again");
    EXPECT_TRUE(f.sim.world().api_calls.empty()) << f.sim.world().api_calls.size() << " kinds of calls were made";
    EXPECT_EQ(journal.run(id)->outcome, apply::RunOutcome::stopped);
}

TEST(ApplyTemplateBucket, WithABucketTheTemplateIsUploadedAndTheStackGetsIt) {
    Fixture f = make_fixture("account:\n  add:\n    s3_buckets: [acme-templates]\n");
    ASSERT_NE(f.big, nullptr);
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f);
    std::ostringstream out;
    auto result = run(f, journal, id, out, "acme-templates");
    ASSERT_EQ(result.outcome, apply::ApplyOutcome::succeeded) << result.message << "\n" << out.str();

    std::string body = padded(*read_file(f.big->template_file));
    std::string key = apply::template_key(f.big->id, f.fingerprint);
    const auto& objects = f.sim.world().inventory.s3_objects;
    ASSERT_EQ(objects.count("acme-templates"), 1u);
    ASSERT_EQ(objects.at("acme-templates").count(key), 1u);
    EXPECT_EQ(objects.at("acme-templates").at(key), body);
    EXPECT_EQ(objects.at("acme-templates").size(), 1u);  // the other templates went inline
    EXPECT_EQ(f.sim.world().stack(f.big->stack)->template_body, body);

    bool journaled = false;
    for (const auto& a : journal.actions_of_run(id)) {
        if (a.kind != "upload-template") continue;
        journaled = true;
        EXPECT_EQ(a.name, key);
        EXPECT_EQ(a.aws_id, "https://acme-templates.s3.eu-west-1.amazonaws.com/" + key);
        EXPECT_EQ(a.state, apply::ActionState::done);
    }
    EXPECT_TRUE(journaled);
    EXPECT_EQ(f.sim.world().api_calls.at("PutObject"), 1u);
}

TEST(ApplyTemplateBucket, AnUnknownBucketFailsTheStepWithS3sError) {
    Fixture f = make_fixture("{}");
    testing::TempDir dir;
    apply::Journal journal(dir.file("j.db"));
    std::int64_t id = begin(journal, f);
    std::ostringstream out;
    auto result = run(f, journal, id, out, "no-such-bucket");
    EXPECT_EQ(result.outcome, apply::ApplyOutcome::failed);
    EXPECT_EQ(result.failed_step, f.big->id);
    EXPECT_NE(result.message.find("NoSuchBucket"), std::string::npos) << result.message;
    int uploads = 0;
    for (const auto& a : journal.actions_of_run(id)) {
        if (a.kind != "upload-template") continue;
        ++uploads;
        EXPECT_EQ(a.state, apply::ActionState::failed);
    }
    EXPECT_EQ(uploads, 1);
}

}  // namespace
}  // namespace stackshift
