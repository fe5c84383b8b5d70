// The deployment snapshot file: read back as written, NoEcho values never written, and every
// problem of a hand-edited snapshot reported at once with its place.

#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift::inputs {
namespace {

using testing::TempDir;

std::string errors(const std::string& json) {
    TempDir dir;
    auto result = load_deployment(dir.write("d.json", json));
    if (result) return "(no error)";
    std::string text = to_string(result.diagnostics());
    for (std::size_t at; (at = text.find(dir.path() + "/")) != std::string::npos;) text.erase(at, dir.path().size() + 1);
    return text;
}

TEST(SnapshotFile, WrittenSnapshotReadsBackTheSame) {
    auto original = load_deployment(testing::source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(original) << to_string(original.diagnostics());
    TempDir dir;
    auto again = load_deployment(dir.write("again.json", deployment_to_json(*original)));
    ASSERT_TRUE(again) << to_string(again.diagnostics());
    EXPECT_EQ(again->region, original->region);
    EXPECT_EQ(again->version, original->version);
    ASSERT_EQ(again->stacks.size(), original->stacks.size());
    for (std::size_t i = 0; i < again->stacks.size(); ++i) {
        const auto& a = again->stacks[i];
        const auto& o = original->stacks[i];
        EXPECT_EQ(a.name, o.name);
        EXPECT_EQ(a.template_id, o.template_id) << a.name;
        EXPECT_EQ(a.status, o.status) << a.name;
        EXPECT_EQ(a.parameters, o.parameters) << a.name;
        EXPECT_EQ(a.no_echo, o.no_echo) << a.name;
        EXPECT_EQ(a.outputs, o.outputs) << a.name;
        EXPECT_EQ(a.tags, o.tags) << a.name;
        EXPECT_EQ(a.template_body, o.template_body) << a.name;
    }
}

TEST(SnapshotFile, NoEchoValueIsNeverWritten) {
    cfn::Deployment d;
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = "app";
    s.parameters = {{"Token", "s3cret"}, {"Size", "10"}};
    s.no_echo = {"Token"};
    d.stacks.push_back(s);
    std::string json = deployment_to_json(d);
    EXPECT_EQ(json.find("s3cret"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("Token": "****")"), std::string::npos) << json;
}

TEST(SnapshotFile, LastUpdateTimeReadsBackAsWritten) {
    cfn::Deployment d;
    d.region = "eu-west-1";
    cfn::DeployedStack updated;
    updated.name = "app";
    updated.last_updated_s = 1796634764;
    cfn::DeployedStack unknown;
    unknown.name = "old";
    d.stacks = {updated, unknown};
    std::string json = deployment_to_json(d);
    EXPECT_NE(json.find(R"("lastUpdated": "2026-12-07T09:12:44Z")"), std::string::npos) << json;
    TempDir dir;
    auto again = load_deployment(dir.write("again.json", json));
    ASSERT_TRUE(again) << to_string(again.diagnostics());
    EXPECT_EQ(again->stacks[0].last_updated_s, 1796634764);
    EXPECT_EQ(again->stacks[1].last_updated_s, 0);  // not written, not invented
}

TEST(SnapshotFile, LastUpdateThatIsNoTime) {
    EXPECT_EQ(errors(R"({"format": "stackshift-deployment/1", "stacks": [
  {"name": "app", "lastUpdated": "yesterday"}]})"),
              "d.json:2:34: stack 'app': lastUpdated 'yesterday' is not a time; expected UTC as YYYY-MM-DDTHH:MM:SSZ, "
              "such as 2026-12-07T09:12:44Z");
}

TEST(SnapshotFile, NotAnObject) {
    EXPECT_EQ(errors("[]"), "d.json:1:1: a deployment snapshot is a JSON object with \"format\": \"stackshift-deployment/1\"");
}

TEST(SnapshotFile, EveryProblemAtOnce) {
    EXPECT_EQ(errors(R"({"format": "stackshift-deployment/2",
 "stacks": [{"name": "a"},
            {"name": "a"},
            {"name": "b", "parameters": {"P": "v", "Q": []}, "noEcho": ["P"]}]})"),
              "d.json:1:12: unknown snapshot format 'stackshift-deployment/2'; expected \"format\": \"stackshift-deployment/1\"\n"
              "d.json:3:13: stack 'a' appears twice\n"
              "d.json:4:57: parameters.Q must be a string\n"
              "d.json:4:13: stack 'b': NoEcho parameter P holds a value; a snapshot stores NoEcho values only as \"****\"");
}

TEST(SnapshotFile, WithoutStacks) {
    EXPECT_EQ(errors(R"({"format": "stackshift-deployment/1"})"), "d.json:1:1: the snapshot needs \"stacks\": a list of stacks");
}

}  // namespace
}  // namespace stackshift::inputs
