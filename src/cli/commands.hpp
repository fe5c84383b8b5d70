#pragma once
// Each subcommand declares its options on a CommandLine and returns the handler that runs it. The handler returns the process exit code.

#include "cli/command_line.hpp"
#include <functional>

namespace stackshift::cli {

using Handler = std::function<int()>;

struct Command {
    const char* name;
    const char* help;
    Handler (*setup)(CommandLine& command);
};

Handler setup_plan(CommandLine& command);
Handler setup_apply(CommandLine& command);
Handler setup_rehearse(CommandLine& command);
Handler setup_diff(CommandLine& command);
Handler setup_migrations(CommandLine& command);
Handler setup_changelog(CommandLine& command);
Handler setup_snapshot(CommandLine& command);
Handler setup_sim(CommandLine& command);
Handler setup_journal(CommandLine& command);
Handler setup_unlock(CommandLine& command);

}  // namespace stackshift::cli
