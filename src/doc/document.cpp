#include "doc/document.hpp"

#include "core/text.hpp"
#include "doc/readers.hpp"

namespace stackshift::doc {

Format detect_format(std::string_view text) {
    // A UTF-8 byte order mark is allowed before either format.
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        return c == '{' ? Format::json : Format::yaml;
    }
    return Format::yaml;
}

Result<Value> parse_document(std::string_view text, const std::string& file, Format format) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    // Templates are UTF-8. Checking first also keeps malformed bytes away from libfyaml 0.7,
    // which can loop forever on them inside a directive (found by the fuzzer).
    if (auto bad = first_invalid_utf8(text)) {
        return fail(file, *bad, "invalid UTF-8; a template must be UTF-8 text (save it as UTF-8)");
    }
    return format == Format::json ? read_json(text, file) : read_yaml(text, file);
}

}  // namespace stackshift::doc
