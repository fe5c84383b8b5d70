#pragma once
// The sentence recognizers of the changelog reader. Each bullet of a section is cut into
// sentences and clauses, and each clause is matched against phrasings, not exact strings:
// who is renamed to what (by the roles that "to", "from", "by", "formerly" give the names),
// which parameters are added or removed (the names bound to the noun "parameter"), which
// values map to which, which template is new, gone or to undeploy, and what the operator is
// told to do. A sentence nobody understood that names a template, a parameter or a removal
// is kept as unrecognized. changelog_reader.cpp walks the Markdown and calls this per section.

#include <vector>

#include "release/changelog.hpp"
#include "release/changelog_scope.hpp"

namespace stackshift::release::changelog_detail {

// Reads the entries of one section. Numbered items (and what stands under them) are procedure
// steps, kept by the reader as such, and are not read as sentences here.
void analyze_entries(const std::vector<Entry>& entries, const SectionScope& scope);

}  // namespace stackshift::release::changelog_detail
