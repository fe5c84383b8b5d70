// An auto-scaling group's machines keep the launch configuration (or launch template) they were
// started with: an update of 5-1-ecs-cluster that changes its UserData, AMI or instance type
// reaches no running machine. Say what changed and give rolling the machines a step of its own:
// an Auto Scaling instance refresh of the group when the rule finds it, else a manual step.

#include <algorithm>

#include "core/text.hpp"
#include "plan/planning.hpp"

namespace stackshift::plan {

namespace {

bool is_launch_definition(std::string_view type) {
    return type == "AWS::AutoScaling::LaunchConfiguration" || type == "AWS::EC2::LaunchTemplate";
}

// What a change of the property means for the machines, in the operator's words.
std::string meaning(std::string_view path) {
    if (path.find("UserData") != std::string_view::npos) return "the start-up script (UserData)";
    if (path.find("ImageId") != std::string_view::npos) return "the machine image (AMI)";
    if (path.find("InstanceType") != std::string_view::npos) return "the instance type";
    return std::string(path);
}

// The group's logical id in the updated template: the profile's role of that type, else the one
// group of the template; the physical name is read from the stack when the step is carried out.
std::optional<std::string> group_id(HopContext& hop, const StackPlan& plan) {
    for (const profile::Role* role : roles_of(hop, plan))
        if (role->type == "AWS::AutoScaling::AutoScalingGroup")
            return role_logical_id(hop, plan, *role, *plan.target, plan.target_id);
    std::vector<std::string> groups;
    for (const auto& r : plan.target->resources)
        if (r.type == "AWS::AutoScaling::AutoScalingGroup") groups.push_back(r.logical_id);
    if (groups.size() == 1) return groups.front();
    return std::nullopt;
}

// Whether a Metadata change reaches the machines: cfn-init reads AWS::CloudFormation::Init;
// the rest of the Metadata (cfn-lint settings, Designer positions) no machine reads.
bool init_changes(const cfn::PropertyDiff& metadata) {
    auto init = [](const std::optional<cfn::Value>& v) { return v ? v->find("AWS::CloudFormation::Init") : nullptr; };
    const cfn::Value* before = init(metadata.old_value);
    const cfn::Value* after = init(metadata.new_value);
    if (!before && !after) return false;
    return !(before && after && before->same_as(*after));
}

class LaunchConfigurationRule : public Rule {
public:
    std::string_view name() const override { return "launch-configuration-advice"; }

    void after_stack(HopContext& hop, StackPlan& plan) override {
        if (plan.outcome != StackPlan::Outcome::updated) return;
        std::vector<std::string> changes;
        for (const auto& r : plan.diff.resources) {
            if (!is_launch_definition(r.type) && !is_launch_definition(r.old_type)) continue;
            if (r.impact == cfn::Impact::no_change) continue;
            if (r.properties.empty()) {
                changes.push_back(r.logical_id + " (" + r.type + "): " + std::string(resource_change_name(r.change)));
                continue;
            }
            for (const auto& p : r.properties) {
                if (p.is_attribute() && !(p.attribute == cfn::Attribute::metadata && init_changes(p))) continue;
                std::string what = p.is_attribute() ? "the machines' configuration (AWS::CloudFormation::Init)" : meaning(p.path);
                changes.push_back(r.logical_id + "." + p.path + (what == p.path ? " changes" : ": " + what));
            }
        }
        if (changes.empty()) return;
        // Found, the group is rolled by an instance refresh apply starts and follows; not found, the
        // operator is told how to roll it.
        if (auto group = group_id(hop, plan)) add_refresh_step(hop, plan, *group, changes);
        else add_manual_step(hop, plan, changes);
    }

private:
    static void add_manual_step(HopContext& hop, const StackPlan& plan, const std::vector<std::string>& changes) {
        Step& step = hop.add_for(plan, StepKind::manual, "Roll the running machines of " + plan.stack, Risk::caution,
                                 "machines");
        step.automated = false;
        step.why.push_back(std::string(why_roll));
        step.details = changes;
        // The rule found no group (group_id said so, and asked for its role when several fit).
        std::string group = "GROUP (the auto-scaling group of " + plan.stack + ")";
        step.details.push_back("either start an instance refresh: aws autoscaling start-instance-refresh "
                               "--auto-scaling-group-name " + group);
        step.details.push_back("or, one machine at a time: drain its ECS container instance, terminate it, and wait "
                               "for the group to start its replacement with the new configuration");
        step.details.push_back("or, when the change does not matter to running machines, apply it to them by hand");
    }

    // An instance refresh of the group: automated, confirmed by the operator (it replaces every
    // machine), keeping the profile's percentage of the group in service; without one, an input
    // holds the plan rather than a guess.
    static void add_refresh_step(HopContext& hop, const StackPlan& plan, const std::string& group,
                                 const std::vector<std::string>& changes) {
        const profile::Role* role = group_role(hop, plan);
        Step& step = hop.add_for(plan, StepKind::refresh_instances, "Roll the running machines of " + plan.stack +
                                 " onto the new launch configuration (instance refresh)", Risk::caution, "machines");
        step.automated = true;
        step.why.push_back(std::string(why_roll));
        step.details = changes;
        step.logical_id = group;
        if (role != nullptr) step.role = role->name;
        if (role != nullptr && role->min_healthy_percentage) {
            step.min_healthy_percentage = role->min_healthy_percentage;
            step.details.push_back("an Auto Scaling instance refresh replaces every machine of " + group + ", keeping " +
                                   std::to_string(*step.min_healthy_percentage) + "% of its desired capacity in service");
            return;
        }
        std::string where = role != nullptr ? "the profile's role " + role->name
                                            : "a role of type AWS::AutoScaling::AutoScalingGroup for template " + plan.target_id +
                                                  " in the profile";
        Input input;
        input.stack = plan.stack;
        input.template_id = plan.target_id;
        input.role = role != nullptr ? role->name : group;
        input.why = "the instance refresh of " + group + " needs the percentage of the group's capacity to keep in "
                    "service while machines are replaced: set min_healthy_percentage (0 to 100) on " + where +
                    " and give it with --profile";
        hop.plan.inputs.push_back(std::move(input));
    }

    // The profile's role of type AutoScalingGroup for the stack, when it has one.
    static const profile::Role* group_role(HopContext& hop, const StackPlan& plan) {
        for (const profile::Role* role : roles_of(hop, plan))
            if (role->type == "AWS::AutoScaling::AutoScalingGroup") return role;
        return nullptr;
    }

    static constexpr std::string_view why_roll =
        "vendor procedure: machines already running keep the launch configuration they were started with; the "
        "update above changes it";

    static std::string_view resource_change_name(cfn::ResourceChange change) { return cfn::resource_change_name(change); }
};

}  // namespace

std::unique_ptr<Rule> make_launch_configuration_rule() { return std::make_unique<LaunchConfigurationRule>(); }

}  // namespace stackshift::plan
