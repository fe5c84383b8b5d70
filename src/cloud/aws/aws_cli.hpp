#pragma once
// AwsCli: one AWS CLI v2 call at a time, or several in parallel: finds the CLI, refuses a v1,
// runs `aws SERVICE COMMAND ARGS --output json` with the global options, parses what it
// prints, turns a failure into CloudError (cli_error.hpp) and backs off on throttling. It never
// writes a call's arguments or output anywhere: they can hold parameter values.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cloud/aws/aws_options.hpp"
#include "cloud/aws/process_runner.hpp"

namespace stackshift::cloud::aws {

// Order kept: a JSON template body comes back as an object and is written out again.
using Json = nlohmann::ordered_json;

// Where the CLI is: --aws-cli, else $STACKSHIFT_AWS_CLI, else `aws` on $PATH. InputError when
// none is found. `getenv` is injectable for tests.
std::string locate_cli(const AwsOptions& options, const std::function<const char*(const char*)>& getenv);

// Checks `CLI --version` (v1 prints it on stderr, v2 on stdout); InputError for a v1 CLI or
// something that is not the AWS CLI, naming the path and how to give a v2.
void check_cli_version(const std::string& cli, const ProcessResult& version);

class AwsCli {
public:
    using Sleep = std::function<void(std::int64_t milliseconds)>;

    // Locates the CLI and checks its version (one `--version` run).
    AwsCli(AwsOptions options, std::shared_ptr<ProcessRunner> runner, Sleep sleep = {});

    // The parsed JSON output of one call ({} when it printed nothing). Throws CloudError.
    Json call(const std::string& service, const std::string& command, const std::vector<std::string>& args);

    // Runs the tasks, at most options.parallel at once; rethrows the first failure after all ended.
    void parallel(const std::vector<std::function<void()>>& tasks);

    const std::string& path() const { return m_cli; }
    const AwsOptions& options() const { return m_options; }
    // The calls made so far by operation name (DescribeStacks ...).
    std::map<std::string, int> calls() const;

private:
    Json call_once(const std::string& service, const std::string& command, const std::vector<std::string>& args);

    AwsOptions m_options;
    std::shared_ptr<ProcessRunner> m_runner;
    Sleep m_sleep;
    std::string m_cli;
    std::vector<std::string> m_env;
    mutable std::mutex m_mutex;
    std::map<std::string, int> m_calls;
};

}  // namespace stackshift::cloud::aws
