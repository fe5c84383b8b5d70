#pragma once
// ReleaseSource: the vendor's releases as a folder holds them (DESIGN.md): one folder per
// version with that version's templates (`1-1-vpc.gen.template`, `.yaml`, `.yml` or
// `.json`), the template changelog `UPGRADING.md`, and release notes in `notes/`, the last two
// inside version folders or at the root beside them.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/version.hpp"

namespace stackshift::release {

struct ReleaseSource {
    std::string root;
    std::vector<Version> versions;  // the version folders, in order
    // version -> template id -> file path
    std::map<std::string, std::map<std::string, std::string>> templates;

    // The template ids of a version, in template-number order.
    std::vector<std::string> template_ids(const Version& version) const;
    std::optional<std::string> template_path(const Version& version, std::string_view template_id) const;
    // UPGRADING.md of the version's folder, or of the nearest folder after it, or else the one
    // at the root of the release source (beside the version folders).
    std::optional<std::string> changelog_path(const Version& version) const;
    // The newest notes/ folder at or after the version (notes accumulate), or else the one at
    // the root of the release source.
    std::optional<std::string> notes_path(const Version& version) const;
    bool has_version(const Version& version) const;
};

// Reads the folder layout; an https:// URL is refused with a message (no network access in
// this build: download the release folders first).
Result<ReleaseSource> open_release_source(const std::string& path);

// The template id a release file stands for ("1-1-vpc.gen.template" -> "1-1-vpc"), or nullopt.
std::optional<std::string> template_id_of_file(std::string_view file_name);

}  // namespace stackshift::release
