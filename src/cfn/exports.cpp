#include "cfn/exports.hpp"

#include <algorithm>

namespace stackshift::cfn {

namespace {

Tri both(Tri a, Tri b) {
    if (a == Tri::no || b == Tri::no) return Tri::no;
    if (a == Tri::unknown || b == Tri::unknown) return Tri::unknown;
    return Tri::yes;
}

// Walks a value for Fn::ImportValue, following only the Fn::If branches the condition can take.
class ImportWalker {
public:
    ImportWalker(Evaluator& evaluator, std::vector<TemplateImport>& out) : m_evaluator(evaluator), m_out(out) {}

    void walk(const Value& value, Tri active, const std::string& where) {
        if (value.is_list()) {
            for (const auto& item : value.items()) walk(item, active, where);
            return;
        }
        if (!value.is_map()) return;
        std::string_view name = value.function_name();
        if (name == "Fn::ImportValue") {
            import(value.function_argument(), active, where);
            return;
        }
        if (name == "Fn::If") {
            walk_if(value.function_argument(), active, where);
            return;
        }
        for (const auto& member : value.members()) walk(member.value, active, where);
    }

private:
    void import(const Value& argument, Tri active, const std::string& where) {
        Value resolved = m_evaluator.resolve(argument);
        TemplateImport found{std::nullopt, active, where};
        if (resolved.is_scalar() && resolved.function_name().empty()) found.name = resolved.text();
        m_out.push_back(std::move(found));
    }

    void walk_if(const Value& argument, Tri active, const std::string& where) {
        if (!argument.is_list() || argument.size() != 3) {
            walk(argument, active, where);
            return;
        }
        Tri t = m_evaluator.condition(argument.items()[0].text());
        if (t != Tri::no) walk(argument.items()[1], both(active, t), where);
        if (t != Tri::yes) walk(argument.items()[2], both(active, t == Tri::no ? Tri::yes : Tri::unknown), where);
    }

    Evaluator& m_evaluator;
    std::vector<TemplateImport>& m_out;
};

void collect_names(const Value& value, std::vector<std::string>& out) {
    if (value.is_list()) {
        for (const auto& item : value.items()) collect_names(item, out);
        return;
    }
    if (!value.is_map()) return;
    std::string_view name = value.function_name();
    const Value* argument = name.empty() ? nullptr : &value.function_argument();
    if (name == "Ref" && argument->is_scalar()) out.push_back(argument->text());
    if (name == "Fn::GetAtt" && argument->is_list() && argument->size() >= 1) out.push_back(argument->items()[0].text());
    if (name == "Fn::Sub") {
        const Value& text = argument->is_list() && argument->size() >= 1 ? argument->items()[0] : *argument;
        if (text.is_string()) {
            for (const auto& reference : sub_references(text.text())) out.push_back(reference.substr(0, reference.find('.')));
        }
    }
    for (const auto& member : value.members()) collect_names(member.value, out);
}

}  // namespace

std::vector<TemplateExport> template_exports(Evaluator& evaluator) {
    std::vector<TemplateExport> out;
    for (const auto& output : evaluator.source().outputs) {
        if (output.export_name == nullptr) continue;
        TemplateExport e{output.name, std::nullopt, evaluator.exists(output.condition), output.value};
        Value name = evaluator.resolve(*output.export_name);
        if (name.is_scalar() && name.function_name().empty()) e.name = name.text();
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<TemplateImport> template_imports(Evaluator& evaluator) {
    std::vector<TemplateImport> out;
    ImportWalker walker(evaluator, out);
    for (const auto& resource : evaluator.source().resources) {
        Tri exists = evaluator.exists(resource.condition);
        if (exists == Tri::no || resource.node == nullptr) continue;
        std::string where = "Resources." + resource.logical_id;
        if (resource.properties) walker.walk(*resource.properties, exists, where);
        if (resource.metadata) walker.walk(*resource.metadata, exists, where);
    }
    for (const auto& output : evaluator.source().outputs) {
        Tri exists = evaluator.exists(output.condition);
        if (exists == Tri::no || output.value == nullptr) continue;
        walker.walk(*output.value, exists, "Outputs." + output.name);
    }
    return out;
}

std::vector<std::string> referenced_names(const Value& value) {
    std::vector<std::string> out;
    collect_names(value, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace stackshift::cfn
