#include "cfn/property_diff.hpp"

#include <span>

#include "cfn/condition_match.hpp"

namespace stackshift::cfn {

namespace {

bool is_custom_type(std::string_view type) {
    return type.starts_with("Custom::") || type == "AWS::CloudFormation::CustomResource";
}

// Whether an unresolved Fn::FindInMap inside `expression` reads mapping entries that differ
// between the two templates: yes when every entry it could read changed, unknown when some
// did, no when none did.
class MappingProbe {
public:
    MappingProbe(const Template& old_t, const Template& new_t) : m_old(old_t), m_new(new_t) {}

    Tri changed(const Value& expression) {
        Tri result = Tri::no;
        m_changes.clear();
        visit(expression, result);
        return result;
    }

    // The changed entries found by the last call: "RegionMap.eu-west-1.AMI: ami-1 -> ami-2".
    std::string describe() const {
        constexpr std::size_t shown = 3;
        std::string out;
        for (std::size_t i = 0; i < m_changes.size() && i < shown; ++i) out += (i ? "; " : "") + m_changes[i];
        if (m_changes.size() > shown) out += "; and " + std::to_string(m_changes.size() - shown) + " more";
        return out;
    }

private:
    void visit(const Value& v, Tri& result) {
        if (result == Tri::yes) return;
        if (v.function_name() == "Fn::FindInMap") {
            Tri t = lookup_changed(v.function_argument());
            if (t == Tri::yes || (t == Tri::unknown && result == Tri::no)) result = t;
        }
        for (const auto& item : v.items()) visit(item, result);
        for (const auto& m : v.members()) visit(m.value, result);
    }

    static const Value* child(const Value* map, const std::string& key) { return map ? map->find(key) : nullptr; }

    static bool literal(const Value& v) { return v.is_scalar() && v.function_name().empty(); }

    Tri lookup_changed(const Value& arguments) {
        if (!arguments.is_list() || arguments.size() < 3 || !literal(arguments.items()[0])) return Tri::no;
        const std::string& name = arguments.items()[0].text();
        const Value* old_map = m_old.mappings ? m_old.mappings->find(name) : nullptr;
        const Value* new_map = m_new.mappings ? m_new.mappings->find(name) : nullptr;
        if (old_map == nullptr && new_map == nullptr) return Tri::no;
        std::vector<std::string> tops = candidates(arguments.items()[1], old_map, new_map);
        std::size_t changed = 0;
        std::size_t total = 0;
        for (const auto& top : tops) {
            const Value* old_level = child(old_map, top);
            const Value* new_level = child(new_map, top);
            for (const auto& second : candidates(arguments.items()[2], old_level, new_level)) {
                const Value* a = child(old_level, second);
                const Value* b = child(new_level, second);
                ++total;
                bool same = (a == nullptr && b == nullptr) || (a && b && a->same_as(*b));
                if (!same) {
                    ++changed;
                    m_changes.push_back(name + "." + top + "." + second + ": " + (a ? a->to_display() : "(absent)") +
                                        " -> " + (b ? b->to_display() : "(absent)"));
                }
            }
        }
        if (changed == 0) return Tri::no;
        return changed == total ? Tri::yes : Tri::unknown;
    }

    // The keys a lookup argument may take: itself when literal, else every key on either side.
    static std::vector<std::string> candidates(const Value& key, const Value* a, const Value* b) {
        if (literal(key)) return {key.text()};
        std::vector<std::string> keys;
        for (const Value* side : {a, b}) {
            if (side == nullptr) continue;
            for (const auto& m : side->members()) {
                bool seen = false;
                for (const auto& k : keys) seen = seen || k == m.key;
                if (!seen) keys.push_back(m.key);
            }
        }
        return keys;
    }

    const Template& m_old;
    const Template& m_new;
    std::vector<std::string> m_changes;
};

class PropertyWalker {
public:
    PropertyWalker(std::string_view type, const Template& old_t, const Template& new_t, std::vector<PropertyDiff>& out)
        : m_type(type), m_probe(old_t, new_t), m_conditions(old_t, new_t), m_out(out) {}

    void walk(const Value& a, const Value& b, std::string& path, std::vector<std::string>& segments) {
        if (m_conditions.same_value(a, b)) {
            Tri mapping = m_probe.changed(b);
            if (mapping != Tri::no) {
                report(&a, &b, path, segments, mapping == Tri::yes,
                       std::string(mapping == Tri::yes ? "every Mappings entry it may read changed"
                                                       : "some Mappings entries it may read changed; the deployed keys decide") +
                           ": " + m_probe.describe());
            }
            return;
        }
        bool plain_maps = a.is_map() && b.is_map() && a.function_name().empty() && b.function_name().empty();
        if (plain_maps) {
            walk_maps(a, b, path, segments);
            return;
        }
        if (a.is_list() && b.is_list() && a.size() == b.size()) {
            for (std::size_t i = 0; i < a.size(); ++i) {
                std::size_t mark = path.size();
                path += '[' + std::to_string(i) + ']';
                walk(a.items()[i], b.items()[i], path, segments);
                path.resize(mark);
            }
            return;
        }
        // A value on one side and an unresolved function on the other may well be equal once
        // CloudFormation resolves it: the change is possible, not certain.
        bool unresolved = a.function_name() != b.function_name();
        report(&a, &b, path, segments, !unresolved,
               unresolved ? "compared as written: one side is not known until deploy" : "");
    }

    void walk_maps(const Value& a, const Value& b, std::string& path, std::vector<std::string>& segments) {
        auto step = [&](const std::string& key, const Value* x, const Value* y) {
            std::size_t mark = path.size();
            if (!path.empty()) path += '.';
            path += key;
            segments.push_back(key);
            if (x && y) {
                walk(*x, *y, path, segments);
            } else {
                // An unresolved Fn::If may come to AWS::NoValue: then nothing changes.
                const Value* present = x ? x : y;
                bool conditional = present->function_name() == "Fn::If";
                report(x, y, path, segments, !conditional, conditional ? "depends on a condition not known here" : "");
            }
            segments.pop_back();
            path.resize(mark);
        };
        for (const auto& m : b.members()) step(m.key, a.find(m.key), &m.value);
        for (const auto& m : a.members()) {
            if (b.find(m.key) == nullptr) step(m.key, &m.value, nullptr);
        }
    }

private:
    void report(const Value* a, const Value* b, const std::string& path, const std::vector<std::string>& segments,
                bool certain, std::string note) {
        PropertyDiff d;
        d.path = path;
        if (a) d.old_value = *a;
        if (b) d.new_value = *b;
        d.certain = certain;
        d.impact = property_impact(m_type, segments, certain, d.replacement);
        d.note = std::move(note);
        m_out.push_back(std::move(d));
    }

    std::string_view m_type;
    MappingProbe m_probe;
    ConditionMatch m_conditions;
    std::vector<PropertyDiff>& m_out;
};

void collect(const Value& v, std::string& path, std::vector<std::string>& segments, std::vector<Reference>& out) {
    std::string_view name = v.function_name();
    if (name == "Ref" && v.function_argument().is_string()) {
        const std::string& target = v.function_argument().text();
        if (!target.starts_with("AWS::")) out.push_back(Reference{target, path, segments, &v});
        return;
    }
    if (name == "Fn::GetAtt" && v.function_argument().is_list() && v.function_argument().size() >= 1) {
        const auto& items = v.function_argument().items();
        std::string attribute = items.size() >= 2 && items[1].is_scalar() ? items[1].text() : std::string();
        out.push_back(Reference{items[0].text(), path, segments, &v, std::move(attribute)});
        return;
    }
    if (name == "Fn::Sub") {
        const Value& argument = v.function_argument();
        const Value* text = argument.is_list() && argument.size() > 0 ? &argument.items()[0] : &argument;
        for (const auto& ref : sub_references(text->text())) {
            std::size_t dot = ref.find('.');
            std::string target = ref.substr(0, dot);
            std::string attribute = dot == std::string::npos ? std::string() : ref.substr(dot + 1);
            if (!target.starts_with("AWS::")) out.push_back(Reference{target, path, segments, &v, std::move(attribute)});
        }
        if (argument.is_list() && argument.size() > 1) collect(argument.items()[1], path, segments, out);
        return;
    }
    if (v.is_list()) {
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            std::size_t mark = path.size();
            path += '[' + std::to_string(i) + ']';
            collect(v.items()[i], path, segments, out);
            path.resize(mark);
        }
        return;
    }
    if (!name.empty()) {
        // Inside other functions (Fn::If, Fn::Join, ...) the path stays that of the property.
        collect(v.function_argument(), path, segments, out);
        return;
    }
    for (const auto& m : v.members()) {
        std::size_t mark = path.size();
        if (!path.empty()) path += '.';
        path += m.key;
        segments.push_back(m.key);
        collect(m.value, path, segments, out);
        segments.pop_back();
        path.resize(mark);
    }
}

}  // namespace

Impact property_impact(std::string_view type, const std::vector<std::string>& segments, bool certain,
                       Replacement& replacement) {
    if (is_custom_type(type)) {
        // A custom resource gets an Update request; its provider decides, not CloudFormation.
        replacement = Replacement::never;
        return Impact::will_update;
    }
    if (!spec_knows_type(type)) {
        replacement = Replacement::maybe;
        return Impact::may_replace;
    }
    std::vector<std::string_view> views(segments.begin(), segments.end());
    replacement = property_replacement(type, std::span<const std::string_view>(views));
    switch (replacement) {
    case Replacement::always: return certain ? Impact::will_replace : Impact::may_replace;
    case Replacement::maybe: return Impact::may_replace;
    case Replacement::never: return Impact::will_update;
    }
    return Impact::will_update;
}

void diff_properties(std::string_view type, const Value& old_properties, const Value& new_properties,
                     const Template& old_template, const Template& new_template, std::vector<PropertyDiff>& out) {
    PropertyWalker walker(type, old_template, new_template, out);
    std::string path;
    std::vector<std::string> segments;
    // The top level always opens up, so that every change is named by its property.
    walker.walk_maps(old_properties, new_properties, path, segments);
}

void collect_references(const Value& properties, std::vector<Reference>& out) {
    std::string path;
    std::vector<std::string> segments;
    collect(properties, path, segments, out);
}

std::vector<std::string> path_segments(std::string_view path) {
    std::vector<std::string> out;
    std::string current;
    bool in_index = false;
    for (char c : path) {
        if (c == '[') in_index = true;
        else if (c == ']') in_index = false;
        else if (in_index) continue;
        else if (c == '.') {
            if (!current.empty()) out.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

}  // namespace stackshift::cfn
