#include "core/version.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"

namespace stackshift {

namespace {

std::optional<int> number(std::string_view text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    if (text.size() > 1 && text[0] == '0') return std::nullopt;  // no leading zeros, as semver
    int out = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto at = text.find(separator, start);
        parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + 1;
    }
    return parts;
}

bool valid_pre_release(std::string_view text) {
    if (text.empty()) return false;
    for (auto part : split(text, '.')) {
        if (part.empty()) return false;
        for (char c : part) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
        }
    }
    return true;
}

std::strong_ordering compare_pre_release(std::string_view a, std::string_view b) {
    if (a == b) return std::strong_ordering::equal;
    if (a.empty()) return std::strong_ordering::greater;  // a release after its pre-releases
    if (b.empty()) return std::strong_ordering::less;
    auto x = split(a, '.');
    auto y = split(b, '.');
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        auto nx = number(x[i]);
        auto ny = number(y[i]);
        if (nx && ny) {
            if (*nx != *ny) return *nx <=> *ny;
        } else if (nx || ny) {
            return nx ? std::strong_ordering::less : std::strong_ordering::greater;  // numbers first
        } else if (x[i] != y[i]) {
            return x[i] < y[i] ? std::strong_ordering::less : std::strong_ordering::greater;
        }
    }
    return x.size() <=> y.size();
}

std::string known_list(std::span<const Version> known) {
    std::vector<Version> sorted(known.begin(), known.end());
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (const auto& v : sorted) out += (out.empty() ? "" : ", ") + v.to_string();
    return out.empty() ? "none" : out;
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
    if (text.starts_with('v') || text.starts_with('V')) text.remove_prefix(1);
    std::string_view pre;
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        pre = text.substr(dash + 1);
        text = text.substr(0, dash);
        if (!valid_pre_release(pre)) return std::nullopt;
    }
    auto parts = split(text, '.');
    if (parts.size() != 3) return std::nullopt;
    auto major = number(parts[0]);
    auto minor = number(parts[1]);
    auto patch = number(parts[2]);
    if (!major || !minor || !patch) return std::nullopt;
    return Version{*major, *minor, *patch, std::string(pre)};
}

std::string Version::to_string() const {
    std::string out = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    if (!pre_release.empty()) out += "-" + pre_release;
    return out;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
    if (auto c = a.major <=> b.major; c != 0) return c;
    if (auto c = a.minor <=> b.minor; c != 0) return c;
    if (auto c = a.patch <=> b.patch; c != 0) return c;
    return compare_pre_release(a.pre_release, b.pre_release);
}

std::optional<VersionSpec> VersionSpec::parse(std::string_view text) {
    if (auto v = Version::parse(text)) return VersionSpec{v->major, v->minor, *v};
    std::string_view t = text;
    if (t.starts_with('v') || t.starts_with('V')) t.remove_prefix(1);
    auto parts = split(t, '.');
    if (parts.size() == 3 && (parts[2] == "x" || parts[2] == "X")) parts.pop_back();
    if (parts.size() != 2) return std::nullopt;
    auto major = number(parts[0]);
    auto minor = number(parts[1]);
    if (!major || !minor) return std::nullopt;
    return VersionSpec{*major, *minor, std::nullopt};
}

std::string VersionSpec::to_string() const {
    return exact ? exact->to_string() : std::to_string(major) + "." + std::to_string(minor);
}

std::optional<Version> latest_patch(int major, int minor, std::span<const Version> known) {
    std::optional<Version> best;
    for (const auto& v : known) {
        if (v.major != major || v.minor != minor || !v.pre_release.empty()) continue;
        if (!best || *best < v) best = v;
    }
    return best;
}

Result<Version> resolve_version(std::string_view text, std::string_view option, std::span<const Version> known) {
    auto spec = VersionSpec::parse(text);
    if (!spec) {
        return fail("", {}, "invalid version '" + std::string(text) + "' in " + std::string(option) +
                                "; expected MAJOR.MINOR.PATCH such as 3.24.2, or MAJOR.MINOR for its latest patch");
    }
    if (spec->exact) {
        if (known.empty() || std::find(known.begin(), known.end(), *spec->exact) != known.end()) return *spec->exact;
        return fail("", {}, "unknown version '" + std::string(text) + "' in " + std::string(option) +
                                "; known versions are " + known_list(known));
    }
    if (auto latest = latest_patch(spec->major, spec->minor, known)) return *latest;
    return fail("", {}, "no known release of " + spec->to_string() + " for " + std::string(option) +
                            "; known versions are " + known_list(known));
}

bool in_range(const Version& v, const Version& from, const Version& to) { return from < v && v <= to; }

std::vector<Version> versions_in_range(const Version& from, const Version& to, std::span<const Version> known) {
    std::vector<Version> out;
    for (const auto& v : known) {
        if (in_range(v, from, to)) out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace stackshift
