// `stackshift apply --template-bucket` end to end: a release whose template is over the
// 51,200-byte TemplateBody limit stops the run before anything is sent, and says how to go on;
// with a bucket the scenario made, the upgrade completes and the world holds the object.

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "apply/apply_cli_support.hpp"

namespace stackshift {
namespace {

using testing::init_world;
using testing::read_text;
using testing::run_stackshift;
using testing::source_path;

// A copy of the example's releases whose 3.15.1 ops template is padded with a YAML comment.
std::string padded_releases(const testing::TempDir& dir) {
    std::string releases = dir.file("releases");
    std::filesystem::copy(source_path("examples/releases"), releases, std::filesystem::copy_options::recursive);
    std::ofstream(releases + "/3.15.1/5-2-ecs-ops.yaml", std::ios::app) << "\n# " << std::string(60000, 'x') << "\n";
    return releases;
}

std::vector<std::string> apply_args(const std::string& state, const std::string& journal, const std::string& releases) {
    return {"apply", "--backend", "sim:" + state, "--journal", journal, "--releases", releases, "--to", "3.15.1",
            "--values", source_path("examples/values-3.15.1.yaml"), "--allow-replace", "acme-prod-2-5-db-timescale/Volume", "--yes"};
}

TEST(ApplyTemplateBucketCli, StopsWithoutABucketThenCompletesWithOne) {
    testing::TempDir dir;
    std::string releases = padded_releases(dir);
    std::string state = dir.file("world.json");
    init_world(state, dir.write("scenario.yaml", "account:\n  add:\n    s3_buckets: [acme-templates]\n"));
    std::string journal = dir.file("journal.db");

    auto stopped = run_stackshift(apply_args(state, journal, releases));
    EXPECT_NE(stopped.exit_code, 0);
    EXPECT_NE(stopped.err.find("stackshift: error: stopped at step "), std::string::npos) << stopped.err;
    EXPECT_NE(stopped.err.find("5-2-ecs-ops.yaml is "), std::string::npos) << stopped.err;
    EXPECT_NE(stopped.err.find("over CloudFormation's TemplateBody limit of 51200 bytes; nothing was sent"), std::string::npos);
    EXPECT_NE(stopped.err.find("--template-bucket BUCKET"), std::string::npos);
    EXPECT_EQ(read_text(state).find("\"CreateChangeSet\""), std::string::npos) << "a change set was asked for";

    auto args = apply_args(state, journal, releases);
    args.insert(args.end(), {"--template-bucket", "acme-templates", "--resume"});
    auto done = run_stackshift(args);
    ASSERT_EQ(done.exit_code, 0) << done.out << done.err;
    EXPECT_NE(done.out.find("template uploaded to s3://acme-templates/stackshift/"), std::string::npos) << done.out;
    auto world = nlohmann::json::parse(read_text(state));
    const auto& objects = world["inventory"]["s3_objects"]["acme-templates"];
    ASSERT_EQ(objects.size(), 1u);
    std::string body = objects.begin().value();
    EXPECT_EQ(body, read_text(releases + "/3.15.1/5-2-ecs-ops.yaml"));
    bool updated = false;
    for (const auto& s : world["stacks"]) {
        if (s["name"] != "acme-prod-5-2-ecs-ops") continue;
        updated = true;
        EXPECT_EQ(s["templateBody"], body);
    }
    EXPECT_TRUE(updated);
}

}  // namespace
}  // namespace stackshift
