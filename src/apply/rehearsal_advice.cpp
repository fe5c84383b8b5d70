#include "apply/rehearsal_advice.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace stackshift::apply {

namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

bool contains_nocase(std::string_view text, std::string_view part) {
    auto it = std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != text.end();
}

// The text between `before` and the next `after` (or the next blank, when `after` is empty),
// from the first `before`; empty when the text does not hold it.
std::string between(std::string_view text, std::string_view before, std::string_view after) {
    auto start = text.find(before);
    if (start == std::string_view::npos) return {};
    start += before.size();
    auto end = after.empty() ? text.find_first_of(" \t\n,;", start) : text.find(after, start);
    if (end == std::string_view::npos) end = after.empty() ? text.size() : std::string_view::npos;
    if (end == std::string_view::npos) return {};
    return std::string(text.substr(start, end - start));
}

// Trailing punctuation of a name taken out of a sentence ("acme-prod-5-2-ecs-ops." ).
std::string trimmed(std::string name) {
    while (!name.empty() && (name.back() == '.' || name.back() == ',' || name.back() == '\'' || name.back() == '"' ||
                             name.back() == ')'))
        name.pop_back();
    return name;
}

std::string or_this(const std::string& name, const char* fallback) { return name.empty() ? fallback : name; }

void export_advice(const plan::FailedStep& step, std::string_view text, std::vector<std::string>& out) {
    if (contains(text, "as it is in use by")) {
        std::string name = between(text, "Export ", " cannot be deleted");
        if (name.empty()) name = between(text, "Cannot update export ", " as it is in use");
        std::string importer = trimmed(between(text, "as it is in use by ", ""));
        out.push_back("the stack " + or_this(importer, "named in the message") + " imports the export " + or_this(name, "named") +
                      ", which step " + step.id + " removes or changes: update " + or_this(importer, "the importing stack") +
                      " first so that it no longer imports it (the release notes usually name the parameter that turns the "
                      "import off), or keep the export in " + or_this(step.stack, "this stack") + "'s template");
    }
    if (contains(text, "No export named ")) {
        std::string name = between(text, "No export named ", " found");
        out.push_back("no stack exports " + or_this(name, "the imported name") + " when step " + step.id +
                      " runs: deploy or update the stack that exports it before this step, or correct the name the "
                      "template imports");
    }
    if (contains(text, "is already exported by stack ")) {
        std::string name = between(text, "Export with name ", " is already exported");
        std::string owner = trimmed(between(text, "is already exported by stack ", ""));
        out.push_back("export names are unique in a region: " + or_this(owner, "another stack") + " already exports " +
                      or_this(name, "this name") + "; remove it there first or give this stack another export name");
    }
}

void parameter_advice(const plan::FailedStep& step, std::string_view text, std::vector<std::string>& out) {
    std::string where = step.stack.empty() ? std::string("the stack") : step.stack;
    if (contains(text, "must be one of AllowedValues")) {
        std::string name = between(text, "Parameter '", "'");
        out.push_back("give " + or_this(name, "the parameter") + " of " + where +
                      " one of its AllowedValues in the values file (--values), then plan and rehearse again");
    }
    if (contains(text, "must match pattern")) {
        std::string name = between(text, "Parameter '", "'");
        out.push_back("give " + or_this(name, "the parameter") + " of " + where +
                      " a value that matches its AllowedPattern in the values file (--values)");
    }
    if (contains(text, "failed to satisfy constraint") && !contains(text, "at 'templateBody'")) {
        std::string name = between(text, "Parameter '", "'");
        if (name.empty()) name = between(text, "Parameter ", " failed to satisfy");
        out.push_back("give " + or_this(name, "the parameter") + " of " + where +
                      " a value that satisfies its constraint (AllowedPattern, length or range) in the values file "
                      "(--values)");
    }
    if (contains(text, "must have values")) {
        std::string names = between(text, "Parameters: [", "]");
        out.push_back("give " + or_this(names, "the parameters named") + " of " + where + " a value in the values file (--values)");
    }
    if (contains(text, "do not exist in the template")) {
        std::string names = between(text, "Parameters: [", "]");
        out.push_back("the template of " + where + " has no parameter " + or_this(names, "named in the message") +
                      ": remove it from the values file under " + where + ", then plan again");
    }
    if (contains(text, "Parameter validation failed")) {
        std::string name = between(text, "for parameter name ", " ");
        out.push_back("the value of " + trimmed(or_this(name, "the parameter")) + " of " + where +
                      " names something the account does not hold: give an existing one in the values file (--values)");
    }
}

void replacement_advice(const plan::FailedStep& step, std::string_view text, std::vector<std::string>& out) {
    bool policy = contains(text, "ReplaceAndDelete") || contains(text, "PolicyAction");
    bool unexpected = contains(text, "would replace or remove what the plan did not expect");
    if (!policy && !unexpected) return;
    std::string target = step.stack.empty() ? std::string("STACK") : step.stack;
    if (policy) {
        out.push_back("the change set would replace a stateful resource of " + target +
                      " and delete the old one (ReplaceAndDelete): take a backup, then acknowledge it with --allow-replace " +
                      target + "/LOGICALID, or give the resource UpdateReplacePolicy (or DeletionPolicy) Retain or "
                      "Snapshot in the template");
    }
    if (unexpected) {
        out.push_back("the change set of " + target +
                      " replaces or removes resources the plan did not expect: the deployment or the templates differ "
                      "from what the plan saw; plan again (and --allow-replace " + target +
                      "/LOGICALID after a backup, if the loss is intended)");
    }
}

void stack_state_advice(const plan::FailedStep& step, const plan::RehearsalError& error, std::string_view text,
                        std::vector<std::string>& out) {
    bool rollback_failed = step.stack_status == "UPDATE_ROLLBACK_FAILED" || error.code == "UPDATE_ROLLBACK_FAILED" ||
                           contains(text, "UPDATE_ROLLBACK_FAILED");
    if (!rollback_failed) return;
    std::string stack = step.stack.empty() ? std::string("STACK") : step.stack;
    out.push_back("the stack " + stack + " is (or would end) in UPDATE_ROLLBACK_FAILED and takes no update: continue its "
                  "rollback first (aws cloudformation continue-update-rollback --stack-name " + stack +
                  ", with --resources-to-skip for a resource that cannot roll back), wait for UPDATE_ROLLBACK_COMPLETE, "
                  "then rehearse again");
}

void machine_advice(const plan::FailedStep& step, const plan::RehearsalError& error, std::string_view text,
                    std::vector<std::string>& out) {
    if (step.kind == "run-migration" && !error.log.empty()) {
        out.push_back("the migration of step " + step.id + " failed: read its log lines (above) for the cause in the "
                      "database, deal with it (the release notes of the version say what the migration needs), then "
                      "rehearse again; the real run would stop there with the later steps not done");
    } else if (step.kind == "run-migration") {
        out.push_back("the migration task of step " + step.id +
                      " failed before it logged anything: check the task definition, cluster and network that the ops "
                      "stack's output names, then rehearse again");
    }
    if (contains_nocase(text, "task definition") || contains(text, "TaskDefinition is inactive")) {
        out.push_back("the migration task names a task definition ECS will not run or that runs another image: update "
                      "the ops stack to this hop's version before its migrations (check the plan's order and the stack's "
                      "output), then rehearse again");
    }
    if (contains(text, "did not stabilize") || contains_nocase(text, "circuit breaker")) {
        out.push_back("an ECS service of " + or_this(step.stack, "the stack") +
                      " did not reach a steady state with the new task definition: read the service's events and the "
                      "stopped tasks' reasons (image, health check, resources), fix them, then rehearse again");
    }
}

void other_advice(const plan::FailedStep& step, const plan::RehearsalError& error, std::string_view text,
                  std::vector<std::string>& out) {
    if (contains_nocase(text, "drift")) {
        out.push_back("resources of " + or_this(step.stack, "the stack") +
                      " were changed outside CloudFormation (drift), which the upgrade would overwrite: review the drift "
                      "(the plan's preflight lists it), then bring the resources back or acknowledge it in the values "
                      "file under acknowledge: (drift:STACK/LOGICALID)");
    }
    if (contains(text, "--template-bucket") && contains(text, "TemplateBody limit")) {
        out.push_back("the template of " + or_this(step.stack, "the step") +
                      " is over the 51,200 bytes CloudFormation takes as a body: give apply (and this rehearsal) "
                      "--template-bucket BUCKET, an S3 bucket the template is uploaded to");
    } else if (contains(text, "Template format error") || contains(text, "at 'templateBody' failed to satisfy constraint")) {
        out.push_back("CloudFormation refuses the template of " + or_this(step.stack, "the step") +
                      " itself: check the release's template file (size over 51,200 bytes needs apply --template-bucket "
                      "BUCKET)");
    }
    if (error.code == "Throttling" || error.code == "ThrottlingException" || error.code == "RequestLimitExceeded") {
        out.push_back("AWS kept throttling the calls beyond the retries: run at a quieter time, or ask for higher API "
                      "limits");
    }
    if (!step.logical_id.empty() && out.empty()) {
        out.push_back("the resource " + step.logical_id + " (" + step.resource_type + ") of " + step.stack +
                      " failed: read its message above, fix the template or the values that set it, then plan and "
                      "rehearse again");
    }
}

}  // namespace

std::vector<std::string> failure_advice(const plan::FailedStep& step, const plan::RehearsalError& error) {
    std::string text = error.code + "\n" + error.message + "\n" + error.detail;
    std::vector<std::string> out;
    export_advice(step, text, out);
    parameter_advice(step, text, out);
    replacement_advice(step, text, out);
    stack_state_advice(step, error, text, out);
    machine_advice(step, error, text, out);
    other_advice(step, error, text, out);
    if (out.empty()) out.push_back("read the message; plan again after fixing");
    return out;
}

std::string lost_data_advice(const plan::LostData& lost) {
    // A volume of an instance's BlockDeviceMappings that goes with it: no policy of the stack's
    // keeps it, and --allow-replace names what the plan endangers, which an instance is not.
    if (lost.cause.starts_with("volume ") && lost.cause.find(" deleted with instance ") != std::string::npos) {
        return "the volume of " + lost.stack + "/" + lost.logical_id + " (" + lost.cause +
               ") holds data and is deleted with its instance when the instance is replaced or terminated: move the data to an "
               "AWS::EC2::Volume attached with an AWS::EC2::VolumeAttachment, or set DeleteOnTermination to false in its "
               "BlockDeviceMappings, then plan again";
    }
    return "the data of " + lost.stack + "/" + lost.logical_id + " (" + lost.type + ") would be lost (" + lost.cause +
           ") and the plan does not acknowledge it: back it up and acknowledge it with --allow-replace " + lost.stack + "/" +
           lost.logical_id + ", or keep it (UpdateReplacePolicy or DeletionPolicy Retain or Snapshot)";
}

std::vector<std::string> blocked_advice(const plan::Plan& plan) {
    std::vector<std::string> out;
    for (const auto& input : plan.inputs) {
        std::string where = input.stack.empty() ? input.template_id : input.stack;
        if (input.acknowledgement.rfind("drift:", 0) == 0) {
            out.push_back("resources of " + where + " were changed outside CloudFormation and the upgrade would overwrite "
                          "them: review the drift, then list " + input.acknowledgement +
                          " under acknowledge: in the values file (or bring the resources back)");
        } else if (!input.acknowledgement.empty()) {
            out.push_back("list " + input.acknowledgement + " under acknowledge: in the values file once done: " + input.why);
        } else if (!input.migration.empty()) {
            out.push_back("answer the migration " + input.migration + " under migrations: in the values file (run or skip): " +
                          input.why);
        } else if (!input.role.empty()) {
            out.push_back("the profile's role " + input.role + " fits no resource, or several, of " + where + ": " + input.why);
        } else {
            out.push_back("give " + where + "/" + input.parameter + " a value in the values file (--values): " + input.why);
        }
    }
    for (const auto& hop : plan.hops)
        for (const auto& step : hop.steps)
            for (const auto& r : step.resources)
                if (r.endangered() && !r.acknowledged)
                    out.push_back("step " + step.id + " replaces or removes " + step.stack + "/" + r.logical_id + " (" + r.type +
                                  "): back it up and acknowledge it with --allow-replace " + step.stack + "/" + r.logical_id);
    if (out.empty()) out.push_back("read the plan; plan again after fixing");
    return out;
}

}  // namespace stackshift::apply
