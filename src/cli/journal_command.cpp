// stackshift journal [--journal FILE] [--run ID] [--output text|json]: shows what `stackshift
// apply` recorded: every run (newest first) with its outcome and step counts, or one run's
// steps and actions with their timings. Reads the journal only; never writes it.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "apply/journal.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace stackshift::cli {

namespace {

struct JournalOptions {
    std::string journal = std::string(apply::default_journal_file);
    std::string run;
    std::string output = "text";
};

std::string known_runs(const std::vector<apply::RunRecord>& runs) {
    if (runs.empty()) return "the journal holds no runs";
    std::vector<std::string> ids;
    for (const auto& r : runs) ids.push_back(std::to_string(r.id));
    std::reverse(ids.begin(), ids.end());
    return "runs are " + join(ids, ", ");
}

// The run --run names, checked against the journal.
apply::RunRecord find_run(const apply::Journal& journal, const std::string& text) {
    std::int64_t id = 0;
    bool number = !text.empty() && text.size() < 19 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (number) id = std::stoll(text);
    auto run = number ? journal.run(id) : std::nullopt;
    if (run) return *run;
    auto runs = journal.runs();
    throw InputError((number ? "no run " + text : "--run " + quote(text) + " is not a run number") + " in the journal " +
                     quote(journal.path()) + "; " + known_runs(runs) + " (list them with 'stackshift journal --journal " +
                     journal.path() + "')");
}

std::string duration_text(std::int64_t ms) {
    char text[32];
    if (ms < 60'000) std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(ms) / 1000.0);
    else if (ms < 3'600'000) std::snprintf(text, sizeof text, "%lldm %llds", static_cast<long long>(ms / 60'000), static_cast<long long>(ms / 1000 % 60));
    else std::snprintf(text, sizeof text, "%lldh %lldm", static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60));
    return text;
}

std::string duration_or_blank(const std::optional<std::int64_t>& from, const std::optional<std::int64_t>& to) {
    return from && to ? duration_text(*to - *from) : "";
}

std::string step_counts(const apply::RunRecord& r) {
    std::string text = std::to_string(r.steps_done) + "/" + std::to_string(r.steps_total()) + " done";
    if (r.steps_started > 0) text += ", " + std::to_string(r.steps_started) + " started";
    if (r.steps_failed > 0) text += ", " + std::to_string(r.steps_failed) + " failed";
    if (r.steps_skipped > 0) text += ", " + std::to_string(r.steps_skipped) + " skipped";
    return text;
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

// Rows of cells as columns two spaces apart; the last cell is not padded.
void print_table(const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    for (const auto& row : rows) {
        std::string line = indent;
        for (std::size_t i = 0; i < row.size(); ++i) line += i + 1 < row.size() ? pad(row[i], widths[i]) + "  " : row[i];
        while (!line.empty() && line.back() == ' ') line.pop_back();
        std::cout << line << '\n';
    }
}

void print_runs_text(const apply::Journal& journal, const std::vector<apply::RunRecord>& runs) {
    std::cout << "journal " << journal.path() << ": " << runs.size() << (runs.size() == 1 ? " run" : " runs") << '\n';
    if (runs.empty()) return;
    std::vector<std::vector<std::string>> rows{{"run", "started", "took", "outcome", "versions", "steps", "deployment"}};
    for (const auto& r : runs) {
        rows.push_back({std::to_string(r.id), apply::format_utc(r.started_ms), duration_or_blank(r.started_ms, r.ended_ms),
                        std::string(apply::run_outcome_name(r.outcome)), r.from + " -> " + r.to, step_counts(r), r.deployment});
    }
    std::cout << '\n';
    print_table(rows, "");
}

void print_run_text(const apply::Journal& journal, const apply::RunRecord& r) {
    std::cout << "run " << r.id << " of " << r.deployment << ": " << r.from << " -> " << r.to << ", "
              << apply::run_outcome_name(r.outcome);
    if (r.resumes > 0) std::cout << " (resumed " << r.resumes << (r.resumes == 1 ? " time)" : " times)");
    std::cout << '\n' << "started " << apply::format_utc(r.started_ms);
    if (r.ended_ms) std::cout << ", ended " << apply::format_utc(*r.ended_ms) << " (" << duration_text(*r.ended_ms - r.started_ms) << ")";
    std::cout << "; plan " << r.plan_fingerprint << "; steps " << step_counts(r) << '\n';
    if (!r.message.empty()) std::cout << r.message << '\n';
    std::cout << '\n';
    for (const auto& step : journal.steps(r.id)) {
        std::vector<std::vector<std::string>> rows{{std::to_string(step.position), step.step_id,
                                                     std::string(apply::step_status_name(step.status)),
                                                     duration_or_blank(step.started_ms, step.ended_ms), step.message}};
        print_table(rows, "");
        std::vector<std::vector<std::string>> actions;
        for (const auto& a : journal.actions(r.id, step.step_id)) {
            actions.push_back({a.kind, a.name, std::string(apply::action_state_name(a.state)),
                               duration_or_blank(a.intended_ms, a.ended_ms), a.aws_id, a.message});
        }
        print_table(actions, "     ");
    }
}

nlohmann::json optional_ms(const std::optional<std::int64_t>& ms) { return ms ? nlohmann::json(*ms) : nlohmann::json(nullptr); }
nlohmann::json optional_time(const std::optional<std::int64_t>& ms) {
    return ms ? nlohmann::json(apply::format_utc(*ms)) : nlohmann::json(nullptr);
}

nlohmann::json run_json(const apply::RunRecord& r) {
    return {{"id", r.id}, {"deployment", r.deployment}, {"plan_fingerprint", r.plan_fingerprint}, {"from", r.from},
            {"to", r.to}, {"started", apply::format_utc(r.started_ms)}, {"started_ms", r.started_ms},
            {"ended", optional_time(r.ended_ms)}, {"ended_ms", optional_ms(r.ended_ms)},
            {"outcome", apply::run_outcome_name(r.outcome)}, {"message", r.message}, {"resumes", r.resumes},
            {"elapsed_s", r.elapsed_s},  // on the backend's clock over all attempts (virtual in the simulator)
            {"step_counts", {{"total", r.steps_total()}, {"pending", r.steps_pending}, {"started", r.steps_started},
                       {"done", r.steps_done}, {"failed", r.steps_failed}, {"skipped", r.steps_skipped}}}};
}

nlohmann::json run_detail_json(const apply::Journal& journal, const apply::RunRecord& r) {
    nlohmann::json run = run_json(r);
    run["steps"] = nlohmann::json::array();
    for (const auto& step : journal.steps(r.id)) {
        nlohmann::json actions = nlohmann::json::array();
        for (const auto& a : journal.actions(r.id, step.step_id)) {
            actions.push_back({{"kind", a.kind}, {"name", a.name}, {"aws_id", a.aws_id},
                               {"state", apply::action_state_name(a.state)}, {"intended_ms", a.intended_ms},
                               {"started_ms", optional_ms(a.started_ms)}, {"ended_ms", optional_ms(a.ended_ms)},
                               {"message", a.message}});
        }
        run["steps"].push_back({{"position", step.position}, {"id", step.step_id}, {"kind", step.kind},
                                       {"stack", step.stack}, {"status", apply::step_status_name(step.status)},
                                       {"started_ms", optional_ms(step.started_ms)}, {"ended_ms", optional_ms(step.ended_ms)},
                                       {"message", step.message}, {"actions", std::move(actions)}});
    }
    return run;
}

int run_journal(const JournalOptions& options) {
    // Read: the journal as it is, without writing to it.
    check_text_or_json(options.output);
    apply::Journal journal(options.journal, apply::JournalAccess::read_existing);

    // One run's steps and actions, or every run.
    if (!options.run.empty()) {
        apply::RunRecord r = find_run(journal, options.run);
        if (options.output == "json") std::cout << nlohmann::json{{"journal", journal.path()}, {"run", run_detail_json(journal, r)}}.dump(2) << '\n';
        else print_run_text(journal, r);
        return 0;
    }
    auto runs = journal.runs();
    if (options.output == "json") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : runs) list.push_back(run_json(r));
        std::cout << nlohmann::json{{"journal", journal.path()}, {"runs", std::move(list)}}.dump(2) << '\n';
    } else {
        print_runs_text(journal, runs);
    }
    return 0;
}

}  // namespace

Handler setup_journal(CommandLine& command) {
    auto options = std::make_shared<JournalOptions>();
    command.option("--journal", options->journal,
                       "The journal 'stackshift apply' wrote (default: stackshift-journal.db in the current folder)");
    command.option("--run", options->run, "Show one run's steps and actions, by its number");
    command.option("--output", options->output, "Output format: text or json");
    return [options] { return run_journal(*options); };
}

}  // namespace stackshift::cli
