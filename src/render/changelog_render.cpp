// The changelog slice as a terminal view, in the order an operator acts on it: what is renamed,
// which templates are new or gone, which parameters change, the procedures, the advice, what
// the reader could not understand, and then every template's and section's own notes.

#include "render/changelog_render.hpp"
#include "render/palette.hpp"

namespace stackshift::render {

namespace {

using namespace release;

std::string at(const Changelog& slice, const Origin& origin) {
    return "(" + version_label(origin.version) + ", " + slice.source(origin) + ")";
}

std::string values_text(const std::vector<ValueMapping>& values, const std::string& otherwise) {
    std::string out;
    for (const auto& m : values) out += (out.empty() ? "" : ", ") + m.from + " -> " + m.to;
    if (!otherwise.empty()) out += (out.empty() ? "" : ", ") + std::string("anything else -> ") + otherwise;
    return out;
}

void renames(std::string& out, const Changelog& slice, const Palette& p) {
    if (slice.template_renames.empty() && slice.parameter_renames.empty()) return;
    out += "\n" + p.bold("Renames") + "\n";
    for (const auto& r : slice.template_renames) {
        out += "  template " + r.from + " -> " + p.bold(r.to) + "  " + p.dim(at(slice, r.origin)) + "\n";
    }
    for (const auto& r : slice.parameter_renames) {
        out += "  parameter " + r.from + " -> " + p.bold(r.to) + " in " + r.scope + "  " + p.dim(at(slice, r.origin)) + "\n";
        std::string values = values_text(r.values, r.otherwise);
        out += "    " + (values.empty() ? std::string("carry the old value over") : "values: " + values) + "\n";
    }
}

void lifecycle(std::string& out, const Changelog& slice, const Palette& p) {
    if (slice.lifecycle.empty()) return;
    out += "\n" + p.bold("Templates added and removed") + "\n";
    for (const auto& fact : slice.lifecycle) {
        bool gone = fact.kind == LifecycleKind::removed || fact.kind == LifecycleKind::undeploy;
        std::string mark = gone ? p.bold_red("-") : fact.kind == LifecycleKind::deprecated ? p.yellow("~") : p.green("+");
        out += "  " + mark + " " + fact.template_id + "  " + std::string(lifecycle_name(fact.kind));
        if (!fact.condition.empty()) out += ": " + fact.condition;
        if (!fact.before.empty()) out += " (before updating " + fact.before + ")";
        out += "  " + p.dim(at(slice, fact.origin)) + "\n";
    }
}

void parameters(std::string& out, const Changelog& slice, const Palette& p) {
    if (slice.parameter_changes.empty()) return;
    out += "\n" + p.bold("Parameters") + "\n";
    for (const auto& c : slice.parameter_changes) {
        char mark = c.kind == ParameterChangeKind::added ? '+' : c.kind == ParameterChangeKind::removed ? '-' : '~';
        out += "  [" + std::string(1, mark) + "] " + c.scope + " " + c.parameter + " " +
               std::string(parameter_change_name(c.kind));
        if (!c.value.empty()) out += " " + c.value;
        if (!c.detail.empty()) out += " (" + c.detail + ")";
        std::string values = values_text(c.values, c.otherwise);
        if (!values.empty()) out += ": " + values;
        if (c.inferred) out += p.dim(" (not called a parameter in the text)");
        out += "  " + p.dim(at(slice, c.origin)) + "\n";
    }
}

void procedures(std::string& out, const Changelog& slice, const Palette& p) {
    if (slice.procedures.empty()) return;
    out += "\n" + p.bold("Procedures") + "\n";
    for (const auto& proc : slice.procedures) {
        std::string where = proc.scope.empty() ? "" : proc.scope + ": ";
        std::string when = proc.required ? p.yellow("required") : "only for that case";
        out += "  " + version_label(proc.origin.version) + " " + where + proc.title + "  (" + when + ", " +
               slice.source(proc.origin) + ")\n";
        int count = 0;
        for (const auto& step : proc.steps) {
            std::string indent(static_cast<std::size_t>(2 + 2 * step.depth), ' ');
            std::string number = step.depth == 1 ? std::to_string(step.number > 0 ? step.number : ++count) + ". " : "- ";
            out += indent + number + step.text + "\n";
        }
    }
}

void advice(std::string& out, const Changelog& slice, const Palette& p) {
    if (slice.advice.empty()) return;
    out += "\n" + p.bold("Advice") + "\n";
    for (const auto& a : slice.advice) {
        std::string kind = a.kind == AdviceKind::warning ? p.yellow("warning") : "do";
        std::string scope = a.scope.empty() ? "" : a.scope + ": ";
        std::string when = a.before_update ? p.yellow(" (before updating)") : "";
        out += "  [" + kind + "] " + scope + a.text + when + "  " + p.dim(at(slice, a.origin)) + "\n";
    }
}

// What deployments are told to set, choose or check, each with the id that acknowledges it.
void directives(std::string& out, const Changelog& slice, const Palette& p) {
    if (slice.directives.empty()) return;
    out += "\n" + p.bold("Directives (a plan answers each, or lists its id under acknowledge:)") + "\n";
    for (const auto& d : slice.directives) {
        std::string what = std::string(directive_name(d.kind)) + (d.parameter.empty() ? "" : " " + d.parameter);
        out += "  [" + what + "] " + d.text + "  " + p.dim(d.id + ", " + at(slice, d.origin)) + "\n";
    }
}

void unrecognized(std::string& out, const Changelog& slice, const Palette& p) {
    if (slice.unrecognized.empty()) return;
    out += "\n" + p.bold_red("Not understood: read these yourself") + "\n";
    for (const auto& u : slice.unrecognized) {
        std::string scope = u.scope.empty() ? "" : u.scope + ": ";
        out += "  " + scope + u.text + "  " + p.dim("(" + u.why + "; " + version_label(u.origin.version) + ", " +
                                                   slice.source(u.origin) + ")") + "\n";
    }
}

void entry_lines(std::string& out, const std::vector<Entry>& entries) {
    for (const auto& e : entries) {
        std::string indent(static_cast<std::size_t>(6 + 2 * std::max(e.depth - 1, 0)), ' ');
        std::string bullet = e.ordered ? std::to_string(e.number) + ". " : e.depth > 0 ? "- " : "";
        out += indent + bullet + e.text + "\n";
    }
}

void notes(std::string& out, const ChangelogView& view, const Palette& p) {
    out += "\n" + p.bold("Notes by version") + "\n";
    for (const auto& version : view.slice.versions) {
        if (version.general.empty() && version.sections.empty()) {
            out += "  " + version.label + p.dim("  (no changes)") + "\n";
            continue;
        }
        out += "  " + p.bold(version.label) + "\n";
        entry_lines(out, version.general);
        for (const auto& section : version.sections) {
            std::string title = section.title;
            if (section.kind == SectionKind::templates) {
                std::string target = view.whole.name_in(section.templates.front(), view.to);
                if (section.templates.size() == 1 && target != section.templates.front()) {
                    title += " (now " + target + ")";
                }
            }
            out += "    " + title + "\n";
            entry_lines(out, section.entries);
        }
    }
}

}  // namespace

std::string changelog_text(const ChangelogView& view, bool color) {
    Palette p{color};
    const Changelog& slice = view.slice;
    std::string out = p.bold("stackshift changelog") + " " + slice.file + ": " + view.from.to_string() + " -> " +
                      view.to.to_string() + "\n";
    std::string listed;
    for (const auto& v : slice.versions) listed += (listed.empty() ? "" : ", ") + v.label;
    out += std::to_string(slice.versions.size()) + (slice.versions.size() == 1 ? " version" : " versions");
    out += listed.empty() ? "\n" : ": " + listed + "\n";
    if (slice.versions.empty()) return out;
    renames(out, slice, p);
    lifecycle(out, slice, p);
    parameters(out, slice, p);
    procedures(out, slice, p);
    advice(out, slice, p);
    directives(out, slice, p);
    unrecognized(out, slice, p);
    notes(out, view, p);
    return out;
}

}  // namespace stackshift::render
