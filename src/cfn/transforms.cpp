#include "cfn/transforms.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace stackshift::cfn {

TransformKind transform_kind(std::string_view name) {
    if (name == serverless_transform) return TransformKind::serverless;
    if (name == language_extensions_transform) return TransformKind::language_extensions;
    if (name == "AWS::Include" || name == "AWS::CodeDeployBlueGreen" || name.starts_with("AWS::SecretsManager-")) {
        return TransformKind::aws;
    }
    return TransformKind::macro;
}

bool declares(const Template& t, TransformKind kind) {
    return std::any_of(t.transforms.begin(), t.transforms.end(), [kind](const std::string& n) { return transform_kind(n) == kind; });
}

std::string first_macro(const Template& t) {
    for (const auto& name : t.transforms) {
        if (transform_kind(name) == TransformKind::macro) return name;
    }
    return {};
}

std::string_view written_change_name(WrittenChange change) {
    switch (change) {
    case WrittenChange::added: return "added";
    case WrittenChange::removed: return "removed";
    case WrittenChange::changed: return "changed";
    }
    return "changed";
}

namespace {

const KeptAsWritten* find_kept(const Template& t, std::string_view path) {
    for (const auto& k : t.kept_as_written) {
        if (k.path == path) return &k;
    }
    return nullptr;
}

std::vector<WrittenDiff> written_differences(const Template& a, const Template& b) {
    std::vector<WrittenDiff> out;
    for (const auto& old_part : a.kept_as_written) {
        const KeptAsWritten* new_part = find_kept(b, old_part.path);
        if (new_part == nullptr) out.push_back({old_part.path, WrittenChange::removed, old_part.reason});
        else if (!old_part.value->same_as(*new_part->value)) out.push_back({old_part.path, WrittenChange::changed, new_part->reason});
    }
    for (const auto& new_part : b.kept_as_written) {
        if (find_kept(a, new_part.path) == nullptr) out.push_back({new_part.path, WrittenChange::added, new_part.reason});
    }
    // The Transform section itself: a transform added or removed, or an AWS::Include that reads
    // another location, changes what CloudFormation deploys though no resource here changes.
    const char* transform_reason = "the Transform section (what runs before CloudFormation deploys)";
    if (a.transform != nullptr && b.transform == nullptr) out.push_back({"Transform", WrittenChange::removed, transform_reason});
    else if (a.transform == nullptr && b.transform != nullptr) out.push_back({"Transform", WrittenChange::added, transform_reason});
    else if (a.transform != nullptr && !a.transform->same_as(*b.transform))
        out.push_back({"Transform", WrittenChange::changed, transform_reason});
    return out;
}

}  // namespace

std::optional<TransformNote> transform_note(const Template& old_template, const Template& new_template) {
    bool any = !old_template.transforms.empty() || !new_template.transforms.empty() ||
               !old_template.kept_as_written.empty() || !new_template.kept_as_written.empty();
    if (!any) return std::nullopt;
    TransformNote note;
    note.old_transforms = old_template.transforms;
    note.new_transforms = new_template.transforms;
    note.kept_as_written = written_differences(old_template, new_template);

    std::vector<std::string> names = note.old_transforms;
    for (const auto& n : note.new_transforms) {
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
    note.text = names.empty() ? "compared as written: parts CloudFormation expands at deploy time (Fn::Transform, Fn::ForEach) "
                                "are compared as text, not as the resources they make"
                              : "compared as written, before " + join(names, ", ") +
                                    " run: the resources and properties they generate or change are not in this diff";
    if (!note.kept_as_written.empty()) {
        std::vector<std::string> parts;
        for (const auto& d : note.kept_as_written) parts.push_back(d.path + " (" + std::string(written_change_name(d.change)) + ")");
        note.text += "; kept as written and different: " + join(parts, ", ");
    }
    return note;
}

}  // namespace stackshift::cfn
