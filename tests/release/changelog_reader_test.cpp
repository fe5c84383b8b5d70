// The changelog reader on the project's fixture in the vendor's format: structure (versions,
// template and other sections, general bullets, procedures) and every phrasing it recognizes,
// with the sentences it must not take for a change.

#include "changelog_test_support.hpp"

namespace stackshift {
namespace {

using namespace testing;
using release::SectionKind;
using Strings = std::vector<std::string>;
using release::version_label;

const release::Changelog& fixture() {
    static const release::Changelog c = changelog_fixture("phrasings.md");
    return c;
}

const release::VersionSection& version_section(const std::string& label) {
    for (const auto& version : fixture().versions) {
        if (version.label == label) return version;
    }
    throw std::runtime_error("no version " + label);
}

TEST(ChangelogStructure, VersionsInFileOrderWithUnreleased) {
    std::vector<std::string> seen;
    for (const auto& version : fixture().versions) seen.push_back(version.label);
    EXPECT_EQ(seen, (Strings{"Unreleased", "4.3.0", "4.2.0", "4.1.0", "4.0.1", "4.0.0"}));
    EXPECT_FALSE(fixture().versions.front().version.has_value());
    EXPECT_EQ(fixture().versions.front().line, 9);
    EXPECT_EQ(labels(fixture().known_versions()), (Strings{"4.0.0", "4.0.1", "4.1.0", "4.2.0", "4.3.0"}));
}

TEST(ChangelogStructure, BulletsDirectlyUnderAVersion) {
    const auto& general = version_section("4.3.0").general;
    ASSERT_EQ(general.size(), 2u);
    EXPECT_EQ(general[0].text, "These notes apply to every template of this release.");
    EXPECT_EQ(general[0].depth, 0);
    EXPECT_EQ(general[1].text, "Review the parameters of every stack before updating.");
    EXPECT_EQ(general[1].line, 17);
    EXPECT_EQ(general[1].depth, 1);
}

TEST(ChangelogStructure, HeadingWithSeveralTemplatesInBackticks) {
    const auto& section = version_section("4.3.0").sections.at(1);
    EXPECT_EQ(section.kind, SectionKind::templates);
    EXPECT_EQ(section.title, "2-1-db-aurora-master, 2-2-db-aurora-replica");
    EXPECT_EQ(section.templates, (Strings{"2-1-db-aurora-master", "2-2-db-aurora-replica"}));
    EXPECT_EQ(changes_of(fixture(), "2-1-db-aurora-master", "AuroraTuning"), std::vector<std::string>{"added"});
    EXPECT_EQ(changes_of(fixture(), "2-2-db-aurora-replica", "AuroraTuning"), std::vector<std::string>{"added"});
}

TEST(ChangelogStructure, HeadingWithoutBackticks) {
    const auto& section = version_section("4.3.0").sections.at(2);
    EXPECT_EQ(section.kind, SectionKind::templates);
    EXPECT_EQ(section.templates, (Strings{"9-4-tasks"}));
    EXPECT_EQ(section.line, 31);
}

TEST(ChangelogStructure, SectionsNamingNoTemplateAreOther) {
    std::vector<std::string> other;
    for (const auto& section : version_section("4.3.0").sections) {
        if (section.kind == SectionKind::other) other.push_back(section.title);
    }
    EXPECT_EQ(other, (Strings{"Proxy", "AMI/BYOL template", "ECS templates", "All", "Various templates", "Prometheus"}));
}

TEST(ChangelogStructure, LevelTwoTemplateHeadingInsideAVersionIsASection) {
    const auto& sections = version_section("4.1.0").sections;
    ASSERT_EQ(sections.size(), 5u);
    EXPECT_EQ(sections[3].templates, (Strings{"1-2-bastion"}));
    EXPECT_EQ(sections[4].templates, (Strings{"2-5-db-timescale"}));
}

TEST(ChangelogStructure, EmptyVersionHasNoSections) {
    EXPECT_TRUE((version_section("4.0.1").sections).empty());
    EXPECT_TRUE((version_section("4.0.1").general).empty());
}

TEST(ChangelogStructure, NestedBulletsKeepTheirDepth) {
    const auto& entries = version_section("4.2.0").sections.at(2).entries;
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[1].depth, 1);
    EXPECT_EQ(entries[2].depth, 2);
    EXPECT_EQ(entries[2].text, "If you were using `strict` or `relaxed`, select `true`;");
}

TEST(ChangelogProcedures, UpgradeProcedureSectionIsOrderedAndRequired) {
    const auto& procedures = fixture().procedures;
    auto it = std::find_if(procedures.begin(), procedures.end(), [](const auto& p) { return p.scope.empty(); });
    ASSERT_NE(it, procedures.end());
    EXPECT_EQ(it->title, "Upgrade procedure");
    EXPECT_TRUE(it->required);
    EXPECT_EQ(it->origin.line, 19);
    ASSERT_EQ(it->steps.size(), 4u);
    EXPECT_EQ(it->steps[1].text, "The `9-4-tasks` template needs to be upgraded first.");
    EXPECT_EQ(it->steps[2].text, "Keep the old value of `TaskCount`.");
    EXPECT_EQ(it->steps[2].depth, 2);
    EXPECT_EQ(it->steps[3].depth, 1);
}

TEST(ChangelogProcedures, NumberedListUnderABulletIsAProcedureForItsCase) {
    const auto& procedures = fixture().procedures;
    auto it = std::find_if(procedures.begin(), procedures.end(), [](const auto& p) { return p.scope == "2-5-db-timescale"; });
    ASSERT_NE(it, procedures.end());
    EXPECT_FALSE(it->required);  // "If you wish to encrypt the boot drive"
    EXPECT_EQ(it->title, "Added `EncryptionKey` parameter. If you wish to encrypt the boot drive, please:");
    ASSERT_EQ(it->steps.size(), 4u);
    EXPECT_EQ(it->steps[0].number, 1);
    EXPECT_EQ(it->steps[1].text, "Update the `2-5-db-timescale` stack.");
    EXPECT_EQ(it->steps[2].text, "Do not forget the snapshot.");
    EXPECT_EQ(it->steps[2].depth, 2);
    EXPECT_EQ(it->steps[3].number, 3);
}

TEST(ChangelogRenames, TemplateRenamedToAndFromAndByName) {
    std::vector<std::string> renames;
    for (const auto& r : fixture().template_renames) {
        renames.push_back(r.from + ">" + r.to + "@" + version_label(r.origin.version));
    }
    EXPECT_EQ(renames, (Strings{"7-2-beta>7-3-gamma@4.2.0", "9-1-old-name>9-1-new-name@4.1.0",
                                     "8-1-legacy-thing>8-2-thing@4.1.0", "7-1-alpha>7-2-beta@4.1.0"}));
}

TEST(ChangelogRenames, ParameterRenameWithValueMappingsAndOtherwise) {
    const auto* r = parameter_rename(fixture(), "InteropMode");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->scope, "5-3a-ecs-is-service");
    EXPECT_EQ(r->to, "InteropModeIS");
    ASSERT_EQ(r->values.size(), 1u);
    EXPECT_EQ(r->values[0].from, "identity-server");
    EXPECT_EQ(r->values[0].to, "mutual");
    EXPECT_EQ(r->otherwise, "disabled");
    EXPECT_EQ(r->origin.line, 93);
}

TEST(ChangelogRenames, ParameterRenamePhrasings) {
    struct Case {
        const char* from;
        const char* to;
        const char* scope;
    };
    for (const Case& c : {Case{"FooCount", "BarCount", "5-4-ecs-service"}, Case{"PacketMode", "PacketProfile", "5-4-ecs-services"},
                          Case{"ReplicaTotal", "ReplicaCount", "5-4-ecs-services"},
                          Case{"LegacyFlag", "ModernFlag", "5-4-ecs-services"}}) {
        const auto* r = parameter_rename(fixture(), c.from);
        ASSERT_NE(r, nullptr) << c.from;
        EXPECT_EQ(r->to, c.to);
        EXPECT_EQ(r->scope, c.scope);
        EXPECT_TRUE((r->values).empty()) << c.from;
    }
    EXPECT_EQ(fixture().parameter_renames.size(), 5u);
}

TEST(ChangelogRenames, MisspelledHeadingIsAnAliasOfTheCommonSpelling) {
    EXPECT_EQ(fixture().canonical("5-4-ecs-service"), "5-4-ecs-services");
    EXPECT_EQ(fixture().canonical("5-4-ecs-services"), "5-4-ecs-services");
}

TEST(ChangelogParameters, NewValuesWithMappingsAndNewOption) {
    const auto* c = change_of(fixture(), "3-2-load-balancer-rules", "InteropMode");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->kind, release::ParameterChangeKind::values);
    ASSERT_EQ(c->values.size(), 2u);
    EXPECT_EQ(c->values[0].from, "false");
    EXPECT_EQ(c->values[0].to, "disabled");
    EXPECT_EQ(c->values[1].from, "true");
    EXPECT_EQ(c->values[1].to, "mutual");
    EXPECT_EQ(c->new_values, (Strings{"server-only"}));
}

TEST(ChangelogParameters, BecameABooleanWithNestedMappings) {
    const auto* c = change_of(fixture(), "5-3a-ecs-is-service", "TlsMode");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->kind, release::ParameterChangeKind::values);
    EXPECT_EQ(c->detail, "boolean");
    ASSERT_EQ(c->values.size(), 3u);
    EXPECT_EQ(c->values[0].from + ">" + c->values[0].to, "strict>true");
    EXPECT_EQ(c->values[1].from + ">" + c->values[1].to, "relaxed>true");
    EXPECT_EQ(c->values[2].from + ">" + c->values[2].to, "off>false");
}

TEST(ChangelogParameters, AddedRemovedDeprecatedAndDefault) {
    const auto& c = fixture();
    EXPECT_EQ(changes_of(c, "5-4-ecs-services", "AlphaSetting"), std::vector<std::string>{"added"});
    EXPECT_EQ(changes_of(c, "5-4-ecs-services", "BetaSetting"), std::vector<std::string>{"added"});
    EXPECT_EQ(changes_of(c, "5-4-ecs-services", "GammaSetting"), std::vector<std::string>{"removed"});
    EXPECT_EQ(changes_of(c, "5-4-ecs-services", "DeltaSetting"), std::vector<std::string>{"added"});
    EXPECT_EQ(changes_of(c, "5-4-ecs-services", "ZetaMode"), std::vector<std::string>{"deprecated"});
    EXPECT_EQ(changes_of(c, "Various templates", "*RuntimePlatform"), std::vector<std::string>{"added"});
    const auto* theta = change_of(c, "5-4-ecs-services", "ThetaSize");
    ASSERT_NE(theta, nullptr);
    EXPECT_EQ(theta->kind, release::ParameterChangeKind::default_value);
    EXPECT_EQ(theta->value, "large");
}

TEST(ChangelogParameters, NamesNoNounCallsAParameterAreInferred) {
    const auto* epsilon = change_of(fixture(), "5-4-ecs-services", "EpsilonValue");
    ASSERT_NE(epsilon, nullptr);
    EXPECT_TRUE(epsilon->inferred);
    EXPECT_EQ(changes_of(fixture(), "5-4-ecs-services", "EtaValue"), std::vector<std::string>{"added"});
    EXPECT_FALSE(change_of(fixture(), "5-4-ecs-services", "AlphaSetting")->inferred);
}

TEST(ChangelogParameters, MentionsAreNotChanges) {
    for (const char* name : {"HelperParam", "OtherParam", "ClusterName", "LogsBucket", "SecretThing", "TaskCount",
                             "VersionTag"}) {
        for (const auto& change : fixture().parameter_changes) EXPECT_NE(change.parameter, name);
    }
    EXPECT_EQ(parameter_rename(fixture(), "HelperParam"), nullptr);
}

TEST(ChangelogLifecycle, NewOptionalRemovedUndeployDeprecated) {
    EXPECT_EQ(lifecycle_of(fixture()),
              (Strings{"9-9-old-task:undeploy", "9-5-extras:new-optional", "9-6-core:new-optional", "9-7-required:new",
                       "9-8-obsolete:removed", "9-8-obsolete:undeploy", "9-3-legacy:deprecated"}));
    const auto& facts = fixture().lifecycle;
    EXPECT_EQ(facts[0].before, "9-4-tasks");
    EXPECT_EQ(facts[2].condition, "if you use the external service");
    EXPECT_EQ(facts[2].origin.line, 42);
}

TEST(ChangelogLifecycle, RemovingSomethingBeforeUpdatingIsNoTemplateRemoval) {
    for (const auto& fact : fixture().lifecycle) EXPECT_NE(fact.template_id, "5-4-ecs-services");
}

TEST(ChangelogUnrecognized, ImportantSentencesAreKeptOthersAreNot) {
    EXPECT_EQ(unrecognized_texts(fixture()),
                (Strings{"Nothing released yet touches `7-3-gamma`.", "Removed the legacy routes.", "The UDP service has been removed.",
                            "This is done via the `HelperParam` parameter.", "Use the `OtherParam` parameter to tune the pool.",
                            "Fixed a typo in the description of `ClusterName`.", "Support for the old protocol has been removed."}));
    EXPECT_EQ(fixture().unrecognized[3].why, "names parameter `HelperParam`");
    EXPECT_EQ(fixture().unrecognized[3].scope, "5-4-ecs-services");
    EXPECT_EQ(fixture().unrecognized[3].origin.line, 116);
}

TEST(ChangelogAdvice, ReworkIsAWarningAndBackupComesBeforeUpdating) {
    std::vector<std::string> timescale;
    for (const auto& a : fixture().advice) {
        if (a.scope != "2-5-db-timescale") continue;
        timescale.push_back(std::string(release::advice_name(a.kind)) + (a.before_update ? " before: " : ": ") + a.text);
    }
    EXPECT_EQ(timescale, (Strings{"warning: This template has been reworked so that updates are now possible.",
                                       "instruction before: Before updating make a backup of the volume.",
                                       "instruction: If you wish to encrypt the boot drive, please:"}));
}

TEST(ChangelogErrors, VersionHeadingThatIsNoVersion) {
    EXPECT_EQ(changelog_errors("# Upgrading\n\n## 3.15\n\n- Added `X` parameter.\n"),
              "UPGRADING.md:3:1: version heading '3.15' is not a version; expected MAJOR.MINOR.PATCH such as 3.15.0, or "
              "'Unreleased'");
}

TEST(ChangelogErrors, NoVersionSection) {
    EXPECT_EQ(changelog_errors("# Upgrading\n\nNothing here.\n"),
              "UPGRADING.md: no version section found; expected headings such as '## 3.15.0' or '## Unreleased'");
}

TEST(ChangelogErrors, NotUtf8) {
    EXPECT_EQ(changelog_errors("## 3.15.0\n\n- Added \xff\n"),
              "UPGRADING.md:3:9: the changelog is not UTF-8 text; expected a Markdown file");
}

TEST(ChangelogReader, LinkedVersionHeadingAndFrontMatterLines) {
    auto c = changelog_ok("---\ntitle: x\n---\n\n## [3.12.0](https://example.com/compare/a...b)\n\n### `5-4-ecs-services`\n\n"
                          "- Added `ApplicationServerDesiredCount` parameter\n");
    ASSERT_EQ(c.versions.size(), 1u);
    EXPECT_EQ(c.versions[0].label, "3.12.0");
    EXPECT_EQ(c.versions[0].line, 5);
    EXPECT_EQ(changes_of(c, "5-4-ecs-services", "ApplicationServerDesiredCount"), std::vector<std::string>{"added"});
    EXPECT_EQ(c.parameter_changes[0].origin.line, 9);
}

TEST(ChangelogReader, ADateIsNoTemplate) {
    auto c = changelog_ok("## 3.15.0\n\n### Released 2021-09-17\n\n- Fixed things.\n");
    EXPECT_EQ(c.versions[0].sections[0].kind, SectionKind::other);
}

}  // namespace
}  // namespace stackshift
