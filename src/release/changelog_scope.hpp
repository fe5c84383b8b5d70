#pragma once
// The section of the changelog whose entries the sentence recognizers read. Its own file because
// both sides need it: changelog_sentences, which drives the recognizers, and the recognizers'
// shared header, which changelog_sentences includes.

#include <optional>
#include <string>

#include "release/changelog.hpp"

namespace stackshift::release::changelog_detail {

// The section whose entries are read, and where their facts go.
struct SectionScope {
    Changelog* out = nullptr;
    std::optional<Version> version;
    std::string scope;          // the template id, the other section's title, or "" for a version's own bullets
    std::string this_template;  // what "this template" refers to; empty outside template sections
    bool report_unrecognized = true;  // false when a shared heading is read again for its next template
};

}  // namespace stackshift::release::changelog_detail
