// The one file that includes libxml2 (ARCHITECTURE.md's library table).

#include "cloud/aws/xml_tree.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <memory>

namespace stackshift::cloud::aws {

namespace {

// libxml2 2.9 wants its globals set up once before threads parse; a function-local static
// does it once, on first use, whichever thread comes first.
void init_libxml() {
    static const bool done = [] {
        xmlInitParser();
        return true;
    }();
    (void)done;
}

std::string to_string(const xmlChar* text) {
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
}

// libxml2 keeps depth within 256 levels unless XML_PARSE_HUGE is given, so recursion is bounded.
XmlElement convert(const xmlNode* node) {
    XmlElement out;
    out.name = to_string(node->name);
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) out.elements.push_back(convert(c));
        else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) out.text += to_string(c->content);
    }
    return out;
}

std::string trim_line_end(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

const XmlElement* XmlElement::child(std::string_view child_name) const {
    for (const auto& e : elements)
        if (e.name == child_name) return &e;
    return nullptr;
}

std::vector<const XmlElement*> XmlElement::children(std::string_view child_name) const {
    std::vector<const XmlElement*> out;
    for (const auto& e : elements)
        if (e.name == child_name) out.push_back(&e);
    return out;
}

const XmlElement* XmlElement::path(std::string_view slash_path) const {
    const XmlElement* at = this;
    std::size_t start = 0;
    while (at != nullptr && start <= slash_path.size()) {
        std::size_t end = std::min(slash_path.find('/', start), slash_path.size());
        at = at->child(slash_path.substr(start, end - start));
        start = end + 1;
    }
    return at;
}

std::string XmlElement::child_text(std::string_view child_name) const {
    const XmlElement* c = child(child_name);
    return c == nullptr ? std::string() : c->text;
}

XmlElement parse_xml(std::string_view document) {
    init_libxml();
    if (document.size() > static_cast<std::size_t>(INT_MAX)) throw XmlError("the document is larger than 2 GB");
    std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> context(xmlNewParserCtxt(), xmlFreeParserCtxt);
    if (!context) throw XmlError("libxml2 could not allocate a parser");
    // NONET: no DTD or entity is fetched; without NOENT, entities are not substituted (no XXE).
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
        xmlCtxtReadMemory(context.get(), document.data(), static_cast<int>(document.size()), "answer.xml", "UTF-8", options),
        xmlFreeDoc);
    const xmlError* error = xmlCtxtGetLastError(context.get());
    if (!doc || context->wellFormed == 0) {
        if (error != nullptr && error->message != nullptr)
            throw XmlError("line " + std::to_string(error->line) + ": " + trim_line_end(error->message));
        throw XmlError("not an XML document");
    }
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (root == nullptr) throw XmlError("the document has no root element");
    return convert(root);
}

}  // namespace stackshift::cloud::aws
