#include "profile/image_tag.hpp"

namespace stackshift::profile {

namespace {

// The longest prefix of the tag that is a version ("3.14.2", "v3.14.2"); the rest is the suffix.
void split_tag(ImageReference& ref) {
    std::string_view tag = ref.tag;
    std::size_t start = tag.starts_with('v') ? 1 : 0;
    std::size_t dots = 0;
    std::size_t end = start;
    while (end < tag.size() && (std::isdigit(static_cast<unsigned char>(tag[end])) || tag[end] == '.')) {
        if (tag[end] == '.') ++dots;
        ++end;
    }
    if (dots < 2) return;
    // Versions have exactly two dots; "3.14.2.1" is not one of ours.
    auto version = Version::parse(tag.substr(0, end));
    if (!version || !version->pre_release.empty()) return;
    ref.version = version;
    ref.suffix = std::string(tag.substr(end));
}

}  // namespace

std::optional<ImageReference> ImageReference::parse(std::string_view text) {
    if (text.empty() || text.find(' ') != std::string_view::npos) return std::nullopt;
    ImageReference ref;
    if (auto at = text.find('@'); at != std::string_view::npos) {
        ref.digest = std::string(text.substr(at + 1));
        text = text.substr(0, at);
    }
    // The tag follows the last colon after the last slash (a colon before it is a registry port).
    auto slash = text.rfind('/');
    auto colon = text.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        ref.tag = std::string(text.substr(colon + 1));
        text = text.substr(0, colon);
    }
    if (text.empty()) return std::nullopt;
    for (char c : text) {
        bool ok = std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                  c == '.' || c == '-' || c == '_' || c == '/' || c == ':';
        if (!ok) return std::nullopt;
    }
    ref.repository = std::string(text);
    if (!ref.tag.empty()) split_tag(ref);
    return ref;
}

std::string ImageReference::to_string() const {
    std::string out = repository;
    if (!tag.empty()) out += ":" + tag;
    if (!digest.empty()) out += "@" + digest;
    return out;
}

std::optional<std::string> retag_image(std::string_view image, const Version& target) {
    auto ref = ImageReference::parse(image);
    if (!ref || !ref->version || !ref->digest.empty()) return std::nullopt;
    bool had_v = ref->tag.starts_with('v');
    ref->tag = (had_v ? "v" : "") + target.to_string() + ref->suffix;
    return ref->to_string();
}

}  // namespace stackshift::profile
