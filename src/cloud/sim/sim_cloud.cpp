#include "cloud/sim/sim_cloud.hpp"

#include <algorithm>

#include "cfn/deployment.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/account.hpp"
#include "cloud/sim/parameter_checks.hpp"
#include "cloud/sim/drift.hpp"
#include "cloud/sim/instance_refresh.hpp"
#include "cloud/sim/services.hpp"
#include "cloud/sim/sim_exports.hpp"
#include "cloud/sim/stack_operation.hpp"
#include "core/no_echo.hpp"

namespace stackshift::cloud::sim {

namespace {

constexpr std::string_view empty_change_set_reason =
    "The submitted information didn't contain changes. Submit different information to create a change set.";
constexpr std::int64_t change_set_seconds = 2;  // CREATE_IN_PROGRESS before CREATE_COMPLETE or FAILED

// A uniform draw in [0, 1) from the seed and the draw's position: the same sequence in every process.
double draw(std::uint64_t seed, std::uint64_t n) {
    std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + (n + 1) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) / static_cast<double>(1ULL << 53);
}

bool in_progress(std::string_view status) { return status.ends_with("_IN_PROGRESS"); }

void require_updatable(const SimStack& s) {
    if (in_progress(s.status) || s.status == "UPDATE_ROLLBACK_FAILED" || s.status == "ROLLBACK_COMPLETE" ||
        s.status == "ROLLBACK_FAILED" || s.status == "DELETE_FAILED") {
        throw CloudError("ValidationError", "Stack:" + s.id + " is in " + s.status + " state and can not be updated.",
                         in_progress(s.status) ? ErrorKind::in_progress : ErrorKind::other);
    }
}

std::string uuid(std::string_view seed) {
    std::string id = make_id("", seed, 32);
    return id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" + id.substr(16, 4) + "-" + id.substr(20, 12);
}

cfn::Template parse_or_refuse(const std::string& body, const std::string& name) {
    auto t = cfn::parse_template(body, name);
    if (!t) throw CloudError("ValidationError", "Template format error: " + to_string(t.diagnostics()));
    return std::move(t).value();
}

}  // namespace

SimCloud SimCloud::open(const std::string& state_path) {
    SimCloud cloud(load_world(state_path));
    cloud.m_path = state_path;
    return cloud;
}

void SimCloud::save() const {
    if (m_path) save_world(m_world, *m_path);
    m_unsaved = false;
}

SimCloud::~SimCloud() {
    if (m_unsaved) {
        try {
            save();
        } catch (...) {
            // Only reads' clock and call counts are lost; a destructor must not throw.
        }
    }
    let_go_of_state_file();  // after the last save: the world file has one writer to the end
}

void SimCloud::advance(std::int64_t seconds) {
    m_world.clock_s += std::max<std::int64_t>(seconds, 0);
    settle(m_world);
    progress_instance_refreshes(m_world);
}

void SimCloud::wait(std::int64_t seconds) {
    advance(seconds);
    save();
}

void SimCloud::call(const char* operation) {
    std::string_view name(operation);
    m_reading = name.starts_with("Describe") || name.starts_with("Get") || name.starts_with("List");
    ++m_world.api_calls[operation];
    advance(1);
    if (m_world.scenario.throttling > 0 && draw(m_world.scenario.seed, m_world.throttle_draws++) < m_world.scenario.throttling) {
        ++m_world.throttled;
        save();
        throw CloudError("Throttling", "Rate exceeded");
    }
}

// A call that changes what AWS holds is saved before it returns, as AWS would have it however
// the caller ends. A read moves only the clock and the call counts: they are saved with the next
// change, wait or hop, so that a crash loses only reads, which a resumed run makes again.
void SimCloud::done() {
    if (m_reading) m_unsaved = true;
    else save();
}

SimStack& SimCloud::existing_stack(const std::string& name) {
    SimStack* s = m_world.stack(name);
    if (s == nullptr || s->status == "DELETE_COMPLETE") {
        done();
        throw CloudError("ValidationError", "Stack with id " + name + " does not exist", ErrorKind::not_found);
    }
    return *s;
}

SimChangeSet& SimCloud::existing_change_set(const std::string& stack, const std::string& change_set) {
    for (auto& c : m_world.change_sets) {
        if (c.described.id == change_set || (c.described.name == change_set && (c.described.stack == stack || c.stack_id == stack))) return c;
    }
    done();
    throw CloudError("ChangeSetNotFound", "ChangeSet [" + change_set + "] does not exist", ErrorKind::not_found);
}

// The parameter values after the call: given ones, previous ones, then template defaults,
// each checked as CloudFormation checks it at the call (parameter_checks.hpp).
StringMap SimCloud::resolve_parameters(const SimStack& stack, const std::vector<ParameterInput>& inputs, const cfn::Template& t) {
    return checked_parameters(m_world, stack, inputs, t);
}

Stack SimCloud::describe_stack(const std::string& name) {
    call("DescribeStacks");
    const SimStack& s = existing_stack(name);
    Stack out{s.name, s.id, s.status, s.status_reason, s.parameters, s.no_echo, s.outputs, s.tags, s.last_updated_s};
    for (const auto& key : s.no_echo) {
        if (auto it = out.parameters.find(key); it != out.parameters.end()) it->second = std::string(masked_value);
    }
    done();
    return out;
}

std::vector<Stack> SimCloud::describe_stacks() {
    call("DescribeStacks");
    std::vector<Stack> out;
    for (const auto& s : m_world.stacks) {
        if (s.status == "DELETE_COMPLETE") continue;
        Stack d{s.name, s.id, s.status, s.status_reason, s.parameters, s.no_echo, s.outputs, s.tags, s.last_updated_s};
        for (const auto& key : s.no_echo) {
            if (auto it = d.parameters.find(key); it != d.parameters.end()) it->second = std::string(masked_value);
        }
        out.push_back(std::move(d));
    }
    done();
    return out;
}

std::string SimCloud::get_template(const std::string& name) {
    call("GetTemplate");
    std::string body = existing_stack(name).template_body;
    done();
    return body;
}

std::string SimCloud::create_change_set(const ChangeSetRequest& request) {
    call("CreateChangeSet");
    try {
        if (request.change_set_name.empty()) throw CloudError("ValidationError", "ChangeSetName must not be empty");
        SimStack* stack = m_world.stack(request.stack);
        bool create = request.type == ChangeSetType::create;
        if (create && stack != nullptr && stack->status != "REVIEW_IN_PROGRESS" && stack->status != "DELETE_COMPLETE") {
            throw CloudError("ValidationError", "Stack [" + request.stack + "] already exists and cannot be created again with the changeSet [" + request.change_set_name + "].",
                             ErrorKind::already_exists);
        }
        if (!create) require_updatable(existing_stack(request.stack));
        for (const auto& c : m_world.change_sets) {
            if (stack != nullptr && c.stack_id == stack->id && c.described.name == request.change_set_name) {
                throw CloudError("AlreadyExistsException", "ChangeSet [" + request.change_set_name + "] already exists",
                                 ErrorKind::already_exists);
            }
        }
        if (request.use_previous_template && create) throw CloudError("ValidationError", "UsePreviousTemplate cannot be used with a new stack");
        // A refused call leaves no trace: a new stack exists only once its change set does.
        SimStack none;
        none.name = request.stack;
        std::string body = requested_template(m_world, request, stack != nullptr ? *stack : none);
        cfn::Template t = parse_or_refuse(body, request.stack);
        StringMap parameters = resolve_parameters(stack != nullptr ? *stack : none, request.parameters, t);
        if (create && stack == nullptr) {
            SimStack s;
            s.name = request.stack;
            s.id = "arn:aws:cloudformation:" + m_world.region + ":" + m_world.account + ":stack/" + s.name + "/" + uuid(s.name + "#stack");
            s.status = "REVIEW_IN_PROGRESS";
            m_world.stacks.push_back(std::move(s));
            stack = &m_world.stacks.back();
        }

        SimChangeSet c;
        ChangeSet& d = c.described;
        d.id = "arn:aws:cloudformation:" + m_world.region + ":" + m_world.account + ":changeSet/" + request.change_set_name + "/" +
               uuid(stack->id + "#" + std::to_string(m_world.next_serial++));
        d.name = request.change_set_name;
        d.stack = stack->name;
        d.parameters = request.parameters;
        for (auto& p : d.parameters) {
            if (!p.use_previous_value && std::count(stack->no_echo.begin(), stack->no_echo.end(), p.key) != 0) p.value = std::string(masked_value);
        }
        // As AWS: a template that differs only where CloudFormation changes nothing
        // (DependsOn, a condition renamed as it was, formatting) with the same values is
        // "no changes", not an update.
        bool template_changes = true;
        std::optional<std::string> missing = missing_resource(m_world, t, parameters);
        if (missing) {
            // CloudFormation looks the value up while it computes the change set, which then fails.
        } else if (create) {
            for (const auto& r : initial_resources(m_world, stack->name, body, parameters)) {
                d.changes.push_back({r.logical_id, "", r.type, ChangeAction::add, ChangeReplacement::no, {}});
            }
        } else {
            Update u = compute_update(m_world, *stack, body, parameters);
            d.changes = std::move(u.changes);
            template_changes = u.template_changes;
        }
        bool empty = !create && d.changes.empty() && parameters == stack->parameters && !template_changes;
        d.status = empty || missing ? "FAILED" : "CREATE_COMPLETE";
        d.status_reason = missing ? *missing : empty ? std::string(empty_change_set_reason) : "";
        d.execution_status = empty || missing ? "UNAVAILABLE" : "AVAILABLE";
        c.stack_id = stack->id;
        c.new_parameters = std::move(parameters);
        c.template_body = std::move(body);
        c.created_s = m_world.clock_s;
        std::string id = d.id;
        m_world.change_sets.push_back(std::move(c));
        done();
        return id;
    } catch (const CloudError&) {
        done();
        throw;
    }
}

ChangeSet SimCloud::describe_change_set(const std::string& stack, const std::string& change_set) {
    call("DescribeChangeSet");
    ChangeSet out = existing_change_set(stack, change_set).described;
    if (m_world.clock_s < existing_change_set(stack, change_set).created_s + change_set_seconds) {
        out.status = "CREATE_IN_PROGRESS";
        out.status_reason.clear();
        out.execution_status = "UNAVAILABLE";
        out.changes.clear();
    }
    out.no_changes = out.status == "FAILED" && out.status_reason == empty_change_set_reason;
    done();
    return out;
}

void SimCloud::execute_change_set(const std::string& stack_name, const std::string& change_set) {
    call("ExecuteChangeSet");
    SimChangeSet& c = existing_change_set(stack_name, change_set);
    std::string status = m_world.clock_s < c.created_s + change_set_seconds ? "CREATE_IN_PROGRESS" : c.described.status;
    if (status != "CREATE_COMPLETE" || c.described.execution_status != "AVAILABLE") {
        done();
        throw CloudError("InvalidChangeSetStatus", "ChangeSet [" + c.described.id + "] cannot be executed in its current status of [" +
                                                       (status == "CREATE_COMPLETE" ? c.described.execution_status : status) + "]",
                         in_progress(status) || c.described.execution_status == "EXECUTE_IN_PROGRESS" ? ErrorKind::in_progress
                                                                                                        : ErrorKind::other);
    }
    SimStack& stack = *m_world.stack(c.stack_id);
    bool create = stack.status == "REVIEW_IN_PROGRESS";
    if (!create) {
        try {
            require_updatable(stack);
        } catch (const CloudError&) {
            done();
            throw;
        }
    }
    Update u;
    if (create) {
        u.outcome.resources = initial_resources(m_world, stack.name, c.template_body, c.new_parameters);
        for (const auto& r : u.outcome.resources) u.changes.push_back({r.logical_id, "", r.type, ChangeAction::add, ChangeReplacement::no, {}});
        u.outcome.template_body = c.template_body;
        u.outcome.parameters = c.new_parameters;
    } else {
        u = compute_update(m_world, stack, c.template_body, c.new_parameters);
    }
    u.outcome.change_set_id = c.described.id;
    // Neither this change set nor the stack's others can be executed again: their templates
    // are not kept (the world is saved after every change and wait, and they were half of it).
    c.template_body.clear();
    for (auto& other : m_world.change_sets) {
        if (other.stack_id == c.stack_id && other.described.id != c.described.id) {
            other.described.execution_status = "OBSOLETE";
            other.template_body.clear();
        }
    }
    c.described.execution_status = "EXECUTE_IN_PROGRESS";
    start_update(m_world, stack, u.changes, std::move(u.outcome), create ? Operation::create : Operation::update);
    settle(m_world);
    done();
}

void SimCloud::delete_change_set(const std::string& stack, const std::string& change_set) {
    call("DeleteChangeSet");
    SimChangeSet& c = existing_change_set(stack, change_set);
    if (c.described.execution_status == "EXECUTE_IN_PROGRESS") {
        done();
        throw CloudError("InvalidChangeSetStatus", "ChangeSet [" + c.described.id + "] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]",
                         ErrorKind::in_progress);
    }
    std::string id = c.described.id;
    std::erase_if(m_world.change_sets, [&](const SimChangeSet& s) { return s.described.id == id; });
    done();
}

void SimCloud::update_stack(const UpdateStackRequest& request) {
    call("UpdateStack");
    try {
        SimStack& stack = existing_stack(request.stack);
        require_updatable(stack);
        cfn::Template t = parse_or_refuse(stack.template_body, stack.name);
        StringMap parameters = resolve_parameters(stack, request.parameters, t);
        if (parameters == stack.parameters) throw CloudError("ValidationError", "No updates are to be performed.", ErrorKind::no_changes);
        // A value naming nothing in the account is found once the update has begun: it rolls back.
        if (auto missing = missing_resource(m_world, t, parameters)) {
            start_refused_update(m_world, stack, *missing);
        } else {
            Update u = compute_update(m_world, stack, stack.template_body, parameters);
            start_update(m_world, stack, u.changes, std::move(u.outcome), Operation::update);
        }
        settle(m_world);
        done();
    } catch (const CloudError&) {
        done();
        throw;
    }
}

void SimCloud::delete_stack(const std::string& name) {
    call("DeleteStack");
    SimStack* stack = m_world.stack(name);
    if (stack == nullptr || stack->status == "DELETE_COMPLETE" || stack->status == "DELETE_IN_PROGRESS") {
        done();  // as in AWS: deleting a stack that is gone is not an error
        return;
    }
    if (in_progress(stack->status)) {
        done();
        throw CloudError("ValidationError", "Stack [" + name + "] cannot be deleted while in status " + stack->status,
                         ErrorKind::in_progress);
    }
    if (std::string refused = delete_refusal(m_world, *stack); !refused.empty()) refuse_delete(m_world, *stack, refused);
    else start_delete(m_world, *stack);
    settle(m_world);
    done();
}

std::vector<StackEvent> SimCloud::describe_stack_events(const std::string& name, const std::string& since_event_id) {
    call("DescribeStackEvents");
    SimStack* stack = m_world.stack(name);
    if (stack == nullptr) {
        done();
        throw CloudError("ValidationError", "Stack [" + name + "] does not exist", ErrorKind::not_found);
    }
    auto from = stack->events.begin();
    if (!since_event_id.empty()) {
        auto it = std::find_if(stack->events.begin(), stack->events.end(), [&](const StackEvent& e) { return e.event_id == since_event_id; });
        if (it != stack->events.end()) from = it + 1;
    }
    std::vector<StackEvent> out(from, stack->events.end());
    done();
    return out;
}

std::string SimCloud::upload_template(const std::string& bucket, const std::string& key, const std::string& body) {
    call("PutObject");
    if (m_world.inventory.s3_buckets.count(bucket) == 0) {
        done();
        throw CloudError("NoSuchBucket", "The specified bucket does not exist");
    }
    m_world.inventory.s3_objects[bucket][key] = body;
    std::string url = s3_object_url(m_world, bucket, key);
    done();
    return url;
}

std::vector<StackResource> SimCloud::describe_stack_resources(const std::string& name) {
    call("DescribeStackResources");
    const SimStack* stack = m_world.stack(name);
    if (stack == nullptr || stack->status == "DELETE_COMPLETE") {
        done();
        throw CloudError("ValidationError", "Stack with id " + name + " does not exist", ErrorKind::not_found);
    }
    std::vector<StackResource> out;
    for (const auto& r : stack->resources) out.push_back({r.logical_id, reported_physical_id(m_world, r), r.type, r.status});
    done();
    return out;
}

std::string SimCloud::detect_stack_drift(const std::string& name) {
    call("DetectStackDrift");
    SimStack& stack = existing_stack(name);
    if (!drift_detectable(stack.status)) {
        done();
        throw CloudError("ValidationError", drift_refusal(stack));
    }
    SimDriftDetection d{uuid(stack.id + "#drift#" + std::to_string(m_world.next_serial++)), stack.id,
                        m_world.clock_s + drift_detection_seconds, detect_resource_drifts(m_world, stack)};
    std::string id = d.id;
    // AWS keeps a varying number of a stack's results; the simulator keeps the latest only,
    // so that a world read again and again does not grow.
    std::erase_if(m_world.drift_detections, [&](const SimDriftDetection& old) { return old.stack_id == stack.id; });
    m_world.drift_detections.push_back(std::move(d));
    done();
    return id;
}

StackDriftDetection SimCloud::describe_stack_drift_detection_status(const std::string& detection_id) {
    call("DescribeStackDriftDetectionStatus");
    auto it = std::find_if(m_world.drift_detections.begin(), m_world.drift_detections.end(),
                           [&](const SimDriftDetection& d) { return d.id == detection_id; });
    if (it == m_world.drift_detections.end()) {
        done();
        throw CloudError("ValidationError", "Drift detection [" + detection_id + "] does not exist");
    }
    StackDriftDetection out{it->id, it->stack_id, DriftDetectionStatus::in_progress, {}, {}, 0};
    if (m_world.clock_s >= it->completes_s) {
        out.status = DriftDetectionStatus::complete;
        out.drifted_resource_count = static_cast<int>(std::count_if(it->results.begin(), it->results.end(), [](const ResourceDrift& r) {
            return r.status == ResourceDriftStatus::modified || r.status == ResourceDriftStatus::deleted;
        }));
        out.stack_drift_status = out.drifted_resource_count > 0 ? "DRIFTED" : "IN_SYNC";
    }
    done();
    return out;
}

std::vector<ResourceDrift> SimCloud::describe_stack_resource_drifts(const std::string& name) {
    call("DescribeStackResourceDrifts");
    const SimStack& stack = existing_stack(name);
    // The results of the stack's latest detection that has completed; none before the first.
    std::vector<ResourceDrift> out;
    for (auto it = m_world.drift_detections.rbegin(); it != m_world.drift_detections.rend(); ++it) {
        if (it->stack_id != stack.id || m_world.clock_s < it->completes_s) continue;
        out = it->results;
        break;
    }
    done();
    return out;
}

}  // namespace stackshift::cloud::sim
