// Turns a parsed document into a Template: picks out the sections and checks their structure
// the way CloudFormation does before it accepts a template. Every problem is collected, so
// the user sees them all at once.

#include <array>
#include <charconv>
#include <cmath>

#include "cfn/java_regex.hpp"
#include "cfn/parameter_validator.hpp"
#include "cfn/template_extensions.hpp"
#include "cfn/template.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"

namespace stackshift::cfn {

namespace {

const std::vector<std::string>& section_names() {
    static const std::vector<std::string> names{"AWSTemplateFormatVersion", "Description", "Metadata",
                                                "Parameters", "Rules", "Mappings", "Conditions",
                                                "Transform", "Resources", "Outputs", "Hooks"};
    return names;
}

const std::vector<std::string>& resource_attributes() {
    static const std::vector<std::string> names{"Type", "Properties", "Condition", "DependsOn",
                                                "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
                                                "CreationPolicy", "UpdatePolicy", "Version"};
    return names;
}

const std::vector<std::string>& parameter_attributes() {
    static const std::vector<std::string> names{"Type", "Default", "AllowedValues", "AllowedPattern",
                                                "MinLength", "MaxLength", "MinValue", "MaxValue",
                                                "NoEcho", "Description", "ConstraintDescription"};
    return names;
}

const std::vector<std::string>& output_attributes() {
    static const std::vector<std::string> names{"Value", "Export", "Condition", "Description"};
    return names;
}

const std::vector<std::string>& deletion_policies() {
    static const std::vector<std::string> names{"Delete", "Retain", "RetainExceptOnCreate", "Snapshot"};
    return names;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
    for (const auto& n : names) {
        if (n == name) return true;
    }
    return false;
}

class TemplateChecker {
public:
    TemplateChecker(Template& t) : m_template(t), m_extensions(t, m_diagnostics) {}

    Diagnostics check() {
        const Value& root = m_template.document;
        if (!root.is_map()) {
            error(root.position(), "a template must be a mapping of sections, found a " +
                                       std::string(kind_name(root.kind())));
            return std::move(m_diagnostics);
        }
        // The transforms first: what they allow shapes every other check.
        m_extensions.read_transforms(root.find("Transform"));
        for (const auto& section : root.members()) {
            if (!contains(section_names(), section.key) && !m_extensions.take_section(section)) {
                error(section.key_position, "unknown template section '" + section.key + "'" +
                                                did_you_mean(section.key, section_names()) +
                                                "; sections are " + join(section_names(), ", ") +
                                                m_extensions.section_hint(section.key));
            }
        }
        read_header(root);
        if (const Value* parameters = section(root, "Parameters")) read_parameters(*parameters);
        m_template.mappings = section(root, "Mappings");
        if (m_template.mappings) check_mappings(*m_template.mappings);
        m_template.conditions = section(root, "Conditions");
        if (m_template.conditions) {
            for (const auto& condition : m_template.conditions->members()) m_extensions.take_condition(condition);
        }
        m_template.rules = section(root, "Rules");
        const Value* resources = section(root, "Resources");
        if (resources == nullptr && m_extensions.strict()) {
            error(root.position(), "the template has no Resources section; CloudFormation requires at least one resource: add one, "
                                   "e.g. 'Resources: {Placeholder: {Type: AWS::CloudFormation::WaitConditionHandle}}'");
        } else {
            read_resources(*resources);
        }
        if (const Value* outputs = section(root, "Outputs")) read_outputs(*outputs);
        m_extensions.check_functions(root);
        return std::move(m_diagnostics);
    }

private:
    void error(Position at, std::string message) {
        m_diagnostics.push_back(Diagnostic{m_template.file, at, std::move(message)});
    }

    const Value* section(const Value& root, std::string_view name) {
        const Value* v = root.find(name);
        if (v == nullptr) return nullptr;
        bool needs_map = name != "AWSTemplateFormatVersion" && name != "Description" && name != "Transform";
        if (needs_map && !v->is_map()) {
            error(v->position(), "section " + std::string(name) + " must be a mapping, found a " +
                                     std::string(kind_name(v->kind())));
            return nullptr;
        }
        return v;
    }

    void read_header(const Value& root) {
        if (const Value* v = root.find("AWSTemplateFormatVersion")) {
            if (!v->is_scalar() || (v->text() != "2010-09-09")) {
                error(v->position(), "AWSTemplateFormatVersion must be '2010-09-09', found " + quote(v->is_scalar() ? v->text() : v->to_display()));
            }
            m_template.format_version = v->text();
        }
        if (const Value* v = root.find("Description")) {
            if (!v->is_scalar()) error(v->position(), "Description must be a string");
            m_template.description = v->text();
        }
        m_template.metadata = root.find("Metadata");
        m_template.transform = root.find("Transform");
    }

    std::optional<std::string> string_field(const Value& map, std::string_view key, std::string_view owner) {
        const Value* v = map.find(key);
        if (v == nullptr) return std::nullopt;
        if (!v->is_scalar() || v->is_null()) {
            error(v->position(), std::string(owner) + ": " + std::string(key) + " must be a string, found a " +
                                     std::string(kind_name(v->kind())));
            return std::nullopt;
        }
        return v->text();
    }

    template <class Number>
    std::optional<Number> number_field(const Value& map, std::string_view key, std::string_view owner) {
        const Value* v = map.find(key);
        if (v == nullptr) return std::nullopt;
        Number out{};
        const std::string& text = v->text();
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        if (!v->is_scalar() || ec != std::errc() || ptr != text.data() + text.size()) {
            error(v->position(), std::string(owner) + ": " + std::string(key) + " must be a " +
                                     (std::is_integral_v<Number> ? "whole number" : "number") + ", found " +
                                     quote(v->to_display()));
            return std::nullopt;
        }
        return out;
    }

    void read_parameters(const Value& parameters) {
        for (const auto& member : parameters.members()) {
            Parameter p;
            p.name = member.key;
            p.position = member.key_position;
            std::string owner = "parameter " + p.name;
            const Value& body = member.value;
            if (!body.is_map()) {
                error(body.position(), owner + " must be a mapping with at least a Type");
                continue;
            }
            for (const auto& attribute : body.members()) {
                if (!contains(parameter_attributes(), attribute.key) && !m_extensions.take_attribute("Parameters", p.name, attribute)) {
                    error(attribute.key_position, owner + ": unknown attribute '" + attribute.key + "'" +
                                                      did_you_mean(attribute.key, parameter_attributes()));
                }
            }
            if (auto type = string_field(body, "Type", owner)) {
                p.type = *type;
                if (!parse_parameter_type(p.type).valid) {
                    auto types = known_parameter_types();
                    error(body.find("Type")->position(), owner + ": unknown parameter type " + quote(p.type) +
                                                             did_you_mean(p.type, types));
                }
            } else if (body.find("Type") == nullptr) {
                error(member.key_position, owner + " has no Type; add e.g. 'Type: String'");
            }
            if (const Value* d = body.find("Default")) {
                if (d->is_list()) {
                    std::string joined;
                    for (const auto& item : d->items()) joined += (joined.empty() ? "" : ",") + item.text();
                    p.default_value = joined;
                } else if (d->is_scalar()) {
                    p.default_value = d->text();
                } else {
                    error(d->position(), owner + ": Default must be a string or a number");
                }
            }
            if (const Value* allowed = body.find("AllowedValues")) {
                if (!allowed->is_list()) {
                    error(allowed->position(), owner + ": AllowedValues must be a list");
                } else {
                    for (const auto& item : allowed->items()) p.allowed_values.push_back(item.text());
                }
            }
            p.allowed_pattern = string_field(body, "AllowedPattern", owner);
            if (p.allowed_pattern && java_regex(*p.allowed_pattern).status() == PatternStatus::invalid) {
                error(body.find("AllowedPattern")->position(),
                      owner + ": AllowedPattern " + quote(*p.allowed_pattern) + " is not a valid regular expression: " +
                          java_regex(*p.allowed_pattern).problem() +
                          " (CloudFormation reads it as a Java regular expression; escape a literal with '\\')");
            }
            p.min_length = number_field<std::uint64_t>(body, "MinLength", owner);
            p.max_length = number_field<std::uint64_t>(body, "MaxLength", owner);
            p.min_value = number_field<double>(body, "MinValue", owner);
            p.max_value = number_field<double>(body, "MaxValue", owner);
            if (const Value* no_echo = body.find("NoEcho")) p.no_echo = no_echo->text() == "true";
            p.description = string_field(body, "Description", owner).value_or("");
            p.constraint_description = string_field(body, "ConstraintDescription", owner).value_or("");
            m_template.parameters.push_back(std::move(p));
        }
    }

    void check_mappings(const Value& mappings) {
        for (const auto& mapping : mappings.members()) {
            if (!mapping.value.is_map()) {
                error(mapping.value.position(), "mapping " + mapping.key + " must be a mapping of keys to mappings");
                continue;
            }
            for (const auto& top : mapping.value.members()) {
                if (!top.value.is_map()) {
                    error(top.value.position(), "mapping " + mapping.key + "." + top.key +
                                                    " must be a mapping of second-level keys to values");
                }
            }
        }
    }

    void read_resources(const Value& resources) {
        if (resources.members().empty() && m_extensions.strict()) {
            error(resources.position(), "the Resources section is empty ('{}'); CloudFormation requires at least one resource: "
                                        "declare one, e.g. 'Placeholder: {Type: AWS::CloudFormation::WaitConditionHandle}'");
        }
        for (const auto& member : resources.members()) {
            if (m_extensions.take_resource(member)) continue;
            Resource r;
            r.logical_id = member.key;
            r.position = member.key_position;
            r.node = &member.value;
            std::string owner = "resource " + r.logical_id;
            if (!is_alphanumeric(r.logical_id)) {
                error(member.key_position, owner + ": a logical id must be alphanumeric (A-Za-z0-9)");
            }
            const Value& body = member.value;
            if (!body.is_map()) {
                error(body.position(), owner + " must be a mapping with at least a Type");
                continue;
            }
            for (const auto& attribute : body.members()) {
                if (!contains(resource_attributes(), attribute.key) && !m_extensions.take_resource_attribute(r.logical_id, attribute)) {
                    error(attribute.key_position, owner + ": unknown resource attribute '" + attribute.key + "'" +
                                                      did_you_mean(attribute.key, resource_attributes()));
                }
            }
            if (auto type = string_field(body, "Type", owner)) {
                r.type = *type;
                m_extensions.check_resource_type(r.logical_id, *body.find("Type"));
            } else if (body.find("Type") == nullptr) {
                error(member.key_position, owner + " has no Type");
            }
            if (const Value* properties = body.find("Properties")) {
                if (properties->is_map()) {
                    r.properties = properties;
                } else if (!properties->is_null()) {
                    error(properties->position(), owner + ": Properties must be a mapping");
                }
            }
            r.condition = string_field(body, "Condition", owner).value_or("");
            read_depends_on(body, owner, r);
            r.deletion_policy = policy(body, "DeletionPolicy", owner);
            r.update_replace_policy = policy(body, "UpdateReplacePolicy", owner);
            r.metadata = body.find("Metadata");
            m_template.resources.push_back(std::move(r));
        }
    }

    void read_depends_on(const Value& body, const std::string& owner, Resource& r) {
        const Value* depends = body.find("DependsOn");
        if (depends == nullptr) return;
        if (depends->is_string()) {
            r.depends_on.push_back(depends->text());
        } else if (depends->is_list()) {
            for (const auto& item : depends->items()) {
                if (item.is_string()) r.depends_on.push_back(item.text());
                else error(item.position(), owner + ": DependsOn must list logical ids");
            }
        } else {
            error(depends->position(), owner + ": DependsOn must be a logical id or a list of them");
        }
    }

    std::string policy(const Value& body, std::string_view key, const std::string& owner) {
        const Value* v = body.find(key);
        if (v == nullptr) return {};
        if (!v->function_name().empty()) {
            // Decided at deploy time (AWS::LanguageExtensions); the branches of a Fn::If written
            // as text must still be policies.
            if (v->function_name() == "Fn::If" && v->function_argument().is_list() && v->function_argument().size() == 3) {
                for (std::size_t i = 1; i < 3; ++i) {
                    const Value& branch = v->function_argument().items()[i];
                    if (branch.is_string() && !contains(deletion_policies(), branch.text())) {
                        error(branch.position(), owner + ": " + std::string(key) + " must be one of " + join(deletion_policies(), ", ") +
                                                     ", found " + quote(branch.text()) + " in its Fn::If");
                    }
                }
            }
            return v->to_display();
        }
        if (!v->is_string() || !contains(deletion_policies(), v->text())) {
            error(v->position(), owner + ": " + std::string(key) + " must be one of " + join(deletion_policies(), ", ") +
                                     ", found " + quote(v->is_scalar() ? v->text() : v->to_display()));
            return {};
        }
        return v->text();
    }

    void read_outputs(const Value& outputs) {
        for (const auto& member : outputs.members()) {
            if (m_extensions.take_output(member)) continue;
            Output o;
            o.name = member.key;
            o.position = member.key_position;
            std::string owner = "output " + o.name;
            const Value& body = member.value;
            if (!body.is_map()) {
                error(body.position(), owner + " must be a mapping with at least a Value");
                continue;
            }
            for (const auto& attribute : body.members()) {
                if (!contains(output_attributes(), attribute.key) && !m_extensions.take_attribute("Outputs", o.name, attribute)) {
                    error(attribute.key_position, owner + ": unknown output attribute '" + attribute.key + "'" +
                                                      did_you_mean(attribute.key, output_attributes()));
                }
            }
            o.value = body.find("Value");
            if (o.value == nullptr) error(member.key_position, owner + " has no Value");
            if (const Value* exported = body.find("Export")) {
                o.export_name = exported->is_map() ? exported->find("Name") : nullptr;
                if (o.export_name == nullptr) error(exported->position(), owner + ": Export must be a mapping with a Name");
            }
            o.condition = string_field(body, "Condition", owner).value_or("");
            o.description = string_field(body, "Description", owner).value_or("");
            m_template.outputs.push_back(std::move(o));
        }
    }

    Template& m_template;
    Diagnostics m_diagnostics;
    ExtensionChecker m_extensions;
};

bool has_extension(std::string_view path, std::string_view extension) {
    return path.size() >= extension.size() && path.substr(path.size() - extension.size()) == extension;
}

}  // namespace

const Parameter* Template::parameter(std::string_view name) const {
    for (const auto& p : parameters) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

const Resource* Template::resource(std::string_view logical_id) const {
    for (const auto& r : resources) {
        if (r.logical_id == logical_id) return &r;
    }
    return nullptr;
}

const Output* Template::output(std::string_view name) const {
    for (const auto& o : outputs) {
        if (o.name == name) return &o;
    }
    return nullptr;
}

const Value* Template::condition(std::string_view name) const {
    return conditions ? conditions->find(name) : nullptr;
}

Result<Template> parse_template(std::string_view text, const std::string& file) {
    if (text.size() > max_template_bytes) {
        return fail(file, {}, "the template is " + std::to_string(text.size()) +
                                  " bytes, over CloudFormation's limit of 1 MB (" +
                                  std::to_string(max_template_bytes) + " bytes); split it into nested stacks");
    }
    Format format = has_extension(file, ".json") ? Format::json : detect_format(text);
    auto document = parse_document(text, file, format);
    if (!document) return std::move(document).failure();
    Template t;
    t.file = file;
    t.document = std::move(document).value();
    Diagnostics problems = TemplateChecker(t).check();
    if (!problems.empty()) return Failure{std::move(problems)};
    return t;
}

Result<Template> load_template(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    return parse_template(*text, path);
}

}  // namespace stackshift::cfn
