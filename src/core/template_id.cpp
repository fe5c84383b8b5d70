#include "core/template_id.hpp"

#include <charconv>

namespace stackshift {

namespace {

std::optional<int> leading_number(std::string_view& text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == 0 || digits > 6) return std::nullopt;
    int out = 0;
    std::from_chars(text.data(), text.data() + digits, out);
    text.remove_prefix(digits);
    return out;
}

}  // namespace

std::optional<TemplateId> TemplateId::parse(std::string_view text) {
    TemplateId id;
    id.text = std::string(text);
    std::string_view rest = text;
    auto major = leading_number(rest);
    if (!major || !rest.starts_with('-')) return std::nullopt;
    rest.remove_prefix(1);
    auto minor = leading_number(rest);
    if (!minor) return std::nullopt;
    while (!rest.empty() && std::islower(static_cast<unsigned char>(rest.front()))) {
        id.letter += rest.front();
        rest.remove_prefix(1);
    }
    if (!rest.starts_with('-') || rest.size() < 2) return std::nullopt;
    rest.remove_prefix(1);
    for (char c : rest) {
        if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-')
            return std::nullopt;
    }
    if (rest.back() == '-') return std::nullopt;
    id.major = *major;
    id.minor = *minor;
    id.name = std::string(rest);
    return id;
}

std::strong_ordering operator<=>(const TemplateId& a, const TemplateId& b) {
    if (auto c = a.major <=> b.major; c != 0) return c;
    if (auto c = a.minor <=> b.minor; c != 0) return c;
    if (a.letter != b.letter) return a.letter < b.letter ? std::strong_ordering::less : std::strong_ordering::greater;
    if (a.name != b.name) return a.name < b.name ? std::strong_ordering::less : std::strong_ordering::greater;
    return std::strong_ordering::equal;
}

Result<TemplateId> parse_template_id(std::string_view text, std::string_view where) {
    if (auto id = TemplateId::parse(text)) return *id;
    return fail(std::string(where), {}, "'" + std::string(text) +
                                            "' is not a template id; expected NUMBER-NUMBER[letter]-name such as "
                                            "1-1-vpc, 2-4a-is-s3 or 200-1-crypto");
}

bool template_order_less(std::string_view a, std::string_view b) {
    auto x = TemplateId::parse(a);
    auto y = TemplateId::parse(b);
    if (x && y) return *x < *y;
    if (x || y) return x.has_value();  // numbered templates first
    return a < b;
}

}  // namespace stackshift
