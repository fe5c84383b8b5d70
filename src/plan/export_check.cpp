#include "plan/export_check.hpp"

#include <algorithm>
#include <deque>

#include "cfn/exports.hpp"
#include "core/no_echo.hpp"

namespace stackshift::plan {

namespace {

// What a stack exports and imports under its values.
struct Interface {
    std::vector<cfn::TemplateExport> exports;
    std::vector<cfn::TemplateImport> imports;
    std::vector<cfn::Value> values;  // each export's value, resolved as far as the values go
};

Interface interface_of(const cfn::Template& body, const cfn::ParameterValues& values) {
    Interface out;
    cfn::Evaluator e(body, &values);
    out.exports = cfn::template_exports(e);
    out.imports = cfn::template_imports(e);
    for (const auto& x : out.exports) out.values.push_back(x.value ? e.resolve(*x.value) : cfn::Value());
    return out;
}

// One stack as it stands at a point of the plan: its template and parameter values, and what
// they make it export and import.
struct StackAt {
    StackAt(std::string stack, const cfn::Template& template_body, cfn::ParameterValues parameter_values)
        : name(std::move(stack)), body(&template_body), values(std::move(parameter_values)), interface(interface_of(*body, values)) {}

    std::string name;
    const cfn::Template* body;
    cfn::ParameterValues values;
    Interface interface;
};

cfn::ParameterValues pseudo_values(const PlanInputs& inputs, const std::string& stack) {
    cfn::ParameterValues v;
    v.values["AWS::StackName"] = stack;
    if (!inputs.deployment.region.empty()) v.values["AWS::Region"] = inputs.deployment.region;
    else v.unknown.insert("AWS::Region");
    // The account and the stack's id are AWS's: an export named after them cannot be told.
    v.unknown.insert("AWS::AccountId");
    v.unknown.insert("AWS::StackId");
    return v;
}

// The values a step leaves the stack with: kept parameters keep their known value, NoEcho
// values and values still to give are unknown.
cfn::ParameterValues step_values(const PlanInputs& inputs, const Step& step, const StackAt* before) {
    cfn::ParameterValues v = pseudo_values(inputs, step.stack);
    for (const auto& p : step.parameters) {
        if (p.value) {
            v.values[p.name] = *p.value;
        } else if (p.action == ParameterAction::keep && before && before->values.unknown.count(p.name) == 0 &&
                   before->values.values.count(p.name) != 0) {
            v.values[p.name] = before->values.values.find(p.name)->second;
        } else {
            v.unknown.insert(p.name);
        }
    }
    return v;
}


std::optional<std::size_t> find_export(const Interface& i, const std::string& name) {
    for (std::size_t n = 0; n < i.exports.size(); ++n) {
        if (i.exports[n].name == name && i.exports[n].exists != cfn::Tri::no) return n;
    }
    return std::nullopt;
}

class Checker {
public:
    explicit Checker(const PlanInputs& inputs) : m_inputs(inputs) {
        for (const auto& d : inputs.deployed) {
            const cfn::DeployedStack* deployed = inputs.deployment.stack(d.stack);
            if (d.body == nullptr || deployed == nullptr) continue;
            cfn::ParameterValues values = pseudo_values(inputs, d.stack);
            for (const auto& [name, value] : deployed->parameters) {
                if (deployed->is_no_echo(name) || value == masked_value) values.unknown.insert(name);
                else values.values[name] = value;
            }
            m_stacks.emplace_back(d.stack, *d.body, std::move(values));
        }
    }

    void step(const Hop& hop, const Step& step) {
        StackAt* current = find(step.stack);
        std::optional<StackAt> after;
        switch (step.kind) {
        case StepKind::update_stack:
        case StepKind::deploy_stack:
        case StepKind::set_parameters: {
            const cfn::Template* body = nullptr;
            if (step.kind == StepKind::set_parameters && step.previous_template && current) body = current->body;
            else if (const ReleaseTemplates* release = m_inputs.release(hop.to)) body = release->find(step.template_id);
            if (body == nullptr) return;
            after.emplace(step.stack, *body, step_values(m_inputs, step, current));
            break;
        }
        case StepKind::delete_stack: break;
        default: return;
        }
        Interface before = current ? current->interface : Interface{};
        Interface now = after ? after->interface : Interface{};
        check_exports_kept(step, before, now);
        if (current && after) *current = std::move(*after);
        else if (after) m_stacks.push_back(std::move(*after));
        else std::erase_if(m_stacks, [&](const StackAt& s) { return s.name == step.stack; });
        if (after) check_imports_provided(step, now);
    }

    std::vector<ExportConflict> conflicts() && { return std::move(m_conflicts); }

private:
    StackAt* find(const std::string& name) {
        for (auto& s : m_stacks) {
            if (s.name == name) return &s;
        }
        return nullptr;
    }

    // The stacks other than `except` that import `name` now; `possible` when only maybe.
    std::vector<std::string> importers(const std::string& name, const std::string& except, bool& possible) const {
        std::vector<std::string> out;
        for (const auto& s : m_stacks) {
            if (s.name == except) continue;
            for (const auto& i : s.interface.imports) {
                if (i.active == cfn::Tri::no) continue;
                if (i.name && *i.name != name) continue;
                if (!i.name || i.active == cfn::Tri::unknown) possible = true;
                out.push_back(s.name);
                break;
            }
        }
        return out;
    }

    // An export the step removes or changes while another stack imports it.
    void check_exports_kept(const Step& step, const Interface& before, const Interface& now) {
        for (std::size_t n = 0; n < before.exports.size(); ++n) {
            const auto& x = before.exports[n];
            if (!x.name || x.exists == cfn::Tri::no) continue;
            auto kept = find_export(now, *x.name);
            bool removed = !kept || now.exports[*kept].exists != cfn::Tri::yes;
            bool changed = !removed && changes(step, before.values[n], now.values[*kept], *now.exports[*kept].value);
            if (!removed && !changed) continue;
            bool possible = x.exists == cfn::Tri::unknown || (kept && removed);
            auto users = importers(*x.name, step.stack, possible);
            if (users.empty()) continue;
            ExportConflict c{step.id, step.stack, *x.name, removed ? ExportConflictKind::removed : ExportConflictKind::changed,
                             users, possible, {}};
            c.fix = "update " + join_stacks(users) + " so that it no longer imports " + *x.name + " before step " + step.id +
                    ", or keep the export as it is";
            m_conflicts.push_back(std::move(c));
        }
    }

    // Whether the export's value may differ after the step: its expression resolves otherwise,
    // or it refers to a resource the step replaces.
    static bool changes(const Step& step, const cfn::Value& before, const cfn::Value& after, const cfn::Value& written) {
        if (!before.same_as(after)) return true;
        auto names = cfn::referenced_names(written);
        return std::any_of(step.resources.begin(), step.resources.end(), [&](const ResourceImpact& r) {
            bool replaced = r.impact == cfn::Impact::will_replace || r.impact == cfn::Impact::may_replace ||
                            r.impact == cfn::Impact::will_destroy;
            return replaced && std::find(names.begin(), names.end(), r.logical_id) != names.end();
        });
    }

    // An import of the stack after the step that no stack provides then.
    void check_imports_provided(const Step& step, const Interface& now) {
        std::vector<std::string> reported;
        for (const auto& i : now.imports) {
            if (i.active == cfn::Tri::no || !i.name) continue;
            if (std::find(reported.begin(), reported.end(), *i.name) != reported.end()) continue;
            if (provided(*i.name, step.stack)) continue;
            reported.push_back(*i.name);
            ExportConflict c{step.id, step.stack, *i.name, ExportConflictKind::missing, {step.stack}, i.active == cfn::Tri::unknown, {}};
            c.fix = "deploy or update the stack that exports " + *i.name + " before step " + step.id + ", or change " +
                    step.stack + " so that it does not import it";
            m_conflicts.push_back(std::move(c));
        }
    }

    bool provided(const std::string& name, const std::string& importer) const {
        for (const auto& s : m_stacks) {
            if (s.name == importer) continue;
            for (const auto& x : s.interface.exports) {
                if (x.exists != cfn::Tri::no && (!x.name || *x.name == name)) return true;
            }
        }
        return false;
    }

    static std::string join_stacks(const std::vector<std::string>& names) {
        std::string out;
        for (std::size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
        return out;
    }

    const PlanInputs& m_inputs;
    std::deque<StackAt> m_stacks;
    std::vector<ExportConflict> m_conflicts;
};

}  // namespace

std::vector<ExportConflict> check_exports(const PlanInputs& inputs, const Plan& plan) {
    Checker checker(inputs);
    for (const auto& hop : plan.hops) {
        for (const auto& step : hop.steps) checker.step(hop, step);
    }
    return std::move(checker).conflicts();
}

}  // namespace stackshift::plan
