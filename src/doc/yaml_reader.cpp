// Reads YAML through libfyaml's event API (fast, and it gives every event's position) into
// the shared DocumentBuilder. Plain scalars are typed by the YAML 1.2 core schema, as
// CloudFormation reads them: `yes` and `on` stay strings.

#include <libfyaml.h>

#include <memory>
#include <optional>
#include <vector>
#include <unordered_map>

#include "doc/document_builder.hpp"
#include "doc/readers.hpp"

namespace stackshift::doc {

namespace {

Position position_of(const fy_mark* mark) {
    if (mark == nullptr) return {};
    return Position{static_cast<std::uint32_t>(mark->line + 1), static_cast<std::uint32_t>(mark->column + 1)};
}

bool is_digits(std::string_view s, std::string_view allowed) {
    if (s.empty()) return false;
    for (char c : s) {
        if (allowed.find(c) == std::string_view::npos) return false;
    }
    return true;
}

bool is_core_int(std::string_view s) {
    if (s.starts_with("0o")) return is_digits(s.substr(2), "01234567");
    if (s.starts_with("0x")) return is_digits(s.substr(2), "0123456789abcdefABCDEF");
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    return is_digits(s, "0123456789");
}

bool is_core_float(std::string_view s) {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
    // [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one digit in the mantissa.
    std::size_t i = 0;
    std::size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        std::size_t exponent = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exponent;
        if (exponent == 0) return false;
    }
    return i == s.size();
}

// The value of a plain scalar under the YAML 1.2 core schema.
Value plain_scalar(std::string text, Position at) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return Value::null(at);
    if (text == "true" || text == "True" || text == "TRUE") return Value::boolean(true, at);
    if (text == "false" || text == "False" || text == "FALSE") return Value::boolean(false, at);
    if (text == ".nan" || text == ".NaN" || text == ".NAN") return Value::number(std::move(text), at);
    if (is_core_int(text) || is_core_float(text)) return Value::number(std::move(text), at);
    return Value::string(std::move(text), at);
}

std::string tag_of(fy_event* event) {
    fy_token* token = fy_event_get_tag_token(event);
    if (token == nullptr) return {};
    size_t handle_length = 0;
    size_t suffix_length = 0;
    const char* handle = fy_tag_token_handle(token, &handle_length);
    const char* suffix = fy_tag_token_suffix(token, &suffix_length);
    std::string tag(handle ? handle : "", handle ? handle_length : 0);
    tag.append(suffix ? suffix : "", suffix ? suffix_length : 0);
    if (tag == "!") return {};  // the non-specific tag: a plain string
    return tag;
}

struct ParserDeleter {
    void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};

// Aliases copy their anchored node; a document that expands past this many nodes is an
// attack ("billion laughs"), not a template.
constexpr std::size_t max_alias_expansion = 1'000'000;

std::size_t node_count(const Value& v) {
    std::size_t n = 1;
    for (const auto& item : v.items()) n += node_count(item);
    for (const auto& m : v.members()) n += node_count(m.value);
    return n;
}

// libfyaml's messages arrive through this callback as "<input>:LINE:COLUMN: error: MESSAGE",
// followed by lines that show the source; the error lines are kept with their position.
// (Collecting them with fy_diag_set_collect_errors instead leaks in libfyaml 0.7.)
struct CapturedErrors {
    std::vector<std::pair<Position, std::string>> errors;
};

void capture_diagnostic(fy_diag*, void* user, const char* buffer, size_t length) {
    auto* captured = static_cast<CapturedErrors*>(user);
    std::string_view text(buffer, length);
    constexpr std::string_view marker = ": error: ";
    auto at = text.find(marker);
    if (at == std::string_view::npos) return;
    std::string_view message = text.substr(at + marker.size());
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.remove_suffix(1);
    // Walk back over ":COLUMN" and ":LINE".
    std::string_view head = text.substr(0, at);
    auto read_number = [&head]() -> std::uint32_t {
        auto colon = head.rfind(':');
        if (colon == std::string_view::npos) return 0;
        std::uint32_t n = 0;
        for (char c : head.substr(colon + 1)) {
            if (c < '0' || c > '9') return 0;
            n = n * 10 + static_cast<std::uint32_t>(c - '0');
        }
        head = head.substr(0, colon);
        return n;
    };
    std::uint32_t column = read_number();
    std::uint32_t line = read_number();
    captured->errors.emplace_back(Position{line, column}, std::string(message));
}

struct DiagDeleter {
    void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};


// libfyaml 0.7 refuses a tagged block scalar whose tag and indicator stand on a line of their
// own below the key ("Key:\n  !Sub |\n  text"), which YAML allows and other readers (and the
// fast path) accept. When libfyaml stops on the line after such a header, the header is
// rewritten in a copy of the text with the indicator where the tag began ("  |      "), a
// form libfyaml reads, and the tag is given back to the scalar whose header it is. Only the
// lines libfyaml stumbles on are touched: the same text inside a block scalar is content.
struct TagRepair {
    std::uint32_t header_line = 0;
    std::string tag;
    Position tag_at;
};

// Enough for any template; each repair costs a parse.
constexpr std::size_t max_tag_repairs = 64;

// The start of each line, so that line numbers find their text.
std::size_t line_offset(std::string_view text, std::uint32_t line) {
    std::size_t offset = 0;
    for (std::uint32_t l = 1; l < line; ++l) {
        offset = text.find('\n', offset);
        if (offset == std::string_view::npos) return offset;
        ++offset;
    }
    return offset;
}

std::optional<TagRepair> repair_tag_line(std::string& text, std::uint32_t error_line) {
    // The header is the nearest line above the error that is neither blank nor a comment.
    std::uint32_t line = error_line;
    std::size_t start = 0;
    std::string_view content;
    while (--line >= 1) {
        start = line_offset(text, line);
        if (start == std::string::npos) return std::nullopt;
        std::size_t end = text.find('\n', start);
        content = std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
        auto first = content.find_first_not_of(" \r");
        if (first != std::string_view::npos && content[first] != '#') break;
    }
    if (line == 0) return std::nullopt;
    std::size_t indent = content.find_first_not_of(' ');
    if (content[indent] != '!') return std::nullopt;
    std::size_t tag_end = content.find(' ', indent);
    if (tag_end == std::string_view::npos) return std::nullopt;
    // Verbatim tags and named handles stay libfyaml's to judge.
    std::string_view tag = content.substr(indent, tag_end - indent);
    if (tag.find('<') != std::string_view::npos || tag.find('!', tag.starts_with("!!") ? 2 : 1) != std::string_view::npos) return std::nullopt;
    std::size_t indicator = content.find_first_not_of(' ', tag_end);
    if (indicator == std::string_view::npos || (content[indicator] != '|' && content[indicator] != '>')) return std::nullopt;
    std::size_t indicator_end = indicator + 1;
    while (indicator_end < content.size() && std::string_view("-+0123456789").find(content[indicator_end]) != std::string_view::npos) ++indicator_end;
    std::string_view rest = content.substr(indicator_end);
    auto after = rest.find_first_not_of(" \r");
    if (after != std::string_view::npos && !(rest[after] == '#' && after > 0)) return std::nullopt;

    TagRepair repair{line, std::string(tag),
                     Position{line, static_cast<std::uint32_t>(indent + 1)}};
    std::string header(content.substr(indicator, indicator_end - indicator));
    std::string rewritten(indent, ' ');
    rewritten += header;
    rewritten.append(content.size() - rewritten.size(), ' ');
    text.replace(start, content.size(), rewritten);
    return repair;
}

}  // namespace

Result<Value> read_yaml(std::string_view text, const std::string& file) {
    if (auto fast = read_yaml_fast(text)) return std::move(*fast);
    return read_yaml_reference(text, file);
}

namespace {

// One libfyaml pass over `text`. `repairs` are tags the text had on their own line before a block
// scalar's indicator (see repair_tag_line); `error_line` is where libfyaml stopped, if it did.
Result<Value> read_events(std::string_view text, const std::string& file, const std::vector<TagRepair>& repairs,
                          std::uint32_t& error_line) {
    CapturedErrors captured;
    fy_diag_cfg diag_config;
    fy_diag_cfg_default(&diag_config);
    diag_config.fp = nullptr;
    diag_config.output_fn = capture_diagnostic;
    diag_config.user = &captured;
    diag_config.colorize = false;
    diag_config.show_source = false;
    diag_config.show_position = true;
    diag_config.show_type = true;
    diag_config.show_module = false;
    std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&diag_config));
    if (!diag) return fail(file, {}, "cannot create the YAML parser");
    fy_parse_cfg config{};
    config.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_JSON_NONE);
    config.diag = diag.get();
    // Declared after the diagnostics object, so destroyed before it.
    std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&config));
    if (!parser) return fail(file, {}, "cannot create the YAML parser");
    if (fy_parser_set_string(parser.get(), text.data(), text.size()) != 0) {
        return fail(file, {}, "cannot read the YAML text");
    }

    DocumentBuilder builder(file);
    std::unordered_map<std::string, Value> anchors;
    std::size_t expanded = 0;
    int documents = 0;
    Position last;
    bool failed = false;

    auto remember_anchor = [&](fy_event* event, const Value& value) {
        fy_token* anchor = fy_event_get_anchor_token(event);
        if (anchor == nullptr) return;
        size_t length = 0;
        const char* name = fy_token_get_text(anchor, &length);
        anchors[std::string(name, length)] = value;
    };
    // Anchors on collections are stored when the collection ends; keep the start events' names.
    std::vector<std::string> open_anchors;

    while (fy_event* event = fy_parser_parse(parser.get())) {
        // A tagged node starts at its tag: that is where a reader looks for `!GetAtt`.
        fy_token* tag_token = fy_event_get_tag_token(event);
        Position at = position_of(tag_token ? fy_token_start_mark(tag_token) : fy_event_start_mark(event));
        // An empty scalar has no mark of its own: it stands where the event before it does
        // (the key of "key:" with nothing after it).
        if (at.line == 0) at = last;
        last = at;
        switch (event->type) {
        case FYET_DOCUMENT_START:
            if (++documents > 1) builder.error(at, "a template holds one YAML document, found a second one");
            break;
        case FYET_MAPPING_START:
        case FYET_SEQUENCE_START: {
            std::string tag = tag_of(event);
            if (event->type == FYET_MAPPING_START) builder.begin_map(at, tag);
            else builder.begin_list(at, tag);
            fy_token* anchor = fy_event_get_anchor_token(event);
            size_t length = 0;
            const char* name = anchor ? fy_token_get_text(anchor, &length) : nullptr;
            open_anchors.push_back(name ? std::string(name, length) : std::string());
            if (builder.too_deep()) {
                builder.error(at, "nesting deeper than " + std::to_string(DocumentBuilder::max_depth) + " levels");
                failed = true;
            }
            break;
        }
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END: {
            std::string anchor = std::move(open_anchors.back());
            open_anchors.pop_back();
            builder.end_collection();
            if (!anchor.empty()) {
                // The finished collection is the last one attached; find it to remember it.
                // Anchored collections are rare in templates, so a lookup here is cheap enough.
                anchors[anchor] = builder.last_attached();
            }
            break;
        }
        case FYET_SCALAR: {
            fy_token* token = event->scalar.value;
            size_t length = 0;
            const char* chars = token ? fy_token_get_text(token, &length) : "";
            std::string value_text(chars ? chars : "", chars ? length : 0);
            std::string tag = tag_of(event);
            fy_scalar_style style = token ? fy_token_scalar_style(token) : FYSS_PLAIN;
            bool plain = style == FYSS_PLAIN;
            // libfyaml marks a quoted scalar after its opening quote; point at the quote.
            if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && tag.empty() && at.column > 1) --at.column;
            if ((style == FYSS_LITERAL || style == FYSS_FOLDED) && tag.empty()) {
                // A repaired block scalar gets back the tag that stood before its indicator.
                for (const auto& repair : repairs) {
                    if (repair.header_line + 1 == at.line) {
                        tag = repair.tag;
                        at = repair.tag_at;
                    }
                }
            }
            Value value = (plain && tag.empty() && !builder.expecting_key())
                              ? plain_scalar(std::move(value_text), at)
                              : Value::string(std::move(value_text), at);
            remember_anchor(event, value);
            builder.scalar(std::move(value), tag);
            break;
        }
        case FYET_ALIAS: {
            size_t length = 0;
            const char* name = fy_token_get_text(event->alias.anchor, &length);
            std::string key(name ? name : "", name ? length : 0);
            auto found = anchors.find(key);
            if (found == anchors.end()) {
                builder.error(at, "unknown alias '*" + key + "'");
                builder.scalar(Value::null(at), {});
                break;
            }
            expanded += node_count(found->second);
            if (expanded > max_alias_expansion) {
                builder.error(at, "aliases expand to more than " + std::to_string(max_alias_expansion) + " nodes");
                failed = true;
                break;
            }
            Value copy = found->second;
            copy.set_position(at);
            builder.alias(std::move(copy));
            break;
        }
        default:
            break;
        }
        fy_parser_event_free(parser.get(), event);
        if (failed) break;
    }
    if (!failed && fy_parser_get_stream_error(parser.get())) {
        if (!captured.errors.empty()) error_line = captured.errors.front().first.line;
        for (auto& [at, message] : captured.errors) builder.error(at, "invalid YAML: " + message);
        if (captured.errors.empty()) builder.error(last, "invalid YAML: syntax error");
        failed = true;
    }
    if (!builder.diagnostics().empty()) return Failure{std::move(builder.diagnostics())};
    if (!builder.has_root()) return Value::null(Position{1, 1});
    return builder.take_root();
}

}  // namespace

Result<Value> read_yaml_reference(std::string_view text, const std::string& file) {
    std::string repaired;
    std::string_view current = text;
    std::vector<TagRepair> repairs;
    while (true) {
        std::uint32_t error_line = 0;
        auto result = read_events(current, file, repairs, error_line);
        if (result || error_line == 0 || repairs.size() >= max_tag_repairs) return result;
        if (repaired.empty()) repaired.assign(text);
        auto repair = repair_tag_line(repaired, error_line);
        if (!repair) return result;
        repairs.push_back(std::move(*repair));
        current = repaired;
    }
}

}  // namespace stackshift::doc
