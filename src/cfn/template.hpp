#pragma once
// Template: a loaded CloudFormation template, its sections picked out of the document.
// Section pointers point into `document`, so a Template is moved, never copied.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "doc/document.hpp"
#include "doc/value.hpp"

namespace stackshift::cfn {

// The document tree and its reading are doc's (below cfn, beside profile); the engine names
// them as its own, so the layers above cfn say cfn::Value for a template's nodes.
using doc::detect_format;
using doc::first_difference;
using doc::Format;
using doc::Kind;
using doc::kind_name;
using doc::Member;
using doc::parse_document;
using doc::Value;

// A template parameter with every constraint CloudFormation knows.
struct Parameter {
    std::string name;
    Position position;
    std::string type;
    std::optional<std::string> default_value;  // list defaults are joined with commas
    std::vector<std::string> allowed_values;
    std::optional<std::string> allowed_pattern;
    std::optional<std::uint64_t> min_length;
    std::optional<std::uint64_t> max_length;
    std::optional<double> min_value;
    std::optional<double> max_value;
    bool no_echo = false;
    std::string description;
    std::string constraint_description;
};

struct Resource {
    std::string logical_id;
    Position position;
    std::string type;
    const Value* node = nullptr;        // the whole resource map
    const Value* properties = nullptr;  // may be null: a resource without properties
    std::string condition;
    std::vector<std::string> depends_on;
    std::string deletion_policy;
    std::string update_replace_policy;
    const Value* metadata = nullptr;
};

struct Output {
    std::string name;
    Position position;
    const Value* value = nullptr;
    const Value* export_name = nullptr;  // Export.Name, may be an expression
    std::string condition;
    std::string description;
};

// A part of the template the engine does not interpret, kept as written: SAM's Globals, a
// Fn::ForEach loop, a Fn::Transform, or what only a declared macro understands. The diff
// compares these as written (transform_note in transforms.hpp), so no change goes unseen.
struct KeptAsWritten {
    std::string path;  // "Globals", "Resources.Fn::ForEach::Buckets", "Resources.Fn.IgnoreGlobals"
    Position position;
    const Value* value = nullptr;
    std::string reason;  // "SAM's Globals section", "a Fn::ForEach loop (AWS::LanguageExtensions)"
};

class Template {
public:
    Template() = default;
    Template(Template&&) = default;
    Template& operator=(Template&&) = default;
    Template(const Template&) = delete;
    Template& operator=(const Template&) = delete;

    std::string file;
    Value document;
    std::string format_version;
    std::string description;
    const Value* metadata = nullptr;
    const Value* rules = nullptr;
    const Value* mappings = nullptr;
    const Value* conditions = nullptr;
    const Value* transform = nullptr;
    std::vector<Parameter> parameters;
    std::vector<Resource> resources;
    std::vector<Output> outputs;
    // The Transform section's names in order: AWS's own (AWS::Serverless-2016-10-31, ...) and macros.
    std::vector<std::string> transforms;
    std::vector<KeptAsWritten> kept_as_written;

    const Parameter* parameter(std::string_view name) const;
    const Resource* resource(std::string_view logical_id) const;
    const Output* output(std::string_view name) const;
    // The condition's expression, or nullptr.
    const Value* condition(std::string_view name) const;
};

// CloudFormation refuses template bodies over 1 MB (the S3 limit); so do we.
inline constexpr std::size_t max_template_bytes = 1024 * 1024;

// Parses and checks a template's structure; all problems are reported at once.
Result<Template> parse_template(std::string_view text, const std::string& file);

// Reads and parses a template file.
Result<Template> load_template(const std::string& path);

}  // namespace stackshift::cfn
