#include "apply/stale_plan.hpp"

#include <map>
#include <set>

#include "core/utc_time.hpp"
#include "plan/fingerprint.hpp"

namespace stackshift::apply {

namespace {

std::string time_text(std::int64_t seconds) { return seconds == 0 ? std::string("(not recorded)") : format_iso_utc(seconds); }

// The stacks the plan is about: those it was made from, those its steps name, and any whose name
// starts with the deployment's prefix. A stack in REVIEW_IN_PROGRESS (a change set to create it,
// never executed) does not exist yet, as the deployment reader sees it.
std::map<std::string, cloud::Stack, std::less<>> stacks_now(cloud::Cloud& cloud, const plan::Plan& plan) {
    std::set<std::string, std::less<>> named;
    for (const auto& s : plan.made_from) named.insert(s.name);
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps)
            if (!step.stack.empty()) named.insert(step.stack);
    std::map<std::string, cloud::Stack, std::less<>> out;
    for (auto& s : cloud.describe_stacks()) {
        if (s.status == "REVIEW_IN_PROGRESS") continue;
        bool ours = named.count(s.name) != 0 || (!plan.stack_prefix.empty() && s.name.starts_with(plan.stack_prefix));
        if (ours) out.emplace(s.name, std::move(s));
    }
    return out;
}

std::string changes_of(const plan::RecordedStack& then, const cloud::Stack& now, const std::string& body_now) {
    std::string out;
    auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
    if (then.status != now.status) add("status " + then.status + " when planned, now " + now.status);
    if (then.last_updated_s != now.last_updated_s)
        add("last updated " + time_text(then.last_updated_s) + " when planned, now " + time_text(now.last_updated_s));
    if (plan::template_content_hash(body_now) != then.template_hash) add("its template changed");
    return out;
}

}  // namespace

std::vector<std::string> stale_stacks(cloud::Cloud& cloud, const plan::Plan& plan) {
    auto now = stacks_now(cloud, plan);
    std::vector<std::string> present;
    for (const auto& then : plan.made_from)
        if (now.count(then.name) != 0) present.push_back(then.name);
    std::vector<std::string> bodies = cloud.get_templates(present);
    std::vector<std::string> out;
    std::size_t next_body = 0;
    for (const auto& then : plan.made_from) {
        auto it = now.find(then.name);
        if (it == now.end()) {
            out.push_back(then.name + ": deleted since the plan was made (it was " + then.status + ")");
            continue;
        }
        std::string changes = changes_of(then, it->second, bodies.at(next_body++));
        if (!changes.empty()) out.push_back(then.name + ": " + changes);
        now.erase(it);
    }
    for (const auto& [name, stack] : now) out.push_back(name + ": created since the plan was made (now " + stack.status + ")");
    return out;
}

}  // namespace stackshift::apply
