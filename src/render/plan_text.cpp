// The plan as a runbook for the terminal, read top to bottom: what the upgrade is, a summary
// with counts (changed stacks, risks, inputs needed), what blocks it, warnings, then every step
// with its risk, whether a person does it, what changes and why.

#include <algorithm>

#include "core/text.hpp"
#include "render/palette.hpp"
#include "plan/fingerprint.hpp"
#include "render/plan_render.hpp"

namespace stackshift::render {

namespace {

using plan::ParameterAction;
using plan::Risk;

std::string hop_chain(const plan::Plan& p) {
    std::string chain = p.from.to_string();
    for (const auto& hop : p.hops) chain += " -> " + hop.to.to_string();
    return chain;
}

std::string risk_label(Risk risk, const Palette& c) {
    switch (risk) {
    case Risk::danger: return c.bold_red("DANGER ");
    case Risk::caution: return c.yellow("caution");
    case Risk::info: return c.dim("info   ");
    }
    return "";
}

std::string parameter_line(const plan::ParameterPlan& p, const Palette& c) {
    std::string action(plan::parameter_action_name(p.action));
    std::string line = p.name + ": " + (p.action == ParameterAction::needs_input ? c.bold_red(action) : action);
    if (p.value && !p.no_echo) line += " = " + (p.value->empty() ? std::string("''") : p.value.value());
    if (p.value_given) line += " (NoEcho value given)";
    if (!p.previous.empty() && p.action != ParameterAction::keep) line += c.dim(" (was " + p.previous + ")");
    if (!p.why.empty() && p.why != "kept") line += c.dim(" - " + p.why);
    return line;
}

void write_parameters(std::string& out, const plan::Step& s, const Palette& c) {
    int kept = 0;
    for (const auto& p : s.parameters) {
        if (p.action == ParameterAction::keep && (p.why == "kept" || p.why.empty())) {
            ++kept;
            continue;
        }
        out += "       " + parameter_line(p, c) + "\n";
    }
    if (kept > 0) out += c.dim("       " + std::to_string(kept) + " other parameter(s) kept as they are") + "\n";
}

void write_step(std::string& out, int number, const plan::Step& s, const Palette& c) {
    out += "  " + std::to_string(number) + ". [" + risk_label(s.risk, c) + "] " + c.bold(s.title) +
           (s.automated ? "" : c.yellow("  (a person does or confirms this)")) + "\n";
    out += c.dim("       " + s.id + " · " + std::string(plan::step_kind_name(s.kind))) + "\n";
    if (!s.reason.empty()) out += "       reason: " + s.reason + "\n";
    if (s.confirmation == plan::Confirmation::explicit_)
        out += c.yellow("       apply asks for it by name: --confirm " + s.id + " (--yes does not accept it)") + "\n";
    if (s.skippable) out += "       optional: --skip " + s.id + " leaves it out\n";
    if (s.kind == plan::StepKind::run_migration) {
        out += "       command: " + join(s.command, " ") + "\n";
        out += "       required by: " + join(s.required_by, ", ") + "\n";
        out += "       image: " + (s.image.empty() ? std::string("not known (see the inputs)") : s.image) + "\n";
    }
    if (std::string resource = s.resource_label(); !resource.empty()) out += "       resource: " + resource + "\n";
    if (s.wait_seconds > 0) out += "       wait: " + std::to_string(s.wait_seconds) + " s\n";
    for (const auto& d : s.details) out += "       " + d + "\n";
    if (!s.parameters.empty()) write_parameters(out, s, c);
    if (!s.dropped_parameters.empty()) out += "       dropped: " + join(s.dropped_parameters, ", ") + "\n";
    for (const auto& w : s.why) out += c.dim("       why: " + w) + "\n";
}

}  // namespace

std::string plan_text(const plan::Plan& p, bool color) {
    Palette c{color};
    PlanSummary sum = summarize(p);
    std::string out;
    out += c.bold("Upgrade plan " + p.from.to_string() + " -> " + p.to.to_string()) +
           (p.hops.size() > 1 ? " in " + std::to_string(p.hops.size()) + " hops: " + hop_chain(p) : "") + "\n";
    out += c.dim("deployment " + p.deployment + " · releases " + p.releases + " · profile " + p.profile +
                 " · fingerprint " + plan::plan_fingerprint(p)) + "\n\n";
    out += "Summary: " + std::to_string(sum.updates) + " stack update(s), " + std::to_string(sum.skipped) +
           " skipped, " + std::to_string(sum.deploys) + " to deploy, " + std::to_string(sum.deletes) + " to delete, " +
           std::to_string(sum.migrations) + " migration(s), " + std::to_string(sum.manual) +
           " step(s) for a person\n";
    out += "         " + std::to_string(sum.danger) + " danger (" + std::to_string(sum.unacknowledged) +
           " not acknowledged), " + std::to_string(sum.caution) + " caution, " + std::to_string(sum.inputs) +
           " input(s) needed\n";
    if (p.blocked()) {
        out += c.bold_red("Cannot be applied yet:");
        std::size_t roles = static_cast<std::size_t>(
            std::count_if(p.inputs.begin(), p.inputs.end(), [](const plan::Input& i) { return !i.role.empty(); }));
        if (sum.inputs > static_cast<int>(roles))
            out += " give the " + std::to_string(sum.inputs - static_cast<int>(roles)) + " input(s) below in a --values file;";
        if (roles > 0) out += " settle the " + std::to_string(roles) + " role(s) below that the templates do not single out;";
        if (sum.unacknowledged)
            out += " back up what each danger step would lose (its snapshot step), then acknowledge it with "
                   "--allow-replace STACK/LOGICALID;";
        if (!p.export_conflicts.empty())
            out += " settle the " + std::to_string(p.export_conflicts.size()) +
                   " export conflict(s) below, which CloudFormation would refuse;";
        out += "\n";
    } else {
        out += c.green("Ready to apply.") + "\n";
    }
    if (!p.inputs.empty()) {
        out += "\n" + c.bold("Inputs needed") + "\n";
        for (const auto& i : p.inputs) {
            if (!i.acknowledgement.empty())
                out += "  acknowledge " + i.acknowledgement + (i.stack.empty() ? "" : " (" + i.stack + ")") + ": " + i.why;
            else if (!i.migration.empty())
                out += "  migration " + i.migration + " (run or skip): " + i.why;
            else
                out += "  " + i.stack + " " + (i.role.empty() ? i.parameter : "role " + i.role) + ": " + i.why;
            if (!i.allowed_values.empty()) out += " (allowed: " + join(i.allowed_values, ", ") + ")";
            out += "\n";
        }
    }
    if (!p.export_conflicts.empty()) {
        out += "\n" + c.bold("Export conflicts") + "\n";
        for (const auto& e : p.export_conflicts) out += "  " + c.bold_red("x") + " " + e.describe() + "\n";
    }
    if (!p.warnings.empty()) {
        out += "\n" + c.bold("Warnings") + "\n";
        for (const auto& w : p.warnings) out += "  " + c.yellow("!") + " " + w + "\n";
    }
    int number = 0;
    for (std::size_t h = 0; h < p.hops.size(); ++h) {
        const auto& hop = p.hops[h];
        out += "\n" + c.bold("Hop " + std::to_string(h + 1) + " of " + std::to_string(p.hops.size()) + ": " +
                             hop.from.to_string() + " -> " + hop.to.to_string()) + "\n";
        if (!hop.read.empty()) {
            out += "  Read in the release notes before this hop:\n";
            for (const auto& r : hop.read) out += "    " + c.dim(r.source) + " (" + r.why + "): " + r.text + "\n";
        }
        for (const auto& s : hop.steps) write_step(out, ++number, s, c);
    }
    return out;
}

}  // namespace stackshift::render
