#pragma once
// JournalLock: refuses a second `stackshift apply` on the same journal file. An advisory
// flock(2) on `<journal>.lock`, so it dies with its process: a killed apply never leaves a
// stale lock behind, and nothing has to be removed by hand. The holder writes its PID, host
// and start time into the file so that a refused process can say who holds it. The lock of
// the deployment itself, wherever apply runs, is DeploymentLock (deployment_lock.hpp); this one
// costs nothing and keeps two processes from writing one journal.

#include <cstdint>
#include <optional>
#include <string>

#include "apply/journal.hpp"

namespace stackshift::apply {

struct JournalLockHolder {
    long pid = 0;
    std::string host;
    std::int64_t since_ms = 0;
};

class JournalLock {
public:
    // Takes the lock of the journal at `journal_path`, or returns nothing when another open
    // file description (another process, or another lock object) holds it.
    static std::optional<JournalLock> try_acquire(const std::string& journal_path, const JournalClock& clock = system_time_ms);
    // Takes the lock, or throws Error (exit code 1) naming the holder and what to do.
    static JournalLock acquire(const std::string& journal_path, const JournalClock& clock = system_time_ms);
    // Who holds the lock, as the holder wrote it; nothing when the file is absent or empty.
    static std::optional<JournalLockHolder> holder(const std::string& journal_path);

    static std::string lock_path(const std::string& journal_path) { return journal_path + ".lock"; }

    JournalLock(JournalLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    JournalLock& operator=(JournalLock&& other) noexcept;
    JournalLock(const JournalLock&) = delete;
    JournalLock& operator=(const JournalLock&) = delete;
    ~JournalLock();

private:
    explicit JournalLock(int fd) : m_fd(fd) {}
    void release();

    int m_fd = -1;
};

// The message of a refused lock: "the journal 'j.db' is locked by process 1234 on host 'h'
// since ...; ...".
std::string lock_held_message(const std::string& journal_path, const std::optional<JournalLockHolder>& holder);

}  // namespace stackshift::apply
