#pragma once
// Helpers shared by the changelog tests: reading a fixture or an inline text that must be
// valid, and finding facts by name so that assertions state exact values.

#include <algorithm>
#include <string>
#include <vector>

#include "release/changelog.hpp"
#include "test_support.hpp"

namespace stackshift::testing {

inline release::Changelog changelog_ok(const std::string& text, const std::string& name = "UPGRADING.md") {
    auto result = release::read_changelog(text, name);
    if (!result) {
        ADD_FAILURE() << to_string(result.diagnostics());
        return release::Changelog{};
    }
    return std::move(result).value();
}

inline release::Changelog changelog_fixture(const std::string& name) {
    return changelog_ok(read_text(data_path("release/changelog/" + name)), name);
}

inline std::string changelog_errors(const std::string& text, const std::string& name = "UPGRADING.md") {
    auto result = release::read_changelog(text, name);
    if (result) return "(no error)";
    return to_string(result.diagnostics());
}

inline Version v(const std::string& text) { return *Version::parse(text); }

// The changes of one parameter in one scope, as "kind" strings in file order.
inline std::vector<std::string> changes_of(const release::Changelog& c, const std::string& scope,
                                           const std::string& parameter) {
    std::vector<std::string> out;
    for (const auto& change : c.parameter_changes) {
        if (change.scope == scope && change.parameter == parameter) {
            out.emplace_back(release::parameter_change_name(change.kind));
        }
    }
    return out;
}

inline const release::ParameterChange* change_of(const release::Changelog& c, const std::string& scope,
                                                 const std::string& parameter) {
    for (const auto& change : c.parameter_changes) {
        if (change.scope == scope && change.parameter == parameter) return &change;
    }
    return nullptr;
}

inline const release::ParameterRename* parameter_rename(const release::Changelog& c, const std::string& from) {
    for (const auto& rename : c.parameter_renames) {
        if (rename.from == from) return &rename;
    }
    return nullptr;
}

// "template:kind" for every lifecycle fact, in file order.
inline std::vector<std::string> lifecycle_of(const release::Changelog& c) {
    std::vector<std::string> out;
    for (const auto& fact : c.lifecycle) out.push_back(fact.template_id + ":" + std::string(release::lifecycle_name(fact.kind)));
    return out;
}

inline std::vector<std::string> unrecognized_texts(const release::Changelog& c) {
    std::vector<std::string> out;
    for (const auto& u : c.unrecognized) out.push_back(u.text);
    return out;
}

inline std::vector<std::string> labels(const std::vector<Version>& versions) {
    std::vector<std::string> out;
    for (const auto& version : versions) out.push_back(version.to_string());
    return out;
}

}  // namespace stackshift::testing
