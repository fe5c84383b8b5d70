// The terminal view of a diff, for a reviewer: the summary first, then what loses data, loud.

#include "render/diff_render.hpp"
#include "render/palette.hpp"

namespace stackshift::render {

namespace {

using cfn::Impact;

std::string impact_colored(Impact impact, const Palette& p) {
    std::string name(cfn::impact_name(impact));
    switch (impact) {
    case Impact::will_replace:
    case Impact::will_destroy: return p.red(name);
    case Impact::may_replace:
    case Impact::will_orphan: return p.yellow(name);
    case Impact::will_create: return p.green(name);
    default: return name;
    }
}

char marker(const cfn::ResourceDiff& r) {
    switch (r.impact) {
    case Impact::will_create: return '+';
    case Impact::will_destroy:
    case Impact::will_orphan: return '-';
    case Impact::will_replace:
    case Impact::may_replace: return '!';
    default: return '~';
    }
}

void resource_lines(std::string& out, const cfn::ResourceDiff& r, const Palette& p) {
    out += "[" + std::string(1, marker(r)) + "] " + impact_colored(r.impact, p) + "  " + p.bold(r.logical_id) + " (" + r.type + ")";
    if (!r.old_type.empty()) out += " was " + r.old_type;
    if (!r.scopes.empty()) out += "  scope: " + scope_list(r.scopes);
    if (r.stateful && cfn::loses_resource(r.impact)) out += "  " + p.bold_red("STATEFUL: DATA LOSS");
    else if (r.stateful) out += "  " + p.dim("stateful");
    out += '\n';
    if (r.stateful && cfn::loses_resource(r.impact)) out += "    " + p.red("! " + r.stateful_reason) + '\n';
    for (const auto& note : r.notes) out += "    " + note + '\n';
    for (const auto& prop : r.properties) {
        out += "    " + prop.path + ": " + show_value(prop.old_value) + " -> " + show_value(prop.new_value) + "  " +
               impact_colored(prop.impact, p);
        if (!prop.note.empty()) out += p.dim("  (" + prop.note + ")");
        out += '\n';
    }
}

}  // namespace

std::string diff_text(const cfn::TemplateDiff& diff, const std::string& old_name, const std::string& new_name, bool color) {
    Palette p{color};
    std::string out;
    DiffSummary s = summarize(diff);
    out += p.bold("stackshift diff") + " " + old_name + " -> " + new_name + "\n";
    out += "Summary: " + summary_line(s) + "\n";
    if (!diff.conditions_evaluated) out += p.dim("(conditions not evaluated; give --parameters to evaluate them)") + "\n";
    if (diff.transform) out += p.yellow("Note: " + diff.transform->text) + "\n";
    if (diff.empty()) return out;

    auto ordered = review_order(diff);
    bool danger_header = false;
    bool resources_header = false;
    for (const auto* r : ordered) {
        bool danger = r->stateful && cfn::loses_resource(r->impact);
        if (danger && !danger_header) {
            out += "\n" + p.bold_red("DATA AT RISK: stateful resources replaced or destroyed") + "\n";
            danger_header = true;
        }
        if (!danger && !resources_header) {
            out += "\nResources\n";
            resources_header = true;
        }
        resource_lines(out, *r, p);
    }
    if (!diff.parameters.empty()) {
        out += "\nParameters\n";
        for (const auto& param : diff.parameters) {
            char m = param.change == "added" ? '+' : param.change == "removed" ? '-' : '~';
            out += "[" + std::string(1, m) + "] " + param.name + " " + param.change;
            if (!param.details.empty()) {
                std::string details;
                for (const auto& d : param.details) details += (details.empty() ? "" : ", ") + d;
                out += ": " + details;
            }
            if (param.change == "added" && param.new_parameter && !param.new_parameter->default_value)
                out += p.yellow("  (no default: a value must be given)");
            out += '\n';
        }
    }
    if (!diff.outputs.empty()) {
        out += "\nOutputs\n";
        for (const auto& o : diff.outputs) {
            char m = o.change == "added" ? '+' : o.change == "removed" ? '-' : '~';
            out += "[" + std::string(1, m) + "] " + o.name + " " + o.change;
            if (o.breaks_imports) {
                std::string what = o.new_export ? "renamed to '" + *o.new_export + "'" : "removed";
                out += "  " + p.red("export '" + *o.old_export + "' " + what + ": stacks importing it would fail");
            } else if (o.new_export && !o.old_export) {
                out += "  export '" + *o.new_export + "'";
            }
            out += '\n';
        }
    }
    return out;
}

}  // namespace stackshift::render
