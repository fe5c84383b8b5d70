#pragma once
// What a command declares on the command line: its options and flags, bound to the fields they
// fill, and its subcommands. Only the command table (app.cpp) turns the declarations into a
// parser, so CLI11, a large header-only library, is compiled once and not in every command.

#include <deque>
#include <string>
#include <vector>

namespace stackshift::cli {

struct OptionSpec {
    std::string name;  // "--to", or a positional such as "STATE"
    std::string help;
    std::string* text = nullptr;  // exactly one of the three targets is set
    std::vector<std::string>* list = nullptr;
    bool* flag = nullptr;
    bool required = false;
    std::vector<std::string> choices;  // empty: any value
};

class CommandLine {
public:
    // The option just declared, to add what it needs.
    class Option {
    public:
        explicit Option(OptionSpec& spec) : m_spec(&spec) {}
        Option& required() {
            m_spec->required = true;
            return *this;
        }
        Option& one_of(std::vector<std::string> choices) {
            m_spec->choices = std::move(choices);
            return *this;
        }

    private:
        OptionSpec* m_spec;
    };

    CommandLine(std::string name, std::string help) : m_name(std::move(name)), m_help(std::move(help)) {}
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    Option option(std::string name, std::string& into, std::string help) {
        return Option(m_options.emplace_back(OptionSpec{std::move(name), std::move(help), &into, nullptr, nullptr, false, {}}));
    }
    Option option(std::string name, std::vector<std::string>& into, std::string help) {
        return Option(m_options.emplace_back(OptionSpec{std::move(name), std::move(help), nullptr, &into, nullptr, false, {}}));
    }
    void flag(std::string name, bool& into, std::string help) {
        m_options.emplace_back(OptionSpec{std::move(name), std::move(help), nullptr, nullptr, &into, false, {}});
    }
    // A subcommand (`sim init`); once the command line is parsed, its chosen() says whether the
    // user named it. The reference stays valid as long as this CommandLine.
    CommandLine& subcommand(std::string name, std::string help) { return m_subcommands.emplace_back(std::move(name), std::move(help)); }
    void require_subcommand() { m_subcommand_required = true; }
    bool chosen() const { return m_chosen; }

    // For the parser.
    const std::string& name() const { return m_name; }
    const std::string& help() const { return m_help; }
    std::deque<OptionSpec>& options() { return m_options; }
    std::deque<CommandLine>& subcommands() { return m_subcommands; }
    bool subcommand_required() const { return m_subcommand_required; }
    void choose() { m_chosen = true; }

private:
    std::string m_name;
    std::string m_help;
    std::deque<OptionSpec> m_options;
    std::deque<CommandLine> m_subcommands;
    bool m_subcommand_required = false;
    bool m_chosen = false;
};

}  // namespace stackshift::cli
