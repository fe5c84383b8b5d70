#include "apply/driver.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace stackshift::apply {

std::string_view step_outcome_name(StepOutcome outcome) {
    switch (outcome) {
    case StepOutcome::done: return "done";
    case StepOutcome::skipped: return "skipped";
    case StepOutcome::unchanged: return "unchanged";
    case StepOutcome::outstanding: return "outstanding";
    }
    return "done";
}

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

// ---- Pacer -------------------------------------------------------------------------------

void Pacer::check_stop() {
    if (!m_options.stop_requested) return;
    if (int signal = m_options.stop_requested(); signal != 0) throw Interrupted{signal};
}

void Pacer::pause(std::int64_t seconds) {
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

std::int64_t Pacer::jitter(std::int64_t delay) {
    m_jitter ^= m_jitter << 13;
    m_jitter ^= m_jitter >> 7;
    m_jitter ^= m_jitter << 17;
    return static_cast<std::int64_t>(m_jitter % static_cast<std::uint64_t>(delay + 1));
}

// ---- Driver ------------------------------------------------------------------------------

Driver::Current Driver::current_attempt(const std::string& step_id, Operation& op) {
    auto actions = m_journal.actions(m_run, step_id);
    auto counts = op.attempt_kinds();
    int failed = 0;
    const ActionRecord* last = nullptr;
    for (const auto& a : actions) {
        bool counted = std::any_of(counts.begin(), counts.end(), [&](ActionKind k) { return a.kind == action_kind_name(k); });
        if (counted && a.state == ActionState::failed) ++failed;
        if (a.kind == action_kind_name(op.kind())) last = &a;
    }
    if (last != nullptr && last->state == ActionState::failed) last = nullptr;
    Current out{{m_fingerprint, step_id, 1 + failed}, {}, std::nullopt};
    out.name = op.name(out.key, last);
    // An action under another name belongs to an attempt that is over (its change set was
    // made, and its execution failed): this attempt has none yet.
    if (last != nullptr && last->name == out.name) out.action = *last;
    return out;
}

std::optional<ActionRecord> Driver::current(const std::string& step_id, Operation& op) {
    return current_attempt(step_id, op).action;
}

OperationResult Driver::run(const std::string& step_id, Operation& op) {
    Current now = current_attempt(step_id, op);
    if (now.action && now.action->state == ActionState::done)
        return {now.action->message == op.nothing_note(), now.action->aws_id, now.name};
    if (now.action && !now.action->aws_id.empty()) {
        m_progress.note("re-attached to " + op.describe(now.action->aws_id));
        return follow(now.action->id, op, now.action->aws_id, now.name);
    }
    if (now.action) return attach_or_start(now.action->id, op, now.key, now.name, true);
    std::int64_t action = m_journal.intend_action(m_run, step_id, action_kind_name(op.kind()), now.name);
    return attach_or_start(action, op, now.key, now.name, false);
}

OperationResult Driver::attach_or_start(std::int64_t action, Operation& op, const OperationKey& key, const std::string& name,
                                        bool intended_before) {
    if (intended_before) {
        // Journaled as intended, then the process ended: AWS may have it already.
        if (auto found = op.find(key, name)) {
            m_progress.note("re-attached to " + op.describe(*found) + " (asked for before the interruption)");
            m_journal.action_started(action, *found);
            return follow(action, op, *found, name);
        }
    }
    Started started;
    try {
        started = op.start(key, name);
    } catch (const StepFailure& e) {
        m_journal.finish_action(action, ActionState::failed, e.what());
        throw;
    } catch (const cloud::CloudError& e) {
        m_journal.finish_action(action, ActionState::failed, e.what());
        throw;
    }
    if (started.nothing_to_do) {
        m_journal.finish_action(action, ActionState::done, op.nothing_note());
        return {true, {}, name};
    }
    m_journal.action_started(action, started.aws_id);
    return follow(action, op, started.aws_id, name);
}

OperationResult Driver::follow(std::int64_t action, Operation& op, const std::string& aws_id, const std::string& name) {
    PollPace pace = op.pace();
    for (int poll = 0;; ++poll) {
        if (pace.wait_first) m_pacer.pause(poll_interval(poll, pace.first, pace.cap));
        else if (poll > 0) m_pacer.pause(poll_interval(poll - 1, pace.first, pace.cap));
        Polled now = op.poll(aws_id);
        switch (now.state) {
        case Polled::State::running: continue;
        case Polled::State::done: m_journal.finish_action(action, ActionState::done); return {false, aws_id, name};
        case Polled::State::nothing_to_do:
            m_journal.finish_action(action, ActionState::done, op.nothing_note());
            return {true, aws_id, name};
        case Polled::State::failed:
            m_journal.finish_action(action, ActionState::failed, now.message);
            throw StepFailure(now.message + now.detail);
        }
    }
}

}  // namespace stackshift::apply
