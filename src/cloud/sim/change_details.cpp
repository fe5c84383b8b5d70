#include "cloud/sim/change_details.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace stackshift::cloud::sim {

namespace {

RequiresRecreation recreation_of(cfn::Replacement replacement) {
    switch (replacement) {
    case cfn::Replacement::always: return RequiresRecreation::always;
    case cfn::Replacement::maybe: return RequiresRecreation::conditionally;
    case cfn::Replacement::never: return RequiresRecreation::never;
    }
    return RequiresRecreation::conditionally;
}

// The target of a change at `path`: the top-level property for Properties (AWS names no
// nested path), the attribute alone otherwise.
ResourceTargetDefinition target_of(ChangeScope scope, const std::string& path, cfn::Replacement replacement) {
    ResourceTargetDefinition target;
    target.attribute = scope;
    if (scope == ChangeScope::properties) {
        auto segments = cfn::path_segments(path);
        if (!segments.empty()) target.name = segments.front();
    }
    if (scope == ChangeScope::properties || scope == ChangeScope::tags) target.requires_recreation = recreation_of(replacement);
    return target;
}

ChangeScope scope_of_path(const std::string& path) {
    bool tags = path == "Tags" || path.starts_with("Tags.") || path.starts_with("Tags[");
    return tags ? ChangeScope::tags : ChangeScope::properties;
}

// The node a property path leads to in the properties as written; where the path enters a
// function (Fn::If, Fn::Join, ...) or leaves the tree, the last node reached: the expression
// whose value changed is inside it.
const cfn::Value& node_at(const cfn::Value& properties, const std::string& path) {
    const cfn::Value* node = &properties;
    std::size_t i = 0;
    while (i < path.size()) {
        if (!node->function_name().empty()) return *node;
        const cfn::Value* next = nullptr;
        if (path[i] == '[') {
            std::size_t close = path.find(']', i);
            if (close == std::string::npos) return *node;
            std::size_t index = std::stoul(path.substr(i + 1, close - i - 1));
            if (node->is_list() && index < node->items().size()) next = &node->items()[index];
            i = close + 1;
        } else {
            if (path[i] == '.') ++i;
            std::size_t end = path.find_first_of(".[", i);
            if (end == std::string::npos) end = path.size();
            if (node->is_map()) next = node->find(path.substr(i, end - i));
            i = end;
        }
        if (next == nullptr) return *node;
        node = next;
    }
    return *node;
}

// Every name an expression reads with Ref or ${Name}, and through the conditions it tests
// (Fn::If, Condition), the names their definitions read.
class NameReader {
public:
    explicit NameReader(const cfn::Template& t) : m_template(t) {}

    void read(const cfn::Value& v) {
        std::string_view function = v.function_name();
        const cfn::Value* argument = function.empty() ? nullptr : &v.function_argument();
        if (function == "Ref" && argument->is_scalar()) m_names.insert(argument->text());
        if (function == "Fn::Sub") {
            const cfn::Value* text = argument->is_list() && argument->size() > 0 ? &argument->items()[0] : argument;
            if (text->is_scalar())
                for (const auto& ref : cfn::sub_references(text->text())) m_names.insert(ref.substr(0, ref.find('.')));
        }
        if (function == "Fn::If" && argument->is_list() && argument->size() > 0 && argument->items()[0].is_scalar())
            read_condition(argument->items()[0].text());
        if (function == "Condition" && argument->is_scalar()) read_condition(argument->text());
        for (const auto& item : v.items()) read(item);
        for (const auto& m : v.members()) read(m.value);
    }

    const std::set<std::string>& names() const { return m_names; }

private:
    void read_condition(const std::string& name) {
        if (!m_conditions.insert(name).second) return;
        if (const cfn::Value* definition = m_template.condition(name)) read(*definition);
    }

    const cfn::Template& m_template;
    std::set<std::string> m_names;
    std::set<std::string> m_conditions;
};

bool value_changed(const std::string& name, const cfn::ParameterValues& old_values, const cfn::ParameterValues& new_values) {
    auto a = old_values.values.find(name);
    auto b = new_values.values.find(name);
    if (a == old_values.values.end() || b == new_values.values.end()) return a != b;
    return a->second != b->second;
}

std::vector<std::string> changed_parameters(const cfn::Template& t, const std::set<std::string>& names,
                                            const cfn::ParameterValues& old_values, const cfn::ParameterValues& new_values) {
    std::vector<std::string> out;
    for (const auto& name : names)
        if (t.parameter(name) != nullptr && value_changed(name, old_values, new_values)) out.push_back(name);
    return out;
}

}  // namespace

std::optional<PolicyAction> policy_action_of(ChangeAction action, ChangeReplacement replacement, const cfn::Resource* resource) {
    if (action == ChangeAction::remove) {
        std::string_view policy = resource ? std::string_view(resource->deletion_policy) : std::string_view();
        // RetainExceptOnCreate retains what an earlier operation created, as a Remove's resource is.
        if (policy == "Retain" || policy == "RetainExceptOnCreate") return PolicyAction::retain;
        if (policy == "Snapshot") return PolicyAction::snapshot;
        return PolicyAction::delete_resource;
    }
    if (action != ChangeAction::modify || replacement != ChangeReplacement::yes) return std::nullopt;
    std::string_view policy = resource ? std::string_view(resource->update_replace_policy) : std::string_view();
    if (policy == "Retain") return PolicyAction::replace_and_retain;
    if (policy == "Snapshot") return PolicyAction::replace_and_snapshot;
    return PolicyAction::replace_and_delete;
}

std::optional<ResourceChangeDetail> diff_detail(const cfn::PropertyDiff& change) {
    auto scope = change.scope();
    if (!scope) return std::nullopt;
    ResourceChangeDetail d;
    d.target = target_of(*scope, change.path, change.replacement);
    // A value CloudFormation knows before it runs is Static; one it learns while it runs (an
    // unresolved side, a resource that may be replaced) is Dynamic.
    d.evaluation = change.certain ? ChangeEvaluation::static_value : ChangeEvaluation::dynamic_value;
    if (change.caused_by.empty()) {
        d.change_source = ChangeSource::direct_modification;
    } else {
        bool attribute = change.caused_by.find('.') != std::string::npos;
        d.change_source = attribute ? ChangeSource::resource_attribute : ChangeSource::resource_reference;
        d.causing_entity = change.caused_by;
    }
    return d;
}

std::vector<ResourceChangeDetail> parameter_details(const cfn::Template& target, const cfn::Resource& resource,
                                                    const cfn::PropertyDiff& change, const cfn::ParameterValues& old_values,
                                                    const cfn::ParameterValues& new_values) {
    static const cfn::Value empty = cfn::Value::map();
    const cfn::Value& properties = resource.properties ? *resource.properties : empty;
    NameReader at_path(target);
    at_path.read(node_at(properties, change.path));
    auto causes = changed_parameters(target, at_path.names(), old_values, new_values);
    if (causes.empty()) {
        // Only values changed, so a changed parameter caused it: the ones the resource reads,
        // or, when none is found, every one that changed. Never a detail without its cause.
        NameReader anywhere(target);
        anywhere.read(properties);
        causes = changed_parameters(target, anywhere.names(), old_values, new_values);
    }
    if (causes.empty()) {
        std::set<std::string> all;
        for (const auto& p : target.parameters) all.insert(p.name);
        causes = changed_parameters(target, all, old_values, new_values);
    }
    std::vector<ResourceChangeDetail> out;
    for (const auto& name : causes) {
        ResourceChangeDetail d;
        d.target = target_of(scope_of_path(change.path), change.path, change.replacement);
        d.evaluation = ChangeEvaluation::static_value;
        d.change_source = ChangeSource::parameter_reference;
        d.causing_entity = name;
        out.push_back(std::move(d));
    }
    return out;
}

ResourceChangeDetail reference_detail(const cfn::Reference& reference, cfn::Replacement replacement) {
    ResourceChangeDetail d;
    d.target = target_of(scope_of_path(reference.path), reference.path, replacement);
    d.evaluation = ChangeEvaluation::static_value;  // the referenced resource is replaced for certain
    d.change_source = reference.attribute.empty() ? ChangeSource::resource_reference : ChangeSource::resource_attribute;
    d.causing_entity = reference.entity();
    return d;
}

void add_detail(std::vector<ResourceChangeDetail>& details, ResourceChangeDetail detail) {
    auto same_cause = [&](const ResourceChangeDetail& d) {
        return d.target.attribute == detail.target.attribute && d.target.name == detail.target.name &&
               d.evaluation == detail.evaluation && d.change_source == detail.change_source &&
               d.causing_entity == detail.causing_entity;
    };
    auto it = std::find_if(details.begin(), details.end(), same_cause);
    if (it == details.end()) {
        details.push_back(std::move(detail));
        return;
    }
    if (detail.target.requires_recreation && (!it->target.requires_recreation || *it->target.requires_recreation < *detail.target.requires_recreation))
        it->target.requires_recreation = detail.target.requires_recreation;
}

}  // namespace stackshift::cloud::sim
