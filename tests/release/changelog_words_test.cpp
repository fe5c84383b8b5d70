// The text layer of the changelog reader: sentences, tokens, clauses and what a name looks
// like; and a few phrasings read from inline text.

#include "changelog_test_support.hpp"
#include "release/changelog_words.hpp"

namespace stackshift {
namespace {

using namespace release::changelog_detail;
using Strings = std::vector<std::string>;

TEST(ChangelogWords, SentencesAreNotCutInsideCodeUrlsOrAbbreviations) {
    EXPECT_EQ(split_sentences("Use `a. B` here. See https://x.org/a.B then, e.g. Foo. `X` is new."),
              (Strings{"Use `a. B` here.", "See https://x.org/a.B then, e.g. Foo.", "`X` is new."}));
    EXPECT_EQ(split_sentences("select `true`; If not, select `false`."), (Strings{"select `true`;", "If not, select `false`."}));
}

TEST(ChangelogWords, TokensKeepCodeSpansWhole) {
    Tokens tokens = tokenize("Added `Foo Bar`, -> `x`.");
    ASSERT_EQ(tokens.size(), 6u);
    EXPECT_EQ(tokens[1].kind, TokenKind::code);
    EXPECT_EQ(tokens[1].text, "Foo Bar");
    EXPECT_TRUE(tokens[3].is_punct("->"));
    EXPECT_TRUE(tokens[5].is_punct("."));
}

TEST(ChangelogWords, ClausesCutBeforeANewChangeVerb) {
    auto clauses = split_clauses(tokenize("Removed `A` parameters, added `B` parameters instead"));
    ASSERT_EQ(clauses.size(), 2u);
    EXPECT_EQ(lowered(clauses[1]), "added `b` parameters instead");
}

TEST(ChangelogWords, WhatNamesLookLike) {
    EXPECT_TRUE(is_template_name("4-2a-configuration"));
    EXPECT_TRUE(is_template_name("200-1-crypto"));
    EXPECT_FALSE(is_template_name("2021-09-17"));
    EXPECT_FALSE(is_template_name("AMI/BYOL"));
    EXPECT_TRUE(is_parameter_name("NetworkOperationsCenter*"));
    EXPECT_TRUE(is_parameter_name("*RuntimePlatform"));
    EXPECT_TRUE(is_parameter_name("Include<Service>"));
    EXPECT_FALSE(is_parameter_name("node_exporter"));
    EXPECT_FALSE(is_parameter_name("GOGC"));
    EXPECT_TRUE(is_bare_parameter_name("AdminRightsAll"));
    EXPECT_FALSE(is_bare_parameter_name("Envoy"));
    EXPECT_TRUE(looks_like_resource_name("PluginsConfigBucket"));
}

TEST(ChangelogPhrasings, ArrowMapsValuesOfARenamedParameter) {
    auto c = testing::changelog_ok("## 2.0.0\n\n### `3-1-rules`\n\n- Renamed `OldMode` to `NewMode`.\n"
                                   "  - `on` -> `enabled`\n  - `off` -> `disabled`\n");
    ASSERT_EQ(c.parameter_renames.size(), 1u);
    const auto& values = c.parameter_renames[0].values;
    ASSERT_EQ(values.size(), 2u);
    EXPECT_EQ(values[0].from + ">" + values[0].to, "on>enabled");
    EXPECT_EQ(values[1].from + ">" + values[1].to, "off>disabled");
}

TEST(ChangelogPhrasings, MappingsStopAtTheNextBullet) {
    auto c = testing::changelog_ok("## 2.0.0\n\n### `3-1-rules`\n\n- Renamed `OldMode` to `NewMode`.\n"
                                   "- If you were using `a`, select `b`.\n");
    ASSERT_EQ(c.parameter_renames.size(), 1u);
    EXPECT_TRUE(c.parameter_renames[0].values.empty());
    ASSERT_EQ(c.unrecognized.size(), 1u);
    EXPECT_EQ(c.unrecognized[0].why, "maps values but names no parameter");
}

TEST(ChangelogPhrasings, TemplateFormerlyKnownAs) {
    auto c = testing::changelog_ok("## 2.0.0\n\n### `5-6-ecs-monitoring`\n\n- This template was formerly known as `5-5-ecs-monitoring`.\n");
    ASSERT_EQ(c.template_renames.size(), 1u);
    EXPECT_EQ(c.template_renames[0].from, "5-5-ecs-monitoring");
    EXPECT_EQ(c.template_renames[0].to, "5-6-ecs-monitoring");
}

TEST(ChangelogPhrasings, ParameterRenamedInAnotherTemplateIsNoTemplateRename) {
    auto c = testing::changelog_ok("## 2.0.0\n\n### All\n\n- The `Foo` parameter in `5-4-ecs-services` was renamed to `Bar`.\n");
    EXPECT_TRUE(c.template_renames.empty());
    ASSERT_EQ(c.parameter_renames.size(), 1u);
    EXPECT_EQ(c.parameter_renames[0].from + ">" + c.parameter_renames[0].to, "Foo>Bar");
}

TEST(ChangelogPhrasings, StackToUndeployNamedInAVersionBullet) {
    auto c = testing::changelog_ok("## 2.0.0\n\n- The `6-1-vpc-peering` stack is no longer needed and can be undeployed.\n");
    ASSERT_EQ(c.lifecycle.size(), 1u);
    EXPECT_EQ(c.lifecycle[0].template_id, "6-1-vpc-peering");
    EXPECT_EQ(c.lifecycle[0].kind, release::LifecycleKind::undeploy);
}

}  // namespace
}  // namespace stackshift

namespace stackshift {
namespace {

TEST(ChangelogPhrasings, TwoMappingsInOneSentence) {
    auto c = testing::changelog_ok("## 3.15.0\n\n### `3-1-queue`\n\n- Renamed parameter `OldName` to `NewName`. Deployments "
                                   "that used value `a` should now choose `alpha`, deployments that used value `b` should "
                                   "now choose `beta`.\n");
    ASSERT_EQ(c.parameter_renames.size(), 1u);
    const auto& values = c.parameter_renames[0].values;
    ASSERT_EQ(values.size(), 2u);
    EXPECT_EQ(values[0].from + ">" + values[0].to, "a>alpha");
    EXPECT_EQ(values[1].from + ">" + values[1].to, "b>beta");
}

TEST(ChangelogPhrasings, ParameterNowTakesValues) {
    auto c = testing::changelog_ok("## 3.15.0\n\n### `3-1-queue`\n\n- Parameter `Tier` now takes `standard` or `premium`. "
                                   "Deployments that used value `small` should now choose `standard`.\n");
    ASSERT_EQ(c.parameter_changes.size(), 1u);
    EXPECT_EQ(c.parameter_changes[0].parameter, "Tier");
    EXPECT_EQ(c.parameter_changes[0].kind, release::ParameterChangeKind::values);
    ASSERT_EQ(c.parameter_changes[0].values.size(), 1u);
    EXPECT_EQ(c.parameter_changes[0].values[0].from + ">" + c.parameter_changes[0].values[0].to, "small>standard");
}

}  // namespace
}  // namespace stackshift
