// The plan as Markdown for a change ticket: the summary, what blocks it, inputs and warnings,
// then one checklist per hop with each step's risk, what changes and why.

#include "core/text.hpp"
#include "render/markdown_cell.hpp"
#include "plan/fingerprint.hpp"
#include "render/plan_render.hpp"

namespace stackshift::render {

namespace {

using plan::ParameterAction;


void write_step(std::string& out, const plan::Step& s) {
    std::string risk(plan::risk_name(s.risk));
    out += "- [ ] **" + s.title + "** (`" + s.id + "`, " + (s.risk == plan::Risk::danger ? "**danger**" : risk) +
           (s.automated ? "" : ", by a person") + ")\n";
    if (!s.reason.empty()) out += "  - reason: " + s.reason + "\n";
    if (s.confirmation == plan::Confirmation::explicit_)
        out += "  - apply asks for it by name: `--confirm " + s.id + "` (`--yes` does not accept it)\n";
    if (s.skippable) out += "  - optional: `--skip " + s.id + "` leaves it out\n";
    if (!s.command.empty()) out += "  - command: `" + join(s.command, " ") + "` (required by " + join(s.required_by, ", ") + ")\n";
    if (s.kind == plan::StepKind::run_migration)
        out += "  - image: " + (s.image.empty() ? std::string("not known (see the inputs)") : "`" + s.image + "`") + "\n";
    if (std::string resource = s.resource_label(); !resource.empty()) out += "  - resource: `" + resource + "`\n";
    for (const auto& d : s.details) out += "  - " + d + "\n";
    bool any = false;
    for (const auto& p : s.parameters) {
        if (p.action == ParameterAction::keep && (p.why == "kept" || p.why.empty())) continue;
        if (!any) out += "\n  | parameter | action | value | why |\n  | --- | --- | --- | --- |\n";
        any = true;
        out += "  | " + markdown_cell(p.name) + " | " + std::string(plan::parameter_action_name(p.action)) + " | " +
               markdown_cell(p.value && !p.no_echo ? "`" + *p.value + "`"
                             : p.value_given ? std::string("(NoEcho value given)")
                                             : std::string()) +
               " | " + markdown_cell(p.why) + " |\n";
    }
    if (any) out += "\n";
    for (const auto& w : s.why) out += "  - _why:_ " + w + "\n";
}

}  // namespace

std::string plan_markdown(const plan::Plan& p) {
    PlanSummary sum = summarize(p);
    std::string out = "# Upgrade " + p.from.to_string() + " → " + p.to.to_string() + "\n\n";
    out += "Deployment `" + p.deployment + "`, releases `" + p.releases + "`, profile `" + p.profile +
           "`, plan fingerprint `" + plan::plan_fingerprint(p) + "`.\n\n";
    out += "| stack updates | skipped | deploy | delete | migrations | by a person | danger | inputs needed |\n";
    out += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
    out += "| " + std::to_string(sum.updates) + " | " + std::to_string(sum.skipped) + " | " + std::to_string(sum.deploys) +
           " | " + std::to_string(sum.deletes) + " | " + std::to_string(sum.migrations) + " | " +
           std::to_string(sum.manual) + " | " + std::to_string(sum.danger) + " (" + std::to_string(sum.unacknowledged) +
           " not acknowledged) | " + std::to_string(sum.inputs) + " |\n\n";
    if (p.blocked()) {
        out += p.export_conflicts.empty()
                   ? "> **Cannot be applied yet**: inputs are missing or a danger is not acknowledged.\n\n"
                   : "> **Cannot be applied yet**: CloudFormation would refuse a step over an export (below)" +
                         std::string(p.needs_input() || p.has_unacknowledged_danger() ? ", and inputs are missing or a danger is not acknowledged" : "") +
                         ".\n\n";
    }
    if (!p.export_conflicts.empty()) {
        out += "## Export conflicts\n\n| step | stack | export | what | importing stacks | fix |\n| --- | --- | --- | --- | --- | --- |\n";
        for (const auto& e : p.export_conflicts) {
            std::string users;
            for (const auto& u : e.importers) users += (users.empty() ? "" : ", ") + u;
            out += "| `" + e.step + "` | " + markdown_cell(e.stack) + " | `" + e.export_name + "` | " +
                   std::string(plan::export_conflict_kind_name(e.kind)) + (e.possible ? " (possibly)" : "") + " | " +
                   markdown_cell(users) + " | " + markdown_cell(e.fix) + " |\n";
        }
        out += "\n";
    }
    if (!p.inputs.empty()) {
        out += "## Inputs needed\n\n| stack | parameter | why |\n| --- | --- | --- |\n";
        for (const auto& i : p.inputs) {
            std::string what = !i.acknowledgement.empty() ? "acknowledge `" + i.acknowledgement + "`"
                               : !i.migration.empty()     ? "migration `" + i.migration + "`: run or skip"
                               : !i.role.empty()          ? "role " + i.role
                                                          : i.parameter;
            out += "| " + markdown_cell(i.stack) + " | " + markdown_cell(what) + " | " + markdown_cell(i.why) + " |\n";
        }
        out += "\n";
    }
    if (!p.warnings.empty()) {
        out += "## Warnings\n\n";
        for (const auto& w : p.warnings) out += "- " + w + "\n";
        out += "\n";
    }
    for (std::size_t h = 0; h < p.hops.size(); ++h) {
        const auto& hop = p.hops[h];
        out += "## Hop " + std::to_string(h + 1) + ": " + hop.from.to_string() + " → " + hop.to.to_string() + "\n\n";
        if (!hop.read.empty()) {
            out += "Read in the release notes before this hop:\n\n";
            for (const auto& r : hop.read) out += "- `" + r.source + "` (" + r.why + "): " + r.text + "\n";
            out += "\n";
        }
        for (const auto& s : hop.steps) write_step(out, s);
        out += "\n";
    }
    return out;
}

}  // namespace stackshift::render
