#pragma once
// Shared by the YAML and JSON readers: turns a parser's events into a Value tree, checks
// duplicate keys, and turns CloudFormation's short-form tags into their long forms.

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/diagnostic.hpp"
#include "doc/value.hpp"

namespace stackshift::doc {

class DocumentBuilder {
public:
    explicit DocumentBuilder(const std::string& file) : m_file(file) {}

    // `tag` is the tag as written ("!Ref", "!!str") or empty.
    void begin_map(Position at, std::string_view tag);
    void begin_list(Position at, std::string_view tag);
    void end_collection();
    void scalar(Value value, std::string_view tag);
    // An alias's copy of its anchored node, already in its final form.
    void alias(Value value);
    // A copy of the value attached last (for anchors on collections).
    Value last_attached() const;

    void error(Position at, std::string message);

    // Deeper nesting than any template needs; readers stop there rather than recurse on.
    static constexpr std::size_t max_depth = 200;
    bool too_deep() const { return m_stack.size() > max_depth; }

    // Whether a map is waiting for its key (the next scalar is a key).
    bool expecting_key() const;

    // The finished document; null when nothing was read.
    Value take_root() { return std::move(m_root); }
    Diagnostics& diagnostics() { return m_diagnostics; }
    bool has_root() const { return m_has_root; }

private:
    struct Frame {
        Value value;
        std::string tag;
        bool have_key = false;
        std::string key;
        Position key_position;
        std::unordered_set<std::string> seen;  // only filled for large maps
    };

    void attach(Value value, std::string_view tag, Position at);
    Value apply_tag(Value value, std::string_view tag, Position at);
    void add_member(Frame& frame, Value value);

    const std::string& m_file;
    std::vector<Frame> m_stack;
    Value m_root;
    bool m_has_root = false;
    Diagnostics m_diagnostics;
};

// The value a tag makes of a node: a short form becomes its long form, a core tag (!!str)
// retypes a scalar. An unknown tag or a misuse sets `problem` and returns the value as is.
Value tagged_value(Value value, std::string_view tag, Position at, std::string& problem);

// Gives a finished map the one shape later stages expect: {"Fn::GetAtt": "A.B"} (the string
// form JSON and long-form YAML allow) becomes {"Fn::GetAtt": ["A", "B"]}, as `!GetAtt A.B`
// does. A malformed string sets `problem`. Both YAML readers and the JSON reader call it.
void normalize_map(Value& map, std::string& problem);

// The CloudFormation functions that have a YAML short form, without the "!".
bool is_short_form_function(std::string_view name);

}  // namespace stackshift::doc
