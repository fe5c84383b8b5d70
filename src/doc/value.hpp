#pragma once
// Value: one node of a loaded template, the same for YAML and JSON. Short-form YAML tags are
// turned into their long form on load (`!Ref X` becomes {"Ref": "X"}, `!GetAtt A.B` becomes
// {"Fn::GetAtt": ["A", "B"]}), so the rest of the engine sees one shape for each function.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace stackshift::doc {

enum class Kind : std::uint8_t { null, boolean, number, string, list, map };

std::string_view kind_name(Kind kind);

class Value;

struct Member;

class Value {
public:
    Value() = default;
    static Value null(Position at = {});
    static Value boolean(bool b, Position at = {});
    static Value number(std::string text, Position at = {});
    static Value string(std::string text, Position at = {});
    static Value list(Position at = {});
    static Value map(Position at = {});

    Kind kind() const { return m_kind; }
    Position position() const { return m_position; }
    void set_position(Position at) { m_position = at; }

    bool is_null() const { return m_kind == Kind::null; }
    bool is_scalar() const { return m_kind != Kind::list && m_kind != Kind::map; }
    bool is_string() const { return m_kind == Kind::string; }
    bool is_list() const { return m_kind == Kind::list; }
    bool is_map() const { return m_kind == Kind::map; }

    // The scalar's text: a string as is, a number as written, a boolean as "true"/"false",
    // null as "". This is how CloudFormation sees every scalar: as a string.
    const std::string& text() const { return m_text; }

    // List items.
    const std::vector<Value>& items() const { return m_items; }
    std::vector<Value>& items() { return m_items; }
    void push_back(Value item);

    // Map members in document order.
    const std::vector<Member>& members() const { return m_members; }
    std::vector<Member>& members() { return m_members; }
    void add(std::string key, Value value, Position key_position = {});

    // The member's value, or nullptr.
    const Value* find(std::string_view key) const;
    Value* find(std::string_view key);

    std::size_t size() const;

    // When this map is an intrinsic function ({"Ref": ...} or {"Fn::X": ...}, one key), its
    // name ("Ref", "Fn::GetAtt", "Condition"), else empty.
    std::string_view function_name() const;
    // The argument of the intrinsic function; only valid when function_name() is not empty.
    const Value& function_argument() const;

    // Equality as CloudFormation sees it: scalars compare as strings ("1" == 1, "true" ==
    // true), numbers also by numeric value ("1.0" == 1), lists in order, maps by key set; a
    // Fn::Sub that substitutes nothing equals its text ("${!X}" read as "${X}"), and one that
    // is a single reference equals it: "${P}" is {"Ref": "P"}, "${R.Attr}" is Fn::GetAtt [R, Attr].
    bool same_as(const Value& other) const;

    // Compact JSON-like text for messages and reports.
    std::string to_display() const;

private:
    // same_as without reading a Fn::Sub as what it substitutes to (at this level).
    bool same_shape_as(const Value& other) const;

    Kind m_kind = Kind::null;
    Position m_position;
    std::string m_text;
    std::vector<Value> m_items;
    std::vector<Member> m_members;
};

struct Member {
    std::string key;
    Position key_position;
    Value value;
};

// Defined here, where Member is complete: clang instantiates Value's moves at their use.
inline void Value::push_back(Value item) { m_items.push_back(std::move(item)); }
// The first place where two trees differ strictly (kind, text, position, keys, order), as
// "$.path: what differs", or "" when they are identical. For checks that two readers agree.
std::string first_difference(const Value& a, const Value& b);

inline std::size_t Value::size() const { return m_kind == Kind::list ? m_items.size() : m_members.size(); }

}  // namespace stackshift::doc
