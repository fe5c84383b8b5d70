#pragma once
// Each subcommand registers its options on a CLI11 subcommand and returns the handler that
// runs it. The handler returns the process exit code.

#include <CLI/CLI.hpp>
#include <functional>

namespace stackshift::cli {

using Handler = std::function<int()>;

struct Command {
    const char* name;
    const char* help;
    Handler (*setup)(CLI::App& command);
};

Handler setup_plan(CLI::App& command);
Handler setup_apply(CLI::App& command);
Handler setup_diff(CLI::App& command);
Handler setup_migrations(CLI::App& command);
Handler setup_changelog(CLI::App& command);
Handler setup_snapshot(CLI::App& command);
Handler setup_sim(CLI::App& command);
Handler setup_journal(CLI::App& command);

}  // namespace stackshift::cli
