#include "cfn/template_extensions.hpp"

#include <algorithm>
#include <array>

#include "cfn/transforms.hpp"
#include "core/text.hpp"

namespace stackshift::cfn {

namespace {

constexpr std::string_view for_each_prefix = "Fn::ForEach::";

// SAM's attributes beside Type and Properties (AWS::Serverless::* and, for Connectors, any resource).
constexpr std::array<std::string_view, 2> sam_resource_attributes{"IgnoreGlobals", "Connectors"};

constexpr std::array<std::string_view, 6> rule_functions{"Fn::Contains",   "Fn::EachMemberEquals", "Fn::EachMemberIn",
                                                         "Fn::RefAll",     "Fn::ValueOf",          "Fn::ValueOfAll"};

bool is_rule_function(std::string_view name) {
    return std::find(rule_functions.begin(), rule_functions.end(), name) != rule_functions.end();
}

std::string kind_of(const Value& v) {
    if (v.is_scalar()) return "a " + std::string(kind_name(v.kind())) + " " + quote(v.text());
    return "a " + std::string(kind_name(v.kind()));
}

// A list, or a function that may give one (Ref, Fn::FindInMap, Fn::Split, ...).
bool list_like(const Value& v) { return v.is_list() || !v.function_name().empty(); }
bool string_like(const Value& v) { return (v.is_scalar() && !v.is_null()) || !v.function_name().empty(); }

// The `${X}` and `&{X}` placeholders of a Fn::ForEach output key, with their sigil.
std::vector<std::pair<char, std::string>> placeholders(std::string_view key) {
    std::vector<std::pair<char, std::string>> out;
    for (std::size_t i = 0; i + 1 < key.size(); ++i) {
        if ((key[i] != '$' && key[i] != '&') || key[i + 1] != '{') continue;
        auto end = key.find('}', i + 2);
        if (end == std::string_view::npos) break;
        out.emplace_back(key[i], std::string(key.substr(i + 2, end - i - 2)));
        i = end;
    }
    return out;
}

// The key an iteration gives: ${X} is the value as it is, &{X} the value without its
// non-alphanumeric characters (which is what it is for: logical ids from any value).
std::string expand_key(std::string_view key, const std::vector<std::pair<std::string, std::string>>& bindings) {
    std::string out;
    for (std::size_t i = 0; i < key.size(); ++i) {
        if ((key[i] == '$' || key[i] == '&') && i + 1 < key.size() && key[i + 1] == '{') {
            auto end = key.find('}', i + 2);
            std::string name(key.substr(i + 2, end - i - 2));
            for (const auto& [identifier, value] : bindings) {
                if (identifier != name) continue;
                if (key[i] == '$') out += value;
                else for (char c : value) if (std::isalnum(static_cast<unsigned char>(c))) out += c;
                i = end;
                break;
            }
            if (i == end) continue;
        }
        out += key[i];
    }
    return out;
}

// Enough iterations to check a literal collection's keys; past this the keys go unchecked.
constexpr std::size_t max_checked_iterations = 10'000;

}  // namespace

bool is_alphanumeric(std::string_view text) {
    if (text.empty()) return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

void ExtensionChecker::error(Position at, std::string message) {
    m_diagnostics.push_back(Diagnostic{m_template.file, at, std::move(message)});
}

void ExtensionChecker::keep(std::string path, const Member& member, std::string reason) {
    m_template.kept_as_written.push_back(KeptAsWritten{std::move(path), member.key_position, &member.value, std::move(reason)});
}

void ExtensionChecker::read_transforms(const Value* transform) {
    if (transform == nullptr) return;
    auto add = [&](const Value& item) {
        // A transform is named, or given as {Name: ..., Parameters: ...}.
        const Value* name = item.is_map() ? item.find("Name") : &item;
        if (name == nullptr || !name->is_string() || name->text().empty()) {
            error(item.position(), "Transform must name a transform (e.g. 'AWS::Serverless-2016-10-31') or list them, found " + kind_of(item));
            return;
        }
        m_template.transforms.push_back(name->text());
    };
    if (transform->is_list()) {
        for (const auto& item : transform->items()) add(item);
    } else {
        add(*transform);
    }
    m_macro = first_macro(m_template);
}

std::string ExtensionChecker::section_hint(std::string_view name) const {
    if (name == "Globals") return "; Globals is SAM's: declare 'Transform: " + std::string(serverless_transform) + "'";
    return {};
}

bool ExtensionChecker::take_section(const Member& section) {
    if (section.key == "Globals" && declares(m_template, TransformKind::serverless)) {
        if (!section.value.is_map()) error(section.value.position(), "section Globals must be a mapping, found " + kind_of(section.value));
        keep("Globals", section, "SAM's Globals section");
        return true;
    }
    if (section.key == "Fn::Transform") {
        keep(section.key, section, "a Fn::Transform");
        return true;
    }
    if (!strict()) {
        keep(section.key, section, "only the macro '" + m_macro + "' understands it");
        return true;
    }
    return false;
}

bool ExtensionChecker::take_resource(const Member& resource) {
    std::string path = "Resources." + resource.key;
    if (resource.key.starts_with(for_each_prefix)) {
        std::vector<Loop> enclosing;
        check_for_each("Resources", resource, enclosing);
        keep(path, resource, "a Fn::ForEach loop (AWS::LanguageExtensions)");
        return true;
    }
    if (resource.key == "Fn::Transform") {
        keep(path, resource, "a Fn::Transform");
        return true;
    }
    const Value* type = resource.value.is_map() ? resource.value.find("Type") : nullptr;
    if (!strict() && (!is_alphanumeric(resource.key) || type == nullptr || !type->is_string())) {
        keep(path, resource, "only the macro '" + m_macro + "' understands it");
        return true;
    }
    return false;
}

bool ExtensionChecker::take_resource_attribute(const std::string& logical_id, const Member& attribute) {
    std::string path = "Resources." + logical_id + "." + attribute.key;
    bool sam = std::find(sam_resource_attributes.begin(), sam_resource_attributes.end(), attribute.key) != sam_resource_attributes.end();
    if (sam && declares(m_template, TransformKind::serverless)) {
        keep(path, attribute, "a SAM resource attribute");
        return true;
    }
    return take_attribute("Resources", logical_id, attribute);
}

bool ExtensionChecker::take_attribute(std::string_view section, const std::string& owner, const Member& attribute) {
    if (strict() && attribute.key != "Fn::Transform") return false;
    std::string reason = strict() ? "a Fn::Transform" : "only the macro '" + m_macro + "' understands it";
    keep(std::string(section) + "." + owner + "." + attribute.key, attribute, std::move(reason));
    return true;
}

bool ExtensionChecker::take_output(const Member& output) {
    std::string path = "Outputs." + output.key;
    if (output.key.starts_with(for_each_prefix)) {
        std::vector<Loop> enclosing;
        check_for_each("Outputs", output, enclosing);
        keep(path, output, "a Fn::ForEach loop (AWS::LanguageExtensions)");
        return true;
    }
    if (output.key == "Fn::Transform" || (!strict() && (!output.value.is_map() || output.value.find("Value") == nullptr))) {
        keep(path, output, output.key == "Fn::Transform" ? "a Fn::Transform" : "only the macro '" + m_macro + "' understands it");
        return true;
    }
    return false;
}

bool ExtensionChecker::take_condition(const Member& condition) {
    if (!condition.key.starts_with(for_each_prefix)) return false;
    std::vector<Loop> enclosing;
    check_for_each("Conditions", condition, enclosing);
    keep("Conditions." + condition.key, condition, "a Fn::ForEach loop (AWS::LanguageExtensions)");
    return true;
}

void ExtensionChecker::check_resource_type(const std::string& logical_id, const Value& type) {
    if (!strict() || declares(m_template, TransformKind::serverless) || !type.text().starts_with("AWS::Serverless::")) return;
    error(type.position(), "resource " + logical_id + ": type " + quote(type.text()) + " is SAM's: declare 'Transform: " +
                               std::string(serverless_transform) + "'");
}

bool ExtensionChecker::needs_language_extensions(Position at, std::string_view what) {
    if (!strict() || declares(m_template, TransformKind::language_extensions)) return false;
    error(at, std::string(what) + " needs the AWS::LanguageExtensions transform; declare 'Transform: " +
                  std::string(language_extensions_transform) + "'");
    return true;
}

// Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}], where every output key
// uses the identifier as ${Identifier} or &{Identifier}, and may itself be a nested loop.
void ExtensionChecker::check_for_each(std::string_view section, const Member& loop, std::vector<Loop>& enclosing) {
    if (needs_language_extensions(loop.key_position, "Fn::ForEach")) return;
    std::string name = loop.key.substr(for_each_prefix.size());
    if (!is_alphanumeric(name)) {
        error(loop.key_position, quote(loop.key) + ": a Fn::ForEach loop's name must be alphanumeric (A-Za-z0-9), found " + quote(name));
    }
    const Value& body = loop.value;
    if (!body.is_list() || body.size() != 3) {
        error(body.position(), loop.key + " must be a list of [identifier, collection, {output key: output value}], found " +
                                   (body.is_list() ? "a list of " + std::to_string(body.size()) : kind_of(body)));
        return;
    }
    const Value& identifier = body.items()[0];
    const Value& collection = body.items()[1];
    const Value& outputs = body.items()[2];
    Loop current;
    if (!identifier.is_string() || !is_alphanumeric(identifier.text())) {
        error(identifier.position(), loop.key + ": the identifier must be an alphanumeric name, found " + kind_of(identifier));
        return;
    }
    current.identifier = identifier.text();
    for (const auto& outer : enclosing) {
        if (outer.identifier == current.identifier) {
            error(identifier.position(), loop.key + ": the identifier " + quote(current.identifier) + " is already an enclosing loop's; choose another name");
            return;
        }
    }
    if (!list_like(collection)) {
        error(collection.position(), loop.key + ": the collection must be a list or a function that gives one, found " + kind_of(collection));
    } else if (collection.is_list() && std::all_of(collection.items().begin(), collection.items().end(), [](const Value& v) { return v.is_scalar(); })) {
        current.values.emplace();
        for (const auto& item : collection.items()) current.values->push_back(item.text());
    }
    if (!outputs.is_map() || outputs.size() == 0) {
        error(outputs.position(), loop.key + ": the third item must map output keys to values, found " + kind_of(outputs));
        return;
    }
    enclosing.push_back(std::move(current));
    for (const auto& entry : outputs.members()) {
        if (entry.key.starts_with(for_each_prefix)) check_for_each(section, entry, enclosing);
        else check_loop_key(section, loop.key, entry, enclosing);
    }
    enclosing.pop_back();
}

void ExtensionChecker::check_loop_key(std::string_view section, const std::string& loop, const Member& entry, const std::vector<Loop>& loops) {
    const std::string& own = loops.back().identifier;
    bool uses_own = false;
    for (const auto& [sigil, name] : placeholders(entry.key)) {
        bool known = std::any_of(loops.begin(), loops.end(), [&](const Loop& l) { return l.identifier == name; });
        if (!known) {
            error(entry.key_position, loop + ": the key " + quote(entry.key) + " uses " + quote(std::string(1, sigil) + "{" + name + "}") +
                                          ", which no enclosing Fn::ForEach defines");
            return;
        }
        uses_own = uses_own || name == own;
    }
    if (!uses_own) {
        error(entry.key_position, loop + ": the key " + quote(entry.key) + " must use the identifier as '${" + own + "}' or '&{" + own +
                                      "}', so that each iteration gives its own key");
        return;
    }
    if (section == "Resources" && (!entry.value.is_map() || entry.value.find("Type") == nullptr)) {
        error(entry.value.position(), loop + ": resource " + quote(entry.key) + " must be a mapping with at least a Type");
    }
    if (section == "Outputs" && (!entry.value.is_map() || entry.value.find("Value") == nullptr)) {
        error(entry.value.position(), loop + ": output " + quote(entry.key) + " must be a mapping with at least a Value");
    }
    // With literal collections the keys are known: each must be a logical id, and distinct.
    std::vector<std::vector<std::pair<std::string, std::string>>> iterations{{}};
    for (const auto& l : loops) {
        bool referenced = entry.key.find("{" + l.identifier + "}") != std::string::npos;
        if (!referenced && l.values && l.values->size() > 1) {
            error(entry.key_position, loop + ": the key " + quote(entry.key) + " gives the same keys for each value of '" + l.identifier +
                                          "'; use '${" + l.identifier + "}' or '&{" + l.identifier + "}' in it too");
            return;
        }
        if (!referenced) continue;
        if (!l.values) return;
        std::vector<std::vector<std::pair<std::string, std::string>>> next;
        for (const auto& partial : iterations) {
            for (const auto& value : *l.values) {
                if (next.size() >= max_checked_iterations) return;
                next.push_back(partial);
                next.back().emplace_back(l.identifier, value);
            }
        }
        iterations = std::move(next);
    }
    std::vector<std::string> seen;
    for (const auto& bindings : iterations) {
        std::string key = expand_key(entry.key, bindings);
        if (!is_alphanumeric(key)) {
            std::string values;
            for (const auto& [identifier, value] : bindings) values += (values.empty() ? "" : ", ") + quote(value);
            error(entry.key_position, loop + ": the key " + quote(entry.key) + " gives " + quote(key) + " for " + values +
                                          ", which is not an alphanumeric logical id; write '&{" + own +
                                          "}' to drop the other characters");
            return;
        }
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            error(entry.key_position, loop + ": the key " + quote(entry.key) + " gives " + quote(key) + " twice; the collection must give distinct keys");
            return;
        }
        seen.push_back(key);
    }
}

void ExtensionChecker::check_functions(const Value& root) {
    if (!root.is_map()) return;
    for (const auto& section : root.members()) {
        if (section.key == "Rules" && section.value.is_map()) check_rules(section.value);
        // Metadata is free-form: tools keep their own settings there.
        if (section.key != "Metadata") walk(section.value, section.key == "Rules");
    }
}

// Rules: {Name: {RuleCondition: ..., Assertions: [{Assert: ..., AssertDescription: ...}]}}.
void ExtensionChecker::check_rules(const Value& rules) {
    for (const auto& rule : rules.members()) {
        std::string owner = "rule " + rule.key;
        if (!rule.value.is_map()) {
            error(rule.value.position(), owner + " must be a mapping with Assertions, found " + kind_of(rule.value));
            continue;
        }
        for (const auto& attribute : rule.value.members()) {
            if (attribute.key != "RuleCondition" && attribute.key != "Assertions" && strict()) {
                error(attribute.key_position, owner + ": unknown attribute " + quote(attribute.key) + "; a rule has RuleCondition and Assertions");
            }
        }
        const Value* assertions = rule.value.find("Assertions");
        if (assertions == nullptr) {
            error(rule.key_position, owner + " has no Assertions; add a list of {Assert: condition, AssertDescription: text}");
            continue;
        }
        if (!assertions->is_list()) {
            error(assertions->position(), owner + ": Assertions must be a list, found " + kind_of(*assertions));
            continue;
        }
        for (const auto& assertion : assertions->items()) {
            if (!assertion.is_map() || assertion.find("Assert") == nullptr) {
                error(assertion.position(), owner + ": each assertion must be a mapping with an Assert, found " + kind_of(assertion));
            }
        }
    }
}

void ExtensionChecker::check_rule_function(std::string_view name, const Value& call) {
    const Value& argument = call.function_argument();
    auto pair_of = [&](bool (*first)(const Value&), bool (*second)(const Value&)) {
        return argument.is_list() && argument.size() == 2 && first(argument.items()[0]) && second(argument.items()[1]);
    };
    std::string expected;
    if ((name == "Fn::Contains" || name == "Fn::EachMemberEquals") && !pair_of(list_like, string_like)) {
        expected = "[list of strings, string]";
    } else if (name == "Fn::EachMemberIn" && !pair_of(list_like, list_like)) {
        expected = "[list of strings, list of strings]";
    } else if (name == "Fn::RefAll" && !argument.is_string()) {
        expected = "a parameter type, e.g. 'AWS::EC2::VPC::Id'";
    } else if ((name == "Fn::ValueOf" || name == "Fn::ValueOfAll") && !pair_of(string_like, string_like)) {
        expected = name == "Fn::ValueOf" ? "[parameter name, attribute]" : "[parameter type, attribute]";
    }
    if (!expected.empty()) {
        error(call.position(), std::string(name) + " expects " + expected + ", found " + argument.to_display());
        return;
    }
    if (name == "Fn::ValueOf" && argument.items()[0].is_string() && m_template.parameter(argument.items()[0].text()) == nullptr && strict()) {
        error(argument.items()[0].position(), "Fn::ValueOf names the parameter " + quote(argument.items()[0].text()) +
                                                  ", which the template does not declare");
    }
}

void ExtensionChecker::walk(const Value& v, bool in_rules) {
    if (v.is_list()) {
        for (const auto& item : v.items()) walk(item, in_rules);
        return;
    }
    if (!v.is_map()) return;
    std::string_view name = v.function_name();
    if (is_rule_function(name)) {
        if (in_rules) check_rule_function(name, v);
        else if (strict()) error(v.position(), std::string(name) + " is a rule function: only the Rules section may use it");
    } else if (name == "Fn::Length" || name == "Fn::ToJsonString") {
        needs_language_extensions(v.position(), name);
    } else if (name == "Fn::FindInMap" && v.function_argument().is_list() && v.function_argument().size() == 4) {
        needs_language_extensions(v.position(), "Fn::FindInMap with a DefaultValue");
    }
    for (const auto& m : v.members()) {
        // Loops at section level are checked with their section; these are inside properties.
        if (m.key.starts_with(for_each_prefix) && &v != m_template.document.find("Resources") &&
            &v != m_template.document.find("Outputs") && &v != m_template.document.find("Conditions")) {
            needs_language_extensions(m.key_position, "Fn::ForEach");
        }
        walk(m.value, in_rules);
    }
}

}  // namespace stackshift::cfn
