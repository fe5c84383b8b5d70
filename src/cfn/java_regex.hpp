#pragma once
// A parameter's AllowedPattern as CloudFormation reads it: a Java regular expression
// (java.util.regex). Java accepts what ECMAScript and PCRE refuse: a hyphen next to a class
// escape is a literal (`^[\w-\+]+$`), `\p{Alpha}` and the other POSIX and java.lang.Character
// classes, nested classes with union and intersection (`[a-z&&[^aeiou]]`), `\uFFFF` escapes.
// The pattern is translated into PCRE2's syntax and compiled by PCRE2, which has the rest of
// Java's (possessive quantifiers, atomic groups, lookbehind, \Q...\E, Unicode properties).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct pcre2_real_code_8;

namespace stackshift::cfn {

enum class PatternStatus : std::uint8_t {
    valid,      // Java accepts it, and values can be checked against it
    invalid,    // Java refuses it
    unchecked,  // Java accepts it, but it uses what stackshift cannot evaluate (Unicode blocks, \N{name})
};

// A Java pattern in PCRE2's syntax, or what stands in the way.
struct JavaTranslation {
    std::string pcre2;
    PatternStatus status = PatternStatus::valid;
    std::string problem;  // why invalid or unchecked: "unknown inline modifier 'q'"
};

// The syntax step alone (PCRE2 may still refuse the result: an unclosed group, a bad range).
JavaTranslation translate_java_regex(std::string_view pattern);

class JavaRegex {
public:
    explicit JavaRegex(std::string_view pattern);
    ~JavaRegex();
    JavaRegex(const JavaRegex&) = delete;
    JavaRegex& operator=(const JavaRegex&) = delete;

    PatternStatus status() const { return m_status; }
    // Why the pattern is invalid or unchecked, in PCRE2's or Java's words.
    const std::string& problem() const { return m_problem; }

    // Whether the whole value matches, as Java's Matcher.matches() tells; nullopt when the
    // pattern is not valid, cannot be checked, or the match gave up at its backtracking limit.
    std::optional<bool> matches(std::string_view value) const;

private:
    pcre2_real_code_8* m_code = nullptr;
    PatternStatus m_status = PatternStatus::invalid;
    std::string m_problem;
};

// The compiled pattern, from a process-wide cache: a template's patterns are checked for many values.
const JavaRegex& java_regex(std::string_view pattern);

}  // namespace stackshift::cfn
