// The operations on a whole stack: following an update or a creation (StackWatch), a
// parameter-only update (UpdateStack with the previous template) and a deletion.

#include "cfn/deployment.hpp"
#include "apply/step_context.hpp"

namespace stackshift::apply {

namespace {

bool in_progress(std::string_view status) { return status.ends_with("_IN_PROGRESS"); }

// "TaskDefinition (AWS::ECS::TaskDefinition) UPDATE_FAILED: reason": a resource event that says
// what went wrong, which the stack's own status rarely does.
std::string describe_failure(const cloud::StackEvent& e) {
    return e.logical_id + " (" + e.resource_type + ") " + e.status + (e.status_reason.empty() ? std::string() : ": " + e.status_reason);
}

// Why an update of `stack` ended in `s`, from the failed resource events seen meanwhile; a
// failed rollback also says how to get out of it, since no update or resume can start before.
std::string update_failure(const std::string& stack, const cloud::Stack& s, const std::vector<cloud::StackEvent>& failures,
                           const std::string& rollback_reason) {
    std::string message = "stack " + stack + " ended in " + s.status;
    if (!s.status_reason.empty()) message += " (" + s.status_reason + ")";
    if (!failures.empty()) message += "; the first resource to fail: " + describe_failure(failures.front());
    // No resource failed: the stack's own rollback event says why (an export in use, an import
    // of a missing export).
    if (failures.empty() && !rollback_reason.empty()) message += "; CloudFormation rolled it back: " + rollback_reason;
    if (s.status == "UPDATE_ROLLBACK_FAILED") {
        if (failures.size() > 1) message += "; its rollback failed at: " + describe_failure(failures.back());
        message += ". The stack takes no update until its rollback is over: fix what stopped it, continue it (aws cloudformation "
                   "continue-update-rollback --stack-name " +
                   stack + ", with --resources-to-skip for a resource that cannot be rolled back) and wait for UPDATE_ROLLBACK_COMPLETE";
    }
    return message;
}

// UpdateStack with the deployed template: only parameters change. Its AWS id is the stack's.
class ParameterUpdate final : public Operation {
public:
    ParameterUpdate(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step), m_watch(ctx, step.stack) {}

    ActionKind kind() const override { return ActionKind::update_stack; }
    std::string name(const OperationKey&, const ActionRecord*) override { return m_step.stack; }
    std::string describe(const std::string&) const override { return "the running update of " + m_step.stack; }
    std::string nothing_note() const override { return "no updates"; }

    // Asked before a crash: the stack is still updating. (One that is not may have finished the
    // update or never had it: asking again is the same request, "no updates" when it was done.)
    std::optional<std::string> find(const OperationKey&, const std::string&) override {
        auto stack = m_ctx.retry([&] { return m_ctx.cloud.describe_stack(m_step.stack); });
        if (!in_progress(stack.status)) return std::nullopt;
        return stack.id.empty() ? m_step.stack : stack.id;
    }

    Started start(const OperationKey&, const std::string&) override {
        auto stack = m_ctx.retry([&] { return m_ctx.cloud.describe_stack(m_step.stack); });
        if (!cfn::is_stable_status(stack.status))
            throw StepFailure("stack " + m_step.stack + " is " + stack.status + "; it cannot be updated now");
        m_watch.from_now();
        cloud::UpdateStackRequest request{m_step.stack, m_ctx.parameter_inputs(m_step, stack)};
        try {
            m_ctx.retry([&] { m_ctx.cloud.update_stack(request); });
        } catch (const cloud::CloudError& e) {
            if (e.kind() == cloud::ErrorKind::no_changes) return {{}, true};
            throw;
        }
        return {stack.id.empty() ? m_step.stack : stack.id, false};
    }

    Polled poll(const std::string&) override { return m_watch.poll(); }

private:
    StepContext& m_ctx;
    const plan::Step& m_step;
    StackWatch m_watch;
};

// DeleteStack, followed until the stack is gone. Its AWS id is the stack's name.
class StackDeletion final : public Operation {
public:
    StackDeletion(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step) {}

    ActionKind kind() const override { return ActionKind::delete_stack; }
    std::string name(const OperationKey&, const ActionRecord*) override { return m_step.stack; }
    std::string describe(const std::string&) const override { return "the deletion of " + m_step.stack; }

    // Asked before a crash: the stack is being deleted, or gone. A stack still standing was
    // never asked (the call is made again).
    std::optional<std::string> find(const OperationKey&, const std::string&) override {
        try {
            auto stack = m_ctx.retry([&] { return m_ctx.cloud.describe_stack(m_step.stack); });
            if (stack.status != "DELETE_IN_PROGRESS" && stack.status != "DELETE_COMPLETE") return std::nullopt;
        } catch (const cloud::CloudError& e) {
            if (e.kind() != cloud::ErrorKind::not_found) throw;
        }
        return m_step.stack;
    }

    Started start(const OperationKey&, const std::string&) override {
        m_ctx.retry([&] { m_ctx.cloud.delete_stack(m_step.stack); });
        return {m_step.stack, false};
    }

    Polled poll(const std::string&) override {
        cloud::Stack s;
        try {
            s = m_ctx.retry([&] { return m_ctx.cloud.describe_stack(m_step.stack); });
        } catch (const cloud::CloudError& e) {
            if (e.kind() != cloud::ErrorKind::not_found) throw;
            return Polled::done();  // does not exist any more
        }
        m_ctx.progress.status(s.status);
        if (s.status == "DELETE_COMPLETE") return Polled::done();
        if (in_progress(s.status)) return Polled::running();
        return Polled::failed("stack " + m_step.stack + " ended in " + s.status + ": " + s.status_reason);
    }

private:
    StepContext& m_ctx;
    const plan::Step& m_step;
};

}  // namespace

void StackWatch::from_now() {
    m_cursor = m_ctx.last_event_id(m_stack);
    m_cursor_set = true;
}

Polled StackWatch::poll() {
    if (!m_cursor_set) from_now();  // re-attached: the events from here on
    auto s = m_ctx.retry([&] { return m_ctx.cloud.describe_stack(m_stack); });
    m_ctx.progress.status(s.status);
    for (const auto& e : m_ctx.retry([&] { return m_ctx.cloud.describe_stack_events(m_stack, m_cursor); })) {
        m_ctx.progress.event(e);
        m_cursor = e.event_id;
        if (e.logical_id != m_stack && e.status.ends_with("_FAILED")) m_failures.push_back(e);
        if (e.logical_id == m_stack && e.status.ends_with("ROLLBACK_IN_PROGRESS") && m_rollback_reason.empty())
            m_rollback_reason = e.status_reason;
    }
    if (in_progress(s.status)) return Polled::running();
    if (s.status == "UPDATE_COMPLETE" || s.status == "CREATE_COMPLETE") return Polled::done();
    return Polled::failed(update_failure(m_stack, s, m_failures, m_rollback_reason));
}

StepOutcome run_parameter_update(StepContext& ctx, const plan::Step& step) {
    ParameterUpdate update(ctx, step);
    return ctx.driver.run(step.id, update).nothing_to_do ? StepOutcome::unchanged : StepOutcome::done;
}

StepOutcome run_stack_deletion(StepContext& ctx, const plan::Step& step) {
    StackDeletion deletion(ctx, step);
    ctx.driver.run(step.id, deletion);
    return StepOutcome::done;
}

}  // namespace stackshift::apply
