#pragma once
// DeploymentLock: one `stackshift apply` at a time on a deployment, wherever it runs. The lock
// lives with the deployment, behind the Cloud (an SSM parameter on AWS, the world in the
// simulator), so a second apply with another journal, or on another machine, is refused and
// told who holds it. A holder that died on this host (its pid is gone) is provably stale and is
// taken over, saying so; on another host nothing is proven, and `stackshift unlock` removes it.

#include <functional>
#include <optional>
#include <string>

#include "cloud/cloud.hpp"

namespace stackshift::apply {

// This process as a lock holder: user, host, pid, the journal, the tool's version, now, and a
// fresh random token.
cloud::LockHolder this_process_holder(const std::string& name, const std::string& journal, const std::string& tool_version);

std::string this_host();

// Whether a process is running on this host (kill(pid, 0) does not fail with ESRCH);
// injectable for tests.
using ProcessAlive = std::function<bool(long pid)>;
bool process_alive(long pid);

// Whether the holder is provably gone: it ran on this host and its pid no longer exists.
bool holder_is_gone(const cloud::LockHolder& holder, const ProcessAlive& alive = process_alive);

// "alice@host1, process 1234, journal '/srv/j.db', stackshift 0.1.0, since 2026-12-07T22:00:00Z";
// what a holder left unsaid is said to be unknown.
std::string describe_holder(const cloud::LockHolder& holder);

// A refused apply's message: who holds the lock of `name` and what to do (wait, or stop that
// process, or, if it is gone, run `unlock_command`).
std::string lock_refused_message(const cloud::LockHolder& holder, const std::string& unlock_command);

class DeploymentLock {
public:
    struct Options {
        std::string unlock_command;                     // named when the lock is refused
        std::function<void(const std::string&)> say;    // the takeover of a dead holder's lock
        ProcessAlive alive = process_alive;
    };

    // Takes the lock for `me` (me.name names it), taking over a holder that is gone; otherwise
    // throws Error (exit code 1) with lock_refused_message.
    static DeploymentLock acquire(cloud::Cloud& cloud, const cloud::LockHolder& me, const Options& options);

    // Releases the lock now, if it is still ours; what the backend found. Once released (or
    // moved from), later calls and the destructor do nothing.
    cloud::LockRelease release();

    DeploymentLock(DeploymentLock&& other) noexcept;
    DeploymentLock& operator=(DeploymentLock&&) = delete;
    DeploymentLock(const DeploymentLock&) = delete;
    DeploymentLock& operator=(const DeploymentLock&) = delete;
    // Releases on every path that did not (an exception, an early return); never throws.
    ~DeploymentLock();

    const cloud::LockHolder& holder() const { return m_holder; }

private:
    DeploymentLock(cloud::Cloud& cloud, cloud::LockHolder holder) : m_cloud(&cloud), m_holder(std::move(holder)) {}

    cloud::Cloud* m_cloud = nullptr;
    cloud::LockHolder m_holder;
};

// What to tell when the lock was not ours any more at the end of a run (someone ran `stackshift
// unlock`, and maybe another apply took it): nothing when it was released.
std::optional<std::string> lost_lock_message(cloud::LockRelease release, const std::string& name);

}  // namespace stackshift::apply
