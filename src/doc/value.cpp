#include "doc/value.hpp"

#include <charconv>
#include <cmath>

namespace stackshift::doc {

std::string_view kind_name(Kind kind) {
    switch (kind) {
    case Kind::null: return "null";
    case Kind::boolean: return "boolean";
    case Kind::number: return "number";
    case Kind::string: return "string";
    case Kind::list: return "list";
    case Kind::map: return "map";
    }
    return "value";
}

Value Value::null(Position at) {
    Value v;
    v.m_position = at;
    return v;
}

Value Value::boolean(bool b, Position at) {
    Value v;
    v.m_kind = Kind::boolean;
    v.m_text = b ? "true" : "false";
    v.m_position = at;
    return v;
}

Value Value::number(std::string text, Position at) {
    Value v;
    v.m_kind = Kind::number;
    v.m_text = std::move(text);
    v.m_position = at;
    return v;
}

Value Value::string(std::string text, Position at) {
    Value v;
    v.m_kind = Kind::string;
    v.m_text = std::move(text);
    v.m_position = at;
    return v;
}

Value Value::list(Position at) {
    Value v;
    v.m_kind = Kind::list;
    v.m_position = at;
    return v;
}

Value Value::map(Position at) {
    Value v;
    v.m_kind = Kind::map;
    v.m_position = at;
    return v;
}

void Value::add(std::string key, Value value, Position key_position) {
    m_members.push_back(Member{std::move(key), key_position, std::move(value)});
}

const Value* Value::find(std::string_view key) const {
    for (const auto& member : m_members) {
        if (member.key == key) return &member.value;
    }
    return nullptr;
}

Value* Value::find(std::string_view key) {
    for (auto& member : m_members) {
        if (member.key == key) return &member.value;
    }
    return nullptr;
}

std::string_view Value::function_name() const {
    if (m_kind != Kind::map || m_members.size() != 1) return {};
    const std::string& key = m_members.front().key;
    if (key == "Ref" || key == "Condition" || key.starts_with("Fn::")) return key;
    return {};
}

const Value& Value::function_argument() const { return m_members.front().value; }

namespace {

std::optional<double> as_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    double out = 0;
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (*begin == '+') ++begin;
    auto [ptr, ec] = std::from_chars(begin, end, out);
    if (ec != std::errc() || ptr != end || !std::isfinite(out)) return std::nullopt;
    return out;
}

bool same_scalar(const Value& a, const Value& b) {
    if (a.text() == b.text()) return true;
    // "1.0" and 1 are the same number to CloudFormation; "01" and "1" as strings are not,
    // unless one side is typed as a number.
    if (a.kind() != Kind::number && b.kind() != Kind::number) return false;
    auto x = as_number(a.text());
    auto y = as_number(b.text());
    return x && y && *x == *y;
}

void append_display(std::string& out, const Value& v) {
    switch (v.kind()) {
    case Kind::null: out += "null"; return;
    case Kind::boolean:
    case Kind::number: out += v.text(); return;
    case Kind::string:
        out += '"';
        for (char c : v.text()) {
            if (c == '"' || c == '\\') out += '\\';
            if (c == '\n') { out += "\\n"; continue; }
            out += c;
        }
        out += '"';
        return;
    case Kind::list: {
        out += '[';
        bool first = true;
        for (const auto& item : v.items()) {
            if (!first) out += ", ";
            first = false;
            append_display(out, item);
        }
        out += ']';
        return;
    }
    case Kind::map: {
        out += '{';
        bool first = true;
        for (const auto& m : v.members()) {
            if (!first) out += ", ";
            first = false;
            out += '"' + m.key + "\": ";
            append_display(out, m.value);
        }
        out += '}';
        return;
    }
    }
}

// What a Fn::Sub comes to when it substitutes nothing, or nothing but one whole reference:
// its text with each "${!X}" escape read as "${X}", or the Ref or Fn::GetAtt the reference
// stands for. Anything else (text around a reference, a variable of its own map) stays a Sub.
std::optional<Value> plain_form_of_sub(const Value& v) {
    if (v.function_name() != "Fn::Sub") return std::nullopt;
    const Value& argument = v.function_argument();
    const Value* text = &argument;
    const Value* variables = nullptr;
    if (argument.is_list()) {
        if (argument.size() != 2 || !argument.items()[1].is_map()) return std::nullopt;
        text = &argument.items()[0];
        variables = &argument.items()[1];
    }
    if (!text->is_string()) return std::nullopt;
    const std::string& s = text->text();
    std::string literal;
    std::optional<std::string> reference;
    std::size_t at = 0;
    while (at < s.size()) {
        std::size_t open = s.find("${", at);
        if (open == std::string::npos) {
            literal.append(s, at, std::string::npos);
            break;
        }
        std::size_t close = s.find('}', open + 2);
        if (close == std::string::npos) return std::nullopt;  // not a Sub CloudFormation accepts
        literal.append(s, at, open - at);
        std::string_view inside(s.data() + open + 2, close - open - 2);
        if (inside.starts_with('!')) {
            literal += "${";
            literal += inside.substr(1);
            literal += '}';
        } else {
            bool whole = open == 0 && close + 1 == s.size();
            if (!whole || inside.empty() || (variables && variables->find(inside))) return std::nullopt;
            reference = std::string(inside);
        }
        at = close + 1;
    }
    if (!reference) return Value::string(std::move(literal), text->position());
    Value out = Value::map(v.position());
    std::size_t dot = reference->find('.');
    if (dot == std::string::npos) {
        out.add("Ref", Value::string(*reference, text->position()));
        return out;
    }
    Value pair = Value::list(text->position());
    pair.push_back(Value::string(reference->substr(0, dot), text->position()));
    pair.push_back(Value::string(reference->substr(dot + 1), text->position()));
    out.add("Fn::GetAtt", std::move(pair));
    return out;
}

}  // namespace

bool Value::same_as(const Value& other) const {
    if (same_shape_as(other)) return true;
    // Rare, and only where the trees differ: a Fn::Sub against what it substitutes to.
    if (auto plain = plain_form_of_sub(*this)) return plain->same_as(other);
    if (auto plain = plain_form_of_sub(other)) return same_as(*plain);
    return false;
}

bool Value::same_shape_as(const Value& other) const {
    bool scalar_a = is_scalar();
    bool scalar_b = other.is_scalar();
    if (scalar_a && scalar_b) {
        if (is_null() != other.is_null()) return false;
        return same_scalar(*this, other);
    }
    if (m_kind != other.m_kind) return false;
    if (m_kind == Kind::list) {
        if (m_items.size() != other.m_items.size()) return false;
        for (std::size_t i = 0; i < m_items.size(); ++i) {
            if (!m_items[i].same_as(other.m_items[i])) return false;
        }
        return true;
    }
    if (m_members.size() != other.m_members.size()) return false;
    for (const auto& member : m_members) {
        const Value* match = other.find(member.key);
        if (!match || !member.value.same_as(*match)) return false;
    }
    return true;
}

std::string Value::to_display() const {
    std::string out;
    append_display(out, *this);
    return out;
}

namespace {

std::string difference_at(const Value& a, const Value& b, const std::string& path) {
    auto where = [](Position p) { return std::to_string(p.line) + ":" + std::to_string(p.column); };
    if (a.kind() != b.kind()) return path + ": kind " + std::string(kind_name(a.kind())) + " vs " + std::string(kind_name(b.kind()));
    if (a.text() != b.text()) return path + ": text '" + a.text() + "' vs '" + b.text() + "'";
    if (!(a.position() == b.position())) return path + ": position " + where(a.position()) + " vs " + where(b.position());
    if (a.items().size() != b.items().size()) return path + ": list sizes differ";
    for (std::size_t i = 0; i < a.items().size(); ++i) {
        auto d = difference_at(a.items()[i], b.items()[i], path + "[" + std::to_string(i) + "]");
        if (!d.empty()) return d;
    }
    if (a.members().size() != b.members().size()) return path + ": map sizes differ";
    for (std::size_t i = 0; i < a.members().size(); ++i) {
        const auto& x = a.members()[i];
        const auto& y = b.members()[i];
        if (x.key != y.key) return path + ": key '" + x.key + "' vs '" + y.key + "'";
        if (!(x.key_position == y.key_position)) return path + "." + x.key + ": key position " + where(x.key_position) + " vs " + where(y.key_position);
        auto d = difference_at(x.value, y.value, path + "." + x.key);
        if (!d.empty()) return d;
    }
    return {};
}

}  // namespace

std::string first_difference(const Value& a, const Value& b) { return difference_at(a, b, "$"); }

}  // namespace stackshift::doc
