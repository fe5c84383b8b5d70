#include "release/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <memory>

namespace stackshift::release {

namespace {

struct ParserDeleter {
    void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// The inline text of a block, flattened.
void append_inline(cmark_node* node, std::string& out) {
    for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
        switch (cmark_node_get_type(child)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_HTML_INLINE:
            if (const char* s = cmark_node_get_literal(child)) out += s;
            break;
        case CMARK_NODE_CODE:
            out += '`';
            if (const char* s = cmark_node_get_literal(child)) out += s;
            out += '`';
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            out += ' ';
            break;
        default:
            append_inline(child, out);  // emphasis, links, strikethrough: their text
            break;
        }
    }
}

struct Walker {
    std::vector<Block> blocks;
    int line_offset = 0;

    void walk(cmark_node* node, int list_depth, bool in_quote) {
        for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
            int line = cmark_node_get_start_line(child) + line_offset;
            switch (cmark_node_get_type(child)) {
            case CMARK_NODE_HEADING: {
                Block b{BlockKind::heading, cmark_node_get_heading_level(child), false, 0, line, {}};
                append_inline(child, b.text);
                blocks.push_back(std::move(b));
                break;
            }
            case CMARK_NODE_PARAGRAPH: {
                Block b{in_quote ? BlockKind::quote_paragraph : BlockKind::paragraph, list_depth, false, 0, line, {}};
                append_inline(child, b.text);
                blocks.push_back(std::move(b));
                break;
            }
            case CMARK_NODE_LIST: {
                bool ordered = cmark_node_get_list_type(child) == CMARK_ORDERED_LIST;
                int number = ordered ? cmark_node_get_list_start(child) : 0;
                for (cmark_node* item = cmark_node_first_child(child); item; item = cmark_node_next(item)) {
                    item_block(item, list_depth + 1, ordered, number, in_quote);
                    if (ordered) ++number;
                }
                break;
            }
            case CMARK_NODE_CODE_BLOCK: {
                Block b{BlockKind::code_block, list_depth, false, 0, line, {}};
                if (const char* s = cmark_node_get_literal(child)) b.text = s;
                blocks.push_back(std::move(b));
                break;
            }
            case CMARK_NODE_HTML_BLOCK: {
                Block b{BlockKind::html, list_depth, false, 0, line, {}};
                if (const char* s = cmark_node_get_literal(child)) b.text = s;
                blocks.push_back(std::move(b));
                break;
            }
            case CMARK_NODE_BLOCK_QUOTE:
                walk(child, list_depth, true);
                break;
            default:
                if (std::string_view(cmark_node_get_type_string(child)) == "table_row") {
                    Block b{BlockKind::table_row, list_depth, false, 0, line, {}};
                    for (cmark_node* cell = cmark_node_first_child(child); cell; cell = cmark_node_next(cell)) {
                        if (!b.text.empty()) b.text += " | ";
                        append_inline(cell, b.text);
                    }
                    blocks.push_back(std::move(b));
                } else {
                    walk(child, list_depth, in_quote);  // tables and other containers
                }
                break;
            }
        }
    }

    // A list item: its first paragraph is the item's text; nested lists and further
    // paragraphs follow as their own blocks.
    void item_block(cmark_node* item, int depth, bool ordered, int number, bool in_quote) {
        Block b{BlockKind::list_item, depth, ordered, number, cmark_node_get_start_line(item) + line_offset, {}};
        cmark_node* first = cmark_node_first_child(item);
        bool first_is_text = first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH;
        if (first_is_text) append_inline(first, b.text);
        blocks.push_back(std::move(b));
        for (cmark_node* child = first_is_text ? cmark_node_next(first) : first; child; child = cmark_node_next(child)) {
            // Walk one child at a time through a temporary parent-less view.
            walk_one(child, depth, in_quote);
        }
    }

    void walk_one(cmark_node* node, int depth, bool in_quote) {
        cmark_node_type type = cmark_node_get_type(node);
        int line = cmark_node_get_start_line(node) + line_offset;
        if (type == CMARK_NODE_LIST) {
            bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
            int number = ordered ? cmark_node_get_list_start(node) : 0;
            for (cmark_node* item = cmark_node_first_child(node); item; item = cmark_node_next(item)) {
                item_block(item, depth + 1, ordered, number, in_quote);
                if (ordered) ++number;
            }
            return;
        }
        if (type == CMARK_NODE_PARAGRAPH) {
            Block b{in_quote ? BlockKind::quote_paragraph : BlockKind::paragraph, depth, false, 0, line, {}};
            append_inline(node, b.text);
            blocks.push_back(std::move(b));
            return;
        }
        if (type == CMARK_NODE_CODE_BLOCK) {
            Block b{BlockKind::code_block, depth, false, 0, line, {}};
            if (const char* s = cmark_node_get_literal(node)) b.text = s;
            blocks.push_back(std::move(b));
            return;
        }
        if (type == CMARK_NODE_BLOCK_QUOTE) walk(node, depth, true);
    }
};

// The length of a YAML front matter block at the start, and the lines it spans.
std::size_t front_matter(std::string_view text, int& lines) {
    lines = 0;
    if (!text.starts_with("---\n") && !text.starts_with("---\r\n")) return 0;
    std::size_t pos = text.find('\n') + 1;
    int count = 1;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        ++count;
        if (line == "---" || line == "---\r") {
            lines = count;
            return end == std::string_view::npos ? text.size() : end + 1;
        }
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return 0;  // no closing marker: not front matter
}

}  // namespace

std::vector<Block> parse_markdown(std::string_view text) {
    int skipped_lines = 0;
    std::size_t skip = front_matter(text, skipped_lines);
    text.remove_prefix(skip);

    cmark_gfm_core_extensions_ensure_registered();
    std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
    for (const char* name : {"table", "strikethrough", "autolink"}) {
        if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
            cmark_parser_attach_syntax_extension(parser.get(), extension);
        }
    }
    cmark_parser_feed(parser.get(), text.data(), text.size());
    std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
    Walker walker;
    walker.line_offset = skipped_lines;
    if (document) walker.walk(document.get(), 0, false);
    return std::move(walker.blocks);
}

std::vector<std::string> code_spans(std::string_view text) {
    std::vector<std::string> spans;
    std::size_t pos = 0;
    while ((pos = text.find('`', pos)) != std::string_view::npos) {
        auto end = text.find('`', pos + 1);
        if (end == std::string_view::npos) break;
        spans.emplace_back(text.substr(pos + 1, end - pos - 1));
        pos = end + 1;
    }
    return spans;
}

}  // namespace stackshift::release
