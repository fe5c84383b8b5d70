// The state file of a simulated world, "format": "stackshift-sim/1": one JSON object holding
// the clock, the scenario, every stack (template body, parameters, outputs, resources, events
// published and pending, the outcome of a running operation), change sets, ECS tasks, EC2
// instances, volumes and snapshots, auto-scaling groups, data lost and API call counts.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cloud/sim/change_details_json.hpp"
#include "cloud/sim/task_definitions.hpp"
#include "cloud/sim/world.hpp"
#include "cloud/sim/sim_exports.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"

namespace stackshift::cloud::sim {

using nlohmann::json;

namespace {

constexpr std::string_view format_name = "stackshift-sim/1";

// Template bodies are most of a world's bytes and stay the same from save to save, while the
// world is saved after every step of a run. Each body goes into the tree as a short placeholder
// and is spliced into the text already escaped: escaping it once per process, not once per
// save, halves the run time of a simulated upgrade.
class BodySplicer {
public:
    json placeholder(const std::string& body) {
        m_bodies.push_back(&body);
        return std::string(1, marker) + std::to_string(m_bodies.size() - 1) + std::string(1, marker);
    }
    // The dumped text with each placeholder ("\u0001N\u0001", quotes included) replaced by
    // its body as a JSON string; nullopt when another string of the world reads like a
    // placeholder (more matches than bodies): then the world is dumped as it is.
    std::optional<std::string> splice(const std::string& text) {
        static const std::string open = "\"\\u0001";
        std::string out;
        out.reserve(text.size() + 64 * 1024);
        std::size_t at = 0;
        std::size_t matched = 0;
        for (std::size_t found = text.find(open); found != std::string::npos; found = text.find(open, at)) {
            std::size_t digits = found + open.size();
            std::size_t end = text.find("\\u0001\"", digits);
            if (end == std::string::npos) break;
            auto index = placeholder_index(std::string_view(text).substr(digits, end - digits));
            if (!index) {  // some other string that starts and ends with U+0001: kept as it is
                out.append(text, at, digits - at);
                at = digits;
                continue;
            }
            out.append(text, at, found - at);
            out += escaped(*m_bodies[*index]);
            at = end + open.size();
            ++matched;
        }
        if (matched != m_bodies.size()) return std::nullopt;
        out.append(text, at, std::string::npos);
        return out;
    }

private:
    static constexpr char marker = '\x01';
    std::optional<std::size_t> placeholder_index(std::string_view digits) const {
        if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
        std::size_t index = std::stoul(std::string(digits));
        if (index >= m_bodies.size()) return std::nullopt;
        return index;
    }
    static const std::string& escaped(const std::string& body) {
        static std::unordered_map<std::string, std::string> cache;
        auto it = cache.find(body);
        if (it == cache.end()) it = cache.emplace(body, json(body).dump()).first;
        return it->second;
    }
    std::vector<const std::string*> m_bodies;
};

// The splicer of the save under way; null when a tree is made for another use.
thread_local BodySplicer* t_splicer = nullptr;

struct SplicerScope {
    explicit SplicerScope(BodySplicer& splicer) { t_splicer = &splicer; }
    ~SplicerScope() { t_splicer = nullptr; }
    SplicerScope(const SplicerScope&) = delete;
    SplicerScope& operator=(const SplicerScope&) = delete;
};

json body_json(const std::string& body) { return t_splicer != nullptr ? t_splicer->placeholder(body) : json(body); }

json to_json(const SimResource& r) {
    return {{"logicalId", r.logical_id}, {"type", r.type}, {"physicalId", r.physical_id}, {"status", r.status}};
}
SimResource resource_from(const json& j) {
    return {j.at("logicalId"), j.at("type"), j.at("physicalId"), j.at("status")};
}

json to_json(const DataLoss& d) {
    return {{"stack", d.stack}, {"logicalId", d.logical_id}, {"type", d.type},
            {"physicalId", d.physical_id}, {"cause", d.cause}, {"clock_s", d.clock_s}, {"systemDisk", d.system_disk}};
}
DataLoss loss_from(const json& j) {
    return {j.at("stack"), j.at("logicalId"), j.at("type"), j.at("physicalId"), j.at("cause"), j.at("clock_s"),
            j.value("systemDisk", false)};
}

json to_json(const StackEvent& e) {
    return {{"id", e.event_id}, {"logicalId", e.logical_id}, {"physicalId", e.physical_id}, {"type", e.resource_type},
            {"status", e.status}, {"reason", e.status_reason}, {"t", e.timestamp_s}};
}
StackEvent event_from(const json& j, const std::string& stack) {
    return {j.at("id"), stack, j.at("logicalId"), j.at("physicalId"), j.at("type"), j.at("status"), j.at("reason"), j.at("t")};
}

json to_json(const ParameterInput& p) {
    if (p.use_previous_value) return {{"key", p.key}, {"usePreviousValue", true}};
    return {{"key", p.key}, {"value", p.value}};
}
ParameterInput input_from(const json& j) {
    if (j.value("usePreviousValue", false)) return ParameterInput::keep(j.at("key"));
    return ParameterInput::set(j.at("key"), j.at("value"));
}

template <class T, class F>
json list_to_json(const std::vector<T>& items, F f) {
    json out = json::array();
    for (const auto& i : items) out.push_back(f(i));
    return out;
}

json outcome_to_json(const Outcome& o) {
    json replaced = json::array();
    for (const auto& [a, b] : o.replaced_ids) replaced.push_back({a, b});
    return {{"templateBody", body_json(o.template_body)}, {"parameters", o.parameters},
            {"resources", list_to_json(o.resources, [](const auto& r) { return to_json(r); })},
            {"dataLost", list_to_json(o.data_lost, [](const auto& d) { return to_json(d); })},
            {"replacedIds", replaced}, {"changeSetId", o.change_set_id}, {"applies", o.applies}, {"deletes", o.deletes},
            {"outputsComputed", o.outputs_computed}, {"outputs", o.outputs}, {"exports", o.exports}, {"imports", o.imports},
            {"rewritten", o.rewritten}};
}

Outcome outcome_from(const json& j) {
    Outcome o;
    o.template_body = j.at("templateBody");
    o.parameters = j.at("parameters").get<StringMap>();
    for (const auto& r : j.at("resources")) o.resources.push_back(resource_from(r));
    for (const auto& d : j.at("dataLost")) o.data_lost.push_back(loss_from(d));
    for (const auto& p : j.at("replacedIds")) o.replaced_ids.emplace_back(p.at(0), p.at(1));
    o.change_set_id = j.at("changeSetId");
    o.applies = j.at("applies");
    o.deletes = j.at("deletes");
    // Added to stackshift-sim/1 later: a state file from before has none of them.
    o.outputs_computed = j.value("outputsComputed", false);
    if (o.outputs_computed) {
        o.outputs = j.at("outputs").get<StringMap>();
        o.exports = j.at("exports").get<StringMap>();
        o.imports = j.at("imports").get<std::vector<std::string>>();
    }
    if (j.contains("rewritten")) o.rewritten = j.at("rewritten").get<std::vector<std::string>>();  // absent before drift
    return o;
}

json stack_to_json(const SimStack& s) {
    json j = {{"name", s.name}, {"id", s.id}, {"template", s.template_id}, {"status", s.status},
              {"statusReason", s.status_reason}, {"templateBody", body_json(s.template_body)}, {"parameters", s.parameters},
              {"noEcho", s.no_echo}, {"outputs", s.outputs}, {"tags", s.tags},
              {"resources", list_to_json(s.resources, [](const auto& r) { return to_json(r); })},
              {"events", list_to_json(s.events, [](const auto& e) { return to_json(e); })},
              {"pending", list_to_json(s.pending, [](const auto& e) { return to_json(e); })}};
    j["outcome"] = s.outcome ? outcome_to_json(*s.outcome) : json(nullptr);
    j["exports"] = s.exports;
    j["imports"] = s.imports;
    j["drift"] = list_to_json(s.drift, [](const SimDrift& d) {
        return json{{"logicalId", d.logical_id}, {"path", d.path}, {"actual", d.actual}, {"deleted", d.deleted}};
    });
    j["lastUpdated"] = s.last_updated_s;
    return j;
}

SimStack stack_from(const json& j) {
    SimStack s;
    s.name = j.at("name");
    s.id = j.at("id");
    s.template_id = j.at("template");
    s.status = j.at("status");
    s.status_reason = j.at("statusReason");
    s.template_body = j.at("templateBody");
    s.parameters = j.at("parameters").get<StringMap>();
    s.no_echo = j.at("noEcho").get<std::vector<std::string>>();
    s.outputs = j.at("outputs").get<StringMap>();
    s.tags = j.at("tags").get<StringMap>();
    for (const auto& r : j.at("resources")) s.resources.push_back(resource_from(r));
    for (const auto& e : j.at("events")) s.events.push_back(event_from(e, s.name));
    for (const auto& e : j.at("pending")) s.pending.push_back(event_from(e, s.name));
    if (!j.at("outcome").is_null()) s.outcome = outcome_from(j.at("outcome"));
    if (j.contains("exports")) {
        s.exports = j.at("exports").get<StringMap>();
        s.imports = j.at("imports").get<std::vector<std::string>>();
    }
    if (j.contains("drift"))  // worlds saved before drift was simulated have none
        for (const auto& d : j.at("drift"))
            s.drift.push_back({d.at("logicalId"), d.at("path").get<std::vector<std::string>>(), d.at("actual"), d.at("deleted")});
    if (j.contains("lastUpdated")) s.last_updated_s = j.at("lastUpdated");  // absent in worlds saved before it was kept
    return s;
}

json change_set_to_json(const SimChangeSet& c) {
    const ChangeSet& d = c.described;
    json changes = json::array();
    for (const auto& ch : d.changes) {
        json scopes = ch.scopes.names();
        changes.push_back({{"logicalId", ch.logical_id}, {"physicalId", ch.physical_id}, {"type", ch.resource_type},
                           {"action", change_action_name(ch.action)}, {"replacement", change_replacement_name(ch.replacement)},
                           {"scope", scopes}});
        change_details_to_json(ch, changes.back());
    }
    return {{"id", d.id}, {"name", d.name}, {"stack", d.stack}, {"stackId", c.stack_id}, {"status", d.status},
            {"statusReason", d.status_reason}, {"executionStatus", d.execution_status},
            {"parameters", list_to_json(d.parameters, [](const auto& p) { return to_json(p); })},
            {"changes", changes}, {"newParameters", c.new_parameters}, {"templateBody", body_json(c.template_body)},
            {"created_s", c.created_s}};
}

ChangeAction action_from(const std::string& s) {
    return s == "Add" ? ChangeAction::add : s == "Remove" ? ChangeAction::remove : ChangeAction::modify;
}
ChangeReplacement replacement_from(const std::string& s) {
    return s == "True" ? ChangeReplacement::yes : s == "Conditional" ? ChangeReplacement::conditional : ChangeReplacement::no;
}

SimChangeSet change_set_from(const json& j) {
    SimChangeSet c;
    ChangeSet& d = c.described;
    d.id = j.at("id");
    d.name = j.at("name");
    d.stack = j.at("stack");
    d.status = j.at("status");
    d.status_reason = j.at("statusReason");
    d.execution_status = j.at("executionStatus");
    for (const auto& p : j.at("parameters")) d.parameters.push_back(input_from(p));
    for (const auto& ch : j.at("changes")) {
        ChangeScopes scopes;
        if (auto it = ch.find("scope"); it != ch.end())  // state files written before scopes have none
            for (const auto& name : *it)
                if (auto scope = change_scope_from_name(name.get<std::string>())) scopes.add(*scope);
        d.changes.push_back({ch.at("logicalId"), ch.at("physicalId"), ch.at("type"), action_from(ch.at("action")),
                             replacement_from(ch.at("replacement")), std::move(scopes)});
        change_details_from_json(ch, d.changes.back());
    }
    c.stack_id = j.at("stackId");
    c.new_parameters = j.at("newParameters").get<StringMap>();
    c.template_body = j.at("templateBody");
    c.created_s = j.at("created_s");
    return c;
}

json ssm_to_json(const SsmParameter& p) {
    json j = {{"name", p.name}, {"type", p.type}};
    j["value"] = p.value ? json(*p.value) : json(nullptr);
    return j;
}
SsmParameter ssm_from(const json& j) {
    SsmParameter p{j.at("name"), j.at("type"), std::nullopt};
    if (!j.at("value").is_null()) p.value = j.at("value").get<std::string>();
    return p;
}

json account_changes_to_json(const InventoryChanges& c) {
    return {{"add", c.add}, {"remove", c.remove}, {"ssm_parameters", list_to_json(c.ssm_parameters, ssm_to_json)}};
}
InventoryChanges account_changes_from(const json& j) {
    InventoryChanges c;
    c.add = j.at("add").get<std::map<std::string, std::vector<std::string>, std::less<>>>();
    c.remove = j.at("remove").get<std::map<std::string, std::vector<std::string>, std::less<>>>();
    for (const auto& p : j.at("ssm_parameters")) c.ssm_parameters.push_back(ssm_from(p));
    return c;
}

json inventory_to_json(const Inventory& inventory) {
    json j;
    for (auto kind : inventory_kinds()) j[std::string(kind)] = *inventory.ids(kind);
    json ssm = json::array();
    for (const auto& [name, p] : inventory.ssm_parameters) ssm.push_back(ssm_to_json(p));
    j["ssm_parameters"] = ssm;
    json objects = json::object();
    for (const auto& [bucket, keys] : inventory.s3_objects) {
        for (const auto& [key, body] : keys) objects[bucket][key] = body_json(body);
    }
    j["s3_objects"] = objects;
    return j;
}
Inventory inventory_from(const json& j) {
    Inventory inventory;
    for (auto kind : inventory_kinds()) *inventory.ids(kind) = j.at(std::string(kind)).get<IdSet>();
    for (const auto& p : j.at("ssm_parameters")) {
        SsmParameter s = ssm_from(p);
        inventory.ssm_parameters[s.name] = s;
    }
    for (const auto& [bucket, keys] : j.at("s3_objects").items()) {
        for (const auto& [key, body] : keys.items()) inventory.s3_objects[bucket][key] = body.get<std::string>();
    }
    return inventory;
}

// ---- ECS services left unhealthy and failing instance refreshes (optional scenario keys) ----

json unhealthy_to_json(const Scenario& s) {
    json out = json::array();
    for (const auto& u : s.unhealthy_services) out.push_back({{"stack", u.stack}, {"logicalId", u.logical_id}, {"running", u.running}});
    return out;
}

json failing_refreshes_to_json(const Scenario& s) {
    json out = json::array();
    for (const auto& f : s.failing_instance_refreshes)
        out.push_back({{"stack", f.stack}, {"logicalId", f.logical_id}, {"reason", f.reason}});
    return out;
}

void unhealthy_and_refreshes_from(const json& j, Scenario& s) {
    if (j.contains("unhealthy_services"))
        for (const auto& u : j.at("unhealthy_services")) s.unhealthy_services.push_back({u.at("stack"), u.at("logicalId"), u.at("running")});
    if (j.contains("failing_instance_refreshes"))
        for (const auto& f : j.at("failing_instance_refreshes"))
            s.failing_instance_refreshes.push_back({f.at("stack"), f.at("logicalId"), f.at("reason")});
}

// ---- instance refreshes (optional key "instanceRefreshes") --------------------------------

json instance_refresh_to_json(const SimInstanceRefresh& r) {
    return json{{"id", r.id}, {"group", r.group}, {"minHealthyPercentage", r.min_healthy_percentage}, {"status", r.status},
                {"statusReason", r.status_reason}, {"started_s", r.started_s}, {"ended_s", r.ended_s},
                {"toReplace", r.to_replace}, {"total", r.total}, {"inFlight", r.in_flight}, {"batchReady_s", r.batch_ready_s}};
}

SimInstanceRefresh instance_refresh_from(const json& j) {
    return {j.at("id"), j.at("group"), j.at("minHealthyPercentage"), j.at("status"), j.at("statusReason"), j.at("started_s"),
            j.at("ended_s"), j.at("toReplace").get<std::vector<std::string>>(), j.at("total"), j.at("inFlight"),
            j.at("batchReady_s")};
}

json scenario_to_json(const Scenario& s) {
    json resources = json::array();
    for (const auto& f : s.failing_resources) {
        resources.push_back({{"stack", f.stack}, {"logicalId", f.logical_id}, {"reason", f.reason},
                             {"rollback", f.rollback_fails ? "failed" : "complete"}});
    }
    json tasks = json::array();
    for (const auto& f : s.failing_tasks) tasks.push_back({{"command", f.command}, {"exitCode", f.exit_code}, {"log", f.log}});
    json unsettled = json::array();
    for (const auto& u : s.unsettled_services) unsettled.push_back({{"stack", u.stack}, {"logicalId", u.logical_id}});
    json drift = json::array();
    for (const auto& d : s.drift) {
        drift.push_back({{"stack", d.stack}, {"logicalId", d.logical_id}, {"path", d.path}, {"actual", d.actual},
                         {"deleted", d.deleted}});
    }
    return {{"seed", s.seed}, {"throttling", s.throttling}, {"failing_resources", resources}, {"failing_tasks", tasks},
            {"rollback_failed_stacks", s.rollback_failed_stacks}, {"durations", s.durations}, {"task_seconds", s.task_seconds},
            {"unsettled_services", unsettled}, {"account", account_changes_to_json(s.account)}, {"drift", drift},
            {"unhealthy_services", unhealthy_to_json(s)}, {"failing_instance_refreshes", failing_refreshes_to_json(s)}};
}

Scenario scenario_from(const json& j) {
    Scenario s;
    s.seed = j.at("seed");
    s.throttling = j.at("throttling");
    for (const auto& f : j.at("failing_resources")) {
        s.failing_resources.push_back({f.at("stack"), f.at("logicalId"), f.at("reason"), f.at("rollback") == "failed"});
    }
    for (const auto& f : j.at("failing_tasks")) {
        s.failing_tasks.push_back({f.at("command"), f.at("exitCode"), f.at("log").get<std::vector<std::string>>()});
    }
    s.rollback_failed_stacks = j.at("rollback_failed_stacks").get<std::vector<std::string>>();
    s.durations = j.at("durations").get<std::map<std::string, std::int64_t, std::less<>>>();
    s.task_seconds = j.at("task_seconds");
    if (j.contains("unsettled_services"))  // worlds saved before services were simulated have none
        for (const auto& u : j.at("unsettled_services")) s.unsettled_services.push_back({u.at("stack"), u.at("logicalId")});
    if (j.contains("account")) s.account = account_changes_from(j.at("account"));  // absent in states saved before it
    unhealthy_and_refreshes_from(j, s);  // optional keys: absent in states saved before them
    if (j.contains("drift"))
        for (const auto& d : j.at("drift"))
            s.drift.push_back({d.at("stack"), d.at("logicalId"), d.at("path").get<std::vector<std::string>>(), d.at("actual"),
                               d.at("deleted"), ""});
    return s;
}

json machines_to_json(const World& w) {
    json j;
    j["tasks"] = list_to_json(w.tasks, [](const SimTask& t) {
        return json{{"arn", t.arn}, {"cluster", t.cluster}, {"taskDefinition", t.task_definition}, {"command", t.command},
                    {"started_s", t.started_s}, {"stops_s", t.stops_s}, {"exitCode", t.exit_code}, {"log", t.log},
                    {"startedBy", t.started_by}, {"images", t.images}};
    });
    j["instances"] = list_to_json(w.instances, [](const SimInstance& i) {
        return json{{"id", i.id}, {"instanceType", i.instance_type}, {"stack", i.stack}, {"logicalId", i.logical_id},
                    {"volumeIds", i.volume_ids}, {"terminated_s", i.terminated_s ? json(*i.terminated_s) : json(nullptr)},
                    {"imageId", i.image_id}, {"subnetId", i.subnet_id}, {"keyName", i.key_name},
                    {"securityGroupIds", i.security_group_ids}, {"userData", i.user_data},
                    {"autoScalingGroup", i.auto_scaling_group}, {"launchConfiguration", i.launch_configuration},
                    {"launchTemplate", i.launch_template}, {"launchTemplateVersion", i.launch_template_version},
                    {"launched_s", i.launched_s}};
    });
    j["volumes"] = list_to_json(w.volumes, [](const SimVolume& v) {
        return json{{"id", v.id}, {"stack", v.stack}, {"logicalId", v.logical_id}, {"sizeGb", v.size_gb}, {"data", v.data},
                    {"device", v.device}, {"deleteOnTermination", v.delete_on_termination}, {"snapshotId", v.snapshot_id},
                    {"attachedBy", v.attached_by}};
    });
    j["snapshots"] = list_to_json(w.snapshots, [](const SimSnapshot& s) {
        return json{{"id", s.id}, {"volumeId", s.volume_id}, {"description", s.description},
                    {"started_s", s.started_s}, {"completes_s", s.completes_s}, {"data", s.data}};
    });
    j["dbClusterSnapshots"] = list_to_json(w.db_cluster_snapshots, [](const SimDbClusterSnapshot& s) {
        return json{{"id", s.id}, {"clusterId", s.cluster_id}, {"started_s", s.started_s}, {"completes_s", s.completes_s}};
    });
    j["autoScalingGroups"] = list_to_json(w.auto_scaling_groups, [](const SimAutoScalingGroup& g) {
        return json{{"name", g.name}, {"stack", g.stack}, {"logicalId", g.logical_id}, {"min", g.min_size},
                    {"max", g.max_size}, {"desired", g.desired_capacity}, {"instanceIds", g.instance_ids},
                    {"launchConfiguration", g.launch_configuration}, {"launchTemplate", g.launch_template},
                    {"launchTemplateVersion", g.launch_template_version}, {"updatePolicy", g.update_policy}};
    });
    j["launchTemplates"] = list_to_json(w.launch_templates, [](const SimLaunchTemplate& t) {
        return json{{"id", t.id}, {"stack", t.stack}, {"logicalId", t.logical_id}, {"name", t.name},
                    {"version", t.version}, {"data", t.data}};
    });
    j["services"] = list_to_json(w.services, [](const SimService& s) {
        return json{{"arn", s.arn}, {"name", s.name}, {"stack", s.stack}, {"logicalId", s.logical_id},
                    {"cluster", s.cluster}, {"taskDefinition", s.task_definition}, {"desiredCount", s.desired_count},
                    {"runningCount", s.running_count}, {"deployment", s.deployment},
                    {"deploymentStarted_s", s.deployment_started_s}, {"deploymentSettled_s", s.deployment_settled_s},
                    {"rolloutTaskDefinition", s.rollout_task_definition}, {"rolloutDesired", s.rollout_desired},
                    {"rolloutStarted_s", s.rollout_started_s}, {"rolloutSettles_s", s.rollout_settles_s}};
    });
    return j;
}

void machines_from(const json& j, World& w) {
    for (const auto& t : j.at("tasks")) {
        w.tasks.push_back({t.at("arn"), t.at("cluster"), t.at("taskDefinition"), t.at("command").get<std::vector<std::string>>(),
                           t.at("started_s"), t.at("stops_s"), t.at("exitCode"), t.at("log").get<std::vector<std::string>>(),
                           t.value("startedBy", std::string()), t.value("images", std::vector<std::string>())});
    }
    for (const auto& i : j.at("instances")) {
        SimInstance s;
        s.id = i.at("id");
        s.instance_type = i.at("instanceType");
        s.stack = i.at("stack");
        s.logical_id = i.at("logicalId");
        s.volume_ids = i.at("volumeIds").get<std::vector<std::string>>();
        if (!i.at("terminated_s").is_null()) s.terminated_s = i.at("terminated_s").get<std::int64_t>();
        // Worlds saved before instances kept their launch settings have none of these keys.
        s.image_id = i.value("imageId", "");
        s.subnet_id = i.value("subnetId", "");
        s.key_name = i.value("keyName", "");
        s.security_group_ids = i.value("securityGroupIds", std::vector<std::string>{});
        s.user_data = i.value("userData", "");
        s.auto_scaling_group = i.value("autoScalingGroup", "");
        s.launch_configuration = i.value("launchConfiguration", "");
        s.launch_template = i.value("launchTemplate", "");
        s.launch_template_version = i.value("launchTemplateVersion", "");
        s.launched_s = i.value("launched_s", std::int64_t{0});
        w.instances.push_back(std::move(s));
    }
    for (const auto& v : j.at("volumes")) {
        SimVolume s;
        s.id = v.at("id");
        s.stack = v.at("stack");
        s.logical_id = v.at("logicalId");
        s.size_gb = v.at("sizeGb");
        s.data = v.value("data", "");
        s.device = v.value("device", "");
        s.delete_on_termination = v.value("deleteOnTermination", false);
        s.snapshot_id = v.value("snapshotId", "");
        s.attached_by = v.value("attachedBy", "");
        w.volumes.push_back(std::move(s));
    }
    for (const auto& s : j.at("snapshots")) {
        w.snapshots.push_back({s.at("id"), s.at("volumeId"), s.at("description"), s.at("started_s"), s.at("completes_s"),
                               s.value("data", "")});
    }
    // Worlds saved before cluster snapshots were simulated have none.
    if (j.contains("dbClusterSnapshots"))
        for (const auto& s : j.at("dbClusterSnapshots"))
            w.db_cluster_snapshots.push_back({s.at("id"), s.at("clusterId"), s.at("started_s"), s.at("completes_s")});
    for (const auto& g : j.at("autoScalingGroups")) {
        w.auto_scaling_groups.push_back({g.at("name"), g.at("stack"), g.at("logicalId"), g.at("min"), g.at("max"), g.at("desired"),
                                         g.at("instanceIds").get<std::vector<std::string>>(), g.at("launchConfiguration"),
                                         g.value("launchTemplate", ""), g.value("launchTemplateVersion", ""),
                                         g.value("updatePolicy", "")});
    }
    if (j.contains("launchTemplates"))
        for (const auto& t : j.at("launchTemplates"))
            w.launch_templates.push_back({t.at("id"), t.at("stack"), t.at("logicalId"), t.at("name"), t.at("version"), t.at("data")});
    if (j.contains("services"))
        for (const auto& s : j.at("services"))
            w.services.push_back({s.at("arn"), s.at("name"), s.at("stack"), s.at("logicalId"), s.at("cluster"),
                                  s.at("taskDefinition"), s.at("desiredCount"), s.at("runningCount"), s.at("deployment"),
                                  s.at("deploymentStarted_s"), s.at("deploymentSettled_s"), s.at("rolloutTaskDefinition"),
                                  s.at("rolloutDesired"), s.at("rolloutStarted_s"), s.at("rolloutSettles_s")});
}

json task_definition_to_json(const SimTaskDefinition& d) {
    json containers = json::array();
    for (const auto& c : d.containers) containers.push_back({{"name", c.name}, {"image", c.image}, {"command", c.command}});
    return {{"arn", d.arn}, {"family", d.family}, {"revision", d.revision}, {"status", d.status},
            {"stack", d.stack}, {"logicalId", d.logical_id}, {"containers", containers}};
}

// Worlds saved before task definitions were simulated register those of their stacks now.
void task_definitions_from(const json& j, World& w) {
    if (!j.contains("taskDefinitions")) {
        for (const auto& s : w.stacks)
            if (s.status != "DELETE_COMPLETE") sync_task_definitions(w, s, {});
        return;
    }
    for (const auto& d : j.at("taskDefinitions")) {
        SimTaskDefinition out{d.at("arn"), d.at("family"), d.at("revision"), d.at("status"), d.at("stack"), d.at("logicalId"), {}};
        for (const auto& c : d.at("containers"))
            out.containers.push_back({c.at("name"), c.at("image"), c.at("command").get<std::vector<std::string>>()});
        w.task_definitions.push_back(std::move(out));
    }
}

json drift_to_json(const ResourceDrift& d) {
    json differences = json::array();
    for (const auto& p : d.differences)
        differences.push_back({{"path", p.path}, {"expected", p.expected}, {"actual", p.actual}, {"type", difference_type_name(p.type)}});
    return {{"logicalId", d.logical_id}, {"physicalId", d.physical_id}, {"type", d.resource_type},
            {"status", resource_drift_status_name(d.status)}, {"expected", d.expected_properties},
            {"actual", d.actual_properties}, {"differences", differences}};
}

ResourceDrift drift_from(const json& j) {
    ResourceDrift d{j.at("logicalId"), j.at("physicalId"), j.at("type"),
                    resource_drift_status_from_name(j.at("status").get<std::string>()).value_or(ResourceDriftStatus::unknown),
                    j.at("expected"), j.at("actual"), {}};
    for (const auto& p : j.at("differences"))
        d.differences.push_back({p.at("path"), p.at("expected"), p.at("actual"),
                                 difference_type_from_name(p.at("type").get<std::string>()).value_or(DifferenceType::not_equal)});
    return d;
}

json drift_detection_to_json(const SimDriftDetection& d) {
    return {{"id", d.id}, {"stackId", d.stack_id}, {"completes_s", d.completes_s},
            {"results", list_to_json(d.results, drift_to_json)}};
}

SimDriftDetection drift_detection_from(const json& j) {
    SimDriftDetection d{j.at("id"), j.at("stackId"), j.at("completes_s"), {}};
    for (const auto& r : j.at("results")) d.results.push_back(drift_from(r));
    return d;
}

}  // namespace

namespace {

json world_tree(const World& w) {
    json j = {{"format", format_name}, {"region", w.region}, {"account", w.account}, {"version", w.version},
              {"clock_s", w.clock_s}, {"next_serial", w.next_serial}, {"throttle_draws", w.throttle_draws},
              {"throttled", w.throttled}, {"scenario", scenario_to_json(w.scenario)}};
    j["stacks"] = list_to_json(w.stacks, stack_to_json);
    j["changeSets"] = list_to_json(w.change_sets, change_set_to_json);
    j.update(machines_to_json(w));
    j["dataLost"] = list_to_json(w.data_lost, [](const auto& d) { return to_json(d); });
    j["apiCalls"] = w.api_calls;
    j["inventory"] = inventory_to_json(w.inventory);
    j["taskDefinitions"] = list_to_json(w.task_definitions, task_definition_to_json);
    j["driftDetections"] = list_to_json(w.drift_detections, drift_detection_to_json);
    // Only while a lock is held: a world nobody locks is saved as it was before locks existed.
    if (!w.locks.empty()) {
        json locks = json::object();
        for (const auto& [name, holder] : w.locks) locks[name] = json::parse(lock_holder_to_json(holder));
        j["locks"] = locks;
    }
    if (!w.instance_refreshes.empty()) j["instanceRefreshes"] = list_to_json(w.instance_refreshes, instance_refresh_to_json);
    return j;
}

}  // namespace

std::string world_to_json(const World& w) {
    BodySplicer splicer;
    std::string text;
    {
        SplicerScope scope(splicer);
        text = world_tree(w).dump(1);
    }
    if (auto spliced = splicer.splice(text)) return *spliced + "\n";
    return world_tree(w).dump(1) + "\n";
}

World world_from_json(std::string_view text, const std::string& file) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        throw InputError(file + ": not a simulator state file (invalid JSON); create one with 'stackshift sim init'");
    }
    if (j.value("format", "") != format_name) {
        throw InputError(file + ": expected \"format\": \"" + std::string(format_name) +
                         "\"; create the state with 'stackshift sim init'");
    }
    try {
        World w;
        w.region = j.at("region");
        w.account = j.at("account");
        w.version = j.at("version");
        w.clock_s = j.at("clock_s");
        w.next_serial = j.at("next_serial");
        w.throttle_draws = j.at("throttle_draws");
        w.throttled = j.at("throttled");
        w.scenario = scenario_from(j.at("scenario"));
        for (const auto& s : j.at("stacks")) w.stacks.push_back(stack_from(s));
        // A state file written before exports were kept: they follow from the stacks.
        for (std::size_t i = 0; i < w.stacks.size(); ++i) {
            if (!j.at("stacks").at(i).contains("exports")) derive_exports(w, w.stacks[i]);
        }
        for (const auto& c : j.at("changeSets")) w.change_sets.push_back(change_set_from(c));
        machines_from(j, w);
        for (const auto& d : j.at("dataLost")) w.data_lost.push_back(loss_from(d));
        w.api_calls = j.at("apiCalls").get<std::map<std::string, std::uint64_t, std::less<>>>();
        if (j.contains("inventory")) w.inventory = inventory_from(j.at("inventory"));  // absent in states saved before it
        task_definitions_from(j, w);
        if (j.contains("driftDetections"))
            for (const auto& d : j.at("driftDetections")) w.drift_detections.push_back(drift_detection_from(d));
        if (j.contains("locks"))
            for (const auto& item : j.at("locks").items()) {
                LockHolder holder = lock_holder_from_json(item.value().dump());
                holder.name = item.key();  // the key names the lock, whatever the entry says
                w.locks[item.key()] = holder;
            }
        if (j.contains("instanceRefreshes"))
            for (const auto& r : j.at("instanceRefreshes")) w.instance_refreshes.push_back(instance_refresh_from(r));
        return w;
    } catch (const json::exception& e) {
        throw InputError(file + ": damaged simulator state (" + std::string(e.what()) +
                         "); create a new one with 'stackshift sim init'");
    }
}

World load_world(const std::string& path) {
    auto text = read_file(path);
    if (!text) throw InputError(to_string(text.diagnostics()) + "\ncreate the state with 'stackshift sim init --deployment SNAPSHOT --out " + path + "'");
    return world_from_json(*text, path);
}

void save_world(const World& world, const std::string& path) { write_file_atomic(path, world_to_json(world)); }

SimStack* World::stack(std::string_view name_or_id) {
    for (auto& s : stacks) {
        if (s.name == name_or_id || s.id == name_or_id) return &s;
    }
    return nullptr;
}

const SimStack* World::stack(std::string_view name_or_id) const { return const_cast<World*>(this)->stack(name_or_id); }

std::string make_id(std::string_view prefix, std::string_view seed, std::size_t length) {
    // FNV-1a, then splitmix64 rounds for as many digits as asked: stable across runs and platforms.
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : seed) h = (h ^ c) * 1099511628211ULL;
    std::string out(prefix);
    static constexpr char digits[] = "0123456789abcdef";
    while (out.size() < prefix.size() + length) {
        h += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = h;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        for (int i = 0; i < 16 && out.size() < prefix.size() + length; ++i) out += digits[(z >> (4 * i)) & 0xf];
    }
    return out;
}

}  // namespace stackshift::cloud::sim
