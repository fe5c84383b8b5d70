#include "apply/instance_refresh.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace stackshift::apply {

namespace {

// A refresh counts as started since the intent when it started at most this long before the
// backend's clock read then: the clocks of this machine and of Auto Scaling may differ a little.
constexpr std::int64_t clock_tolerance_s = 120;

bool running(const cloud::InstanceRefresh& r) { return !cloud::instance_refresh_ended(r.status); }

std::string group_name(cloud::Cloud& cloud, const plan::Step& step, const OperationHooks& hooks) {
    std::vector<cloud::StackResource> resources;
    hooks.retry([&] { resources = cloud.describe_stack_resources(step.stack); });
    for (const auto& r : resources)
        if (r.logical_id == step.logical_id && !r.physical_id.empty()) return r.physical_id;
    throw OperationFailed("the stack " + step.stack + " has no auto-scaling group " + step.logical_id +
                          " (DescribeStackResources lists none), so no instance refresh can start");
}

// The intent's name, GROUP@SECONDS, and back.
std::string intent_name(const std::string& group, std::int64_t clock) { return group + "@" + std::to_string(clock); }

std::pair<std::string, std::int64_t> parse_intent(const std::string& name) {
    auto at = name.rfind('@');
    std::int64_t clock = 0;
    if (at == std::string::npos) return {name, 0};
    std::from_chars(name.data() + at + 1, name.data() + name.size(), clock);
    return {name.substr(0, at), clock};
}

std::vector<cloud::InstanceRefresh> refreshes(cloud::Cloud& cloud, const std::string& group, const std::vector<std::string>& ids,
                                              const OperationHooks& hooks) {
    std::vector<cloud::InstanceRefresh> out;
    hooks.retry([&] { out = cloud.describe_instance_refreshes(group, ids); });
    return out;
}

// After a crash between the intent and the id: the newest refresh of the group started since.
std::optional<std::string> started_since(cloud::Cloud& cloud, const std::string& group, std::int64_t since,
                                         const OperationHooks& hooks) {
    std::optional<cloud::InstanceRefresh> newest;
    for (const auto& r : refreshes(cloud, group, {}, hooks)) {
        bool since_intent = r.start_time_s == 0 ? running(r) : r.start_time_s >= since - clock_tolerance_s;
        if (since_intent && (!newest || r.start_time_s > newest->start_time_s)) newest = r;
    }
    if (!newest) return std::nullopt;
    return newest->id;
}

// StartInstanceRefresh; a refresh already running on the group is not this run's: it stops the step.
std::string start(cloud::Cloud& cloud, const std::string& group, int percentage, const OperationHooks& hooks) {
    cloud::StartInstanceRefreshResult result;
    hooks.retry([&] { result = cloud.start_instance_refresh(group, percentage); });
    if (!result.already_in_progress) return result.id;
    throw OperationFailed("an instance refresh not started by this run is in progress on " + group + " (" + result.message +
                          "): wait for it to end, or cancel it (aws autoscaling cancel-instance-refresh "
                          "--auto-scaling-group-name " + group + "), then run again with --resume");
}

// Polls the refresh to its end; throws OperationFailed unless it ends Successful.
void follow(cloud::Cloud& cloud, const std::string& group, const std::string& id, const OperationHooks& hooks) {
    for (int poll = 0;; ++poll) {
        hooks.pause(hooks.interval(poll, 15, 60));
        auto found = refreshes(cloud, group, {id}, hooks);
        if (found.empty()) throw OperationFailed("instance refresh " + id + " of " + group + " is not known to Auto Scaling");
        const cloud::InstanceRefresh& r = found.front();
        hooks.status("instance refresh " + r.status + " " + std::to_string(r.percentage_complete) + "% (" +
                     std::to_string(r.instances_to_update) + " instance(s) to update)");
        if (r.status == "Successful") return;
        if (running(r)) continue;
        throw OperationFailed("instance refresh " + id + " of " + group + " ended " + r.status + " at " +
                              std::to_string(r.percentage_complete) + "%" +
                              (r.status_reason.empty() ? std::string() : ": " + r.status_reason) +
                              ". Machines it replaced keep the new launch configuration; see the group's activities "
                              "(aws autoscaling describe-scaling-activities --auto-scaling-group-name " + group +
                              "), fix the cause, then run again with --resume to start a new refresh");
    }
}

}  // namespace

std::string refresh_instances(cloud::Cloud& cloud, Journal& journal, std::int64_t run, const plan::Step& step,
                              const OperationHooks& hooks) {
    std::optional<ActionRecord> previous;
    for (const auto& a : journal.actions(run, step.id))
        if (a.kind == refresh_action) previous = a;
    if (previous && previous->state == ActionState::done) return "done";
    if (!step.min_healthy_percentage)
        throw OperationFailed("step " + step.id + " does not say which percentage of the group to keep in service: set "
                              "min_healthy_percentage on the profile's role and make the plan again");
    bool resumed = previous && previous->state != ActionState::failed;
    std::string group = resumed ? parse_intent(previous->name).first : group_name(cloud, step, hooks);
    std::string id = resumed ? previous->aws_id : std::string();
    std::int64_t action = resumed ? previous->id : 0;
    if (resumed && id.empty()) {  // intended before a crash: the refresh may have started
        if (auto found = started_since(cloud, group, parse_intent(previous->name).second, hooks)) id = *found;
    }
    if (!resumed) action = journal.intend_action(run, step.id, refresh_action, intent_name(group, cloud.clock_s()));
    try {
        if (id.empty()) {
            id = start(cloud, group, *step.min_healthy_percentage, hooks);
            hooks.note("instance refresh " + id + " of " + group + ", keeping " +
                       std::to_string(*step.min_healthy_percentage) + "% in service");
        } else {
            hooks.note("re-attached to instance refresh " + id + " of " + group);
        }
        if (!resumed || previous->aws_id.empty()) journal.action_started(action, id);
        follow(cloud, group, id, hooks);
    } catch (const OperationFailed& e) {
        journal.finish_action(action, ActionState::failed, e.what());
        throw;
    }
    journal.finish_action(action, ActionState::done);
    return "done";
}

}  // namespace stackshift::apply
