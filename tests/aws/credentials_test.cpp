// Credentials for the HTTP client: the environment first, else the AWS CLI v2's
// `configure export-credentials`, run through a fake runner, kept until 5 minutes remain.

#include <gtest/gtest.h>

#include "aws/fake_runner.hpp"
#include "cloud/aws/credentials.hpp"
#include "cloud/cloud.hpp"
#include "core/utc_time.hpp"

namespace stackshift::cloud::aws {
namespace {

using stackshift::testing::FakeRunner;

std::string process_json(const std::string& key, const std::string& expiration) {
    return R"({"Version": 1, "AccessKeyId": ")" + key + R"(", "SecretAccessKey": "s3cret", "SessionToken": "tok", )" +
           R"("Expiration": ")" + expiration + R"("})";
}

std::string error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "InvalidCredentials");
        return e.message();
    }
    ADD_FAILURE() << "no CloudError";
    return {};
}

TEST(Credentials, EnvironmentComesFirstAndTheCliIsNotRun) {
    FakeRunner runner;
    CredentialProvider provider(runner, "/usr/bin/aws", "",
                                {"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=envsecret", "AWS_SESSION_TOKEN=envtoken"});
    auto credentials = provider.get();
    EXPECT_EQ(credentials.access_key_id, "AKIDENV");
    EXPECT_EQ(credentials.secret_access_key, "envsecret");
    EXPECT_EQ(credentials.session_token, "envtoken");
    EXPECT_EQ(credentials.source, "the environment");
    EXPECT_TRUE(runner.runs.empty());
}

TEST(Credentials, AGivenProfileWinsOverTheEnvironmentsKeys) {
    FakeRunner runner([](const std::vector<std::string>&) {
        return ProcessResult{0, R"({"Version": 1, "AccessKeyId": "AKIDPROFILE", "SecretAccessKey": "s"})", ""};
    });
    CredentialProvider provider(runner, "/usr/bin/aws", "prod", {"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=e"});
    EXPECT_EQ(provider.get().access_key_id, "AKIDPROFILE");
    ASSERT_EQ(runner.calls().size(), 1u);
    EXPECT_EQ(runner.calls()[0].back(), "prod");
}

TEST(Credentials, HalfAPairInTheEnvironmentIsRefused) {
    EXPECT_NE(error_of([] { credentials_from_environment({"AWS_ACCESS_KEY_ID=AKID"}); }).find("AWS_SECRET_ACCESS_KEY is not"),
              std::string::npos);
    EXPECT_NE(error_of([] { credentials_from_environment({"AWS_SECRET_ACCESS_KEY=s"}); }).find("AWS_ACCESS_KEY_ID is not"),
              std::string::npos);
}

TEST(Credentials, FromTheCliWithTheProfileParsedAndCached) {
    std::int64_t now = *parse_iso_utc("2026-12-07T10:00:00Z");
    FakeRunner runner([](const std::vector<std::string>&) {
        return ProcessResult{0, process_json("ASIACLI", "2026-12-07T11:00:00+00:00"), ""};
    });
    CredentialProvider provider(runner, "/usr/bin/aws", "prod", {"HOME=/tmp"}, [&] { return now; });
    auto credentials = provider.get();
    EXPECT_EQ(credentials.access_key_id, "ASIACLI");
    EXPECT_EQ(credentials.secret_access_key, "s3cret");
    EXPECT_EQ(credentials.session_token, "tok");
    EXPECT_EQ(credentials.expiration, *parse_iso_utc("2026-12-07T11:00:00Z"));
    provider.get();
    ASSERT_EQ(runner.calls().size(), 1u);
    EXPECT_EQ(runner.calls()[0], (std::vector<std::string>{"configure", "export-credentials", "--format", "process",
                                                            "--profile", "prod"}));
    EXPECT_EQ(runner.runs[0][0], "/usr/bin/aws");
}

TEST(Credentials, RefreshedWhenLessThanFiveMinutesRemain) {
    std::int64_t now = *parse_iso_utc("2026-12-07T10:00:00Z");
    int served = 0;
    FakeRunner runner([&](const std::vector<std::string>&) {
        ++served;
        return ProcessResult{0, process_json("ASIA" + std::to_string(served), served == 1 ? "2026-12-07T11:00:00Z" : "2026-12-07T12:00:00Z"), ""};
    });
    CredentialProvider provider(runner, "/usr/bin/aws", "", {}, [&] { return now; });
    EXPECT_EQ(provider.get().access_key_id, "ASIA1");
    now = *parse_iso_utc("2026-12-07T10:55:00Z");  // exactly 5 minutes left: still good
    EXPECT_EQ(provider.get().access_key_id, "ASIA1");
    now = *parse_iso_utc("2026-12-07T10:55:01Z");
    EXPECT_EQ(provider.get().access_key_id, "ASIA2");
    EXPECT_EQ(runner.calls().size(), 2u);
    EXPECT_EQ(runner.calls()[0].size(), 4u);  // no --profile when none is given
}

TEST(Credentials, LongTermKeysFromTheCliAreNeverRefreshed) {
    FakeRunner runner([](const std::vector<std::string>&) {
        return ProcessResult{0, R"({"Version": 1, "AccessKeyId": "AKIDLONG", "SecretAccessKey": "s"})", ""};
    });
    std::int64_t now = 0;
    CredentialProvider provider(runner, "/usr/bin/aws", "", {}, [&] { return now; });
    EXPECT_FALSE(provider.get().expiration.has_value());
    now = 10'000'000;
    provider.get();
    EXPECT_EQ(runner.calls().size(), 1u);
}

TEST(Credentials, CliFailureNamesTheCommandAndTheFix) {
    FakeRunner runner([](const std::vector<std::string>&) {
        return ProcessResult{255, "", "The SSO session associated with this profile has expired"};
    });
    CredentialProvider provider(runner, "/usr/bin/aws", "prod", {});
    std::string message = error_of([&] { provider.get(); });
    EXPECT_NE(message.find("'aws configure export-credentials --profile prod' failed (exit code 255)"), std::string::npos) << message;
    EXPECT_NE(message.find("has expired"), std::string::npos) << message;
    EXPECT_NE(message.find("aws sso login"), std::string::npos) << message;
}

TEST(Credentials, BadProcessOutputIsRefusedNamingWhatIsMissing) {
    EXPECT_NE(error_of([] { parse_process_credentials("not json", "the CLI"); }).find("the CLI did not print a JSON object"),
              std::string::npos);
    EXPECT_NE(error_of([] { parse_process_credentials(R"({"Version": 2})", "the CLI"); }).find("Version other than 1"),
              std::string::npos);
    EXPECT_NE(error_of([] { parse_process_credentials(R"({"Version": 1, "AccessKeyId": "A"})", "the CLI"); })
                  .find("printed no SecretAccessKey"),
              std::string::npos);
    EXPECT_NE(error_of([] {
                  parse_process_credentials(R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "soon"})",
                                            "the CLI");
              }).find("Expiration that is not an ISO 8601"),
              std::string::npos);
}

TEST(Credentials, AlreadyExpiringCliCredentialsAreRefused) {
    std::int64_t now = *parse_iso_utc("2026-12-07T10:58:00Z");
    FakeRunner runner([](const std::vector<std::string>&) {
        return ProcessResult{0, process_json("ASIA", "2026-12-07T11:00:00.000Z"), ""};
    });
    CredentialProvider provider(runner, "/usr/bin/aws", "", {}, [&] { return now; });
    EXPECT_NE(error_of([&] { provider.get(); }).find("expire at 2026-12-07T11:00:00Z, less than 5 minutes"), std::string::npos);
}

}  // namespace
}  // namespace stackshift::cloud::aws
