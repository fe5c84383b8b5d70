// The plan's identity (plan/fingerprint.hpp): what the plan does decides it; its prose and the
// spelling of the paths it was read from do not.

#include <filesystem>

#include "core/file_io.hpp"
#include "core/sha256.hpp"
#include "plan/fingerprint.hpp"
#include "plan_world.hpp"

namespace stackshift {
namespace {

using plan::ParameterAction;
using plan_test::stack;
using plan_test::World;

const char* net = R"(# the network
Parameters:
  Cidr: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref Cidr}
)";

// The database template of a release; `comment` changes its text and nothing it does.
std::string db(const std::string& version, const std::string& comment = "# the database") {
    return comment + R"(
Parameters:
  Size: {Type: Number, Default: 20}
  Password: {Type: String, NoEcho: true}
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      Size: !Ref Size
      AvailabilityZone: eu-west-1a
      Tags: [{Key: release, Value: ")" + version + R"("}]
)";
}

// Two releases; the deployment runs 1.0.0, whose database has a NoEcho password.
void two_releases(World& w, const std::string& db_comment = "# the database") {
    w.releases({"1.0.0", "1.1.0"}, "1-1-net", net);
    w.release("1.0.0", "2-1-db", db("1.0.0"));
    w.release("1.1.0", "2-1-db", db("1.1.0", db_comment));
    w.deploy(stack("1-1-net", "1.0.0", {{"Cidr", "10.0.0.0/16"}}));
    w.deploy(stack("2-1-db", "1.0.0", {{"Size", "20"}}, {"Password"}));
}

plan::Plan plan_with_releases(const World& w, const std::string& releases_path) {
    auto r = w.request("1.0.0", "1.1.0");
    r.profile = "numbered-stacks";
    if (!releases_path.empty()) r.releases_path = releases_path;
    return plan::make_plan(plan::load_plan_inputs(r));
}

plan::Plan plan_of(const World& w) { return plan_with_releases(w, ""); }

plan::Step& db_step(plan::Plan& p) {
    for (auto& s : p.hops.at(0).steps)
        if (s.stack == "acme-2-1-db" && s.kind == plan::StepKind::update_stack) return s;
    throw std::runtime_error("no update of acme-2-1-db");
}

plan::ParameterPlan& db_parameter(plan::Plan& p, const std::string& name) {
    for (auto& parameter : db_step(p).parameters)
        if (parameter.name == name) return parameter;
    throw std::runtime_error("no parameter " + name);
}

TEST(PlanFingerprint, TheSamePlanHasTheSameFingerprint) {
    World w;
    two_releases(w);
    std::string fp = plan::plan_fingerprint(plan_of(w));
    EXPECT_EQ(fp.size(), 16u);
    EXPECT_EQ(plan::plan_fingerprint(plan_of(w)), fp);
}

TEST(PlanFingerprint, ProseDoesNotEnter) {
    World w;
    two_releases(w);
    auto p = plan_of(w);
    std::string fp = plan::plan_fingerprint(p);
    for (auto& hop : p.hops) {
        for (auto& s : hop.steps) {
            s.title += " (reworded)";
            s.why.push_back("another reason, said otherwise");
            s.details.push_back("one more thing to check");
            s.reason += ", in other words";
            s.template_file = "/elsewhere/" + s.template_file;
            for (auto& parameter : s.parameters) parameter.why += " (reworded)";
        }
        hop.read.push_back({"a note to read", "says 'breaking'", "1.1.0.md:3"});
    }
    p.warnings.push_back("a warning");
    p.deployment = "/another/spelling/deployment.json";
    p.releases = "./releases";
    EXPECT_EQ(plan::plan_fingerprint(p), fp);
}

TEST(PlanFingerprint, TheReleasesFolderSpelledOtherwiseIsTheSamePlan) {
    World w;
    two_releases(w);
    std::string releases = w.root() + "/releases";
    std::string fp = plan::plan_fingerprint(plan_with_releases(w, releases));
    std::string relative = "./" + std::filesystem::relative(releases, std::filesystem::current_path()).string();
    EXPECT_EQ(plan::plan_fingerprint(plan_with_releases(w, relative)), fp) << relative;
    EXPECT_EQ(plan::plan_fingerprint(plan_with_releases(w, w.root() + "/./releases/")), fp);
}

TEST(PlanFingerprint, OneByteOfATemplateChangesIt) {
    World same;
    two_releases(same, "# the database");
    World changed;
    two_releases(changed, "# the databasf");
    auto a = plan_of(same);
    auto b = plan_of(changed);
    // A comment: the steps, their kinds and parameters are alike; only the content differs.
    ASSERT_EQ(plan_test::outline(a), plan_test::outline(b));
    EXPECT_NE(db_step(a).template_hash, db_step(b).template_hash);
    EXPECT_NE(plan::plan_fingerprint(a), plan::plan_fingerprint(b));
}

TEST(PlanFingerprint, TheTemplateHashIsTheSha256OfTheTemplateText) {
    World w;
    two_releases(w, "# the database");
    auto p = plan_of(w);
    const auto& step = db_step(p);
    ASSERT_FALSE(step.template_file.empty());
    EXPECT_EQ(step.template_hash, sha256_hex(read_file(step.template_file).value()));
    EXPECT_EQ(step.template_hash.size(), 64U);
}

TEST(PlanFingerprint, AParameterValueOrActionChangesIt) {
    World w;
    two_releases(w);
    std::string fp = plan::plan_fingerprint(plan_of(w));
    w.values("acme-2-1-db:\n  Size: 30\n");
    std::string thirty = plan::plan_fingerprint(plan_of(w));
    EXPECT_NE(thirty, fp);
    w.values("acme-2-1-db:\n  Size: 40\n");
    EXPECT_NE(plan::plan_fingerprint(plan_of(w)), thirty);

    auto p = plan_of(w);
    std::string forty = plan::plan_fingerprint(p);
    db_parameter(p, "Size").action = ParameterAction::use_default;
    EXPECT_NE(plan::plan_fingerprint(p), forty);
}

TEST(PlanFingerprint, AnAcknowledgementChangesIt) {
    World w;
    two_releases(w);
    auto p = plan_of(w);
    std::string fp = plan::plan_fingerprint(p);
    auto& step = db_step(p);
    ASSERT_FALSE(step.resources.empty());
    step.resources.front().acknowledged = !step.resources.front().acknowledged;
    EXPECT_NE(plan::plan_fingerprint(p), fp);

    // An input the values file would answer (an `acknowledge:` id): the plan without it is another.
    auto q = plan_of(w);
    q.inputs.push_back({"acme-2-1-db", "2-1-db", "", "a directive to acknowledge", {}, "", "ack-1", "", ""});
    EXPECT_NE(plan::plan_fingerprint(q), fp);
}

TEST(PlanFingerprint, ANoEchoValueNeverEntersButWhetherItIsGivenDoes) {
    World w;
    two_releases(w);
    std::string not_given = plan::plan_fingerprint(plan_of(w));
    w.values("acme-2-1-db:\n  Password: first-s3cret\n");
    std::string first = plan::plan_fingerprint(plan_of(w));
    w.values("acme-2-1-db:\n  Password: second-s3cret\n");
    EXPECT_EQ(plan::plan_fingerprint(plan_of(w)), first);
    EXPECT_NE(first, not_given);

    // Given either way, with the same action: only the fact of the value tells them apart.
    auto p = plan_of(w);
    ASSERT_TRUE(db_parameter(p, "Password").value_given);
    db_parameter(p, "Password").value_given = false;
    EXPECT_NE(plan::plan_fingerprint(p), first);
}

TEST(PlanFingerprint, TheRunTaskSpecChangesIt) {
    World w;
    two_releases(w);
    auto p = plan_of(w);
    using plan::TaskField;
    auto& step = db_step(p);
    step.run_task = plan::RunTaskSpec{"RunTaskArguments", {TaskField::task_definition, TaskField::cluster, TaskField::subnet}, "app", "FARGATE"};
    std::string fp = plan::plan_fingerprint(p);
    step.run_task->fields.push_back(TaskField::security_group);
    EXPECT_NE(plan::plan_fingerprint(p), fp);
    step.run_task->fields.pop_back();
    EXPECT_EQ(plan::plan_fingerprint(p), fp);
    step.run_task->fields[0] = TaskField::cluster;
    step.run_task->fields[1] = TaskField::task_definition;
    EXPECT_NE(plan::plan_fingerprint(p), fp) << "the order of the fields is what they mean";
    step.run_task->fields[0] = TaskField::task_definition;
    step.run_task->fields[1] = TaskField::cluster;
    step.run_task->container = "worker";
    EXPECT_NE(plan::plan_fingerprint(p), fp);
}

}  // namespace
}  // namespace stackshift
