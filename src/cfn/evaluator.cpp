#include "cfn/evaluator.hpp"

#include <algorithm>

#include "cfn/parameter_validator.hpp"
#include "core/file_io.hpp"

namespace stackshift::cfn {

namespace {

Tri tri_not(Tri t) {
    if (t == Tri::unknown) return t;
    return t == Tri::yes ? Tri::no : Tri::yes;
}

Tri tri_of(bool b) { return b ? Tri::yes : Tri::no; }

bool is_scalar_value(const Value& v) { return v.is_scalar() && v.function_name().empty(); }

}  // namespace

bool is_no_value(const Value& v) {
    return v.function_name() == "Ref" && v.function_argument().text() == "AWS::NoValue";
}

std::vector<std::string> sub_references(std::string_view text) {
    std::vector<std::string> refs;
    std::size_t pos = 0;
    while ((pos = text.find("${", pos)) != std::string_view::npos) {
        auto close = text.find('}', pos + 2);
        if (close == std::string_view::npos) break;
        std::string_view inner = text.substr(pos + 2, close - pos - 2);
        if (!inner.starts_with("!")) {
            while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
            while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
            refs.emplace_back(inner);
        }
        pos = close + 1;
    }
    return refs;
}

Result<ParameterValues> load_parameter_values(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    auto document = parse_document(*text, path, path.ends_with(".json") ? Format::json : detect_format(*text));
    if (!document) return std::move(document).failure();
    const Value& root = *document;
    if (root.is_null()) return ParameterValues{};
    if (!root.is_map()) {
        return fail(path, root.position(), "expected a mapping of parameter names to values, found a " +
                                               std::string(kind_name(root.kind())));
    }
    ParameterValues out;
    Diagnostics problems;
    for (const auto& member : root.members()) {
        const Value& v = member.value;
        if (is_scalar_value(v)) {
            out.values[member.key] = v.text();
        } else if (v.is_list() && std::all_of(v.items().begin(), v.items().end(), is_scalar_value)) {
            std::string joined;
            for (const auto& item : v.items()) joined += (joined.empty() ? "" : ",") + item.text();
            out.values[member.key] = joined;
        } else {
            problems.push_back(Diagnostic{path, v.position(), "parameter " + member.key +
                                                                   ": expected a string, a number or a list of them"});
        }
    }
    if (!problems.empty()) return Failure{std::move(problems)};
    return out;
}

Evaluator::Evaluator(const Template& t, const ParameterValues* values) : m_template(t), m_values(values) {}

std::optional<std::string> Evaluator::known(std::string_view name) const {
    if (m_values == nullptr || m_values->unknown.count(name) != 0) return std::nullopt;
    if (auto it = m_values->values.find(name); it != m_values->values.end()) return it->second;
    if (const Parameter* p = m_template.parameter(name)) return p->default_value;
    if (name == "AWS::Partition") return std::string("aws");
    if (name == "AWS::URLSuffix") return std::string("amazonaws.com");
    return std::nullopt;
}

Tri Evaluator::condition(std::string_view name) {
    if (m_values == nullptr) return Tri::unknown;
    std::string key(name);
    if (auto it = m_conditions.find(key); it != m_conditions.end()) return it->second;
    if (std::find(m_evaluating.begin(), m_evaluating.end(), key) != m_evaluating.end()) return Tri::unknown;
    const Value* expression = m_template.condition(name);
    if (expression == nullptr) return Tri::unknown;
    m_evaluating.push_back(key);
    Tri result = condition_expression(*expression);
    m_evaluating.pop_back();
    m_conditions[key] = result;
    return result;
}

Tri Evaluator::exists(std::string_view condition_name) {
    if (condition_name.empty()) return Tri::yes;
    return condition(condition_name);
}

std::optional<std::string> Evaluator::known_scalar(const Value& v) {
    Value resolved = resolve(v);
    if (is_scalar_value(resolved)) return resolved.text();
    return std::nullopt;
}

Tri Evaluator::condition_expression(const Value& expression) {
    std::string_view name = expression.function_name();
    if (name.empty()) {
        if (expression.is_scalar() && (expression.text() == "true" || expression.text() == "false")) {
            return tri_of(expression.text() == "true");
        }
        return Tri::unknown;
    }
    const Value& argument = expression.function_argument();
    if (name == "Condition") return condition(argument.text());
    if (name == "Fn::Not") {
        if (!argument.is_list() || argument.size() != 1) return Tri::unknown;
        return tri_not(condition_expression(argument.items()[0]));
    }
    if (name == "Fn::And" || name == "Fn::Or") {
        if (!argument.is_list()) return Tri::unknown;
        bool is_and = name == "Fn::And";
        Tri result = tri_of(is_and);
        for (const auto& item : argument.items()) {
            Tri t = condition_expression(item);
            if (t == tri_of(!is_and)) return t;  // short-circuit: one false in And, one true in Or
            if (t == Tri::unknown) result = Tri::unknown;
        }
        return result;
    }
    if (name == "Fn::Equals") {
        if (!argument.is_list() || argument.size() != 2) return Tri::unknown;
        auto a = known_scalar(argument.items()[0]);
        auto b = known_scalar(argument.items()[1]);
        if (!a || !b) return Tri::unknown;
        return tri_of(*a == *b);
    }
    return Tri::unknown;
}

Value Evaluator::resolve(const Value& value) { return resolve(value, NoValue::drop); }

Value Evaluator::resolve(const Value& value, NoValue no_value) {
    if (value.is_list()) {
        Value out = Value::list(value.position());
        out.items().reserve(value.items().size());
        for (const auto& item : value.items()) {
            Value r = resolve(item, NoValue::drop);
            if (no_value == NoValue::keep || !is_no_value(r)) out.push_back(std::move(r));
        }
        return out;
    }
    if (!value.is_map()) return value;
    std::string_view name = value.function_name();
    if (!name.empty()) {
        if (auto resolved = resolve_function(value, name, value.function_argument())) return std::move(*resolved);
        // Unresolved: keep the function, with its arguments resolved as far as they go.
        Value out = Value::map(value.position());
        out.add(std::string(name), resolve(value.function_argument(), NoValue::keep), value.members().front().key_position);
        return out;
    }
    Value out = Value::map(value.position());
    out.members().reserve(value.members().size());
    for (const auto& member : value.members()) {
        Value r = resolve(member.value);
        if (!is_no_value(r)) out.add(member.key, std::move(r), member.key_position);
    }
    return out;
}

std::optional<Value> Evaluator::resolve_function(const Value& value, std::string_view name, const Value& argument) {
    Position at = value.position();
    if (name == "Ref") {
        if (argument.text() == "AWS::NoValue") return std::nullopt;
        auto known_value = known(argument.text());
        if (!known_value) return std::nullopt;
        const Parameter* p = m_template.parameter(argument.text());
        if (p && parse_parameter_type(p->type).is_list) {
            // A list parameter's Ref is a list of its comma-separated elements.
            Value list = Value::list(at);
            std::size_t start = 0;
            while (true) {
                auto comma = known_value->find(',', start);
                list.push_back(Value::string(known_value->substr(start, comma == std::string::npos ? std::string::npos : comma - start), at));
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            return list;
        }
        return Value::string(*known_value, at);
    }
    if (name == "Fn::If") {
        if (!argument.is_list() || argument.size() != 3) return std::nullopt;
        Tri t = condition(argument.items()[0].text());
        if (t == Tri::unknown) return std::nullopt;
        return resolve(argument.items()[t == Tri::yes ? 1 : 2]);
    }
    if (name == "Fn::FindInMap") return find_in_map(argument, at);
    if (name == "Fn::Sub") return substitute(argument, at);
    if (name == "Fn::Join") {
        if (!argument.is_list() || argument.size() != 2) return std::nullopt;
        auto separator = known_scalar(argument.items()[0]);
        Value list = resolve(argument.items()[1]);
        if (!separator || !list.is_list()) return std::nullopt;
        std::string joined;
        for (std::size_t i = 0; i < list.items().size(); ++i) {
            if (!is_scalar_value(list.items()[i])) return std::nullopt;
            if (i > 0) joined += *separator;
            joined += list.items()[i].text();
        }
        return Value::string(joined, at);
    }
    if (name == "Fn::Select") {
        if (!argument.is_list() || argument.size() != 2) return std::nullopt;
        auto index = known_scalar(argument.items()[0]);
        Value list = resolve(argument.items()[1]);
        if (!index || !list.is_list()) return std::nullopt;
        std::size_t i = 0;
        try {
            i = std::stoul(*index);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (i >= list.items().size()) return std::nullopt;
        return list.items()[i];
    }
    if (name == "Fn::Split") {
        if (!argument.is_list() || argument.size() != 2) return std::nullopt;
        auto separator = known_scalar(argument.items()[0]);
        auto text = known_scalar(argument.items()[1]);
        if (!separator || !text || separator->empty()) return std::nullopt;
        Value list = Value::list(at);
        std::size_t start = 0;
        while (true) {
            auto found = text->find(*separator, start);
            list.push_back(Value::string(text->substr(start, found == std::string::npos ? std::string::npos : found - start), at));
            if (found == std::string::npos) break;
            start = found + separator->size();
        }
        return list;
    }
    return std::nullopt;
}

std::optional<Value> Evaluator::find_in_map(const Value& arguments, Position) {
    if (!arguments.is_list() || arguments.size() < 3 || m_template.mappings == nullptr) return std::nullopt;
    auto map_name = known_scalar(arguments.items()[0]);
    auto top = known_scalar(arguments.items()[1]);
    auto second = known_scalar(arguments.items()[2]);
    if (!map_name || !top || !second) return std::nullopt;
    const Value* mapping = m_template.mappings->find(*map_name);
    const Value* level = mapping ? mapping->find(*top) : nullptr;
    const Value* found = level ? level->find(*second) : nullptr;
    if (found == nullptr) {
        // AWS::LanguageExtensions allows a DefaultValue as fourth argument.
        if (arguments.size() == 4 && arguments.items()[3].is_map()) {
            if (const Value* fallback = arguments.items()[3].find("DefaultValue")) return resolve(*fallback);
        }
        return std::nullopt;
    }
    return *found;
}

std::optional<Value> Evaluator::substitute(const Value& arguments, Position at) {
    const Value* text = &arguments;
    const Value* variables = nullptr;
    if (arguments.is_list()) {
        if (arguments.size() != 2) return std::nullopt;
        text = &arguments.items()[0];
        variables = &arguments.items()[1];
    }
    if (!text->is_string()) return std::nullopt;
    const std::string& source = text->text();
    std::string out;
    std::size_t pos = 0;
    while (true) {
        auto open = source.find("${", pos);
        if (open == std::string::npos) {
            out.append(source, pos, std::string::npos);
            break;
        }
        auto close = source.find('}', open + 2);
        if (close == std::string::npos) return std::nullopt;
        out.append(source, pos, open - pos);
        std::string name = source.substr(open + 2, close - open - 2);
        if (name.starts_with("!")) {
            out += "${" + name.substr(1) + "}";  // ${!Literal} is written out as ${Literal}
        } else {
            std::optional<std::string> replacement;
            if (variables && variables->is_map()) {
                if (const Value* v = variables->find(name)) replacement = known_scalar(*v);
                else if (name.find('.') == std::string::npos) replacement = known(name);
            } else if (name.find('.') == std::string::npos) {
                replacement = known(name);
            }
            if (!replacement) return std::nullopt;
            out += *replacement;
        }
        pos = close + 1;
    }
    return Value::string(out, at);
}

}  // namespace stackshift::cfn
