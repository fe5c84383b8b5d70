#include "core/change_scope.hpp"

namespace stackshift {

namespace {

constexpr ChangeScope every_scope[] = {
    ChangeScope::properties,      ChangeScope::metadata,        ChangeScope::creation_policy,
    ChangeScope::update_policy,   ChangeScope::deletion_policy, ChangeScope::update_replace_policy,
    ChangeScope::tags,
};

}  // namespace

std::string_view change_scope_name(ChangeScope scope) {
    switch (scope) {
    case ChangeScope::properties: return "Properties";
    case ChangeScope::metadata: return "Metadata";
    case ChangeScope::creation_policy: return "CreationPolicy";
    case ChangeScope::update_policy: return "UpdatePolicy";
    case ChangeScope::deletion_policy: return "DeletionPolicy";
    case ChangeScope::update_replace_policy: return "UpdateReplacePolicy";
    case ChangeScope::tags: return "Tags";
    }
    return "Properties";
}

std::optional<ChangeScope> change_scope_from_name(std::string_view name) {
    for (auto s : every_scope)
        if (change_scope_name(s) == name) return s;
    return std::nullopt;
}

std::vector<ChangeScope> ChangeScopes::list() const {
    std::vector<ChangeScope> out;
    for (auto s : every_scope)
        if (contains(s)) out.push_back(s);
    return out;
}

std::vector<std::string> ChangeScopes::names() const {
    std::vector<std::string> out;
    for (auto s : list()) out.emplace_back(change_scope_name(s));
    return out;
}

}  // namespace stackshift
