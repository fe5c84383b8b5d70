#pragma once
// The transforms a template declares, and what a diff must say about them. stackshift compares
// templates as written, before any transform runs: SAM's resources are not expanded, Fn::ForEach
// loops not unrolled, macros not called. The note says so, and lists what the engine kept as
// written (Template::kept_as_written) and found changed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/template.hpp"

namespace stackshift::cfn {

inline constexpr std::string_view serverless_transform = "AWS::Serverless-2016-10-31";
inline constexpr std::string_view language_extensions_transform = "AWS::LanguageExtensions";

enum class TransformKind : std::uint8_t {
    serverless,           // AWS::Serverless-2016-10-31 (SAM)
    language_extensions,  // AWS::LanguageExtensions
    aws,                  // AWS's other transforms: AWS::Include, AWS::CodeDeployBlueGreen, AWS::SecretsManager-...
    macro,                // a macro defined in the account: only it knows its syntax
};

TransformKind transform_kind(std::string_view name);

bool declares(const Template& t, TransformKind kind);

// The first macro the template declares, or empty.
std::string first_macro(const Template& t);

enum class WrittenChange : std::uint8_t { added, removed, changed };

std::string_view written_change_name(WrittenChange change);  // "added", "removed", "changed"

struct WrittenDiff {
    std::string path;
    WrittenChange change = WrittenChange::changed;
    std::string reason;
};

// Present when either template declares a transform or holds parts kept as written.
struct TransformNote {
    std::vector<std::string> old_transforms;
    std::vector<std::string> new_transforms;
    std::vector<WrittenDiff> kept_as_written;  // only those that differ
    std::string text;  // one sentence for the human renderings
};

std::optional<TransformNote> transform_note(const Template& old_template, const Template& new_template);

}  // namespace stackshift::cfn
