// Renames, read by the roles the words give the names: "to", "as", "into" and "by" mark the
// new name, "from", "formerly", "previously" and "instead of" the old one, and a name the
// sentence does not give is the template whose section it stands in ("This is now renamed as
// `4-2a-configuration`"). Then the value mappings that complete a parameter rename or a
// change of allowed values: "Deployments that used value `a` should now choose `b`".

#include <algorithm>

#include "release/changelog_recognizers.hpp"

namespace stackshift::release::changelog_detail {

namespace {

constexpr std::size_t npos = std::string_view::npos;

enum class Role { none, from, to, place };

bool is_name_filler(const Token& t) {
    return one_of(t, {"the", "template", "stack", "parameter", "called", "named", "known", "a", "new", "old"}) ||
           (t.kind == TokenKind::punct && (t.text == "(" || t.text == ","));
}

// The role the words before position `at` give the name there.
Role role_at(const Tokens& clause, std::size_t at) {
    std::size_t i = at;
    while (i > 0 && is_name_filler(clause[i - 1])) --i;
    if (i == 0) return Role::none;
    const Token& w = clause[i - 1];
    if (w.is("as") && i >= 3 && clause[i - 2].is("known") && one_of(clause[i - 3], {"formerly", "previously"})) {
        return Role::from;
    }
    if (w.is("of") && i >= 2 && clause[i - 2].is("instead")) return Role::from;
    if (one_of(w, {"from", "formerly", "previously", "was", "replaces", "supersedes"})) return Role::from;
    if (one_of(w, {"to", "as", "into", "by", "use", "now"}) || w.is_punct("->")) return Role::to;
    if (one_of(w, {"in", "of", "for", "on", "with", "under", "within"})) return Role::place;
    return Role::none;
}

struct Roles {
    std::string from;
    std::string to;
};

// Old and new name among `names`: the ones the words mark, then the rest in order (old
// first); a side still missing is `self` when there is one.
std::optional<Roles> assign_roles(const Tokens& clause, const std::vector<Name>& names, const std::string& self) {
    Roles roles;
    std::vector<const Name*> rest;
    for (const auto& name : names) {
        Role role = role_at(clause, name.at);
        if (role == Role::from && roles.from.empty()) roles.from = name.text;
        else if (role == Role::to && roles.to.empty()) roles.to = name.text;
        else if (role != Role::place) rest.push_back(&name);
    }
    for (const Name* name : rest) {
        if (roles.from.empty() && name->text != roles.to) roles.from = name->text;
        else if (roles.to.empty() && name->text != roles.from) roles.to = name->text;
    }
    if (roles.from.empty() && !self.empty() && self != roles.to) roles.from = self;
    if (roles.to.empty() && !self.empty() && self != roles.from) roles.to = self;
    if (roles.from.empty() || roles.to.empty() || roles.from == roles.to) return std::nullopt;
    return roles;
}

bool has_rename_word(const Tokens& clause) {
    return find_word(clause, {"rename", "renamed", "renames", "renaming"}) != npos || has_phrase(clause, "now called") ||
           has_phrase(clause, "now named") || find_word(clause, {"formerly"}) != npos;
}

// "Changed `A` to `B`", "`A` is replaced by `B`", "use `B` instead of `A`", "`A` -> `B`":
// a rename only when both sides are names.
bool has_change_to_name(const Tokens& clause, const std::vector<Name>& names) {
    for (const auto& name : names) {
        Role role = role_at(clause, name.at);
        if (role == Role::to || role == Role::from) {
            bool change = find_word(clause, {"change", "changed", "changes", "replaced", "replace", "instead"}) != npos ||
                          std::any_of(clause.begin(), clause.end(), [](const Token& t) { return t.is_punct("->"); });
            if (change) return true;
        }
    }
    return false;
}

std::vector<Name> parameters_for_rename(const Tokens& clause) {
    std::vector<Name> out;
    for (auto& name : parameter_names(clause)) {
        if (name.noun.empty() || is_parameter_noun(name.noun)) out.push_back(std::move(name));
    }
    return out;
}

std::vector<ValueMapping>* subject_values(Reading& reading, std::string** otherwise) {
    Changelog& out = reading.out();
    if (reading.subject.kind == Subject::Kind::rename && reading.subject.index < out.parameter_renames.size()) {
        auto& fact = out.parameter_renames[reading.subject.index];
        *otherwise = &fact.otherwise;
        return &fact.values;
    }
    if (reading.subject.kind == Subject::Kind::values && reading.subject.index < out.parameter_changes.size()) {
        auto& fact = out.parameter_changes[reading.subject.index];
        *otherwise = &fact.otherwise;
        return &fact.values;
    }
    return nullptr;
}

bool is_value_token(const Token& t) { return t.kind == TokenKind::code; }

// Where the new value is introduced: "choose", "select", "->", or "use"/"set" after a comma
// or "should".
std::size_t mapping_cue(const Tokens& clause, std::size_t end, std::size_t from = 0) {
    for (std::size_t i = std::max<std::size_t>(from, 1); i < end; ++i) {
        const Token& t = clause[i];
        bool cue = one_of(t, {"choose", "chose", "select", "pick", "become", "becomes", "map", "maps", "mapped"}) ||
                   t.is_punct("->") ||
                   (one_of(t, {"use", "set"}) &&
                    (clause[i - 1].is_punct(",") || one_of(clause[i - 1], {"should", "now", "please", "must"})));
        if (!cue) continue;
        bool before = std::any_of(clause.begin() + static_cast<std::ptrdiff_t>(from),
                                  clause.begin() + static_cast<std::ptrdiff_t>(i), is_value_token);
        bool after = std::any_of(clause.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                 clause.begin() + static_cast<std::ptrdiff_t>(end), is_value_token);
        if (before && after) return i;
    }
    return npos;
}

}  // namespace

bool recognize_template_rename(const Tokens& clause, Reading& reading) {
    if (!has_rename_word(clause)) return false;
    auto names = template_names(clause);
    if (names.empty()) return false;
    bool any_role = std::any_of(names.begin(), names.end(), [&](const Name& n) {
        Role role = role_at(clause, n.at);
        return role == Role::from || role == Role::to;
    });
    // A parameter renamed "in `5-3a-ecs-is-service`" is no template rename.
    if (!any_role && parameters_for_rename(clause).size() >= 2) return false;
    if (!any_role && names.size() == 1 && !parameters_for_rename(clause).empty()) return false;
    auto roles = assign_roles(clause, names, reading.scope.this_template);
    if (!roles) return false;
    reading.out().template_renames.push_back({roles->from, roles->to, reading.origin()});
    return true;
}

bool recognize_parameter_rename(const Tokens& clause, Reading& reading) {
    auto names = parameters_for_rename(clause);
    if (names.size() < 2) return false;
    if (!has_rename_word(clause) && !has_change_to_name(clause, names)) return false;
    auto roles = assign_roles(clause, names, "");
    if (!roles) return false;
    Changelog& out = reading.out();
    out.parameter_renames.push_back({reading.scope.scope, roles->from, roles->to, {}, "", reading.origin()});
    reading.subject = {Subject::Kind::rename, out.parameter_renames.size() - 1, 0};
    return true;
}

bool recognize_value_mapping(const Tokens& clause, Reading& reading) {
    std::size_t otherwise_at = find_word(clause, {"otherwise", "else"});
    std::size_t end = otherwise_at == npos ? clause.size() : otherwise_at;
    std::size_t cue = mapping_cue(clause, end);
    std::string otherwise_value;
    if (otherwise_at != npos) {
        for (std::size_t i = otherwise_at + 1; i < clause.size() && otherwise_value.empty(); ++i) {
            if (is_value_token(clause[i])) otherwise_value = clause[i].text;
        }
    }
    bool new_option = has_phrase(clause, "new option") || has_phrase(clause, "new options") ||
                      has_phrase(clause, "new value") || has_phrase(clause, "new values");
    if (cue == npos && otherwise_value.empty() && !new_option) return false;

    std::string* otherwise = nullptr;
    auto* values = subject_values(reading, &otherwise);
    if (!values) {
        // "To deploy `x`, use `5-4-ecs-services`" points to a template, it maps no value.
        if ((cue == npos && otherwise_value.empty()) || !template_names(clause).empty()) return false;
        if (reading.scope.report_unrecognized) {
            reading.out().unrecognized.push_back({reading.scope.scope, words_between(clause, 0, clause.size()),
                                                  "maps values but names no parameter", reading.origin()});
        }
        return true;
    }
    // Several mappings may share a clause ("used `a` should now choose `alpha`, deployments
    // that used `b` should now choose `beta`"): each cue maps the values written since the
    // previous cue's new value.
    for (std::size_t start = 0; cue != npos;) {
        std::size_t target = cue + 1;
        while (target < end && !is_value_token(clause[target])) ++target;
        if (target >= end) break;
        for (std::size_t i = start; i < cue; ++i) {
            if (is_value_token(clause[i])) values->push_back({clause[i].text, clause[target].text});
        }
        start = target + 1;
        cue = mapping_cue(clause, end, start);
    }
    if (!otherwise_value.empty()) *otherwise = otherwise_value;
    if (new_option && cue == npos && reading.subject.kind == Subject::Kind::values) {
        auto& change = reading.out().parameter_changes[reading.subject.index];
        for (const auto& t : clause) {
            if (is_value_token(t) && t.text != change.parameter) change.new_values.push_back(t.text);
        }
    }
    return true;
}

}  // namespace stackshift::release::changelog_detail
