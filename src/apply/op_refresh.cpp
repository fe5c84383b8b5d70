// An Auto Scaling instance refresh of the group a refresh-instances step names by its logical id
// (its name read from the stack's resources), keeping the step's minimum healthy percentage in
// service. Journaled as "start-instance-refresh" under GROUP@SECONDS (the backend's clock when it
// was intended): a resumed run that crashed between the intent and the id finds its refresh as
// the newest of the group started since then.

#include <charconv>

#include "apply/step_context.hpp"

namespace stackshift::apply {

namespace {

// A refresh counts as started since the intent when it started at most this long before the
// backend's clock read then: the clocks of this machine and of Auto Scaling may differ a little.
constexpr std::int64_t clock_tolerance_s = 120;

bool running(const cloud::InstanceRefresh& r) { return !cloud::instance_refresh_ended(r.status); }

std::string intent_name(const std::string& group, std::int64_t clock) { return group + "@" + std::to_string(clock); }

std::pair<std::string, std::int64_t> parse_intent(const std::string& name) {
    auto at = name.rfind('@');
    std::int64_t clock = 0;
    if (at == std::string::npos) return {name, 0};
    std::from_chars(name.data() + at + 1, name.data() + name.size(), clock);
    return {name.substr(0, at), clock};
}

class InstanceRefreshOperation final : public Operation {
public:
    InstanceRefreshOperation(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step) {}

    ActionKind kind() const override { return ActionKind::start_instance_refresh; }
    std::string name(const OperationKey&, const ActionRecord* previous) override {
        m_group = previous != nullptr ? parse_intent(previous->name).first : m_ctx.physical_id(m_step);
        return previous != nullptr ? previous->name : intent_name(m_group, m_ctx.cloud.clock_s());
    }
    std::string describe(const std::string& id) const override { return "instance refresh " + id + " of " + m_group; }
    PollPace pace() const override { return {15, 60, true}; }

    // Asked before a crash: the newest refresh of the group started since the intent.
    std::optional<std::string> find(const OperationKey&, const std::string& name) override {
        std::int64_t since = parse_intent(name).second;
        std::optional<cloud::InstanceRefresh> newest;
        for (const auto& r : refreshes({})) {
            bool since_intent = r.start_time_s == 0 ? running(r) : r.start_time_s >= since - clock_tolerance_s;
            if (since_intent && (!newest || r.start_time_s > newest->start_time_s)) newest = r;
        }
        if (!newest) return std::nullopt;
        return newest->id;
    }

    // A refresh already running on the group is not this run's: it stops the step.
    Started start(const OperationKey&, const std::string&) override {
        int percentage = *m_step.min_healthy_percentage;
        auto result = m_ctx.retry([&] { return m_ctx.cloud.start_instance_refresh(m_group, percentage); });
        if (result.already_in_progress)
            throw StepFailure("an instance refresh not started by this run is in progress on " + m_group + " (" + result.message +
                              "): wait for it to end, or cancel it (aws autoscaling cancel-instance-refresh "
                              "--auto-scaling-group-name " + m_group + "), then run again with --resume");
        m_ctx.progress.note("instance refresh " + result.id + " of " + m_group + ", keeping " + std::to_string(percentage) +
                            "% in service");
        return {result.id, false};
    }

    Polled poll(const std::string& id) override {
        auto found = refreshes({id});
        if (found.empty()) return Polled::failed("instance refresh " + id + " of " + m_group + " is not known to Auto Scaling");
        const cloud::InstanceRefresh& r = found.front();
        m_ctx.progress.status("instance refresh " + r.status + " " + std::to_string(r.percentage_complete) + "% (" +
                              std::to_string(r.instances_to_update) + " instance(s) to update)");
        if (r.status == "Successful") return Polled::done();
        if (running(r)) return Polled::running();
        return Polled::failed("instance refresh " + id + " of " + m_group + " ended " + r.status + " at " +
                              std::to_string(r.percentage_complete) + "%" +
                              (r.status_reason.empty() ? std::string() : ": " + r.status_reason) +
                              ". Machines it replaced keep the new launch configuration; see the group's activities "
                              "(aws autoscaling describe-scaling-activities --auto-scaling-group-name " + m_group +
                              "), fix the cause, then run again with --resume to start a new refresh");
    }

private:
    std::vector<cloud::InstanceRefresh> refreshes(const std::vector<std::string>& ids) {
        return m_ctx.retry([&] { return m_ctx.cloud.describe_instance_refreshes(m_group, ids); });
    }

    StepContext& m_ctx;
    const plan::Step& m_step;
    std::string m_group;
};

}  // namespace

StepOutcome run_instance_refresh(StepContext& ctx, const plan::Step& step) {
    if (!step.min_healthy_percentage)
        throw StepFailure("step " + step.id + " does not say which percentage of the group to keep in service: set "
                          "min_healthy_percentage on the profile's role and make the plan again");
    InstanceRefreshOperation refresh(ctx, step);
    ctx.driver.run(step.id, refresh);
    return StepOutcome::done;
}

}  // namespace stackshift::apply
