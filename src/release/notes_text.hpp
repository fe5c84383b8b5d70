#pragma once
// The text layer of the release-notes reader: Hugo shortcodes out, a block cut into sentences,
// and a sentence cut into lowercase words and punctuation, which is what the sentence
// classifier (notes_sentences.cpp) matches its phrasings against.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/version.hpp"

namespace stackshift::release::notes_detail {

// `{{< note "text" />}}` keeps its quoted text, `{{< note >}}` and `{{</ note >}}` go,
// `{{% tts %}}` becomes the product's name. Text without shortcodes comes back unchanged.
std::string strip_shortcodes(std::string_view text);

// The sentences of a block's text: cut after ".", "!" or "?" followed by a space, never
// inside a code span and never after "e.g." or "i.e.". Each is trimmed.
std::vector<std::string> split_sentences(std::string_view text);

// One word ("is-db", "v3.19.2", "you're"; lowercase, code-span backticks dropped, a trailing
// "'s" cut off) or one punctuation character.
struct Token {
    std::string word;      // empty for punctuation
    char punct = 0;        // the character, for punctuation
    std::string original;  // as written, for case-sensitive abbreviations ("IS database")

    bool is(std::string_view w) const { return word == w; }
    bool is_punct(char c) const { return word.empty() && punct == c; }
};

std::vector<Token> tokenize(std::string_view sentence);

// The version a word names: "v3.19.2", "3.19.2", "3.24" or "3.24.x"; nullopt for anything else.
std::optional<VersionSpec> version_word(const Token& token);

}  // namespace stackshift::release::notes_detail
