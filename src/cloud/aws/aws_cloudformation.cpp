// AwsCloud, CloudFormation: stacks, templates, change sets, updates, deletes and events.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "cloud/aws/aws_cloud.hpp"
#include "cloud/aws/aws_json.hpp"
#include "core/no_echo.hpp"

namespace stackshift::cloud::aws {

namespace {

const std::vector<std::string> capabilities = {"--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                                               "CAPABILITY_AUTO_EXPAND"};

// A template body too long for argv goes through a file only we can read, removed after the call.
class TemplateFile {
public:
    explicit TemplateFile(const std::string& body) {
        const char* dir = std::getenv("TMPDIR");
        std::string pattern = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/stackshift-template-XXXXXX";
        int fd = mkstemp(pattern.data());
        if (fd < 0) throw CloudError("CliFailed", "cannot write a temporary template file in " + pattern);
        m_path = pattern;
        std::size_t written = 0;
        while (written < body.size()) {
            ssize_t n = write(fd, body.data() + written, body.size() - written);
            if (n <= 0) {
                close(fd);
                throw CloudError("CliFailed", "cannot write the temporary template file " + m_path);
            }
            written += static_cast<std::size_t>(n);
        }
        close(fd);
    }
    ~TemplateFile() { unlink(m_path.c_str()); }
    TemplateFile(const TemplateFile&) = delete;
    TemplateFile& operator=(const TemplateFile&) = delete;
    std::string url() const { return "file://" + m_path; }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

// A change set named by its ARN needs no stack; one named by its name does.
std::vector<std::string> change_set_args(const std::string& stack, const std::string& change_set) {
    std::vector<std::string> args = {"--change-set-name", change_set};
    if (change_set.rfind("arn:", 0) != 0) args.insert(args.end(), {"--stack-name", stack});
    return args;
}

}  // namespace

// ---- Shared with the query protocol's XML readers (query_answers.cpp) ----

ChangeAction change_action_from_word(const std::string& action) {
    if (action == "Add" || action == "Import") return ChangeAction::add;
    if (action == "Remove") return ChangeAction::remove;
    return ChangeAction::modify;  // Modify, Dynamic
}

ChangeReplacement change_replacement_from_word(const std::string& replacement) {
    if (replacement == "True") return ChangeReplacement::yes;
    if (replacement == "Conditional") return ChangeReplacement::conditional;
    return ChangeReplacement::no;
}

bool change_set_changes_nothing(const std::string& status, const std::string& status_reason) {
    // AWS says "nothing to change" only in words: "The submitted information didn't contain
    // changes. ..." (and, for some requests, UpdateStack's "No updates are to be performed.").
    return status == "FAILED" && (status_reason.find("didn't contain changes") != std::string::npos ||
                                  status_reason.find("No updates are to be performed") != std::string::npos);
}

namespace {

// A detail whose words stackshift does not know (AWS may add some) is left out of the report
// rather than guessed, as Scope's are; so is an unknown PolicyAction. Nothing is lost for the
// executor's checks: Action and Replacement say the same of every removal and replacement.
std::optional<ResourceChangeDetail> detail_from_json(const Json& d) {
    if (!d.is_object() || !d.contains("Target") || !d["Target"].is_object()) return std::nullopt;
    const Json& target = d["Target"];
    auto attribute = change_scope_from_name(json::text(target, "Attribute"));
    auto evaluation = change_evaluation_from_name(json::text(d, "Evaluation"));
    auto source = change_source_from_name(json::text(d, "ChangeSource"));
    if (!attribute || !evaluation || !source) return std::nullopt;
    ResourceChangeDetail out;
    out.target.attribute = *attribute;
    out.target.name = json::text(target, "Name");
    out.target.requires_recreation = requires_recreation_from_name(json::text(target, "RequiresRecreation"));
    out.evaluation = *evaluation;
    out.change_source = *source;
    out.causing_entity = json::text(d, "CausingEntity");
    return out;
}

StackEvent event_from_json(const Json& e) {
    return {json::text(e, "EventId"),           json::text(e, "StackName"),      json::text(e, "LogicalResourceId"),
            json::text(e, "PhysicalResourceId"), json::text(e, "ResourceType"),   json::text(e, "ResourceStatus"),
            json::text(e, "ResourceStatusReason"), parse_timestamp(e.contains("Timestamp") ? e["Timestamp"] : Json())};
}

}  // namespace

std::unique_ptr<AwsCloud> AwsCloud::open(const AwsOptions& options) {
    return std::make_unique<AwsCloud>(std::make_shared<AwsCli>(options, std::make_shared<PosixProcessRunner>()));
}

std::int64_t parse_timestamp(const Json& value) {
    if (value.is_number()) return value.get<std::int64_t>();
    if (!value.is_string()) return 0;
    std::string s = value.get<std::string>();
    std::tm tm{};
    int consumed = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                    &tm.tm_sec, &consumed) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    std::int64_t seconds = timegm(&tm);
    std::size_t at = static_cast<std::size_t>(consumed);
    if (at < s.size() && s[at] == '.')
        while (++at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])) != 0) {
        }
    int hours = 0;
    int minutes = 0;
    if (at < s.size() && (s[at] == '+' || s[at] == '-') && std::sscanf(s.c_str() + at + 1, "%2d:%2d", &hours, &minutes) >= 1) {
        std::int64_t offset = hours * 3600 + minutes * 60;
        seconds += s[at] == '+' ? -offset : offset;
    }
    return seconds;
}

Stack stack_from_json(const Json& s) {
    Stack out;
    out.name = json::text(s, "StackName");
    out.id = json::text(s, "StackId");
    out.status = json::text(s, "StackStatus");
    out.status_reason = json::text(s, "StackStatusReason");
    for (const auto& p : json::list(s, "Parameters")) {
        std::string key = json::text(p, "ParameterKey");
        std::string value = json::text(p, "ParameterValue");
        // AWS marks NoEcho parameters only by masking their values.
        if (value == masked_value) out.no_echo.push_back(key);
        out.parameters[key] = value;
    }
    out.outputs = json::pairs<StringMap>(json::list(s, "Outputs"), "OutputKey", "OutputValue");
    out.tags = json::pairs<StringMap>(json::list(s, "Tags"), "Key", "Value");
    // DescribeStacks gives LastUpdatedTime only once the stack was updated; CreationTime before.
    const char* updated = s.contains("LastUpdatedTime") ? "LastUpdatedTime" : "CreationTime";
    out.last_updated_s = parse_timestamp(s.contains(updated) ? s[updated] : Json());
    return out;
}

ChangeSet change_set_from_json(const Json& c) {
    ChangeSet out;
    out.id = json::text(c, "ChangeSetId");
    out.name = json::text(c, "ChangeSetName");
    out.stack = json::text(c, "StackName");
    out.status = json::text(c, "Status");
    out.status_reason = json::text(c, "StatusReason");
    out.execution_status = json::text(c, "ExecutionStatus");
    out.no_changes = change_set_changes_nothing(out.status, out.status_reason);
    for (const auto& p : json::list(c, "Parameters")) {
        bool previous = p.contains("UsePreviousValue") && p["UsePreviousValue"].is_boolean() && p["UsePreviousValue"].get<bool>();
        out.parameters.push_back({json::text(p, "ParameterKey"), json::text(p, "ParameterValue"), previous});
    }
    for (const auto& change : json::list(c, "Changes")) {
        if (json::text(change, "Type") != "Resource" || !change.contains("ResourceChange")) continue;
        const Json& r = change["ResourceChange"];
        ResourceChange& rc = out.changes.emplace_back(ResourceChange{json::text(r, "LogicalResourceId"), json::text(r, "PhysicalResourceId"),
                                                                     json::text(r, "ResourceType"), change_action_from_word(json::text(r, "Action")),
                                                                     change_replacement_from_word(json::text(r, "Replacement")), {}});
        // A word AWS may add later names no scope stackshift knows; nothing decides on scopes
        // (the plan does), so it is left out of this report rather than guessed.
        for (const auto& word : json::list(r, "Scope")) {
            if (!word.is_string()) continue;
            if (auto scope = change_scope_from_name(word.get<std::string>())) rc.scopes.add(*scope);
        }
        rc.policy_action = policy_action_from_name(json::text(r, "PolicyAction"));
        for (const auto& d : json::list(r, "Details"))
            if (auto detail = detail_from_json(d)) rc.details.push_back(std::move(*detail));
    }
    return out;
}

std::string template_body_from_json(const Json& answer) {
    auto it = answer.find("TemplateBody");
    if (it == answer.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    return it->dump(2) + "\n";
}

std::string parameters_json(const std::vector<ParameterInput>& parameters) {
    Json out = Json::array();
    for (const auto& p : parameters) {
        if (p.use_previous_value) out.push_back({{"ParameterKey", p.key}, {"UsePreviousValue", true}});
        else out.push_back({{"ParameterKey", p.key}, {"ParameterValue", p.value}});
    }
    return out.dump();
}

Stack AwsCloud::describe_stack(const std::string& stack) {
    Json answer = m_cli->call("cloudformation", "describe-stacks", {"--stack-name", stack});
    const Json& stacks = json::list(answer, "Stacks");
    if (stacks.empty()) throw CloudError("ValidationError", "stack '" + stack + "' does not exist (DescribeStacks returned none)",
                                         ErrorKind::not_found);
    return stack_from_json(stacks.front());
}

std::vector<Stack> AwsCloud::describe_stacks() {
    Json answer = m_cli->call("cloudformation", "describe-stacks", {});  // the CLI follows NextToken
    std::vector<Stack> out;
    for (const auto& s : json::list(answer, "Stacks")) {
        Stack stack = stack_from_json(s);
        if (stack.status != "DELETE_COMPLETE") out.push_back(std::move(stack));
    }
    return out;
}

std::string AwsCloud::get_template(const std::string& stack) {
    return template_body_from_json(
        m_cli->call("cloudformation", "get-template", {"--stack-name", stack, "--template-stage", "Original"}));
}

std::vector<std::string> AwsCloud::get_templates(const std::vector<std::string>& stacks) {
    std::vector<std::string> out(stacks.size());
    std::vector<std::function<void()>> tasks;
    for (std::size_t i = 0; i < stacks.size(); ++i) tasks.emplace_back([this, &out, &stacks, i] { out[i] = get_template(stacks[i]); });
    m_cli->parallel(tasks);
    return out;
}

std::string AwsCloud::create_change_set(const ChangeSetRequest& request) {
    std::vector<std::string> args = {"--stack-name", request.stack, "--change-set-name", request.change_set_name,
                                     "--change-set-type", request.type == ChangeSetType::create ? "CREATE" : "UPDATE"};
    std::optional<TemplateFile> file;
    if (request.use_previous_template) {
        args.emplace_back("--use-previous-template");
    } else if (!request.template_url.empty()) {
        args.insert(args.end(), {"--template-url", request.template_url});
    } else if (request.template_body.size() > m_cli->options().inline_template_limit) {
        file.emplace(request.template_body);
        args.insert(args.end(), {"--template-body", file->url()});
    } else {
        args.insert(args.end(), {"--template-body", request.template_body});
    }
    if (!request.parameters.empty()) args.insert(args.end(), {"--parameters", parameters_json(request.parameters)});
    args.insert(args.end(), capabilities.begin(), capabilities.end());
    if (!request.description.empty()) args.insert(args.end(), {"--description", request.description});
    Json answer = m_cli->call("cloudformation", "create-change-set", args);
    std::string id = json::text(answer, "Id");
    if (id.empty()) throw CloudError("CliOutput", "CreateChangeSet of " + request.stack + " returned no change set id");
    return id;
}

std::string AwsCloud::upload_template(const std::string& bucket, const std::string& key, const std::string& body) {
    // The body goes through a file only we can read, as long template bodies do.
    TemplateFile file(body);
    m_cli->call("s3api", "put-object", {"--bucket", bucket, "--key", key, "--body", file.path()});
    // The regional virtual-hosted URL when the region is known; the global one finds the bucket otherwise.
    const std::string& region = m_cli->options().region;
    return "https://" + bucket + (region.empty() ? ".s3.amazonaws.com/" : ".s3." + region + ".amazonaws.com/") + key;
}

ChangeSet AwsCloud::describe_change_set(const std::string& stack, const std::string& change_set) {
    // The CLI follows NextToken and gathers the Changes of every page.
    return change_set_from_json(m_cli->call("cloudformation", "describe-change-set", change_set_args(stack, change_set)));
}

void AwsCloud::execute_change_set(const std::string& stack, const std::string& change_set) {
    m_cli->call("cloudformation", "execute-change-set", change_set_args(stack, change_set));
}

void AwsCloud::delete_change_set(const std::string& stack, const std::string& change_set) {
    m_cli->call("cloudformation", "delete-change-set", change_set_args(stack, change_set));
}

void AwsCloud::update_stack(const UpdateStackRequest& request) {
    std::vector<std::string> args = {"--stack-name", request.stack, "--use-previous-template"};
    if (!request.parameters.empty()) args.insert(args.end(), {"--parameters", parameters_json(request.parameters)});
    args.insert(args.end(), capabilities.begin(), capabilities.end());
    m_cli->call("cloudformation", "update-stack", args);
}

void AwsCloud::delete_stack(const std::string& stack) {
    m_cli->call("cloudformation", "delete-stack", {"--stack-name", stack});
}

std::vector<StackResource> AwsCloud::describe_stack_resources(const std::string& stack) {
    Json answer = m_cli->call("cloudformation", "describe-stack-resources", {"--stack-name", stack});
    std::vector<StackResource> out;
    for (const auto& r : json::list(answer, "StackResources"))
        out.push_back({json::text(r, "LogicalResourceId"), json::text(r, "PhysicalResourceId"), json::text(r, "ResourceType"),
                       json::text(r, "ResourceStatus")});
    return out;
}

std::vector<StackEvent> AwsCloud::describe_stack_events(const std::string& stack, const std::string& since_event_id) {
    // AWS lists the newest first. Page by hand, so that a poll reads only up to the last
    // event it saw instead of the stack's whole history.
    std::vector<StackEvent> newest_first;
    std::string token;
    for (;;) {
        std::vector<std::string> args = {"--stack-name", stack, "--no-paginate"};
        if (!token.empty()) args.insert(args.end(), {"--next-token", token});
        Json page = m_cli->call("cloudformation", "describe-stack-events", args);
        for (const auto& e : json::list(page, "StackEvents")) {
            StackEvent event = event_from_json(e);
            if (!since_event_id.empty() && event.event_id == since_event_id)
                return {newest_first.rbegin(), newest_first.rend()};
            newest_first.push_back(std::move(event));
        }
        token = json::text(page, "NextToken");
        if (token.empty()) break;
    }
    return {newest_first.rbegin(), newest_first.rend()};
}

void AwsCloud::wait(std::int64_t seconds) {
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::seconds(seconds));
}

std::int64_t AwsCloud::clock_s() { return static_cast<std::int64_t>(std::time(nullptr)); }

// ---- drift -------------------------------------------------------------------------------

StackDriftDetection drift_detection_from_json(const Json& answer) {
    std::string status = json::text(answer, "DetectionStatus");
    auto known = drift_detection_status_from_name(status);
    // A status AWS may add later is not taken for done: the caller reads the failure.
    if (!known) throw CloudError("CliOutput", "DescribeStackDriftDetectionStatus returned DetectionStatus '" + status + "'");
    return {json::text(answer, "StackDriftDetectionId"), json::text(answer, "StackId"), *known,
            json::text(answer, "DetectionStatusReason"), json::text(answer, "StackDriftStatus"),
            json::integer(answer, "DriftedStackResourceCount")};
}

ResourceDrift resource_drift_from_json(const Json& d) {
    ResourceDrift out{json::text(d, "LogicalResourceId"), json::text(d, "PhysicalResourceId"), json::text(d, "ResourceType"),
                      ResourceDriftStatus::unknown, json::text(d, "ExpectedProperties"), json::text(d, "ActualProperties"), {}};
    // A word stackshift does not know reads as UNKNOWN: never as in sync.
    out.status = resource_drift_status_from_name(json::text(d, "StackResourceDriftStatus")).value_or(ResourceDriftStatus::unknown);
    for (const auto& p : json::list(d, "PropertyDifferences")) {
        std::string type = json::text(p, "DifferenceType");
        auto known = difference_type_from_name(type);
        if (!known) throw CloudError("CliOutput", "DescribeStackResourceDrifts returned DifferenceType '" + type + "'");
        out.differences.push_back({json::text(p, "PropertyPath"), json::text(p, "ExpectedValue"), json::text(p, "ActualValue"), *known});
    }
    return out;
}

std::string AwsCloud::detect_stack_drift(const std::string& stack) {
    Json answer = m_cli->call("cloudformation", "detect-stack-drift", {"--stack-name", stack});
    std::string id = json::text(answer, "StackDriftDetectionId");
    if (id.empty()) throw CloudError("CliOutput", "DetectStackDrift of " + stack + " returned no StackDriftDetectionId");
    return id;
}

StackDriftDetection AwsCloud::describe_stack_drift_detection_status(const std::string& detection_id) {
    return drift_detection_from_json(m_cli->call("cloudformation", "describe-stack-drift-detection-status",
                                                 {"--stack-drift-detection-id", detection_id}));
}

std::vector<ResourceDrift> AwsCloud::describe_stack_resource_drifts(const std::string& stack) {
    // Paged by hand: every page, following NextToken.
    std::vector<ResourceDrift> out;
    std::string token;
    do {
        std::vector<std::string> args = {"--stack-name", stack, "--no-paginate"};
        if (!token.empty()) args.insert(args.end(), {"--next-token", token});
        Json page = m_cli->call("cloudformation", "describe-stack-resource-drifts", args);
        for (const auto& d : json::list(page, "StackResourceDrifts")) out.push_back(resource_drift_from_json(d));
        token = json::text(page, "NextToken");
    } while (!token.empty());
    return out;
}

}  // namespace stackshift::cloud::aws
