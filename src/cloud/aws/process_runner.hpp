#pragma once
// ProcessRunner: runs a program with arguments and an environment, without a shell, and hands
// back what it wrote and how it ended. The AWS backend runs the AWS CLI through it, so tests can
// put an in-memory fake in its place (tests/aws/fake_runner.hpp).

#include <string>
#include <vector>

namespace stackshift::cloud::aws {

struct ProcessResult {
    int exit_code = -1;  // the exit status, or 128 + the signal that ended it
    std::string out;
    std::string err;
};

class ProcessRunner {
public:
    virtual ~ProcessRunner() = default;
    // Runs argv[0] (a path) with argv and exactly the environment `env` ("NAME=value").
    // Must be safe to call from several threads at once. Throws std::runtime_error when the
    // program cannot be started at all.
    virtual ProcessResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env) = 0;
};

// The real runner: posix_spawn with stdin from /dev/null and both output pipes read together
// (poll), so a child that fills one pipe while we wait on the other cannot deadlock.
class PosixProcessRunner : public ProcessRunner {
public:
    ProcessResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env) override;
};

// This process's environment as "NAME=value" strings.
std::vector<std::string> current_environment();

}  // namespace stackshift::cloud::aws
