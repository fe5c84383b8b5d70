#pragma once
// Versions of a product (MAJOR.MINOR.PATCH with an optional pre-release, as semver orders
// them) and the questions an upgrade asks of them: which releases lie after FROM up to and
// including TO, and which is the latest patch of a minor version.

#include <compare>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace stackshift {

struct Version {
    int major = 0;
    int minor = 0;
    int patch = 0;
    std::string pre_release;  // "rc1" of 3.15.0-rc1; empty for a release

    // "3.15.0", "v3.15.0", "3.15.0-rc.1". Returns nullopt for anything else.
    static std::optional<Version> parse(std::string_view text);

    std::string to_string() const;

    // Semver precedence: a pre-release comes before its release; pre-release identifiers
    // compare numerically when both are numbers, else as text.
    friend std::strong_ordering operator<=>(const Version& a, const Version& b);
    friend bool operator==(const Version& a, const Version& b) = default;

    bool same_minor(const Version& other) const { return major == other.major && minor == other.minor; }
};

// A version as given by a user: full ("3.24.2") or a minor one ("3.24", meaning its latest
// known patch).
struct VersionSpec {
    int major = 0;
    int minor = 0;
    std::optional<Version> exact;

    static std::optional<VersionSpec> parse(std::string_view text);
    std::string to_string() const;
};

// The latest known release (not pre-release) of the minor version, or nullopt.
std::optional<Version> latest_patch(int major, int minor, std::span<const Version> known);

// Resolves a spec against the known versions: an exact version must be known; a minor one
// becomes its latest patch. The error names the option and lists the known versions.
Result<Version> resolve_version(std::string_view text, std::string_view option, std::span<const Version> known);

// The releases after `from`, up to and including `to`, in order.
std::vector<Version> versions_in_range(const Version& from, const Version& to, std::span<const Version> known);

// Whether `v` lies after `from` and up to and including `to`.
bool in_range(const Version& v, const Version& from, const Version& to);

}  // namespace stackshift
