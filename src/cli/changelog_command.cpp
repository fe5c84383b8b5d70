// stackshift changelog FILE --from A --to B: reads a template changelog (the vendor's
// UPGRADING.md) and shows what it says for an upgrade from A to B.

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "release/changelog.hpp"
#include "render/changelog_render.hpp"

namespace stackshift::cli {

namespace {

struct ChangelogOptions {
    std::string path;
    std::string from;
    std::string to;
    std::string output = "text";
};

// A version given on the command line, checked against the versions the file knows; a minor
// version ("3.24") means its latest patch.
Version resolve(const std::string& text, const std::string& option, const release::Changelog& changelog) {
    auto known = changelog.known_versions();
    auto version = resolve_version(text, option, known);
    if (!version) {
        throw InputError(version.diagnostics().front().message + " (versions with a section in " + changelog.file + ")");
    }
    return *version;
}

int run_changelog(const ChangelogOptions& options) {
    // Read: the whole file, so that renames are known beyond the range asked for.
    auto text = read_file(options.path);
    if (!text) throw InputError(text.diagnostics());
    auto changelog = release::read_changelog(*text, options.path);
    if (!changelog) throw InputError(changelog.diagnostics());

    // Check the range: both versions known, in upgrade order.
    Version from = resolve(options.from, "--from", *changelog);
    Version to = resolve(options.to, "--to", *changelog);
    if (to < from) {
        throw InputError("--from " + from.to_string() + " is after --to " + to.to_string() +
                         "; an upgrade goes from an older version to a newer one (swap them)");
    }

    // Slice, then render in the chosen format.
    release::Changelog part = release::slice(*changelog, from, to);
    render::ChangelogView view{*changelog, part, from, to};
    if (options.output == "json") std::cout << render::changelog_json(view) << '\n';
    else std::cout << render::changelog_text(view, detect_terminal(std::cout).color);
    return 0;
}

}  // namespace

Handler setup_changelog(CommandLine& command) {
    auto options = std::make_shared<ChangelogOptions>();
    command.option("FILE", options->path, "The template changelog (the vendor's UPGRADING.md)").required();
    command.option("--from", options->from, "The version deployed now (MAJOR.MINOR.PATCH, or MAJOR.MINOR)")
        .required();
    command.option("--to", options->to, "The version to upgrade to").required();
    command.option("--output", options->output, "Output format").one_of({"text", "json"});
    return [options] { return run_changelog(*options); };
}

}  // namespace stackshift::cli
