#pragma once
// The template changelog (the vendor's UPGRADING.md) as data: its version sections with their
// template and other sections, and what its sentences say, recognized one sentence at a time:
// template renames and lifecycle (new, optional, removed, to undeploy), parameter renames with
// their value mappings, parameters added, removed and changed, upgrade procedures, advice
// addressed to the operator, and the sentences that look important but could not be
// understood. Every fact keeps the version and line it was read from, so that a plan can say
// why it does what it does.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/version.hpp"

namespace stackshift::release {

// Where a fact was read: the version section (nullopt for "Unreleased") and the line.
struct Origin {
    std::optional<Version> version;
    int line = 0;
};

// "3.15.0", or "Unreleased".
std::string version_label(const std::optional<Version>& version);

// One bullet, numbered item or paragraph of a section, as the Markdown reader gives its text.
struct Entry {
    std::string text;
    int line = 0;
    int depth = 0;        // 0 for a paragraph, 1 for a top-level item, 2 for an item under it
    bool ordered = false;
    int number = 0;       // its number in a numbered list
};

enum class SectionKind {
    templates,  // the heading names one or several templates
    procedure,  // "Upgrade procedure": ordered steps for the whole version
    other,      // names no template: "Proxy", "Prometheus", "AMI/BYOL template"
};

struct Section {
    SectionKind kind = SectionKind::other;
    std::string title;                   // the heading's text without backticks
    std::vector<std::string> templates;  // the template ids the heading names, as written
    int line = 0;
    std::vector<Entry> entries;
};

// A "## 3.15.0" (or "## Unreleased") section: the bullets directly under it, then its sections.
struct VersionSection {
    std::string label;               // "3.15.0" or "Unreleased"
    std::optional<Version> version;  // nullopt for Unreleased
    int line = 0;
    std::vector<Entry> general;
    std::vector<Section> sections;
};

struct TemplateRename {
    std::string from;
    std::string to;
    Origin origin;
};

// "Deployments that used value `a` should now choose `b`": old value -> new value.
struct ValueMapping {
    std::string from;
    std::string to;
};

struct ParameterRename {
    std::string scope;  // the template (as its heading writes it) or the other section
    std::string from;
    std::string to;
    std::vector<ValueMapping> values;  // empty: the old value carries over as it is
    std::string otherwise;             // the new value for every old value not mapped, if given
    Origin origin;
};

enum class ParameterChangeKind {
    added,
    removed,
    deprecated,
    values,         // its allowed values or its type changed (with a mapping when given)
    default_value,  // its default changed
};

std::string_view parameter_change_name(ParameterChangeKind kind);

struct ParameterChange {
    ParameterChangeKind kind = ParameterChangeKind::added;
    std::string scope;      // the template (as its heading writes it) or the other section
    std::string parameter;  // may hold a wildcard as written: `NetworkOperationsCenter*`
    bool inferred = false;  // the sentence did not call it a parameter ("Added `X` and `Y`.")
    std::string detail;     // values: "boolean" when it became one
    std::string value;      // default_value: the new default
    std::vector<ValueMapping> values;
    std::string otherwise;
    std::vector<std::string> new_values;  // values: options that are new
    Origin origin;
};

enum class LifecycleKind {
    added,           // a new template to deploy
    added_optional,  // a new template to deploy only when needed
    removed,         // the template is gone from the release
    undeploy,        // its stack should be deleted
    deprecated,      // it will be removed in a later release
};

std::string_view lifecycle_name(LifecycleKind kind);

struct TemplateLifecycle {
    LifecycleKind kind = LifecycleKind::added;
    std::string template_id;
    std::string condition;  // added_optional: when to deploy it, as the text says
    std::string before;     // undeploy: the template to update only after the stack is deleted
    Origin origin;
};

struct ProcedureStep {
    std::string text;
    int line = 0;
    int depth = 1;  // 1 for a step, 2 for an item under it
    int number = 0;
};

// Ordered steps: an "Upgrade procedure" section (required), or a numbered list under a bullet
// ("If you wish to encrypt your boot drive, please: 1. ... 2. ..."), required unless the bullet
// says it is for a case.
struct Procedure {
    std::string scope;  // the template or section it stands in; empty for a version's procedure
    std::string title;  // the bullet that introduces a nested list
    bool required = true;
    std::vector<ProcedureStep> steps;
    Origin origin;
};

enum class AdviceKind {
    instruction,  // something the operator is asked to do
    warning,      // a replacement, an incompatibility, something that does not apply by itself
};

std::string_view advice_name(AdviceKind kind);

struct Advice {
    AdviceKind kind = AdviceKind::instruction;
    std::string scope;  // template or section; empty for a bullet directly under a version
    std::string text;
    bool before_update = false;  // "Before updating ..."
    Origin origin;
};

// A sentence that tells deployments to set, choose or check something ("must set", "make
// sure", "should now choose", "is not valid for most deployments", "deployments created before
// X", "must be", "should be equal to", "you need to"). A plan is Ready only when each one for a
// stack in it is answered: by a parameter decision, or by an acknowledgement (`id`).
enum class DirectiveKind {
    set,       // set the parameter to `value`
    equal_to,  // the parameter should take the value of the parameter `equal_to`
    mapping,   // choose a new value for an old one ("should now choose"): the changelog's mapping
    enter,     // give or check the parameter's value; the text names none
    check,     // something to do or check that is no parameter: acknowledged by `id`
};

std::string_view directive_name(DirectiveKind kind);

struct Directive {
    DirectiveKind kind = DirectiveKind::check;
    std::string scope;      // the template the sentence names, else its section's scope
    std::string text;       // the sentence
    std::string parameter;  // the parameter it is about (named, or "it" of the entry); "" for check
    std::optional<std::string> value;  // set: the value ("" for "unset")
    std::string equal_to;   // equal_to: the other parameter
    std::optional<Version> created_before;  // only deployments created before this version
    std::string condition;  // "if you deploy the Network Operations Center", as written
    std::string cue;        // the words that make it a directive: "must set"
    std::string id;         // stable acknowledgement id: "3.17.2/5-1-ecs-cluster/you-need-to-update-the"
    Origin origin;
};

// A sentence that looks like it matters (a rename, a removal, a parameter or another template
// is named) but that no recognizer understood. Shown to the operator, never dropped.
struct Unrecognized {
    std::string scope;
    std::string text;
    std::string why;
    Origin origin;
};

// Two spellings of one template in the file ("5-4-ecs-service" for "5-4-ecs-services"): same
// number, and one name's words are among the other's.
struct TemplateAlias {
    std::string written;
    std::string means;
    int line = 0;  // where the less used spelling first appears
};

struct Changelog {
    std::string file;
    std::vector<VersionSection> versions;  // in the order of the file (newest first, usually)
    std::vector<TemplateRename> template_renames;
    std::vector<ParameterRename> parameter_renames;
    std::vector<ParameterChange> parameter_changes;
    std::vector<TemplateLifecycle> lifecycle;
    std::vector<Procedure> procedures;
    std::vector<Advice> advice;
    std::vector<Directive> directives;
    std::vector<Unrecognized> unrecognized;
    std::vector<TemplateAlias> aliases;

    // The released versions that have a section, in order (Unreleased is none of them).
    std::vector<Version> known_versions() const;

    // "file:line".
    std::string source(const Origin& origin) const;
    std::string source(int line) const;

    // The spelling the file uses most for a template written several ways; else the id itself.
    std::string canonical(std::string_view template_id) const;

    // What the template is called in `version`, following renames forward (a template renamed
    // twice resolves to its newest name) and backward (a new name asked for in an older
    // version gives the name it had then). A rename in version V applies from V on.
    std::string name_in(std::string_view template_id, const Version& version) const;

    // The released versions whose sections, renames or lifecycle facts touch the template,
    // under whatever name it had then, in order.
    std::vector<Version> versions_touching(std::string_view template_id) const;
};

// Reads a template changelog. Fails for a file with no version section, for a version heading
// that is neither a version nor "Unreleased", and for text that is not UTF-8; each diagnostic
// names the file and line and says what is expected.
Result<Changelog> read_changelog(std::string_view markdown, const std::string& file);

// The part of a changelog for an upgrade from `from` to `to`: the versions after `from` up to
// and including `to`, and the facts read from them (Unreleased is never part of it). Queries on
// the slice see only its renames; ask the whole changelog for names.
Changelog slice(const Changelog& changelog, const Version& from, const Version& to);

}  // namespace stackshift::release
