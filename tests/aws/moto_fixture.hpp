#pragma once
// The fixture of the tests against moto's AWS emulator: a moto_server started on 127.0.0.1 for
// each test (and stopped by its process id when the test ends), fake credentials, and the AWS
// CLI v2 to set up a deployment in it as a person would.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "aws/local_server.hpp"
#include "cloud/aws/aws_cli.hpp"
#include "cloud/aws/process_runner.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {

class MotoFixture : public ::testing::Test {
protected:
    void SetUp() override {
        std::string moto = stackshift::testing::find_on_path("moto_server");
        if (moto.empty()) GTEST_SKIP() << "moto_server is not on PATH (pip install 'moto[server]'); the tests against an AWS emulator are not run";
        cli = stackshift::testing::aws_cli_v2();
        ASSERT_EQ(access(cli.c_str(), X_OK), 0) << "these tests need the AWS CLI v2 at " << cli;
        server = std::make_unique<stackshift::testing::LocalServer>(std::vector<std::string>{moto, "-H", "127.0.0.1", "-p", "0"},
                                                                    "Running on http://127\\.0\\.0\\.1:(\\d+)");
        ASSERT_NE(server->port, 0) << "moto_server did not start: " << server->output();
        env = stackshift::testing::fake_aws_environment(dir);
    }

    // Runs the AWS CLI against moto, as a person setting up the deployment would.
    Json aws(std::vector<std::string> args) {
        std::vector<std::string> argv = {cli};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--endpoint-url", server->url(), "--output", "json"});
        std::vector<std::string> environment = current_environment();
        environment.insert(environment.end(), env.begin(), env.end());
        ProcessResult r = PosixProcessRunner().run(argv, environment);
        EXPECT_EQ(r.exit_code, 0) << args[1] << ": " << r.err;
        return r.out.empty() ? Json::object() : Json::parse(r.out);
    }

    std::string release(const std::string& version, const std::string& file) {
        return stackshift::testing::data_path("aws/releases/" + version + "/" + file);
    }

    stackshift::testing::TempDir dir;
    std::string cli;
    std::unique_ptr<stackshift::testing::LocalServer> server;
    std::vector<std::string> env;
};

}  // namespace stackshift::cloud::aws
