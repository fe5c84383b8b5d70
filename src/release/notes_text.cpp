#include "release/notes_text.hpp"

#include <algorithm>
#include <cctype>

namespace stackshift::release::notes_detail {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// What one shortcode stands for in the text: its quoted arguments, or the product name for
// the vendor's name shortcodes, or nothing (opening and closing tags of a block shortcode).
std::string shortcode_text(std::string_view inner) {
    inner = trim(inner);
    if (inner.starts_with('/')) return " ";
    if (inner.ends_with('/')) inner = trim(inner.substr(0, inner.size() - 1));
    auto first_quote = inner.find('"');
    auto last_quote = inner.rfind('"');
    if (first_quote != std::string_view::npos && last_quote > first_quote) {
        return " " + std::string(inner.substr(first_quote + 1, last_quote - first_quote - 1)) + " ";
    }
    std::string name = lower(inner.substr(0, inner.find(' ')));
    if (name == "tts") return "The Things Stack";
    return " ";
}

// Abbreviations after which a period ends no sentence.
bool ends_in_abbreviation(std::string_view before) {
    std::size_t start = before.size();
    while (start > 0 && (std::isalpha(static_cast<unsigned char>(before[start - 1])) || before[start - 1] == '.')) --start;
    std::string word = lower(before.substr(start));
    return word == "e.g" || word == "i.e" || word == "vs" || word == "ex" || word == "approx" || word == "incl" ||
           word == "cf";
}

bool word_char(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '/' || c == '$' || c == '{' || c == '}' || c >= 0x80;
}

// Dots and apostrophes join a word when a word character follows: "v3.19.2", "you're".
bool joins_word(std::string_view s, std::size_t at) {
    char c = s[at];
    return (c == '.' || c == '\'') && at + 1 < s.size() && std::isalnum(static_cast<unsigned char>(s[at + 1]));
}

Token make_word(std::string_view original) {
    Token t;
    t.original = std::string(original);
    t.word = lower(original);
    if (t.word.size() > 2 && t.word.ends_with("'s")) t.word.resize(t.word.size() - 2);
    if (t.word.size() > 4 && t.word.ends_with("\xE2\x80\x99s")) t.word.resize(t.word.size() - 4);  // ’s
    if (std::all_of(t.word.begin(), t.word.end(), [](char c) { return c == '-'; })) {
        t.punct = '-';  // a dash between words is punctuation
        t.word.clear();
    }
    return t;
}

}  // namespace

std::string strip_shortcodes(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        bool opens = text.compare(i, 3, "{{<") == 0 || text.compare(i, 3, "{{%") == 0;
        if (!opens) {
            out += text[i++];
            continue;
        }
        std::string_view close = text[i + 2] == '<' ? ">}}" : "%}}";
        auto end = text.find(close, i + 3);
        if (end == std::string_view::npos) {  // not a shortcode after all
            out += text[i++];
            continue;
        }
        out += shortcode_text(text.substr(i + 3, end - i - 3));
        i = end + 3;
    }
    // Shortcodes leave spaces behind; collapse runs so sentences read as written.
    std::string collapsed;
    collapsed.reserve(out.size());
    for (char c : out) {
        if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
        collapsed += c;
    }
    return std::string(trim(collapsed));
}

std::vector<std::string> split_sentences(std::string_view text) {
    std::vector<std::string> sentences;
    bool in_code = false;
    std::size_t start = 0;
    auto push = [&](std::size_t end) {
        auto s = trim(text.substr(start, end - start));
        if (!s.empty()) sentences.emplace_back(s);
        start = end;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '`') in_code = !in_code;
        if (in_code || (c != '.' && c != '!' && c != '?')) continue;
        bool at_break = i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1]));
        if (!at_break || (c == '.' && ends_in_abbreviation(text.substr(0, i)))) continue;
        push(i + 1);
    }
    push(text.size());
    return sentences;
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '`' || std::isspace(c)) {
            ++i;
            continue;
        }
        if (!word_char(c)) {
            Token t;
            t.punct = static_cast<char>(c);
            t.original = std::string(1, static_cast<char>(c));
            tokens.push_back(std::move(t));
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && (word_char(static_cast<unsigned char>(s[j])) || joins_word(s, j))) ++j;
        tokens.push_back(make_word(s.substr(i, j - i)));
        i = j;
    }
    return tokens;
}

std::optional<VersionSpec> version_word(const Token& token) {
    std::string_view w = token.word;
    if (w.starts_with('v')) w.remove_prefix(1);
    if (w.empty() || !std::isdigit(static_cast<unsigned char>(w.front()))) return std::nullopt;
    if (w.find('.') == std::string_view::npos) return std::nullopt;
    return VersionSpec::parse(w);
}

}  // namespace stackshift::release::notes_detail
