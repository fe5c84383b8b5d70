// Sentences that tell deployments to set, choose or check something: "must set `P` to `v`",
// "This must be `v` for all non-testing deployments", "it should be equal to `Domain`", "Make
// sure you enter the old value", "Deployments that used value `a` should now choose `b`",
// "Deployments created before this version ... must set", "You need to update ...". Read per
// sentence (a directive often spans clauses); the parameter is the one the sentence names, else
// the one the entry is about ("it", "this", "the old value"). Each directive gets a stable id,
// which the operator lists to acknowledge it when it is about no parameter.

#include <algorithm>

#include "release/changelog_recognizers.hpp"

namespace stackshift::release::changelog_detail {

namespace {

constexpr std::size_t npos = std::string_view::npos;

// The words that make a sentence a directive, most specific first.
constexpr std::string_view cues[] = {
    "should now choose", "should be equal to", "must be equal to", "should equal", "created before",
    "not valid for", "must set", "should set", "need to set", "needs to be set", "must be set", "make sure",
    "you must", "you need to", "needs to", "need to", "must",
};

std::string found_cue(const Tokens& sentence) {
    std::string text = " " + lowered(sentence) + " ";
    for (std::string_view cue : cues) {
        if (text.find(" " + std::string(cue) + " ") != std::string::npos) return std::string(cue);
    }
    return "";
}

// "equal to `Domain`", "same as `Domain`": the name is a reference, not the subject.
bool is_comparison(const Tokens& sentence, std::size_t at) {
    if (at >= 2 && sentence[at - 1].is("to") && one_of(sentence[at - 2], {"equal", "set"})) return true;
    return at >= 1 && one_of(sentence[at - 1], {"as", "than"});
}

std::vector<Name> subject_parameters(const Tokens& sentence) {
    std::vector<Name> out;
    for (auto& name : plausible_parameters(sentence))
        if (!is_comparison(sentence, name.at) || name.noun == "parameter") out.push_back(std::move(name));
    return out;
}

bool refers_back(const Tokens& sentence) {
    return find_word(sentence, {"it", "its", "this", "value"}) != npos;
}

// The parameter the entry speaks of: the rename or value change it read.
std::string subject_parameter(const Reading& reading) {
    const Changelog& out = reading.out();
    switch (reading.subject.kind) {
    case Subject::Kind::rename: return out.parameter_renames[reading.subject.index].to;
    case Subject::Kind::values: return out.parameter_changes[reading.subject.index].parameter;
    case Subject::Kind::none: break;
    }
    return "";
}

std::string parameter_of(const Tokens& sentence, const Reading& reading, bool mapping) {
    if (auto names = subject_parameters(sentence); !names.empty()) return names.front().text;
    if (!mapping && !refers_back(sentence)) return "";
    if (std::string subject = subject_parameter(reading); !subject.empty()) return subject;
    return mapping ? "" : reading.last_parameter;
}

// The value to set: "unset" is the empty value; else the first code span after the parameter
// (or after "be"/"to") that is no parameter name.
std::optional<std::string> value_of(const Tokens& sentence, const std::string& parameter) {
    if (find_word(sentence, {"unset", "empty"}) != npos) return std::string();
    std::size_t from = 0;
    for (std::size_t i = 0; i < sentence.size(); ++i)
        if (sentence[i].kind == TokenKind::code && sentence[i].text == parameter) from = i + 1;
    std::size_t verb = find_word(sentence, {"to", "be"}, from);
    if (verb == npos) return std::nullopt;
    for (std::size_t i = verb + 1; i < sentence.size(); ++i) {
        const Token& t = sentence[i];
        if (t.kind == TokenKind::code && !is_parameter_name(t.text) && !is_template_name(t.text)) return t.text;
        if (t.kind == TokenKind::punct && (t.text == ":" || t.text == ";")) break;
    }
    return std::nullopt;
}

std::string equal_to_of(const Tokens& sentence) {
    std::size_t at = find_phrase(sentence, "equal to");
    if (at == npos) at = find_phrase(sentence, "same as");
    if (at == npos) return "";
    for (std::size_t i = at + 2; i < sentence.size(); ++i)
        if (sentence[i].kind == TokenKind::code && is_parameter_name(sentence[i].text)) return sentence[i].text;
    return "";
}

// "Deployments created before this version", "... created before 3.30": the version.
std::optional<Version> created_before(const Tokens& sentence, const Reading& reading) {
    std::size_t at = find_phrase(sentence, "created before");
    if (at == npos) return std::nullopt;
    if (at + 3 < sentence.size() && sentence[at + 2].is("this") && sentence[at + 3].is("version"))
        return reading.scope.version;
    if (at + 2 < sentence.size()) {
        std::string word = sentence[at + 2].text;
        if (std::count(word.begin(), word.end(), '.') == 1) word += ".0";  // "3.30" is 3.30.0
        return Version::parse(word);
    }
    return std::nullopt;
}

// "if you deploy the Network Operations Center": up to the end of the clause it opens.
std::string condition_of(const Tokens& sentence) {
    std::size_t at = find_phrase(sentence, "if you");
    if (at == npos) at = find_phrase(sentence, "only if");
    if (at == npos) return "";
    std::size_t end = at;
    while (end < sentence.size() && !(sentence[end].kind == TokenKind::punct && sentence[end].text != "`")) ++end;
    return words_between(sentence, at, end);
}

// The template the sentence is about when it names exactly one ("When deploying `5-7a-certs-le`
// make sure ..."), else the section's.
std::string scope_of(const Tokens& sentence, const Reading& reading) {
    auto names = template_names(sentence);
    if (names.size() == 1 && names.front().text != reading.scope.this_template) return names.front().text;
    return reading.scope.scope;
}

// "3.17.2/5-1-ecs-cluster/you-need-to-update-the": version, scope and the sentence's first
// words, so that an edited sentence no longer matches an old acknowledgement.
std::string make_id(const Directive& d, const Tokens& sentence, const Changelog& out) {
    std::string slug;
    int words = 0;
    for (const Token& t : sentence) {
        if (t.kind != TokenKind::word || words == 5) continue;
        std::string word;
        for (char c : t.lower)
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) word += c;
        if (word.empty()) continue;
        slug += (slug.empty() ? "" : "-") + word;
        ++words;
    }
    std::string base = version_label(d.origin.version) + "/" + (d.scope.empty() ? "general" : d.scope) + "/" + slug;
    std::string id = base;
    for (int n = 2; std::any_of(out.directives.begin(), out.directives.end(),
                                [&](const Directive& other) { return other.id == id; });
         ++n)
        id = base + "-" + std::to_string(n);
    return id;
}

}  // namespace

bool recognize_directive(const Tokens& sentence, const std::string& text, Reading& reading) {
    std::string cue = found_cue(sentence);
    if (cue.empty()) return false;
    Directive d;
    d.text = text;
    d.cue = cue;
    d.origin = reading.origin();
    d.scope = scope_of(sentence, reading);
    bool mapping = cue == "should now choose";
    d.parameter = parameter_of(sentence, reading, mapping);
    d.created_before = created_before(sentence, reading);
    d.condition = condition_of(sentence);
    if (d.parameter.empty()) d.kind = DirectiveKind::check;
    else if (mapping) d.kind = DirectiveKind::mapping;
    else if (d.equal_to = equal_to_of(sentence); !d.equal_to.empty()) d.kind = DirectiveKind::equal_to;
    else if (d.value = value_of(sentence, d.parameter); d.value) d.kind = DirectiveKind::set;
    else d.kind = DirectiveKind::enter;
    d.id = make_id(d, sentence, reading.out());
    reading.out().directives.push_back(std::move(d));
    return true;
}

void remember_parameter(const Tokens& sentence, Reading& reading) {
    if (auto names = subject_parameters(sentence); !names.empty()) reading.last_parameter = names.front().text;
}

}  // namespace stackshift::release::changelog_detail
