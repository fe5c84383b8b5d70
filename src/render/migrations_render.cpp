// What an upgrade must do about its databases, for a machine (JSON: the keys DESIGN.md fixes
// first, then the ones that say why) and for the operator (a short runbook).

#include <nlohmann/json.hpp>
#include <string_view>

#include "render/migrations_render.hpp"

namespace stackshift::render {

namespace {

using Json = nlohmann::ordered_json;
using release::PlannedOperation;

Json versions_json(const std::vector<Version>& versions) {
    Json out = Json::array();
    for (const auto& v : versions) out.push_back(v.to_string());
    return out;
}

std::string operation_name(const PlannedOperation& op) {
    return op.command.ends_with(" init") ? "init" : "migrate";
}

Json operation_json(const PlannedOperation& op) {
    Json j;
    j["database"] = op.database;
    j["command"] = op.command;
    j["required_by"] = versions_json(op.required_by);
    j["conditional"] = op.conditional;
    j["run_with"] = op.run_with.to_string();
    j["operation"] = operation_name(op);
    j["sources"] = Json::array();
    for (const auto& s : op.sources) j["sources"].push_back(s.to_string());
    // The sentences that make it conditional, so that the operator can decide.
    j["conditions"] = Json::array();
    for (const auto& c : op.conditions) j["conditions"].push_back(c.sentence);
    if (op.removed_in) {
        j["removed_in"] = op.removed_in->to_string();
        j["last_version_with_command"] = op.last_version_with_command ? Json(op.last_version_with_command->to_string()) : Json(nullptr);
    }
    return j;
}

Json waypoint_json(const release::PlannedWaypoint& w) {
    Json j;
    j["version"] = w.version.to_string();
    j["database"] = w.database.empty() ? Json(nullptr) : Json(w.database);
    j["source"] = w.source.to_string();
    j["written"] = w.written;
    j["command"] = w.command.empty() ? Json(nullptr) : Json(w.command);
    j["declared_in"] = w.declared_in.to_string();
    j["sentence"] = w.sentence;
    return j;
}

Json removal_json(const release::PlannedRemoval& r) {
    Json j;
    j["command"] = r.command;
    j["version"] = r.version.to_string();
    j["database"] = r.database;
    j["source"] = r.source.to_string();
    return j;
}

// ---- Text ----------------------------------------------------------------------------

struct Paint {
    bool on;
    std::string code(std::string_view c, std::string_view text) const {
        return on ? "\033[" + std::string(c) + "m" + std::string(text) + "\033[0m" : std::string(text);
    }
    std::string bold(std::string_view t) const { return code("1", t); }
    std::string yellow(std::string_view t) const { return code("33", t); }
    std::string red(std::string_view t) const { return code("31", t); }
    std::string dim(std::string_view t) const { return code("2", t); }
};

std::string version_list(const std::vector<Version>& versions) {
    std::string out;
    for (const auto& v : versions) out += (out.empty() ? "" : ", ") + v.to_string();
    return out;
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

void waypoints_text(std::string& out, const release::MigrationReport& report, const Paint& p) {
    if (report.waypoints.empty()) return;
    out += p.bold("Upgrade to these versions first, one after the other:") + "\n";
    for (const auto& w : report.waypoints) {
        out += "  " + p.yellow(w.version.to_string());
        if (!w.database.empty()) out += "  for " + w.database;
        if (!w.command.empty()) out += "; run " + w.command + " there";
        if (w.written != w.version.to_string()) out += p.dim("  (the notes say " + w.written + ")");
        out += "  " + p.dim(w.source.to_string()) + "\n";
    }
    out += "\n";
}

void operation_text(std::string& out, int number, const PlannedOperation& op, const Paint& p) {
    out += "  " + std::to_string(number) + ". " + p.bold(padded(op.command, 22)) + " required by " + version_list(op.required_by);
    if (op.conditional) out += "  " + p.yellow("conditional");
    out += "\n";
    for (const auto& c : op.conditions) out += "       " + p.dim("if: " + c.sentence + " (" + c.source.to_string() + ")") + "\n";
    if (op.removed_in) {
        std::string last = op.last_version_with_command ? op.last_version_with_command->to_string() : "no known version";
        out += "       " + p.red("removed in " + op.removed_in->to_string() + ": run it with " + last +
                               ", the last version that still has it") + "\n";
    }
}

void operations_text(std::string& out, const release::MigrationReport& report, const Paint& p) {
    auto operations = report.operations();
    if (operations.empty()) {
        out += "No database migration is required.\n\n";
        return;
    }
    out += p.bold("Run once each, with the " + report.to.to_string() + " image unless said otherwise:") + "\n";
    int number = 0;
    for (const auto* op : operations) operation_text(out, ++number, *op, p);
    out += "\n";
}

void removed_text(std::string& out, const release::MigrationReport& report, const Paint& p) {
    if (report.removed.empty()) return;
    out += p.bold("Database commands removed on the way:") + "\n";
    for (const auto& r : report.removed) {
        out += "  " + padded(r.command, 22) + " removed in " + r.version.to_string() + "  " + p.dim(r.source.to_string()) + "\n";
    }
    out += "\n";
}

}  // namespace

std::string migrations_text(const release::MigrationReport& report, bool color) {
    Paint p{color};
    std::string out = p.bold("Database operations from " + report.from.to_string() + " to " + report.to.to_string()) + "\n";
    out += "Release notes read: " + (report.releases.empty() ? std::string("none") : version_list(report.releases)) + "\n\n";
    waypoints_text(out, report, p);
    operations_text(out, report, p);
    removed_text(out, report, p);
    for (const auto& w : report.warnings) out += p.yellow("warning: ") + w + "\n";
    return out;
}

std::string migrations_json(const release::MigrationReport& report) {
    Json j;
    j["from"] = report.from.to_string();
    j["to"] = report.to.to_string();
    j["migrations"] = Json::array();
    for (const auto* op : report.operations()) j["migrations"].push_back(operation_json(*op));
    j["waypoints"] = Json::array();
    for (const auto& w : report.waypoints) j["waypoints"].push_back(waypoint_json(w));
    j["removed"] = Json::array();
    for (const auto& r : report.removed) j["removed"].push_back(removal_json(r));
    j["releases"] = versions_json(report.releases);
    j["warnings"] = report.warnings;
    // Sentences are UTF-8 when read from files; replace rather than throw on anything else.
    return j.dump(2, ' ', false, Json::error_handler_t::replace);
}

}  // namespace stackshift::render
