// The template diff: pairs up resources, compares them property by property, detects renames,
// carries replacements along references, and compares the template's interface.

#include "cfn/template_diff.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "cfn/condition_match.hpp"
#include "cfn/interface_diff.hpp"
#include "cfn/property_diff.hpp"
#include "cfn/rename_detection.hpp"

namespace stackshift::cfn {

namespace {

// The resources of one template that exist under the given values, with resolved properties.
struct Side {
    Evaluator evaluator;
    std::vector<const Resource*> present;
    std::unordered_map<std::string_view, const Resource*> by_id;
    std::unordered_map<std::string_view, Value> resolved;  // resolved Properties, computed on demand

    Side(const Template& t, const ParameterValues* values) : evaluator(t, values) {
        for (const auto& r : t.resources) {
            if (evaluator.exists(r.condition) == Tri::no) continue;
            present.push_back(&r);
            by_id.emplace(r.logical_id, &r);
        }
    }

    const Resource* find(std::string_view id) const {
        auto it = by_id.find(id);
        return it == by_id.end() ? nullptr : it->second;
    }

    // Properties as written; an empty map for a resource without them.
    static const Value& raw(const Resource& r) {
        static const Value empty = Value::map();
        return r.properties ? *r.properties : empty;
    }

    // Properties for finding references: as written when no values are given (nothing to
    // resolve that could add or hide a reference), resolved otherwise.
    const Value& for_references(const Resource& r) { return evaluator.evaluates_conditions() ? properties(r) : raw(r); }

    const Value& properties(const Resource& r) {
        auto it = resolved.find(r.logical_id);
        if (it != resolved.end()) return it->second;
        Value v = r.properties ? evaluator.resolve(*r.properties) : Value::map();
        return resolved.emplace(r.logical_id, std::move(v)).first->second;
    }
};

Impact worst(Impact a, Impact b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

void mark_stateful(ResourceDiff& d) {
    if (const StatefulType* s = find_stateful_type(d.type)) {
        d.stateful = true;
        d.stateful_reason = std::string(s->reason);
    }
}

struct AttributeKey {
    std::string_view key;
    Attribute attribute;
};

constexpr AttributeKey attribute_keys[] = {
    {"DeletionPolicy", Attribute::deletion_policy}, {"UpdateReplacePolicy", Attribute::update_replace_policy},
    {"Condition", Attribute::condition},            {"DependsOn", Attribute::depends_on},
    {"Metadata", Attribute::metadata},              {"UpdatePolicy", Attribute::update_policy},
    {"CreationPolicy", Attribute::creation_policy},
};

// The attribute as CloudFormation reads it: resolved under the side's values when there are
// some (a parameter can reach an AWS::CloudFormation::Init file), as written otherwise.
std::optional<Value> attribute_value(Side& side, const Resource& r, std::string_view key) {
    const Value* v = r.node ? r.node->find(key) : nullptr;
    if (v == nullptr) return std::nullopt;
    if (!side.evaluator.evaluates_conditions() || key == "Condition" || key == "DependsOn") return *v;
    Value resolved = side.evaluator.resolve(*v);
    if (is_no_value(resolved)) return std::nullopt;
    return resolved;
}

// DependsOn orders operations; a list in another order, or one id written bare or as a
// list, is the same order.
bool same_dependencies(const Resource& a, const Resource& b) {
    std::vector<std::string> x = a.depends_on;
    std::vector<std::string> y = b.depends_on;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    y.erase(std::unique(y.begin(), y.end()), y.end());
    return x == y;
}

void diff_attributes(const Resource& a, const Resource& b, Side& old_side, Side& new_side, ConditionMatch& conditions,
                     std::vector<PropertyDiff>& out) {
    for (const auto& [key, attribute] : attribute_keys) {
        auto x = attribute_value(old_side, a, key);
        auto y = attribute_value(new_side, b, key);
        if (!x && !y) continue;
        if (attribute == Attribute::depends_on && same_dependencies(a, b)) continue;
        if (attribute == Attribute::condition && conditions.same_condition(a.condition, b.condition)) continue;
        if (x && y && conditions.same_value(*x, *y)) continue;
        PropertyDiff d;
        d.path = std::string(key);
        d.old_value = std::move(x);
        d.new_value = std::move(y);
        d.attribute = attribute;
        // Metadata and the policies are updated in place (CloudFormation lists them as the
        // change's scope); Condition and DependsOn change how CloudFormation treats the
        // resource, not the resource.
        d.impact = d.scope() ? Impact::will_update : Impact::no_change;
        if (attribute == Attribute::condition) d.note = "the resource now depends on another condition";
        if (attribute == Attribute::depends_on) d.note = "the order of operations only: CloudFormation does not update the resource for it";
        if (attribute == Attribute::deletion_policy || attribute == Attribute::update_replace_policy)
            d.note = "decides what happens to the data on removal or replacement";
        out.push_back(std::move(d));
    }
}

// Whether CloudFormation would do anything to the resource: a DependsOn that changes alone
// does not make it a change.
bool changes_resource(const ResourceDiff& d) {
    if (d.change != ResourceChange::modified) return true;
    return std::any_of(d.properties.begin(), d.properties.end(),
                       [](const PropertyDiff& p) { return p.attribute != Attribute::depends_on; });
}

ChangeScopes scopes_of(const ResourceDiff& d) {
    ChangeScopes out;
    if (d.change != ResourceChange::modified) return out;
    for (const auto& p : d.properties)
        if (auto scope = p.scope()) out.add(*scope);
    return out;
}

ResourceDiff compare_present(const Resource& a, const Resource& b, Side& old_side, Side& new_side,
                             ConditionMatch& conditions) {
    ResourceDiff d;
    d.logical_id = b.logical_id;
    d.type = b.type;
    d.deletion_policy = b.deletion_policy;
    d.update_replace_policy = b.update_replace_policy;
    if (a.type != b.type) {
        d.change = ResourceChange::type_changed;
        d.old_type = a.type;
        d.impact = Impact::will_replace;
        d.notes.push_back("the type changes from " + a.type + " to " + b.type + ": a new resource replaces the old one");
        mark_stateful(d);
        if (!d.stateful) {
            ResourceDiff old_kind;
            old_kind.type = a.type;
            mark_stateful(old_kind);
            d.stateful = old_kind.stateful;
            d.stateful_reason = old_kind.stateful_reason;
        }
        return d;
    }
    // Without values, bodies written alike resolve alike: only a changed mapping entry can
    // set them apart, and the walk checks that. This skips resolving most of a large template.
    bool as_written = !new_side.evaluator.evaluates_conditions() && conditions.same_value(Side::raw(a), Side::raw(b));
    const Value& old_properties = as_written ? Side::raw(a) : old_side.properties(a);
    const Value& new_properties = as_written ? Side::raw(b) : new_side.properties(b);
    diff_properties(b.type, old_properties, new_properties, old_side.evaluator.source(), new_side.evaluator.source(),
                    d.properties);
    diff_attributes(a, b, old_side, new_side, conditions, d.properties);
    for (const auto& p : d.properties) d.impact = worst(d.impact, p.impact);
    mark_stateful(d);
    return d;
}

ResourceDiff one_sided(const Resource& r, ResourceChange change) {
    ResourceDiff d;
    d.logical_id = r.logical_id;
    d.type = r.type;
    d.change = change;
    d.deletion_policy = r.deletion_policy;
    d.update_replace_policy = r.update_replace_policy;
    if (change == ResourceChange::added) {
        d.impact = Impact::will_create;
    } else if (r.deletion_policy == "Retain" || r.deletion_policy == "RetainExceptOnCreate") {
        d.impact = Impact::will_orphan;
        d.notes.push_back("DeletionPolicy " + r.deletion_policy + ": CloudFormation leaves the resource in place, no longer managed");
    } else {
        d.impact = Impact::will_destroy;
        if (r.deletion_policy == "Snapshot") d.notes.push_back("DeletionPolicy Snapshot: a final snapshot is taken before deletion");
    }
    mark_stateful(d);
    return d;
}

// A resource replaced (or possibly replaced) gets a new physical id, so every property that
// refers to it changes too, and may replace its own resource in turn.
void propagate_replacements(TemplateDiff& diff, Side& new_side, const std::vector<const Resource*>& kept) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < diff.resources.size(); ++i) {
        if (diff.resources[i].change == ResourceChange::modified || diff.resources[i].change == ResourceChange::type_changed)
            index.emplace(diff.resources[i].logical_id, i);
    }
    std::vector<std::string> work;
    for (const auto& r : diff.resources) {
        if (r.impact == Impact::will_replace || r.impact == Impact::may_replace) work.push_back(r.logical_id);
    }
    if (work.empty()) return;
    // Who refers to whom, computed once over the resources present on both sides.
    std::unordered_map<std::string, std::vector<std::pair<const Resource*, Reference>>> referrers;
    for (const Resource* r : kept) {
        std::vector<Reference> refs;
        collect_references(new_side.for_references(*r), refs);
        for (auto& ref : refs) referrers[ref.target].emplace_back(r, std::move(ref));
    }
    std::unordered_set<std::string> done;
    while (!work.empty()) {
        std::string source = std::move(work.back());
        work.pop_back();
        if (!done.insert(source).second) continue;
        Impact source_impact = diff.resources[index.at(source)].impact;
        for (const auto& entry : referrers[source]) {
            const Resource* referrer = entry.first;
            const Reference& ref = entry.second;
            auto found = index.find(referrer->logical_id);
            if (found == index.end()) {
                ResourceDiff d;
                d.logical_id = referrer->logical_id;
                d.type = referrer->type;
                d.deletion_policy = referrer->deletion_policy;
                d.update_replace_policy = referrer->update_replace_policy;
                mark_stateful(d);
                diff.resources.push_back(std::move(d));
                found = index.emplace(referrer->logical_id, diff.resources.size() - 1).first;
            }
            ResourceDiff& target = diff.resources[found->second];
            if (target.change == ResourceChange::type_changed) continue;
            bool covered = std::any_of(target.properties.begin(), target.properties.end(), [&](const PropertyDiff& p) {
                return !p.is_attribute() && (ref.path == p.path || ref.path.starts_with(p.path + ".") || ref.path.starts_with(p.path + "["));
            });
            if (covered) continue;
            PropertyDiff p;
            p.path = ref.path;
            p.old_value = *ref.expression;
            p.new_value = *ref.expression;
            p.certain = source_impact == Impact::will_replace;
            p.impact = property_impact(target.type, ref.segments, p.certain, p.replacement);
            p.caused_by = ref.entity();
            p.note = "refers to " + source + ", which " +
                     (source_impact == Impact::will_replace ? "is replaced" : "may be replaced") + ": its physical id changes";
            Impact before = target.impact;
            target.impact = worst(target.impact, p.impact);
            target.properties.push_back(std::move(p));
            if ((target.impact == Impact::will_replace || target.impact == Impact::may_replace) && before != target.impact) {
                done.erase(target.logical_id);
                work.push_back(target.logical_id);
            }
        }
    }
}

}  // namespace

TemplateDiff diff_templates(const Template& old_template, const Template& new_template, const ParameterValues* values) {
    return diff_templates(old_template, new_template, values, values);
}

TemplateDiff diff_templates(const Template& old_template, const Template& new_template,
                            const ParameterValues* old_values, const ParameterValues* new_values) {
    TemplateDiff diff;
    diff.conditions_evaluated = old_values != nullptr && new_values != nullptr;
    Side old_side(old_template, old_values);
    Side new_side(new_template, new_values);
    ConditionMatch conditions(old_template, new_template);

    // Pair the resources present on both sides; the rest are created or removed.
    std::vector<const Resource*> added;
    std::vector<const Resource*> removed;
    std::vector<const Resource*> kept;
    for (const Resource* b : new_side.present) {
        const Resource* a = old_side.find(b->logical_id);
        if (a == nullptr) {
            added.push_back(b);
            continue;
        }
        kept.push_back(b);
        ResourceDiff d = compare_present(*a, *b, old_side, new_side, conditions);
        if (changes_resource(d)) diff.resources.push_back(std::move(d));
    }
    for (const Resource* a : old_side.present) {
        if (new_side.find(a->logical_id) == nullptr) removed.push_back(a);
    }

    // A removed and an added resource of one type with (nearly) the same body are a rename:
    // to CloudFormation still a destroy and a create.
    auto renames = detect_renames(removed, added, old_side.evaluator, new_side.evaluator);
    std::unordered_map<const Resource*, const Resource*> renamed_to;
    std::unordered_map<const Resource*, const Resource*> renamed_from;
    for (const auto& [from, to] : renames) {
        renamed_to[from] = to;
        renamed_from[to] = from;
    }
    for (const Resource* b : added) {
        ResourceDiff d = one_sided(*b, ResourceChange::added);
        if (auto it = renamed_from.find(b); it != renamed_from.end()) {
            d.change = ResourceChange::renamed_from;
            d.other_id = it->second->logical_id;
            d.notes.push_back("renamed from " + d.other_id + ": CloudFormation creates a new resource");
        }
        diff.resources.push_back(std::move(d));
    }
    for (const Resource* a : removed) {
        ResourceDiff d = one_sided(*a, ResourceChange::removed);
        if (auto it = renamed_to.find(a); it != renamed_to.end()) {
            d.change = ResourceChange::renamed_to;
            d.other_id = it->second->logical_id;
            d.notes.push_back("renamed to " + d.other_id + ": CloudFormation deletes this resource and creates a new one");
        }
        diff.resources.push_back(std::move(d));
    }
    if (diff.conditions_evaluated) {
        // Under the given values, conditions decide which of the "added" and "removed" exist.
        for (auto& d : diff.resources) {
            if (d.change != ResourceChange::added && d.change != ResourceChange::removed) continue;
            bool in_old = old_template.resource(d.logical_id) != nullptr;
            bool in_new = new_template.resource(d.logical_id) != nullptr;
            if (in_old && in_new) d.notes.push_back("its Condition is " + std::string(d.change == ResourceChange::added ? "now true" : "now false") + " under the given values");
        }
    }

    propagate_replacements(diff, new_side, kept);
    for (auto& r : diff.resources) r.scopes = scopes_of(r);
    diff.parameters = diff_parameters(old_template, new_template);
    diff.outputs = diff_outputs(old_template, new_template, old_side.evaluator, new_side.evaluator);
    diff.transform = transform_note(old_template, new_template);
    return diff;
}

}  // namespace stackshift::cfn
