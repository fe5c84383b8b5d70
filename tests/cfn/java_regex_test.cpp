// AllowedPattern in Java's dialect: patterns Java accepts load (ECMAScript and PCRE refuse some),
// values are matched as Java's Matcher.matches() would, and what Java refuses is refused.

#include "cfn/java_regex.hpp"
#include "cfn/parameter_validator.hpp"
#include <random>

#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

std::optional<bool> java_matches(std::string_view pattern, std::string_view value) {
    const JavaRegex& re = java_regex(pattern);
    EXPECT_EQ(re.status(), PatternStatus::valid) << pattern << ": " << re.problem();
    return re.matches(value);
}

TEST(JavaRegex, HyphenNextToAClassEscapeIsALiteral) {
    // Refused as an invalid range by ECMAScript and PCRE2; a literal '-' to Java.
    EXPECT_EQ(java_matches("^[\\w-\\+]+$", "a-b+c_9"), true);
    EXPECT_EQ(java_matches("^[\\w-\\+]+$", "a b"), false);
    EXPECT_EQ(java_matches("[-\\d]+", "-12"), true);
    EXPECT_EQ(java_matches("[\\d-]+", "12-"), true);
    EXPECT_EQ(java_matches("[\\s-x]", "-"), true);
    EXPECT_EQ(java_matches("[a-c]", "-"), false);  // a real range stays a range
}

TEST(JavaRegex, PosixAndJavaCharacterClasses) {
    EXPECT_EQ(java_matches("\\p{Alpha}+", "Hello"), true);
    EXPECT_EQ(java_matches("\\p{Alpha}+", "Héllo"), false);  // POSIX classes are US-ASCII in Java
    EXPECT_EQ(java_matches("\\p{Alnum}{3,8}", "ab12"), true);
    EXPECT_EQ(java_matches("[\\p{Lower}\\p{Digit}]+", "abc1"), true);
    EXPECT_EQ(java_matches("[\\p{Lower}\\p{Digit}]+", "aBc"), false);
    EXPECT_EQ(java_matches("\\P{Digit}+", "abc"), true);
    EXPECT_EQ(java_matches("[^\\p{Punct}]+", "a b"), true);
    EXPECT_EQ(java_matches("\\p{javaLowerCase}+", "ßé"), true);
    EXPECT_EQ(java_matches("\\p{L}\\p{IsLatin}\\p{Lu}\\pN", "éaB7"), true);
    EXPECT_EQ(java_matches("\\p{IsAlphabetic}+", "abc"), true);
    EXPECT_EQ(java_matches("[\\P{Alpha}&&[^ ]]+", "12-!"), true);
    EXPECT_EQ(java_matches("[\\P{Alpha}&&[^ ]]+", "1 2"), false);
}

TEST(JavaRegex, NestedClassesUnionAndIntersection) {
    EXPECT_EQ(java_matches("[a-c[x-z]]+", "abxz"), true);
    EXPECT_EQ(java_matches("[a-c[x-z]]+", "abm"), false);
    EXPECT_EQ(java_matches("[a-z&&[^aeiou]]+", "bcd"), true);
    EXPECT_EQ(java_matches("[a-z&&[^aeiou]]+", "bad"), false);
    EXPECT_EQ(java_matches("[^a-c[x-z]]", "m"), true);
    EXPECT_EQ(java_matches("[^a-c[x-z]]", "y"), false);
}

TEST(JavaRegex, PossessiveAtomicLookaroundEscapesAndFlags) {
    EXPECT_EQ(java_matches("a*+a", "aaa"), false);  // possessive: gives nothing back
    EXPECT_EQ(java_matches("a*a", "aaa"), true);
    EXPECT_EQ(java_matches("(?>ab|a)c", "abc"), true);
    EXPECT_EQ(java_matches("(?<=x)?y|xy", "xy"), true);
    EXPECT_EQ(java_matches("\\Q1+1\\E=2", "1+1=2"), true);
    EXPECT_EQ(java_matches("\\u00e9\\x41\\0101\\t", "éAA\t"), true);
    EXPECT_EQ(java_matches("\\uD83D\\uDE00", "\xF0\x9F\x98\x80"), true);
    EXPECT_EQ(java_matches("(?i)abc", "ABC"), true);
    EXPECT_EQ(java_matches("(?<year>\\d{4})-\\k<year>", "2024-2024"), true);
    EXPECT_EQ(java_matches("(?x) a b  # the rest is a comment [\n c", "abc"), true);
    EXPECT_EQ(java_matches("^\\\\/", "\\/"), true);
    EXPECT_EQ(java_matches("\\/", "/"), true);
}

TEST(JavaRegex, TheWholeValueMustMatch) {
    EXPECT_EQ(java_matches("[a-z]+", "abc1"), false);
    EXPECT_EQ(java_matches("abc$", "abc\n"), false);  // matches() leaves no line terminator over
    EXPECT_EQ(java_matches(".", "\n"), false);
    EXPECT_EQ(java_matches("(?s).", "\n"), true);
}

TEST(JavaRegex, WhatJavaRefusesIsInvalid) {
    const std::pair<const char*, const char*> cases[] = {
        {"[a-", "unclosed character class"},
        {"\\y", "illegal/unsupported escape sequence '\\y'"},
        {"(?q)a", "unknown inline modifier 'q'"},
        {"(*ACCEPT)", "dangling meta character '*'"},
        {"\\u12", "illegal Unicode escape sequence"},
        {"(?<1a>x)", "a group name must be a letter followed by letters or digits, closed by '>'"},
        {"[z-a]", "range out of order in character class"},
        {"(ab", "missing closing parenthesis"},
        {"\\p{NoSuchThing}", "unknown property after \\P or \\p"},
    };
    for (const auto& [pattern, problem] : cases) {
        const JavaRegex& re = java_regex(pattern);
        EXPECT_EQ(re.status(), PatternStatus::invalid) << pattern;
        EXPECT_EQ(re.problem(), problem) << pattern;
        EXPECT_EQ(re.matches("a"), std::nullopt) << pattern;
    }
}

TEST(JavaRegex, WhatStackshiftCannotEvaluateIsAcceptedUnchecked) {
    const JavaRegex& re = java_regex("\\p{InGreek}+");
    EXPECT_EQ(re.status(), PatternStatus::unchecked);
    EXPECT_EQ(re.problem(), "the character property \\p{InGreek}");
    EXPECT_EQ(re.matches("x"), std::nullopt);
}

TEST(JavaRegex, TranslationIsPlainWhereTheDialectsAgree) {
    EXPECT_EQ(translate_java_regex("^[a-z0-9]{3,}(-[a-z]+)*$").pcre2, "^[a-z0-9]{3,}(-[a-z]+)*$");
    EXPECT_EQ(translate_java_regex("^[\\w-\\+]+$").pcre2, "^[\\w\\-\\+]+$");
    EXPECT_EQ(translate_java_regex("\\p{Alpha}").pcre2, "[[:alpha:]]");
    EXPECT_EQ(translate_java_regex("[a-z&&[^b]]").pcre2, "(?:(?=[a-z])[^b])");
}

// Any text is judged without a crash, and a valid pattern always answers for a value.
TEST(JavaRegex, ArbitraryPatternsAreJudgedSafely) {
    constexpr std::string_view alphabet = "ab-^$[]&\\{}()?*+|.:=!<>pPQEux0123{}#\n ";
    std::mt19937 random(15);
    for (int i = 0; i < 3000; ++i) {
        std::string pattern;
        std::size_t length = random() % 12;
        for (std::size_t k = 0; k < length; ++k) pattern += alphabet[random() % alphabet.size()];
        JavaRegex re(pattern);
        if (re.status() == PatternStatus::valid) EXPECT_TRUE(re.matches("ab-").has_value()) << pattern;
        else EXPECT_FALSE(re.problem().empty()) << pattern;
    }
}

// A template whose patterns Java accepts loads, and values are checked against them.
TEST(JavaRegex, TemplatePatternsLoadAndCheckValues) {
    Template t = testing::parse_ok(
        "Parameters:\n"
        "  Name:\n    Type: String\n    AllowedPattern: '^[\\w-\\+]+$'\n"
        "  Word:\n    Type: String\n    AllowedPattern: '\\p{Alpha}++'\n    ConstraintDescription: letters only\n"
        "  Greek:\n    Type: String\n    AllowedPattern: '\\p{InGreek}*'\n"
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n");
    ASSERT_EQ(t.parameters.size(), 3u);
    EXPECT_EQ(validate_parameter_value(t.parameters[0], "build-1+x"), std::nullopt);
    EXPECT_EQ(validate_parameter_value(t.parameters[0], "build 1"),
              "parameter Name: value 'build 1' does not match the pattern '^[\\w-\\+]+$' (the whole value must match)");
    EXPECT_EQ(validate_parameter_value(t.parameters[1], "Hello"), std::nullopt);
    EXPECT_EQ(validate_parameter_value(t.parameters[1], "Hello1"),
              "parameter Word: value 'Hello1' does not match the pattern '\\p{Alpha}++' (the whole value must match) (letters only)");
    EXPECT_EQ(validate_parameter_value(t.parameters[2], "anything"), std::nullopt);  // left to CloudFormation
}

}  // namespace
}  // namespace stackshift::cfn
