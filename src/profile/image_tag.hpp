#pragma once
// Docker image references and how their tags follow a release: the version part of the tag
// moves, the rest (the suffix) stays: "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws"
// becomes "...:3.15.2-aws".

#include <optional>
#include <string>
#include <string_view>

#include "core/version.hpp"

namespace stackshift::profile {

struct ImageReference {
    std::string repository;  // "docker.io/thethingsindustries/lorawan-stack"
    std::string tag;         // "3.14.2-aws"; empty when the reference has none
    std::string digest;      // "sha256:..." when pinned by digest
    std::optional<Version> version;  // the version at the start of the tag
    std::string suffix;      // what follows the version in the tag: "-aws"

    static std::optional<ImageReference> parse(std::string_view text);
    std::string to_string() const;
};

// The image moved to the target version, suffix kept; nullopt when the tag holds no version
// to move (a digest, "latest", a branch name): the plan then asks the operator.
std::optional<std::string> retag_image(std::string_view image, const Version& target);

}  // namespace stackshift::profile
