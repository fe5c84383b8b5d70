// Java's regular-expression syntax translated into PCRE2's, then compiled and matched by
// PCRE2 (the only file that includes it). The translation walks the pattern once: escapes
// and character classes are rewritten where the dialects differ, everything else is copied.

#define PCRE2_CODE_UNIT_WIDTH 8
#include "cfn/java_regex.hpp"

#include <pcre2.h>

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "core/text.hpp"

namespace stackshift::cfn {

namespace {

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
std::uint32_t hex_value(char c) {
    if (is_ascii_digit(c)) return static_cast<std::uint32_t>(c - '0');
    return static_cast<std::uint32_t>((c | 0x20) - 'a' + 10);
}

std::string code_point_item(std::uint32_t code) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string hex;
    do {
        hex.insert(hex.begin(), digits[code & 0xF]);
        code >>= 4;
    } while (code != 0);
    return "\\x{" + hex + "}";
}

// What a Java property (\p{Name}) stands for, as the content of a PCRE2 bracket.
struct PropertySet {
    std::string items;
    bool negated = false;  // the set is the complement of `items`
};

// Java's POSIX classes are US-ASCII only, as PCRE2's are without Unicode properties.
constexpr std::array<std::pair<std::string_view, std::string_view>, 13> posix_classes{{
    {"Lower", "lower"}, {"Upper", "upper"}, {"ASCII", "ascii"}, {"Alpha", "alpha"}, {"Digit", "digit"},
    {"Alnum", "alnum"}, {"Punct", "punct"}, {"Graph", "graph"}, {"Print", "print"}, {"Blank", "blank"},
    {"Cntrl", "cntrl"}, {"XDigit", "xdigit"}, {"Space", "space"},
}};

// java.lang.Character's classes and Java's aliases, as PCRE2 property names (or bracket items).
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> named_properties{{
    {"javaLowerCase", "\\p{Lowercase}"},
    {"javaUpperCase", "\\p{Uppercase}"},
    {"javaTitleCase", "\\p{Lt}"},
    {"javaDigit", "\\p{Nd}"},
    {"javaLetter", "\\p{L}"},
    {"javaLetterOrDigit", "\\p{L}\\p{Nd}"},
    {"javaAlphabetic", "\\p{Alphabetic}"},
    {"javaIdeographic", "\\p{Ideographic}"},
    {"javaSpaceChar", "\\p{Z}"},
    {"javaMirrored", "\\p{Bidi_Mirrored}"},
    {"javaISOControl", "\\x{00}-\\x{1F}\\x{7F}-\\x{9F}"},
    {"javaWhitespace",
     "\\t\\n\\x{0B}\\f\\r\\x{1C}-\\x{20}\\x{1680}\\x{2000}-\\x{2006}\\x{2008}-\\x{200A}\\x{2028}\\x{2029}\\x{205F}\\x{3000}"},
    {"LC", "\\p{Lu}\\p{Ll}\\p{Lt}"},
    {"LD", "\\p{L}\\p{Nd}"},
    {"L1", "\\x{00}-\\x{FF}"},
    {"all", "\\s\\S"},
    // Binary properties Java names differently from Unicode (written with or without "Is").
    {"Letter", "\\p{L}"},
    {"Punctuation", "\\p{P}"},
    {"Control", "\\p{Cc}"},
    {"Digit", "\\p{Nd}"},
    {"Titlecase", "\\p{Lt}"},
    {"WhiteSpace", "\\p{White_Space}"},
    {"HexDigit", "\\p{Hex_Digit}"},
    {"JoinControl", "\\p{Join_Control}"},
}};

// Java's identifier classes and its Unicode blocks have no PCRE2 counterpart.
bool is_unchecked_property(std::string_view name) {
    return name.starts_with("javaIdentifier") || name.starts_with("javaJavaIdentifier") ||
           name.starts_with("javaUnicodeIdentifier") || name == "javaDefined" || name.starts_with("In") ||
           name.starts_with("blk=") || name.starts_with("block=");
}

class Translator {
public:
    explicit Translator(std::string_view in) : m_in(in) {}

    JavaTranslation run() {
        while (!done()) {
            char c = m_in[m_pos];
            if (m_extended && c == '#') {
                comment();
            } else if (c == '\\') {
                escape_outside();
            } else if (c == '[') {
                m_out += character_class();
            } else if (c == '(') {
                group();
            } else if (c == ')') {
                if (!m_groups.empty()) {
                    m_extended = m_groups.back();
                    m_groups.pop_back();
                }
                m_out += c;
                ++m_pos;
            } else {
                m_out += c;
                ++m_pos;
            }
        }
        return JavaTranslation{std::move(m_out), m_status, std::move(m_problem)};
    }

private:
    bool done() const { return m_pos >= m_in.size() || m_status == PatternStatus::invalid; }
    char peek(std::size_t ahead = 0) const { return m_pos + ahead < m_in.size() ? m_in[m_pos + ahead] : '\0'; }

    void invalid(std::string why) {
        if (m_status == PatternStatus::invalid) return;
        m_status = PatternStatus::invalid;
        m_problem = std::move(why);
    }
    void unchecked(std::string why) {
        if (m_status != PatternStatus::valid) return;
        m_status = PatternStatus::unchecked;
        m_problem = std::move(why);
    }

    // In comments mode (?x) a '#' starts a comment to the end of the line; PCRE2 agrees.
    void comment() {
        while (m_pos < m_in.size() && m_in[m_pos] != '\n') m_out += m_in[m_pos++];
    }

    void group() {
        ++m_pos;  // '('
        m_groups.push_back(m_extended);
        if (peek() == '*') return invalid("dangling meta character '*'");  // PCRE2 would read a verb
        if (peek() != '?') {
            m_out += '(';
            return;
        }
        ++m_pos;
        char c = peek();
        if (c == ':' || c == '=' || c == '!' || c == '>') {
            m_out += "(?";
            m_out += c;
            ++m_pos;
            return;
        }
        if (c == '<') {
            if (peek(1) == '=' || peek(1) == '!') {
                m_out += "(?<";
                m_out += peek(1);
                m_pos += 2;
                return;
            }
            std::size_t start = ++m_pos;
            while (m_pos < m_in.size() && (is_ascii_alpha(m_in[m_pos]) || is_ascii_digit(m_in[m_pos]))) ++m_pos;
            std::string_view name = m_in.substr(start, m_pos - start);
            if (name.empty() || !is_ascii_alpha(name[0]) || peek() != '>') {
                return invalid("a group name must be a letter followed by letters or digits, closed by '>'");
            }
            ++m_pos;
            m_out += "(?<" + std::string(name) + ">";
            return;
        }
        inline_flags();
    }

    // (?idmsuxU-idmsuxU) and (?flags:X). PCRE2 knows i, m and s; Java's x also skips blanks
    // inside classes, PCRE2's xx; d (Unix lines), u (Unicode case) and U (Unicode classes)
    // only widen what matches, and are left out.
    void inline_flags() {
        std::string flags;
        bool on = true;
        bool extended = m_extended;
        while (m_pos < m_in.size() && (is_ascii_alpha(peek()) || peek() == '-')) {
            char f = m_in[m_pos++];
            if (f == '-') {
                on = false;
                flags += f;
                continue;
            }
            if (std::string_view("idmsuxU").find(f) == std::string_view::npos) {
                return invalid(std::string("unknown inline modifier '") + f + "'");
            }
            if (f == 'x') {
                extended = on;
                flags += "xx";
            } else if (f == 'i' || f == 'm' || f == 's') {
                flags += f;
            }
        }
        if (peek() == ')') {
            // Applies to the rest of the enclosing group.
            m_groups.pop_back();
            m_extended = extended;
            m_out += "(?" + flags + ")";
            ++m_pos;
            return;
        }
        if (peek() != ':') return invalid("unknown inline modifier '" + std::string(1, peek()) + "'");
        m_extended = extended;
        m_out += "(?" + flags + ":";
        ++m_pos;
    }

    void escape_outside() {
        if (m_pos + 1 >= m_in.size()) return invalid("unexpected end of the pattern after '\\'");
        char e = m_in[m_pos + 1];
        switch (e) {
        case 'Q': {
            // Quoted to \E (or the end): PCRE2 reads it alike.
            std::size_t end = m_in.find("\\E", m_pos + 2);
            end = end == std::string_view::npos ? m_in.size() : end + 2;
            m_out.append(m_in.substr(m_pos, end - m_pos));
            m_pos = end;
            return;
        }
        case 'p':
        case 'P': {
            auto set = property();
            if (set) m_out += std::string("[") + (set->negated ? "^" : "") + set->items + "]";
            return;
        }
        case 'N':
            if (peek(2) != '{') return invalid("illegal/unsupported escape sequence '\\N'");
            unchecked("the character name escape \\N{...}");
            skip_past('}');
            m_out += "[\\s\\S]";
            return;
        case 'b':
            m_pos += 2;
            if (peek() == '{') {
                unchecked("the grapheme boundary \\b{g}");
                skip_past('}');
            }
            m_out += "\\b";
            return;
        case 'k': {
            std::size_t end = m_in.find('>', m_pos);
            if (peek(2) != '<' || end == std::string_view::npos) return invalid("\\k is not followed by <name>");
            m_out.append(m_in.substr(m_pos, end + 1 - m_pos));
            m_pos = end + 1;
            return;
        }
        default: break;
        }
        if (is_ascii_digit(e) && e != '0') {
            // A back reference: PCRE2 reads the digits alike.
            m_out += '\\';
            ++m_pos;
            while (m_pos < m_in.size() && is_ascii_digit(m_in[m_pos])) m_out += m_in[m_pos++];
            return;
        }
        if (std::string_view("dDhHsSvVwWBAGZzRXE").find(e) != std::string_view::npos) {
            m_out.append(m_in.substr(m_pos, 2));
            m_pos += 2;
            return;
        }
        if (auto item = single_character()) m_out += *item;
    }

    // An escape or a literal that stands for one character, as a PCRE2 item; nullopt (and
    // invalid) for an escape Java does not know.
    std::optional<std::string> single_character() {
        if (peek() != '\\') return literal_character();
        char e = peek(1);
        m_pos += 2;
        switch (e) {
        case 't': return std::string("\\t");
        case 'n': return std::string("\\n");
        case 'r': return std::string("\\r");
        case 'f': return std::string("\\f");
        case 'a': return std::string("\\a");
        case 'e': return std::string("\\e");
        case 'c': {
            if (m_pos >= m_in.size()) return invalid("\\c is not followed by a control letter"), std::nullopt;
            return "\\c" + std::string(1, m_in[m_pos++]);
        }
        case 'x': return hex_escape();
        case 'u': return unicode_escape();
        case '0': return octal_escape();
        default: break;
        }
        if (is_ascii_alpha(e) || is_ascii_digit(e)) {
            invalid(std::string("illegal/unsupported escape sequence '\\") + e + "'");
            return std::nullopt;
        }
        // An escaped non-alphanumeric character is itself.
        --m_pos;
        return literal_character();
    }

    // One UTF-8 character as itself; ASCII punctuation escaped, which PCRE2 always reads as literal.
    std::string literal_character() {
        auto lead = static_cast<unsigned char>(peek());
        std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        std::string text(m_in.substr(m_pos, length));
        m_pos += length;
        if (length == 1 && !is_ascii_alpha(text[0]) && !is_ascii_digit(text[0]) && static_cast<unsigned char>(text[0]) > 0x20) {
            return "\\" + text;
        }
        return text;
    }

    std::optional<std::string> hex_escape() {
        std::uint32_t code = 0;
        if (peek() == '{') {
            std::size_t end = m_in.find('}', m_pos);
            if (end == std::string_view::npos || end == m_pos + 1) return invalid("unclosed hexadecimal escape sequence"), std::nullopt;
            for (std::size_t i = m_pos + 1; i < end; ++i) {
                if (!is_hex(m_in[i])) return invalid("illegal hexadecimal escape sequence"), std::nullopt;
                if (code > 0x10FFFF) break;
                code = code * 16 + hex_value(m_in[i]);
            }
            m_pos = end + 1;
        } else {
            if (!is_hex(peek()) || !is_hex(peek(1))) return invalid("illegal hexadecimal escape sequence"), std::nullopt;
            code = hex_value(peek()) * 16 + hex_value(peek(1));
            m_pos += 2;
        }
        if (code > 0x10FFFF) return invalid("hexadecimal codepoint is too big"), std::nullopt;
        return code_point_item(code);
    }

    std::optional<std::uint32_t> four_hex() {
        if (m_pos + 4 > m_in.size()) return std::nullopt;
        for (std::size_t i = 0; i < 4; ++i) {
            if (!is_hex(m_in[m_pos + i])) return std::nullopt;
        }
        std::uint32_t code = 0;
        for (std::size_t i = 0; i < 4; ++i) code = code * 16 + hex_value(m_in[m_pos + i]);
        m_pos += 4;
        return code;
    }

    // \uFFFF, and a surrogate pair \uD83D\uDE00 as the one character it encodes.
    std::optional<std::string> unicode_escape() {
        auto code = four_hex();
        if (!code) return invalid("illegal Unicode escape sequence"), std::nullopt;
        if (*code >= 0xD800 && *code <= 0xDBFF && peek() == '\\' && peek(1) == 'u') {
            std::size_t save = m_pos;
            m_pos += 2;
            auto low = four_hex();
            if (low && *low >= 0xDC00 && *low <= 0xDFFF) return code_point_item(0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00));
            m_pos = save;
        }
        return code_point_item(*code);
    }

    // \0n, \0nn, \0mnn with m at most 3.
    std::optional<std::string> octal_escape() {
        auto octal = [](char c) { return c >= '0' && c <= '7'; };
        if (!octal(peek())) return invalid("illegal octal escape sequence"), std::nullopt;
        std::uint32_t code = static_cast<std::uint32_t>(m_in[m_pos++] - '0');
        if (octal(peek())) {
            code = code * 8 + static_cast<std::uint32_t>(m_in[m_pos++] - '0');
            if (octal(peek()) && code < 040) code = code * 8 + static_cast<std::uint32_t>(m_in[m_pos++] - '0');
        }
        return code_point_item(code);
    }

    void skip_past(char end) {
        std::size_t at = m_in.find(end, m_pos);
        m_pos = at == std::string_view::npos ? m_in.size() : at + 1;
    }

    // \p{Name}, \P{Name}, \pL; m_pos at the backslash.
    std::optional<PropertySet> property() {
        bool negated = m_in[m_pos + 1] == 'P';
        m_pos += 2;
        std::string name;
        if (peek() == '{') {
            std::size_t end = m_in.find('}', m_pos);
            if (end == std::string_view::npos) return invalid("unclosed character family"), std::nullopt;
            name = std::string(m_in.substr(m_pos + 1, end - m_pos - 1));
            m_pos = end + 1;
        } else if (is_ascii_alpha(peek())) {
            name = std::string(1, m_in[m_pos++]);
        } else {
            return invalid("illegal character family"), std::nullopt;
        }
        if (name.empty()) return invalid("empty character family"), std::nullopt;
        return property_set(name, negated);
    }

    std::optional<PropertySet> property_set(std::string name, bool negated) {
        for (const auto& [java, posix] : posix_classes) {
            if (name == java) return PropertySet{"[:" + std::string(negated ? "^" : "") + std::string(posix) + ":]", false};
        }
        if (is_unchecked_property(name)) {
            unchecked("the character property \\p{" + name + "}");
            return PropertySet{"\\s\\S", false};
        }
        for (std::string_view prefix : {"Is", "general_category=", "gc=", "script=", "sc="}) {
            if (name.starts_with(prefix) && name.size() > prefix.size()) {
                name.erase(0, prefix.size());
                break;
            }
        }
        if (name == "Assigned") return PropertySet{negated ? "\\p{Cn}" : "\\P{Cn}", false};
        std::string squeezed;
        for (char c : name) {
            if (c != '_') squeezed += c;
        }
        for (const auto& [java, items] : named_properties) {
            if (name == java || squeezed == java) return PropertySet{std::string(items), negated};
        }
        if (name.find_first_of("\\[]{}") != std::string::npos) return invalid("unknown character property '" + name + "'"), std::nullopt;
        // Categories, scripts and Unicode binary properties: PCRE2 knows the names and refuses others.
        return PropertySet{std::string(negated ? "\\P{" : "\\p{") + name + "}", false};
    }

    // --- character classes ----------------------------------------------------------------

    // One operand of a class: items for one PCRE2 bracket, and nested classes (each a fragment
    // that matches one character) joined to it.
    struct Union {
        std::string items;
        std::vector<std::string> parts;
    };

    static std::string union_fragment(const Union& u) {
        std::vector<std::string> alternatives;
        if (!u.items.empty()) alternatives.push_back("[" + u.items + "]");
        alternatives.insert(alternatives.end(), u.parts.begin(), u.parts.end());
        if (alternatives.size() <= 1) return alternatives.empty() ? std::string() : alternatives.front();
        return "(?:" + join(alternatives, "|") + ")";
    }

    // A Java class at m_pos ('[') as a PCRE2 fragment that matches one character: a plain
    // bracket where one suffices, else unions as alternatives and intersections as lookaheads.
    std::string character_class() {
        if (++m_depth > max_class_depth) return invalid("character classes nested too deeply"), std::string();
        ++m_pos;
        bool negated = false;
        if (peek() == '^') {
            negated = true;
            ++m_pos;
        }
        std::vector<std::string> operands;
        Union current;
        bool first = true;
        while (true) {
            if (done()) {
                invalid("unclosed character class");
                return {};
            }
            char c = peek();
            if (c == ']' && !first) {
                ++m_pos;
                break;
            }
            first = false;
            if (c == '[') {
                current.parts.push_back(character_class());
            } else if (c == '&' && peek(1) == '&') {
                m_pos += 2;
                operands.push_back(union_fragment(current));
                current = Union{};
            } else if (m_extended && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\x0B')) {
                ++m_pos;  // comments mode skips blanks in classes too; PCRE2's xx agrees
            } else {
                class_item(current);
            }
        }
        --m_depth;
        bool simple = operands.empty() && current.parts.empty();
        operands.push_back(union_fragment(current));
        std::erase_if(operands, [](const std::string& o) { return o.empty(); });
        if (operands.empty()) return invalid("empty character class"), std::string();
        if (simple && negated) return "[^" + current.items + "]";
        std::string fragment = operands.back();
        if (operands.size() > 1) {
            std::string conjunction = "(?:";
            for (std::size_t i = 0; i + 1 < operands.size(); ++i) conjunction += "(?=" + operands[i] + ")";
            fragment = conjunction + fragment + ")";
        }
        if (negated) fragment = "(?:(?!" + fragment + ")[\\s\\S])";
        return fragment;
    }

    // One item of a class: a class escape, a property, a quoted run, a character or a range.
    void class_item(Union& u) {
        if (peek() == '\\') {
            char e = peek(1);
            if (std::string_view("dDwWsShHvV").find(e) != std::string_view::npos) {
                u.items.append(m_in.substr(m_pos, 2));
                m_pos += 2;
                return;  // a '-' after a class escape is a literal, as Java reads `[\w-\+]`
            }
            if (e == 'p' || e == 'P') {
                auto set = property();
                if (!set) return;
                if (set->negated) u.parts.push_back("[^" + set->items + "]");
                else u.items += set->items;
                return;
            }
            if (e == 'Q') {
                m_pos += 2;
                std::size_t end = m_in.find("\\E", m_pos);
                std::size_t stop = end == std::string_view::npos ? m_in.size() : end;
                while (m_pos < stop) u.items += literal_character();
                m_pos = end == std::string_view::npos ? m_in.size() : end + 2;
                return;
            }
            if (e == 'E') {
                m_pos += 2;
                return;
            }
            if (e == 'N' && peek(2) == '{') {
                unchecked("the character name escape \\N{...}");
                skip_past('}');
                u.items += "\\s\\S";
                return;
            }
            if (e == 'b') {
                m_pos += 2;
                u.items += "\\x{8}";
                return;
            }
        }
        auto from = single_character();
        if (!from) return;
        if (peek() == '-' && peek(1) != ']' && peek(1) != '[' && !(peek(1) == '&' && peek(2) == '&')) {
            std::size_t save = m_pos;
            ++m_pos;
            bool class_escape = peek() == '\\' && std::string_view("dDwWsShHvVpPQE").find(peek(1)) != std::string_view::npos;
            if (!class_escape) {
                auto to = single_character();
                if (!to) return;
                u.items += *from + "-" + *to;
                return;
            }
            m_pos = save;
        }
        u.items += *from;
    }

    static constexpr int max_class_depth = 32;

    std::string_view m_in;
    std::size_t m_pos = 0;
    std::string m_out;
    PatternStatus m_status = PatternStatus::valid;
    std::string m_problem;
    bool m_extended = false;    // comments mode (?x) is on
    std::vector<bool> m_groups;  // comments mode outside each open group
    int m_depth = 0;
};

// Backtracking bounds: a pathological pattern gives up rather than hang the plan.
constexpr std::uint32_t match_limit = 1'000'000;
constexpr std::uint32_t depth_limit = 10'000;

}  // namespace

JavaTranslation translate_java_regex(std::string_view pattern) { return Translator(pattern).run(); }

JavaRegex::JavaRegex(std::string_view pattern) {
    JavaTranslation translation = translate_java_regex(pattern);
    m_status = translation.status;
    m_problem = translation.problem;
    if (m_status == PatternStatus::invalid) return;
    std::unique_ptr<pcre2_compile_context, decltype(&pcre2_compile_context_free)> context(pcre2_compile_context_create(nullptr),
                                                                                          &pcre2_compile_context_free);
    // Java's line terminators (\n, \r, \r\n, NEL, LS, PS) end a line for '.', '^' and '$'.
    pcre2_set_newline(context.get(), PCRE2_NEWLINE_ANY);
    int error = 0;
    PCRE2_SIZE offset = 0;
    m_code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translation.pcre2.data()), translation.pcre2.size(),
                           PCRE2_UTF, &error, &offset, context.get());
    if (m_code == nullptr) {
        std::array<PCRE2_UCHAR, 256> message{};
        pcre2_get_error_message(error, message.data(), message.size());
        m_status = PatternStatus::invalid;
        m_problem = reinterpret_cast<const char*>(message.data());
    }
}

JavaRegex::~JavaRegex() { pcre2_code_free(m_code); }

std::optional<bool> JavaRegex::matches(std::string_view value) const {
    if (m_status != PatternStatus::valid || m_code == nullptr) return std::nullopt;
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(pcre2_match_data_create_from_pattern(m_code, nullptr),
                                                                             &pcre2_match_data_free);
    std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> context(pcre2_match_context_create(nullptr),
                                                                                      &pcre2_match_context_free);
    pcre2_set_match_limit(context.get(), match_limit);
    pcre2_set_depth_limit(context.get(), depth_limit);
    // Matcher.matches(): the whole value, start to end.
    int rc = pcre2_match(m_code, reinterpret_cast<PCRE2_SPTR>(value.data()), value.size(), 0,
                         PCRE2_ANCHORED | PCRE2_ENDANCHORED, data.get(), context.get());
    if (rc >= 0) return true;
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    return std::nullopt;
}

const JavaRegex& java_regex(std::string_view pattern) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<JavaRegex>, std::less<>> cache;
    std::lock_guard lock(mutex);
    auto found = cache.find(pattern);
    if (found == cache.end()) found = cache.emplace(std::string(pattern), std::make_unique<JavaRegex>(pattern)).first;
    return *found->second;
}

}  // namespace stackshift::cfn
