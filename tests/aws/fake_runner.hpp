#pragma once
// An in-memory ProcessRunner for unit tests of the AWS backend: records every run (argv and
// environment) and answers with what the test's handler says; `aws --version` answers as a v2.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "cloud/aws/process_runner.hpp"

namespace stackshift::testing {

class FakeRunner : public cloud::aws::ProcessRunner {
public:
    using Handler = std::function<cloud::aws::ProcessResult(const std::vector<std::string>& argv)>;

    explicit FakeRunner(Handler answer = {}) : handler(std::move(answer)) {}

    cloud::aws::ProcessResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env) override {
        {
            std::lock_guard lock(mutex);
            runs.push_back(argv);
            last_env = env;
        }
        if (argv.size() == 2 && argv[1] == "--version") return version;
        return handler ? handler(argv) : cloud::aws::ProcessResult{0, "{}", ""};
    }

    // The runs after the version check, each without the CLI path.
    std::vector<std::vector<std::string>> calls() {
        std::lock_guard lock(mutex);
        std::vector<std::vector<std::string>> out;
        for (const auto& r : runs)
            if (!(r.size() == 2 && r[1] == "--version")) out.emplace_back(r.begin() + 1, r.end());
        return out;
    }

    Handler handler;
    cloud::aws::ProcessResult version{0, "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12\n", ""};
    std::mutex mutex;
    std::vector<std::vector<std::string>> runs;
    std::vector<std::string> last_env;
};

}  // namespace stackshift::testing
