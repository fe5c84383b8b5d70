#pragma once
// Renderers for a template diff: a terminal view for a reviewer, Markdown for a change ticket,
// and JSON as DESIGN.md fixes it.

#include <string>

#include "cfn/template_diff.hpp"

namespace stackshift::render {

// Counts behind the summary line.
struct DiffSummary {
    int replace = 0;
    int may_replace = 0;
    int update = 0;
    int create = 0;
    int destroy = 0;
    int orphan = 0;
    int stateful_at_risk = 0;  // stateful resources replaced, possibly replaced or destroyed
    int parameters = 0;
    int outputs = 0;
    int broken_exports = 0;
    int kept_as_written = 0;  // parts compared as written (SAM's Globals, Fn::ForEach) that changed
};

DiffSummary summarize(const cfn::TemplateDiff& diff);

// "2 to replace (1 stateful), 1 to update, ..." or "no changes".
std::string summary_line(const DiffSummary& summary);

// Resources in the order a reviewer reads them: stateful losses first, then other losses,
// possible replacements, orphans, updates, creates.
std::vector<const cfn::ResourceDiff*> review_order(const cfn::TemplateDiff& diff);

std::string diff_json(const cfn::TemplateDiff& diff);
std::string diff_text(const cfn::TemplateDiff& diff, const std::string& old_name, const std::string& new_name, bool color);
std::string diff_markdown(const cfn::TemplateDiff& diff, const std::string& old_name, const std::string& new_name);

// The change set scopes of a resource, as CloudFormation names them: "Properties, Tags".
std::string scope_list(const cfn::ChangeScopes& scopes);

// A value as shown in a report: short, one line; NoEcho defaults are never shown.
std::string show_value(const std::optional<cfn::Value>& value);

}  // namespace stackshift::render
