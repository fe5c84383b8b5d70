// Saved plans (plan/saved_plan.hpp, render/saved_plan_json.hpp): what `plan --output json`
// writes reads back as the same plan, every field and the fingerprint; every problem of a
// damaged or edited file is an error at its place; a template whose text changed is refused.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/sha256.hpp"
#include "inputs/snapshot_file.hpp"
#include "plan/fingerprint.hpp"
#include "plan/load_plan_inputs.hpp"
#include "plan/planner.hpp"
#include "plan/saved_plan.hpp"
#include "render/saved_plan_json.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using plan::ParameterAction;
using plan::SavedPlan;
using plan::StepKind;
using testing::source_path;

// The bundled example's full upgrade, every danger acknowledged: all step kinds it has.
SavedPlan example_saved_plan() {
    plan::PlanRequest r;
    r.deployment_path = source_path("examples/deployment/acme-prod-3.14.2.json");
    r.releases_path = source_path("examples/releases");
    r.to = "3.30.2";
    r.values_path = source_path("examples/values-3.30.2.yaml");
    r.allow_replace = {"acme-prod-2-5-db-timescale/Volume", "acme-prod-4-1-secrets/InteropTLSSecret"};
    auto inputs = plan::load_plan_inputs(r);
    return plan::save_plan(plan::make_plan(inputs), inputs);
}

// A plan whose every field holds something other than its default, so that a field the reader
// dropped or mixed up shows.
SavedPlan plan_with_every_field() {
    SavedPlan s;
    plan::Plan& p = s.plan;
    p.from = *Version::parse("3.14.2");
    p.to = *Version::parse("3.15.1");
    p.deployment = "sim:world.json";
    p.releases = "releases";
    p.profile = "the-things-stack-ecs";
    plan::Step update;
    update.id = "h1-02-update-db";
    update.kind = StepKind::update_stack;
    update.title = "Update acme-db";
    update.risk = plan::Risk::danger;
    update.automated = false;
    update.why = {"3.15.0: the volume grows", "rule timescale"};
    update.stack = "acme-db";
    update.template_id = "2-5-db";
    update.template_file = "releases/3.15.1/2-5-db.yaml";
    s.templates[update.template_file] = "Resources: {}\n# the database\n";
    update.template_hash = sha256_hex(s.templates[update.template_file]);
    update.previous_template = true;
    update.parameters.push_back({"Size", ParameterAction::carry, "40", "20", "VolumeSize", false, "renamed", false});
    update.parameters.push_back({"Password", ParameterAction::set, std::nullopt, "****", "", true, "values file", true});
    update.parameters.push_back({"Cidr", ParameterAction::needs_input, std::nullopt, "", "", false, "", false});
    update.dropped_parameters = {"Old"};
    update.resources.push_back({"Volume", "AWS::EC2::Volume", cfn::Impact::will_replace, true, true, {"Size", "Iops"},
                                {ChangeScope::properties, ChangeScope::tags}});
    update.reason = "a reason";
    update.logical_id = "Instance";
    update.role = "timescale-volume";
    update.resource_output = "OpsRunTaskArguments";
    update.database = "is-db";
    update.command = {"tti-lw-stack", "is-db", "migrate"};
    update.required_by = {"3.15.0"};
    update.conditional = true;
    update.image = "docker.io/thethingsindustries/lorawan-stack:3.15.1-aws";
    update.wait_seconds = 90;
    update.details = {"check the volume"};
    update.switches_off = "storage-integration";
    update.switches_on = "other-procedure";
    update.confirmation = plan::Confirmation::explicit_;
    update.skippable = true;
    update.services = {{"acme-services", "ApplicationServer", {"lorawan-stack:3.15.1-aws"}, true}};
    update.min_healthy_percentage = 50;
    update.run_task = plan::RunTaskSpec{"OpsRunTaskArguments",
                                        {plan::TaskField::task_definition, plan::TaskField::cluster, plan::TaskField::subnet,
                                         plan::TaskField::subnet, plan::TaskField::security_group},
                                        "ttes", "FARGATE"};
    plan::Step wait;
    wait.id = "h1-03-wait";
    wait.kind = StepKind::wait;
    wait.wait_seconds = 300;
    p.hops.push_back({p.from, p.to, {update, wait}, {{"read this", "removed", "3.15.0.md:3"}}});
    p.inputs.push_back({"acme-db", "2-5-db", "Cidr", "no default", {"a", "b"}, "role", "ack-1", "UPGRADING.md:9", "is-db migrate"});
    p.warnings = {"a warning"};
    p.export_conflicts.push_back(
        {"h1-02-update-db", "acme-db", "acme-DbHost", plan::ExportConflictKind::changed, {"acme-app"}, true, "reorder"});
    p.made_from.push_back({"acme-db", "UPDATE_COMPLETE", 1796634764, sha256_hex("deployed body")});
    p.made_from.push_back({"acme-app", "CREATE_COMPLETE", 0, sha256_hex("other body")});
    p.stack_prefix = "acme-";
    s.container = "ttes";
    return s;
}

SavedPlan read_back(const std::string& text) {
    auto read = plan::parse_saved_plan(text, "plan.json");
    EXPECT_TRUE(read.ok()) << (read.ok() ? "" : to_string(read.diagnostics()));
    return read.ok() ? std::move(read).value() : SavedPlan{};
}

std::string errors(const std::string& text) {
    auto read = plan::parse_saved_plan(text, "plan.json");
    return read.ok() ? "(no error)" : to_string(read.diagnostics());
}

// "plan.json:LINE:COLUMN" of the first occurrence of `needle` in `text`.
std::string place_of(const std::string& text, const std::string& needle) {
    std::size_t at = text.find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    std::size_t line_start = text.rfind('\n', at);
    std::size_t column = line_start == std::string::npos ? at + 1 : at - line_start;
    return "plan.json:" + std::to_string(line) + ":" + std::to_string(column);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

const std::string fix = "; write the plan again with 'stackshift plan ... --output json --out FILE'";

TEST(SavedPlan, TheExampleReadsBackAsTheSamePlan) {
    SavedPlan saved = example_saved_plan();
    std::string text = render::saved_plan_json(saved);
    SavedPlan again = read_back(text);
    EXPECT_EQ(plan::plan_fingerprint(again.plan), plan::plan_fingerprint(saved.plan));
    // The writer writes every field: the plan read back writes the same document.
    EXPECT_EQ(render::saved_plan_json(again), text);
    EXPECT_EQ(again.templates, saved.templates);
    EXPECT_EQ(again.container, "ttes");
    ASSERT_EQ(again.plan.made_from.size(), saved.plan.made_from.size());
    EXPECT_EQ(again.plan.stack_prefix, "acme-prod-");
    // Every template a step sends is pinned, by the step's own hash.
    std::size_t sent = 0;
    for (const auto& hop : again.plan.hops)
        for (const auto& step : hop.steps)
            if (!step.template_file.empty()) {
                ++sent;
                EXPECT_EQ(sha256_hex(again.templates.at(step.template_file)), step.template_hash) << step.id;
            }
    EXPECT_GT(sent, 10U);
}

TEST(SavedPlan, ThePlanRecordsEachStackItWasMadeFrom) {
    SavedPlan saved = example_saved_plan();
    auto deployment = inputs::load_deployment(source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(deployment.ok());
    const auto& made_from = saved.plan.made_from;
    ASSERT_EQ(made_from.size(), deployment->stacks.size());
    for (std::size_t i = 0; i < made_from.size(); ++i) {
        const auto& stack = deployment->stacks[i];
        EXPECT_EQ(made_from[i].name, stack.name);
        EXPECT_EQ(made_from[i].status, stack.status) << stack.name;
        EXPECT_EQ(made_from[i].last_updated_s, stack.last_updated_s) << stack.name;
        EXPECT_EQ(made_from[i].template_hash, sha256_hex(stack.template_body)) << stack.name;
    }
    EXPECT_EQ(saved.plan.stack_prefix, "acme-prod-");
}

TEST(SavedPlan, EveryFieldOfEveryKindReadsBack) {
    SavedPlan saved = plan_with_every_field();
    SavedPlan again = read_back(render::saved_plan_json(saved));
    EXPECT_EQ(plan::plan_fingerprint(again.plan), plan::plan_fingerprint(saved.plan));
    const plan::Plan& p = again.plan;
    EXPECT_EQ(p.from.to_string(), "3.14.2");
    EXPECT_EQ(p.to.to_string(), "3.15.1");
    EXPECT_EQ(p.deployment, "sim:world.json");
    EXPECT_EQ(p.releases, "releases");
    EXPECT_EQ(p.profile, "the-things-stack-ecs");
    ASSERT_EQ(p.hops.size(), 1U);
    ASSERT_EQ(p.hops[0].steps.size(), 2U);
    const plan::Step& s = p.hops[0].steps[0];
    const plan::Step& o = saved.plan.hops[0].steps[0];
    EXPECT_EQ(s.id, o.id);
    EXPECT_EQ(s.kind, StepKind::update_stack);
    EXPECT_EQ(s.title, o.title);
    EXPECT_EQ(s.risk, plan::Risk::danger);
    EXPECT_FALSE(s.automated);
    EXPECT_EQ(s.why, o.why);
    EXPECT_EQ(s.stack, o.stack);
    EXPECT_EQ(s.template_id, o.template_id);
    EXPECT_EQ(s.template_file, o.template_file);
    EXPECT_EQ(s.template_hash, o.template_hash);
    EXPECT_TRUE(s.previous_template);
    ASSERT_EQ(s.parameters.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& a = s.parameters[i];
        const auto& b = o.parameters[i];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.action, b.action) << a.name;
        EXPECT_EQ(a.value, b.value) << a.name;
        EXPECT_EQ(a.previous, b.previous) << a.name;
        EXPECT_EQ(a.carried_from, b.carried_from) << a.name;
        EXPECT_EQ(a.no_echo, b.no_echo) << a.name;
        EXPECT_EQ(a.why, b.why) << a.name;
        EXPECT_EQ(a.value_given, b.value_given) << a.name;
    }
    EXPECT_EQ(s.dropped_parameters, o.dropped_parameters);
    ASSERT_EQ(s.resources.size(), 1U);
    EXPECT_EQ(s.resources[0].logical_id, "Volume");
    EXPECT_EQ(s.resources[0].type, "AWS::EC2::Volume");
    EXPECT_EQ(s.resources[0].impact, cfn::Impact::will_replace);
    EXPECT_TRUE(s.resources[0].stateful);
    EXPECT_TRUE(s.resources[0].acknowledged);
    EXPECT_EQ(s.resources[0].changes, o.resources[0].changes);
    EXPECT_EQ(s.resources[0].scopes, o.resources[0].scopes);
    EXPECT_EQ(s.reason, o.reason);
    EXPECT_EQ(s.logical_id, o.logical_id);
    EXPECT_EQ(s.role, o.role);
    EXPECT_EQ(s.resource_output, o.resource_output);
    EXPECT_EQ(s.database, o.database);
    EXPECT_EQ(s.command, o.command);
    EXPECT_EQ(s.required_by, o.required_by);
    EXPECT_TRUE(s.conditional);
    EXPECT_EQ(s.image, o.image);
    EXPECT_EQ(s.wait_seconds, 90);
    EXPECT_EQ(s.details, o.details);
    EXPECT_EQ(s.switches_off, "storage-integration");
    EXPECT_EQ(s.switches_on, "other-procedure");
    EXPECT_EQ(s.confirmation, plan::Confirmation::explicit_);
    EXPECT_TRUE(s.skippable);
    EXPECT_EQ(s.run_task, o.run_task);
    ASSERT_EQ(s.services.size(), 1U);
    EXPECT_EQ(s.services[0].stack, "acme-services");
    EXPECT_EQ(s.services[0].logical_id, "ApplicationServer");
    EXPECT_EQ(s.services[0].images, o.services[0].images);
    EXPECT_TRUE(s.services[0].conditional);
    EXPECT_EQ(s.min_healthy_percentage, 50);
    EXPECT_FALSE(p.hops[0].steps[1].min_healthy_percentage.has_value());
    EXPECT_FALSE(p.hops[0].steps[1].run_task.has_value());
    EXPECT_EQ(p.hops[0].steps[1].kind, StepKind::wait);
    EXPECT_EQ(p.hops[0].steps[1].wait_seconds, 300);
    ASSERT_EQ(p.hops[0].read.size(), 1U);
    EXPECT_EQ(p.hops[0].read[0].source, "3.15.0.md:3");
    ASSERT_EQ(p.inputs.size(), 1U);
    const auto& in = p.inputs[0];
    EXPECT_EQ(in.stack + in.template_id + in.parameter + in.why + in.role + in.acknowledgement + in.source + in.migration,
              "acme-db2-5-dbCidrno defaultroleack-1UPGRADING.md:9is-db migrate");
    EXPECT_EQ(in.allowed_values, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(p.warnings, saved.plan.warnings);
    ASSERT_EQ(p.export_conflicts.size(), 1U);
    EXPECT_EQ(p.export_conflicts[0].describe(), saved.plan.export_conflicts[0].describe());
    ASSERT_EQ(p.made_from.size(), 2U);
    EXPECT_EQ(p.made_from[0].name, "acme-db");
    EXPECT_EQ(p.made_from[0].status, "UPDATE_COMPLETE");
    EXPECT_EQ(p.made_from[0].last_updated_s, 1796634764);
    EXPECT_EQ(p.made_from[0].template_hash, sha256_hex("deployed body"));
    EXPECT_EQ(p.made_from[1].last_updated_s, 0);
    EXPECT_EQ(p.stack_prefix, "acme-");
    EXPECT_EQ(again.container, "ttes");
    EXPECT_EQ(again.templates, saved.templates);
}

TEST(SavedPlan, ANoEchoValueIsNeverWritten) {
    SavedPlan saved = plan_with_every_field();
    saved.plan.hops[0].steps[0].parameters[1].value = "s3cret";  // a model holding one by mistake
    std::string text = render::saved_plan_json(saved);
    EXPECT_EQ(text.find("s3cret"), std::string::npos);
}

TEST(SavedPlan, NotJson) {
    EXPECT_EQ(errors("{\"format\": "), "plan.json:1:12: invalid JSON: unexpected end of file, expected a value");
}

TEST(SavedPlan, AnotherFormat) {
    std::string text = replaced(render::saved_plan_json(plan_with_every_field()), "\"stackshift-plan/1\"", "\"stackshift-deployment/1\"");
    EXPECT_EQ(errors(text), place_of(text, "\"stackshift-deployment/1\"") +
                                ": unknown plan format 'stackshift-deployment/1'; expected \"format\": \"stackshift-plan/1\" "
                                "(a file 'stackshift plan --output json' wrote)");
}

TEST(SavedPlan, AMissingKeyNamesTheStepAndWhereItShouldBe) {
    std::string text = render::saved_plan_json(plan_with_every_field());
    std::string saved_part = text.substr(text.find("\"saved\""));
    std::string image_line = "\"image\": \"docker.io/thethingsindustries/lorawan-stack:3.15.1-aws\",";
    std::string edited = text.substr(0, text.find("\"saved\"")) + replaced(saved_part, image_line, "");
    std::string step_start = "{\n            \"id\": \"h1-02-update-db\"";
    std::size_t saved_at = edited.find("\"saved\"");
    std::size_t step_at = edited.find(step_start, saved_at);
    ASSERT_NE(step_at, std::string::npos);
    std::string place = place_of(edited.substr(0, step_at) + "@" + edited.substr(step_at), "@");
    EXPECT_EQ(errors(edited), place + ": missing key \"image\" in step h1-02-update-db" + fix);
}

TEST(SavedPlan, AnUnknownStepKind) {
    std::string text = render::saved_plan_json(plan_with_every_field());
    std::size_t saved_at = text.find("\"saved\"");
    std::string edited = text.substr(0, saved_at) + replaced(text.substr(saved_at), "\"kind\": \"wait\"", "\"kind\": \"sleep\"");
    std::size_t at = edited.find("\"sleep\"");
    EXPECT_EQ(errors(edited), place_of(edited.substr(0, at) + "@" + edited.substr(at + 1), "@") +
                                  ": unknown kind 'sleep' in step h1-03-wait; expected one of preflight, update-stack, "
                                  "set-parameters, skip-stack, deploy-stack, delete-stack, snapshot-volume, terminate-instance, "
                                  "snapshot-database, run-migration, wait, manual, check-services, refresh-instances" + fix);
}

TEST(SavedPlan, ATemplateTextChangedAfterItWasWrittenIsRefused) {
    std::string text = render::saved_plan_json(plan_with_every_field());
    std::string edited = replaced(text, "# the database\\n", "# the database\\nOutputs: {}\\n");
    std::string pinned = sha256_hex("Resources: {}\n# the database\n");
    std::string now = sha256_hex("Resources: {}\n# the database\nOutputs: {}\n");
    std::size_t at = edited.find("\"text\": \"Resources");
    EXPECT_EQ(errors(edited), place_of(edited, "\"Resources: {}") + ": the text of template 'releases/3.15.1/2-5-db.yaml' does not "
                                  "hash to its pinned sha256 " + pinned + " (it hashes to " + now +
                                  "): it was changed after the plan was written" + fix)
        << at;
}

TEST(SavedPlan, ATemplateRepinnedUnderAnotherHashIsNotTheStepsTemplate) {
    std::string text = render::saved_plan_json(plan_with_every_field());
    std::string pinned = sha256_hex("Resources: {}\n# the database\n");
    std::string now = sha256_hex("Resources: {}\n# edited\n");
    std::string edited = replaced(replaced(text, "# the database\\n", "# edited\\n"), "\"sha256\": \"" + pinned, "\"sha256\": \"" + now);
    std::size_t at = edited.find("\"releases/3.15.1/2-5-db.yaml\": {");
    std::string place = place_of(edited.substr(0, at) + edited.substr(at, 31) + "@" + edited.substr(at + 31), "@");
    EXPECT_EQ(errors(edited), place + ": template 'releases/3.15.1/2-5-db.yaml' is not the one step h1-02-update-db was planned "
                                      "with (sha256 " + pinned + ")" + fix);
}

TEST(SavedPlan, AStepWhoseTemplateIsNotPinnedIsRefused) {
    SavedPlan saved = plan_with_every_field();
    saved.templates.clear();
    std::string text = render::saved_plan_json(saved);
    std::size_t at = text.find("\"templates\": {}") + std::string("\"templates\": ").size();  // the empty object
    EXPECT_EQ(errors(text), place_of(text.substr(0, at) + "@" + text.substr(at), "@") +
                                ": step h1-02-update-db sends the template 'releases/3.15.1/2-5-db.yaml', which the plan does "
                                "not pin under \"templates\"" + fix);
}

TEST(SavedPlan, AnEditedValueNoLongerMatchesTheFingerprint) {
    SavedPlan saved = plan_with_every_field();
    std::string text = render::saved_plan_json(saved);
    std::size_t saved_at = text.find("\"saved\"");
    std::string edited = text.substr(0, saved_at) + replaced(text.substr(saved_at), "\"value\": \"40\"", "\"value\": \"80\"");
    SavedPlan changed = saved;
    changed.plan.hops[0].steps[0].parameters[0].value = "80";
    std::string fp = plan::plan_fingerprint(saved.plan);
    EXPECT_EQ(errors(edited), place_of(edited, "\"" + fp + "\"") + ": the plan's fingerprint is " +
                                  plan::plan_fingerprint(changed.plan) + ", not " + fp +
                                  ": the file was changed after it was written" + fix);
}

TEST(SavedPlan, ANoEchoParameterHoldingAValueIsRefused) {
    std::string text = render::saved_plan_json(plan_with_every_field());
    std::string edited = replaced(text, "\"name\": \"Password\",\n                \"action\": \"set\",\n                \"value\": null",
                                  "\"name\": \"Password\",\n                \"action\": \"set\",\n                \"value\": \"s3cret\"");
    EXPECT_EQ(errors(edited), place_of(edited, "\"s3cret\"") +
                                  ": parameter Password of step h1-02-update-db is NoEcho and holds a value; a saved plan never "
                                  "holds one (give it in the values file and 'apply --values FILE' sends it)");
}

TEST(SavedPlan, AFileThatCannotBeRead) {
    auto read = plan::load_saved_plan("/nonexistent/plan.json");
    ASSERT_FALSE(read.ok());
    EXPECT_NE(to_string(read.diagnostics()).find("/nonexistent/plan.json"), std::string::npos);
}

}  // namespace
}  // namespace stackshift
