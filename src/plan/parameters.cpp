// The parameters of an updated stack: for every parameter of the target template, keep,
// carry, default, set, image or needs-input (DESIGN.md), with the reason.

#include "plan/parameters.hpp"

#include <algorithm>
#include <set>

#include "cfn/parameter_validator.hpp"
#include "core/error.hpp"
#include "core/no_echo.hpp"
#include "core/template_id.hpp"
#include "core/text.hpp"
#include "plan/directives.hpp"
#include "profile/image_tag.hpp"

namespace stackshift::plan {

namespace {

using release::Changelog;

const release::ParameterRename* rename_to(const HopContext& hop, const StackPlan& stack, std::string_view name) {
    if (!stack.changelog_slice) return nullptr;
    for (const auto& r : stack.changelog_slice->parameter_renames)
        if (r.to == name && scope_concerns(hop, r.scope, stack)) return &r;
    return nullptr;
}

// The changelog's value mapping for a parameter's old value, if it gives one.
std::optional<std::string> mapped_value(const std::vector<release::ValueMapping>& mappings,
                                        const std::string& otherwise, const std::string& value) {
    for (const auto& m : mappings)
        if (m.from == value) return m.to;
    if (!otherwise.empty()) return otherwise;
    return std::nullopt;
}

const release::ParameterChange* change_of(const HopContext& hop, const StackPlan& stack, std::string_view name,
                                          release::ParameterChangeKind kind) {
    if (!stack.changelog_slice) return nullptr;
    for (const auto& c : stack.changelog_slice->parameter_changes)
        if (c.kind == kind && c.parameter == name && scope_concerns(hop, c.scope, stack)) return &c;
    return nullptr;
}

std::string cite(const HopContext& hop, const release::Origin& origin) { return hop.changelog_source(origin); }

class ParameterPlanner {
public:
    ParameterPlanner(HopContext& hop, StackPlan& stack) : m_hop(hop), m_stack(stack) {}

    void run() {
        for (const auto& parameter : m_stack.target->parameters) m_stack.parameters.push_back(plan(parameter));
        if (m_stack.state) {
            for (const auto& [name, value] : m_stack.state->parameters) {
                if (m_stack.target->parameter(name) || m_carried.count(name)) continue;
                m_stack.dropped.push_back(name);
            }
        }
        decide_parameter_directives(m_hop, m_stack);
        // A flagged new parameter left at its default: the operator should look at it.
        for (const auto& [name, warning] : m_default_warnings)
            if (const auto* p = m_stack.parameter(name); p && p->action == ParameterAction::use_default)
                m_hop.plan.warnings.push_back(warning);
        for (const auto& p : m_stack.parameters) {
            if (p.action != ParameterAction::needs_input) continue;
            const auto* definition = m_stack.target->parameter(p.name);
            m_hop.plan.inputs.push_back({m_stack.stack, m_stack.target_id, p.name, p.why,
                                         definition ? definition->allowed_values : std::vector<std::string>{}, {}, {}});
        }
    }

private:
    ParameterPlan plan(const cfn::Parameter& parameter) {
        ParameterPlan out;
        out.name = parameter.name;
        out.no_echo = parameter.no_echo;
        const StackState* state = m_stack.state;
        bool existed = state && state->parameters.count(parameter.name);
        if (existed) {
            const auto& current = state->parameters.find(parameter.name)->second;
            out.previous = state->is_no_echo(parameter.name) ? std::string(masked_value) : current.value_or("");
        }
        if (auto given = m_hop.inputs.values.find(m_stack.stack, m_stack.target_id, parameter.name))
            return set_by_user(out, parameter, *given);
        if (is_image(parameter, existed)) return image(out, parameter, existed);
        if (existed) return existing(out, parameter);
        if (const auto* rename = rename_to(m_hop, m_stack, parameter.name); rename && state &&
                                                                            state->parameters.count(rename->from))
            return carry(out, parameter, *rename);
        return added(out, parameter);
    }

    ParameterPlan set_by_user(ParameterPlan out, const cfn::Parameter& parameter, const std::string& value) {
        if (auto problem = cfn::validate_parameter_value(parameter, value))
            throw InputError(m_hop.inputs.values.file + ": " + m_stack.stack + "/" + parameter.name + ": " + *problem);
        out.action = ParameterAction::set;
        if (!parameter.no_echo) out.value = value;
        out.value_given = parameter.no_echo;
        out.why = "given in " + m_hop.inputs.values.file;
        return out;
    }

    bool is_image(const cfn::Parameter& parameter, bool existed) const {
        std::string value;
        if (existed) value = m_stack.state->parameters.find(parameter.name)->second.value_or("");
        else value = parameter.default_value.value_or("");
        return m_hop.inputs.profile.is_image_parameter(m_stack.target_id, parameter.name, value);
    }

    ParameterPlan image(ParameterPlan out, const cfn::Parameter& parameter, bool existed) {
        std::string current = existed ? m_stack.state->parameters.find(parameter.name)->second.value_or("")
                                      : parameter.default_value.value_or("");
        auto moved = profile::retag_image(current, m_hop.to);
        if (!moved) {
            out.action = ParameterAction::needs_input;
            out.why = "the image '" + current + "' has no version in its tag to move to " + m_hop.to.to_string() +
                      "; give the image to use";
            return out;
        }
        out.action = ParameterAction::image;
        out.value = *moved;
        out.why = "Docker image moved to the " + m_hop.to.to_string() + " tag (images follow the release even where "
                  "the changelog says nothing)";
        return out;
    }

    ParameterPlan existing(ParameterPlan out, const cfn::Parameter& parameter) {
        const auto& current = m_stack.state->parameters.find(parameter.name)->second;
        if (!current) {
            out.action = ParameterAction::keep;
            out.why = m_stack.state->is_no_echo(parameter.name) ? "NoEcho: the previous value is kept as it is"
                                                                 : "kept";
            return out;
        }
        auto problem = cfn::validate_parameter_value(parameter, *current);
        if (!problem) {
            out.action = ParameterAction::keep;
            if (const auto* c = change_of(m_hop, m_stack, parameter.name, release::ParameterChangeKind::default_value))
                out.why = "kept; its default changed (" + cite(m_hop, c->origin) + ")";
            return out;
        }
        if (const auto* c = change_of(m_hop, m_stack, parameter.name, release::ParameterChangeKind::values)) {
            if (auto mapped = mapped_value(c->values, c->otherwise, *current);
                mapped && !cfn::validate_parameter_value(parameter, *mapped)) {
                out.action = ParameterAction::set;
                out.value = *mapped;
                out.why = "'" + *current + "' is no longer allowed; the changelog maps it to '" + *mapped + "' (" +
                          cite(m_hop, c->origin) + ")";
                return out;
            }
        }
        out.action = ParameterAction::needs_input;
        out.why = "the current value is not valid for the " + m_hop.to.to_string() + " template: " + *problem;
        return out;
    }

    ParameterPlan carry(ParameterPlan out, const cfn::Parameter& parameter, const release::ParameterRename& rename) {
        m_carried.insert(rename.from);
        out.carried_from = rename.from;
        const auto& old = m_stack.state->parameters.find(rename.from)->second;
        std::string source = cite(m_hop, rename.origin);
        if (!old) {
            out.action = ParameterAction::needs_input;
            out.why = "renamed from " + rename.from + " (" + source + "), whose value is NoEcho and cannot be read "
                      "back; give it again";
            return out;
        }
        out.previous = *old;
        std::string value = *old;
        std::string mapping;
        if (auto mapped = mapped_value(rename.values, rename.otherwise, *old)) {
            value = *mapped;
            mapping = ", value '" + *old + "' mapped to '" + value + "'";
        }
        if (auto problem = cfn::validate_parameter_value(parameter, value)) {
            out.action = ParameterAction::needs_input;
            out.why = "renamed from " + rename.from + " (" + source + "), but its value is not valid here: " + *problem;
            return out;
        }
        out.action = ParameterAction::carry;
        out.value = value;
        out.why = "renamed from " + rename.from + mapping + " (" + source + ")";
        return out;
    }

    ParameterPlan added(ParameterPlan out, const cfn::Parameter& parameter) {
        const auto* flagged = change_of(m_hop, m_stack, parameter.name, release::ParameterChangeKind::added);
        if (!parameter.default_value) {
            out.action = ParameterAction::needs_input;
            out.why = "new parameter without a default" +
                      (flagged ? " (" + cite(m_hop, flagged->origin) + ")" : std::string());
            return out;
        }
        if (auto problem = cfn::validate_parameter_value(parameter, *parameter.default_value)) {
            out.action = ParameterAction::needs_input;
            out.why = "new parameter whose default is rejected by its own constraints: " + *problem;
            return out;
        }
        out.action = ParameterAction::use_default;
        if (!parameter.no_echo) out.value = *parameter.default_value;
        out.why = "new parameter, default used";
        if (flagged) {
            out.why += "; the changelog asks to review it (" + cite(m_hop, flagged->origin) + ")";
            // A NoEcho default is a secret too: never written out.
            std::string shown = parameter.no_echo ? std::string("(NoEcho)") : "'" + *parameter.default_value + "'";
            m_default_warnings.emplace_back(parameter.name, m_stack.stack + ": new parameter " + parameter.name + " takes its default " +
                                          shown + "; check it suits this deployment (" + cite(m_hop, flagged->origin) +
                                          ")");
        }
        return out;
    }

    HopContext& m_hop;
    StackPlan& m_stack;
    std::set<std::string> m_carried;
    std::vector<std::pair<std::string, std::string>> m_default_warnings;  // parameter, warning
};

}  // namespace

void plan_parameters(HopContext& hop, StackPlan& stack) { ParameterPlanner(hop, stack).run(); }

}  // namespace stackshift::plan
