#include "cfn/interface_diff.hpp"

#include "cfn/condition_match.hpp"

namespace stackshift::cfn {

namespace {

std::vector<std::string> parameter_details(const Parameter& a, const Parameter& b) {
    std::vector<std::string> details;
    if (a.type != b.type) details.emplace_back("type");
    if (a.default_value != b.default_value) details.emplace_back("default");
    if (a.allowed_values != b.allowed_values) details.emplace_back("allowed-values");
    if (a.allowed_pattern != b.allowed_pattern) details.emplace_back("allowed-pattern");
    if (a.min_length != b.min_length) details.emplace_back("min-length");
    if (a.max_length != b.max_length) details.emplace_back("max-length");
    if (a.min_value != b.min_value) details.emplace_back("min-value");
    if (a.max_value != b.max_value) details.emplace_back("max-value");
    if (a.no_echo != b.no_echo) details.emplace_back("no-echo");
    if (a.description != b.description) details.emplace_back("description");
    if (a.constraint_description != b.constraint_description) details.emplace_back("constraint-description");
    return details;
}

std::optional<std::string> export_name(const Output& o, Evaluator& evaluator) {
    if (o.export_name == nullptr) return std::nullopt;
    Value resolved = evaluator.resolve(*o.export_name);
    if (resolved.is_scalar()) return resolved.text();
    // An unresolved Fn::Sub reads best as its template string.
    if (resolved.function_name() == "Fn::Sub" && resolved.function_argument().is_string()) return resolved.function_argument().text();
    return resolved.to_display();
}

}  // namespace

std::vector<ParameterDiff> diff_parameters(const Template& old_template, const Template& new_template) {
    std::vector<ParameterDiff> out;
    for (const auto& b : new_template.parameters) {
        const Parameter* a = old_template.parameter(b.name);
        if (a == nullptr) {
            out.push_back(ParameterDiff{b.name, "added", {}, nullptr, &b});
            continue;
        }
        auto details = parameter_details(*a, b);
        if (!details.empty()) out.push_back(ParameterDiff{b.name, "changed", std::move(details), a, &b});
    }
    for (const auto& a : old_template.parameters) {
        if (new_template.parameter(a.name) == nullptr) out.push_back(ParameterDiff{a.name, "removed", {}, &a, nullptr});
    }
    return out;
}

std::vector<OutputDiff> diff_outputs(const Template& old_template, const Template& new_template,
                                     Evaluator& old_evaluator, Evaluator& new_evaluator) {
    // An output whose Condition is false under the given values does not exist.
    auto present = [](const Template& t, Evaluator& e, std::string_view name) -> const Output* {
        const Output* o = t.output(name);
        return o && e.exists(o->condition) != Tri::no ? o : nullptr;
    };
    ConditionMatch conditions(old_template, new_template);
    std::vector<OutputDiff> out;
    for (const auto& b : new_template.outputs) {
        if (new_evaluator.exists(b.condition) == Tri::no) continue;
        const Output* a = present(old_template, old_evaluator, b.name);
        OutputDiff d;
        d.name = b.name;
        d.new_export = export_name(b, new_evaluator);
        if (a == nullptr) {
            d.change = "added";
            out.push_back(std::move(d));
            continue;
        }
        d.old_export = export_name(*a, old_evaluator);
        if (a->value && b.value && !conditions.same_value(old_evaluator.resolve(*a->value), new_evaluator.resolve(*b.value)))
            d.details.emplace_back("value");
        if (d.old_export != d.new_export) {
            d.details.emplace_back("export");
            d.breaks_imports = d.old_export.has_value();  // an export removed or renamed
        }
        if (!conditions.same_condition(a->condition, b.condition)) d.details.emplace_back("condition");
        if (a->description != b.description) d.details.emplace_back("description");
        if (!d.details.empty()) {
            d.change = "changed";
            out.push_back(std::move(d));
        }
    }
    for (const auto& a : old_template.outputs) {
        if (old_evaluator.exists(a.condition) == Tri::no || present(new_template, new_evaluator, a.name) != nullptr) continue;
        OutputDiff d;
        d.name = a.name;
        d.change = "removed";
        d.old_export = export_name(a, old_evaluator);
        d.breaks_imports = d.old_export.has_value();
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace stackshift::cfn
