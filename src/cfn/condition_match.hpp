#pragma once
// ConditionMatch: one condition under two names. A release that renames a condition, and every
// Condition attribute, Fn::If and {"Condition": ...} that names it, without changing what it
// says changes nothing CloudFormation deploys; the comparisons that meet condition names ask
// here whether the deployed template's name and the target's decide alike.

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "cfn/template.hpp"

namespace stackshift::cfn {

class ConditionMatch {
public:
    // Both templates must outlive the match.
    ConditionMatch(const Template& old_template, const Template& new_template);

    // Whether `old_name` of the old template and `new_name` of the new one are one condition:
    // the same name (a definition that changes under its name is the evaluator's to see, as
    // everywhere else), or two names whose definitions are the same once the conditions they
    // name are matched in turn. "" (no condition) matches only "".
    bool same_condition(std::string_view old_name, std::string_view new_name);

    // Value::same_as, with the names in Fn::If and {"Condition": ...} compared by same_condition.
    bool same_value(const Value& old_value, const Value& new_value);

private:
    bool same_structure(const Value& a, const Value& b);

    const Template& m_old;
    const Template& m_new;
    bool m_renames_possible = false;  // both templates have conditions
    std::map<std::pair<std::string, std::string>, bool> m_decided;
};

}  // namespace stackshift::cfn
