#pragma once
// A server a test starts on 127.0.0.1 and stops by its process id: the stand-in AWS
// (stand_in_aws.py) or moto_server. Its output goes to a file (a server that logs every
// request must never block on a full pipe), which is read for the port it listens on.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fcntl.h>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace stackshift::testing {

class LocalServer {
public:
    // Runs argv (argv[0] a path) and waits until its output matches `port_pattern`, whose
    // first group is the port.
    LocalServer(const std::vector<std::string>& argv, const std::string& port_pattern) {
        m_output = m_dir.file("server-output");
        m_pid = fork();
        if (m_pid == 0) {
            int fd = open(m_output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
        std::regex pattern(port_pattern);
        for (int i = 0; i < 300 && port == 0; ++i) {
            std::smatch m;
            std::string text = read_text(m_output);
            if (std::regex_search(text, m, pattern)) port = std::stoi(m[1].str());
            else std::this_thread::sleep_for(std::chrono::milliseconds(100));
            int status = 0;
            if (port == 0 && waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                break;
            }
        }
    }
    ~LocalServer() {
        if (m_pid > 0) {
            kill(m_pid, SIGTERM);
            int status = 0;
            waitpid(m_pid, &status, 0);
        }
    }
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string output() const { return read_text(m_output); }

    int port = 0;

private:
    TempDir m_dir;
    std::string m_output;
    pid_t m_pid = -1;
};

// The first executable named `name` on PATH, or "".
inline std::string find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        auto end = dirs.find(':', start);
        std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return {};
}

// The AWS CLI v2 the tests run: $STACKSHIFT_TEST_AWS_CLI, else Debian's /usr/bin/aws.
inline std::string aws_cli_v2() {
    const char* given = std::getenv("STACKSHIFT_TEST_AWS_CLI");
    return given != nullptr && *given != '\0' ? given : "/usr/bin/aws";
}

// What the CLI needs to talk to a local server and nothing else: fake credentials, empty
// config files, no instance metadata, one attempt per call (throttling is the backend's).
inline std::vector<std::string> fake_aws_environment(const TempDir& dir, const std::string& region = "eu-west-1") {
    std::string config = dir.write("aws-config", "");
    std::string credentials = dir.write("aws-credentials", "");
    return {"AWS_ACCESS_KEY_ID=AKIDSTANDIN", "AWS_SECRET_ACCESS_KEY=stand-in-secret", "AWS_DEFAULT_REGION=" + region,
            "AWS_REGION=" + region, "AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + credentials,
            "AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=standard"};
}

}  // namespace stackshift::testing
