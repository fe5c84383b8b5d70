#include "apply/service_health.hpp"

#include "apply/step_context.hpp"

#include <algorithm>
#include <map>

#include "core/duration.hpp"
#include "core/text.hpp"

namespace stackshift::apply {

namespace {

// A service the step checks, once its stack named its ARN.
struct Target {
    const plan::ServiceCheck* check = nullptr;
    std::string arn;
    std::string cluster;
};

std::string label(const plan::ServiceCheck& check) { return check.stack + "/" + check.logical_id; }

// The physical ids of the stacks' resources, by stack and logical id.
std::vector<Target> find_targets(cloud::Cloud& cloud, const plan::Step& step, const OperationHooks& hooks) {
    std::map<std::string, std::vector<cloud::StackResource>, std::less<>> resources;
    std::vector<Target> out;
    for (const auto& check : step.services) {
        auto it = resources.find(check.stack);
        if (it == resources.end()) {
            std::vector<cloud::StackResource> found;
            hooks.retry([&] { found = cloud.describe_stack_resources(check.stack); });
            it = resources.emplace(check.stack, std::move(found)).first;
        }
        auto r = std::find_if(it->second.begin(), it->second.end(),
                              [&](const cloud::StackResource& x) { return x.logical_id == check.logical_id; });
        if (r == it->second.end() && check.conditional) {
            hooks.note(label(check) + " is not deployed (its Condition is false): not checked");
            continue;
        }
        if (r == it->second.end() || r->physical_id.empty())
            throw OperationFailed(label(check) + ": the stack has no such service (DescribeStackResources lists no " +
                                  check.logical_id + "); the plan expects one after this hop");
        auto parts = service_arn_parts(r->physical_id);
        if (!parts)
            throw OperationFailed(label(check) + ": its physical id " + r->physical_id + " names no cluster (not an ARN of "
                                  "the form arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME), so the service cannot be "
                                  "described; opt in to ECS's long ARN format (aws ecs put-account-setting --name "
                                  "serviceLongArnFormat) and update the stack, or check the service by hand");
        out.push_back({&check, r->physical_id, parts->first});
    }
    return out;
}

// The containers of the deployment's task definition that run another image of a repository
// the hop set an image of: "runs A, this hop set B".
std::vector<std::string> image_problems(const cloud::TaskDefinition& definition, const std::vector<std::string>& images) {
    std::vector<std::string> out;
    for (const auto& container : definition.containers) {
        // A stack may set several images of one repository (a server and its proxy): any of them will do.
        std::vector<std::string> same_repository;
        for (const auto& image : images)
            if (image_repository(image) == image_repository(container.image)) same_repository.push_back(image);
        if (same_repository.empty() || std::count(same_repository.begin(), same_repository.end(), container.image)) continue;
        out.push_back("container " + container.name + " runs " + container.image + ", this hop set " + join(same_repository, " or "));
    }
    return out;
}

// What keeps the service from being steady, in words; empty when it is steady.
std::vector<std::string> deployment_problems(const cloud::Service& s) {
    std::vector<std::string> out;
    if (s.status != "ACTIVE") return {"the service is " + s.status};
    if (s.running_count != s.desired_count)
        out.push_back(std::to_string(s.running_count) + " of " + std::to_string(s.desired_count) + " tasks running");
    if (s.deployments.size() != 1)
        out.push_back(std::to_string(s.deployments.size()) + " deployments (an older one still runs tasks)");
    auto primary = std::find_if(s.deployments.begin(), s.deployments.end(),
                                [](const cloud::ServiceDeployment& d) { return d.status == "PRIMARY"; });
    if (primary == s.deployments.end()) {
        out.push_back("no PRIMARY deployment");
    } else if (primary->rollout_state != "COMPLETED") {
        out.push_back("deployment " + (primary->rollout_state.empty() ? std::string("without a rollout state")
                                                                      : primary->rollout_state) +
                      (primary->rollout_state_reason.empty() ? "" : " (" + primary->rollout_state_reason + ")"));
    }
    return out;
}

class ServiceChecker {
public:
    ServiceChecker(cloud::Cloud& cloud, const OperationHooks& hooks) : m_cloud(cloud), m_hooks(hooks) {}

    // The problems of every target now, each "STACK/LOGICALID: what"; `final` is set when one
    // cannot end by waiting (steady on another image, or gone).
    std::vector<std::string> problems(const std::vector<Target>& targets, bool& final) {
        std::vector<std::string> out;
        for (const auto& [cluster, group] : by_cluster(targets)) {
            std::vector<std::string> arns;
            for (const Target* t : group) arns.push_back(t->arn);
            std::vector<cloud::Service> described;
            m_hooks.retry([&] { described = m_cloud.describe_services(cluster, arns); });
            for (const Target* t : group) {
                std::string what = problem(*t, find(described, t->arn), final);
                if (!what.empty()) out.push_back(label(*t->check) + ": " + what);
            }
        }
        return out;
    }

private:
    static std::map<std::string, std::vector<const Target*>> by_cluster(const std::vector<Target>& targets) {
        std::map<std::string, std::vector<const Target*>> out;
        for (const auto& t : targets) out[t.cluster].push_back(&t);
        return out;
    }

    static const cloud::Service* find(const std::vector<cloud::Service>& described, const std::string& arn) {
        for (const auto& s : described)
            if (s.arn == arn) return &s;
        return nullptr;
    }

    std::string problem(const Target& t, const cloud::Service* s, bool& final) {
        if (s == nullptr || s->status == "MISSING") {
            final = true;
            return "ECS does not know service " + t.arn + " in cluster " + t.cluster + " (MISSING)";
        }
        std::vector<std::string> wrong = deployment_problems(*s);
        // ECS's newest event usually says why (tasks that fail to start, a failing health check).
        if (!wrong.empty()) return join(wrong, "; ") + (s->events.empty() ? "" : " (its latest event: " + s->events.front() + ")");
        auto images = image_problems(definition(s->deployments.front().task_definition), t.check->images);
        if (!images.empty()) final = true;  // steady on another image: waiting changes nothing
        return join(images, "; ");
    }

    const cloud::TaskDefinition& definition(const std::string& arn) {
        auto it = m_definitions.find(arn);
        if (it != m_definitions.end()) return it->second;
        cloud::TaskDefinition d;
        m_hooks.retry([&] { d = m_cloud.describe_task_definition(arn); });
        return m_definitions.emplace(arn, std::move(d)).first->second;
    }

    cloud::Cloud& m_cloud;
    const OperationHooks& m_hooks;
    std::map<std::string, cloud::TaskDefinition, std::less<>> m_definitions;  // a revision never changes
};

}  // namespace

std::string image_repository(std::string_view image) {
    std::string_view name = image.substr(0, image.find('@'));
    auto slash = name.rfind('/');
    auto colon = name.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) name = name.substr(0, colon);
    return std::string(name);
}

std::optional<std::pair<std::string, std::string>> service_arn_parts(std::string_view arn) {
    if (!arn.starts_with("arn:")) return std::nullopt;
    auto marker = arn.find(":service/");
    if (marker == std::string_view::npos) return std::nullopt;
    std::string_view rest = arn.substr(marker + 9);
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 >= rest.size()) return std::nullopt;
    return std::pair{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
}

std::string check_services(cloud::Cloud& cloud, const plan::Step& step, const OperationHooks& hooks, std::int64_t max_wait_s) {
    std::vector<Target> targets = find_targets(cloud, step, hooks);
    ServiceChecker checker(cloud, hooks);
    std::int64_t start = cloud.clock_s();
    for (int poll = 0;; ++poll) {
        bool final = false;
        std::vector<std::string> problems = checker.problems(targets, final);
        if (problems.empty()) {
            hooks.note(std::to_string(targets.size()) + " ECS service(s) steady on this hop's images");
            return "done";
        }
        std::int64_t waited = cloud.clock_s() - start;
        if (final || waited >= max_wait_s)
            throw OperationFailed("not every ECS service is steady: " + join(problems, "; ") +
                                  (final ? std::string() : " after " + format_duration(max_wait_s)) +
                                  ". Look at the services' events (aws ecs describe-services), fix what keeps them "
                                  "down, then run again with --resume");
        hooks.status(std::to_string(targets.size() - problems.size()) + " of " + std::to_string(targets.size()) +
                     " services steady; waiting for " + problems.front());
        hooks.pause(std::min(hooks.interval(poll, 10, 60), std::max<std::int64_t>(max_wait_s - waited, 1)));
    }
}

}  // namespace stackshift::apply

namespace stackshift::apply {

StepOutcome run_service_check(StepContext& ctx, const plan::Step& step) {
    OperationHooks hooks{[&ctx](std::int64_t seconds) { ctx.pacer.pause(seconds); },
                         [&ctx](const std::function<void()>& call) { ctx.retry([&] { call(); }); }, poll_interval,
                         [&ctx](const std::string& line) { ctx.progress.status(line); },
                         [&ctx](const std::string& line) { ctx.progress.note(line); }};
    try {
        check_services(ctx.cloud, step, hooks);
    } catch (const OperationFailed& e) {
        throw StepFailure(e.what());
    }
    return StepOutcome::done;
}

}  // namespace stackshift::apply
