// The AWS backend's RunTask: the launch type the request names (the profile's, through the
// plan's run-task spec), FARGATE when it names none.

#include <gtest/gtest.h>

#include <algorithm>

#include "aws/fake_runner.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;
using Args = std::vector<std::string>;

std::string launch_type_sent(const std::string& launch_type) {
    auto runner = std::make_shared<FakeRunner>([](const Args&) {
        return ProcessResult{0, R"({"tasks": [{"taskArn": "arn:aws:ecs:eu-west-1:1:task/c/1"}]})", ""};
    });
    AwsOptions o;
    o.cli = "/bin/true";
    auto cli = std::make_shared<AwsCli>(o, runner, [](std::int64_t) {});
    AwsCloud cloud(cli);
    RunTaskRequest request{"cluster", "family:3", "app", {"migrate"}, {"subnet-1"}, {"sg-1"}, "token", launch_type};
    EXPECT_EQ(cloud.run_task(request), "arn:aws:ecs:eu-west-1:1:task/c/1");
    Args argv = runner->calls().at(0);
    auto at = std::find(argv.begin(), argv.end(), "--launch-type");
    return at == argv.end() || at + 1 == argv.end() ? "(none)" : *(at + 1);
}

TEST(AwsRunTask, SendsTheLaunchTypeTheRequestNames) {
    EXPECT_EQ(launch_type_sent("EC2"), "EC2");
    EXPECT_EQ(launch_type_sent(""), "FARGATE");
}

}  // namespace
}  // namespace stackshift::cloud::aws
