// A strict JSON reader (RFC 8259) that keeps the line and column of every value, which
// general-purpose JSON libraries do not, so template errors can point at the place.

#include <cstring>

#include "core/text.hpp"
#include "doc/document_builder.hpp"
#include "doc/readers.hpp"

namespace stackshift::doc {

namespace {

class JsonReader {
public:
    JsonReader(std::string_view text, const std::string& file) : m_text(text), m_file(file), m_builder(file) {}

    Result<Value> read() {
        skip_space();
        if (at_end()) return fail(file(), here(), "invalid JSON: the file is empty, expected an object");
        if (!value()) return failure();
        skip_space();
        if (!at_end()) {
            error("invalid JSON: unexpected " + describe_here() + " after the end of the document");
            return failure();
        }
        if (!m_builder.diagnostics().empty()) return failure();
        return m_builder.take_root();
    }

private:
    const std::string& file() const { return m_file; }

    Failure failure() { return Failure{std::move(m_builder.diagnostics())}; }

    bool at_end() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }
    Position here() const { return Position{m_line, static_cast<std::uint32_t>(m_pos - m_line_start + 1)}; }

    void error(std::string message) { m_builder.error(here(), std::move(message)); }

    std::string describe_here() const {
        if (at_end()) return "end of file";
        char c = peek();
        if (static_cast<unsigned char>(c) < 0x20) return "control character";
        return std::string("'") + c + "'";
    }

    void skip_space() {
        while (!at_end()) {
            char c = peek();
            if (c == '\n') {
                ++m_line;
                m_line_start = ++m_pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                ++m_pos;
            } else {
                break;
            }
        }
    }

    bool value() {
        skip_space();
        if (at_end()) {
            error("invalid JSON: unexpected end of file, expected a value");
            return false;
        }
        Position at = here();
        char c = peek();
        if (c == '{') return object(at);
        if (c == '[') return array(at);
        if (c == '"') {
            std::string s;
            if (!string(s)) return false;
            m_builder.scalar(Value::string(std::move(s), at), {});
            return true;
        }
        if (c == '-' || (c >= '0' && c <= '9')) return number(at);
        if (literal("true")) return m_builder.scalar(Value::boolean(true, at), {}), true;
        if (literal("false")) return m_builder.scalar(Value::boolean(false, at), {}), true;
        if (literal("null")) return m_builder.scalar(Value::null(at), {}), true;
        error("invalid JSON: unexpected " + describe_here() + ", expected a value");
        return false;
    }

    bool literal(std::string_view word) {
        if (m_text.substr(m_pos, word.size()) != word) return false;
        m_pos += word.size();
        return true;
    }

    bool object(Position at) {
        ++m_pos;
        m_builder.begin_map(at, {});
        if (m_builder.too_deep()) {
            error("nesting deeper than " + std::to_string(DocumentBuilder::max_depth) + " levels");
            return false;
        }
        skip_space();
        if (!at_end() && peek() == '}') {
            ++m_pos;
            m_builder.end_collection();
            return true;
        }
        while (true) {
            skip_space();
            if (at_end() || peek() != '"') {
                error("invalid JSON: unexpected " + describe_here() + ", expected a quoted key");
                return false;
            }
            Position key_at = here();
            std::string key;
            if (!string(key)) return false;
            m_builder.scalar(Value::string(std::move(key), key_at), {});
            skip_space();
            if (at_end() || peek() != ':') {
                error("invalid JSON: unexpected " + describe_here() + ", expected ':' after the key");
                return false;
            }
            ++m_pos;
            if (!value()) return false;
            skip_space();
            if (!at_end() && peek() == ',') {
                ++m_pos;
                continue;
            }
            if (!at_end() && peek() == '}') {
                ++m_pos;
                m_builder.end_collection();
                return true;
            }
            error("invalid JSON: unexpected " + describe_here() + ", expected ',' or '}'");
            return false;
        }
    }

    bool array(Position at) {
        ++m_pos;
        m_builder.begin_list(at, {});
        if (m_builder.too_deep()) {
            error("nesting deeper than " + std::to_string(DocumentBuilder::max_depth) + " levels");
            return false;
        }
        skip_space();
        if (!at_end() && peek() == ']') {
            ++m_pos;
            m_builder.end_collection();
            return true;
        }
        while (true) {
            if (!value()) return false;
            skip_space();
            if (!at_end() && peek() == ',') {
                ++m_pos;
                continue;
            }
            if (!at_end() && peek() == ']') {
                ++m_pos;
                m_builder.end_collection();
                return true;
            }
            error("invalid JSON: unexpected " + describe_here() + ", expected ',' or ']'");
            return false;
        }
    }

    bool number(Position at) {
        std::size_t start = m_pos;
        if (peek() == '-') ++m_pos;
        auto digits = [&] {
            std::size_t n = 0;
            while (!at_end() && peek() >= '0' && peek() <= '9') ++m_pos, ++n;
            return n;
        };
        if (!at_end() && peek() == '0') {
            ++m_pos;
        } else if (digits() == 0) {
            error("invalid JSON: malformed number");
            return false;
        }
        if (!at_end() && peek() == '.') {
            ++m_pos;
            if (digits() == 0) {
                error("invalid JSON: malformed number, expected digits after '.'");
                return false;
            }
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++m_pos;
            if (!at_end() && (peek() == '+' || peek() == '-')) ++m_pos;
            if (digits() == 0) {
                error("invalid JSON: malformed number, expected digits in the exponent");
                return false;
            }
        }
        m_builder.scalar(Value::number(std::string(m_text.substr(start, m_pos - start)), at), {});
        return true;
    }

    bool hex4(std::uint32_t& code) {
        if (m_pos + 4 > m_text.size()) return false;
        code = 0;
        for (int i = 0; i < 4; ++i) {
            char c = m_text[m_pos++];
            code <<= 4;
            if (c >= '0' && c <= '9') code |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') code |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') code |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return false;
        }
        return true;
    }

    bool string(std::string& out) {
        ++m_pos;  // opening quote
        while (true) {
            std::size_t run = m_pos;
            while (run < m_text.size() && m_text[run] != '"' && m_text[run] != '\\' &&
                   static_cast<unsigned char>(m_text[run]) >= 0x20) {
                ++run;
            }
            out.append(m_text.substr(m_pos, run - m_pos));
            m_pos = run;
            if (at_end()) {
                error("invalid JSON: unterminated string");
                return false;
            }
            char c = peek();
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c != '\\') {
                error("invalid JSON: control character in a string; escape it");
                return false;
            }
            ++m_pos;
            if (at_end()) {
                error("invalid JSON: unterminated string");
                return false;
            }
            char e = m_text[m_pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t code = 0;
                if (!hex4(code)) {
                    error("invalid JSON: malformed \\u escape");
                    return false;
                }
                if (code >= 0xD800 && code <= 0xDBFF && m_text.substr(m_pos, 2) == "\\u") {
                    m_pos += 2;
                    std::uint32_t low = 0;
                    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                        error("invalid JSON: malformed surrogate pair");
                        return false;
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                }
                append_utf8(out, code);
                break;
            }
            default:
                --m_pos;
                error(std::string("invalid JSON: unknown escape '\\") + e + "'");
                return false;
            }
        }
    }

    std::string_view m_text;
    const std::string& m_file;
    DocumentBuilder m_builder;
    std::size_t m_pos = 0;
    std::uint32_t m_line = 1;
    std::size_t m_line_start = 0;
};

}  // namespace

Result<Value> read_json(std::string_view text, const std::string& file) {
    JsonReader reader(text, file);
    return reader.read();
}

}  // namespace stackshift::doc
