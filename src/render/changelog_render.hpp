#pragma once
// Renderers for the part of a template changelog an upgrade crosses: a terminal view for the
// operator (what gets renamed, which templates are new or gone, the procedures, and what the
// reader could not understand, loud, so that nobody misses it) and JSON as DESIGN.md fixes it.

#include <string>

#include "release/changelog.hpp"

namespace stackshift::render {

// What the renderers are given: the slice of the changelog, the range asked for, and the
// whole changelog for the names templates have in the target version.
struct ChangelogView {
    const release::Changelog& whole;
    const release::Changelog& slice;
    Version from;
    Version to;
};

std::string changelog_json(const ChangelogView& view);
std::string changelog_text(const ChangelogView& view, bool color);

}  // namespace stackshift::render
