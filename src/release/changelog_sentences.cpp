// Drives the sentence recognizers over a section's entries: each entry is cut into sentences
// and clauses, each clause is offered to the recognizers in turn, a sentence addressed to the
// operator is kept as advice, and a sentence nobody understood that names a template, a
// parameter or an action is kept as unrecognized. Also the name helpers the recognizers share.

#include "release/changelog_sentences.hpp"

#include <algorithm>

#include "release/changelog_recognizers.hpp"

namespace stackshift::release::changelog_detail {

namespace {

constexpr std::size_t npos = std::string_view::npos;

const std::initializer_list<std::string_view> nouns = {
    "parameter", "parameters", "resource", "resources", "output", "outputs", "export", "exports",
    "group", "groups", "bucket", "buckets", "service", "services", "template", "templates",
    "stack", "stacks", "option", "options", "variable", "variables", "header", "headers",
    "section", "family", "image", "images", "command", "file", "files", "attribute", "attributes",
    "metric", "metrics", "setting", "settings", "policy", "role", "secret", "certificate",
    "aggregation", "rule", "rules", "extension", "encoding", "volume", "volumes", "record", "records"};

// Words that may stand between a noun and the names it binds.
bool is_filler(const Token& t) { return one_of(t, {"the", "a", "new", "optional", "missing", "two", "additional"}); }

bool is_joiner(const Token& t) { return t.is_punct(",") || one_of(t, {"and", "or"}); }

// Product words that look like CamelCase parameters but are none.
bool is_product_word(const Token& t) {
    return one_of(t, {"cloudformation", "timescaledb", "postgresql", "lorawan", "lorawan®", "openid", "elasticache",
                      "github", "dynamodb", "mysql", "graviton2", "packetbroker", "thethingsstack", "networkserver",
                      "applicationserver", "gatewayserver", "joinserver"});
}

// The noun binding the run of names that holds position `at`: before the run, or after it.
std::string binding_noun(const Tokens& clause, std::size_t at, auto is_name) {
    std::size_t start = at;
    while (start >= 2 && is_joiner(clause[start - 1]) && is_name(clause[start - 2])) start -= 2;
    std::size_t end = at;
    while (end + 2 < clause.size() && is_joiner(clause[end + 1]) && is_name(clause[end + 2])) end += 2;
    if (end + 3 < clause.size() && is_joiner(clause[end + 1]) && is_joiner(clause[end + 2]) && is_name(clause[end + 3])) {
        end += 3;
    }
    std::size_t before = start;
    while (before > 0 && is_filler(clause[before - 1])) --before;
    if (before > 0 && one_of(clause[before - 1], nouns)) return clause[before - 1].lower;
    std::size_t after = end + 1;
    while (after < clause.size() && (is_filler(clause[after]) || clause[after].is_punct(","))) ++after;
    if (after < clause.size() && one_of(clause[after], nouns)) return clause[after].lower;
    return "";
}

bool mentions_parameters(const Tokens& clause) { return find_word(clause, {"parameter", "parameters"}) != npos; }

// Sentences addressed to the operator.
std::optional<AdviceKind> advice_kind(const Tokens& sentence) {
    std::string text = " " + lowered(sentence) + " ";
    for (std::string_view cue : {" not backwards compatible", " not compatible", " incompatible", " replacement",
                                 " forces replacement", " will not apply", " does not apply", " retroactively",
                                 " data loss", " downtime", " not be used", " breaking", " reworked", " rewritten", " redesigned",
                                 " restructured"}) {
        if (text.find(cue) != std::string::npos) return AdviceKind::warning;
    }
    for (std::string_view cue : {" make sure", " please ", " ensure", " you need", " you must", " you should", " must ",
                                 " should ", " need to", " needs to", " do not ", " don't", " before updating",
                                 " before update", " before upgrading", " before deploying", " keep this", " manually",
                                 " manual ", " consider", " we recommend", " refer to", " is required", " are required",
                                 " requires"}) {
        if (text.find(cue) != std::string::npos) return AdviceKind::instruction;
    }
    if (!sentence.empty() && one_of(sentence.front(), {"delete", "download", "recreate", "log", "ensure", "make", "turn"})) {
        return AdviceKind::instruction;
    }
    return std::nullopt;
}

bool says_before_update(const Tokens& sentence) {
    std::string text = lowered(sentence);
    for (std::string_view cue : {"before updating", "before update", "before upgrading", "before deploying",
                                 "needs to be deployed before", "must be deployed before", "first"}) {
        if (text.find(cue) != std::string::npos) return true;
    }
    return false;
}

// Why a sentence nobody understood looks like it matters, or "" when it does not.
std::string importance(const Tokens& sentence, const SectionScope& scope) {
    for (const auto& name : template_names(sentence)) {
        if (name.text != scope.this_template) return "names template `" + name.text + "`";
    }
    for (const auto& name : parameter_names(sentence)) {
        if (!looks_like_resource_name(name.text) && (name.noun.empty() || is_parameter_noun(name.noun))) {
            return "names parameter `" + name.text + "`";
        }
    }
    for (const auto& t : sentence) {
        if (one_of(t, {"rename", "renamed", "renaming", "remove", "removed", "removes", "removing", "delete", "deleted",
                       "undeploy", "undeployed", "deprecated", "deprecate", "replace", "replaced", "dropped", "migrate",
                       "migration", "undeploying", "reworked", "rewritten"})) {
            return "says '" + t.lower + "'";
        }
    }
    if (has_phrase(sentence, "no longer")) return "says 'no longer'";
    return "";
}

using Recognizer = bool (*)(const Tokens&, Reading&);

// In order: the more specific phrasing first (a rename is also a change, a new template also
// an addition).
constexpr Recognizer recognizers[] = {
    recognize_template_rename, recognize_lifecycle,         recognize_parameter_rename,
    recognize_value_mapping,   recognize_parameter_values,  recognize_parameter_added_removed,
    recognize_parameter_default,
};

void read_sentence(const std::string& text, Reading& reading) {
    Tokens tokens = tokenize(text);
    if (tokens.empty()) return;
    bool understood = false;
    for (const Tokens& clause : split_clauses(tokens)) {
        for (Recognizer recognize : recognizers) {
            if (recognize(clause, reading)) {
                understood = true;
                break;
            }
        }
    }
    recognize_directive(tokens, text, reading);
    remember_parameter(tokens, reading);
    const SectionScope& scope = reading.scope;
    if (auto kind = advice_kind(tokens)) {
        if (scope.report_unrecognized) {
            reading.out().advice.push_back({*kind, scope.scope, text, says_before_update(tokens), reading.origin()});
        }
        return;
    }
    if (understood || !scope.report_unrecognized) return;
    if (std::string why = importance(tokens, scope); !why.empty()) {
        reading.out().unrecognized.push_back({scope.scope, text, why, reading.origin()});
    }
}

}  // namespace

bool is_parameter_noun(const std::string& noun) { return noun == "parameter" || noun == "parameters"; }

std::vector<Name> template_names(const Tokens& clause) {
    auto is_name = [](const Token& t) { return t.kind != TokenKind::punct && is_template_name(t.text); };
    std::vector<Name> out;
    for (std::size_t i = 0; i < clause.size(); ++i) {
        if (is_name(clause[i])) out.push_back({i, clause[i].text, binding_noun(clause, i, is_name)});
    }
    return out;
}

std::vector<Name> parameter_names(const Tokens& clause) {
    bool bare_allowed = mentions_parameters(clause);
    auto is_name = [bare_allowed](const Token& t) {
        if (t.kind == TokenKind::code) return is_parameter_name(t.text) && !is_template_name(t.text);
        return bare_allowed && t.kind == TokenKind::word && is_bare_parameter_name(t.text) && !is_product_word(t);
    };
    std::vector<Name> out;
    for (std::size_t i = 0; i < clause.size(); ++i) {
        if (is_name(clause[i])) out.push_back({i, clause[i].text, binding_noun(clause, i, is_name)});
    }
    return out;
}

std::vector<Name> plausible_parameters(const Tokens& clause) {
    std::vector<Name> out;
    for (auto& name : parameter_names(clause)) {
        bool bound = is_parameter_noun(name.noun);
        bool loose = name.noun.empty() && !looks_like_resource_name(name.text);
        if (bound || loose) out.push_back(std::move(name));
    }
    return out;
}

std::string words_between(const Tokens& tokens, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < std::min(to, tokens.size()); ++i) {
        const Token& t = tokens[i];
        bool glue = t.kind == TokenKind::punct && t.text != "(" && t.text != "->";
        if (!out.empty() && !glue) out += ' ';
        out += t.kind == TokenKind::code ? "`" + t.text + "`" : t.text;
    }
    return out;
}

void analyze_entries(const std::vector<Entry>& entries, const SectionScope& scope) {
    Subject subject;
    int ordered_depth = 0;  // while > 0: inside a numbered list, whose items are procedure steps
    for (const Entry& entry : entries) {
        if (entry.ordered) {
            ordered_depth = entry.depth;
            continue;
        }
        if (ordered_depth > 0 && entry.depth > ordered_depth) continue;
        ordered_depth = 0;
        if (subject.kind != Subject::Kind::none && entry.depth <= subject.depth) subject = {};
        std::size_t last_lifecycle = npos;
        Reading reading{scope, subject, last_lifecycle, entry.line};
        for (const std::string& sentence : split_sentences(entry.text)) read_sentence(sentence, reading);
        if (subject.kind != Subject::Kind::none && subject.depth == 0) subject.depth = std::max(entry.depth, 1);
    }
}

}  // namespace stackshift::release::changelog_detail
