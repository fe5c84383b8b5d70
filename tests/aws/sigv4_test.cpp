// The proof that the HTTP client signs as AWS expects: every request libcurl signs is signed
// again by botocore's own SigV4 signer (Debian's AWS CLI package) in sigv4_check_server.py,
// which answers 200 only when both Authorization headers are the same. Also the client's
// timeouts and its reuse of one connection.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "aws/local_server.hpp"
#include "cloud/aws/http_client.hpp"
#include "cloud/cloud.hpp"
#include "test_support.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::LocalServer;

const Credentials kCredentials{"AKIDSIGV4TEST", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSIGV4TEST", "", std::nullopt, "test"};

class Sigv4 : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server = std::make_unique<LocalServer>(
            std::vector<std::string>{"/usr/bin/python3", stackshift::testing::source_path("tests/aws/sigv4_check_server.py"),
                                     kCredentials.access_key_id, kCredentials.secret_access_key},
            "port (\\d+)");
    }
    static void TearDownTestSuite() { server.reset(); }

    void SetUp() override {
        if (server->port == 0 && server->output().find("botocore signer unavailable") != std::string::npos)
            GTEST_SKIP() << "/usr/bin/python3 cannot import botocore's signer (Debian's awscli package): "
                         << server->output();
        ASSERT_NE(server->port, 0) << "the SigV4 check server did not start: " << server->output();
    }

    static HttpRequest form_post(const std::string& body) {
        return {"POST", server->url() + "/", {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}, body};
    }

    static std::unique_ptr<LocalServer> server;
};
std::unique_ptr<LocalServer> Sigv4::server;

TEST_F(Sigv4, QueryProtocolFormPostMatchesBotocore) {
    HttpClient client;
    auto response = client.send(form_post("Action=DescribeStacks&StackName=tts-1-vpc&Version=2010-05-15"), kCredentials,
                                {"eu-west-1", "cloudformation"});
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_NE(response.body.find("/eu-west-1/cloudformation/aws4_request"), std::string::npos) << response.body;
}

// A body over 1 MiB makes libcurl 7.88 send its own "Expect: 100-continue" (S3 uploads of
// templates are that large); that header must stay out of the signature.
TEST_F(Sigv4, LargeTemplateBodyMatchesBotocore) {
    std::string body = "Action=CreateChangeSet&StackName=tts-2-db&TemplateBody=" + std::string(1'100'000, 'A') +
                       "&Version=2010-05-15";
    HttpClient client;
    auto response = client.send(form_post(body), kCredentials, {"eu-west-1", "cloudformation"});
    EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(Sigv4, JsonPostWithTargetMatchesBotocore) {
    HttpClient client;
    HttpRequest request{"POST", server->url() + "/",
                        {{"Content-Type", "application/x-amz-json-1.1"},
                         {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeServices"}},
                        R"({"cluster":"tts","services":["tts-stack-web"]})"};
    auto response = client.send(request, kCredentials, {"us-east-1", "ecs"});
    EXPECT_EQ(response.status, 200) << response.body;
    // The target is part of what was signed, as AWS requires of a JSON-protocol call.
    EXPECT_NE(response.body.find("x-amz-target"), std::string::npos) << response.body;
}

TEST_F(Sigv4, GetWithUnsortedEncodedQueryMatchesBotocore) {
    HttpClient client;
    HttpRequest request{"GET", server->url() + "/?Version=2016-11-15&Action=DescribeInstances&Filter.1.Name=tag%3AName"
                                               "&Filter.1.Value.1=tts+web/1&Empty",
                        {}, ""};
    auto response = client.send(request, kCredentials, {"eu-west-1", "ec2"});
    EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(Sigv4, SessionTokenIsSentAndSigned) {
    Credentials session = kCredentials;
    session.session_token = "IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+token=";
    HttpClient client;
    auto response = client.send(form_post("Action=ListStacks&Version=2010-05-15"), session, {"eu-west-1", "cloudformation"});
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_NE(response.body.find("x-amz-security-token"), std::string::npos) << response.body;
}

TEST_F(Sigv4, WrongSecretIsRefused) {
    Credentials wrong = kCredentials;
    wrong.secret_access_key = "not-the-secret-the-server-holds";
    HttpClient client;
    auto response = client.send(form_post("Action=DescribeStacks&Version=2010-05-15"), wrong, {"eu-west-1", "cloudformation"});
    EXPECT_EQ(response.status, 403) << response.body;
    EXPECT_NE(response.body.find("signature differs"), std::string::npos) << response.body;
}

TEST_F(Sigv4, TwoCallsShareOneConnection) {
    HttpClient client;
    auto first = client.send(form_post("Action=ListStacks&Version=2010-05-15"), kCredentials, {"eu-west-1", "cloudformation"});
    auto second = client.send(form_post("Action=ListStacks&Version=2010-05-15"), kCredentials, {"eu-west-1", "cloudformation"});
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_EQ(second.status, 200) << second.body;
    ASSERT_FALSE(first.header("X-Connection-Number").empty());
    EXPECT_EQ(first.header("x-connection-number"), second.header("X-Connection-Number"));
    // A second client is a second connection: the number does tell connections apart.
    HttpClient other;
    auto third = other.send(form_post("Action=ListStacks&Version=2010-05-15"), kCredentials, {"eu-west-1", "cloudformation"});
    EXPECT_NE(third.header("X-Connection-Number"), first.header("X-Connection-Number"));
}

TEST_F(Sigv4, ServerThatNeverAnswersIsATimeoutNamingTheEndpoint) {
    HttpClient client(HttpTimeouts{std::chrono::milliseconds(500), std::chrono::milliseconds(800)});
    auto started = std::chrono::steady_clock::now();
    try {
        client.send({"GET", server->url() + "/hang", {}, ""}, kCredentials, {"eu-west-1", "cloudformation"});
        FAIL() << "a server that never answers must end in a CloudError";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "RequestTimeout");
        EXPECT_NE(e.message().find(server->url()), std::string::npos) << e.message();
        EXPECT_NE(e.message().find("0.8s"), std::string::npos) << e.message();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace stackshift::cloud::aws
