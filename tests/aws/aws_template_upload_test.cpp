// The AWS backend's part of templates over the TemplateBody limit: upload_template as
// `aws s3api put-object` with the body through a temporary file, and a change set made from
// the object's URL with --template-url.

#include <gtest/gtest.h>

#include <filesystem>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;
using Args = std::vector<std::string>;

struct Backend {
    std::shared_ptr<FakeRunner> runner;
    std::shared_ptr<AwsCli> cli;
    std::unique_ptr<AwsCloud> cloud;

    Backend(FakeRunner::Handler handler, const std::string& region) : runner(std::make_shared<FakeRunner>(std::move(handler))) {
        AwsOptions o;
        o.cli = "/bin/true";  // executable: locate_cli accepts it
        o.region = region;
        o.throttle_base_ms = 1;
        cli = std::make_shared<AwsCli>(o, runner, [](std::int64_t) {});
        cloud = std::make_unique<AwsCloud>(cli);
    }
};

ProcessResult ok(const std::string& out) { return {0, out, ""}; }

TEST(AwsTemplateUpload, PutObjectWithTheBodyInATemporaryFileThatIsRemoved) {
    stackshift::testing::TempDir tmp;
    setenv("TMPDIR", tmp.path().c_str(), 1);
    std::string body = std::string(60000, '#') + "\nResources: {}\n";
    std::string seen;
    std::string path;
    Backend b(
        [&](const Args& argv) {
            auto at = std::find(argv.begin(), argv.end(), "--body");
            if (at == argv.end()) return ok("{}");
            path = at[1];
            seen = stackshift::testing::read_text(path);
            return ok(R"({"ETag": "\"abc\""})");
        },
        "eu-west-1");
    std::string url = b.cloud->upload_template("acme-templates", "stackshift/ff/h1-02.template", body);
    unsetenv("TMPDIR");
    EXPECT_EQ(url, "https://acme-templates.s3.eu-west-1.amazonaws.com/stackshift/ff/h1-02.template");
    ASSERT_EQ(b.runner->calls().size(), 1u);
    EXPECT_EQ(b.runner->calls()[0], (Args{"s3api", "put-object", "--bucket", "acme-templates", "--key",
                                          "stackshift/ff/h1-02.template", "--body", path, "--output", "json", "--region",
                                          "eu-west-1"}));
    EXPECT_EQ(seen, body);
    EXPECT_EQ(path.rfind(tmp.path(), 0), 0u);
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(AwsTemplateUpload, WithoutARegionTheUrlIsTheGlobalOne) {
    Backend b([](const Args&) { return ok("{}"); }, "");
    EXPECT_EQ(b.cloud->upload_template("b", "k", "Resources: {}\n"), "https://b.s3.amazonaws.com/k");
}

TEST(AwsTemplateUpload, AnUnknownBucketIsS3sNoSuchBucket) {
    Backend b(
        [](const Args&) {
            return ProcessResult{254, "", "\nAn error occurred (NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist\n"};
        },
        "eu-west-1");
    try {
        b.cloud->upload_template("nope", "k", "Resources: {}\n");
        ADD_FAILURE() << "no error";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "NoSuchBucket");
    }
}

TEST(AwsTemplateUpload, AChangeSetFromAUrlSendsTheUrlAndNoBody) {
    Backend b([](const Args&) { return ok(R"({"Id": "arn:aws:cloudformation:eu-west-1:1:changeSet/cs/1"})"); }, "eu-west-1");
    ChangeSetRequest r;
    r.stack = "acme-1-1-vpc";
    r.change_set_name = "cs";
    r.template_url = "https://acme-templates.s3.eu-west-1.amazonaws.com/stackshift/ff/h1-02.template";
    b.cloud->create_change_set(r);
    EXPECT_EQ(b.runner->calls()[0],
              (Args{"cloudformation", "create-change-set", "--stack-name", "acme-1-1-vpc", "--change-set-name", "cs",
                    "--change-set-type", "UPDATE", "--template-url", r.template_url, "--capabilities", "CAPABILITY_IAM",
                    "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND", "--output", "json", "--region", "eu-west-1"}));
}

}  // namespace
}  // namespace stackshift::cloud::aws
