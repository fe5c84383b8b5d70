// The directive recognizer: sentences that tell deployments to set, choose or check something,
// each phrasing, on project-written sections and on the vendor's real changelog.

#include <filesystem>

#include "changelog_test_support.hpp"

namespace stackshift {
namespace {

using namespace testing;
using release::DirectiveKind;

// "kind scope parameter=value [equal_to] [created before] [if ...] #id @line".
std::string describe(const release::Directive& d) {
    std::string out = std::string(release::directive_name(d.kind)) + " " + d.scope;
    if (!d.parameter.empty()) out += " " + d.parameter;
    if (d.value) out += "='" + *d.value + "'";
    if (!d.equal_to.empty()) out += " =" + d.equal_to;
    if (d.created_before) out += " created-before " + d.created_before->to_string();
    if (!d.condition.empty()) out += " [" + d.condition + "]";
    return out + " #" + d.id + " @" + std::to_string(d.origin.line);
}

std::vector<std::string> directives_of(const release::Changelog& c) {
    std::vector<std::string> out;
    for (const auto& d : c.directives) out.push_back(describe(d));
    return out;
}

std::vector<std::string> directives_in(const std::string& body) {
    return directives_of(changelog_ok("# Upgrading\n\n## 3.30.0\n\n" + body));
}

TEST(ChangelogDirectives, MustSetAValueForDeploymentsCreatedBeforeThisVersion) {
    EXPECT_EQ(directives_in("### `2-5-db-timescale`\n\n"
                            "- Added the `DBEngineVersion` parameter. The default is `14`. Deployments created before "
                            "this version run PostgreSQL 12 and must set `DBEngineVersion` to `12`: this template does "
                            "not upgrade existing data.\n"),
              (std::vector<std::string>{"set 2-5-db-timescale DBEngineVersion='12' created-before 3.30.0 "
                                        "#3.30.0/2-5-db-timescale/deployments-created-before-this-version @7"}));
}

TEST(ChangelogDirectives, CreatedBeforeAWrittenMinorVersion) {
    EXPECT_EQ(directives_in("### `2-5-db-timescale`\n\n"
                            "- Deployments created before 3.28 must set `DBEngineVersion` to `12`.\n"),
              (std::vector<std::string>{"set 2-5-db-timescale DBEngineVersion='12' created-before 3.28.0 "
                                        "#3.30.0/2-5-db-timescale/deployments-created-before-328-must @7"}));
}

TEST(ChangelogDirectives, NotValidForMostDeploymentsShouldBeEqualToAnotherParameter) {
    EXPECT_EQ(directives_in("### `4-2a-configuration`\n\n"
                            "- Added the `ClusterIDAddressTemplate` parameter. Its default is empty, which is not valid "
                            "for most deployments: for single-cluster deployments it should be equal to `Domain`.\n"),
              (std::vector<std::string>{"equal-to 4-2a-configuration ClusterIDAddressTemplate =Domain "
                                        "#3.30.0/4-2a-configuration/its-default-is-empty-which @7"}));
}

TEST(ChangelogDirectives, ThisMustBeRefersToTheParameterOfThePreviousSentence) {
    EXPECT_EQ(directives_in("### `4-2-configuration`\n\n"
                            "- Added `PacketBrokerControlPlane` parameter. This must be `cp.packetbroker.org:443` for "
                            "all non-testing deployments.\n"),
              (std::vector<std::string>{"set 4-2-configuration PacketBrokerControlPlane='cp.packetbroker.org:443' "
                                        "#3.30.0/4-2-configuration/this-must-be-for-all @7"}));
}

TEST(ChangelogDirectives, MakeSureYouEnterTheOldValueIsAboutTheRenamedParameter) {
    EXPECT_EQ(directives_in("### `4-2a-configuration`\n\n"
                            "- `NetworkServerClusterID` has been renamed to `ClusterID`. Make sure you enter the old "
                            "value.\n"),
              (std::vector<std::string>{"enter 4-2a-configuration ClusterID "
                                        "#3.30.0/4-2a-configuration/make-sure-you-enter-the @7"}));
}

TEST(ChangelogDirectives, ShouldNowChooseIsAMappingOfTheParameterTheEntryChanges) {
    EXPECT_EQ(directives_in("### `2-3-db-redis`\n\n"
                            "- `CacheNodeType` has been renamed to `RedisNodeType`.\n"
                            "  - Deployments that used value `cache.t3.medium` should now choose `cache.t4g.medium`.\n"),
              (std::vector<std::string>{"mapping 2-3-db-redis RedisNodeType "
                                        "#3.30.0/2-3-db-redis/deployments-that-used-value-should @8"}));
}

TEST(ChangelogDirectives, SomethingToDoThatIsNoParameterIsACheck) {
    EXPECT_EQ(directives_in("### `5-1-ecs-cluster`\n\n"
                            "- You need to update the SSM Agent of running machines manually, or replace the "
                            "machines.\n"),
              (std::vector<std::string>{"check 5-1-ecs-cluster "
                                        "#3.30.0/5-1-ecs-cluster/you-need-to-update-the @7"}));
}

TEST(ChangelogDirectives, ASentenceThatNamesATemplateIsAboutThatTemplate) {
    EXPECT_EQ(directives_in("### Certificates\n\n"
                            "- When deploying `5-7a-certs-le` make sure to unset the `ExistingCertArn` parameter.\n"),
              (std::vector<std::string>{"set 5-7a-certs-le ExistingCertArn='' "
                                        "#3.30.0/5-7a-certs-le/when-deploying-make-sure-to @7"}));
}

TEST(ChangelogDirectives, AConditionIsKeptAsWritten) {
    EXPECT_EQ(directives_in("### `5-2-ecs-ops`\n\n"
                            "- You must run `noc-db init` if you deploy the Network Operations Center.\n"),
              (std::vector<std::string>{"check 5-2-ecs-ops [if you deploy the Network Operations Center] "
                                        "#3.30.0/5-2-ecs-ops/you-must-run-if-you @7"}));
}

TEST(ChangelogDirectives, SentencesThatAskNothingAreNoDirectives) {
    EXPECT_EQ(directives_in("### `5-6-ecs-noc`\n\n"
                            "- The default number of desired tasks has been increased to 2. We recommend that "
                            "production deployments run at least two.\n"
                            "- Added the `GOGCValue` parameter, which controls the Go garbage collector target.\n"),
              (std::vector<std::string>{}));
}

TEST(ChangelogDirectives, TwoSentencesAlikeGetDistinctIds) {
    EXPECT_EQ(directives_in("### `5-1-ecs-cluster`\n\n"
                            "- You need to update the machines.\n"
                            "- You need to update the machines.\n"),
              (std::vector<std::string>{"check 5-1-ecs-cluster #3.30.0/5-1-ecs-cluster/you-need-to-update-the @7",
                                        "check 5-1-ecs-cluster #3.30.0/5-1-ecs-cluster/you-need-to-update-the-2 @8"}));
}

TEST(ChangelogDirectives, ASliceKeepsTheDirectivesOfItsVersions) {
    auto c = changelog_ok("# Upgrading\n\n## 3.30.0\n\n### `a-1-x`\n\n- You must check it.\n\n## 3.29.0\n\n"
                          "### `a-1-x`\n\n- You must check that.\n");
    auto part = release::slice(c, v("3.29.0"), v("3.30.0"));
    ASSERT_EQ(part.directives.size(), 1u);
    EXPECT_EQ(part.directives[0].text, "You must check it.");
}

const std::string corpus_file =
    std::string(STACKSHIFT_SOURCE_DIR) + "/../shared/corpus/tti-docs/ecs-template-changelog-upto-3.28.2.md";

// The vendor's own sentences, at their lines.
TEST(ChangelogDirectivesCorpus, TheVendorsMustsAreRead) {
    if (!std::filesystem::exists(corpus_file)) GTEST_SKIP() << "corpus not present: " << corpus_file;
    auto c = changelog_ok(read_text(corpus_file), "UPGRADING.md");
    std::vector<std::string> at;
    for (const auto& d : c.directives) {
        int line = d.origin.line;
        if (line == 632 || line == 635 || line == 638 || line == 778 || line == 1022 || line == 1027 || line == 1112)
            at.push_back(describe(d));
    }
    EXPECT_EQ(at, (std::vector<std::string>{
                      "mapping 3-2-load-balancer-rules InteropEnabled "
                      "#3.17.0/3-2-load-balancer-rules/deployments-that-used-value-should @632",
                      "mapping 3-2-load-balancer-rules InteropEnabled "
                      "#3.17.0/3-2-load-balancer-rules/deployments-that-used-value-should-2 @632",
                      "mapping 5-3a-ecs-is-service InteropEnabledIS "
                      "#3.17.0/5-3a-ecs-is-service/deployments-that-used-value-should @635",
                      "mapping 5-4-ecs-service InteropEnabledJS "
                      "#3.17.0/5-4-ecs-service/deployments-that-used-value-should @638",
                      "enter 4-2-configuration ClusterID #3.15.0/4-2-configuration/make-sure-you-enter-the @778",
                      "check 5-6-ecs-proxy #3.12.0/5-6-ecs-proxy/make-sure-to-use-the @1022",
                      "set 4-2-configuration PacketBrokerControlPlane='cp.packetbroker.org:443' "
                      "#3.12.0/4-2-configuration/this-must-be-for-all @1027",
                      "set 5-7a-certs-le ExistingCertArn='' #3.11.2/5-7a-certs-le/when-deploying-make-sure-to @1112",
                  }));
}

}  // namespace
}  // namespace stackshift
