// Reads the template changelog: walks the Markdown blocks into version sections and their
// template, procedure and other sections, keeps numbered lists as procedures, finds the
// spellings of one template, and hands every section to the sentence recognizers.

#include <algorithm>
#include <map>
#include <set>

#include "core/template_id.hpp"
#include "core/text.hpp"
#include "release/changelog.hpp"
#include "release/changelog_sentences.hpp"
#include "release/changelog_words.hpp"
#include "release/markdown.hpp"

namespace stackshift::release {

namespace {

using namespace changelog_detail;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A heading that tries to be a version ("3.15", "v3.x") but is none.
bool looks_like_version(std::string_view text) {
    if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
    return !text.empty() && is_digit(text.front()) && text.find('.') != std::string_view::npos &&
           text.find('-') == std::string_view::npos;
}

bool is_procedure_title(std::string_view title) {
    std::string lower = to_lower(title);
    return (lower.starts_with("upgrade") || lower.starts_with("upgrading") || lower.starts_with("update")) &&
           (lower.find("procedure") != std::string::npos || lower.find("steps") != std::string::npos);
}

std::string without_backticks(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c != '`') out += c;
    }
    return std::string(trim(out));
}

Section make_section(const Block& heading) {
    Section section;
    section.title = without_backticks(heading.text);
    section.line = heading.line;
    for (const auto& token : tokenize(heading.text)) {
        if ((token.kind == TokenKind::code || token.kind == TokenKind::word) && is_template_name(token.text) &&
            std::find(section.templates.begin(), section.templates.end(), token.text) == section.templates.end()) {
            section.templates.push_back(token.text);
        }
    }
    if (is_procedure_title(section.title)) section.kind = SectionKind::procedure;
    else if (!section.templates.empty()) section.kind = SectionKind::templates;
    return section;
}

std::optional<Entry> entry_of(const Block& block) {
    switch (block.kind) {
    case BlockKind::list_item: return Entry{block.text, block.line, block.level, block.ordered, block.number};
    case BlockKind::paragraph:
    case BlockKind::quote_paragraph:
    case BlockKind::table_row: return Entry{block.text, block.line, block.level, false, 0};
    default: return std::nullopt;  // code, HTML: not prose
    }
}

// Whether a bullet that introduces a numbered list says the steps are for a case only.
bool introduces_a_case(std::string_view title) {
    std::string lower = to_lower(title);
    for (std::string_view cue : {"if you", "in order to", "if needed", "optional", "when you want", "should you"}) {
        if (lower.find(cue) != std::string::npos) return false;
    }
    return true;
}

ProcedureStep step_of(const Entry& entry) {
    return ProcedureStep{entry.text, entry.line, entry.depth, entry.number};
}

// Numbered lists in a section become procedures: the steps, what stands under them, and the
// bullet that introduced them as their title.
void collect_numbered_lists(const std::vector<Entry>& entries, const std::string& scope, const Origin& version,
                            Changelog& out) {
    for (std::size_t i = 0; i < entries.size();) {
        if (!entries[i].ordered) {
            ++i;
            continue;
        }
        Procedure procedure;
        procedure.scope = scope;
        procedure.origin = {version.version, entries[i].line};
        int depth = entries[i].depth;
        for (std::size_t k = i; k-- > 0;) {
            if (entries[k].depth < depth || (depth <= 1 && entries[k].depth == 0)) {
                procedure.title = entries[k].text;
                procedure.required = introduces_a_case(entries[k].text);
                break;
            }
        }
        int base = depth;
        for (; i < entries.size() && (entries[i].depth > base || (entries[i].depth == base && entries[i].ordered)); ++i) {
            ProcedureStep step = step_of(entries[i]);
            step.depth = entries[i].depth - base + 1;
            procedure.steps.push_back(std::move(step));
        }
        out.procedures.push_back(std::move(procedure));
    }
}

// A version's "Upgrade procedure" section: every item is a step, in order.
void collect_procedure_section(const Section& section, const Origin& version, Changelog& out) {
    Procedure procedure;
    procedure.title = section.title;
    procedure.origin = {version.version, section.line};
    int base = 1 << 20;
    for (const auto& entry : section.entries) base = std::min(base, std::max(entry.depth, 1));
    for (const auto& entry : section.entries) {
        ProcedureStep step = step_of(entry);
        step.depth = std::max(entry.depth, 1) - base + 1;
        procedure.steps.push_back(std::move(step));
    }
    if (!procedure.steps.empty()) out.procedures.push_back(std::move(procedure));
}

// Spellings of one template: same number and letter, and the words of one (plural or not)
// all among the other's. The spelling the file uses most is what the others mean.
void find_aliases(Changelog& out) {
    struct Spelling {
        std::string id;
        int count = 0;
        int first_line = 0;
    };
    std::map<std::string, Spelling> spellings;
    for (const auto& version : out.versions) {
        for (const auto& section : version.sections) {
            for (const auto& id : section.templates) {
                auto& s = spellings[id];
                if (s.count++ == 0) s = {id, 1, section.line};
            }
        }
    }
    auto words = [](const TemplateId& id) {
        std::set<std::string> found;
        std::size_t start = 0;
        while (start <= id.name.size()) {
            std::size_t end = std::min(id.name.find('-', start), id.name.size());
            std::string word = id.name.substr(start, end - start);
            if (word.size() > 1 && word.back() == 's') word.pop_back();
            if (!word.empty()) found.insert(word);
            start = end + 1;
        }
        return found;
    };
    for (const auto& [a, sa] : spellings) {
        auto ia = TemplateId::parse(a);
        const Spelling* best = nullptr;
        for (const auto& [b, sb] : spellings) {
            auto ib = TemplateId::parse(b);
            if (a == b || !ia || !ib || ia->major != ib->major || ia->minor != ib->minor || ia->letter != ib->letter) continue;
            auto wa = words(*ia);
            auto wb = words(*ib);
            bool related = std::includes(wa.begin(), wa.end(), wb.begin(), wb.end()) ||
                           std::includes(wb.begin(), wb.end(), wa.begin(), wa.end());
            bool more_used = sb.count > sa.count || (sb.count == sa.count && sb.first_line < sa.first_line);
            if (related && more_used && (!best || sb.count > best->count)) best = &sb;
        }
        if (best) out.aliases.push_back({a, best->id, sa.first_line});
    }
    // An alias of an alias means what the latter means.
    for (auto& alias : out.aliases) {
        for (std::size_t hops = 0; hops < out.aliases.size(); ++hops) {
            auto next = std::find_if(out.aliases.begin(), out.aliases.end(),
                                     [&](const TemplateAlias& a) { return a.written == alias.means; });
            if (next == out.aliases.end() || next->means == alias.written) break;
            alias.means = next->means;
        }
    }
}

// Runs the recognizers over every section of every version.
void analyze(Changelog& out) {
    for (const auto& version : out.versions) {
        Origin at{version.version, version.line};
        changelog_detail::analyze_entries(version.general, {&out, version.version, "", "", true});
        collect_numbered_lists(version.general, "", at, out);
        for (const auto& section : version.sections) {
            if (section.kind == SectionKind::procedure) {
                collect_procedure_section(section, at, out);
                continue;
            }
            if (section.kind == SectionKind::other) {
                changelog_detail::analyze_entries(section.entries, {&out, version.version, section.title, "", true});
                collect_numbered_lists(section.entries, section.title, at, out);
                continue;
            }
            bool first = true;
            for (const auto& id : section.templates) {
                changelog_detail::analyze_entries(section.entries, {&out, version.version, id, id, first});
                first = false;
            }
            collect_numbered_lists(section.entries, section.templates.front(), at, out);
        }
    }
}

}  // namespace

Result<Changelog> read_changelog(std::string_view markdown, const std::string& file) {
    if (auto bad = first_invalid_utf8(markdown)) {
        return fail(file, *bad, "the changelog is not UTF-8 text; expected a Markdown file");
    }
    Changelog out;
    out.file = file;
    Diagnostics problems;
    VersionSection* version = nullptr;
    Section* section = nullptr;

    // Walk: level-2 headings open versions, deeper headings (and level-2 headings that are
    // no version, which the file also uses for sections) open sections.
    for (const Block& block : parse_markdown(markdown)) {
        if (block.kind == BlockKind::heading) {
            std::string text = without_backticks(block.text);
            if (block.level == 1) continue;
            if (block.level == 2) {
                auto parsed = Version::parse(text);
                if (parsed || to_lower(text) == "unreleased") {
                    out.versions.push_back({parsed ? text : "Unreleased", parsed, block.line, {}, {}});
                    if (parsed) out.versions.back().label = parsed->to_string();
                    version = &out.versions.back();
                    section = nullptr;
                    continue;
                }
                if (looks_like_version(text)) {
                    problems.push_back({file, {static_cast<std::uint32_t>(block.line), 1},
                                        "version heading " + quote(text) +
                                            " is not a version; expected MAJOR.MINOR.PATCH such as 3.15.0, or 'Unreleased'"});
                    version = nullptr;
                    section = nullptr;
                    continue;
                }
            }
            if (!version) continue;  // the introduction
            version->sections.push_back(make_section(block));
            section = &version->sections.back();
            continue;
        }
        if (!version) continue;
        auto entry = entry_of(block);
        if (!entry || trim(entry->text).empty()) continue;
        (section ? section->entries : version->general).push_back(std::move(*entry));
    }
    if (out.versions.empty() && problems.empty()) {
        problems.push_back({file, {}, "no version section found; expected headings such as '## 3.15.0' or '## Unreleased'"});
    }
    if (!problems.empty()) return Failure{std::move(problems)};

    // Understand: spellings first, so that the recognizers' facts can be compared by name.
    find_aliases(out);
    analyze(out);
    return out;
}

}  // namespace stackshift::release
