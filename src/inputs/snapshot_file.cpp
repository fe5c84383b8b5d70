#include "inputs/snapshot_file.hpp"

#include <nlohmann/json.hpp>

#include "core/file_io.hpp"
#include "core/no_echo.hpp"
#include "core/utc_time.hpp"
#include "doc/document.hpp"

namespace stackshift::inputs {

namespace {

using cfn::DeployedStack;
using cfn::Deployment;
using doc::Value;

constexpr std::string_view snapshot_format = "stackshift-deployment/1";

class SnapshotReader {
public:
    explicit SnapshotReader(const std::string& file) : m_file(file) {}

    Result<Deployment> read(const Value& root) {
        Deployment d;
        d.file = m_file;
        if (!root.is_map()) {
            error(root.position(), "a deployment snapshot is a JSON object with \"format\": \"stackshift-deployment/1\"");
            return Failure{std::move(m_problems)};
        }
        const Value* format = root.find("format");
        if (format == nullptr || format->text() != snapshot_format)
            error(format ? format->position() : root.position(),
                  "unknown snapshot format '" + (format ? format->text() : std::string()) + "'; expected \"format\": \"stackshift-deployment/1\"");
        d.region = scalar(root, "region");
        d.version = scalar(root, "version");
        const Value* stacks = root.find("stacks");
        if (stacks == nullptr || !stacks->is_list()) {
            error(stacks ? stacks->position() : root.position(), "the snapshot needs \"stacks\": a list of stacks");
        } else {
            for (const auto& item : stacks->items()) read_stack(item, d);
        }
        if (!m_problems.empty()) return Failure{std::move(m_problems)};
        return d;
    }

private:
    void error(Position at, std::string message) { m_problems.push_back(Diagnostic{m_file, at, std::move(message)}); }

    std::string scalar(const Value& map, std::string_view key) {
        const Value* v = map.find(key);
        if (v == nullptr || v->is_null()) return {};
        if (!v->is_scalar()) error(v->position(), std::string(key) + " must be a string");
        return v->text();
    }

    void string_map(const Value& map, std::string_view key, std::map<std::string, std::string, std::less<>>& out) {
        const Value* v = map.find(key);
        if (v == nullptr || v->is_null()) return;
        if (!v->is_map()) {
            error(v->position(), std::string(key) + " must be an object of names to strings");
            return;
        }
        for (const auto& m : v->members()) {
            if (m.value.is_scalar()) out[m.key] = m.value.text();
            else error(m.value.position(), std::string(key) + "." + m.key + " must be a string");
        }
    }

    void read_stack(const Value& item, Deployment& d) {
        if (!item.is_map()) {
            error(item.position(), "each stack is an object with at least a name");
            return;
        }
        DeployedStack s;
        s.name = scalar(item, "name");
        if (s.name.empty()) error(item.position(), "a stack has no name");
        if (d.stack(s.name) != nullptr) error(item.position(), "stack '" + s.name + "' appears twice");
        s.template_id = scalar(item, "template");
        s.status = scalar(item, "status");
        string_map(item, "parameters", s.parameters);
        string_map(item, "outputs", s.outputs);
        string_map(item, "tags", s.tags);
        if (const Value* no_echo = item.find("noEcho"); no_echo && no_echo->is_list()) {
            for (const auto& n : no_echo->items()) s.no_echo.push_back(n.text());
        }
        for (const auto& name : s.no_echo) {
            auto it = s.parameters.find(name);
            if (it != s.parameters.end() && it->second != masked_value)
                error(item.position(), "stack '" + s.name + "': NoEcho parameter " + name +
                                           " holds a value; a snapshot stores NoEcho values only as \"****\"");
        }
        s.template_body = scalar(item, "templateBody");
        read_last_updated(item, s);
        if (const Value* drift = item.find("drift"); drift && !drift->is_null()) read_drift(*drift, s);
        d.stacks.push_back(std::move(s));
    }

    // "lastUpdated": "2026-12-07T09:12:44Z", optional (snapshots written before it was kept).
    void read_last_updated(const Value& item, DeployedStack& s) {
        const Value* at = item.find("lastUpdated");
        if (at == nullptr || at->is_null()) return;
        if (auto seconds = at->is_string() ? parse_iso_utc(at->text()) : std::nullopt) s.last_updated_s = *seconds;
        else error(at->position(), "stack '" + s.name + "': lastUpdated '" + at->text() +
                                       "' is not a time; expected UTC as YYYY-MM-DDTHH:MM:SSZ, such as 2026-12-07T09:12:44Z");
    }

    // "drift": {"check": "checked", "resources": [...]} or {"check": "failed", "reason": "..."};
    // a stack without it was never checked.
    void read_drift(const Value& drift, DeployedStack& s) {
        if (!drift.is_map()) return error(drift.position(), "drift must be an object with \"check\": checked or failed");
        for (const auto& m : drift.members())
            if (m.key != "check" && m.key != "reason" && m.key != "resources")
                error(m.value.position(), "unknown key '" + m.key + "' in drift; expected check, reason, resources");
        std::string check = scalar(drift, "check");
        const Value* at = drift.find("check");
        if (check == "checked") s.drift_check = cfn::DriftCheck::checked;
        else if (check == "failed") s.drift_check = cfn::DriftCheck::failed;
        else error(at ? at->position() : drift.position(), "drift.check must be checked or failed, got '" + check + "'");
        s.drift_failure = scalar(drift, "reason");
        if (s.drift_check == cfn::DriftCheck::failed && s.drift_failure.empty())
            error(drift.position(), "a failed drift check needs its \"reason\"");
        const Value* resources = drift.find("resources");
        if (resources == nullptr || resources->is_null()) return;
        if (!resources->is_list()) return error(resources->position(), "drift.resources must be a list");
        for (const auto& r : resources->items()) read_drifted(r, s);
    }

    void read_drifted(const Value& r, DeployedStack& s) {
        if (!r.is_map()) return error(r.position(), "each drifted resource is an object with logicalId, type, status");
        cfn::DriftedResource out;
        out.logical_id = scalar(r, "logicalId");
        out.type = scalar(r, "type");
        if (out.logical_id.empty() || out.type.empty()) error(r.position(), "a drifted resource needs logicalId and type");
        std::string status = scalar(r, "status");
        if (auto known = cfn::drift_status_from_name(status)) out.status = *known;
        else error(r.find("status") ? r.find("status")->position() : r.position(),
                   "drift status must be MODIFIED or DELETED, got '" + status + "'");
        if (const Value* differences = r.find("differences"); differences && !differences->is_null()) {
            if (!differences->is_list()) error(differences->position(), "differences must be a list");
            else
                for (const auto& p : differences->items()) {
                    if (!p.is_map()) {
                        error(p.position(), "each difference is an object with path, expected, actual, type");
                        continue;
                    }
                    cfn::DriftDifference diff{scalar(p, "path"), scalar(p, "expected"), scalar(p, "actual"), scalar(p, "type")};
                    if (diff.type != "ADD" && diff.type != "REMOVE" && diff.type != "NOT_EQUAL")
                        error(p.find("type") ? p.find("type")->position() : p.position(),
                              "difference type must be ADD, REMOVE or NOT_EQUAL, got '" + diff.type + "'");
                    if (diff.path.empty()) error(p.position(), "a difference needs its path");
                    out.differences.push_back(std::move(diff));
                }
        }
        s.drift.push_back(std::move(out));
    }

    const std::string& m_file;
    Diagnostics m_problems;
};

nlohmann::ordered_json drift_json(const DeployedStack& s) {
    nlohmann::ordered_json j;
    j["check"] = s.drift_check == cfn::DriftCheck::checked ? "checked" : "failed";
    if (s.drift_check == cfn::DriftCheck::failed) j["reason"] = s.drift_failure;
    j["resources"] = nlohmann::ordered_json::array();
    for (const auto& r : s.drift) {
        nlohmann::ordered_json differences = nlohmann::ordered_json::array();
        for (const auto& d : r.differences)
            differences.push_back({{"path", d.path}, {"expected", d.expected}, {"actual", d.actual}, {"type", d.type}});
        j["resources"].push_back({{"logicalId", r.logical_id}, {"type", r.type}, {"status", cfn::drift_status_name(r.status)},
                                  {"differences", differences}});
    }
    return j;
}

}  // namespace

Result<cfn::Deployment> load_deployment(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    auto document = doc::parse_document(*text, path, doc::Format::json);
    if (!document) return std::move(document).failure();
    return SnapshotReader(path).read(*document);
}

std::string deployment_to_json(const cfn::Deployment& deployment) {
    nlohmann::ordered_json out;
    out["format"] = std::string(snapshot_format);
    out["region"] = deployment.region;
    if (!deployment.version.empty()) out["version"] = deployment.version;
    out["stacks"] = nlohmann::ordered_json::array();
    for (const auto& s : deployment.stacks) {
        nlohmann::ordered_json j;
        j["name"] = s.name;
        if (!s.template_id.empty()) j["template"] = s.template_id;
        j["status"] = s.status;
        // A NoEcho value is never written, whatever the model holds.
        auto parameters = s.parameters;
        for (const auto& name : s.no_echo) {
            if (auto it = parameters.find(name); it != parameters.end()) it->second = std::string(masked_value);
        }
        j["parameters"] = parameters;
        j["noEcho"] = s.no_echo;
        j["outputs"] = s.outputs;
        j["tags"] = s.tags;
        j["templateBody"] = s.template_body;
        if (s.last_updated_s != 0) j["lastUpdated"] = format_iso_utc(s.last_updated_s);
        if (s.drift_check != cfn::DriftCheck::not_checked) j["drift"] = drift_json(s);
        out["stacks"].push_back(std::move(j));
    }
    return out.dump(2);
}

}  // namespace stackshift::inputs
