#pragma once
// The resource spec: which property changes replace a CloudFormation resource. The table is
// generated from the npm package @aws-cdk/aws-service-spec by tools/gen_resource_spec.py into
// data/resource_spec.inc and compiled in, so lookups cost a binary search over static arrays:
// nothing is parsed at startup and nothing is allocated per lookup.

#include <cstdint>
#include <span>
#include <string_view>

#include "cfn/stateful_types.hpp"  // the diff asks both questions of every resource

namespace stackshift::cfn {

// What changing a property does to the resource that holds it, as CloudFormation documents it:
// `never` updates in place (with or without interruption), `always` creates a new physical
// resource and deletes the old one, `maybe` replaces depending on the values (the reference
// says "Update requires: Replacement" only in some cases).
enum class Replacement : std::uint8_t { never, maybe, always };

std::string_view replacement_name(Replacement replacement);  // "never", "maybe", "always"

// The package and version the table came from: "@aws-cdk/aws-service-spec 0.1.216".
std::string_view spec_source();

bool spec_knows_type(std::string_view resource_type);

// Whether the type has this top-level property at all.
bool spec_has_property(std::string_view resource_type, std::string_view property);

// Whether changing the property at `path` replaces the resource. `path` runs from Properties
// down as property names with list indexes left out, e.g. {"BlockDeviceMappings", "Ebs",
// "VolumeSize"}. Map keys may be left in or out: below a free-form map the walk stops anyway,
// and below a map of a type definition a segment that names no property is taken as the key.
//
// The answer is the strongest code along the path: the top-level property's, raised by any
// nested property the spec marks (`Ebs.KmsKeyId` of an instance's block device mapping is
// `always` under a `maybe` property). A nested mark never lowers a top-level `always`: a
// replacing top-level property replaces whatever changes inside it, and nested marks of a
// type definition shared by several properties describe the other uses. The walk stops at the
// first segment the spec does not describe (free-form JSON, tags, unknown names).
//
// An unknown type, or an unknown top-level property of a known type, gives `never`, as in
// `cdk diff` (@aws-cdk/cloudformation-diff), which predicts replacement only from the spec's
// causesReplacement. Callers that want to say so can ask spec_knows_type/spec_has_property.
Replacement property_replacement(std::string_view resource_type,
                                 std::span<const std::string_view> path);

// Checks the compiled-in table: sorted without duplicates as binary search needs, every row
// of a known type, every nested link resolving. The table is generated, so this fails only
// after a hand edit or a generator bug; the tests call it.
bool spec_table_is_consistent();

}  // namespace stackshift::cfn
