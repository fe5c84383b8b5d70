#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <deque>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/version.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace stackshift::cli {

namespace {

// Every subcommand, in the order `stackshift --help` lists them.
const Command commands[] = {
    {"plan", "Plan an upgrade: the runbook of every stack, parameter, procedure and migration, in order", setup_plan},
    {"apply", "Carry out an upgrade plan step by step against AWS or a simulated AWS, journaled and resumable", setup_apply},
    {"rehearse", "Rehearse an upgrade in a simulated AWS made from the deployment as it is: would it succeed, or which step would fail and why", setup_rehearse},
    {"diff", "Compare two CloudFormation templates: what changes, what is replaced, what data is at risk", setup_diff},
    {"changelog", "Show what the template changelog says for an upgrade: renames, new and removed templates, procedures", setup_changelog},
    {"migrations", "Show the database migrations, waypoints and removed commands the release notes give for an upgrade", setup_migrations},
    {"snapshot", "Write the deployment snapshot of live stacks (--stack-prefix) for plan --deployment", setup_snapshot},
    {"sim", "Simulated AWS for rehearsals: 'sim init' makes one from a deployment snapshot, 'sim status' shows it", setup_sim},
    {"journal", "Show what 'stackshift apply' recorded: runs, their steps and actions, with timings", setup_journal},
    {"unlock", "Remove the lock of a deployment whose 'stackshift apply' died where it cannot be checked (another host)", setup_unlock},
};

// The parser of what a command declared; a subcommand the user names is marked chosen.
void declare(CLI::App& app, CommandLine& line) {
    for (OptionSpec& spec : line.options()) {
        CLI::Option* option = nullptr;
        if (spec.flag) option = app.add_flag(spec.name, *spec.flag, spec.help);
        else if (spec.list) option = app.add_option(spec.name, *spec.list, spec.help);
        else option = app.add_option(spec.name, *spec.text, spec.help);
        if (spec.required) option->required();
        if (!spec.choices.empty()) option->check(CLI::IsMember(spec.choices));
    }
    if (line.subcommand_required()) app.require_subcommand(1);
    for (CommandLine& sub_line : line.subcommands()) {
        CLI::App* sub = app.add_subcommand(sub_line.name(), sub_line.help());
        declare(*sub, sub_line);
        sub->callback([&sub_line] { sub_line.choose(); });
    }
}

int report(ExitCode code, const std::string& message) {
    std::cerr << "stackshift: error: " << message << '\n';
    return static_cast<int>(code);
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{"stackshift: plans and carries out upgrades of deployments made of numbered CloudFormation stacks"};
    app.name("stackshift");
    app.require_subcommand(1);
    app.set_version_flag("--version", tool_version);
    Handler handler;
    std::vector<std::string> names;
    std::deque<CommandLine> lines;  // the handlers refer to them until they return
    for (const auto& command : commands) {
        names.emplace_back(command.name);
        CommandLine& line = lines.emplace_back(command.name, command.help);
        Handler h = command.setup(line);
        CLI::App* sub = app.add_subcommand(command.name, command.help);
        declare(*sub, line);
        sub->callback([&handler, h] { handler = h; });
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::string message = e.what();
        if (argc > 1 && dynamic_cast<const CLI::RequiredError*>(&e) && app.get_subcommands().empty()) {
            message = "unknown command '" + std::string(argv[1]) + "'" + did_you_mean(argv[1], names) +
                      "; commands are " + join(names, ", ");
        }
        return report(ExitCode::bad_input, message + "\nrun 'stackshift --help' for usage");
    }
    try {
        return handler ? handler() : 0;
    } catch (const Error& e) {
        return report(e.code(), e.what());
    } catch (const std::exception& e) {
        return report(ExitCode::failure, std::string("internal error: ") + e.what());
    }
}

}  // namespace stackshift::cli
