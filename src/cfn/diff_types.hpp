#pragma once
// The data of a template diff: each change's impact named as cdk names them, resource by
// resource and property by property, with parameters and outputs. template_diff computes it
// with property_diff and interface_diff, which fill in their parts of it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/resource_spec.hpp"
#include "cfn/template.hpp"
#include "cfn/transforms.hpp"
#include "core/change_scope.hpp"

namespace stackshift::cfn {

using stackshift::ChangeScope;
using stackshift::ChangeScopes;

// Ordered from harmless to harmful within the update kinds; creates and removals stand apart.
enum class Impact : std::uint8_t {
    no_change,
    will_update,
    may_replace,
    will_replace,
    will_create,
    will_destroy,
    will_orphan,
};

std::string_view impact_name(Impact impact);  // "will-replace", ...

// Whether the impact loses the resource as it is: a replacement or a destroy.
bool loses_resource(Impact impact);

enum class ResourceChange : std::uint8_t { added, removed, modified, type_changed, renamed_from, renamed_to };

std::string_view resource_change_name(ResourceChange change);  // "added", "renamed-to", ...

// The resource attributes beside Properties that the diff compares.
enum class Attribute : std::uint8_t {
    none,  // a property
    deletion_policy,
    update_replace_policy,
    condition,
    depends_on,
    metadata,
    update_policy,
    creation_policy,
};

struct PropertyDiff {
    std::string path;  // "BlockDeviceMappings[0].Ebs.VolumeSize", or an attribute: "DeletionPolicy"
    std::optional<Value> old_value;
    std::optional<Value> new_value;
    Impact impact = Impact::will_update;
    Replacement replacement = Replacement::never;  // what the spec says of this path
    Attribute attribute = Attribute::none;  // a resource attribute (DeletionPolicy, Condition, ...) not a property
    bool certain = true;     // false when the value could not be resolved on both sides
    std::string note;        // why, when not obvious: "ImageId reads RegionMap, which changed"
    // A change carried along a reference to a replaced resource: what it reads of that
    // resource, as a change set's CausingEntity names it (`Db` for a Ref, `Db.Endpoint.Address`
    // for Fn::GetAtt); empty for a change written in the template.
    std::string caused_by = {};

    bool is_attribute() const { return attribute != Attribute::none; }
    // The change set scope it falls in: Tags for the Tags property, Properties for the other
    // properties, the attribute's own for Metadata and the policies; none for Condition and
    // DependsOn, which CloudFormation does not update a resource for.
    std::optional<ChangeScope> scope() const;
};

struct ResourceDiff {
    std::string logical_id;
    std::string type;
    std::string old_type;  // set when the type changed
    ResourceChange change = ResourceChange::modified;
    Impact impact = Impact::no_change;
    ChangeScopes scopes;  // of a modified resource: what its change set entry lists as Scope
    bool stateful = false;
    std::string stateful_reason;
    std::string other_id;  // the new id of a renamed resource, or the old one
    std::string deletion_policy;
    std::string update_replace_policy;
    std::vector<PropertyDiff> properties;
    std::vector<std::string> notes;
};

struct ParameterDiff {
    std::string name;
    std::string change;                // added, removed, changed
    std::vector<std::string> details;  // type, default, allowed-values, allowed-pattern, ...
    const Parameter* old_parameter = nullptr;
    const Parameter* new_parameter = nullptr;
};

struct OutputDiff {
    std::string name;
    std::string change;  // added, removed, changed
    std::vector<std::string> details;  // value, export, condition, description
    std::optional<std::string> old_export;
    std::optional<std::string> new_export;
    bool breaks_imports = false;  // an export removed or renamed: importing stacks would fail
};

struct TemplateDiff {
    std::vector<ResourceDiff> resources;
    std::vector<ParameterDiff> parameters;
    std::vector<OutputDiff> outputs;
    bool conditions_evaluated = false;
    // Set when a template declares a transform or holds parts kept as written: the diff is of
    // the templates before the transforms run, and those parts are compared as written.
    std::optional<TransformNote> transform;

    // A part kept as written that changed (SAM's Globals, a Fn::ForEach loop) is a change too.
    bool empty() const {
        return resources.empty() && parameters.empty() && outputs.empty() && (!transform || transform->kept_as_written.empty());
    }
    const ResourceDiff* resource(std::string_view logical_id) const;
};

}  // namespace stackshift::cfn
