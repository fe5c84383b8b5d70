#include "cfn/diff_types.hpp"

namespace stackshift::cfn {

std::string_view impact_name(Impact impact) {
    switch (impact) {
    case Impact::no_change: return "no-change";
    case Impact::will_update: return "will-update";
    case Impact::may_replace: return "may-replace";
    case Impact::will_replace: return "will-replace";
    case Impact::will_create: return "will-create";
    case Impact::will_destroy: return "will-destroy";
    case Impact::will_orphan: return "will-orphan";
    }
    return "no-change";
}

bool loses_resource(Impact impact) {
    return impact == Impact::will_replace || impact == Impact::may_replace || impact == Impact::will_destroy;
}

std::string_view resource_change_name(ResourceChange change) {
    switch (change) {
    case ResourceChange::added: return "added";
    case ResourceChange::removed: return "removed";
    case ResourceChange::modified: return "modified";
    case ResourceChange::type_changed: return "type-changed";
    case ResourceChange::renamed_from: return "renamed-from";
    case ResourceChange::renamed_to: return "renamed-to";
    }
    return "modified";
}

std::optional<ChangeScope> PropertyDiff::scope() const {
    switch (attribute) {
    case Attribute::none: {
        bool tags = path == "Tags" || path.starts_with("Tags.") || path.starts_with("Tags[");
        return tags ? ChangeScope::tags : ChangeScope::properties;
    }
    case Attribute::metadata: return ChangeScope::metadata;
    case Attribute::creation_policy: return ChangeScope::creation_policy;
    case Attribute::update_policy: return ChangeScope::update_policy;
    case Attribute::deletion_policy: return ChangeScope::deletion_policy;
    case Attribute::update_replace_policy: return ChangeScope::update_replace_policy;
    case Attribute::condition:
    case Attribute::depends_on: return std::nullopt;
    }
    return std::nullopt;
}

const ResourceDiff* TemplateDiff::resource(std::string_view logical_id) const {
    for (const auto& r : resources) {
        if (r.logical_id == logical_id) return &r;
    }
    return nullptr;
}

}  // namespace stackshift::cfn
