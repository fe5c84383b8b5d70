// The reader on the vendor's real template changelog (../shared/corpus/tti-docs), when it is
// present: the facts an operator upgrading The Things Stack on ECS must not miss.

#include <filesystem>

#include "changelog_test_support.hpp"

namespace stackshift {
namespace {

using namespace testing;
using Strings = std::vector<std::string>;
using release::version_label;

const std::string corpus_file =
    std::string(STACKSHIFT_SOURCE_DIR) + "/../shared/corpus/tti-docs/ecs-template-changelog-upto-3.28.2.md";

class ChangelogCorpus : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(corpus_file)) GTEST_SKIP() << "corpus not present: " << corpus_file;
        static const release::Changelog whole = changelog_ok(read_text(corpus_file), "UPGRADING.md");
        c = &whole;
    }
    const release::Changelog* c = nullptr;
};

TEST_F(ChangelogCorpus, EveryReleaseHeadingIsAVersion) {
    auto known = c->known_versions();
    EXPECT_EQ(known.size(), 60u);
    EXPECT_EQ(known.front().to_string(), "3.10.6");  // "## [3.10.6](https://...compare/...)"
    EXPECT_EQ(known.back().to_string(), "3.28.2");
    EXPECT_EQ(c->versions.front().label, "Unreleased");
}

TEST_F(ChangelogCorpus, From3142To3152TheTimescaleRework) {
    auto part = release::slice(*c, v("3.14.2"), v("3.15.2"));
    Strings versions;
    for (const auto& version : part.versions) versions.push_back(version.label);
    EXPECT_EQ(versions, (Strings{"3.15.0", "3.15.1", "3.15.2"}));

    Strings timescale;
    for (const auto& a : part.advice) {
        if (a.scope == "2-5-db-timescale" && a.origin.line == 765) {
            timescale.push_back(std::string(release::advice_name(a.kind)) + (a.before_update ? " before: " : ": ") + a.text);
        }
    }
    EXPECT_EQ(timescale, (Strings{"warning: This template has been reworked so that updates are now possible.",
                                  "instruction before: Before updating make a backup of the volume.",
                                  "instruction: For more information, please refer to the documentation at "
                                  "https://www.thethingsindustries.com/docs/the-things-stack/host/aws/ecs/updating/#2-5-db-timescale"}));

    // The re-encryption steps are a procedure for that case only, in the file's order.
    ASSERT_EQ(part.procedures.size(), 1u);
    const auto& procedure = part.procedures[0];
    EXPECT_EQ(procedure.scope, "2-5-db-timescale");
    EXPECT_FALSE(procedure.required);
    ASSERT_EQ(procedure.steps.size(), 6u);
    EXPECT_EQ(procedure.steps[1].text, "Create a snapshot of the TimescaleDB EBS volume.");
    EXPECT_EQ(procedure.steps[1].line, 768);
    EXPECT_EQ(procedure.steps[5].number, 6);
}

TEST_F(ChangelogCorpus, From3142To3152TheClusterIdRename) {
    auto part = release::slice(*c, v("3.14.2"), v("3.15.2"));
    ASSERT_EQ(part.parameter_renames.size(), 1u);
    const auto& rename = part.parameter_renames[0];
    EXPECT_EQ(rename.scope, "4-2-configuration");
    EXPECT_EQ(rename.from, "NetworkServerClusterID");
    EXPECT_EQ(rename.to, "ClusterID");
    EXPECT_EQ(version_label(rename.origin.version), "3.15.0");
    EXPECT_EQ(rename.origin.line, 778);
    EXPECT_TRUE(rename.values.empty());
    EXPECT_TRUE(part.template_renames.empty());
    // The heading still says 4-2-configuration, renamed to 4-2a-configuration in 3.13.0.
    EXPECT_EQ(c->name_in("4-2-configuration", v("3.15.2")), "4-2a-configuration");
    EXPECT_EQ(c->name_in("4-2a-configuration", v("3.12.2")), "4-2-configuration");
}

TEST_F(ChangelogCorpus, From3142To3152TheResourceLimitingTemplate) {
    auto part = release::slice(*c, v("3.14.2"), v("3.15.2"));
    ASSERT_EQ(part.lifecycle.size(), 1u);
    EXPECT_EQ(part.lifecycle[0].template_id, "4-2c-configuration-resource-limiting");
    EXPECT_EQ(part.lifecycle[0].kind, release::LifecycleKind::added);
    EXPECT_EQ(version_label(part.lifecycle[0].origin.version), "3.15.0");
    EXPECT_EQ(changes_of(part, "4-2-configuration", "PacketBrokerClusterID"), (Strings{"removed"}));
    EXPECT_EQ(changes_of(part, "4-2-configuration", "ISSupportLink"), (Strings{"added"}));
    EXPECT_EQ(changes_of(part, "1-2-bastion", "EBSKmsKeyId"), (Strings{"added"}));
}

TEST_F(ChangelogCorpus, CryptoServerTemplateComesAndGoes) {
    Strings crypto;
    for (const auto& fact : c->lifecycle) {
        if (fact.template_id == "200-1-crypto") {
            crypto.push_back(std::string(release::lifecycle_name(fact.kind)) + "@" + version_label(fact.origin.version));
        }
    }
    EXPECT_EQ(crypto, (Strings{"removed@3.24.0", "undeploy@3.24.0", "new@3.16.0"}));
    EXPECT_EQ(labels(c->versions_touching("200-1-crypto")), (Strings{"3.16.0", "3.18.0", "3.24.0"}));
}

TEST_F(ChangelogCorpus, VpcPeeringIsOptional) {
    auto it = std::find_if(c->lifecycle.begin(), c->lifecycle.end(),
                           [](const auto& f) { return f.template_id == "6-1-vpc-peering"; });
    ASSERT_NE(it, c->lifecycle.end());
    EXPECT_EQ(it->kind, release::LifecycleKind::added_optional);
    EXPECT_EQ(it->condition, "if you use external CryptoServer");
}

TEST_F(ChangelogCorpus, InteropRenamesWithValueMappingsIn3170) {
    auto part = release::slice(*c, v("3.16.3"), v("3.17.0"));
    ASSERT_EQ(part.parameter_renames.size(), 2u);
    const auto& is = part.parameter_renames[0];
    EXPECT_EQ(is.scope + ":" + is.from + ">" + is.to, "5-3a-ecs-is-service:InteropEnabled>InteropEnabledIS");
    ASSERT_EQ(is.values.size(), 1u);
    EXPECT_EQ(is.values[0].from + ">" + is.values[0].to, "identity-server>mutual-authentication");
    EXPECT_EQ(is.otherwise, "disable");
    const auto& js = part.parameter_renames[1];
    EXPECT_EQ(js.scope + ":" + js.from + ">" + js.to, "5-4-ecs-service:InteropEnabled>InteropEnabledJS");
    EXPECT_EQ(c->canonical(js.scope), "5-4-ecs-services");
    const auto* lb = change_of(part, "3-2-load-balancer-rules", "InteropEnabled");
    ASSERT_NE(lb, nullptr);
    ASSERT_EQ(lb->values.size(), 2u);
    EXPECT_EQ(lb->values[0].from + ">" + lb->values[0].to, "false>disabled");
    EXPECT_EQ(lb->values[1].from + ">" + lb->values[1].to, "true>mutual-authentication");
    EXPECT_EQ(lb->new_values, (Strings{"server-only-authentication"}));
}

TEST_F(ChangelogCorpus, UpgradeProcedureOf3240) {
    auto part = release::slice(*c, v("3.23.2"), v("3.24.0"));
    auto it = std::find_if(part.procedures.begin(), part.procedures.end(), [](const auto& p) { return p.scope.empty(); });
    ASSERT_NE(it, part.procedures.end());
    EXPECT_TRUE(it->required);
    ASSERT_EQ(it->steps.size(), 4u);
    EXPECT_EQ(it->steps[1].text, "The `5-7a-certs-le` template needs to be upgraded first.");
    EXPECT_EQ(changes_of(part, "5-4-ecs-services", "InteropEnabledJS"), (Strings{"removed"}));
    const auto* is = change_of(part, "5-3a-ecs-is-service", "InteropEnabledIS");
    ASSERT_NE(is, nullptr);
    EXPECT_EQ(is->detail, "boolean");
    EXPECT_EQ(is->values.size(), 3u);
}

TEST_F(ChangelogCorpus, FourTwoConfigurationRenamedIn3130) {
    ASSERT_EQ(c->template_renames.size(), 1u);
    EXPECT_EQ(c->template_renames[0].from, "4-2-configuration");
    EXPECT_EQ(c->template_renames[0].to, "4-2a-configuration");
    EXPECT_EQ(version_label(c->template_renames[0].origin.version), "3.13.0");
}

TEST_F(ChangelogCorpus, CertbotTaskStackIsDeletedBeforeTheCertsTemplate) {
    auto it = std::find_if(c->lifecycle.begin(), c->lifecycle.end(),
                           [](const auto& f) { return f.template_id == "5-7b-ecs-certbot-scheduled-task"; });
    ASSERT_NE(it, c->lifecycle.end());
    EXPECT_EQ(it->kind, release::LifecycleKind::undeploy);
    EXPECT_EQ(it->before, "5-7a-certs-le");
    EXPECT_EQ(version_label(it->origin.version), "3.11.2");
}

TEST_F(ChangelogCorpus, SentencesNotUnderstoodAreKept) {
    auto part = release::slice(*c, v("3.14.2"), v("3.15.2"));
    EXPECT_EQ(unrecognized_texts(part), (Strings{"Now `Domain` is used instead"}));
}

}  // namespace
}  // namespace stackshift
