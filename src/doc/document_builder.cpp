#include "doc/document_builder.hpp"

#include <array>
#include <optional>

#include "core/text.hpp"

namespace stackshift::doc {

namespace {

// Short forms CloudFormation accepts, and the long form each becomes.
struct ShortForm {
    std::string_view tag;
    std::string_view function;
};

constexpr std::array short_forms{
    ShortForm{"Ref", "Ref"},
    ShortForm{"Condition", "Condition"},
    ShortForm{"Sub", "Fn::Sub"},
    ShortForm{"GetAtt", "Fn::GetAtt"},
    ShortForm{"Join", "Fn::Join"},
    ShortForm{"If", "Fn::If"},
    ShortForm{"Equals", "Fn::Equals"},
    ShortForm{"Not", "Fn::Not"},
    ShortForm{"And", "Fn::And"},
    ShortForm{"Or", "Fn::Or"},
    ShortForm{"FindInMap", "Fn::FindInMap"},
    ShortForm{"Select", "Fn::Select"},
    ShortForm{"Split", "Fn::Split"},
    ShortForm{"Base64", "Fn::Base64"},
    ShortForm{"Cidr", "Fn::Cidr"},
    ShortForm{"ImportValue", "Fn::ImportValue"},
    ShortForm{"GetAZs", "Fn::GetAZs"},
    ShortForm{"Transform", "Fn::Transform"},
    // AWS::LanguageExtensions
    ShortForm{"Length", "Fn::Length"},
    ShortForm{"ToJsonString", "Fn::ToJsonString"},
    // Rule functions, for the Rules section
    ShortForm{"Contains", "Fn::Contains"},
    ShortForm{"EachMemberEquals", "Fn::EachMemberEquals"},
    ShortForm{"EachMemberIn", "Fn::EachMemberIn"},
    ShortForm{"RefAll", "Fn::RefAll"},
    ShortForm{"ValueOf", "Fn::ValueOf"},
    ShortForm{"ValueOfAll", "Fn::ValueOfAll"},
};

const ShortForm* find_short_form(std::string_view name) {
    for (const auto& form : short_forms) {
        if (form.tag == name) return &form;
    }
    return nullptr;
}

std::vector<std::string> known_tags() {
    std::vector<std::string> tags;
    for (const auto& form : short_forms) tags.push_back("!" + std::string(form.tag));
    return tags;
}

// "Resource.Attribute.Maybe.Dotted" as [Resource, Attribute.Maybe.Dotted]: the resource is up
// to the first dot. Every item stands where the text does.
std::optional<Value> split_get_att(const Value& text_value, Position at) {
    const std::string& text = text_value.text();
    auto dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
    Value list = Value::list(at);
    list.push_back(Value::string(text.substr(0, dot), at));
    list.push_back(Value::string(text.substr(dot + 1), at));
    return list;
}

constexpr std::string_view yaml_core_prefix = "tag:yaml.org,2002:";

// A map large enough that a linear duplicate check would cost more than a hash set.
constexpr std::size_t hashed_key_threshold = 16;

}  // namespace

bool is_short_form_function(std::string_view name) { return find_short_form(name) != nullptr; }

void DocumentBuilder::error(Position at, std::string message) {
    m_diagnostics.push_back(Diagnostic{m_file, at, std::move(message)});
}

bool DocumentBuilder::expecting_key() const {
    return !m_stack.empty() && m_stack.back().value.is_map() && !m_stack.back().have_key;
}

void DocumentBuilder::begin_map(Position at, std::string_view tag) {
    if (expecting_key()) error(at, "a mapping key must be a string, found a mapping");
    m_stack.push_back(Frame{Value::map(at), std::string(tag), false, {}, {}, {}});
}

void DocumentBuilder::begin_list(Position at, std::string_view tag) {
    if (expecting_key()) error(at, "a mapping key must be a string, found a list");
    m_stack.push_back(Frame{Value::list(at), std::string(tag), false, {}, {}, {}});
}

void DocumentBuilder::end_collection() {
    Frame frame = std::move(m_stack.back());
    m_stack.pop_back();
    Position at = frame.value.position();
    if (frame.value.is_map()) {
        std::string problem;
        normalize_map(frame.value, problem);
        if (!problem.empty()) error(frame.value.members().front().value.position(), std::move(problem));
    }
    attach(std::move(frame.value), frame.tag, at);
}

void DocumentBuilder::scalar(Value value, std::string_view tag) {
    if (expecting_key()) {
        Frame& frame = m_stack.back();
        if (!tag.empty()) error(value.position(), "a mapping key cannot carry the tag '" + std::string(tag) + "'");
        frame.key = value.text();
        frame.key_position = value.position();
        frame.have_key = true;
        return;
    }
    Position at = value.position();
    attach(std::move(value), tag, at);
}

void DocumentBuilder::alias(Value value) {
    if (expecting_key()) {
        if (!value.is_scalar()) error(value.position(), "a mapping key must be a string, found an alias to a collection");
        scalar(Value::string(value.text(), value.position()), {});
        return;
    }
    Position at = value.position();
    attach(std::move(value), {}, at);
}

Value DocumentBuilder::last_attached() const {
    if (m_stack.empty()) return m_root;
    const Value& parent = m_stack.back().value;
    if (parent.is_list()) return parent.items().empty() ? Value() : parent.items().back();
    return parent.members().empty() ? Value() : parent.members().back().value;
}

void DocumentBuilder::attach(Value value, std::string_view tag, Position at) {
    if (!tag.empty()) value = apply_tag(std::move(value), tag, at);
    if (m_stack.empty()) {
        m_root = std::move(value);
        m_has_root = true;
        return;
    }
    Frame& parent = m_stack.back();
    if (parent.value.is_list()) {
        parent.value.push_back(std::move(value));
        return;
    }
    if (!parent.have_key) {
        // A collection used as a key; the error was reported at its start.
        return;
    }
    add_member(parent, std::move(value));
}

void DocumentBuilder::add_member(Frame& frame, Value value) {
    auto& members = frame.value.members();
    bool duplicate = false;
    if (members.size() < hashed_key_threshold) {
        for (const auto& m : members) {
            if (m.key == frame.key) {
                duplicate = true;
                break;
            }
        }
        if (members.size() + 1 == hashed_key_threshold && !duplicate) {
            for (const auto& m : members) frame.seen.insert(m.key);
            frame.seen.insert(frame.key);
        }
    } else {
        duplicate = !frame.seen.insert(frame.key).second;
    }
    if (duplicate) {
        Position first;
        for (const auto& m : members) {
            if (m.key == frame.key) first = m.key_position;
        }
        error(frame.key_position, "duplicate key '" + frame.key + "' (first defined at line " +
                                      std::to_string(first.line) + ")");
    } else {
        frame.value.add(std::move(frame.key), std::move(value), frame.key_position);
    }
    frame.key.clear();
    frame.have_key = false;
}

Value DocumentBuilder::apply_tag(Value value, std::string_view tag, Position at) {
    std::string problem;
    Value out = tagged_value(std::move(value), tag, at, problem);
    if (!problem.empty()) error(at, std::move(problem));
    return out;
}

void normalize_map(Value& map, std::string& problem) {
    if (map.size() != 1) return;
    Member& only = map.members().front();
    if (only.key != "Fn::GetAtt" || !only.value.is_string()) return;
    auto list = split_get_att(only.value, only.value.position());
    if (!list) {
        problem = "Fn::GetAtt expects 'Resource.Attribute' or [Resource, Attribute], found " + quote(only.value.text());
        return;
    }
    only.value = std::move(*list);
}

Value tagged_value(Value value, std::string_view tag, Position at, std::string& problem) {
    if (tag.starts_with(yaml_core_prefix) || tag.starts_with("!!")) {
        std::string_view type = tag.starts_with("!!") ? tag.substr(2) : tag.substr(yaml_core_prefix.size());
        if (type == "str" && value.is_scalar()) return Value::string(value.text(), at);
        if ((type == "int" || type == "float") && value.is_scalar()) return Value::number(value.text(), at);
        if (type == "bool" && value.is_scalar()) return Value::boolean(value.text() == "true", at);
        if (type == "null" && value.is_scalar()) return Value::null(at);
        if ((type == "map" && value.is_map()) || (type == "seq" && value.is_list())) return value;
        problem = "unsupported YAML tag '" + std::string(tag) + "' here";
        return value;
    }
    std::string_view name = tag.starts_with("!") ? tag.substr(1) : tag;
    const ShortForm* form = find_short_form(name);
    if (form == nullptr) {
        auto tags = known_tags();
        problem = "unknown tag '" + std::string(tag) + "'" + did_you_mean(tag, tags) + "; CloudFormation knows " + join(tags, " ");
        return value;
    }
    if (form->tag == "GetAtt" && value.is_scalar()) {
        auto list = split_get_att(value, at);
        if (!list) {
            problem = "!GetAtt expects 'Resource.Attribute', found " + quote(value.text());
            return value;
        }
        value = std::move(*list);
    }
    if ((form->tag == "Ref" || form->tag == "Condition") && !value.is_scalar()) {
        problem = "!" + std::string(form->tag) + " expects a name, found a " + std::string(kind_name(value.kind()));
    }
    Value function = Value::map(at);
    function.add(std::string(form->function), std::move(value), at);
    return function;
}

}  // namespace stackshift::doc
