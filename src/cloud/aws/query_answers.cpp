// CloudFormation's XML answers into the Cloud's structs, following the shapes of the API
// reference: lists as <member> items, times as ISO 8601 text.

#include "cloud/aws/query_answers.hpp"

#include "cloud/aws/aws_cloud.hpp"
#include "cloud/aws/query_protocol.hpp"
#include "core/no_echo.hpp"

namespace stackshift::cloud::aws {

namespace {

CloudError malformed(const std::string& action, const std::string& what) {
    return {malformed_answer_code, "the answer of cloudformation to " + action + " could not be read: " + what};
}

// The element at `path` under the answer; the answer without it is malformed.
const XmlElement& required_path(const XmlElement& answer, const std::string& action, const std::string& path) {
    const XmlElement* at = answer.path(path);
    if (at == nullptr) throw malformed(action, "<" + answer.name + "> has no " + path);
    return *at;
}

// A member the API reference marks Required: Yes.
std::string required_text(const XmlElement& e, const std::string& action, const std::string& name) {
    const XmlElement* c = e.child(name);
    if (c == nullptr || c->text.empty()) throw malformed(action, "a <" + e.name + "> has no " + name);
    return c->text;
}

// The <member> items of the list `name` under `e`; none when AWS leaves the list out.
std::vector<const XmlElement*> members(const XmlElement& e, const char* name) {
    const XmlElement* list = e.child(name);
    return list == nullptr ? std::vector<const XmlElement*>{} : list->children("member");
}

// AWS's times ("2026-12-07T09:12:44.123Z") in seconds, read as the CLI backend reads them.
std::int64_t required_time(const XmlElement& e, const std::string& action, const std::string& name) {
    std::string text = required_text(e, action, name);
    std::int64_t seconds = parse_timestamp(Json(text));
    if (seconds == 0) throw malformed(action, name + " '" + text + "' is no ISO 8601 time");
    return seconds;
}

Stack stack_from_xml(const XmlElement& s) {
    const std::string action = "DescribeStacks";
    Stack out;
    out.name = required_text(s, action, "StackName");
    out.id = s.child_text("StackId");
    out.status = required_text(s, action, "StackStatus");
    out.status_reason = s.child_text("StackStatusReason");
    for (const XmlElement* p : members(s, "Parameters")) {
        std::string key = p->child_text("ParameterKey");
        std::string value = p->child_text("ParameterValue");
        if (value == masked_value) out.no_echo.push_back(key);  // AWS marks NoEcho only by the mask
        out.parameters[key] = value;
    }
    for (const XmlElement* o : members(s, "Outputs")) out.outputs[o->child_text("OutputKey")] = o->child_text("OutputValue");
    for (const XmlElement* t : members(s, "Tags")) out.tags[t->child_text("Key")] = t->child_text("Value");
    // LastUpdatedTime only once the stack was updated; CreationTime, always sent, before.
    out.last_updated_s = required_time(s, action, s.child("LastUpdatedTime") != nullptr ? "LastUpdatedTime" : "CreationTime");
    return out;
}

StackEvent event_from_xml(const XmlElement& e) {
    const std::string action = "DescribeStackEvents";
    return {required_text(e, action, "EventId"),  required_text(e, action, "StackName"), e.child_text("LogicalResourceId"),
            e.child_text("PhysicalResourceId"),   e.child_text("ResourceType"),          e.child_text("ResourceStatus"),
            e.child_text("ResourceStatusReason"), required_time(e, action, "Timestamp")};
}

// As the CLI backend does: a detail in words stackshift does not know is left out rather
// than guessed; Action and Replacement still say what the executor checks.
std::optional<ResourceChangeDetail> detail_from_xml(const XmlElement& d) {
    const XmlElement* target = d.child("Target");
    if (target == nullptr) return std::nullopt;
    auto attribute = change_scope_from_name(target->child_text("Attribute"));
    auto evaluation = change_evaluation_from_name(d.child_text("Evaluation"));
    auto source = change_source_from_name(d.child_text("ChangeSource"));
    if (!attribute || !evaluation || !source) return std::nullopt;
    ResourceChangeDetail out;
    out.target.attribute = *attribute;
    out.target.name = target->child_text("Name");
    out.target.requires_recreation = requires_recreation_from_name(target->child_text("RequiresRecreation"));
    out.evaluation = *evaluation;
    out.change_source = *source;
    out.causing_entity = d.child_text("CausingEntity");
    return out;
}

ResourceChange resource_change_from_xml(const XmlElement& r) {
    ResourceChange rc{r.child_text("LogicalResourceId"), r.child_text("PhysicalResourceId"), r.child_text("ResourceType"),
                      change_action_from_word(r.child_text("Action")), change_replacement_from_word(r.child_text("Replacement")),
                      {}};
    for (const XmlElement* word : members(r, "Scope"))
        if (auto scope = change_scope_from_name(word->text)) rc.scopes.add(*scope);
    rc.policy_action = policy_action_from_name(r.child_text("PolicyAction"));
    for (const XmlElement* d : members(r, "Details"))
        if (auto detail = detail_from_xml(*d)) rc.details.push_back(std::move(*detail));
    return rc;
}

}  // namespace

StacksPage describe_stacks_from_xml(const XmlElement& answer) {
    const XmlElement& result = required_path(answer, "DescribeStacks", "DescribeStacksResult");
    StacksPage page;
    for (const XmlElement* s : members(result, "Stacks")) page.stacks.push_back(stack_from_xml(*s));
    page.next_token = result.child_text("NextToken");
    return page;
}

StackEventsPage describe_stack_events_from_xml(const XmlElement& answer) {
    const XmlElement& result = required_path(answer, "DescribeStackEvents", "DescribeStackEventsResult");
    StackEventsPage page;
    for (const XmlElement* e : members(result, "StackEvents")) page.events.push_back(event_from_xml(*e));
    page.next_token = result.child_text("NextToken");
    return page;
}

ChangeSetPage describe_change_set_from_xml(const XmlElement& answer) {
    const std::string action = "DescribeChangeSet";
    const XmlElement& result = required_path(answer, action, "DescribeChangeSetResult");
    ChangeSetPage page;
    ChangeSet& out = page.change_set;
    out.id = required_text(result, action, "ChangeSetId");
    out.name = result.child_text("ChangeSetName");
    out.stack = result.child_text("StackName");
    out.status = required_text(result, action, "Status");
    out.status_reason = result.child_text("StatusReason");
    out.execution_status = result.child_text("ExecutionStatus");
    out.no_changes = change_set_changes_nothing(out.status, out.status_reason);
    for (const XmlElement* p : members(result, "Parameters")) {
        bool previous = p->child_text("UsePreviousValue") == "true";
        out.parameters.push_back({p->child_text("ParameterKey"), p->child_text("ParameterValue"), previous});
    }
    for (const XmlElement* change : members(result, "Changes")) {
        const XmlElement* r = change->child("ResourceChange");
        if (change->child_text("Type") != "Resource" || r == nullptr) continue;
        out.changes.push_back(resource_change_from_xml(*r));
    }
    page.next_token = result.child_text("NextToken");
    return page;
}

}  // namespace stackshift::cloud::aws
