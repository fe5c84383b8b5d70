#pragma once
// Markdown for the release readers: cmark-gfm parses the text (CommonMark with GitHub's
// extensions), and this turns its tree into a flat list of blocks in document order, each with
// its line, its list nesting and its text with inline code kept in backticks. Readers walk
// the blocks; they never look at raw lines.

#include <string>
#include <string_view>
#include <vector>

namespace stackshift::release {

enum class BlockKind { heading, paragraph, list_item, code_block, html, quote_paragraph, table_row };

struct Block {
    BlockKind kind = BlockKind::paragraph;
    int level = 0;          // heading level (1 for "#"), or list depth (1 for a top-level item)
    bool ordered = false;   // a list item of a numbered list
    int number = 0;         // its number in a numbered list
    int line = 0;           // where the block starts, counting from 1 (front matter included)
    std::string text;       // inline text: code spans as `code`, links as their text, breaks as spaces
};

// Parses Markdown; YAML front matter ("---" ... "---" at the very start) is skipped but its
// lines still count, so that lines point into the real file.
std::vector<Block> parse_markdown(std::string_view text);

// The code spans of an inline text: "Use `a` or `b`" -> {"a", "b"}.
std::vector<std::string> code_spans(std::string_view text);

}  // namespace stackshift::release
