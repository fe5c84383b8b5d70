// The fast path for YAML: a recursive-descent reader for the part of YAML that templates use
// (block and flow collections, plain, quoted and block scalars, comments, tags), which builds
// Values directly. It is several times faster than libfyaml's events plus a builder, which
// is what gets a 500-resource template pair loaded and diffed within 10 ms.
//
// It never reports an error: on anything it does not handle exactly (anchors, multi-line
// plain or quoted scalars, complex keys, a second document, bad indentation, a duplicate key,
// an unknown tag, ...) it gives up, and read_yaml() reads the text again with libfyaml, which
// stays the reference for what YAML means and for every error message. A differential test
// and the fuzzer check that both readers build the same tree wherever the fast one succeeds.

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/text.hpp"
#include "doc/document_builder.hpp"
#include "doc/readers.hpp"

namespace stackshift::doc {

namespace {

// Thrown to abandon the fast path; caught once, in read_yaml_fast().
struct GiveUp {};

[[noreturn]] void give_up() { throw GiveUp{}; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// Same typing as the libfyaml path: the YAML 1.2 core schema.
bool core_int(std::string_view s) {
    auto digits = [](std::string_view d, std::string_view allowed) {
        if (d.empty()) return false;
        for (char c : d) {
            if (allowed.find(c) == std::string_view::npos) return false;
        }
        return true;
    };
    if (s.starts_with("0o")) return digits(s.substr(2), "01234567");
    if (s.starts_with("0x")) return digits(s.substr(2), "0123456789abcdefABCDEF");
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    return digits(s, "0123456789");
}

bool core_float(std::string_view s) {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
    std::size_t i = 0;
    std::size_t mantissa = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i, ++mantissa;
    }
    if (mantissa == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        std::size_t exponent = 0;
        while (i < s.size() && is_digit(s[i])) ++i, ++exponent;
        if (exponent == 0) return false;
    }
    return i == s.size();
}

Value typed_plain(std::string_view text, Position at) {
    if (text == "~" || text == "null" || text == "Null" || text == "NULL") return Value::null(at);
    if (text == "true" || text == "True" || text == "TRUE") return Value::boolean(true, at);
    if (text == "false" || text == "False" || text == "FALSE") return Value::boolean(false, at);
    if (text == ".nan" || text == ".NaN" || text == ".NAN" || core_int(text) || core_float(text))
        return Value::number(std::string(text), at);
    return Value::string(std::string(text), at);
}

// Whether the text is valid UTF-8 of printable YAML characters with \n or \r\n line breaks, without the ones that some
// YAML versions read as line breaks (NEL, LS, PS) or a byte order mark inside the text.
bool plain_printable_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
            // A carriage return alone is a line break to YAML; the fast path knows only \n and \r\n.
            if (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return false;
            ++i;
            continue;
        }
        std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (length == 0 || c > 0xF4 || i + length > text.size()) return false;
        std::uint32_t code = c & (0xFF >> (length + 1));
        for (std::size_t k = 1; k < length; ++k) {
            auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
        if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        if (code <= 0x9F || code == 0x2028 || code == 0x2029 || code == 0xFEFF || code == 0xFFFE || code == 0xFFFF) return false;
        i += length;
    }
    return true;
}

class FastYaml {
public:
    explicit FastYaml(std::string_view text) : m_text(text) {}

    Value document() {
        skip_blank_lines();
        if (at_end()) return Value::null(Position{1, 1});
        if (peek() == '%') give_up();
        if (at_marker("---")) {
            m_pos += 3;
            skip_spaces();
            if (!at_line_end()) give_up();  // content on the marker line
            skip_blank_lines();
            if (at_end()) give_up();  // an explicit empty document: leave it to libfyaml
        }
        if (indent() != 0) give_up();
        if (at_marker("...")) give_up();  // a document end marker: an empty document (fuzzer finding)
        Value root = block_node(-1);
        skip_blank_lines();
        if (!at_end()) give_up();  // "...", a second document, or content libfyaml must judge
        return root;
    }

private:
    // --- position and lines ---------------------------------------------------------------

    bool at_end() const { return m_pos >= m_text.size(); }
    char peek(std::size_t ahead = 0) const {
        return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
    }
    bool is_blank(char c) const { return c == ' ' || c == '\t'; }
    bool is_break(char c) const { return c == '\n' || c == '\r' || c == '\0'; }
    bool blank_or_break(char c) const { return is_blank(c) || is_break(c); }

    Position here() const {
        // libfyaml counts columns in characters: skip UTF-8 continuation bytes.
        std::uint32_t column = 1;
        for (std::size_t i = m_line_start; i < m_pos; ++i) {
            if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80) ++column;
        }
        return Position{m_line, column};
    }

    int indent() const { return static_cast<int>(m_pos - m_line_start); }

    bool at_marker(std::string_view marker) const {
        return m_pos == m_line_start && m_text.substr(m_pos, 3) == marker && blank_or_break(peek(3));
    }

    void skip_spaces() {
        while (peek() == ' ') ++m_pos;
        if (peek() == '\t') give_up();  // tabs near indentation: libfyaml decides
    }

    // At the end of the line's content: a line break, end of text, or a comment.
    bool at_line_end() const { return is_break(peek()) || peek() == '#'; }

    void next_line() {
        while (!at_end() && peek() != '\n') ++m_pos;
        if (!at_end()) ++m_pos;
        ++m_line;
        m_line_start = m_pos;
    }

    // Past blank and comment-only lines, to the first content character of the next line
    // that has content (or the end). Tabs in indentation are left to libfyaml.
    void skip_blank_lines() {
        while (!at_end()) {
            while (peek() == ' ') ++m_pos;
            if (peek() == '\t') give_up();
            if (peek() == '#' || peek() == '\n' || peek() == '\r') {
                if (peek() == '\r' && peek(1) != '\n') give_up();
                next_line();
                continue;
            }
            return;
        }
    }

    // The rest of the current line must be empty or a comment; then to the next content line.
    void end_line() {
        skip_spaces();
        if (peek() == '#' && m_pos > m_line_start && !is_blank(m_text[m_pos - 1])) give_up();
        if (!at_line_end()) give_up();
        skip_blank_lines();
    }

    // --- block structure ------------------------------------------------------------------

    // A node whose first character is the current one, at the start of its line's content,
    // more indented than its parent.
    Value block_node(int parent_indent) {
        int n = indent();
        if (n <= parent_indent) give_up();
        // Nesting is bounded as in the libfyaml path, which then reports it.
        if (n > static_cast<int>(DocumentBuilder::max_depth) * 2 || ++m_depth > DocumentBuilder::max_depth) give_up();
        struct Leave {
            std::size_t& depth;
            ~Leave() { --depth; }
        } leave{m_depth};
        if (at_sequence_entry()) return block_sequence(n);
        if (at_mapping_key()) return block_mapping(n);
        return inline_value(parent_indent);
    }

    bool at_sequence_entry() const { return peek() == '-' && blank_or_break(peek(1)); }

    // Whether the current line starts a `key: ...` entry (a plain or quoted key on one line).
    bool at_mapping_key() {
        std::size_t save = m_pos;
        bool key = false;
        char c = peek();
        if (c == '"' || c == '\'') {
            key = skip_quoted_on_line() && skip_spaces_peek_colon();
        } else if (can_start_plain(false)) {
            while (!at_end() && !is_break(peek())) {
                if (peek() == ':' && blank_or_break(peek(1))) {
                    key = true;
                    break;
                }
                if (peek() == '#' && is_blank(m_text[m_pos - 1])) break;
                ++m_pos;
            }
        }
        m_pos = save;
        return key;
    }

    bool skip_quoted_on_line() {
        char quote = peek();
        ++m_pos;
        while (!at_end() && !is_break(peek())) {
            if (quote == '\'' && peek() == '\'' && peek(1) == '\'') {
                m_pos += 2;
                continue;
            }
            if (quote == '"' && peek() == '\\') {
                m_pos += 2;
                continue;
            }
            if (peek() == quote) {
                ++m_pos;
                return true;
            }
            ++m_pos;
        }
        return false;
    }

    bool skip_spaces_peek_colon() {
        while (peek() == ' ') ++m_pos;
        return peek() == ':' && blank_or_break(peek(1));
    }

    Value block_mapping(int n) {
        Value map = Value::map(here());
        // Members gather on a shared stack and move into a vector of the exact size at the
        // end: no regrowth, no spare capacity (memory is most of the cost of a big template).
        std::size_t first = m_members.size();
        while (true) {
            Position key_at = here();
            bool quoted_key = peek() == '"' || peek() == '\'';
            std::string key = mapping_key();
            if (peek() != ':') give_up();
            ++m_pos;
            Value value = block_value(n, key_at);
            // libfyaml places the empty value of a quoted key elsewhere (fuzzer finding); such
            // a key without a value is no template's, so leave it to libfyaml.
            if (quoted_key && value.is_null() && value.position() == key_at) give_up();
            m_members.push_back(Member{std::move(key), key_at, std::move(value)});
            if (at_end()) break;
            int next = indent();
            if (next < n) break;
            if (next > n || at_marker("---") || at_marker("...")) give_up();
            if (!at_mapping_key()) give_up();
        }
        auto& members = map.members();
        members.reserve(m_members.size() - first);
        std::move(m_members.begin() + static_cast<std::ptrdiff_t>(first), m_members.end(), std::back_inserter(members));
        m_members.resize(first);
        check_unique_keys(map);
        normalize(map);
        return map;
    }

    std::string mapping_key() {
        char c = peek();
        std::string key;
        if (c == '"' || c == '\'') {
            key = quoted_text();
            while (peek() == ' ') ++m_pos;
            return key;
        }
        std::size_t start = m_pos;
        while (!(peek() == ':' && blank_or_break(peek(1)))) ++m_pos;
        std::size_t end = m_pos;
        while (end > start && m_text[end - 1] == ' ') --end;
        key.assign(m_text.substr(start, end - start));
        if (key == "<<" || key.find('\t') != std::string::npos) give_up();  // merge keys: libfyaml's business
        return key;
    }

    Value block_sequence(int n) {
        Value list = Value::list(here());
        std::size_t first = m_items.size();
        while (true) {
            ++m_pos;  // the '-'
            m_items.push_back(sequence_entry(n));
            if (at_end()) break;
            int next = indent();
            if (next < n) break;
            if (next > n || at_marker("---") || at_marker("...")) give_up();
            if (!at_sequence_entry()) break;  // a mapping key after a compact sequence value
        }
        auto& items = list.items();
        items.reserve(m_items.size() - first);
        std::move(m_items.begin() + static_cast<std::ptrdiff_t>(first), m_items.end(), std::back_inserter(items));
        m_items.resize(first);
        return list;
    }

    Value sequence_entry(int n) {
        skip_spaces();
        if (at_line_end()) {
            Value v = block_value_on_next_lines(n, false, Position{});
            if (v.is_null() && v.position().line == 0) give_up();  // an empty entry: rare, libfyaml's
            return v;
        }
        // A compact nested node on the entry's line: "- key: value" or "- - item".
        int column = indent();
        if (at_sequence_entry() || at_mapping_key()) return block_node(column - 1);
        return inline_value(n);
    }

    // The value after "key:" (the colon consumed). An empty value stands at its key, as
    // in the libfyaml path.
    Value block_value(int n, Position key_at) {
        skip_spaces();
        if (at_line_end()) return block_value_on_next_lines(n, true, key_at);
        return inline_value(n);
    }

    Value block_value_on_next_lines(int n, bool in_mapping, Position empty_at) {
        end_line();
        if (at_end()) return Value::null(empty_at);
        int next = indent();
        if (next > n && !at_marker("---") && !at_marker("...")) return block_node(n);
        // A sequence may sit at its key's own indentation.
        if (in_mapping && next == n && at_sequence_entry()) return block_sequence(n);
        return Value::null(empty_at);
    }

    // A value that starts on the current line after an indicator, with its properties.
    Value inline_value(int n) {
        char c = peek();
        if (c == '&' || c == '*' || c == '?' || c == '%' || c == '@' || c == '`') give_up();
        if (c == '!') {
            Position at = here();
            std::string tag = read_tag();
            skip_spaces();
            Value node;
            if (at_line_end()) {
                // The tagged node is on the following lines.
                end_line();
                if (at_end() || indent() <= n) give_up();
                // A second tag or an anchor there would belong to the same node: YAML allows one
                // of each, and libfyaml judges the rest.
                if (peek() == '!' || peek() == '&') give_up();
                node = block_node(n);
                // A tagged scalar on the next line is never typed; rare enough for libfyaml.
                if (node.is_scalar()) give_up();
            } else {
                if (peek() == '!' || peek() == '&') give_up();
                node = untagged_inline(n, /*tagged=*/true);
            }
            return apply(std::move(node), tag, at);
        }
        return untagged_inline(n, false);
    }

    Value untagged_inline(int n, bool tagged) {
        char c = peek();
        Value v;
        if (c == '[' || c == '{') {
            v = flow_node(0);
            end_line();
        } else if (c == '|' || c == '>') {
            return block_scalar(n);
        } else if (c == '"' || c == '\'') {
            Position at = here();
            v = Value::string(quoted_text(), at);
            end_line();
        } else if (c == '&' || c == '*' || c == '?' || c == '%' || c == '@' || c == '`' || c == '!') {
            give_up();
        } else {
            if (!can_start_plain(false)) give_up();
            Position at = here();
            std::string_view text = plain_text(false);
            v = tagged ? Value::string(std::string(text), at) : typed_plain(text, at);
            end_line();
        }
        // A continuation line (more indented than the parent) would extend a plain or quoted
        // scalar over several lines, or be an error: libfyaml knows which.
        if (!at_end() && indent() > n) give_up();
        return v;
    }

    Value apply(Value node, const std::string& tag, Position at) {
        // As in the libfyaml path, a tagged node starts at its tag.
        node.set_position(at);
        std::string problem;
        Value out = tagged_value(std::move(node), tag, at, problem);
        if (!problem.empty()) give_up();
        return out;
    }

    std::string read_tag() {
        std::size_t start = m_pos;
        ++m_pos;  // '!'
        if (peek() == '<') give_up();  // verbatim tags
        while (!at_end() && !blank_or_break(peek()) && !is_flow_indicator(peek())) ++m_pos;
        std::string tag(m_text.substr(start, m_pos - start));
        if (tag == "!" || tag == "!!") give_up();
        for (char c : tag.substr(tag.starts_with("!!") ? 2 : 1)) {
            if (c == '!') give_up();  // named handles (%TAG) are libfyaml's business
        }
        return tag;
    }

    // --- scalars --------------------------------------------------------------------------

    bool can_start_plain(bool in_flow) const {
        char c = peek();
        if (blank_or_break(c)) return false;
        if (c == '-' || c == '?' || c == ':') {
            char next = peek(1);
            return !blank_or_break(next) && !(in_flow && is_flow_indicator(next));
        }
        static constexpr std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";
        return indicators.find(c) == std::string_view::npos;
    }

    // A plain scalar on one line; stops before ": ", " #" and, in flow, flow indicators.
    std::string_view plain_text(bool in_flow) {
        std::size_t start = m_pos;
        while (!at_end() && !is_break(peek())) {
            char c = peek();
            if (c == ':' && (blank_or_break(peek(1)) || (in_flow && is_flow_indicator(peek(1))))) break;
            if (c == '#' && m_pos > start && is_blank(m_text[m_pos - 1])) break;
            if (in_flow && is_flow_indicator(c)) break;
            if (c == '\t') give_up();
            ++m_pos;
        }
        std::size_t end = m_pos;
        while (end > start && m_text[end - 1] == ' ') --end;
        if (!in_flow && peek() == ':' && blank_or_break(peek(1))) give_up();  // "a: b: c"
        if (peek() == '\r' && peek(1) != '\n') give_up();
        return m_text.substr(start, end - start);
    }

    std::string quoted_text() {
        char quote = peek();
        ++m_pos;
        std::string out;
        while (true) {
            if (at_end() || is_break(peek())) give_up();  // multi-line quoted scalars: libfyaml folds them
            char c = peek();
            if (c == quote) {
                if (quote == '\'' && peek(1) == '\'') {
                    out += '\'';
                    m_pos += 2;
                    continue;
                }
                ++m_pos;
                return out;
            }
            if (quote == '"' && c == '\\') {
                escape(out);
                continue;
            }
            out += c;
            ++m_pos;
        }
    }

    void escape(std::string& out) {
        ++m_pos;
        char e = peek();
        ++m_pos;
        switch (e) {
        case '0': out += '\0'; return;
        case 'a': out += '\a'; return;
        case 'b': out += '\b'; return;
        case 't': case '\t': out += '\t'; return;
        case 'n': out += '\n'; return;
        case 'v': out += '\v'; return;
        case 'f': out += '\f'; return;
        case 'r': out += '\r'; return;
        case 'e': out += '\x1b'; return;
        case ' ': out += ' '; return;
        case '"': out += '"'; return;
        case '/': out += '/'; return;
        case '\\': out += '\\'; return;
        case 'x': unicode(out, 2); return;
        case 'u': unicode(out, 4); return;
        case 'U': unicode(out, 8); return;
        default: give_up();  // \N, \_, \L, \P, line continuations and errors: libfyaml
        }
    }

    void unicode(std::string& out, int digits) {
        std::uint32_t code = 0;
        for (int i = 0; i < digits; ++i) {
            char c = peek();
            ++m_pos;
            code <<= 4;
            if (c >= '0' && c <= '9') code |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') code |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') code |= static_cast<std::uint32_t>(c - 'A' + 10);
            else give_up();
        }
        if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) give_up();
        append_utf8(out, code);
    }

    // "|" or ">" with an optional chomping indicator; explicit indentation is libfyaml's.
    Value block_scalar(int n) {
        // A block scalar as the whole document is no template, and libfyaml's rules for its
        // indentation there differ (fuzzer finding): leave it to libfyaml.
        if (n < 0) give_up();
        bool folded = peek() == '>';
        ++m_pos;
        char chomp = 'c';
        if (peek() == '-' || peek() == '+') {
            chomp = peek();
            ++m_pos;
        }
        if (is_digit(peek())) give_up();
        skip_spaces();
        if (peek() == '#' && !is_blank(m_text[m_pos - 1])) give_up();
        if (!at_line_end()) give_up();
        // To the start of the next line.
        while (!at_end() && peek() != '\n') ++m_pos;
        if (at_end()) give_up();
        ++m_pos;
        ++m_line;
        m_line_start = m_pos;
        // libfyaml marks a block scalar at the start of the line after its header; so do we,
        // so that both paths report the same places.
        Position at{m_line, 1};

        std::vector<std::string_view> lines;  // content lines, indentation removed; "" = empty
        int content_indent = -1;
        while (!at_end()) {
            std::size_t line_start = m_pos;
            std::size_t spaces = 0;
            while (m_pos < m_text.size() && m_text[m_pos] == ' ') ++m_pos, ++spaces;
            std::size_t end = m_pos;
            while (end < m_text.size() && m_text[end] != '\n') ++end;
            std::string_view rest = m_text.substr(m_pos, end - m_pos);
            if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
            if (rest.empty()) {
                // An empty line; spaces past the content's indentation would be content.
                if (content_indent >= 0 && static_cast<int>(spaces) > content_indent) give_up();
                if (content_indent < 0 && static_cast<int>(spaces) > n + 1) give_up();
                lines.emplace_back();
            } else {
                if (content_indent < 0) {
                    if (static_cast<int>(spaces) <= n) {
                        m_pos = line_start;
                        break;
                    }
                    content_indent = static_cast<int>(spaces);
                }
                if (static_cast<int>(spaces) < content_indent) {
                    m_pos = line_start;
                    break;
                }
                if (rest.front() == '\t') give_up();
                std::string_view text = m_text.substr(line_start + static_cast<std::size_t>(content_indent),
                                                      end - line_start - static_cast<std::size_t>(content_indent));
                if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
                if (folded && static_cast<int>(spaces) > content_indent) give_up();  // more-indented lines keep breaks
                lines.push_back(text);
            }
            m_pos = end;
            if (!at_end()) ++m_pos;
            ++m_line;
            m_line_start = m_pos;
            if (at_end()) break;
        }
        // The position is now at the start of the line after the scalar (or the end).
        std::size_t trailing = 0;
        while (!lines.empty() && lines.back().empty()) {
            lines.pop_back();
            ++trailing;
        }
        // An empty block scalar: readers disagree on what follows it (libfyaml is lenient).
        if (lines.empty()) give_up();
        std::string out;
        if (!folded) {
            for (std::size_t i = 0; i < lines.size(); ++i) {
                if (i > 0) out += '\n';
                out.append(lines[i]);
            }
        } else {
            // Folding: a single line break between two text lines becomes a space; k empty
            // lines between them become k line breaks; leading empty lines stay.
            bool seen_text = false;
            std::size_t empties = 0;
            for (auto line : lines) {
                if (line.empty()) {
                    ++empties;
                    continue;
                }
                if (!seen_text) out.append(empties, '\n');
                else if (empties == 0) out += ' ';
                else out.append(empties, '\n');
                out.append(line);
                seen_text = true;
                empties = 0;
            }
        }
        if (!lines.empty() && chomp != '-') out += '\n';
        if (chomp == '+') out.append(trailing, '\n');
        // Where the next content starts: leave the position at its first character.
        skip_blank_lines();
        if (!at_end() && indent() > n) give_up();
        return Value::string(std::move(out), at);
    }

    // --- flow collections -----------------------------------------------------------------

    void skip_flow_space() {
        while (!at_end()) {
            char c = peek();
            if (c == ' ') {
                ++m_pos;
            } else if (c == '\n') {
                next_line();
            } else if (c == '\r' && peek(1) == '\n') {
                ++m_pos;
            } else if (c == '#' && (m_pos == m_line_start || is_blank(m_text[m_pos - 1]))) {
                while (!at_end() && peek() != '\n') ++m_pos;
            } else if (c == '\t') {
                give_up();
            } else {
                return;
            }
        }
    }

    Value flow_node(int depth) {
        if (depth > static_cast<int>(DocumentBuilder::max_depth)) give_up();
        skip_flow_space();
        char c = peek();
        if (c == '!') {
            Position at = here();
            std::string tag = read_tag();
            skip_flow_space();
            if (peek() == '!' || peek() == ',' || peek() == ']' || peek() == '}') give_up();
            Value node = flow_untagged(depth, true);
            return apply(std::move(node), tag, at);
        }
        return flow_untagged(depth, false);
    }

    Value flow_untagged(int depth, bool tagged) {
        char c = peek();
        Position at = here();
        if (c == '[') {
            ++m_pos;
            Value list = Value::list(at);
            skip_flow_space();
            while (peek() != ']') {
                list.push_back(flow_node(depth + 1));
                skip_flow_space();
                if (peek() == ':') give_up();  // a single-pair mapping inside a sequence
                if (peek() == ',') {
                    ++m_pos;
                    skip_flow_space();
                } else if (peek() != ']') {
                    give_up();
                }
            }
            ++m_pos;
            return list;
        }
        if (c == '{') {
            ++m_pos;
            Value map = Value::map(at);
            skip_flow_space();
            while (peek() != '}') {
                Position key_at = here();
                std::string key = flow_key();
                skip_flow_space();
                if (peek() != ':') give_up();
                ++m_pos;
                if (!blank_or_break(peek()) && !is_flow_indicator(peek())) {
                    // "a:b" is a plain scalar in YAML; only quoted keys may be followed directly.
                    char before = m_text[m_pos - 2];
                    if (before != '"' && before != '\'') give_up();
                }
                skip_flow_space();
                if (peek() == ',' || peek() == '}') give_up();  // empty value: libfyaml
                map.add(std::move(key), flow_node(depth + 1), key_at);
                skip_flow_space();
                if (peek() == ',') {
                    ++m_pos;
                    skip_flow_space();
                } else if (peek() != '}') {
                    give_up();
                }
            }
            ++m_pos;
            check_unique_keys(map);
            normalize(map);
            return map;
        }
        if (c == '"' || c == '\'') return Value::string(quoted_text(), at);
        if (!can_start_plain(true)) give_up();
        std::string_view text = plain_text(true);
        if (text.empty()) give_up();
        // A plain scalar that runs on to the next line is folded by YAML: libfyaml does that.
        std::size_t save_pos = m_pos;
        std::uint32_t save_line = m_line;
        std::size_t save_start = m_line_start;
        skip_flow_space();
        char next = peek();
        bool continues = m_line != save_line && next != ',' && next != ']' && next != '}' && next != ':';
        m_pos = save_pos;
        m_line = save_line;
        m_line_start = save_start;
        if (continues || at_end()) give_up();
        return tagged ? Value::string(std::string(text), at) : typed_plain(text, at);
    }

    std::string flow_key() {
        char c = peek();
        if (c == '"' || c == '\'') return quoted_text();
        if (c == '!' || c == '[' || c == '{' || !can_start_plain(true)) give_up();
        std::string_view text = plain_text(true);
        if (text.empty()) give_up();
        return std::string(text);
    }

    // The shape DocumentBuilder gives the libfyaml path's maps; its errors are libfyaml's to report.
    static void normalize(Value& map) {
        std::string problem;
        normalize_map(map, problem);
        if (!problem.empty()) give_up();
    }

    // A duplicate key is an error: libfyaml's path reports it with both places.
    static void check_unique_keys(const Value& map) {
        const auto& members = map.members();
        if (members.size() < 2) return;
        if (members.size() <= 8) {
            for (std::size_t i = 0; i < members.size(); ++i) {
                for (std::size_t j = i + 1; j < members.size(); ++j) {
                    if (members[i].key == members[j].key) give_up();
                }
            }
            return;
        }
        std::vector<std::string_view> keys;
        keys.reserve(members.size());
        for (const auto& m : members) keys.emplace_back(m.key);
        std::sort(keys.begin(), keys.end());
        if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) give_up();
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::uint32_t m_line = 1;
    std::size_t m_line_start = 0;
    std::size_t m_depth = 0;
    std::vector<Member> m_members;  // members of the block mappings being read, innermost last
    std::vector<Value> m_items;     // items of the block sequences being read, innermost last
};

}  // namespace

std::optional<Value> read_yaml_fast(std::string_view text) {
    if (!plain_printable_utf8(text)) return std::nullopt;
    try {
        FastYaml reader(text);
        return reader.document();
    } catch (const GiveUp&) {
        return std::nullopt;
    }
}

}  // namespace stackshift::doc
