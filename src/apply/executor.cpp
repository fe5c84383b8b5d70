#include "apply/executor.hpp"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <map>
#include <sstream>

#include "apply/change_set_check.hpp"
#include "apply/instance_refresh.hpp"
#include "apply/service_health.hpp"
#include "cfn/deployment.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"

namespace stackshift::apply {

namespace {

using plan::StepKind;

bool in_progress(std::string_view status) { return status.ends_with("_IN_PROGRESS"); }

bool needs_confirmation(const plan::Step& step) {
    return !step.automated || step.kind == StepKind::manual || step.kind == StepKind::deploy_stack ||
           step.kind == StepKind::delete_stack || step.kind == StepKind::refresh_instances;  // it replaces machines
}

std::optional<ActionRecord> last_action(const std::vector<ActionRecord>& actions, std::string_view kind) {
    std::optional<ActionRecord> out;
    for (const auto& a : actions) {
        if (a.kind == kind) out = a;
    }
    return out;
}

std::vector<std::string> split_words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    std::string word;
    while (in >> word) out.push_back(word);
    return out;
}

bool is_empty_change_set(const cloud::ChangeSet& c) {
    return c.status == "FAILED" && c.status_reason.find("didn't contain changes") != std::string::npos;
}

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

std::string default_read(const std::string& path) {
    auto text = read_file(path);
    if (!text) throw Error(ExitCode::failure, to_string(text.diagnostics()));
    return std::move(text).value();
}

}  // namespace

std::string change_set_name(std::string_view prefix, std::string_view step_id, std::string_view fingerprint, int attempt) {
    std::string raw = std::string(prefix) + "-" + std::string(step_id) + "-" + std::string(fingerprint.substr(0, 8));
    if (attempt > 1) raw += "-r" + std::to_string(attempt);
    std::string out;
    for (char c : raw) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        out += ok ? c : '-';
    }
    if (out.empty() || !((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= 'A' && out[0] <= 'Z'))) out = "s" + out;
    if (out.size() > 128) out = out.substr(out.size() - 128), out[0] = 's';
    return out;
}

std::string task_token(std::string_view step_id, std::string_view fingerprint, int attempt) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a of the step id: ids can be long
    for (unsigned char c : step_id) h = (h ^ c) * 1099511628211ULL;
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "stackshift-%.8s-%08llx-%d", std::string(fingerprint).c_str(),
                  static_cast<unsigned long long>(h & 0xffffffffULL), attempt);
    return buffer;
}

std::string db_snapshot_id(std::string_view step_id, std::string_view fingerprint, int attempt) {
    std::string raw = "stackshift-" + std::string(step_id) + "-" + std::string(fingerprint.substr(0, 8));
    if (attempt > 1) raw += "-r" + std::to_string(attempt);
    std::string out;
    for (char c : raw) {
        bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (ok) out += c;
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    if (out.size() > 255) out = "s" + out.substr(out.size() - 254);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string template_key(std::string_view step_id, std::string_view fingerprint) {
    return "stackshift/" + std::string(fingerprint) + "/" + std::string(step_id) + ".template";
}

std::int64_t poll_interval(int poll, std::int64_t first, std::int64_t cap) {
    std::int64_t v = first;
    for (int i = 0; i < poll && v < cap; ++i) v = v + v / 2 + 1;
    return std::min(v, cap);
}

Executor::Executor(cloud::Cloud& cloud, Journal& journal, Progress& progress, ExecutorOptions options)
    : m_cloud(cloud), m_journal(journal), m_progress(progress), m_options(std::move(options)) {
    if (!m_options.read_template) m_options.read_template = default_read;
}

template <typename F>
auto Executor::retry(F&& call) -> decltype(call()) {
    std::int64_t delay = 1;
    for (int attempt = 0;; ++attempt) {
        try {
            return call();
        } catch (const cloud::CloudError& e) {
            if (!e.is_throttling() || attempt >= m_options.max_throttle_retries) throw;
            m_jitter ^= m_jitter << 13;
            m_jitter ^= m_jitter >> 7;
            m_jitter ^= m_jitter << 17;
            std::int64_t jitter = static_cast<std::int64_t>(m_jitter % static_cast<std::uint64_t>(delay + 1));
            ++m_result.throttled;
            pause(delay + jitter);
            delay = std::min<std::int64_t>(delay * 2, 20);
        }
    }
}

void Executor::check_stop() {
    if (!m_options.stop_requested) return;
    if (int signal = m_options.stop_requested(); signal != 0) throw Interrupted{signal};
}

void Executor::pause(std::int64_t seconds) {
    check_stop();
    if (m_options.wait_slice_s <= 0 || seconds <= m_options.wait_slice_s) {
        m_cloud.wait(seconds);
        return;
    }
    for (std::int64_t left = seconds; left > 0; left -= m_options.wait_slice_s) {
        m_cloud.wait(std::min(left, m_options.wait_slice_s));
        if (left > m_options.wait_slice_s) check_stop();
    }
}

ApplyResult Executor::run(const plan::Plan& plan, std::int64_t run_id, const std::string& fingerprint) {
    m_run = run_id;
    m_fingerprint = fingerprint;
    m_result = {};
    std::map<std::string, StepStatus, std::less<>> recorded;
    for (const auto& s : m_journal.steps(run_id)) recorded[s.step_id] = s.status;
    int total = 0;
    for (const auto& hop : plan.hops) total += static_cast<int>(hop.steps.size());

    auto fail = [&](ApplyOutcome outcome, const std::string& step_id, const std::string& message) {
        m_result.outcome = outcome;
        m_result.failed_step = step_id;
        m_result.message = message;
        m_journal.record_elapsed(run_id, m_progress.elapsed_s());
        m_journal.end_run(run_id,
                          outcome == ApplyOutcome::stopped       ? RunOutcome::stopped
                          : outcome == ApplyOutcome::interrupted ? RunOutcome::interrupted
                                                                 : RunOutcome::failed,
                          message);
        return m_result;
    };

    // A template CloudFormation would refuse inline, with nowhere to upload it, stops the run
    // before anything is sent.
    if (auto oversized = oversized_template(plan, recorded)) return fail(ApplyOutcome::stopped, oversized->first, oversized->second);

    // A stack in progress (other than one this run was waiting for) or failed stops the run
    // before anything changes.
    try {
        std::vector<std::string> tolerated;
        for (const auto& [id, status] : recorded) {
            if (status != StepStatus::started) continue;
            for (const auto& hop : plan.hops)
                for (const auto& step : hop.steps)
                    if (step.id == id) tolerated.push_back(step.stack);
        }
        std::vector<std::string> problems;
        for (const auto& stack : retry([&] { return m_cloud.describe_stacks(); })) {
            bool planned = false;
            for (const auto& hop : plan.hops)
                for (const auto& step : hop.steps) planned = planned || step.stack == stack.name;
            if (!planned) continue;
            bool waiting = std::find(tolerated.begin(), tolerated.end(), stack.name) != tolerated.end();
            if (in_progress(stack.status) && waiting) continue;
            if (!cfn::is_stable_status(stack.status)) problems.push_back(stack.name + " is " + stack.status);
        }
        if (!problems.empty()) {
            std::string message = "not starting: ";
            for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
            message += ". Bring the stack to a *_COMPLETE state first (wait for it, or continue its rollback), then run again";
            return fail(ApplyOutcome::failed, "", message);
        }
    } catch (const cloud::CloudError& e) {
        m_result.error_code = e.code();
        m_result.error_message = e.message();
        return fail(ApplyOutcome::failed, "", std::string("checking the stacks: ") + e.what());
    } catch (const Interrupted& stop) {
        m_result.signal = stop.signal;
        return fail(ApplyOutcome::interrupted, "", "interrupted while checking the stacks, before the first step");
    }

    m_progress.begin(plan);
    int position = 0;
    for (const auto& hop : plan.hops) {
        for (const auto& step : hop.steps) {
            ++position;
            auto it = recorded.find(step.id);
            if (it != recorded.end() && (it->second == StepStatus::done || it->second == StepStatus::skipped)) {
                m_progress.step_done_earlier(position, total, step, step_status_name(it->second));
                ++m_result.steps_already_done;
                continue;
            }
            try {
                check_stop();
                m_progress.step_started(position, total, step);
                if (needs_confirmation(step)) confirm(step);
                m_journal.start_step(run_id, step.id);
                std::string outcome = run_step(step);
                StepStatus status = outcome == "skipped" ? StepStatus::skipped : StepStatus::done;
                m_journal.finish_step(run_id, step.id, status, outcome);
                if (status == StepStatus::skipped) ++m_result.steps_skipped;
                else ++m_result.steps_done;
                m_progress.step_ended(step, outcome);
            } catch (const Interrupted& stop) {
                // The step stays as the journal has it (started, or pending when it had not
                // begun): a resume re-attaches to its action in flight.
                std::string message = "interrupted by " + std::string(stop.signal == SIGTERM ? "SIGTERM" : "SIGINT") +
                                      " at step " + step.id;
                m_progress.step_failed(step, true, message);
                m_result.signal = stop.signal;
                return fail(ApplyOutcome::interrupted, step.id, message);
            } catch (const StepStopped& e) {
                m_progress.step_failed(step, true, e.what());
                return fail(ApplyOutcome::stopped, step.id, e.what());
            } catch (const Error&) {
                throw;  // the journal cannot be written: nothing more may happen
            } catch (const std::exception& e) {
                std::string message = e.what();
                if (const auto* refused = dynamic_cast<const cloud::CloudError*>(&e)) {
                    m_result.error_code = refused->code();
                    m_result.error_message = refused->message();
                }
                m_journal.finish_step(run_id, step.id, StepStatus::failed, message);
                m_progress.step_failed(step, false, message);
                return fail(ApplyOutcome::failed, step.id, message);
            }
        }
        if (m_options.on_hop_done) m_options.on_hop_done(hop);
    }
    m_journal.record_elapsed(run_id, m_progress.elapsed_s());  // before the end: a resume continues from it
    m_journal.end_run(run_id, RunOutcome::succeeded);
    return m_result;
}

void Executor::confirm(const plan::Step& step) {
    for (const auto& line : step.details) m_progress.note("  " + line);
    if (m_options.yes) {
        m_progress.note("confirmed by --yes");
        return;
    }
    std::string what = step.kind == StepKind::manual ? "Carry out the instructions above, then continue"
                                                     : "Step " + step.id + " (" + step.title + ") needs confirmation";
    if (m_options.confirm) {
        bool yes = m_options.confirm(what + "? [y/N] ");
        check_stop();  // a signal at the question ends the answer: the run stops as interrupted
        if (yes) return;
        throw StepStopped("declined at step " + step.id + "; nothing was changed by it");
    }
    throw StepStopped("step " + step.id + " (" + std::string(plan::step_kind_name(step.kind)) +
                      ") needs confirmation and there is no terminal to ask: " +
                      (step.kind == StepKind::manual ? "carry out its instructions (above), then " : std::string()) +
                      "run the same command with --yes and --resume, or run it on a terminal");
}

std::string Executor::run_step(const plan::Step& step) {
    switch (step.kind) {
    case StepKind::preflight: return preflight(step);
    case StepKind::update_stack:
    case StepKind::deploy_stack: return update_stack(step);
    case StepKind::set_parameters: return set_parameters(step);
    case StepKind::skip_stack:
        if (!step.reason.empty()) m_progress.note(step.reason);
        return "skipped";
    case StepKind::run_migration: return run_migration(step);
    case StepKind::snapshot_volume: return snapshot_volume(step);
    case StepKind::terminate_instance: return terminate_instance(step);
    case StepKind::snapshot_database: return snapshot_database(step);
    case StepKind::wait:
        m_progress.status("waiting " + format_duration(step.wait_seconds));
        pause(step.wait_seconds);
        return "done";
    case StepKind::manual: return "done";
    case StepKind::check_services: return check_services(m_cloud, step, hooks());
    case StepKind::refresh_instances: return refresh_instances(m_cloud, m_journal, m_run, step, hooks());
    case StepKind::delete_stack: {
        auto actions = m_journal.actions(m_run, step.id);
        auto previous = last_action(actions, "delete-stack");
        std::int64_t action = previous ? previous->id : m_journal.intend_action(m_run, step.id, "delete-stack", step.stack);
        if (!previous) {
            retry([&] { m_cloud.delete_stack(step.stack); });
            m_journal.action_started(action, step.stack);
        }
        for (int poll = 0;; ++poll) {
            pause(poll_interval(poll, 5, 30));
            try {
                auto s = retry([&] { return m_cloud.describe_stack(step.stack); });
                m_progress.status(s.status);
                if (s.status == "DELETE_COMPLETE") break;
                if (!in_progress(s.status)) {
                    m_journal.finish_action(action, ActionState::failed, s.status);
                    throw StepFailure("stack " + step.stack + " ended in " + s.status + ": " + s.status_reason);
                }
            } catch (const cloud::CloudError& e) {
                if (e.code() != "ValidationError") throw;
                break;  // does not exist any more
            }
        }
        m_journal.finish_action(action, ActionState::done);
        return "done";
    }
    }
    return "done";
}

OperationHooks Executor::hooks() {
    return {[this](std::int64_t seconds) { pause(seconds); },
            [this](const std::function<void()>& call) { retry([&] { call(); }); },
            [](int poll, std::int64_t first, std::int64_t cap) { return poll_interval(poll, first, cap); },
            [this](const std::string& line) { m_progress.status(line); },
            [this](const std::string& line) { m_progress.note(line); }};
}

std::string Executor::preflight(const plan::Step&) {
    // The stacks were checked before the first step; this records the check in the run.
    return "done";
}

std::vector<cloud::ParameterInput> Executor::parameter_inputs(const plan::Step& step, const cloud::Stack& stack) const {
    std::vector<cloud::ParameterInput> out;
    auto has_previous = [&](const std::string& key) { return stack.parameters.count(key) != 0; };
    for (const auto& p : step.parameters) {
        if (p.no_echo && p.value_given) {
            auto value = m_options.secret ? m_options.secret(step.stack, step.template_id, p.name) : std::nullopt;
            if (!value)
                throw StepFailure("the NoEcho value of " + step.stack + "/" + p.name + " was given in the values file "
                                  "when planning but is not there now; give the same --values");
            out.push_back(cloud::ParameterInput::set(p.name, *value));
            continue;
        }
        if (p.no_echo) {
            if (has_previous(p.name)) out.push_back(cloud::ParameterInput::keep(p.name));
            continue;  // a new NoEcho parameter takes its default: its value is never sent
        }
        if (p.action == plan::ParameterAction::needs_input)
            throw StepFailure("parameter " + p.name + " of " + step.stack + " needs a value; give it with --values");
        if (p.action == plan::ParameterAction::keep && has_previous(p.name)) {
            out.push_back(cloud::ParameterInput::keep(p.name));
        } else if (p.value) {
            out.push_back(cloud::ParameterInput::set(p.name, *p.value));
        } else if (has_previous(p.name)) {
            out.push_back(cloud::ParameterInput::keep(p.name));
        }
    }
    if (step.previous_template) {
        // UpdateStack resets what it is not given: every other parameter keeps its value.
        for (const auto& [key, value] : stack.parameters) {
            bool given = std::any_of(out.begin(), out.end(), [&](const auto& in) { return in.key == key; });
            if (!given) out.push_back(cloud::ParameterInput::keep(key));
        }
    }
    return out;
}

std::string Executor::last_event_id(const std::string& stack) {
    auto events = retry([&] { return m_cloud.describe_stack_events(stack, ""); });
    return events.empty() ? std::string() : events.back().event_id;
}

void Executor::wait_for_stack(const std::string& stack, std::string cursor) {
    std::vector<cloud::StackEvent> failures;
    std::string rollback_reason;
    for (int poll = 0;; ++poll) {
        pause(poll_interval(poll, 5, 30));
        auto s = retry([&] { return m_cloud.describe_stack(stack); });
        m_progress.status(s.status);
        for (const auto& e : retry([&] { return m_cloud.describe_stack_events(stack, cursor); })) {
            m_progress.event(e);
            cursor = e.event_id;
            if (e.logical_id != stack && e.status.ends_with("_FAILED")) failures.push_back(e);
            if (e.logical_id == stack && e.status.ends_with("ROLLBACK_IN_PROGRESS") && rollback_reason.empty())
                rollback_reason = e.status_reason;
        }
        if (in_progress(s.status)) continue;
        if (s.status == "UPDATE_COMPLETE" || s.status == "CREATE_COMPLETE") return;
        throw StepFailure(update_failure(stack, s, failures, rollback_reason));
    }
}

std::string Executor::output_of(const plan::Step& step, const std::string& output) {
    if (output.empty()) throw StepFailure("the plan names no output of " + step.stack + " for step " + step.id);
    auto s = retry([&] { return m_cloud.describe_stack(step.stack); });
    auto it = s.outputs.find(output);
    if (it == s.outputs.end() || it->second.empty())
        throw StepFailure("stack " + step.stack + " has no output " + output);
    return it->second;
}

std::string Executor::physical_id(const plan::Step& step) {
    if (step.logical_id.empty()) throw StepFailure("step " + step.id + " names no resource of " + step.stack);
    auto resources = retry([&] { return m_cloud.describe_stack_resources(step.stack); });
    for (const auto& r : resources) {
        if (r.logical_id != step.logical_id) continue;
        if (r.physical_id.empty())
            throw StepFailure("resource '" + step.logical_id + "' of stack " + step.stack + " has no physical id yet (" +
                              r.status + "); wait for the stack to settle and run again with --resume");
        return r.physical_id;
    }
    throw StepFailure("stack " + step.stack + " has no resource '" + step.logical_id +
                      "' (DescribeStackResources); the deployment changed since the plan: plan again");
}

std::optional<std::pair<std::string, std::string>> Executor::oversized_template(
    const plan::Plan& plan, const std::map<std::string, StepStatus, std::less<>>& recorded) {
    if (!m_options.template_bucket.empty()) return std::nullopt;
    for (const auto& hop : plan.hops) {
        for (const auto& step : hop.steps) {
            bool sends_template = step.kind == StepKind::update_stack || step.kind == StepKind::deploy_stack;
            auto status = recorded.find(step.id);
            bool finished = status != recorded.end() && (status->second == StepStatus::done || status->second == StepStatus::skipped);
            if (!sends_template || finished) continue;
            std::size_t size = 0;
            try {
                size = m_options.read_template(step.template_file).size();
            } catch (const std::exception&) {
                continue;  // the step reports a template it cannot read when it runs, as before
            }
            if (size <= cloud::max_template_body_bytes) continue;
            return std::pair{step.id, "step " + step.id + ": the template " + step.template_file + " is " + std::to_string(size) +
                                          " bytes, over CloudFormation's TemplateBody limit of " +
                                          std::to_string(cloud::max_template_body_bytes) +
                                          " bytes; nothing was sent. Give an S3 bucket to upload it to with --template-bucket BUCKET "
                                          "(it goes to s3://BUCKET/" + template_key(step.id, m_fingerprint) + ") and run again"};
        }
    }
    return std::nullopt;
}

void Executor::set_template(cloud::ChangeSetRequest& request, const plan::Step& step) {
    std::string body = m_options.read_template(step.template_file);
    if (body.size() <= cloud::max_template_body_bytes) {
        request.template_body = std::move(body);
        return;
    }
    // Uploaded once per plan and step: a resumed run or a retry names the object it put.
    auto uploaded = last_action(m_journal.actions(m_run, step.id), "upload-template");
    if (uploaded && uploaded->state == ActionState::done && !uploaded->aws_id.empty()) {
        request.template_url = uploaded->aws_id;
        return;
    }
    std::string key = template_key(step.id, m_fingerprint);
    std::int64_t action = uploaded && uploaded->state != ActionState::failed ? uploaded->id
                                                                             : m_journal.intend_action(m_run, step.id, "upload-template", key);
    try {
        request.template_url = retry([&] { return m_cloud.upload_template(m_options.template_bucket, key, body); });
    } catch (const cloud::CloudError& e) {
        m_journal.finish_action(action, ActionState::failed, e.what());
        throw;
    }
    m_journal.action_started(action, request.template_url);
    m_journal.finish_action(action, ActionState::done);
    m_progress.note("template uploaded to s3://" + m_options.template_bucket + "/" + key + " (" + std::to_string(body.size()) + " bytes)");
}

std::string Executor::update_stack(const plan::Step& step) {
    bool create = step.kind == StepKind::deploy_stack;
    auto actions = m_journal.actions(m_run, step.id);
    auto created = last_action(actions, "create-change-set");
    auto executed = last_action(actions, "execute-change-set");
    if (executed && created && executed->id < created->id) executed.reset();
    if (executed && executed->state == ActionState::done) return "done";
    bool retrying = created && (created->state == ActionState::failed || (executed && executed->state == ActionState::failed));
    if (retrying) {
        created.reset();
        executed.reset();
    }
    int attempt = 1;
    for (const auto& a : actions) attempt += a.kind == "create-change-set" && retrying ? 1 : 0;

    cloud::Stack stack;
    if (!create) {
        stack = retry([&] { return m_cloud.describe_stack(step.stack); });
        bool attached = executed.has_value();
        if (!attached && !cfn::is_stable_status(stack.status))
            throw StepFailure("stack " + step.stack + " is " + stack.status + "; it cannot be updated now");
    }

    std::string name = created ? created->name : change_set_name(m_options.change_set_prefix, step.id, m_fingerprint, attempt);
    std::string id = created ? created->aws_id : std::string();
    std::int64_t create_action = created ? created->id : 0;
    if (id.empty()) {
        if (created) {
            try {  // intended before a crash: it may exist already
                id = retry([&] { return m_cloud.describe_change_set(step.stack, name); }).id;
            } catch (const cloud::CloudError& e) {
                if (e.code() != "ChangeSetNotFound") throw;
            }
        } else {
            create_action = m_journal.intend_action(m_run, step.id, "create-change-set", name);
        }
        if (id.empty()) {
            cloud::ChangeSetRequest request;
            request.stack = step.stack;
            request.change_set_name = name;
            request.type = create ? cloud::ChangeSetType::create : cloud::ChangeSetType::update;
            set_template(request, step);
            request.parameters = parameter_inputs(step, stack);
            request.description = "stackshift " + step.id;
            try {
                id = retry([&] { return m_cloud.create_change_set(request); });
            } catch (const cloud::CloudError& e) {
                if (e.code() != "AlreadyExistsException") {
                    m_journal.finish_action(create_action, ActionState::failed, e.what());
                    throw;
                }
                id = retry([&] { return m_cloud.describe_change_set(step.stack, name); }).id;
            }
        }
        m_journal.action_started(create_action, id);
        m_progress.note("change set " + name);
    } else {
        m_progress.note("re-attached to change set " + name);
    }

    // Wait for the change set unless it was already executed.
    cloud::ChangeSet set;
    for (int poll = 0;; ++poll) {
        try {
            set = retry([&] { return m_cloud.describe_change_set(step.stack, id); });
        } catch (const cloud::CloudError& e) {
            if (e.code() == "ChangeSetNotFound" && created && created->state == ActionState::done) {
                ++m_result.stacks_unchanged;  // the empty change set was deleted before a crash
                return "unchanged";
            }
            throw;
        }
        if (set.status != "CREATE_PENDING" && set.status != "CREATE_IN_PROGRESS") break;
        m_progress.status("change set " + set.status);
        pause(poll_interval(poll, 2, 10));
    }
    if (set.status == "FAILED") {
        if (is_empty_change_set(set)) {
            try {
                retry([&] { m_cloud.delete_change_set(step.stack, id); });
            } catch (const cloud::CloudError& e) {
                if (e.code() != "ChangeSetNotFound") throw;
            }
            m_journal.finish_action(create_action, ActionState::done, "empty change set, deleted");
            m_progress.note("no changes: the change set was deleted, the stack is unchanged");
            ++m_result.stacks_unchanged;
            return "unchanged";
        }
        m_journal.finish_action(create_action, ActionState::failed, set.status_reason);
        throw StepFailure("change set " + name + " failed: " + set.status_reason);
    }
    if (!created || created->state != ActionState::done) m_journal.finish_action(create_action, ActionState::done);

    bool already_running = set.execution_status == "EXECUTE_IN_PROGRESS" || set.execution_status == "EXECUTE_COMPLETE" ||
                           set.execution_status == "EXECUTE_FAILED";
    if (!already_running) {
        // What AWS says it will do (Replacement, PolicyAction, Scope) against the plan, before anything happens.
        if (std::string problem = check_change_set(step, set, name); !problem.empty()) throw StepFailure(problem);
        if (set.execution_status != "AVAILABLE")
            throw StepFailure("change set " + name + " cannot be executed: " + set.execution_status);
    }

    std::string cursor = create ? std::string() : last_event_id(step.stack);
    std::int64_t execute_action = executed ? executed->id : 0;
    if (!already_running) {
        if (!executed) execute_action = m_journal.intend_action(m_run, step.id, "execute-change-set", name);
        retry([&] { m_cloud.execute_change_set(step.stack, id); });
        m_journal.action_started(execute_action, id);
    } else {
        if (!executed) execute_action = m_journal.intend_action(m_run, step.id, "execute-change-set", name);
        if (!executed || executed->aws_id.empty()) m_journal.action_started(execute_action, id);
        m_progress.note("re-attached to the running update of " + step.stack);
    }
    try {
        wait_for_stack(step.stack, cursor);
    } catch (const std::exception& e) {
        m_journal.finish_action(execute_action, ActionState::failed, e.what());
        throw;
    }
    m_journal.finish_action(execute_action, ActionState::done);
    ++m_result.stacks_updated;
    return "done";
}

std::string Executor::set_parameters(const plan::Step& step) {
    auto actions = m_journal.actions(m_run, step.id);
    auto previous = last_action(actions, "update-stack");
    if (previous && previous->state == ActionState::done) return "done";
    auto stack = retry([&] { return m_cloud.describe_stack(step.stack); });
    bool reattach = previous && previous->state != ActionState::failed && in_progress(stack.status);
    std::int64_t action = 0;
    std::string cursor;
    if (reattach) {
        action = previous->id;
        m_progress.note("re-attached to the running update of " + step.stack);
    } else {
        if (!cfn::is_stable_status(stack.status))
            throw StepFailure("stack " + step.stack + " is " + stack.status + "; it cannot be updated now");
        cursor = last_event_id(step.stack);
        action = m_journal.intend_action(m_run, step.id, "update-stack", step.stack);
        cloud::UpdateStackRequest request{step.stack, parameter_inputs(step, stack)};
        try {
            retry([&] { m_cloud.update_stack(request); });
        } catch (const cloud::CloudError& e) {
            if (e.message().find("No updates are to be performed") != std::string::npos) {
                m_journal.finish_action(action, ActionState::done, "no updates");
                ++m_result.stacks_unchanged;
                return "unchanged";
            }
            m_journal.finish_action(action, ActionState::failed, e.what());
            throw;
        }
        m_journal.action_started(action, stack.id.empty() ? step.stack : stack.id);
    }
    try {
        wait_for_stack(step.stack, cursor);
    } catch (const std::exception& e) {
        m_journal.finish_action(action, ActionState::failed, e.what());
        throw;
    }
    m_journal.finish_action(action, ActionState::done);
    ++m_result.stacks_updated;
    return "done";
}

std::string Executor::run_migration(const plan::Step& step) {
    auto actions = m_journal.actions(m_run, step.id);
    auto previous = last_action(actions, "run-task");
    if (previous && previous->state == ActionState::done) return "done";
    auto words = split_words(output_of(step, step.resource_output));
    if (words.size() < 5)
        throw StepFailure("output " + step.resource_output + " of " + step.stack +
                          " should read 'TASK_DEFINITION CLUSTER SUBNET_ONE SUBNET_TWO SECURITY_GROUP'");
    int attempt = 1;
    for (const auto& a : actions) attempt += a.kind == "run-task" && a.state == ActionState::failed ? 1 : 0;
    cloud::RunTaskRequest request{words[1], words[0], m_options.container, step.command, {words[2], words[3]}, {words[4]},
                                  task_token(step.id, m_fingerprint, attempt)};
    std::string arn;
    std::int64_t action = 0;
    bool running = previous && previous->state == ActionState::started && !previous->aws_id.empty();
    bool intended = !running && previous && previous->state == ActionState::intended;
    // A task not asked for yet is checked before anything is journaled.
    if (!running && !intended) check_migration_image(step, request.task_definition);
    if (running) {
        arn = previous->aws_id;
        action = previous->id;
        m_progress.note("re-attached to task " + arn);
    } else if (previous && previous->state == ActionState::intended) {
        // Intended before a crash: the task may have started; its startedBy token finds it.
        action = previous->id;
        auto found = retry([&] { return m_cloud.list_tasks(request.cluster, request.started_by); });
        if (!found.empty()) {
            arn = found.front();
            m_progress.note("re-attached to task " + arn + " (started before the interruption)");
        }
    } else {
        action = m_journal.intend_action(m_run, step.id, "run-task", request.started_by);
    }
    if (arn.empty()) {
        if (intended) {
            try {
                check_migration_image(step, request.task_definition);
            } catch (const std::exception& e) {
                m_journal.finish_action(action, ActionState::failed, e.what());
                throw;
            }
        }
        std::string command;
        for (const auto& w : step.command) command += (command.empty() ? "" : " ") + w;
        arn = retry([&] { return m_cloud.run_task(request); });
        m_progress.note("task " + arn + ": " + command);
    }
    if (!running) m_journal.action_started(action, arn);
    cloud::Task task;
    for (int poll = 0;; ++poll) {
        pause(poll_interval(poll, 5, 30));
        auto tasks = retry([&] { return m_cloud.describe_tasks(request.cluster, {arn}); });
        if (tasks.empty()) {
            m_journal.finish_action(action, ActionState::failed, "task not found");
            throw StepFailure("task " + arn + " is not known to ECS");
        }
        task = tasks.front();
        m_progress.status("task " + task.last_status);
        if (task.last_status == "STOPPED") break;
    }
    if (!task.exit_code || *task.exit_code != 0) {
        std::string code = task.exit_code ? std::to_string(*task.exit_code) : "none (" + task.stopped_reason + ")";
        std::vector<std::string> lines;
        try {
            lines = retry([&] { return m_cloud.task_log_lines(arn); });
        } catch (const cloud::CloudError&) {
        }
        std::string message = "migration task " + arn + " exited with code " + code;
        m_journal.finish_action(action, ActionState::failed, message);
        if (lines.size() > 20) lines.erase(lines.begin(), lines.end() - 20);
        if (!lines.empty()) message += "; its last log lines:";
        for (const auto& line : lines) message += "\n    " + line;
        throw StepFailure(message);
    }
    m_journal.finish_action(action, ActionState::done);
    ++m_result.migrations;
    return "done";
}

void Executor::check_migration_image(const plan::Step& step, const std::string& task_definition) {
    std::string fix = "the stack " + step.stack + " was not updated to this hop's version, or its output " +
                      step.resource_output + " names an old revision: check the stack, then run again with --resume";
    if (step.image.empty())
        throw StepFailure("step " + step.id + " does not say which image its migration must run with (a plan made "
                          "before apply checked migration images, or one with inputs still to give): make the plan "
                          "again; apply does not start a migration whose image it cannot check");
    cloud::TaskDefinition definition;
    try {
        definition = retry([&] { return m_cloud.describe_task_definition(task_definition); });
    } catch (const cloud::CloudError& e) {
        throw StepFailure("the task definition " + task_definition + " that " + step.resource_output + " of " + step.stack +
                          " names cannot be described (" + e.what() + "): " + fix);
    }
    if (definition.status != "ACTIVE")
        throw StepFailure("the task definition " + definition.arn + " that " + step.resource_output + " of " + step.stack +
                          " names is " + definition.status + " (replaced), so no migration can run with it: " + fix);
    // The container whose command the task overrides must run the image; without one named,
    // any container may.
    std::vector<std::string> images;
    for (const auto& c : definition.containers)
        if (m_options.container.empty() || c.name == m_options.container) images.push_back(c.image);
    if (std::find(images.begin(), images.end(), step.image) != images.end()) {
        m_progress.note("task definition " + definition.arn + " runs " + step.image);
        return;
    }
    std::string runs = images.empty() ? "has no container named '" + m_options.container + "'"
                                      : "runs " + join(images, ", ") +
                                            (m_options.container.empty() ? "" : " in container '" + m_options.container + "'");
    throw StepFailure("not starting " + step.id + " (" + join(step.command, " ") + "): the task definition " +
                      definition.arn + " " + runs + ", but this hop's migration must run with " + step.image + "; " + fix);
}

std::string Executor::snapshot_volume(const plan::Step& step) {
    auto actions = m_journal.actions(m_run, step.id);
    auto previous = last_action(actions, "create-snapshot");
    if (previous && previous->state == ActionState::done) return "done";
    std::string id;
    std::int64_t action = 0;
    std::string description = "stackshift " + step.id + " " + m_fingerprint.substr(0, 8);
    if (previous && previous->state == ActionState::started && !previous->aws_id.empty()) {
        id = previous->aws_id;
        action = previous->id;
        m_progress.note("re-attached to snapshot " + id);
    } else {
        std::string volume = previous ? previous->name : physical_id(step);
        if (previous && previous->state == ActionState::intended) {
            // Intended before a crash: the snapshot may exist; its description finds it.
            action = previous->id;
            auto found = retry([&] { return m_cloud.find_snapshots(volume, description); });
            if (!found.empty()) {
                id = found.front().id;
                m_progress.note("re-attached to snapshot " + id + " (asked for before the interruption)");
            }
        } else {
            action = m_journal.intend_action(m_run, step.id, "create-snapshot", volume);
        }
        if (id.empty()) {
            id = retry([&] { return m_cloud.create_snapshot(volume, description); }).id;
            m_progress.note("snapshot " + id + " of volume " + volume);
        }
        m_journal.action_started(action, id);
    }
    for (int poll = 0;; ++poll) {
        pause(poll_interval(poll, 10, 60));
        auto snapshots = retry([&] { return m_cloud.describe_snapshots({id}); });
        if (snapshots.empty()) throw StepFailure("snapshot " + id + " is not known to EC2");
        m_progress.status("snapshot " + snapshots.front().state);
        if (snapshots.front().state == "completed") break;
        if (snapshots.front().state == "error") {
            m_journal.finish_action(action, ActionState::failed, "error");
            throw StepFailure("snapshot " + id + " failed");
        }
    }
    m_journal.finish_action(action, ActionState::done);
    return "done";
}

std::string Executor::terminate_instance(const plan::Step& step) {
    auto actions = m_journal.actions(m_run, step.id);
    auto previous = last_action(actions, "terminate-instance");
    if (previous && previous->state == ActionState::done) return "done";
    std::string instance = previous ? previous->name : physical_id(step);
    auto state = [&] {
        auto found = retry([&] { return m_cloud.describe_instances({instance}); });
        return found.empty() ? std::string("terminated") : found.front().state;
    };
    std::int64_t action = previous ? previous->id : m_journal.intend_action(m_run, step.id, "terminate-instance", instance);
    std::string now = state();
    if (now != "terminated" && now != "shutting-down") {
        retry([&] { m_cloud.terminate_instances({instance}); });
        m_progress.note("terminating " + instance);
    }
    if (!previous || previous->aws_id.empty()) m_journal.action_started(action, instance);
    for (int poll = 0;; ++poll) {
        std::string current = state();
        m_progress.status("instance " + current);
        if (current == "terminated") break;
        if (poll > 60) {
            m_journal.finish_action(action, ActionState::failed, "not terminated");
            throw StepFailure("instance " + instance + " did not terminate");
        }
        pause(poll_interval(poll, 5, 30));
    }
    m_journal.finish_action(action, ActionState::done);
    return "done";
}

std::string Executor::snapshot_database(const plan::Step& step) {
    auto actions = m_journal.actions(m_run, step.id);
    auto previous = last_action(actions, "create-db-cluster-snapshot");
    if (previous && previous->state == ActionState::done) return "done";
    int attempt = 1;
    for (const auto& a : actions) attempt += a.kind == "create-db-cluster-snapshot" && a.state == ActionState::failed ? 1 : 0;
    bool resumed = previous && previous->state != ActionState::failed;
    std::string id = resumed && !previous->aws_id.empty() ? previous->aws_id : db_snapshot_id(step.id, m_fingerprint, attempt);
    std::int64_t action = 0;
    if (resumed && previous->state == ActionState::started) {
        action = previous->id;
        m_progress.note("re-attached to cluster snapshot " + id);
    } else {
        std::string cluster = resumed ? previous->name : physical_id(step);
        action = resumed ? previous->id : m_journal.intend_action(m_run, step.id, "create-db-cluster-snapshot", cluster);
        // Intended before a crash: the snapshot may exist; its identifier finds it.
        auto found = resumed ? retry([&] { return m_cloud.describe_db_cluster_snapshots(id); })
                             : std::vector<cloud::DbClusterSnapshot>{};
        if (found.empty()) {
            retry([&] { return m_cloud.create_db_cluster_snapshot(cluster, id); });
            m_progress.note("cluster snapshot " + id + " of " + cluster);
        } else {
            m_progress.note("re-attached to cluster snapshot " + id + " (asked for before the interruption)");
        }
        m_journal.action_started(action, id);
    }
    for (int poll = 0;; ++poll) {
        pause(poll_interval(poll, 10, 60));
        auto snapshots = retry([&] { return m_cloud.describe_db_cluster_snapshots(id); });
        if (snapshots.empty()) {
            m_journal.finish_action(action, ActionState::failed, "not found");
            throw StepFailure("cluster snapshot " + id + " is not known to RDS");
        }
        const auto& s = snapshots.front();
        m_progress.status("cluster snapshot " + s.status + " " + std::to_string(s.percent_progress) + "%");
        if (s.status == "available") break;
        if (s.status != "creating") {
            m_journal.finish_action(action, ActionState::failed, s.status);
            throw StepFailure("cluster snapshot " + id + " ended " + s.status + "; the update did not start");
        }
    }
    m_journal.finish_action(action, ActionState::done);
    return "done";
}

}  // namespace stackshift::apply
