#pragma once
// DeploymentLock: refuses a second `stackshift apply` on the same deployment. An advisory
// flock(2) on `<journal>.lock`, so it dies with its process: a killed apply never leaves a
// stale lock behind, and nothing has to be removed by hand. The holder writes its PID, host
// and start time into the file so that a refused process can say who holds it.

#include <cstdint>
#include <optional>
#include <string>

#include "apply/journal.hpp"

namespace stackshift::apply {

struct LockHolder {
    long pid = 0;
    std::string host;
    std::int64_t since_ms = 0;
};

class DeploymentLock {
public:
    // Takes the lock of the journal at `journal_path`, or returns nothing when another open
    // file description (another process, or another lock object) holds it.
    static std::optional<DeploymentLock> try_acquire(const std::string& journal_path, const JournalClock& clock = system_time_ms);
    // Takes the lock, or throws Error (exit code 1) naming the holder and what to do.
    static DeploymentLock acquire(const std::string& journal_path, const JournalClock& clock = system_time_ms);
    // Who holds the lock, as the holder wrote it; nothing when the file is absent or empty.
    static std::optional<LockHolder> holder(const std::string& journal_path);

    static std::string lock_path(const std::string& journal_path) { return journal_path + ".lock"; }

    DeploymentLock(DeploymentLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    DeploymentLock& operator=(DeploymentLock&& other) noexcept;
    DeploymentLock(const DeploymentLock&) = delete;
    DeploymentLock& operator=(const DeploymentLock&) = delete;
    ~DeploymentLock();

private:
    explicit DeploymentLock(int fd) : m_fd(fd) {}
    void release();

    int m_fd = -1;
};

// The message of a refused lock: "the journal 'j.db' is locked by process 1234 on host 'h'
// since ...; ...".
std::string lock_held_message(const std::string& journal_path, const std::optional<LockHolder>& holder);

}  // namespace stackshift::apply
