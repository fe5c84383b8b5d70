// The Markdown view of a diff, for a change ticket.

#include "render/markdown_cell.hpp"
#include "render/diff_render.hpp"

namespace stackshift::render {

std::string diff_markdown(const cfn::TemplateDiff& diff, const std::string& old_name, const std::string& new_name) {
    std::string out;
    out += "## Template diff: `" + old_name + "` → `" + new_name + "`\n\n";
    out += "**Summary:** " + summary_line(summarize(diff)) + "\n\n";
    if (!diff.conditions_evaluated) out += "_Conditions were not evaluated (no `--parameters`)._\n\n";
    if (diff.transform) out += "> [!NOTE]\n> **Transforms:** " + markdown_cell(diff.transform->text) + "\n\n";
    if (diff.empty()) return out;

    bool any_danger = false;
    for (const auto& r : diff.resources) any_danger = any_danger || (r.stateful && cfn::loses_resource(r.impact));
    if (any_danger) {
        out += "> [!CAUTION]\n> **Data at risk:** these stateful resources are replaced or destroyed:\n";
        for (const auto& r : diff.resources) {
            if (r.stateful && cfn::loses_resource(r.impact))
                out += "> - `" + r.logical_id + "` (" + r.type + ", " + std::string(cfn::impact_name(r.impact)) + "): " + r.stateful_reason + "\n";
        }
        out += "\n";
    }
    if (!diff.resources.empty()) {
        out += "### Resources\n\n| Impact | Resource | Type | Scope | Stateful | Changes |\n|---|---|---|---|---|---|\n";
        for (const auto* r : review_order(diff)) {
            std::string changes;
            for (const auto& note : r->notes) changes += (changes.empty() ? "" : "<br>") + note;
            for (const auto& p : r->properties) {
                changes += (changes.empty() ? "" : "<br>") + std::string("`") + p.path + "`: " + show_value(p.old_value) +
                           " → " + show_value(p.new_value) + " (" + std::string(cfn::impact_name(p.impact)) + ")";
            }
            out += "| " + std::string(cfn::impact_name(r->impact)) + " | `" + r->logical_id + "` | " + r->type + " | " +
                   scope_list(r->scopes) + " | " + (r->stateful ? "yes" : "") + " | " + markdown_cell(changes) + " |\n";
        }
        out += "\n";
    }
    if (!diff.parameters.empty()) {
        out += "### Parameters\n\n| Parameter | Change | Details |\n|---|---|---|\n";
        for (const auto& p : diff.parameters) {
            std::string details;
            for (const auto& d : p.details) details += (details.empty() ? "" : ", ") + d;
            if (p.change == "added" && p.new_parameter && !p.new_parameter->default_value) details += "no default: a value must be given";
            out += "| `" + p.name + "` | " + p.change + " | " + markdown_cell(details) + " |\n";
        }
        out += "\n";
    }
    if (!diff.outputs.empty()) {
        out += "### Outputs\n\n| Output | Change | Export |\n|---|---|---|\n";
        for (const auto& o : diff.outputs) {
            std::string exported = o.new_export.value_or(o.old_export.value_or(""));
            if (o.breaks_imports) exported = "**" + o.old_export.value_or("") + " " + (o.new_export ? "renamed to " + *o.new_export : std::string("removed")) + ": importing stacks would fail**";
            out += "| `" + o.name + "` | " + o.change + " | " + markdown_cell(exported) + " |\n";
        }
        out += "\n";
    }
    return out;
}

}  // namespace stackshift::render
