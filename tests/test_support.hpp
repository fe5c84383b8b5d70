#pragma once
// Shared test helpers: temporary folders, templates from strings, and running the real binary.

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cfn/template.hpp"

namespace stackshift::testing {

inline std::string data_path(const std::string& relative) { return std::string(STACKSHIFT_TEST_DATA) + "/" + relative; }
inline std::string source_path(const std::string& relative) { return std::string(STACKSHIFT_SOURCE_DIR) + "/" + relative; }

// A folder that exists for the life of the object.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        m_path = std::filesystem::temp_directory_path() / ("stackshift-test-" + std::to_string(rd()) + "-" + std::to_string(getpid()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string path() const { return m_path.string(); }
    std::string file(const std::string& name) const { return (m_path / name).string(); }
    std::string write(const std::string& name, const std::string& content) const {
        std::string p = file(name);
        std::filesystem::create_directories(std::filesystem::path(p).parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

private:
    std::filesystem::path m_path;
};

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Parses a template that must be valid; fails the test with the diagnostics otherwise.
inline cfn::Template parse_ok(const std::string& text, const std::string& name = "t.yaml") {
    auto result = cfn::parse_template(text, name);
    if (!result) {
        ADD_FAILURE() << to_string(result.diagnostics());
        return cfn::Template{};
    }
    return std::move(result).value();
}

// The diagnostics of a template that must be invalid, one per line.
inline std::string parse_errors(const std::string& text, const std::string& name = "t.yaml") {
    auto result = cfn::parse_template(text, name);
    if (result) return "(no error)";
    return to_string(result.diagnostics());
}

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// In a forked child: becomes the stackshift binary with these arguments (no shell).
// The standard output of `stackshift ARGS` (stderr dropped), run as a child without a shell.
inline std::string stackshift_output(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) return {};
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        close(fds[0]);
        std::vector<std::string> copies(args);
        std::vector<char*> argv{const_cast<char*>(STACKSHIFT_BINARY)};
        for (auto& a : copies) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(STACKSHIFT_BINARY, argv.data());
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    std::array<char, 65536> buffer{};
    for (ssize_t n; (n = read(fds[0], buffer.data(), buffer.size())) > 0;) out.append(buffer.data(), static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return out;
}

// The ids of the steps a plan JSON (`plan --output json`, a saved plan, a run's plan kept beside
// the journal) says only a person may accept by name, and of the work a person does (manual).
inline std::vector<std::string> explicit_steps(const std::string& plan_json) {
    std::vector<std::string> out;
    auto plan = nlohmann::json::parse(plan_json, nullptr, false);
    if (plan.is_discarded() || !plan.contains("hops")) return out;
    for (const auto& hop : plan["hops"])
        for (const auto& step : hop["steps"])
            if (step.value("confirmation", "") == "explicit" || step.value("kind", "") == "manual")
                out.push_back(step["id"].get<std::string>());
    return out;
}

// The tests run `apply --yes` as an operator who read the runbook runs it: every step that --yes
// does not accept (it destroys something or asks for a backup) and every piece of manual work
// (done by then) is confirmed by name with --confirm, as the plan lists them. Only when the command gives --yes and no --confirm of its
// own: a test of the refusal gives no --yes, or a --confirm of its choosing. On --resume the
// run's plan kept beside the journal names them (the deployment changed since it was made).
inline std::vector<std::string> with_confirmations(const std::vector<std::string>& args) {
    auto has = [&](std::string_view flag) { return std::find(args.begin(), args.end(), flag) != args.end(); };
    auto value_of = [&](std::string_view flag) {
        auto it = std::find(args.begin(), args.end(), flag);
        return it != args.end() && it + 1 != args.end() ? *(it + 1) : std::string();
    };
    if (args.empty() || args[0] != "apply" || !has("--yes") || has("--confirm")) return args;
    std::string plan_json;
    if (has("--plan")) {
        std::ifstream in(value_of("--plan"));
        plan_json.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } else if (std::string journal = value_of("--journal"); has("--resume") && !journal.empty()) {
        std::filesystem::path folder = std::filesystem::path(journal).parent_path();
        std::string prefix = std::filesystem::path(journal).filename().string() + ".run-";
        long newest = -1;
        if (std::filesystem::exists(folder.empty() ? "." : folder))
            for (const auto& e : std::filesystem::directory_iterator(folder.empty() ? "." : folder)) {
                std::string name = e.path().filename().string();
                if (!name.starts_with(prefix) || !name.ends_with(".plan.json")) continue;
                long id = std::atol(name.c_str() + prefix.size());
                if (id <= newest) continue;
                newest = id;
                std::ifstream in(e.path());
                plan_json.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            }
    }
    if (plan_json.empty()) {
        std::vector<std::string> plan_args{"plan"};
        for (std::size_t i = 1; i < args.size(); ++i) {
            const std::string& a = args[i];
            bool with_value = a == "--journal" || a == "--template-bucket" || a == "--skip";
            if (with_value) ++i;
            if (with_value || a == "--yes" || a == "--resume") continue;
            plan_args.push_back(a);
        }
        plan_args.insert(plan_args.end(), {"--output", "json"});
        plan_json = stackshift_output(plan_args);
    }
    std::vector<std::string> out = args;
    for (const auto& id : explicit_steps(plan_json)) out.insert(out.end(), {"--confirm", id});
    return out;
}

// The text with the " --confirm ID" words with_confirmations added taken out (of a resume
// command apply prints), for tests that compare it whole.
inline std::string without_confirmations(std::string text) {
    for (auto at = text.find(" --confirm "); at != std::string::npos; at = text.find(" --confirm ", at)) {
        auto end = text.find_first_of(" \n", at + 11);
        text.erase(at, (end == std::string::npos ? text.size() : end) - at);
    }
    return text;
}

[[noreturn]] inline void exec_stackshift(const std::vector<std::string>& plain_args) {
    std::vector<std::string> args = with_confirmations(plain_args);
    std::vector<char*> argv;
    std::string binary = STACKSHIFT_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copies(args);
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
}

// Runs the stackshift binary with arguments (no shell), capturing both streams.
inline RunResult run_stackshift(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    TempDir dir;
    std::string out_path = dir.file("stdout");
    std::string err_path = dir.file("stderr");
    pid_t pid = fork();
    if (pid == 0) {
        FILE* out = std::freopen(out_path.c_str(), "w", stdout);
        FILE* err = std::freopen(err_path.c_str(), "w", stderr);
        (void)out;
        (void)err;
        for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
        exec_stackshift(args);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_text(out_path);
    r.err = read_text(err_path);
    return r;
}

// Compares text with a golden file; STACKSHIFT_UPDATE_GOLDEN=1 rewrites the file instead.
inline void expect_golden(const std::string& actual, const std::string& golden_relative) {
    std::string path = data_path("golden/" + golden_relative);
    const char* update = std::getenv("STACKSHIFT_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    ASSERT_TRUE(std::filesystem::exists(path)) << "missing golden file " << path
                                               << "; run the test with STACKSHIFT_UPDATE_GOLDEN=1 to create it";
    EXPECT_EQ(actual, read_text(path)) << "golden file " << path
                                       << " differs; if the change is intended, rerun with STACKSHIFT_UPDATE_GOLDEN=1";
}

}  // namespace stackshift::testing
