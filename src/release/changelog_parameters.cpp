// Parameters added, removed, deprecated, with new allowed values or a new default, read by
// the verb that acts on them and the names the noun "parameter" binds: "Added `A`, `B`
// parameters", "Removed the `C` parameter", "New `D` parameter to ...", "Changed `E` to a
// boolean", "The `F` parameter has different values", "The default value of `G` is changed to
// `x`". A name no noun binds still counts when nothing calls it something else ("Added `X`
// and `Y` to control ..."), marked as inferred.

#include <algorithm>

#include "release/changelog_recognizers.hpp"

namespace stackshift::release::changelog_detail {

namespace {

constexpr std::size_t npos = std::string_view::npos;

struct Action {
    ParameterChangeKind kind = ParameterChangeKind::added;
    std::size_t at = npos;
    bool weak = false;  // "new", "got": only with names that the noun "parameter" binds
};

// The first verb of the clause that adds, removes or deprecates something.
std::optional<Action> find_action(const Tokens& clause) {
    for (std::size_t i = 0; i < clause.size(); ++i) {
        const Token& t = clause[i];
        if (one_of(t, {"add", "added", "adds", "adding", "introduce", "introduced", "introduces"})) {
            return Action{ParameterChangeKind::added, i, false};
        }
        if (one_of(t, {"new", "got", "gets", "gained", "gains"})) return Action{ParameterChangeKind::added, i, true};
        if (one_of(t, {"remove", "removed", "removes", "removing", "delete", "deleted", "drop", "dropped"})) {
            return Action{ParameterChangeKind::removed, i, false};
        }
        if (one_of(t, {"deprecate", "deprecated", "deprecates"})) return Action{ParameterChangeKind::deprecated, i, false};
    }
    return std::nullopt;
}

// A name that the clause speaks of as a subject of change but that is a place or a comparison
// ("in the `Alerting` group", "the same as `X`") is not among the changed names.
bool is_reference(const Tokens& clause, std::size_t at) {
    std::size_t i = at;
    while (i > 0 && one_of(clause[i - 1], {"the", "a"})) --i;
    if (i == 0) return false;
    return one_of(clause[i - 1], {"as", "than", "like", "via", "from", "in", "with"});
}

ParameterChange change_of(ParameterChangeKind kind, const Name& name, const Reading& reading) {
    ParameterChange change;
    change.kind = kind;
    change.scope = reading.scope.scope;
    change.parameter = name.text;
    change.inferred = !is_parameter_noun(name.noun);
    change.origin = reading.origin();
    return change;
}

// The first value written after position `from` and before `to`: a code span that is no
// parameter name.
std::string value_after(const Tokens& clause, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < std::min(to, clause.size()); ++i) {
        const Token& t = clause[i];
        if (t.kind == TokenKind::code && !is_parameter_name(t.text)) return t.text;
    }
    return "";
}

// "`Tier` now takes `standard` or `premium`", "accepts only `a`": the values it allows now.
bool takes_values(const Tokens& clause) {
    std::size_t verb = find_word(clause, {"takes", "accepts", "allows"});
    if (verb == npos || find_word(clause, {"now", "only"}) == npos) return false;
    for (std::size_t i = verb + 1; i < clause.size(); ++i) {
        if (clause[i].kind == TokenKind::code && !is_parameter_name(clause[i].text)) return true;
    }
    return false;
}

bool mentions_values(const Tokens& clause) {
    return has_phrase(clause, "different values") || has_phrase(clause, "allowed values") ||
           has_phrase(clause, "new values") || has_phrase(clause, "possible values") ||
           has_phrase(clause, "accepted values") || find_phrase(clause, "a boolean") != npos ||
           find_phrase(clause, "a number") != npos || find_phrase(clause, "a string") != npos ||
           has_phrase(clause, "its type") || has_phrase(clause, "the type") || takes_values(clause);
}

bool mentions_change(const Tokens& clause) {
    return find_word(clause, {"change", "changed", "changes", "now", "has", "have", "became", "becomes", "converted",
                              "updated"}) != npos;
}

std::string value_kind(const Tokens& clause) {
    for (std::string_view kind : {"boolean", "number", "string", "list"}) {
        if (find_phrase(clause, std::string("a ") + std::string(kind)) != npos) return std::string(kind);
    }
    return "";
}

}  // namespace

bool recognize_parameter_added_removed(const Tokens& clause, Reading& reading) {
    auto action = find_action(clause);
    if (!action) return false;
    auto names = plausible_parameters(clause);
    bool any_bound = std::any_of(names.begin(), names.end(), [](const Name& n) { return is_parameter_noun(n.noun); });
    if (names.empty() || (action->weak && !any_bound)) return false;
    bool recorded = false;
    for (const auto& name : names) {
        if (is_reference(clause, name.at)) continue;
        reading.out().parameter_changes.push_back(change_of(action->kind, name, reading));
        recorded = true;
    }
    return recorded;
}

bool recognize_parameter_values(const Tokens& clause, Reading& reading) {
    if (find_word(clause, {"default", "defaults"}) != npos) return false;  // a new default, not new values
    if (!mentions_values(clause) || !mentions_change(clause)) return false;
    auto names = plausible_parameters(clause);
    if (names.empty()) return false;
    ParameterChange change = change_of(ParameterChangeKind::values, names.front(), reading);
    change.detail = value_kind(clause);
    Changelog& out = reading.out();
    out.parameter_changes.push_back(std::move(change));
    reading.subject = {Subject::Kind::values, out.parameter_changes.size() - 1, 0};
    return true;
}

bool recognize_parameter_default(const Tokens& clause, Reading& reading) {
    if (find_word(clause, {"default", "defaults", "defaulted"}) == npos) return false;
    auto names = plausible_parameters(clause);
    if (names.empty()) return false;
    bool recorded = false;
    for (std::size_t k = 0; k < names.size(); ++k) {
        // The value after this name and before the next one; the last one given otherwise
        // ("The default values of `A` and `B` are changed to `disabled`").
        std::size_t next = k + 1 < names.size() ? names[k + 1].at : clause.size();
        std::string value = value_after(clause, names[k].at + 1, next);
        if (value.empty()) value = value_after(clause, names.back().at + 1, clause.size());
        if (value.empty()) continue;
        ParameterChange change = change_of(ParameterChangeKind::default_value, names[k], reading);
        change.value = value;
        reading.out().parameter_changes.push_back(std::move(change));
        recorded = true;
    }
    return recorded;
}

}  // namespace stackshift::release::changelog_detail
