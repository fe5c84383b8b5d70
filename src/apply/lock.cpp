#include "apply/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"

namespace stackshift::apply {

namespace {

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

}  // namespace

std::optional<JournalLock> JournalLock::try_acquire(const std::string& journal_path, const JournalClock& clock) {
    std::string path = lock_path(journal_path);
    // O_CLOEXEC: a child that runs another program (the aws CLI) must not inherit the lock.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw Error(ExitCode::failure, "cannot open the lock file " + quote(path) + ": " + std::strerror(errno) +
                                           "; check that its folder exists and is writable");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) return std::nullopt;
        throw Error(ExitCode::failure, "cannot lock " + quote(path) + ": " + std::strerror(error));
    }
    std::string who = std::to_string(::getpid()) + " " + host_name() + " " + std::to_string(clock()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) != static_cast<ssize_t>(who.size())) {
        ::close(fd);
        throw Error(ExitCode::failure, "cannot write the lock file " + quote(path) + ": " + std::strerror(errno));
    }
    return JournalLock(fd);
}

JournalLock JournalLock::acquire(const std::string& journal_path, const JournalClock& clock) {
    auto lock = try_acquire(journal_path, clock);
    if (!lock) throw Error(ExitCode::failure, lock_held_message(journal_path, holder(journal_path)));
    return std::move(*lock);
}

std::optional<JournalLockHolder> JournalLock::holder(const std::string& journal_path) {
    auto text = read_file(lock_path(journal_path));
    if (!text) return std::nullopt;
    std::istringstream in(*text);
    JournalLockHolder h;
    if (!(in >> h.pid >> h.host >> h.since_ms)) return std::nullopt;
    return h;
}

JournalLock& JournalLock::operator=(JournalLock&& other) noexcept {
    if (this != &other) {
        release();
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

JournalLock::~JournalLock() { release(); }

// The holder's line is cleared first, so a later reader never names a process that left.
void JournalLock::release() {
    if (m_fd < 0) return;
    if (::ftruncate(m_fd, 0) != 0) {
        // The lock still ends with the close below; a stale line is only informative.
    }
    ::close(m_fd);
    m_fd = -1;
}

std::string lock_held_message(const std::string& journal_path, const std::optional<JournalLockHolder>& holder) {
    std::string who = holder ? "process " + std::to_string(holder->pid) + " on host " + quote(holder->host) + " since " +
                                   format_utc(holder->since_ms)
                             : "another process";
    std::string stop = holder ? " (kill " + std::to_string(holder->pid) + ")" : "";
    return "the journal " + quote(journal_path) + " is locked by " + who +
           ": another 'stackshift apply' is using this journal; wait for it to end, or stop it" + stop +
           " and continue with 'stackshift apply ... --resume' (the lock ends with its process)";
}

}  // namespace stackshift::apply
