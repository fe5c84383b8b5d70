// A stack updated or created through a change set: the template uploaded when it is over the
// TemplateBody limit, the change set made and waited for, checked against the plan, executed
// and followed with its events.

#include "apply/change_set_check.hpp"
#include "apply/step_context.hpp"
#include "cfn/deployment.hpp"

namespace stackshift::apply {

namespace {

bool executing(const cloud::ChangeSet& set) {
    return set.execution_status == "EXECUTE_IN_PROGRESS" || set.execution_status == "EXECUTE_COMPLETE" ||
           set.execution_status == "EXECUTE_FAILED";
}

// PutObject of a template over the TemplateBody limit, once per plan and step (its key does not
// change with the attempt): a retry or a resume names the object it put.
class TemplateUpload final : public Operation {
public:
    TemplateUpload(StepContext& ctx, const std::string& body) : m_ctx(ctx), m_body(body) {}

    ActionKind kind() const override { return ActionKind::upload_template; }
    std::string name(const OperationKey& key, const ActionRecord*) override { return template_key(key.step_id, key.fingerprint); }
    std::string describe(const std::string& url) const override { return "template " + url; }
    // PutObject of the same key and body again is the same object: nothing to look for.
    std::optional<std::string> find(const OperationKey&, const std::string&) override { return std::nullopt; }

    Started start(const OperationKey&, const std::string& key) override {
        const std::string& bucket = m_ctx.options.template_bucket;
        std::string url = m_ctx.retry([&] { return m_ctx.cloud.upload_template(bucket, key, m_body); });
        m_ctx.progress.note("template uploaded to s3://" + bucket + "/" + key + " (" + std::to_string(m_body.size()) + " bytes)");
        return {url, false};
    }

    Polled poll(const std::string&) override { return Polled::done(); }
    PollPace pace() const override { return {0, 0, false}; }

private:
    StepContext& m_ctx;
    const std::string& m_body;
};

// CreateChangeSet under the name the key derives, waited for until CREATE_COMPLETE; one that
// changes nothing is deleted and is "nothing to do".
class ChangeSetCreation final : public Operation {
public:
    ChangeSetCreation(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step) {}

    ActionKind kind() const override { return ActionKind::create_change_set; }
    std::vector<ActionKind> attempt_kinds() const override { return {ActionKind::create_change_set, ActionKind::execute_change_set}; }
    std::string name(const OperationKey& key, const ActionRecord*) override {
        m_name = change_set_name(m_ctx.options.change_set_prefix, key.step_id, key.fingerprint, key.attempt);
        return m_name;
    }
    std::string describe(const std::string&) const override { return "change set " + m_name; }
    std::string nothing_note() const override { return "empty change set, deleted"; }
    PollPace pace() const override { return {2, 10, false}; }

    std::optional<std::string> find(const OperationKey&, const std::string& name) override {
        try {
            return m_ctx.retry([&] { return m_ctx.cloud.describe_change_set(m_step.stack, name); }).id;
        } catch (const cloud::CloudError& e) {
            if (e.kind() != cloud::ErrorKind::not_found) throw;
            return std::nullopt;
        }
    }

    Started start(const OperationKey&, const std::string& name) override {
        cloud::ChangeSetRequest request = this->request(name);
        std::string id;
        try {
            id = m_ctx.retry([&] { return m_ctx.cloud.create_change_set(request); });
        } catch (const cloud::CloudError& e) {
            if (e.kind() != cloud::ErrorKind::already_exists) throw;
            id = m_ctx.retry([&] { return m_ctx.cloud.describe_change_set(m_step.stack, name); }).id;
        }
        m_ctx.progress.note("change set " + name);
        return {id, false};
    }

    Polled poll(const std::string& id) override {
        auto set = m_ctx.retry([&] { return m_ctx.cloud.describe_change_set(m_step.stack, id); });
        if (set.status == "CREATE_PENDING" || set.status == "CREATE_IN_PROGRESS") {
            m_ctx.progress.status("change set " + set.status);
            return Polled::running();
        }
        if (set.status != "FAILED") return Polled::done();
        if (!set.no_changes) return Polled::failed("change set " + m_name + " failed: " + set.status_reason);
        try {
            m_ctx.retry([&] { m_ctx.cloud.delete_change_set(m_step.stack, id); });
        } catch (const cloud::CloudError& e) {
            if (e.kind() != cloud::ErrorKind::not_found) throw;
        }
        m_ctx.progress.note("no changes: the change set was deleted, the stack is unchanged");
        return Polled::nothing_to_do();
    }

private:
    cloud::ChangeSetRequest request(const std::string& name) {
        bool create = m_step.kind == plan::StepKind::deploy_stack;
        cloud::Stack stack;
        if (!create) {
            stack = m_ctx.retry([&] { return m_ctx.cloud.describe_stack(m_step.stack); });
            if (!cfn::is_stable_status(stack.status))
                throw StepFailure("stack " + m_step.stack + " is " + stack.status + "; it cannot be updated now");
        }
        cloud::ChangeSetRequest request;
        request.stack = m_step.stack;
        request.change_set_name = name;
        request.type = create ? cloud::ChangeSetType::create : cloud::ChangeSetType::update;
        std::string body = m_ctx.options.read_template(m_step.template_file);
        if (body.size() <= cloud::max_template_body_bytes) {
            request.template_body = std::move(body);
        } else {
            TemplateUpload upload(m_ctx, body);
            request.template_url = m_ctx.driver.run(m_step.id, upload).aws_id;
        }
        request.parameters = m_ctx.parameter_inputs(m_step, stack);
        request.description = "stackshift " + m_step.id;
        return request;
    }

    StepContext& m_ctx;
    const plan::Step& m_step;
    std::string m_name;
};

// ExecuteChangeSet, followed until the stack is complete. Its AWS id is the change set's.
class ChangeSetExecution final : public Operation {
public:
    ChangeSetExecution(StepContext& ctx, const plan::Step& step, std::string id, std::string name)
        : m_ctx(ctx), m_step(step), m_id(std::move(id)), m_name(std::move(name)), m_watch(ctx, step.stack) {
        if (step.kind == plan::StepKind::deploy_stack) m_watch.from_start();
    }

    ActionKind kind() const override { return ActionKind::execute_change_set; }
    std::vector<ActionKind> attempt_kinds() const override { return {ActionKind::create_change_set, ActionKind::execute_change_set}; }
    std::string name(const OperationKey&, const ActionRecord*) override { return m_name; }
    std::string describe(const std::string&) const override { return "the running update of " + m_step.stack; }

    // Asked before a crash: the change set is executing or has been.
    std::optional<std::string> find(const OperationKey&, const std::string&) override {
        return executing(describe_set()) ? std::optional(m_id) : std::nullopt;
    }

    Started start(const OperationKey&, const std::string&) override {
        if (m_step.kind != plan::StepKind::deploy_stack) m_watch.from_now();
        m_ctx.retry([&] { m_ctx.cloud.execute_change_set(m_step.stack, m_id); });
        return {m_id, false};
    }

    Polled poll(const std::string&) override { return m_watch.poll(); }

    cloud::ChangeSet describe_set() {
        return m_ctx.retry([&] { return m_ctx.cloud.describe_change_set(m_step.stack, m_id); });
    }

private:
    StepContext& m_ctx;
    const plan::Step& m_step;
    std::string m_id;
    std::string m_name;
    StackWatch m_watch;
};

}  // namespace

StepOutcome run_change_set_step(StepContext& ctx, const plan::Step& step) {
    ChangeSetCreation creation(ctx, step);
    auto created = ctx.driver.run(step.id, creation);
    if (created.nothing_to_do) return StepOutcome::unchanged;
    const std::string& name = created.name;
    ChangeSetExecution execution(ctx, step, created.aws_id, name);
    if (!ctx.driver.current(step.id, execution)) {
        // Not asked to run yet: what AWS says it will do (Replacement, PolicyAction, Scope)
        // against the plan, before anything happens.
        auto set = execution.describe_set();
        if (!executing(set)) {
            if (std::string problem = check_change_set(step, set, name); !problem.empty()) throw StepFailure(problem);
            if (set.execution_status != "AVAILABLE")
                throw StepFailure("change set " + name + " cannot be executed: " + set.execution_status);
        }
    }
    ctx.driver.run(step.id, execution);
    return StepOutcome::done;
}

}  // namespace stackshift::apply
