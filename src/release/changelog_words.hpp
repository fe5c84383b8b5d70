#pragma once
// The text layer of the changelog reader: a bullet cut into sentences and clauses, a clause
// cut into tokens (words, code spans, URLs, punctuation), and what a name looks like (a
// template id, a CloudFormation parameter, a value). The recognizers in changelog_sentences.cpp
// match phrasings against these tokens, never against raw lines.

#include <string>
#include <string_view>
#include <vector>

namespace stackshift::release::changelog_detail {

enum class TokenKind { word, code, url, punct };

struct Token {
    TokenKind kind = TokenKind::word;
    std::string text;   // as written (a code span without its backticks)
    std::string lower;  // ASCII lowercase of text

    bool is(std::string_view w) const { return kind == TokenKind::word && lower == w; }
    bool is_punct(std::string_view p) const { return kind == TokenKind::punct && text == p; }
};

using Tokens = std::vector<Token>;

// Sentences: cut after ".", "!", "?" or ";" followed by a space and a capital letter, a digit
// or a code span, never inside a code span or a URL. Each is trimmed.
std::vector<std::string> split_sentences(std::string_view text);

Tokens tokenize(std::string_view sentence);

// Clauses of a sentence: cut at ";" and where ", " or " and " is followed by a verb that starts
// a new change ("Removed `A` parameters, added `B` parameters instead").
std::vector<Tokens> split_clauses(const Tokens& tokens);

// A template id such as 2-5-db-timescale or 4-2a-configuration.
bool is_template_name(std::string_view text);

// A CloudFormation parameter as the changelog writes it in a code span: `ClusterID`,
// `NetworkOperationsCenter*`, `*RuntimePlatform`, `Include<Service>`.
bool is_parameter_name(std::string_view text);

// A parameter written without backticks: CamelCase with at least two humps (`AdminRightsAll`).
bool is_bare_parameter_name(std::string_view text);

// A name that reads like a resource rather than a parameter (`PluginsConfigBucket`).
bool looks_like_resource_name(std::string_view text);

// Whether a word is one of a set.
bool one_of(const Token& token, std::initializer_list<std::string_view> words);

// The index of the first token at or after `from` that is one of the words, or npos.
std::size_t find_word(const Tokens& tokens, std::initializer_list<std::string_view> words, std::size_t from = 0);

// Whether the tokens hold the phrase (lowercase words separated by single spaces) as
// consecutive words.
bool has_phrase(const Tokens& tokens, std::string_view phrase);
std::size_t find_phrase(const Tokens& tokens, std::string_view phrase, std::size_t from = 0);

// The lowercase words of the tokens joined by spaces, code spans as "`code`": for cues that
// are easier to find in running text.
std::string lowered(const Tokens& tokens);

// ASCII lowercase.
std::string to_lower(std::string_view text);

// Text trimmed of spaces.
std::string_view trim(std::string_view text);

}  // namespace stackshift::release::changelog_detail
