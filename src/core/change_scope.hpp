#pragma once
// ChangeScope: the part of a resource a change touches, as CloudFormation names it in a change
// set (ResourceChange.Scope, ResourceTargetDefinition.Attribute). A resource whose only change
// is its Metadata (an AWS::CloudFormation::Init that reconfigures a machine), a policy or its
// Tags is still modified: CloudFormation updates it. A fact of AWS's answers that the template
// diff (cfn), the Cloud interface and both backends share, so it lives in core.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stackshift {

enum class ChangeScope : std::uint8_t {
    properties,
    metadata,
    creation_policy,
    update_policy,
    deletion_policy,
    update_replace_policy,
    tags,
};

// CloudFormation's word: "Properties", "Metadata", "CreationPolicy", "UpdatePolicy",
// "DeletionPolicy", "UpdateReplacePolicy", "Tags".
std::string_view change_scope_name(ChangeScope scope);

// The scope CloudFormation's word names, or nothing for a word it does not use.
std::optional<ChangeScope> change_scope_from_name(std::string_view name);

// A set of scopes, listed in the order of the enum (the order of AWS's API reference).
class ChangeScopes {
public:
    ChangeScopes() = default;
    ChangeScopes(std::initializer_list<ChangeScope> scopes) {
        for (auto s : scopes) add(s);
    }

    void add(ChangeScope scope) { m_bits = static_cast<std::uint8_t>(m_bits | bit(scope)); }
    void add(ChangeScopes other) { m_bits = static_cast<std::uint8_t>(m_bits | other.m_bits); }
    bool contains(ChangeScope scope) const { return (m_bits & bit(scope)) != 0; }
    bool empty() const { return m_bits == 0; }
    bool operator==(const ChangeScopes&) const = default;

    std::vector<ChangeScope> list() const;
    std::vector<std::string> names() const;  // {"Metadata", "Tags"}

private:
    static std::uint8_t bit(ChangeScope scope) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(scope)); }

    std::uint8_t m_bits = 0;
};

}  // namespace stackshift
