// libFuzzer target: any bytes given to the release-notes reader must give findings or
// diagnostics, never a crash, a hang or undefined behaviour. The first byte picks the layout:
// one `<version>.md` page, or a keep-a-changelog file whose releases then go through the
// migration report, so that the range logic sees whatever the reader produced.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "release/migration_report.hpp"
#include "release/release_notes.hpp"

namespace {

using namespace stackshift;

void check_report(const release::ReleaseNotes& notes) {
    auto versions = notes.versions();
    if (versions.size() < 2) return;
    auto report = release::migrations_between(notes, versions.front(), versions.back());
    for (const auto& op : report.migrations) {
        if (op.required_by.empty()) __builtin_trap();  // an operation nobody asked for
    }
    for (const auto& w : report.waypoints) {
        // A waypoint that applies lies strictly between FROM and TO.
        if (!(versions.front() < w.version && w.version < versions.back())) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] & 1) {
        auto notes = release::read_changelog_notes(text, "CHANGELOG.md");
        if (notes) check_report(*notes);
    } else {
        release::read_release_note(text, Version{3, 19, 2, ""}, "3.19.2.md");
    }
    return 0;
}
