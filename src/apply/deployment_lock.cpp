#include "apply/deployment_lock.hpp"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <cstdlib>
#include <random>
#include <utility>

#include "apply/journal.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace stackshift::apply {

namespace {

std::string user_name() {
    if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
    if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr && entry->pw_name != nullptr) return entry->pw_name;
    return "uid " + std::to_string(::geteuid());
}

// 128 random bits as hex: what tells our lock from a later one under the same name.
std::string random_token() {
    std::random_device device;
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 4; ++i) {
        std::uint32_t word = device();
        for (int j = 0; j < 8; ++j) out += digits[(word >> (4 * j)) & 0xf];
    }
    return out;
}

bool unknown_holder(const cloud::LockHolder& h) { return h.host.empty() && h.pid == 0; }

}  // namespace

std::string this_host() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

cloud::LockHolder this_process_holder(const std::string& name, const std::string& journal, const std::string& tool_version) {
    cloud::LockHolder h;
    h.name = name;
    h.user = user_name();
    h.host = this_host();
    h.pid = static_cast<long>(::getpid());
    h.journal = journal;
    h.tool_version = tool_version;
    h.since_s = static_cast<std::int64_t>(std::time(nullptr));
    h.token = random_token();
    return h;
}

bool process_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH; }

bool holder_is_gone(const cloud::LockHolder& holder, const ProcessAlive& alive) {
    return !holder.host.empty() && holder.host == this_host() && holder.pid > 0 && !alive(holder.pid);
}

std::string describe_holder(const cloud::LockHolder& h) {
    if (unknown_holder(h)) return "an unknown holder (the lock's value is not one stackshift wrote)";
    std::string out = (h.user.empty() ? "an unknown user" : h.user) + "@" + (h.host.empty() ? "an unknown host" : h.host);
    out += h.pid > 0 ? ", process " + std::to_string(h.pid) : ", an unknown process";
    out += h.journal.empty() ? ", journal unknown" : ", journal " + quote(h.journal);
    if (!h.tool_version.empty()) out += ", " + h.tool_version;
    out += h.since_s > 0 ? ", since " + format_utc(h.since_s * 1000) : ", since an unknown time";
    return out;
}

std::string lock_refused_message(const cloud::LockHolder& holder, const std::string& unlock_command) {
    std::string out = "the deployment " + quote(holder.name) + " is locked by " + describe_holder(holder) +
                      ": another 'stackshift apply' is changing it; ";
    if (!holder.host.empty() && holder.host == this_host())
        return out + "wait for it to end, or stop it (kill " + std::to_string(holder.pid) +
               ") and run again: the lock of a process that is gone from this host is taken over";
    return out + "wait for it to end; if it is no longer running (its host cannot be checked from here), remove its lock "
                 "with: " + unlock_command;
}

DeploymentLock DeploymentLock::acquire(cloud::Cloud& cloud, const cloud::LockHolder& me, const Options& options) {
    cloud::LockAttempt attempt = cloud.acquire_lock(me.name, me);
    if (!attempt.acquired && holder_is_gone(attempt.held_by, options.alive)) {
        cloud::LockHolder dead = attempt.held_by;
        // Only while it still carries the dead holder's token: another process may be taking it over too.
        cloud::LockRelease removed = cloud.release_lock(me.name, dead.token);
        attempt = cloud.acquire_lock(me.name, me);
        if (attempt.acquired && removed == cloud::LockRelease::released && options.say)
            options.say("took over the lock of process " + std::to_string(dead.pid) +
                        " on this host, which is no longer running (" + describe_holder(dead) + ")");
    }
    if (!attempt.acquired) {
        if (attempt.held_by.name.empty()) attempt.held_by.name = me.name;
        throw Error(ExitCode::failure, lock_refused_message(attempt.held_by, options.unlock_command));
    }
    return DeploymentLock(cloud, me);
}

DeploymentLock::DeploymentLock(DeploymentLock&& other) noexcept
    : m_cloud(std::exchange(other.m_cloud, nullptr)), m_holder(std::move(other.m_holder)) {}

cloud::LockRelease DeploymentLock::release() {
    if (m_cloud == nullptr) return cloud::LockRelease::released;
    cloud::Cloud* cloud = std::exchange(m_cloud, nullptr);
    return cloud->release_lock(m_holder.name, m_holder.token);
}

DeploymentLock::~DeploymentLock() {
    try {
        release();
    } catch (...) {
        // The lock stays; the next apply names it, and takes it over when this process is gone
        // from this host. A destructor must not throw.
    }
}

std::optional<std::string> lost_lock_message(cloud::LockRelease release, const std::string& name) {
    if (release == cloud::LockRelease::released) return std::nullopt;
    std::string what = release == cloud::LockRelease::absent
                           ? "was gone at the end of this run: someone removed it (stackshift unlock) while the run held it"
                           : "was held by another process at the end of this run: someone removed it (stackshift unlock) "
                             "and another apply took it";
    return "the lock of deployment " + quote(name) + " " + what +
           ", so another apply may have changed the deployment at the same time; check it (stackshift plan) before going on";
}

}  // namespace stackshift::apply
