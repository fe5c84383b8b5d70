#include "release/changelog_words.hpp"

#include <algorithm>
#include <cctype>

#include "core/template_id.hpp"

namespace stackshift::release::changelog_detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_upper(c) || is_lower(c) || is_digit(c); }

bool is_url_start(std::string_view text, std::size_t i) {
    std::string_view rest = text.substr(i);
    return rest.starts_with("http://") || rest.starts_with("https://");
}

std::size_t skip_url(std::string_view text, std::size_t i) {
    while (i < text.size() && !is_space(text[i])) ++i;
    return i;
}

// Where the code span opened by the backtick at `i` closes, or npos for a lone backtick.
std::size_t code_end(std::string_view text, std::size_t i) { return text.find('`', i + 1); }

// The word before position `end` (exclusive), for abbreviations such as "e.g.".
std::string_view word_before(std::string_view text, std::size_t end) {
    std::size_t start = end;
    while (start > 0 && !is_space(text[start - 1])) --start;
    return text.substr(start, end - start);
}

bool starts_sentence(char c) { return is_upper(c) || is_digit(c) || c == '`' || c == '(' || c == '*'; }

bool is_punct_char(char c) {
    return c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == '!' ||
           c == '?' || c == '"';
}

// One word starting at `i`: up to a space, punctuation or a backtick; a trailing full stop
// (or several) is cut off and returned as punctuation.
std::size_t read_word(std::string_view text, std::size_t i, Tokens& out) {
    std::size_t end = i;
    while (end < text.size() && !is_space(text[end]) && !is_punct_char(text[end]) && text[end] != '`') ++end;
    std::size_t word_end = end;
    while (word_end > i && (text[word_end - 1] == '.' || text[word_end - 1] == '\'')) --word_end;
    std::size_t word_start = i;
    while (word_start < word_end && text[word_start] == '\'') ++word_start;
    if (word_end > word_start) {
        std::string word(text.substr(word_start, word_end - word_start));
        out.push_back({TokenKind::word, word, to_lower(word)});
    }
    if (word_end < end && text[word_end] == '.') out.push_back({TokenKind::punct, ".", "."});
    return end == i ? i + 1 : end;
}

bool is_change_verb(const Token& t) {
    return one_of(t, {"add", "added", "adds", "remove", "removed", "removes", "rename", "renamed", "change",
                      "changed", "deprecate", "deprecated", "replace", "replaced", "delete", "deleted"});
}

}  // namespace

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::vector<std::string> split_sentences(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    std::size_t i = 0;
    auto cut = [&](std::size_t end) {
        std::string_view sentence = trim(text.substr(start, end - start));
        if (!sentence.empty()) out.emplace_back(sentence);
        start = end;
    };
    while (i < text.size()) {
        char c = text[i];
        if (c == '`') {
            std::size_t end = code_end(text, i);
            i = end == std::string_view::npos ? i + 1 : end + 1;
            continue;
        }
        if (is_url_start(text, i)) {
            i = skip_url(text, i);
            continue;
        }
        bool terminator = c == '.' || c == '!' || c == '?' || c == ';';
        if (terminator && i + 1 < text.size() && is_space(text[i + 1])) {
            std::size_t next = i + 1;
            while (next < text.size() && is_space(text[next])) ++next;
            std::string_view before = word_before(text, i + 1);
            bool abbreviation = before == "e.g." || before == "i.e." || before == "cf." || before == "vs.";
            if (next < text.size() && !abbreviation && (c == ';' || starts_sentence(text[next]))) {
                cut(i + 1);
                i = next;
                continue;
            }
        }
        ++i;
    }
    cut(text.size());
    return out;
}

Tokens tokenize(std::string_view sentence) {
    Tokens out;
    std::size_t i = 0;
    while (i < sentence.size()) {
        char c = sentence[i];
        if (is_space(c)) {
            ++i;
        } else if (c == '`') {
            std::size_t end = code_end(sentence, i);
            if (end == std::string_view::npos) {
                out.push_back({TokenKind::punct, "`", "`"});
                ++i;
                continue;
            }
            std::string code(trim(sentence.substr(i + 1, end - i - 1)));
            out.push_back({TokenKind::code, code, to_lower(code)});
            i = end + 1;
        } else if (is_url_start(sentence, i)) {
            std::size_t end = skip_url(sentence, i);
            std::string url(sentence.substr(i, end - i));
            out.push_back({TokenKind::url, url, to_lower(url)});
            i = end;
        } else if (sentence.substr(i).starts_with("->") || sentence.substr(i).starts_with("\xE2\x86\x92")) {
            out.push_back({TokenKind::punct, "->", "->"});
            i += sentence[i] == '-' ? 2 : 3;
        } else if (is_punct_char(c)) {
            out.push_back({TokenKind::punct, std::string(1, c), std::string(1, c)});
            ++i;
        } else {
            i = read_word(sentence, i, out);
        }
    }
    return out;
}

std::vector<Tokens> split_clauses(const Tokens& tokens) {
    std::vector<Tokens> out(1);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        bool next_is_verb = i + 1 < tokens.size() && is_change_verb(tokens[i + 1]);
        if (t.is_punct(";") || ((t.is_punct(",") || t.is("and")) && next_is_verb)) {
            if (!out.back().empty()) out.emplace_back();
            continue;
        }
        out.back().push_back(t);
    }
    if (out.back().empty() && out.size() > 1) out.pop_back();
    return out;
}

// A date such as 2021-09-17 parses as an id; a template's name always holds a letter.
bool is_template_name(std::string_view text) {
    auto id = TemplateId::parse(text);
    return id && std::any_of(id->name.begin(), id->name.end(), is_lower);
}

bool is_parameter_name(std::string_view text) {
    if (text.size() < 2) return false;
    std::size_t first_letter = text.find_first_not_of('*');
    if (first_letter == std::string_view::npos || !is_upper(text[first_letter])) return false;
    bool has_lower = false;
    for (char c : text) {
        if (!is_alnum(c) && c != '*' && c != '<' && c != '>') return false;
        has_lower = has_lower || is_lower(c);
    }
    return has_lower;
}

bool is_bare_parameter_name(std::string_view text) {
    if (text.size() < 4 || !is_upper(text.front())) return false;
    int uppers = 0;
    bool has_lower = false;
    for (char c : text) {
        if (!is_alnum(c)) return false;
        uppers += is_upper(c) ? 1 : 0;
        has_lower = has_lower || is_lower(c);
    }
    return uppers >= 2 && has_lower;
}

bool looks_like_resource_name(std::string_view text) {
    static constexpr std::string_view suffixes[] = {
        "Bucket", "BucketPolicy", "Role", "Policy", "Queue", "Topic", "Table", "Volume", "Instance", "LogGroup",
        "Group", "TaskDefinition", "Service", "Function", "Secret", "Secrets", "Alarm", "Rule", "Listener",
        "Distribution", "Certificate", "Record", "RecordSet", "Hook", "Cluster", "Zone", "HostedZone"};
    return std::any_of(std::begin(suffixes), std::end(suffixes), [&](std::string_view s) { return text.ends_with(s); });
}

bool one_of(const Token& token, std::initializer_list<std::string_view> words) {
    if (token.kind != TokenKind::word) return false;
    return std::find(words.begin(), words.end(), token.lower) != words.end();
}

std::size_t find_word(const Tokens& tokens, std::initializer_list<std::string_view> words, std::size_t from) {
    for (std::size_t i = from; i < tokens.size(); ++i) {
        if (one_of(tokens[i], words)) return i;
    }
    return std::string_view::npos;
}

std::size_t find_phrase(const Tokens& tokens, std::string_view phrase, std::size_t from) {
    std::vector<std::string_view> words;
    for (std::size_t start = 0; start <= phrase.size();) {
        std::size_t end = phrase.find(' ', start);
        if (end == std::string_view::npos) end = phrase.size();
        if (end > start) words.push_back(phrase.substr(start, end - start));
        start = end + 1;
    }
    if (words.empty()) return std::string_view::npos;
    for (std::size_t i = from; i + words.size() <= tokens.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < words.size() && match; ++k) match = tokens[i + k].is(words[k]);
        if (match) return i;
    }
    return std::string_view::npos;
}

bool has_phrase(const Tokens& tokens, std::string_view phrase) {
    return find_phrase(tokens, phrase) != std::string_view::npos;
}

std::string lowered(const Tokens& tokens) {
    std::string out;
    for (const auto& t : tokens) {
        if (!out.empty()) out += ' ';
        out += t.kind == TokenKind::code ? "`" + t.lower + "`" : t.lower;
    }
    return out;
}

}  // namespace stackshift::release::changelog_detail
