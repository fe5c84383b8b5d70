// stackshift unlock: removes the lock of a deployment whose holder died where nothing can prove
// it (another host, a lost machine). It shows the holder, asks on a terminal (or takes --yes),
// and removes the lock whoever holds it. Exit codes: 0 removed, or there was none; 1 not
// removed (declined, no terminal and no --yes, or the holder's process is still running here);
// 2 bad options.

#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "apply/deployment_lock.hpp"
#include "cli/backend.hpp"
#include "cli/commands.hpp"
#include "cli/lock_options.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace stackshift::cli {

namespace {

struct UnlockOptions {
    std::string backend;
    std::string stack_prefix;
    cloud::aws::AwsOptions aws;
    bool yes = false;
};

// On a terminal, asks; without one, --yes is the only way to say it.
bool confirmed(const UnlockOptions& o, const cloud::LockHolder& holder) {
    if (o.yes) return true;
    if (isatty(STDIN_FILENO) == 0)
        throw Error(ExitCode::failure, "not removed: unlock asks before it removes a lock, and there is no terminal to ask on; "
                                       "once you know that process " + std::to_string(holder.pid) + " on " +
                                           quote(holder.host) + " is no longer running, run again with --yes");
    std::cout << "remove this lock? only do so if that process is no longer running [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    return answer == "y" || answer == "Y" || answer == "yes";
}

int run_unlock(const UnlockOptions& o) {
    if (o.backend.empty()) open_backend(o.backend);  // says what --backend expects
    std::string name = deployment_lock_name(o.backend, o.stack_prefix);
    Backend backend = open_backend(o.backend, o.aws);
    std::optional<cloud::LockHolder> holder = backend.cloud->describe_lock(name);
    if (!holder) {
        std::cout << "the deployment " << quote(name) << " is not locked: nothing to remove\n";
        return 0;
    }
    std::cout << "the deployment " << quote(name) << " is locked by " << apply::describe_holder(*holder) << '\n';
    if (!holder->host.empty() && holder->host == apply::this_host() && apply::process_alive(holder->pid))
        throw Error(ExitCode::failure, "not removed: process " + std::to_string(holder->pid) +
                                           " is still running on this host; wait for it to end, or stop it (kill " +
                                           std::to_string(holder->pid) + "); the next apply takes over the lock of a process that is gone");
    if (!confirmed(o, *holder)) {
        std::cout << "not removed: the lock stays\n";
        return static_cast<int>(ExitCode::failure);
    }
    bool removed = backend.cloud->break_lock(name);
    std::cout << (removed ? "removed the lock of " : "the lock was already gone: nothing removed for ") << quote(name) << '\n';
    return 0;
}

}  // namespace

Handler setup_unlock(CommandLine& command) {
    auto options = std::make_shared<UnlockOptions>();
    command.option("--backend", options->backend, "Where the deployment is: aws (with --stack-prefix) or sim:STATEFILE")
        .required();
    command.option("--stack-prefix", options->stack_prefix,
                   "The deployment: the stacks whose names start with this (acme-prod-), as apply was given it");
    add_aws_options(command, options->aws);
    command.flag("--yes", options->yes, "Remove the lock without asking (once you know its holder is no longer running)");
    return [options] { return run_unlock(*options); };
}

}  // namespace stackshift::cli
