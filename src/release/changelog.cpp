// The questions asked of a read changelog: names across renames, the versions that touched a
// template, and the part of the file an upgrade crosses.

#include <algorithm>
#include <set>

#include "release/changelog.hpp"

namespace stackshift::release {

namespace {

// Whether a fact read in `origin` belongs to the released range (from, to].
bool within(const Origin& origin, const Version& from, const Version& to) {
    return origin.version && in_range(*origin.version, from, to);
}

template <class T>
std::vector<T> facts_within(const std::vector<T>& facts, const Version& from, const Version& to) {
    std::vector<T> out;
    for (const auto& fact : facts) {
        if (within(fact.origin, from, to)) out.push_back(fact);
    }
    // In upgrade order: oldest version first, the file's order within a version.
    std::stable_sort(out.begin(), out.end(), [](const T& a, const T& b) { return *a.origin.version < *b.origin.version; });
    return out;
}

// Template renames of released versions, oldest first (stable for renames in one version).
std::vector<const TemplateRename*> released_renames(const Changelog& changelog) {
    std::vector<const TemplateRename*> out;
    for (const auto& rename : changelog.template_renames) {
        if (rename.origin.version) out.push_back(&rename);
    }
    std::stable_sort(out.begin(), out.end(), [](const TemplateRename* a, const TemplateRename* b) {
        return *a->origin.version < *b->origin.version;
    });
    return out;
}

}  // namespace

std::string version_label(const std::optional<Version>& version) {
    return version ? version->to_string() : std::string("Unreleased");
}

std::string_view parameter_change_name(ParameterChangeKind kind) {
    switch (kind) {
    case ParameterChangeKind::added: return "added";
    case ParameterChangeKind::removed: return "removed";
    case ParameterChangeKind::deprecated: return "deprecated";
    case ParameterChangeKind::values: return "values";
    case ParameterChangeKind::default_value: return "default";
    }
    return "added";
}

std::string_view lifecycle_name(LifecycleKind kind) {
    switch (kind) {
    case LifecycleKind::added: return "new";
    case LifecycleKind::added_optional: return "new-optional";
    case LifecycleKind::removed: return "removed";
    case LifecycleKind::undeploy: return "undeploy";
    case LifecycleKind::deprecated: return "deprecated";
    }
    return "new";
}

std::string_view advice_name(AdviceKind kind) {
    return kind == AdviceKind::warning ? "warning" : "instruction";
}

std::string_view directive_name(DirectiveKind kind) {
    switch (kind) {
    case DirectiveKind::set: return "set";
    case DirectiveKind::equal_to: return "equal-to";
    case DirectiveKind::mapping: return "mapping";
    case DirectiveKind::enter: return "enter";
    case DirectiveKind::check: return "check";
    }
    return "check";
}

std::vector<Version> Changelog::known_versions() const {
    std::vector<Version> out;
    for (const auto& section : versions) {
        if (section.version) out.push_back(*section.version);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string Changelog::source(const Origin& origin) const { return source(origin.line); }

std::string Changelog::source(int line) const { return file + ":" + std::to_string(line); }

std::string Changelog::canonical(std::string_view template_id) const {
    for (const auto& alias : aliases) {
        if (alias.written == template_id) return alias.means;
    }
    return std::string(template_id);
}

std::string Changelog::name_in(std::string_view template_id, const Version& version) const {
    auto renames = released_renames(*this);
    // Back to the oldest name the template had, then forward to the name it has in `version`.
    // Each step follows one rename at most once, so a cycle written in the file ends.
    std::string name = canonical(template_id);
    std::vector<bool> used(renames.size(), false);
    for (bool moved = true; moved;) {
        moved = false;
        for (std::size_t i = renames.size(); i-- > 0;) {
            if (!used[i] && canonical(renames[i]->to) == name) {
                used[i] = true;
                name = canonical(renames[i]->from);
                moved = true;
                break;
            }
        }
    }
    std::fill(used.begin(), used.end(), false);
    for (std::size_t i = 0; i < renames.size(); ++i) {
        if (*renames[i]->origin.version > version) break;
        if (!used[i] && canonical(renames[i]->from) == name) {
            used[i] = true;
            name = canonical(renames[i]->to);
        }
    }
    return name;
}

std::vector<Version> Changelog::versions_touching(std::string_view template_id) const {
    // Every name the template had: the ones joined to it by renames, whichever way.
    std::set<std::string> names{canonical(template_id)};
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& rename : template_renames) {
            std::string from = canonical(rename.from);
            std::string to = canonical(rename.to);
            if (names.contains(from) != names.contains(to)) {
                names.insert(from);
                names.insert(to);
                grew = true;
            }
        }
    }
    auto named = [&](const std::string& id) { return names.contains(canonical(id)); };

    std::set<Version> out;
    for (const auto& version : versions) {
        if (!version.version) continue;
        for (const auto& section : version.sections) {
            if (std::any_of(section.templates.begin(), section.templates.end(), named)) out.insert(*version.version);
        }
    }
    for (const auto& rename : template_renames) {
        if (rename.origin.version && (named(rename.from) || named(rename.to))) out.insert(*rename.origin.version);
    }
    for (const auto& fact : lifecycle) {
        if (fact.origin.version && named(fact.template_id)) out.insert(*fact.origin.version);
    }
    return {out.begin(), out.end()};
}

Changelog slice(const Changelog& changelog, const Version& from, const Version& to) {
    Changelog out;
    out.file = changelog.file;
    out.aliases = changelog.aliases;
    for (const auto& version : changelog.versions) {
        if (version.version && in_range(*version.version, from, to)) out.versions.push_back(version);
    }
    std::stable_sort(out.versions.begin(), out.versions.end(),
                     [](const VersionSection& a, const VersionSection& b) { return *a.version < *b.version; });
    out.template_renames = facts_within(changelog.template_renames, from, to);
    out.parameter_renames = facts_within(changelog.parameter_renames, from, to);
    out.parameter_changes = facts_within(changelog.parameter_changes, from, to);
    out.lifecycle = facts_within(changelog.lifecycle, from, to);
    out.procedures = facts_within(changelog.procedures, from, to);
    out.advice = facts_within(changelog.advice, from, to);
    out.directives = facts_within(changelog.directives, from, to);
    out.unrecognized = facts_within(changelog.unrecognized, from, to);
    return out;
}

}  // namespace stackshift::release
