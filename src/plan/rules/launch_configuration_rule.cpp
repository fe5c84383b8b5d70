// An auto-scaling group's machines keep the launch configuration (or launch template) they were
// started with: an update of 5-1-ecs-cluster that changes its UserData, AMI or instance type
// reaches no running machine. Say what changed and give rolling the machines a step of its own.

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

std::string group_name(HopContext& hop, const StackPlan& plan) {
    auto id = group_id(hop, plan);
    if (!id) return "GROUP (the auto-scaling group of " + plan.stack + ")";
    return "GROUP (the physical id of " + *id + ": aws cloudformation describe-stack-resource --stack-name " +
           plan.stack + " --logical-resource-id " + *id + ")";
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
        Step& step = hop.add_for(plan, StepKind::manual, "Roll the running machines of " + plan.stack, Risk::caution,
                                 "machines");
        step.automated = false;
        step.why.push_back("vendor procedure: machines already running keep the launch configuration they were "
                           "started with; the update above changes it");
        step.details = changes;
        std::string group = group_name(hop, plan);
        step.details.push_back("either start an instance refresh: aws autoscaling start-instance-refresh "
                               "--auto-scaling-group-name " + group);
        step.details.push_back("or, one machine at a time: drain its ECS container instance, terminate it, and wait "
                               "for the group to start its replacement with the new configuration");
        step.details.push_back("or, when the change does not matter to running machines, apply it to them by hand");
    }

private:
    static std::string_view resource_change_name(cfn::ResourceChange change) { return cfn::resource_change_name(change); }
};

}  // namespace

std::unique_ptr<Rule> make_launch_configuration_rule() { return std::make_unique<LaunchConfigurationRule>(); }

}  // namespace stackshift::plan
