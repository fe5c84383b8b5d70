// libFuzzer target: any bytes read as a template changelog must give a changelog or
// diagnostics, never a crash, a hang or undefined behaviour. A changelog that was read must
// also answer every question asked of it: slices over its versions, names across its renames,
// the versions that touched each template it names.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "release/changelog.hpp"

namespace {

using stackshift::Version;
using stackshift::release::Changelog;

void ask_everything(const Changelog& changelog) {
    auto known = changelog.known_versions();
    if (known.empty()) return;
    const Version& first = known.front();
    const Version& last = known.back();
    Changelog part = stackshift::release::slice(changelog, first, last);
    if (part.versions.size() + 1 > known.size() + changelog.versions.size()) __builtin_trap();
    for (const auto& version : changelog.versions) {
        for (const auto& section : version.sections) {
            for (const auto& id : section.templates) {
                (void)changelog.name_in(id, first);
                (void)changelog.name_in(id, last);
                (void)changelog.versions_touching(id);
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = stackshift::release::read_changelog(text, "fuzz.md");
    if (result) ask_everything(*result);
    return 0;
}
