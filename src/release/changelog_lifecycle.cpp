// The life of templates: new ones (optional or not, and when to deploy them), removed ones,
// deprecated ones, and stacks to undeploy. The template is the one the clause names, or the
// section's own when the clause says "this template", "new template" or names none ("New
// template. Deploy only if you use external CryptoServer").

#include <algorithm>

#include "release/changelog_recognizers.hpp"

namespace stackshift::release::changelog_detail {

namespace {

constexpr std::size_t npos = std::string_view::npos;

enum class Event { none, added, removed, undeploy, deprecated };

bool speaks_of_templates(const Tokens& clause) {
    return find_word(clause, {"template", "templates", "stack", "stacks"}) != npos;
}

bool is_stack_noun(const std::string& noun) { return noun == "stack" || noun == "stacks"; }

// What happens to the template, by the words of the clause.
Event event_of(const Tokens& clause) {
    if (find_word(clause, {"undeploy", "undeployed", "undeploying"}) != npos) return Event::undeploy;
    bool stack = find_word(clause, {"stack", "stacks"}) != npos;
    std::size_t removal = find_word(clause, {"delete", "deleted", "remove", "removed", "destroy", "tear"});
    if (stack && removal != npos) return Event::undeploy;
    if (find_word(clause, {"deprecated", "deprecate"}) != npos) return Event::deprecated;
    if (removal != npos || has_phrase(clause, "no longer exists") || has_phrase(clause, "no longer needed") ||
        has_phrase(clause, "no longer used") || find_word(clause, {"dropped", "retired"}) != npos) {
        return Event::removed;
    }
    if (has_phrase(clause, "new template") || has_phrase(clause, "new optional template") ||
        find_phrase(clause, "template") == 0 ||  // "Template added."
        ((find_word(clause, {"added", "add", "introduced", "introduces"}) != npos ||
          find_word(clause, {"new"}) != npos) &&
         find_word(clause, {"template"}) != npos)) {
        return Event::added;
    }
    return Event::none;
}

// When an optional new template is to be deployed, as one clause that completes "deploy it
// only ...": "if you use external CryptoServer" from "Deploy only if you use external
// CryptoServer.", "for ..." from "optional template for ...". Without the words that lead to it
// and the full stop, so that it reads as part of a sentence.
std::string condition_of(const Tokens& clause) {
    std::size_t at = find_word(clause, {"if", "when", "for"});
    if (at == npos) return "";
    std::size_t end = clause.size();
    while (end > at && clause[end - 1].is_punct(".")) --end;
    return words_between(clause, at, end);
}

bool is_optional(const Tokens& clause) {
    return find_word(clause, {"optional", "optionally"}) != npos || has_phrase(clause, "only if") ||
           has_phrase(clause, "only when") || has_phrase(clause, "if you") || has_phrase(clause, "if needed");
}

// "This template has been removed", "The template is deprecated": the clause starts with it.
bool about_itself(const Tokens& clause) {
    std::size_t i = 0;
    if (i < clause.size() && one_of(clause[i], {"this", "the"})) ++i;
    return i < clause.size() && one_of(clause[i], {"template", "stack"});
}

// The templates the clause is about: the ones it names that no other noun binds and that are
// not a place ("in `5-4-ecs-services`", "before updating `X`"); else the section's own when
// the clause speaks of "this template" or of a template without naming one.
std::vector<std::string> subjects(const Tokens& clause, const SectionScope& scope, Event event) {
    std::vector<std::string> out;
    std::size_t before = find_word(clause, {"before", "after", "use", "using", "from", "in", "into", "to", "of", "for", "with", "by"});
    for (const auto& name : template_names(clause)) {
        bool bound_elsewhere = !name.noun.empty() && name.noun != "template" && name.noun != "templates" &&
                               !is_stack_noun(name.noun);
        if (bound_elsewhere || (before != npos && name.at > before)) continue;
        if (std::find(out.begin(), out.end(), name.text) == out.end()) out.push_back(name.text);
    }
    if (!out.empty()) return out;
    // For a removal the template must be what the clause is about, not where something else
    // is removed ("Before updating this template, please remove ...").
    bool self = event == Event::added ? find_word(clause, {"template"}) != npos : about_itself(clause);
    if (self && !scope.this_template.empty()) out.push_back(scope.this_template);
    return out;
}

// The template to update only after the stack is gone: "before updating this template".
std::string before_which(const Tokens& clause, const SectionScope& scope) {
    std::size_t at = find_word(clause, {"before"});
    if (at == npos) return "";
    for (const auto& name : template_names(clause)) {
        if (name.at > at) return name.text;
    }
    if (find_phrase(clause, "this template", at) != npos) return scope.this_template;
    return "";
}

// "Deploy only if you use external CryptoServer" after "New template.": the new template of
// the same entry becomes optional, with the condition.
bool completes_last_new_template(const Tokens& clause, Reading& reading) {
    if (reading.last_lifecycle == npos || reading.last_lifecycle >= reading.out().lifecycle.size()) return false;
    if (!one_of(clause.front(), {"deploy", "only", "use", "needed", "required"}) || !is_optional(clause)) return false;
    TemplateLifecycle& fact = reading.out().lifecycle[reading.last_lifecycle];
    if (fact.kind != LifecycleKind::added && fact.kind != LifecycleKind::added_optional) return false;
    fact.kind = LifecycleKind::added_optional;
    fact.condition = condition_of(clause);
    return true;
}

void record(Event event, const std::string& id, const Tokens& clause, Reading& reading) {
    TemplateLifecycle fact;
    fact.template_id = id;
    fact.origin = reading.origin();
    switch (event) {
    case Event::added:
        fact.kind = is_optional(clause) ? LifecycleKind::added_optional : LifecycleKind::added;
        if (fact.kind == LifecycleKind::added_optional) fact.condition = condition_of(clause);
        break;
    case Event::removed: fact.kind = LifecycleKind::removed; break;
    case Event::deprecated: fact.kind = LifecycleKind::deprecated; break;
    case Event::undeploy:
        fact.kind = LifecycleKind::undeploy;
        fact.before = before_which(clause, reading.scope);
        break;
    case Event::none: return;
    }
    Changelog& out = reading.out();
    // "This template has been removed and can be undeployed": gone from the release, and its
    // stack is to be deleted.
    if (event == Event::undeploy && find_word(clause, {"removed", "deleted"}) != npos &&
        find_word(clause, {"undeploy", "undeployed"}) != npos) {
        TemplateLifecycle removed = fact;
        removed.kind = LifecycleKind::removed;
        removed.before.clear();
        out.lifecycle.push_back(std::move(removed));
    }
    out.lifecycle.push_back(std::move(fact));
    if (event == Event::added) reading.last_lifecycle = out.lifecycle.size() - 1;
}

}  // namespace

bool recognize_lifecycle(const Tokens& clause, Reading& reading) {
    if (clause.empty()) return false;
    if (completes_last_new_template(clause, reading)) return true;
    if (!speaks_of_templates(clause) && template_names(clause).empty()) return false;
    Event event = event_of(clause);
    if (event == Event::none) return false;
    // A parameter, a resource or an output added or removed in a template is no template event.
    if (event != Event::undeploy && !plausible_parameters(clause).empty()) return false;
    auto ids = subjects(clause, reading.scope, event);
    if (ids.empty()) return false;
    for (const auto& id : ids) record(event, id, clause, reading);
    return true;
}

}  // namespace stackshift::release::changelog_detail
