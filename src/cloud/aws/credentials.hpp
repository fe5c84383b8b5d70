#pragma once
// AWS credentials for the in-process HTTP client: from the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) when no profile is named, else from the AWS CLI v2
// (`aws configure export-credentials --format process`), which knows every source the user
// configured (profiles, SSO, assumed roles) so that stackshift need not. What the CLI hands
// back is kept until less than five minutes of it remain, then asked for again.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cloud/aws/process_runner.hpp"

namespace stackshift::cloud::aws {

struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;            // empty for long-term keys
    std::optional<std::int64_t> expiration;  // seconds since the epoch; none for long-term keys
    std::string source;                   // where they came from, for messages ("the environment", ...)
};

// Credentials from "NAME=value" strings, or nullopt when AWS_ACCESS_KEY_ID is not set.
// Throws CloudError (code "InvalidCredentials") when the key is set without its secret or the
// other way round: half a pair is a mistake, not a reason to look elsewhere.
std::optional<Credentials> credentials_from_environment(const std::vector<std::string>& env);

// The JSON `aws configure export-credentials --format process` prints (Version 1), read into
// Credentials; CloudError "InvalidCredentials" naming `source` and what is missing otherwise.
Credentials parse_process_credentials(const std::string& json, const std::string& source);

class CredentialProvider {
public:
    using Clock = std::function<std::int64_t()>;  // seconds since the epoch

    // `cli` the path of the AWS CLI v2, `profile` its --profile (empty: the default chain),
    // `env` the environment the CLI runs with and the variables are read from.
    CredentialProvider(ProcessRunner& runner, std::string cli, std::string profile, std::vector<std::string> env,
                       Clock clock = {});

    // The environment's credentials (unless a profile is given: then the profile's, as the
    // AWS CLI does), else the CLI's, fetched once and again when less than
    // five minutes remain. Throws CloudError naming the source and the fix. Safe to call from
    // several threads (the backend's calls run in parallel); a copy, so a refresh by another
    // thread never changes what a caller holds.
    Credentials get();

    static constexpr std::int64_t refresh_margin_s = 300;

private:
    Credentials fetch_from_cli() const;
    bool fresh() const;

    ProcessRunner& m_runner;
    std::string m_cli;
    std::string m_profile;
    std::vector<std::string> m_env;
    Clock m_clock;
    std::mutex m_mutex;
    std::optional<Credentials> m_cached;
};

}  // namespace stackshift::cloud::aws
