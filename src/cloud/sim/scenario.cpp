#include "cloud/sim/scenario.hpp"

#include <charconv>

#include "cfn/template.hpp"
#include "core/file_io.hpp"

namespace stackshift::cloud::sim {

namespace {

using cfn::Value;

// Reads the document's fields, collecting a diagnostic for each bad one.
class Reader {
public:
    explicit Reader(const std::string& file) : m_file(file) {}

    void problem(const Value& at, const std::string& message) {
        m_problems.push_back(Diagnostic{m_file, at.position(), message});
    }

    std::string text(const Value& v, std::string_view what) {
        if (!v.is_scalar() || v.is_null()) problem(v, "expected a text value for '" + std::string(what) + "'");
        return v.text();
    }

    std::int64_t integer(const Value& v, std::string_view what, std::int64_t low) {
        std::int64_t n = 0;
        const std::string& t = v.text();
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        if (!v.is_scalar() || ec != std::errc{} || end != t.data() + t.size() || n < low) {
            problem(v, "expected a whole number of at least " + std::to_string(low) + " for '" + std::string(what) +
                           "', got '" + t + "'");
        }
        return n;
    }

    double fraction(const Value& v, std::string_view what) {
        double d = -1;
        const std::string& t = v.text();
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
        if (!v.is_scalar() || ec != std::errc{} || end != t.data() + t.size() || d < 0 || d > 1) {
            problem(v, "expected a number from 0 to 1 for '" + std::string(what) + "', got '" + t + "'");
            return 0;
        }
        return d;
    }

    const std::vector<Value>* list(const Value& v, std::string_view what) {
        if (v.is_list()) return &v.items();
        problem(v, "expected a list for '" + std::string(what) + "'");
        return nullptr;
    }

    bool map(const Value& v, std::string_view what) {
        if (v.is_map()) return true;
        problem(v, "expected a map for '" + std::string(what) + "'");
        return false;
    }

    std::vector<std::string> strings(const Value& v, std::string_view what) {
        std::vector<std::string> out;
        if (auto* items = list(v, what)) {
            for (const auto& item : *items) out.push_back(text(item, what));
        }
        return out;
    }

    Diagnostics& problems() { return m_problems; }

private:
    std::string m_file;
    Diagnostics m_problems;
};

FailingResource read_failing_resource(Reader& r, const Value& v) {
    FailingResource f;
    if (!r.map(v, "failing_resources")) return f;
    for (const auto& m : v.members()) {
        if (m.key == "stack") f.stack = r.text(m.value, "stack");
        else if (m.key == "logicalId") f.logical_id = r.text(m.value, "logicalId");
        else if (m.key == "reason") f.reason = r.text(m.value, "reason");
        else if (m.key == "rollback") {
            std::string how = r.text(m.value, "rollback");
            if (how == "failed") f.rollback_fails = true;
            else if (how != "complete") r.problem(m.value, "expected 'complete' or 'failed' for 'rollback', got '" + how + "'");
        } else {
            r.problem(m.value, "unknown key '" + m.key + "' in failing_resources; expected stack, logicalId, reason, rollback");
        }
    }
    if (f.stack.empty() || f.logical_id.empty()) r.problem(v, "a failing resource needs 'stack' and 'logicalId'");
    if (f.reason.empty()) f.reason = "Resource handler returned message: \"simulated failure of " + f.logical_id + "\"";
    return f;
}

FailingTask read_failing_task(Reader& r, const Value& v) {
    FailingTask f;
    if (!r.map(v, "failing_tasks")) return f;
    for (const auto& m : v.members()) {
        if (m.key == "command") f.command = r.text(m.value, "command");
        else if (m.key == "exitCode") f.exit_code = static_cast<int>(r.integer(m.value, "exitCode", 1));
        else if (m.key == "log") f.log = r.strings(m.value, "log");
        else r.problem(m.value, "unknown key '" + m.key + "' in failing_tasks; expected command, exitCode, log");
    }
    if (f.command.empty()) r.problem(v, "a failing task needs 'command'");
    if (f.log.empty()) f.log.push_back("error: " + f.command + " failed");
    return f;
}

UnsettledService read_unsettled_service(Reader& r, const Value& v) {
    UnsettledService u;
    if (!r.map(v, "unsettled_services")) return u;
    for (const auto& m : v.members()) {
        if (m.key == "stack") u.stack = r.text(m.value, "stack");
        else if (m.key == "logicalId") u.logical_id = r.text(m.value, "logicalId");
        else r.problem(m.value, "unknown key '" + m.key + "' in unsettled_services; expected stack, logicalId");
    }
    if (u.stack.empty() || u.logical_id.empty()) r.problem(v, "an unsettled service needs 'stack' and 'logicalId'");
    return u;
}

UnhealthyService read_unhealthy_service(Reader& r, const Value& v) {
    UnhealthyService u;
    if (!r.map(v, "unhealthy_services")) return u;
    for (const auto& m : v.members()) {
        if (m.key == "stack") u.stack = r.text(m.value, "stack");
        else if (m.key == "logicalId") u.logical_id = r.text(m.value, "logicalId");
        else if (m.key == "running") u.running = static_cast<int>(r.integer(m.value, "running", 0));
        else r.problem(m.value, "unknown key '" + m.key + "' in unhealthy_services; expected stack, logicalId, running");
    }
    if (u.stack.empty() || u.logical_id.empty()) r.problem(v, "an unhealthy service needs 'stack' and 'logicalId'");
    return u;
}

FailingRefresh read_failing_refresh(Reader& r, const Value& v) {
    FailingRefresh f;
    if (!r.map(v, "failing_instance_refreshes")) return f;
    for (const auto& m : v.members()) {
        if (m.key == "stack") f.stack = r.text(m.value, "stack");
        else if (m.key == "logicalId") f.logical_id = r.text(m.value, "logicalId");
        else if (m.key == "reason") f.reason = r.text(m.value, "reason");
        else r.problem(m.value, "unknown key '" + m.key + "' in failing_instance_refreshes; expected stack, logicalId, reason");
    }
    if (f.stack.empty() || f.logical_id.empty()) r.problem(v, "a failing instance refresh needs 'stack' and 'logicalId'");
    return f;
}

std::string kinds_list(bool with_ssm) {
    std::string out;
    for (auto kind : inventory_kinds()) out += (out.empty() ? "" : ", ") + std::string(kind);
    return with_ssm ? out + ", ssm_parameters" : out;
}

// `account.add` or `account.remove`: lists of ids by kind.
void read_inventory_ids(Reader& r, const Value& v, const std::string& where, bool with_ssm,
                        std::map<std::string, std::vector<std::string>, std::less<>>& out) {
    if (!r.map(v, where)) return;
    for (const auto& m : v.members()) {
        bool known = Inventory().ids(m.key) != nullptr || (with_ssm && m.key == "ssm_parameters");
        if (!known) {
            r.problem(m.value, "unknown kind '" + m.key + "' in " + where + "; expected " + kinds_list(with_ssm));
            continue;
        }
        for (auto& id : r.strings(m.value, where + "." + m.key)) {
            if (id.empty()) r.problem(m.value, "an empty id in " + where + "." + m.key);
            else out[m.key].push_back(std::move(id));
        }
    }
}

SsmParameter read_ssm_parameter(Reader& r, const Value& v) {
    SsmParameter p;
    if (!r.map(v, "account.ssm_parameters")) return p;
    for (const auto& m : v.members()) {
        if (m.key == "name") p.name = r.text(m.value, "name");
        else if (m.key == "value") p.value = r.text(m.value, "value");
        else if (m.key == "type") {
            p.type = r.text(m.value, "type");
            if (p.type != "String" && p.type != "StringList" && p.type != "SecureString")
                r.problem(m.value, "expected String, StringList or SecureString for 'type', got '" + p.type + "'");
        } else {
            r.problem(m.value, "unknown key '" + m.key + "' in account.ssm_parameters; expected name, type, value");
        }
    }
    if (p.name.empty() || !p.value) r.problem(v, "an SSM parameter needs 'name' and 'value'");
    return p;
}

InventoryChanges read_account(Reader& r, const Value& v) {
    InventoryChanges changes;
    if (!r.map(v, "account")) return changes;
    for (const auto& m : v.members()) {
        if (m.key == "add") read_inventory_ids(r, m.value, "account.add", false, changes.add);
        else if (m.key == "remove") read_inventory_ids(r, m.value, "account.remove", true, changes.remove);
        else if (m.key == "ssm_parameters") {
            if (auto* items = r.list(m.value, "account.ssm_parameters"))
                for (const auto& i : *items) changes.ssm_parameters.push_back(read_ssm_parameter(r, i));
        } else {
            r.problem(m.value, "unknown key '" + m.key + "' in account; expected add, remove, ssm_parameters");
        }
    }
    return changes;
}

DriftEdit read_drift(Reader& r, const Value& v, const std::string& file) {
    DriftEdit d;
    if (!r.map(v, "drift")) return d;
    d.where = file + ":" + std::to_string(v.position().line) + ":" + std::to_string(v.position().column);
    const Value* actual = nullptr;
    const Value* property = nullptr;
    for (const auto& m : v.members()) {
        if (m.key == "stack") d.stack = r.text(m.value, "stack");
        else if (m.key == "logicalId") d.logical_id = r.text(m.value, "logicalId");
        else if (m.key == "property") {
            property = &m.value;
            auto path = parse_property_path(r.text(m.value, "property"));
            if (path) d.path = std::move(*path);
            else r.problem(m.value, "expected a property path such as 'SecurityGroupIngress[0].CidrIp' for 'property', got '" +
                                        m.value.text() + "'");
        } else if (m.key == "actual") {
            actual = &m.value;
            d.actual = r.text(m.value, "actual");
        } else if (m.key == "deleted") {
            std::string flag = r.text(m.value, "deleted");
            if (flag == "true") d.deleted = true;
            else if (flag != "false") r.problem(m.value, "expected true or false for 'deleted', got '" + flag + "'");
        } else {
            r.problem(m.value, "unknown key '" + m.key + "' in drift; expected stack, logicalId, property, actual, deleted");
        }
    }
    if (d.stack.empty() || d.logical_id.empty()) r.problem(v, "a drift entry needs 'stack' and 'logicalId'");
    if (d.deleted && (property || actual)) r.problem(v, "a deleted resource has no 'property' or 'actual'; give one or the other");
    if (!d.deleted && (!property || !actual)) r.problem(v, "a drift entry needs 'property' and 'actual', or 'deleted: true'");
    return d;
}

}  // namespace

std::optional<std::vector<std::string>> parse_property_path(std::string_view text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find_first_of(".[", at);
        std::string_view name = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        if (name.empty()) return std::nullopt;
        out.emplace_back(name);
        at = end == std::string_view::npos ? text.size() : end;
        while (at < text.size() && text[at] == '[') {  // [0][1]
            std::size_t close = text.find(']', at);
            if (close == std::string_view::npos || close == at + 1) return std::nullopt;
            std::string_view index = text.substr(at + 1, close - at - 1);
            if (index.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
            out.emplace_back(index);
            at = close + 1;
        }
        if (at < text.size()) {
            if (text[at] != '.') return std::nullopt;
            if (++at == text.size()) return std::nullopt;
        }
    }
    if (out.empty()) return std::nullopt;
    return out;
}

std::string property_path_text(const std::vector<std::string>& path) {
    std::string out;
    for (const auto& p : path) out += "/" + p;
    return out;
}

Result<Scenario> parse_scenario(std::string_view text, const std::string& file) {
    auto document = cfn::parse_document(text, file, cfn::detect_format(text));
    if (!document) return std::move(document).failure();
    Reader r(file);
    Scenario s;
    const Value& root = *document;
    if (!root.is_map()) {
        r.problem(root, "a scenario is a map of faults; see 'stackshift sim' in the README");
        return Failure{r.problems()};
    }
    for (const auto& m : root.members()) {
        const Value& v = m.value;
        if (m.key == "seed") s.seed = static_cast<std::uint64_t>(r.integer(v, "seed", 0));
        else if (m.key == "throttling") s.throttling = r.fraction(v, "throttling");
        else if (m.key == "task_seconds") s.task_seconds = r.integer(v, "task_seconds", 1);
        else if (m.key == "rollback_failed_stacks") s.rollback_failed_stacks = r.strings(v, m.key);
        else if (m.key == "failing_resources") {
            if (auto* items = r.list(v, m.key)) for (const auto& i : *items) s.failing_resources.push_back(read_failing_resource(r, i));
        } else if (m.key == "failing_tasks") {
            if (auto* items = r.list(v, m.key)) for (const auto& i : *items) s.failing_tasks.push_back(read_failing_task(r, i));
        } else if (m.key == "unsettled_services") {
            if (auto* items = r.list(v, m.key)) for (const auto& i : *items) s.unsettled_services.push_back(read_unsettled_service(r, i));
        } else if (m.key == "unhealthy_services") {
            if (auto* items = r.list(v, m.key)) for (const auto& i : *items) s.unhealthy_services.push_back(read_unhealthy_service(r, i));
        } else if (m.key == "failing_instance_refreshes") {
            if (auto* items = r.list(v, m.key))
                for (const auto& i : *items) s.failing_instance_refreshes.push_back(read_failing_refresh(r, i));
        } else if (m.key == "drift") {
            if (auto* items = r.list(v, m.key)) for (const auto& i : *items) s.drift.push_back(read_drift(r, i, file));
        } else if (m.key == "durations") {
            if (r.map(v, m.key)) for (const auto& d : v.members()) s.durations[d.key] = r.integer(d.value, d.key, 0);
        } else if (m.key == "account") {
            s.account = read_account(r, v);
        } else {
            r.problem(v, "unknown key '" + m.key + "'; expected seed, throttling, failing_resources, failing_tasks, "
                         "rollback_failed_stacks, durations, task_seconds, unsettled_services, unhealthy_services, "
                         "failing_instance_refreshes, account, drift");
        }
    }
    if (!r.problems().empty()) return Failure{r.problems()};
    return s;
}

Result<Scenario> load_scenario(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    return parse_scenario(*text, path);
}

}  // namespace stackshift::cloud::sim
