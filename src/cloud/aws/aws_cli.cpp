#include "cloud/aws/aws_cli.hpp"

#include <unistd.h>

#include <atomic>
#include <exception>
#include <random>
#include <regex>
#include <thread>

#include "cloud/aws/cli_error.hpp"
#include "cloud/cloud.hpp"
#include "core/error.hpp"

namespace stackshift::cloud::aws {

namespace {

constexpr std::string_view install_advice =
    "install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) "
    "and put it first on PATH, or give its path with --aws-cli PATH or STACKSHIFT_AWS_CLI";

bool executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string env_name(const std::string& entry) { return entry.substr(0, entry.find('=')); }

std::int64_t backoff_ms(std::int64_t base, int attempt) {
    static thread_local std::minstd_rand random{std::random_device{}()};
    std::int64_t delay = std::min<std::int64_t>(base << std::min(attempt, 16), 20000);
    std::uniform_int_distribution<std::int64_t> jitter(0, delay);
    return delay / 2 + jitter(random) / 2;  // "equal jitter": never less than half the delay
}

}  // namespace

std::string locate_cli(const AwsOptions& options, const std::function<const char*(const char*)>& getenv) {
    if (!options.cli.empty()) {
        if (!executable(options.cli))
            throw InputError("--aws-cli '" + options.cli + "' is not an executable file; " + std::string(install_advice));
        return options.cli;
    }
    if (const char* env = getenv("STACKSHIFT_AWS_CLI"); env != nullptr && *env != '\0') {
        if (!executable(env))
            throw InputError("STACKSHIFT_AWS_CLI '" + std::string(env) + "' is not an executable file; " +
                             std::string(install_advice));
        return env;
    }
    const char* path = getenv("PATH");
    std::string dirs = path != nullptr ? path : "";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        auto end = dirs.find(':', start);
        std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!dir.empty() && executable(dir + "/aws")) return dir + "/aws";
        if (end == std::string::npos) break;
        start = end + 1;
    }
    throw InputError("no AWS CLI found: 'aws' is not on PATH; " + std::string(install_advice));
}

void check_cli_version(const std::string& cli, const ProcessResult& version) {
    static const std::regex pattern("aws-cli/(\\d+)\\.(\\S+)");
    std::smatch m;
    std::string text = version.out + "\n" + version.err;
    if (!std::regex_search(text, m, pattern))
        throw InputError("'" + cli + " --version' did not print an AWS CLI version (exit code " +
                         std::to_string(version.exit_code) + "); " + std::string(install_advice));
    if (m[1].str() == "1")
        throw InputError("the AWS CLI at " + cli + " is version 1 (aws-cli/1." + m[2].str() +
                         "); stackshift needs the AWS CLI v2: " + std::string(install_advice));
}

AwsCli::AwsCli(AwsOptions options, std::shared_ptr<ProcessRunner> runner, Sleep sleep)
    : m_options(std::move(options)), m_runner(std::move(runner)), m_sleep(std::move(sleep)) {
    if (!m_sleep) m_sleep = [](std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
    if (m_options.parallel < 1) m_options.parallel = 1;
    m_cli = locate_cli(m_options, [](const char* name) { return std::getenv(name); });

    // The user's environment (credentials, profiles, SSO caches, proxies) with no pager, UTC
    // timestamps, and what the options add.
    std::vector<std::string> overrides = {"AWS_PAGER=", "TZ=UTC"};
    overrides.insert(overrides.end(), m_options.env.begin(), m_options.env.end());
    for (const auto& entry : current_environment()) {
        bool replaced = false;
        for (const auto& o : overrides) replaced = replaced || env_name(o) == env_name(entry);
        if (!replaced) m_env.push_back(entry);
    }
    m_env.insert(m_env.end(), overrides.begin(), overrides.end());

    ProcessResult version;
    try {
        version = m_runner->run({m_cli, "--version"}, m_env);
    } catch (const std::exception& e) {
        throw InputError("cannot run the AWS CLI at " + m_cli + ": " + e.what());
    }
    check_cli_version(m_cli, version);
}

std::map<std::string, int> AwsCli::calls() const {
    std::lock_guard lock(m_mutex);
    return m_calls;
}

Json AwsCli::call(const std::string& service, const std::string& command, const std::vector<std::string>& args) {
    for (int attempt = 0;; ++attempt) {
        try {
            return call_once(service, command, args);
        } catch (const CloudError& e) {
            if (!e.is_throttling() || attempt >= m_options.throttle_retries) throw;
            m_sleep(backoff_ms(m_options.throttle_base_ms, attempt));
        }
    }
}

Json AwsCli::call_once(const std::string& service, const std::string& command, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {m_cli, service, command};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--output", "json"});
    if (!m_options.region.empty()) argv.insert(argv.end(), {"--region", m_options.region});
    if (!m_options.profile.empty()) argv.insert(argv.end(), {"--profile", m_options.profile});
    if (!m_options.endpoint_url.empty()) argv.insert(argv.end(), {"--endpoint-url", m_options.endpoint_url});

    CliCall call{m_cli, operation_name(command), service, m_options.profile};
    {
        std::lock_guard lock(m_mutex);
        ++m_calls[call.operation];
    }
    ProcessResult result;
    try {
        result = m_runner->run(argv, m_env);
    } catch (const std::exception& e) {
        throw CloudError("CliFailed", "cannot run the AWS CLI at " + m_cli + ": " + e.what());
    }
    if (result.exit_code != 0) throw cli_error(call, result.exit_code, result.err);
    if (result.out.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
    try {
        return Json::parse(result.out);
    } catch (const nlohmann::json::exception&) {
        // Not quoted: the output can hold parameter values.
        throw CloudError("CliOutput", "the AWS CLI at " + m_cli + " printed " + std::to_string(result.out.size()) +
                                          " bytes that are not JSON for " + call.operation +
                                          "; is output set to json (stackshift passes --output json)?");
    }
}

void AwsCli::parallel(const std::vector<std::function<void()>>& tasks) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr first;
    std::mutex failure;
    auto worker = [&] {
        for (std::size_t i = next++; i < tasks.size(); i = next++) {
            try {
                tasks[i]();
            } catch (...) {
                std::lock_guard lock(failure);
                if (!first) first = std::current_exception();
            }
        }
    };
    std::size_t count = std::min<std::size_t>(tasks.size(), static_cast<std::size_t>(m_options.parallel));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < count; ++i) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    if (first) std::rethrow_exception(first);
}

}  // namespace stackshift::cloud::aws
