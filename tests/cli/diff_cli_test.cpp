// End-to-end: the real binary on the project's templates, read through its JSON output.

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift {
namespace {

using nlohmann::json;
using testing::data_path;
using testing::run_stackshift;
using testing::source_path;

json diff_json(const std::string& old_path, const std::string& new_path, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"diff", old_path, new_path, "--output", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

std::string pair(const std::string& name, const std::string& side) { return data_path("templates/pairs/" + name + "." + side + ".yaml"); }

TEST(DiffCli, JsonFollowsTheContract) {
    json j = diff_json(pair("b", "old"), pair("b", "new"));
    ASSERT_TRUE(j.contains("resources") && j.contains("parameters") && j.contains("outputs"));
    for (auto& [id, r] : j["resources"].items()) {
        EXPECT_TRUE(r["type"].is_string()) << id;
        EXPECT_TRUE(r["impact"].is_string()) << id;
        EXPECT_TRUE(r["stateful"].is_boolean()) << id;
        for (auto& p : r["properties"]) {
            EXPECT_TRUE(p["path"].is_string());
            EXPECT_TRUE(p["impact"].is_string());
        }
    }
}

TEST(DiffCli, AmiOnlyChangeReplacesTheInstance) {
    json j = diff_json(pair("a", "old"), pair("a", "new"));
    bool found = false;
    for (auto& [id, r] : j["resources"].items()) {
        if (r["type"] != "AWS::EC2::Instance") continue;
        found = true;
        EXPECT_EQ(r["impact"], "will-replace") << id;
        bool image = false;
        for (auto& p : r["properties"]) image = image || (p["path"] == "ImageId" && p["impact"] == "will-replace");
        EXPECT_TRUE(image) << r.dump();
    }
    EXPECT_TRUE(found);
}

TEST(DiffCli, VolumeSizeIsAStatefulUpdate) {
    json j = diff_json(pair("b", "old"), pair("b", "new"));
    bool found = false;
    for (auto& [id, r] : j["resources"].items()) {
        if (r["type"] != "AWS::EC2::Volume") continue;
        found = true;
        EXPECT_EQ(r["impact"], "will-update");
        EXPECT_EQ(r["stateful"], true);
    }
    EXPECT_TRUE(found);
}

TEST(DiffCli, VolumeZoneChangeReplacesStatefulVolume) {
    json j = diff_json(pair("c", "old"), pair("c", "new"));
    bool found = false;
    for (auto& [id, r] : j["resources"].items()) {
        if (r["type"] != "AWS::EC2::Volume") continue;
        found = true;
        EXPECT_EQ(r["impact"], "will-replace");
        EXPECT_EQ(r["stateful"], true);
    }
    EXPECT_TRUE(found);
}

TEST(DiffCli, LaunchConfigurationUserDataChange) {
    json j = diff_json(pair("d", "old"), pair("d", "new"));
    int launch_configurations = 0;
    for (auto& [id, r] : j["resources"].items()) {
        if (r["type"] == "AWS::AutoScaling::LaunchConfiguration") {
            ++launch_configurations;
            EXPECT_EQ(r["impact"], "will-replace");
        }
        if (r["type"] == "AWS::AutoScaling::AutoScalingGroup") {
            EXPECT_EQ(r["impact"], "will-update") << r.dump();
        }
    }
    EXPECT_EQ(launch_configurations, 1);
}

TEST(DiffCli, RenamedVolumeIsLoud) {
    json j = diff_json(pair("e", "old"), pair("e", "new"));
    int renamed = 0;
    for (auto& [id, r] : j["resources"].items()) {
        if (r["change"] == "renamed-to") {
            ++renamed;
            EXPECT_EQ(r["impact"], "will-destroy");
            EXPECT_EQ(r["stateful"], true);
            EXPECT_TRUE(j["resources"].contains(r["renamed_to"].get<std::string>()));
        }
    }
    EXPECT_EQ(renamed, 1);
    auto text = run_stackshift({"diff", pair("e", "old"), pair("e", "new")});
    EXPECT_NE(text.out.find("DATA AT RISK"), std::string::npos) << text.out;
}

TEST(DiffCli, RetainedRemovalIsAnOrphan) {
    json j = diff_json(pair("f", "old"), pair("f", "new"));
    int orphans = 0;
    for (auto& [id, r] : j["resources"].items()) orphans += r["impact"] == "will-orphan";
    EXPECT_EQ(orphans, 1);
}

TEST(DiffCli, ParameterChanges) {
    json j = diff_json(pair("g", "old"), pair("g", "new"));
    std::map<std::string, int> changes;
    for (auto& [name, p] : j["parameters"].items()) changes[p["change"]]++;
    EXPECT_GE(changes["added"], 1);
    EXPECT_GE(changes["removed"], 1);
    bool allowed = false;
    for (auto& [name, p] : j["parameters"].items()) {
        for (auto& d : p["details"]) allowed = allowed || d == "allowed-values";
    }
    EXPECT_TRUE(allowed) << j["parameters"].dump();
}

TEST(DiffCli, ExportRenamedAndRemoved) {
    json j = diff_json(pair("h", "old"), pair("h", "new"));
    int broken = 0;
    for (auto& [name, o] : j["outputs"].items()) broken += o.value("breaks_imports", false);
    EXPECT_EQ(broken, 2) << j["outputs"].dump();
}

TEST(DiffCli, TypeChangeIsAReplacement) {
    json j = diff_json(pair("i", "old"), pair("i", "new"));
    int type_changes = 0;
    for (auto& [id, r] : j["resources"].items()) {
        if (r["change"] == "type-changed") {
            ++type_changes;
            EXPECT_EQ(r["impact"], "will-replace");
        }
    }
    EXPECT_EQ(type_changes, 1);
}

TEST(DiffCli, ConditionFlipWithParameters) {
    json without = diff_json(pair("j", "old"), pair("j", "new"));
    json with = diff_json(pair("j", "old"), pair("j", "new"), {"--parameters", data_path("templates/pairs/j.params.yaml")});
    EXPECT_EQ(with["summary"]["conditions_evaluated"], true);
    int appears = 0;
    for (auto& [id, r] : with["resources"].items()) appears += r["impact"] == "will-create" || r["impact"] == "will-destroy";
    EXPECT_GE(appears, 1) << with.dump();
    EXPECT_NE(with["resources"], without["resources"]);
}

TEST(DiffCli, YamlAndJsonVersionsOfATemplateAreTheSame) {
    for (const char* name : {"vpc", "timescale", "ecs-cluster-lc", "ecs-cluster-lt", "aurora", "ecs-services"}) {
        json j = diff_json(data_path(std::string("templates/") + name + ".yaml"), data_path(std::string("templates/") + name + ".json"));
        EXPECT_TRUE(j["resources"].empty()) << name << ": " << j["resources"].dump();
        EXPECT_TRUE(j["parameters"].empty()) << name << ": " << j["parameters"].dump();
        EXPECT_TRUE(j["outputs"].empty()) << name << ": " << j["outputs"].dump();
    }
}

TEST(DiffCli, NoChangesExitsZero) {
    auto r = run_stackshift({"diff", data_path("templates/vpc.yaml"), data_path("templates/vpc.yaml")});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Summary: no changes"), std::string::npos) << r.out;
}

TEST(DiffCli, BadInputExitsTwoAndNamesTheFile) {
    testing::TempDir dir;
    std::string bad = dir.write("bad.yaml", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Nope 1\n");
    auto r = run_stackshift({"diff", bad, data_path("templates/vpc.yaml")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.err.starts_with("stackshift: error: " + bad + ":5:10: unknown tag '!Nope'")) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST(DiffCli, BothFilesAreCheckedBeforeStopping) {
    auto r = run_stackshift({"diff", "/nonexistent/a.yaml", "/nonexistent/b.yaml"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: /nonexistent/a.yaml: cannot read file: No such file or directory\n"
                     "/nonexistent/b.yaml: cannot read file: No such file or directory\n");
}

TEST(DiffCli, InitMetadataOnlyChangeWasNoChange) {
    json j = diff_json(pair("k", "old"), pair("k", "new"));
    ASSERT_EQ(j["resources"].size(), 1u) << j["resources"].dump();
    const json& launch = j["resources"]["LaunchConfiguration"];
    EXPECT_EQ(launch["impact"], "will-update");
    EXPECT_EQ(launch["scope"], json::array({"Metadata"}));
    ASSERT_EQ(launch["properties"].size(), 1u);
    EXPECT_EQ(launch["properties"][0]["path"], "Metadata");
    EXPECT_EQ(launch["properties"][0]["attribute"], true);
    EXPECT_EQ(launch["properties"][0]["impact"], "will-update");
    EXPECT_EQ(j["summary"]["update"], 1);
    auto text = run_stackshift({"diff", pair("k", "old"), pair("k", "new")});
    EXPECT_NE(text.out.find("[~] will-update  LaunchConfiguration (AWS::AutoScaling::LaunchConfiguration)  scope: Metadata\n"),
              std::string::npos)
        << text.out;
}

TEST(DiffCli, ScopeListsEveryModifiedResourceAndNothingForOthers) {
    json j = diff_json(pair("e", "old"), pair("e", "new"));
    for (auto& [id, r] : j["resources"].items()) {
        ASSERT_TRUE(r["scope"].is_array()) << id;
        if (r["change"] == "modified") EXPECT_FALSE(r["scope"].empty()) << id;
        else EXPECT_TRUE(r["scope"].empty()) << id;
    }
}

TEST(DiffCli, DependsOnRenamedConditionAndSubFormsAreNoChange) {
    json j = diff_json(pair("l", "old"), pair("l", "new"));
    EXPECT_TRUE(j["resources"].empty()) << j["resources"].dump();
    EXPECT_TRUE(j["outputs"].empty()) << j["outputs"].dump();
    auto text = run_stackshift({"diff", pair("l", "old"), pair("l", "new")});
    EXPECT_NE(text.out.find("Summary: no changes\n"), std::string::npos) << text.out;
}

TEST(DiffCli, BadParametersFileExitsTwo) {
    testing::TempDir dir;
    std::string params = dir.write("p.yaml", "Env: [unclosed\n");
    auto r = run_stackshift({"diff", data_path("templates/vpc.yaml"), data_path("templates/vpc.yaml"), "--parameters", params});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.err.starts_with("stackshift: error: " + params + ":2:1: invalid YAML")) << r.err;
}

TEST(DiffCli, WrongFlagExitsTwo) {
    auto r = run_stackshift({"diff", "a", "b", "--outptu", "json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--outptu"), std::string::npos) << r.err;
    auto bad_format = run_stackshift({"diff", "a", "b", "--output", "xml"});
    EXPECT_EQ(bad_format.exit_code, 2);
    EXPECT_NE(bad_format.err.find("xml"), std::string::npos) << bad_format.err;
}

TEST(DiffCli, UnknownCommandSuggestsTheRightOne) {
    auto r = run_stackshift({"dif"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown command 'dif' (did you mean 'diff'?)"), std::string::npos) << r.err;
}

TEST(DiffCli, TextIsPlainWhenNotATerminal) {
    auto r = run_stackshift({"diff", pair("c", "old"), pair("c", "new")});
    EXPECT_EQ(r.out.find("\033["), std::string::npos);
}

// Templates with transforms are compared as written, before the transforms run; every
// output says so, and parts kept as written (Globals, a Fn::ForEach loop) are compared too.
TEST(DiffCli, TransformsAreComparedAsWrittenAndTheDiffSaysSo) {
    std::string old_path = data_path("templates/transforms/sam.old.yaml");
    std::string new_path = data_path("templates/transforms/sam.new.yaml");
    json j = diff_json(old_path, new_path);
    ASSERT_TRUE(j.contains("transform")) << j.dump();
    EXPECT_EQ(j["transform"]["old"], json({"AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"}));
    EXPECT_EQ(j["transform"]["new"], j["transform"]["old"]);
    EXPECT_EQ(j["transform"]["kept_as_written"],
              json::parse(R"J([{"path": "Globals", "change": "changed", "reason": "SAM's Globals section"},
                              {"path": "Resources.Fn::ForEach::Queues", "change": "changed",
                               "reason": "a Fn::ForEach loop (AWS::LanguageExtensions)"}])J"));
    const std::string note = "compared as written, before AWS::LanguageExtensions, AWS::Serverless-2016-10-31 run: the resources "
                             "and properties they generate or change are not in this diff; kept as written and different: "
                             "Globals (changed), Resources.Fn::ForEach::Queues (changed)";
    EXPECT_EQ(j["transform"]["note"], note);
    EXPECT_TRUE(j["resources"].empty()) << j["resources"].dump();

    auto text = run_stackshift({"diff", old_path, new_path});
    EXPECT_NE(text.out.find("Summary: 2 parts kept as written changed\n"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("Note: " + note + "\n"), std::string::npos) << text.out;
    auto markdown = run_stackshift({"diff", old_path, new_path, "--output", "markdown"});
    EXPECT_NE(markdown.out.find("> [!NOTE]\n> **Transforms:** " + note + "\n"), std::string::npos) << markdown.out;

    // A template against itself: the note stays, nothing differs.
    json same = diff_json(old_path, old_path);
    EXPECT_TRUE(same["transform"]["kept_as_written"].empty());
    // Without transforms the field is absent, as before.
    EXPECT_FALSE(diff_json(pair("b", "old"), pair("b", "new")).contains("transform"));
}

TEST(DiffCli, GoldenTextAndMarkdownOfTheExample) {
    std::string old_path = "examples/diff/2-5-db-timescale.3.14.2.yaml";
    std::string new_path = "examples/diff/2-5-db-timescale.3.15.1.yaml";
    std::string params = "examples/diff/parameters.yaml";
    std::string cwd = std::filesystem::current_path();
    std::filesystem::current_path(STACKSHIFT_SOURCE_DIR);
    auto text = run_stackshift({"diff", old_path, new_path});
    auto markdown = run_stackshift({"diff", old_path, new_path, "--parameters", params, "--output", "markdown"});
    std::filesystem::current_path(cwd);
    EXPECT_EQ(text.exit_code, 0) << text.err;
    testing::expect_golden(text.out, "diff-timescale.txt");
    testing::expect_golden(markdown.out, "diff-timescale.md");
}

}  // namespace
}  // namespace stackshift
