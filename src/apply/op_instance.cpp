// A machine terminated (the step names it by its role; its physical id is read from the
// stack's resources once and journaled), followed until EC2 says it is terminated.

#include "apply/step_context.hpp"

namespace stackshift::apply {

namespace {

constexpr int max_termination_polls = 60;

class InstanceTermination final : public Operation {
public:
    InstanceTermination(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step) {}

    ActionKind kind() const override { return ActionKind::terminate_instance; }
    std::string name(const OperationKey&, const ActionRecord* previous) override {
        return previous != nullptr ? previous->name : m_ctx.physical_id(m_step);
    }
    std::string describe(const std::string& id) const override { return "the termination of " + id; }
    PollPace pace() const override { return {5, 30, false}; }

    // Asked before a crash: EC2 is terminating it, or has.
    std::optional<std::string> find(const OperationKey&, const std::string& instance) override {
        std::string now = state(instance);
        if (now == "terminated" || now == "shutting-down") return instance;
        return std::nullopt;
    }

    Started start(const OperationKey&, const std::string& instance) override {
        std::string now = state(instance);
        if (now != "terminated" && now != "shutting-down") {
            m_ctx.retry([&] { m_ctx.cloud.terminate_instances({instance}); });
            m_ctx.progress.note("terminating " + instance);
        }
        return {instance, false};
    }

    Polled poll(const std::string& instance) override {
        std::string now = state(instance);
        m_ctx.progress.status("instance " + now);
        if (now == "terminated") return Polled::done();
        if (++m_polls > max_termination_polls) return Polled::failed("instance " + instance + " did not terminate");
        return Polled::running();
    }

private:
    // EC2 forgets a terminated instance after a while: one it does not know is terminated.
    std::string state(const std::string& instance) {
        try {
            auto found = m_ctx.retry([&] { return m_ctx.cloud.describe_instances({instance}); });
            return found.empty() ? std::string("terminated") : found.front().state;
        } catch (const cloud::CloudError& e) {
            if (e.kind() != cloud::ErrorKind::not_found) throw;
            return "terminated";
        }
    }

    StepContext& m_ctx;
    const plan::Step& m_step;
    int m_polls = 0;
};

}  // namespace

StepOutcome run_instance_termination(StepContext& ctx, const plan::Step& step) {
    InstanceTermination termination(ctx, step);
    ctx.driver.run(step.id, termination);
    return StepOutcome::done;
}

}  // namespace stackshift::apply
