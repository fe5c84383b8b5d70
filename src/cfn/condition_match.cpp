#include "cfn/condition_match.hpp"

namespace stackshift::cfn {

namespace {

bool has_conditions(const Template& t) { return t.conditions != nullptr && t.conditions->size() > 0; }

// The condition name a Fn::If or {"Condition": ...} names, or nullptr when `v` is neither.
const Value* condition_name(const Value& v) {
    std::string_view name = v.function_name();
    if (name.empty()) return nullptr;
    const Value& argument = v.function_argument();
    if (name == "Condition") return argument.is_string() ? &argument : nullptr;
    if (name == "Fn::If" && argument.is_list() && argument.size() == 3 && argument.items()[0].is_string())
        return &argument.items()[0];
    return nullptr;
}

}  // namespace

ConditionMatch::ConditionMatch(const Template& old_template, const Template& new_template)
    : m_old(old_template), m_new(new_template), m_renames_possible(has_conditions(old_template) && has_conditions(new_template)) {}

bool ConditionMatch::same_condition(std::string_view old_name, std::string_view new_name) {
    if (old_name == new_name) return true;
    const Value* a = old_name.empty() ? nullptr : m_old.condition(old_name);
    const Value* b = new_name.empty() ? nullptr : m_new.condition(new_name);
    if (a == nullptr || b == nullptr) return false;
    std::pair<std::string, std::string> key{std::string(old_name), std::string(new_name)};
    // Decided as "not the same" while it is being decided: a condition that names itself
    // through others is invalid, and never a reason to call two conditions one.
    auto [it, inserted] = m_decided.try_emplace(key, false);
    if (!inserted) return it->second;
    bool same = same_value(*a, *b);
    m_decided[key] = same;
    return same;
}

bool ConditionMatch::same_value(const Value& old_value, const Value& new_value) {
    if (old_value.same_as(new_value)) return true;
    return m_renames_possible && same_structure(old_value, new_value);
}

bool ConditionMatch::same_structure(const Value& a, const Value& b) {
    const Value* x = condition_name(a);
    const Value* y = condition_name(b);
    if (x || y) {
        if (!x || !y || a.function_name() != b.function_name()) return false;
        if (!same_condition(x->text(), y->text())) return false;
        if (a.function_name() == "Condition") return true;
        const auto& p = a.function_argument().items();
        const auto& q = b.function_argument().items();
        return same_value(p[1], q[1]) && same_value(p[2], q[2]);
    }
    if (a.kind() != b.kind() || a.is_scalar()) return false;
    if (a.size() != b.size()) return false;
    if (a.is_list()) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same_value(a.items()[i], b.items()[i])) return false;
        return true;
    }
    for (const auto& m : a.members()) {
        const Value* match = b.find(m.key);
        if (match == nullptr || !same_value(m.value, *match)) return false;
    }
    return true;
}

}  // namespace stackshift::cfn
