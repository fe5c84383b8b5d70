// Fail-closed inputs: each stack's version proven from its template, release sources complete
// (templates, changelog, release notes covering the range), and strict values and
// acknowledgements. Every case here once passed as "Ready" on a guess.

#include "core/error.hpp"
#include "plan_world.hpp"
#include "plan/fingerprint.hpp"
#include "render/plan_render.hpp"

namespace stackshift::plan_test {
namespace {

using plan::ParameterAction;
using plan::StepKind;

const char* net = R"(Parameters:
  Cidr: {Type: String, Default: 10.0.0.0/16}
Resources:
  Net:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref Cidr}
)";

// The database template of a release: its engine tag names the release.
std::string db(const std::string& version) {
    return R"(Parameters:
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

std::string app(const std::string& version) {
    return R"(Parameters:
  Replicas: {Type: Number, Default: 2}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      Tags: [{Key: release, Value: ")" + version + R"("}]
)";
}

const char* changelog = R"(# Upgrading

## 1.2.0

### `2-1-db`

- Tagged the volume with 1.2.0.

### `3-1-app`

- Tagged the queue with 1.2.0.

## 1.1.0

### `2-1-db`

- Tagged the volume with 1.1.0.

### `3-1-app`

- Tagged the queue with 1.1.0.

## 1.0.0
)";

// Three releases of three templates, and their changelog.
void three_releases(World& w) {
    for (const auto* v : {"1.0.0", "1.1.0", "1.2.0"}) {
        w.release(v, "1-1-net", net);
        w.release(v, "2-1-db", db(v));
        w.release(v, "3-1-app", app(v));
    }
    w.changelog("1.2.0", changelog);
}

// The three releases; the stacks run the given versions of the templates.
void world(World& w, const std::string& db_version = "1.0.0", const std::string& app_version = "1.0.0") {
    three_releases(w);
    w.deploy(stack("1-1-net", db_version, {{"Cidr", "10.0.0.0/16"}}));
    w.deploy(stack("2-1-db", db_version, {{"Size", "20"}}, {"Password"}));
    w.deploy(stack("3-1-app", app_version, {{"Replicas", "2"}}));
}

plan::Plan plan_of(const World& w, const std::string& stated, const std::string& to,
                   const std::string& from_flag = "") {
    auto r = w.request(stated, to);
    r.from = from_flag;
    r.profile = "numbered-stacks";
    return plan::make_plan(plan::load_plan_inputs(r));
}

std::string error_of(const World& w, const std::string& stated, const std::string& to, const std::string& from_flag = "",
                     const std::string& profile = "numbered-stacks") {
    auto r = w.request(stated, to);
    r.from = from_flag;
    r.profile = profile;
    try {
        plan::make_plan(plan::load_plan_inputs(r));
    } catch (const Error& e) {
        return std::to_string(static_cast<int>(e.code())) + ": " + e.what();
    }
    return "no error";
}

TEST(PlanInputs, TheVersionIsProvenFromTheTemplatesWithoutFromOrSnapshotVersion) {
    World w;
    world(w, "1.1.0", "1.1.0");
    auto p = plan_of(w, "", "1.2.0");
    EXPECT_EQ(p.from.to_string(), "1.1.0");
    EXPECT_EQ(step_for(p, "acme-2-1-db").kind, StepKind::update_stack);
}

TEST(PlanInputs, AFromThatContradictsTheTemplatesIsAnErrorNamingEachStack) {
    World w;
    world(w);
    EXPECT_EQ(error_of(w, "", "1.2.0", "1.1.0"),
              "2: --from: the deployment is not at 1.1.0: its templates prove 1.0.0 (acme-2-1-db runs the 1.0.0 "
              "template of 2-1-db; acme-3-1-app runs the 1.0.0 template of 3-1-app); drop --from: stackshift reads "
              "each stack's version from its deployed template");
}

TEST(PlanInputs, ASnapshotVersionThatContradictsTheTemplatesIsAnError) {
    World w;
    world(w);
    std::string message = error_of(w, "1.1.0", "1.2.0");
    EXPECT_NE(message.find("2: "), std::string::npos) << message;
    EXPECT_NE(message.find("deployment.json: \"version\": the deployment is not at 1.1.0: its templates prove 1.0.0"),
              std::string::npos)
        << message;
}

TEST(PlanInputs, AFromThatAgreesIsAccepted) {
    World w;
    world(w);
    EXPECT_EQ(plan_of(w, "1.0.0", "1.2.0", "1.0.0").from.to_string(), "1.0.0");
}

TEST(PlanInputs, AStackLeftBehindIsPlannedFromItsOwnVersion) {
    World v;  // two stacks at 1.1.0, the database left at 1.0.0
    three_releases(v);
    v.deploy(stack("1-1-net", "1.1.0", {{"Cidr", "10.0.0.0/16"}}));
    v.deploy(stack("2-1-db", "1.0.0", {{"Size", "20"}}, {"Password"}));
    v.deploy(stack("3-1-app", "1.1.0", {{"Replicas", "2"}}));
    auto p = plan_of(v, "1.1.0", "1.2.0");
    EXPECT_EQ(p.from.to_string(), "1.0.0");  // the oldest stack's
    // The database crosses 1.1.0 and 1.2.0: both entries are cited; the app only 1.2.0's.
    std::string db_why = joined_why(step_for(p, "acme-2-1-db"));
    EXPECT_NE(db_why.find("Tagged the volume with 1.1.0."), std::string::npos) << db_why;
    EXPECT_NE(db_why.find("Tagged the volume with 1.2.0."), std::string::npos) << db_why;
    std::string app_why = joined_why(step_for(p, "acme-3-1-app"));
    EXPECT_EQ(app_why.find("Tagged the queue with 1.1.0."), std::string::npos) << app_why;
    EXPECT_NE(app_why.find("Tagged the queue with 1.2.0."), std::string::npos) << app_why;
    // The preflight says so.
    const auto& preflight = p.hops[0].steps.front();
    ASSERT_EQ(preflight.kind, StepKind::preflight);
    std::string details;
    for (const auto& d : preflight.details) details += d + "\n";
    EXPECT_NE(details.find("acme-2-1-db: runs the 1.0.0 template of 2-1-db, left behind of the deployment's 1.1.0; "
                           "planned from 1.0.0"),
              std::string::npos)
        << details;
}

TEST(PlanInputs, AStackAheadOfAHopIsSkippedNotDowngraded) {
    World w;
    three_releases(w);
    // A waypoint at 1.1.0 splits the upgrade; the app already runs 1.2.0.
    w.note("1.2.0", "1.1.0", "# 1.1.0\n\nYou must first upgrade to v1.1.0.\n");
    w.note("1.2.0", "1.2.0", "# 1.2.0\n");
    w.deploy(stack("1-1-net", "1.0.0", {{"Cidr", "10.0.0.0/16"}}));
    w.deploy(stack("2-1-db", "1.0.0", {{"Size", "20"}}, {"Password"}));
    w.deploy(stack("3-1-app", "1.2.0", {{"Replicas", "2"}}));
    auto r = w.request("", "1.2.0");
    r.profile = "the-things-stack-ecs";
    auto p = plan::make_plan(plan::load_plan_inputs(r));
    ASSERT_EQ(p.hops.size(), 2u);
    const auto& skip = step_for(p, "acme-3-1-app", 0);
    EXPECT_EQ(skip.kind, StepKind::skip_stack);
    EXPECT_EQ(skip.reason, "it runs the 1.2.0 template already, later than this hop's 1.1.0");
    EXPECT_EQ(step_for(p, "acme-3-1-app", 1).kind, StepKind::skip_stack);  // it is at 1.2.0
    EXPECT_EQ(step_for(p, "acme-2-1-db", 0).kind, StepKind::update_stack);
}

TEST(PlanInputs, ACustomizedTemplateIsMatchedToTheNearestReleaseAndSaidSo) {
    DeployedStackSpec custom = stack("3-1-app", "1.1.0", {{"Replicas", "2"}});
    custom.body = app("1.1.0") + "      VisibilityTimeout: 60\n";
    World v;
    three_releases(v);
    v.deploy(stack("1-1-net", "1.1.0", {{"Cidr", "10.0.0.0/16"}}));
    v.deploy(stack("2-1-db", "1.1.0", {{"Size", "20"}}, {"Password"}));
    v.deploy(custom);
    auto p = plan_of(v, "", "1.2.0");
    EXPECT_EQ(p.from.to_string(), "1.1.0");
    std::string details;
    for (const auto& d : p.hops[0].steps.front().details) details += d + "\n";
    EXPECT_NE(details.find("acme-3-1-app: the deployed template is no release's template of 3-1-app: it was "
                           "customized; nearest: the template of 1.1.0; the plan diffs from what is deployed"),
              std::string::npos)
        << details;
}

TEST(PlanInputs, ATemplateMissingFromAReleaseFolderIsAnError) {
    World w;
    for (const auto* r : {"1.0.0", "1.1.0"}) w.release(r, "1-1-net", net);
    w.release("1.0.0", "3-1-app", app("1.0.0"));  // 1.1.0 lacks it, and the changelog is silent
    w.changelog("1.1.0", "# Upgrading\n\n## 1.1.0\n\n## 1.0.0\n");
    w.deploy(stack("1-1-net", "1.0.0", {{"Cidr", "10.0.0.0/16"}}));
    w.deploy(stack("3-1-app", "1.0.0", {{"Replicas", "2"}}));
    EXPECT_EQ(error_of(w, "1.0.0", "1.1.0"),
              "2: " + w.root() + "/releases/1.1.0: no template 3-1-app for the stack acme-3-1-app (the changelog says "
              "nothing of its removal or a rename); add " + w.root() + "/releases/1.1.0/3-1-app.yaml from the "
              "vendor's release 1.1.0, or the changelog entry that removes or renames it");
}

TEST(PlanInputs, ATemplateTheChangelogRemovesIsDeleted) {
    World w;
    for (const auto* r : {"1.0.0", "1.1.0"}) w.release(r, "1-1-net", net);
    w.release("1.0.0", "3-1-app", app("1.0.0"));
    w.changelog("1.1.0", "# Upgrading\n\n## 1.1.0\n\n### `3-1-app`\n\n- This template has been removed and can be "
                         "undeployed.\n\n## 1.0.0\n");
    w.deploy(stack("1-1-net", "1.0.0", {{"Cidr", "10.0.0.0/16"}}));
    w.deploy(stack("3-1-app", "1.0.0", {{"Replicas", "2"}}));
    auto p = plan_of(w, "1.0.0", "1.1.0");
    EXPECT_EQ(step_for(p, "acme-3-1-app").kind, StepKind::delete_stack);
}

TEST(PlanInputs, NoChangelogAnywhereIsAnError) {
    World w;
    for (const auto* r : {"1.0.0", "1.1.0"}) w.release(r, "1-1-net", net);
    w.deploy(stack("1-1-net", "1.0.0", {{"Cidr", "10.0.0.0/16"}}));
    w.bare();
    EXPECT_EQ(error_of(w, "1.0.0", "1.1.0"),
              "2: " + w.root() + "/releases: no template changelog (UPGRADING.md) in the folder of 1.1.0, of a later "
              "release, or at the root; add the vendor's UPGRADING.md that covers 1.1.0 (without it, what each "
              "release changes is unknown)");
}

// A product that runs migrations needs release notes for every release in (FROM, TO].
void noted_world(World& w) {
    world(w);
    w.note("1.2.0", "1.2.0", "# 1.2.0\n");
}

TEST(PlanInputs, ReleaseNotesMissingAVersionInTheRangeAreAnError) {
    World w;
    noted_world(w);  // 1.1.0 has no notes
    EXPECT_EQ(error_of(w, "1.0.0", "1.2.0", "", "the-things-stack-ecs"),
              "2: " + w.root() + "/releases/1.2.0/notes: no release notes for 1.1.0 (the release folders or the "
              "changelog know it), so the migrations they may require are unknown; add its notes file (1.1.0.md, "
              "...), empty but for its title when the release requires nothing");
}

TEST(PlanInputs, ReleaseNotesThatStartAfterFromAreAnError) {
    World w;
    world(w);
    w.note("1.2.0", "1.2.0", "# 1.2.0\n");
    w.release("1.0.5", "1-1-net", net);  // a release the notes do not reach back to
    std::string message = error_of(w, "1.0.0", "1.2.0", "", "the-things-stack-ecs");
    EXPECT_NE(message.find("no release notes for 1.0.5, 1.1.0 (the release folders or the changelog know them)"),
              std::string::npos)
        << message;
}

TEST(PlanInputs, FromNeedsNoReleaseNotesOfItsOwn) {
    World w;
    noted_world(w);
    w.note("1.2.0", "1.1.0", "# 1.1.0\n");  // none for 1.0.0, the deployed version
    auto r = w.request("1.0.0", "1.2.0");
    auto p = plan::make_plan(plan::load_plan_inputs(r));
    EXPECT_EQ(p.from.to_string(), "1.0.0");
}

TEST(PlanInputs, AChangelogAndNotesAtTheRootOfTheReleasesAreRead) {
    World w;
    for (const auto* r : {"1.0.0", "1.1.0"}) {
        w.release(r, "1-1-net", net);
        w.release(r, "2-1-db", db(r));
    }
    w.deploy(stack("1-1-net", "1.0.0", {{"Cidr", "10.0.0.0/16"}}));
    w.deploy(stack("2-1-db", "1.0.0", {{"Size", "20"}}, {"Password"}));
    w.bare();
    TempDir& dir = w.dir();
    dir.write("releases/UPGRADING.md", "# Upgrading\n\n## 1.1.0\n\n### `2-1-db`\n\n- Tagged the volume with 1.1.0.\n");
    dir.write("releases/notes/1.1.0.md", "# 1.1.0\n\n- This requires a database schema migration "
                                         "(`tti-lw-stack is-db migrate`).\n");
    auto r = w.request("1.0.0", "1.1.0");
    auto p = plan::make_plan(plan::load_plan_inputs(r));
    EXPECT_NE(joined_why(step_for(p, "acme-2-1-db")).find("Tagged the volume with 1.1.0."), std::string::npos);
    EXPECT_TRUE(std::any_of(p.hops[0].steps.begin(), p.hops[0].steps.end(), [](const plan::Step& s) {
        return s.kind == StepKind::run_migration && s.database == "is-db";
    }));
}

// Strict inputs.
TEST(PlanInputs, AValuesKeyNamingNoStackIsAnErrorWithDidYouMean) {
    World w;
    world(w);
    w.values("acme-2-1-bd:\n  Size: 30\n");
    EXPECT_EQ(error_of(w, "1.0.0", "1.1.0"),
              "2: " + w.root() + "/values.yaml:1:1: 'acme-2-1-bd' names no stack of the deployment and no template the "
              "plan deploys (did you mean 'acme-2-1-db'?); keys are stack names (such as acme-1-1-net) or template ids "
              "(such as 1-1-net)");
}

TEST(PlanInputs, AValuesParameterTheTemplatesDoNotHaveIsAnError) {
    World w;
    world(w);
    w.values("2-1-db:\n  Sise: 30\n");
    EXPECT_EQ(error_of(w, "1.0.0", "1.1.0"),
              "2: " + w.root() + "/values.yaml:2:3: 'Sise' is no parameter of 2-1-db in the templates of this plan "
              "(1.1.0) (did you mean 'Size'?)");
}

TEST(PlanInputs, AValueGivenUnderTheStackAndItsTemplateIdIsAnError) {
    World w;
    world(w);
    w.values("2-1-db:\n  Size: 30\nacme-2-1-db:\n  Size: 40\n");
    std::string message = error_of(w, "1.0.0", "1.1.0");
    EXPECT_NE(message.find("acme-2-1-db/Size is given twice (under acme-2-1-db and under its template id); keep one"),
              std::string::npos)
        << message;
}

TEST(PlanInputs, AValueKeyedByTemplateIdReachesTheStack) {
    World w;
    world(w);
    w.values("2-1-db:\n  Size: 30\n");
    auto p = plan_of(w, "1.0.0", "1.1.0");
    const auto& size = parameter(step_for(p, "acme-2-1-db"), "Size");
    EXPECT_EQ(size.action, ParameterAction::set);
    EXPECT_EQ(size.value.value_or(""), "30");
}

TEST(PlanInputs, AllowReplaceNamingNothingThePlanEndangersIsAnError) {
    World w;
    world(w);
    auto r = w.request("1.0.0", "1.1.0");
    r.profile = "numbered-stacks";
    r.allow_replace = {"acme-2-1-db/Dta"};
    try {
        plan::make_plan(plan::load_plan_inputs(r));
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "--allow-replace: 'acme-2-1-db/Dta' names no resource this plan replaces or "
                                         "removes with its data; the plan endangers none");
    }
}

TEST(PlanInputs, ANoEchoValueFromTheValuesFileIsMarkedGivenAndNeverHeld) {
    World w;
    world(w);
    w.values("acme-2-1-db:\n  Password: s3cret-from-values\n");
    auto p = plan_of(w, "1.0.0", "1.1.0");
    const auto& password = parameter(step_for(p, "acme-2-1-db"), "Password");
    EXPECT_EQ(password.action, ParameterAction::set);
    EXPECT_TRUE(password.value_given);
    EXPECT_FALSE(password.value.has_value());
    for (const auto& text : {render::plan_json(p), render::plan_text(p, false), render::plan_markdown(p)})
        EXPECT_EQ(text.find("s3cret-from-values"), std::string::npos);
    EXPECT_NE(render::plan_text(p, false).find("Password: set (NoEcho value given)"), std::string::npos);
}

TEST(PlanInputs, EveryRenderingShowsTheFingerprint) {
    World w;
    world(w);
    auto p = plan_of(w, "1.0.0", "1.1.0");
    std::string fp = plan::plan_fingerprint(p);
    ASSERT_EQ(fp.size(), 16u);
    EXPECT_NE(render::plan_text(p, false).find("fingerprint " + fp), std::string::npos);
    EXPECT_NE(render::plan_markdown(p).find("plan fingerprint `" + fp + "`"), std::string::npos);
    EXPECT_NE(render::plan_json(p).find("\"fingerprint\": \"" + fp + "\""), std::string::npos);
    w.values("acme-1-1-net:\n  Cidr: 10.1.0.0/16\n");
    EXPECT_NE(plan::plan_fingerprint(plan_of(w, "1.0.0", "1.1.0")), fp);
}

}  // namespace
}  // namespace stackshift::plan_test
