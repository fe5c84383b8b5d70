// stackshift migrations --notes DIR|FILE --from A --to B: reads the release notes and shows
// which database operations an upgrade from A to B must run, where it must stop first, and
// which database commands were removed on the way.

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "release/migration_report.hpp"
#include "release/release_notes.hpp"
#include "render/migrations_render.hpp"

namespace stackshift::cli {

namespace {

struct MigrationsOptions {
    std::string notes_path;
    std::string from;
    std::string to;
    std::string output = "text";
};

// TO must name a release the notes know (a minor version means its latest patch); FROM is the
// version deployed now, whose own notes are never needed: any exact version will do, a minor
// one must resolve in the notes. FROM must come before TO. Every problem is reported at once.
std::pair<Version, Version> resolve_range(const MigrationsOptions& options, const release::ReleaseNotes& notes) {
    std::vector<Version> known = notes.versions();
    auto from = resolve_version(options.from, "--from", known);
    if (auto exact = Version::parse(options.from); !from && exact) from = *exact;
    auto to = resolve_version(options.to, "--to", known);
    Diagnostics problems;
    for (const auto* r : {&from, &to}) {
        if (!*r) problems.insert(problems.end(), r->diagnostics().begin(), r->diagnostics().end());
    }
    if (!problems.empty()) {
        for (auto& d : problems) d.message += " (read from " + options.notes_path + ")";
        throw InputError(problems);
    }
    if (!(*from < *to)) {
        throw InputError("--from " + from->to_string() + " is not before --to " + to->to_string() +
                         "; give the version deployed now in --from and a later one in --to");
    }
    return {*from, *to};
}

int run_migrations(const MigrationsOptions& options) {
    // Read: the release notes, a folder of <version>.md files or one changelog file.
    check_text_or_json(options.output);
    auto notes = release::read_release_notes(options.notes_path);
    if (!notes) throw InputError(notes.diagnostics());

    // Resolve the range, collect what the releases in it require, render.
    auto [from, to] = resolve_range(options, *notes);
    release::MigrationReport report = release::migrations_between(*notes, from, to);
    if (options.output == "json") std::cout << render::migrations_json(report) << '\n';
    else std::cout << render::migrations_text(report, detect_terminal(std::cout).color);
    return 0;
}

}  // namespace

Handler setup_migrations(CommandLine& command) {
    auto options = std::make_shared<MigrationsOptions>();
    command.option("--notes", options->notes_path,
                       "Release notes: a folder of <version>.md files, or one keep-a-changelog file")
        .required();
    command.option("--from", options->from, "The version deployed now (MAJOR.MINOR.PATCH, or MAJOR.MINOR for its latest patch)")
        .required();
    command.option("--to", options->to, "The target version").required();
    command.option("--output", options->output, "Output format: text or json");
    return [options] { return run_migrations(*options); };
}

}  // namespace stackshift::cli
