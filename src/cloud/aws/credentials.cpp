#include "cloud/aws/credentials.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "cloud/cloud.hpp"
#include "core/utc_time.hpp"

namespace stackshift::cloud::aws {

namespace {

std::string variable(const std::vector<std::string>& env, const std::string& name) {
    std::string prefix = name + "=";
    for (const auto& entry : env)
        if (entry.rfind(prefix, 0) == 0) return entry.substr(prefix.size());
    return {};
}

[[noreturn]] void invalid(const std::string& message) { throw CloudError("InvalidCredentials", message); }

std::string required_string(const nlohmann::json& doc, const char* key, const std::string& source) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_string() || it->get<std::string>().empty())
        invalid(source + " printed no " + key + "; run it yourself to see why, and sign in again (aws sso login, "
                         "or fix the profile)");
    return it->get<std::string>();
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The CLI writes Expiration with an offset ("2026-12-07T10:00:00+00:00") or a Z, sometimes
// with fractions of a second; UTC is all it writes.
std::optional<std::int64_t> parse_expiration(std::string text) {
    if (text.size() >= 6 && text.compare(text.size() - 6, 6, "+00:00") == 0) text = text.substr(0, text.size() - 6) + "Z";
    if (auto dot = text.find('.'); dot != std::string::npos && text.back() == 'Z') text = text.substr(0, dot) + "Z";
    return parse_iso_utc(text);
}

}  // namespace

std::optional<Credentials> credentials_from_environment(const std::vector<std::string>& env) {
    std::string key = variable(env, "AWS_ACCESS_KEY_ID");
    std::string secret = variable(env, "AWS_SECRET_ACCESS_KEY");
    if (key.empty() && secret.empty()) return std::nullopt;
    if (key.empty()) invalid("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both, or neither to use the AWS CLI's configuration");
    if (secret.empty()) invalid("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or neither to use the AWS CLI's configuration");
    return Credentials{key, secret, variable(env, "AWS_SESSION_TOKEN"), std::nullopt, "the environment"};
}

Credentials parse_process_credentials(const std::string& json, const std::string& source) {
    nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) invalid(source + " did not print a JSON object; run it yourself to see what it says");
    auto version = doc.find("Version");
    if (version == doc.end() || !version->is_number_integer() || version->get<int>() != 1)
        invalid(source + " printed credentials of a Version other than 1; use an AWS CLI v2 that writes Version 1");
    Credentials credentials;
    credentials.access_key_id = required_string(doc, "AccessKeyId", source);
    credentials.secret_access_key = required_string(doc, "SecretAccessKey", source);
    if (auto token = doc.find("SessionToken"); token != doc.end() && token->is_string())
        credentials.session_token = token->get<std::string>();
    if (auto expiration = doc.find("Expiration"); expiration != doc.end() && !expiration->is_null()) {
        auto seconds = expiration->is_string() ? parse_expiration(expiration->get<std::string>()) : std::nullopt;
        if (!seconds) invalid(source + " printed an Expiration that is not an ISO 8601 UTC time: " + expiration->dump());
        credentials.expiration = seconds;
    }
    credentials.source = source;
    return credentials;
}

CredentialProvider::CredentialProvider(ProcessRunner& runner, std::string cli, std::string profile,
                                       std::vector<std::string> env, Clock clock)
    : m_runner(runner), m_cli(std::move(cli)), m_profile(std::move(profile)), m_env(std::move(env)),
      m_clock(clock ? std::move(clock) : Clock(now_seconds)) {}

bool CredentialProvider::fresh() const {
    if (!m_cached) return false;
    if (!m_cached->expiration) return true;
    return *m_cached->expiration - m_clock() >= refresh_margin_s;
}

Credentials CredentialProvider::get() {
    std::lock_guard lock(m_mutex);
    if (fresh()) return *m_cached;
    // An explicit --profile wins over the environment's keys, as it does in the AWS CLI: keys
    // of another account left in the shell must not act on the profile's deployment.
    if (auto from_env = m_profile.empty() ? credentials_from_environment(m_env) : std::nullopt) {
        m_cached = std::move(from_env);
        return *m_cached;
    }
    m_cached = fetch_from_cli();
    return *m_cached;
}

Credentials CredentialProvider::fetch_from_cli() const {
    std::vector<std::string> argv{m_cli, "configure", "export-credentials", "--format", "process"};
    if (!m_profile.empty()) {
        argv.push_back("--profile");
        argv.push_back(m_profile);
    }
    std::string source = "'aws configure export-credentials" + (m_profile.empty() ? "" : " --profile " + m_profile) + "'";
    ProcessResult result;
    try {
        result = m_runner.run(argv, m_env);
    } catch (const std::exception& e) {
        invalid("cannot run " + source + " (" + m_cli + "): " + e.what());
    }
    if (result.exit_code != 0)
        invalid("no AWS credentials: AWS_ACCESS_KEY_ID is not set and " + source + " failed (exit code " +
                std::to_string(result.exit_code) + "): " + result.err +
                "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure the profile (aws configure, aws sso login)");
    Credentials credentials = parse_process_credentials(result.out, source);
    if (credentials.expiration && *credentials.expiration - m_clock() < refresh_margin_s)
        invalid(source + " handed back credentials that expire at " + format_iso_utc(*credentials.expiration) +
                ", less than 5 minutes from now; sign in again (aws sso login, or refresh the profile's session)");
    return credentials;
}

}  // namespace stackshift::cloud::aws
