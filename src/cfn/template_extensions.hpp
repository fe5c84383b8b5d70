#pragma once
// What the template loader checks beyond CloudFormation's core syntax: the transforms a
// template declares and what each allows (SAM's Globals and resource attributes;
// AWS::LanguageExtensions' Fn::ForEach, Fn::Length, Fn::ToJsonString and Fn::FindInMap
// defaults; a macro's own syntax), and the rule functions of the Rules section. What the
// engine does not interpret is checked as far as CloudFormation would, then kept as written.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/template.hpp"

namespace stackshift::cfn {

// A logical id, a loop name, an identifier: A-Za-z0-9 only.
bool is_alphanumeric(std::string_view text);

class ExtensionChecker {
public:
    ExtensionChecker(Template& t, Diagnostics& diagnostics) : m_template(t), m_diagnostics(diagnostics) {}

    // Reads the Transform section into Template::transforms; the other checks depend on it.
    void read_transforms(const Value* transform);

    // Whether CloudFormation's core rules apply in full; not when a macro may rewrite the template.
    bool strict() const { return m_macro.empty(); }

    // Each take_ answers whether the entry is an extension's: then it is checked here and kept
    // as written, and the core checks skip it.
    bool take_section(const Member& section);
    bool take_resource(const Member& resource);
    bool take_resource_attribute(const std::string& logical_id, const Member& attribute);
    bool take_output(const Member& output);
    bool take_attribute(std::string_view section, const std::string& owner, const Member& attribute);
    bool take_condition(const Member& condition);

    // "; Globals is SAM's: declare 'Transform: AWS::Serverless-2016-10-31'" for a section a
    // transform would allow, else "".
    std::string section_hint(std::string_view name) const;
    // Refuses a SAM type (AWS::Serverless::Function) in a template without SAM's transform.
    void check_resource_type(const std::string& logical_id, const Value& type);
    // Rule functions only in Rules, with their arguments; the Rules section's structure;
    // language extensions only with their transform.
    void check_functions(const Value& root);

private:
    struct Loop {
        std::string identifier;
        std::optional<std::vector<std::string>> values;  // when the collection is a literal list
    };

    void error(Position at, std::string message);
    void keep(std::string path, const Member& member, std::string reason);
    bool needs_language_extensions(Position at, std::string_view what);
    void check_for_each(std::string_view section, const Member& loop, std::vector<Loop>& enclosing);
    void check_loop_key(std::string_view section, const std::string& loop, const Member& entry, const std::vector<Loop>& loops);
    void check_rules(const Value& rules);
    void check_rule_function(std::string_view name, const Value& call);
    void walk(const Value& v, bool in_rules);

    Template& m_template;
    Diagnostics& m_diagnostics;
    std::string m_macro;  // the first macro declared
};

}  // namespace stackshift::cfn
