#pragma once
// What the sentence recognizers share: the reading of one entry (where its facts go, which
// parameter the value mappings that follow are about), the names a clause holds with the
// noun each is bound to, and one function per concern. changelog_sentences.cpp drives them;
// changelog_renames.cpp, changelog_parameters.cpp and changelog_lifecycle.cpp hold them.

#include <string>
#include <vector>

#include "release/changelog.hpp"
#include "release/changelog_scope.hpp"
#include "release/changelog_words.hpp"

namespace stackshift::release::changelog_detail {

// The fact that later value mappings ("Deployments that used value `a` should now choose
// `b`") complete: a parameter rename or a change of a parameter's values.
struct Subject {
    enum class Kind { none, rename, values } kind = Kind::none;
    std::size_t index = 0;  // into parameter_renames or parameter_changes
    int depth = 0;          // the entry it was read in; deeper entries still refer to it
};

// One entry being read.
struct Reading {
    const SectionScope& scope;
    Subject& subject;
    std::size_t& last_lifecycle;  // index of the last new template read in this entry, or npos
    int line = 0;
    std::string last_parameter = {};  // the parameter an earlier sentence of the entry named ("it")

    Origin origin() const { return {scope.version, line}; }
    Changelog& out() const { return *scope.out; }
};

// A name in a clause, with the noun that binds it ("the `X` parameter", "output `Y`").
struct Name {
    std::size_t at = 0;
    std::string text;
    std::string noun;  // "parameter", "resource", "output", ...; empty when none binds it
};

// Template ids the clause names, as written, in order.
std::vector<Name> template_names(const Tokens& clause);

// Parameter-like names of the clause (code spans; bare CamelCase words only when the clause
// speaks of parameters), each with its noun.
std::vector<Name> parameter_names(const Tokens& clause);

// Names that may be taken as parameters: bound to "parameter", or to nothing and not
// looking like a resource. `inferred` tells, per name, that no noun called it a parameter.
std::vector<Name> plausible_parameters(const Tokens& clause);

bool is_parameter_noun(const std::string& noun);

// The original words of tokens [from, to) as text, code spans in backticks.
std::string words_between(const Tokens& tokens, std::size_t from, std::size_t to);

// The recognizers. Each returns whether it understood the clause (and recorded its facts).
bool recognize_template_rename(const Tokens& clause, Reading& reading);
bool recognize_parameter_rename(const Tokens& clause, Reading& reading);
bool recognize_value_mapping(const Tokens& clause, Reading& reading);
bool recognize_parameter_values(const Tokens& clause, Reading& reading);
bool recognize_parameter_default(const Tokens& clause, Reading& reading);
bool recognize_parameter_added_removed(const Tokens& clause, Reading& reading);
bool recognize_lifecycle(const Tokens& clause, Reading& reading);

// Per sentence (changelog_directives.cpp): a sentence that tells deployments to set, choose or
// check something; and the parameter a sentence names, for the "it" of the next one.
bool recognize_directive(const Tokens& sentence, const std::string& text, Reading& reading);
void remember_parameter(const Tokens& sentence, Reading& reading);

}  // namespace stackshift::release::changelog_detail
