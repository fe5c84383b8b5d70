// The release-notes reader: Markdown blocks in, per-release facts out. The sentences are
// classified by notes_sentences.cpp; this file knows the two layouts (a folder of
// `<version>.md` files, one keep-a-changelog file) and what a block's place means.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <span>

#include "core/file_io.hpp"
#include "core/text.hpp"
#include "release/markdown.hpp"
#include "release/notes_sentences.hpp"
#include "release/notes_text.hpp"
#include "release/release_notes.hpp"

namespace stackshift::release {

namespace {

namespace fs = std::filesystem;
using namespace notes_detail;

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

NoteSection section_of(std::string_view heading) {
    std::string lower(heading);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("removed") != std::string::npos ? NoteSection::removed : NoteSection::other;
}

void record(ReleaseNote& note, const std::vector<Finding>& findings, const NoteSource& source) {
    for (const auto& f : findings) {
        switch (f.kind) {
        case FindingKind::migrate:
            note.migrations.push_back({f.database, f.command, f.conditional, f.sentence, source});
            break;
        case FindingKind::init:
            note.inits.push_back({f.database, f.command, f.conditional, f.sentence, source});
            break;
        case FindingKind::waypoint:
            note.waypoints.push_back({*f.version, f.database, f.command, f.sentence, source});
            break;
        case FindingKind::removed:
            note.removed.push_back({f.database, f.command, f.sentence, source});
            break;
        case FindingKind::mention:
            note.mentions.push_back({f.command, f.why, f.sentence, source});
            break;
        }
    }
}

// A code block after a lead-in ("Run the following command:") says what the lead-in says
// of each command line in it.
void read_code_block(ReleaseNote& note, const Block& block, const std::string& lead_in, NoteSection section,
                     const NoteSource& source) {
    std::size_t start = 0;
    while (start < block.text.size()) {
        auto end = block.text.find('\n', start);
        if (end == std::string::npos) end = block.text.size();
        std::string line = block.text.substr(start, end - start);
        start = end + 1;
        if (line.find("-db") == std::string::npos) continue;
        record(note, classify_sentence(lead_in + " `" + line + "`", section), source);
    }
}

// The last sentence of a block when it introduces what follows ("... and run:").
std::string lead_in_of(const std::string& text) {
    auto sentences = split_sentences(strip_shortcodes(text));
    if (sentences.empty() || !sentences.back().ends_with(':')) return "";
    return sentences.back();
}

// Why an item must be read before upgrading, or "" when it need not: everything under
// "Removed", and items that announce a break or ask for an action outside CloudFormation.
std::string read_reason(const std::string& text, NoteSection section) {
    if (section == NoteSection::removed) return "removed";
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view cue : {"breaking", "no longer supported", "not supported anymore", "you must",
                                 "needs to be set in configuration", "need to be set in configuration",
                                 "must be set in configuration", "must be configured", "needs to be configured"}) {
        if (lower.find(cue) != std::string::npos) return "says '" + std::string(cue) + "'";
    }
    return "";
}

// Work for an experimental feature ("Experimental version of the Network Operations Center",
// and the items under it) is only for the deployments that use that feature: conditional, with
// the feature's item in the sentence so that the planner can tell which feature it is.
void mark_experimental(std::vector<Finding>& findings, const std::string& text, const std::string& parent) {
    std::string lower = parent + " " + text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("experimental") == std::string::npos) return;
    for (auto& f : findings) {
        if (f.kind != FindingKind::migrate && f.kind != FindingKind::init) continue;
        f.conditional = true;
        if (!parent.empty()) f.sentence = strip_shortcodes(parent) + " " + f.sentence;
    }
}

void read_blocks(ReleaseNote& note, std::span<const Block> blocks, const std::string& file_name) {
    NoteSection section = NoteSection::other;
    std::string lead_in;
    std::string parent;  // the top-level list item the items under it belong to
    for (const auto& block : blocks) {
        NoteSource source{file_name, block.line};
        switch (block.kind) {
        case BlockKind::heading:
            section = section_of(block.text);
            lead_in.clear();
            break;
        case BlockKind::html:
            break;
        case BlockKind::code_block:
            if (!lead_in.empty()) read_code_block(note, block, lead_in, section, source);
            lead_in.clear();
            break;
        default: {
            bool nested = block.kind == BlockKind::list_item && block.level > 1;
            if (block.kind == BlockKind::list_item && !nested) parent = block.text;
            auto findings = classify_block(block.text, section);
            mark_experimental(findings, block.text, nested ? parent : std::string());
            record(note, findings, source);
            if (std::string why = read_reason(block.text, section); !why.empty())
                note.to_read.push_back({strip_shortcodes(block.text), why, source});
            lead_in = lead_in_of(block.text);
            break;
        }
        }
    }
}

Result<std::string> read_text(const std::string& path) {
    auto text = read_file(path);
    if (!text) return text;
    std::string content = std::move(text).value();
    if (content.starts_with(utf8_bom)) content.erase(0, utf8_bom.size());
    if (auto bad = first_invalid_utf8(content)) {
        return fail(path, *bad, "invalid UTF-8; release notes must be UTF-8 text (save the file as UTF-8)");
    }
    return content;
}

std::string expected_layout() {
    return "expected a folder of <version>.md files (such as 3.19.2.md) or a keep-a-changelog file "
           "with headings such as '## [3.19.2] - 2022-05-25'";
}

// Why a file of the folder is no release page, or "" when it is one.
std::string skip_reason(const fs::path& file) {
    if (file.filename() == "_index.md") return "skipped: _index.md is the section page of the notes, not a release";
    if (file.extension() != ".md") return "skipped: not a Markdown file; release notes are named <version>.md such as 3.19.2.md";
    if (!Version::parse(file.stem().string())) {
        return "skipped: the name is not a version; release notes are named <version>.md such as 3.19.2.md";
    }
    return "";
}

// The files of the folder, in name order; hidden files (".DS_Store", editor swap files) are
// not the user's and pass unmentioned.
std::vector<fs::path> folder_files(const std::string& path, std::error_code& ec) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file(ec) && !entry.path().filename().string().starts_with('.')) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

Result<ReleaseNotes> read_folder(const std::string& path) {
    ReleaseNotes notes;
    notes.path = path;
    Diagnostics problems;
    std::error_code ec;
    std::vector<fs::path> files = folder_files(path, ec);
    if (ec) return fail(path, {}, "cannot read the folder: " + ec.message());
    std::map<Version, std::string> file_of;
    for (const auto& file : files) {
        std::string name = file.filename().string();
        if (auto reason = skip_reason(file); !reason.empty()) {
            notes.warnings.push_back({file.string(), {}, reason});
            continue;
        }
        Version version = *Version::parse(file.stem().string());
        if (auto [it, added] = file_of.emplace(version, name); !added) {
            problems.push_back({file.string(), {}, "release " + version.to_string() + " is also in " + it->second + "; keep one file per version"});
            continue;
        }
        auto text = read_text(file.string());
        if (!text) {
            problems.insert(problems.end(), text.diagnostics().begin(), text.diagnostics().end());
            continue;
        }
        notes.releases.push_back(read_release_note(*text, version, name));
    }
    if (!problems.empty()) return Failure{problems};
    if (notes.releases.empty()) {
        std::vector<std::string> skipped;
        for (const auto& w : notes.warnings) skipped.push_back(fs::path(w.file).filename().string());
        std::string what = skipped.empty() ? "" : " (skipped " + join(skipped, ", ") + ")";
        return fail(path, {}, "no release notes in this folder" + what + "; " + expected_layout());
    }
    std::sort(notes.releases.begin(), notes.releases.end(),
              [](const ReleaseNote& a, const ReleaseNote& b) { return a.version < b.version; });
    return notes;
}

// The version a changelog heading stands for: "[3.15.0] - 2021-09-17", "3.15.0 - 2021-09-17"
// (cmark drops the brackets of a linked heading), "v3.15.0 (2021-09-17)".
std::optional<Version> heading_version(std::string_view text) {
    if (text.starts_with('[')) text.remove_prefix(1);
    auto end = text.find_first_of("] (");
    return Version::parse(text.substr(0, end));
}

}  // namespace

std::string NoteSource::to_string() const { return line > 0 ? file + ":" + std::to_string(line) : file; }

std::vector<Version> ReleaseNotes::versions() const {
    std::vector<Version> out;
    for (const auto& r : releases) out.push_back(r.version);
    return out;
}

ReleaseNote read_release_note(std::string_view markdown, const Version& version, const std::string& file_name) {
    ReleaseNote note;
    note.version = version;
    note.source = {file_name, 0};
    auto blocks = parse_markdown(markdown);
    read_blocks(note, blocks, file_name);
    return note;
}

Result<ReleaseNotes> read_changelog_notes(std::string_view markdown, const std::string& file_name) {
    ReleaseNotes notes;
    notes.path = file_name;
    auto blocks = parse_markdown(markdown);
    std::map<Version, int> heading_line;
    std::size_t i = 0;
    while (i < blocks.size()) {
        const Block& heading = blocks[i++];
        if (heading.kind != BlockKind::heading || heading.level > 2) continue;
        auto version = heading_version(heading.text);
        if (!version) continue;  // "[Unreleased]", "Changelog": not a release
        std::size_t end = i;
        while (end < blocks.size() && !(blocks[end].kind == BlockKind::heading && blocks[end].level <= 2)) ++end;
        if (auto [it, added] = heading_line.emplace(*version, heading.line); !added) {
            return fail(file_name, {static_cast<std::uint32_t>(heading.line), 1},
                        "release " + version->to_string() + " appears twice (first at line " +
                            std::to_string(it->second) + "); keep one section per release");
        }
        ReleaseNote note;
        note.version = *version;
        note.source = {file_name, heading.line};
        read_blocks(note, std::span<const Block>(blocks).subspan(i, end - i), file_name);
        notes.releases.push_back(std::move(note));
        i = end;
    }
    if (notes.releases.empty()) return fail(file_name, {}, "no release headings found; " + expected_layout());
    std::sort(notes.releases.begin(), notes.releases.end(),
              [](const ReleaseNote& a, const ReleaseNote& b) { return a.version < b.version; });
    return notes;
}

Result<ReleaseNotes> read_release_notes(const std::string& path) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (!fs::exists(status)) return fail(path, {}, "no such file or folder; " + expected_layout());
    if (fs::is_directory(status)) return read_folder(path);
    auto text = read_text(path);
    if (!text) return std::move(text).failure();
    std::string name = fs::path(path).filename().string();
    auto notes = read_changelog_notes(*text, name);
    if (!notes) {
        // Errors name the file as given, so the user finds it.
        Diagnostics problems = notes.diagnostics();
        for (auto& d : problems) d.file = path;
        return Failure{problems};
    }
    notes->path = path;
    return notes;
}

}  // namespace stackshift::release
