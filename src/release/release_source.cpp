#include "release/release_source.hpp"

#include <algorithm>
#include <filesystem>

#include "core/template_id.hpp"

namespace stackshift::release {

namespace fs = std::filesystem;

std::optional<std::string> template_id_of_file(std::string_view file_name) {
    for (std::string_view ending : {".gen.template", ".template", ".yaml", ".yml", ".json"}) {
        if (file_name.ends_with(ending)) {
            std::string_view id = file_name.substr(0, file_name.size() - ending.size());
            if (TemplateId::parse(id)) return std::string(id);
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::vector<std::string> ReleaseSource::template_ids(const Version& version) const {
    std::vector<std::string> ids;
    auto it = templates.find(version.to_string());
    if (it == templates.end()) return ids;
    for (const auto& [id, path] : it->second) ids.push_back(id);
    std::sort(ids.begin(), ids.end(), template_order_less);
    return ids;
}

std::optional<std::string> ReleaseSource::template_path(const Version& version, std::string_view template_id) const {
    auto it = templates.find(version.to_string());
    if (it == templates.end()) return std::nullopt;
    auto found = it->second.find(std::string(template_id));
    if (found == it->second.end()) return std::nullopt;
    return found->second;
}

bool ReleaseSource::has_version(const Version& version) const {
    return std::find(versions.begin(), versions.end(), version) != versions.end();
}

// A version folder at or after the version serves first (the newest holds the most notes,
// the nearest the changelog of that release); then the root of the release source.
std::optional<std::string> ReleaseSource::changelog_path(const Version& version) const {
    for (const auto& v : versions) {
        if (v < version) continue;
        fs::path p = fs::path(root) / v.to_string() / "UPGRADING.md";
        if (fs::exists(p)) return p.string();
    }
    fs::path p = fs::path(root) / "UPGRADING.md";
    if (fs::is_regular_file(p)) return p.string();
    return std::nullopt;
}

std::optional<std::string> ReleaseSource::notes_path(const Version& version) const {
    std::optional<std::string> found;
    for (const auto& v : versions) {
        if (v < version) continue;
        fs::path p = fs::path(root) / v.to_string() / "notes";
        if (fs::is_directory(p)) found = p.string();  // the newest holds the most
    }
    if (found) return found;
    fs::path p = fs::path(root) / "notes";
    if (fs::is_directory(p)) return p.string();
    return std::nullopt;
}

Result<ReleaseSource> open_release_source(const std::string& path) {
    if (path.starts_with("https://") || path.starts_with("http://")) {
        return fail(path, {}, "release sources from a URL are not supported in this build; download the release "
                              "folders (<version>/<template>.gen.template, UPGRADING.md, notes/) and give the folder");
    }
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return fail(path, {}, "not a folder of releases; expected one folder per version such as 3.15.1/");
    ReleaseSource source;
    source.root = path;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (!entry.is_directory()) continue;
        auto version = Version::parse(entry.path().filename().string());
        if (!version) continue;  // other folders (a cache, notes) are not releases
        source.versions.push_back(*version);
        auto& files = source.templates[version->to_string()];
        for (const auto& file : fs::directory_iterator(entry.path(), ec)) {
            if (!file.is_regular_file()) continue;
            if (auto id = template_id_of_file(file.path().filename().string())) files[*id] = file.path().string();
        }
    }
    if (source.versions.empty()) {
        return fail(path, {}, "holds no release folders; expected one folder per version such as 3.15.1/ with the "
                              "version's templates");
    }
    std::sort(source.versions.begin(), source.versions.end());
    return source;
}

}  // namespace stackshift::release
