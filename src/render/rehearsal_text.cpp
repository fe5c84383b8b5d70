// A rehearsal's verdict as text for the terminal and as Markdown for a change ticket: the
// verdict first, then the failed step with what AWS said and what to change, then the measures
// of the run (steps, virtual time, API calls, data lost) and the steps a person must still do.

#include "core/duration.hpp"
#include "core/text.hpp"
#include "render/markdown_cell.hpp"
#include "render/palette.hpp"
#include "render/rehearsal_render.hpp"

namespace stackshift::render {

namespace {

using plan::Verdict;

std::string calls_summary(const plan::Rehearsal& r) {
    std::uint64_t total = 0;
    std::string detail;
    for (const auto& [operation, count] : r.api_calls) {
        total += count;
        detail += (detail.empty() ? "" : ", ") + operation + " " + std::to_string(count);
    }
    return std::to_string(total) + (detail.empty() ? "" : " (" + detail + ")");
}

std::string steps_summary(const plan::StepCounts& s) {
    return std::to_string(s.done) + " done, " + std::to_string(s.skipped) + " skipped, " + std::to_string(s.failed) +
           " failed, " + std::to_string(s.not_run) + " not run (of " + std::to_string(s.total) + ")";
}

std::string lost_label(const plan::LostData& d) {
    return d.stack + "/" + d.logical_id + " (" + d.type + ", " + d.cause + ")";
}

std::string resource_label(const plan::FailedStep& f) {
    return f.logical_id.empty() ? std::string() : f.logical_id + " (" + f.resource_type + ")";
}

std::string verdict_line(const plan::Rehearsal& r, const Palette& p) {
    std::string words(plan::verdict_words(r.verdict));
    std::string painted = r.verdict == Verdict::would_succeed ? p.paint("1;32", words)
                          : r.verdict == Verdict::blocked     ? p.paint("1;33", words)
                                                              : p.bold_red(words);
    return "rehearsal of " + r.deployment + " " + r.from + " -> " + r.to + ": " + painted + "\n";
}

}  // namespace

std::string rehearsal_text(const plan::Rehearsal& r, bool color) {
    Palette p{color};
    std::string out = verdict_line(r, p);
    if (r.failed_step) {
        const auto& f = *r.failed_step;
        out += "\n" + p.bold("first step that would fail: ") + f.id + ": " + f.title + "\n";
        if (!f.stack.empty()) {
            out += "  stack:    " + f.stack + (f.stack_status.empty() ? "" : " (ends in " + f.stack_status + ")") + "\n";
        }
        if (std::string resource = resource_label(f); !resource.empty()) out += "  resource: " + resource + "\n";
    }
    if (r.error) {
        const auto& e = *r.error;
        out += "  " + p.red("error:") + "    " + (e.code.empty() ? std::string() : e.code + ": ") + e.message + "\n";
        if (!e.log.empty()) {
            out += "  log:\n";
            for (const auto& line : e.log) out += "    " + line + "\n";
        }
        if (!e.detail.empty() && e.detail != e.message) out += "  " + p.dim("executor: " + e.detail) + "\n";
    }
    if (!r.advice.empty()) {
        out += "\n" + p.bold("what to change:") + "\n";
        for (const auto& a : r.advice) out += "  - " + a + "\n";
    }
    out += "\nsteps:         " + steps_summary(r.steps) + "\n";
    if (r.verdict != Verdict::blocked) {
        out += "virtual time:  " + format_duration(r.clock_s) + " (simulated)\n";
        out += "API calls:     " + calls_summary(r) + "\n";
        std::size_t acknowledged = 0;
        std::size_t system_disks = 0;
        for (const auto& d : r.data_lost) {
            acknowledged += d.acknowledged && !d.system_disk ? 1 : 0;
            system_disks += d.system_disk ? 1 : 0;
        }
        std::string disks = system_disks == 0 ? std::string()
                            : system_disks == 1
                                ? ", 1 system disk deleted with its instance"
                                : ", " + std::to_string(system_disks) + " system disks deleted with their instances";
        out += "data lost:     " +
               (r.data_lost.empty() ? std::string("none")
                                    : std::to_string(r.data_lost.size()) + " resource(s), " + std::to_string(acknowledged) +
                                          " acknowledged by the plan" + disks) +
               "\n";
        for (const auto& d : r.data_lost) {
            std::string state = d.system_disk    ? p.yellow("system disk (deleted with its instance, as AWS does)")
                                : d.acknowledged ? p.yellow("acknowledged")
                                                 : p.bold_red("NOT acknowledged");
            out += "  " + state + " " + lost_label(d) + "\n";
        }
    }
    if (!r.manual_steps.empty()) {
        out += "\n" + p.bold("steps a person must still do for real") + " (the rehearsal confirmed them without doing them):\n";
        for (const auto& m : r.manual_steps) {
            out += "  - " + m.id + ": " + m.title + (m.reached ? "" : p.dim(" (not reached)")) + "\n";
            for (const auto& d : m.details) out += "      " + d + "\n";
        }
    }
    return out;
}

std::string rehearsal_markdown(const plan::Rehearsal& r) {
    std::string out = "# Rehearsal " + r.from + " → " + r.to + ": " + std::string(plan::verdict_words(r.verdict)) + "\n\n";
    out += "Deployment `" + r.deployment + "`, rehearsed in a simulated AWS made from it as it is.\n\n";
    if (r.failed_step) {
        const auto& f = *r.failed_step;
        out += "## First step that would fail\n\n";
        out += "- step: `" + f.id + "`: " + f.title + "\n";
        if (!f.stack.empty()) out += "- stack: `" + f.stack + "`" + (f.stack_status.empty() ? "" : " (ends in " + f.stack_status + ")") + "\n";
        if (std::string resource = resource_label(f); !resource.empty()) out += "- resource: `" + resource + "`\n";
    }
    if (r.error) {
        const auto& e = *r.error;
        if (!r.failed_step) out += "## Error\n\n";
        out += "- error: " + (e.code.empty() ? std::string() : "`" + e.code + "` ") + e.message + "\n";
        if (!e.detail.empty() && e.detail != e.message) out += "- executor: " + e.detail + "\n";
        if (!e.log.empty()) {
            out += "\n```\n";
            for (const auto& line : e.log) out += line + "\n";
            out += "```\n";
        }
        out += "\n";
    }
    if (!r.advice.empty()) {
        out += "## What to change\n\n";
        for (const auto& a : r.advice) out += "- " + a + "\n";
        out += "\n";
    }
    out += "## The run\n\n| steps | virtual time | API calls | data lost |\n| --- | --- | --- | --- |\n";
    std::string lost = r.data_lost.empty() ? std::string("none") : std::string();
    for (const auto& d : r.data_lost)
        lost += (lost.empty() ? "" : "; ") + lost_label(d) +
                (d.system_disk ? ", system disk" : d.acknowledged ? ", acknowledged" : ", **not acknowledged**");
    out += "| " + markdown_cell(steps_summary(r.steps)) + " | " +
           (r.verdict == Verdict::blocked ? std::string("-") : format_duration(r.clock_s) + " (simulated)") + " | " +
           markdown_cell(calls_summary(r)) + " | " + markdown_cell(lost) + " |\n\n";
    if (!r.manual_steps.empty()) {
        out += "## Steps a person must still do for real\n\nThe rehearsal confirmed them without doing them.\n\n";
        for (const auto& m : r.manual_steps) {
            out += "- [ ] **" + m.title + "** (`" + m.id + "`" + (m.reached ? "" : ", not reached") + ")\n";
            for (const auto& d : m.details) out += "  - " + d + "\n";
        }
        out += "\n";
    }
    return out;
}

}  // namespace stackshift::render
