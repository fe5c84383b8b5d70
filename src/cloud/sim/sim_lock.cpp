// SimCloud, the deployment lock: an entry of the world's `locks`, saved with the world.
//
// Each process holds its own copy of the world in memory and saves all of it after every
// change, so two processes changing one state file would each overwrite what the other did.
// Hence the first lock call of a world opened on a state file also takes a flock(2) of
// `<state>.lock` for the rest of the process, and reads the world again once it has it: from
// then on this process is the file's one writer. The flock ends with the process, however it
// ends; the `locks` entry stays after a crash, which is what names a holder that died.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>

#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"

namespace stackshift::cloud::sim {

namespace {

std::string state_lock_path(const std::string& state) { return state + ".lock"; }

std::string this_host() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

// Who has the state file, as it wrote into `<state>.lock`: "PID HOST SINCE".
LockHolder state_file_owner(const std::string& state, const std::string& name) {
    LockHolder owner;
    owner.name = name;
    auto text = read_file(state_lock_path(state));
    if (!text) return owner;
    std::istringstream in(*text);
    in >> owner.pid >> owner.host >> owner.since_s;
    return owner;
}

[[noreturn]] void refuse_in_use(const std::string& state, const LockHolder& owner) {
    std::string who = owner.pid > 0 ? "process " + std::to_string(owner.pid) + " on host " + quote(owner.host) : "another process";
    throw Error(ExitCode::failure, "the simulated world " + quote(state) + " is open in " + who +
                                       ", which is still running: its lock cannot be taken, released or removed until "
                                       "that process ends; wait for it, or stop it");
}

}  // namespace

bool SimCloud::hold_state_file() {
    if (!m_path || m_state_fd >= 0) return true;
    std::string path = state_lock_path(*m_path);
    // O_CLOEXEC: a child process must not inherit the world's flock.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(ExitCode::failure, "cannot open " + quote(path) + ": " + std::strerror(errno) +
                                           "; the folder of the state file must be writable");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) return false;
        throw Error(ExitCode::failure, "cannot lock " + quote(path) + ": " + std::strerror(error));
    }
    std::string who = std::to_string(::getpid()) + " " + this_host() + " " + std::to_string(std::time(nullptr)) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) != static_cast<ssize_t>(who.size())) {
        ::close(fd);
        throw Error(ExitCode::failure, "cannot write " + quote(path) + ": " + std::strerror(errno));
    }
    m_state_fd = fd;
    // Another process may have changed the world since this one read it: continue from the file.
    m_world = load_world(*m_path);
    m_unsaved = false;
    return true;
}

void SimCloud::let_go_of_state_file() {
    if (m_state_fd < 0) return;
    if (::ftruncate(m_state_fd, 0) != 0) {
        // The flock ends with the close below all the same; the line left is only informative.
    }
    ::close(m_state_fd);
    m_state_fd = -1;
}

// The process that has the file is running (its flock would have ended with it): its own entry
// when it holds this lock, else that process itself, never an entry a dead process left.
LockHolder SimCloud::holder_in_other_process(const std::string& name) const {
    LockHolder owner = state_file_owner(*m_path, name);
    World on_disk = load_world(*m_path);
    auto entry = on_disk.locks.find(name);
    if (entry != on_disk.locks.end() && (owner.pid == 0 || entry->second.pid == owner.pid)) return entry->second;
    return owner;
}

LockAttempt SimCloud::acquire_lock(const std::string& name, const LockHolder& holder) {
    if (!hold_state_file()) return LockAttempt::held(holder_in_other_process(name));
    auto entry = m_world.locks.find(name);
    if (entry != m_world.locks.end() && entry->second.token != holder.token) return LockAttempt::held(entry->second);
    LockHolder taken = holder;
    taken.name = name;
    m_world.locks[name] = taken;
    save();  // at once: a process that reads the file now must see it
    return LockAttempt::taken();
}

LockRelease SimCloud::release_lock(const std::string& name, const std::string& token) {
    if (!hold_state_file()) refuse_in_use(*m_path, state_file_owner(*m_path, name));
    auto entry = m_world.locks.find(name);
    if (entry == m_world.locks.end()) return LockRelease::absent;
    if (entry->second.token != token) return LockRelease::held_by_other;
    m_world.locks.erase(entry);
    save();
    return LockRelease::released;
}

// Read without taking the state file: `stackshift unlock` shows the holder before it asks.
std::optional<LockHolder> SimCloud::describe_lock(const std::string& name) {
    if (m_path && m_state_fd < 0) {
        World on_disk = load_world(*m_path);
        auto entry = on_disk.locks.find(name);
        if (entry == on_disk.locks.end()) return std::nullopt;
        return entry->second;
    }
    auto entry = m_world.locks.find(name);
    if (entry == m_world.locks.end()) return std::nullopt;
    return entry->second;
}

bool SimCloud::break_lock(const std::string& name) {
    if (!hold_state_file()) refuse_in_use(*m_path, state_file_owner(*m_path, name));
    bool existed = m_world.locks.erase(name) > 0;
    if (existed) save();
    return existed;
}

}  // namespace stackshift::cloud::sim
