#pragma once
// Shared test helpers: temporary folders, templates from strings, and running the real binary.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

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
[[noreturn]] inline void exec_stackshift(const std::vector<std::string>& args) {
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
