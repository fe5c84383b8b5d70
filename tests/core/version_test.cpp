// Versions, ranges and template ids.

#include <algorithm>

#include "core/template_id.hpp"
#include "core/version.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

Version v(const char* text) { return *Version::parse(text); }

TEST(Version, ParsesAndPrints) {
    EXPECT_EQ(v("3.15.0").to_string(), "3.15.0");
    EXPECT_EQ(v("v3.19.2").to_string(), "3.19.2");
    EXPECT_EQ(v("3.15.0-rc.1").pre_release, "rc.1");
    for (const char* bad : {"3.15", "3.15.x", "3.15.0.1", "03.1.0", "a.b.c", "", "3.15.0-", "3..1"})
        EXPECT_FALSE(Version::parse(bad)) << bad;
}

TEST(Version, OrdersAsSemver) {
    EXPECT_LT(v("3.9.9"), v("3.10.0"));
    EXPECT_LT(v("3.15.0-rc.1"), v("3.15.0"));
    EXPECT_LT(v("3.15.0-rc.2"), v("3.15.0-rc.10"));
    EXPECT_LT(v("3.15.0-alpha"), v("3.15.0-beta"));
    EXPECT_LT(v("3.15.0-1"), v("3.15.0-alpha"));
    EXPECT_LT(v("3.14.2"), v("3.15.0-rc.1"));
    EXPECT_EQ(v("v3.1.0"), v("3.1.0"));
}

TEST(Version, RangeIsAfterFromUpToAndIncludingTo) {
    std::vector<Version> known{v("3.14.2"), v("3.15.0"), v("3.15.1"), v("3.16.0"), v("3.13.0")};
    auto range = versions_in_range(v("3.14.2"), v("3.15.1"), known);
    EXPECT_EQ(range, (std::vector<Version>{v("3.15.0"), v("3.15.1")}));
    EXPECT_TRUE(versions_in_range(v("3.15.1"), v("3.15.1"), known).empty());
}

TEST(Version, LatestPatchOfAMinor) {
    std::vector<Version> known{v("3.24.0"), v("3.24.2"), v("3.24.1"), v("3.24.3-rc.1"), v("3.25.0")};
    EXPECT_EQ(latest_patch(3, 24, known), v("3.24.2"));
    EXPECT_EQ(latest_patch(3, 26, known), std::nullopt);
}

TEST(Version, ResolveNamesTheOptionAndTheKnownVersions) {
    std::vector<Version> known{v("3.15.1"), v("3.14.2"), v("3.16.0")};
    EXPECT_EQ(*resolve_version("3.15", "--to", known), v("3.15.1"));
    EXPECT_EQ(*resolve_version("3.14.2", "--from", known), v("3.14.2"));
    auto unknown = resolve_version("3.15.0", "--to", known);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(to_string(unknown.diagnostics()), "unknown version '3.15.0' in --to; known versions are 3.14.2, 3.15.1, 3.16.0");
    auto bad = resolve_version("three", "--to", known);
    EXPECT_EQ(to_string(bad.diagnostics()),
              "invalid version 'three' in --to; expected MAJOR.MINOR.PATCH such as 3.24.2, or MAJOR.MINOR for its latest patch");
    auto minor = resolve_version("3.20", "--to", known);
    EXPECT_EQ(to_string(minor.diagnostics()), "no known release of 3.20 for --to; known versions are 3.14.2, 3.15.1, 3.16.0");
}

TEST(TemplateId, ParsesTheParts) {
    auto id = TemplateId::parse("2-4a-is-s3");
    ASSERT_TRUE(id);
    EXPECT_EQ(id->major, 2);
    EXPECT_EQ(id->minor, 4);
    EXPECT_EQ(id->letter, "a");
    EXPECT_EQ(id->name, "is-s3");
    for (const char* bad : {"vpc", "1-vpc", "1-1-", "1-1-VPC", "1-1-vpc-", "-1-1-vpc", "1-1a"})
        EXPECT_FALSE(TemplateId::parse(bad)) << bad;
}

TEST(TemplateId, OrderOfTheDeployment) {
    std::vector<std::string> ids{"200-1-crypto", "6-1-monitoring", "5-3b-ecs-gs-service", "5-3a-ecs-is-service",
                                 "2-5-db-timescale", "2-4b-routing-s3", "2-4a-is-s3", "2-1-db-aurora-master",
                                 "1-2-bastion", "1-1-vpc", "2-4-s3"};
    std::sort(ids.begin(), ids.end(), template_order_less);
    EXPECT_EQ(ids, (std::vector<std::string>{"1-1-vpc", "1-2-bastion", "2-1-db-aurora-master", "2-4-s3", "2-4a-is-s3",
                                             "2-4b-routing-s3", "2-5-db-timescale", "5-3a-ecs-is-service",
                                             "5-3b-ecs-gs-service", "6-1-monitoring", "200-1-crypto"}));
}

TEST(TemplateId, SameNumberOrderedByName) {
    EXPECT_TRUE(template_order_less("5-5-ecs-monitoring", "5-5-ecs-proxy"));
    EXPECT_FALSE(template_order_less("5-5-ecs-proxy", "5-5-ecs-monitoring"));
}

TEST(TemplateId, NamesOutsideThePatternSortLastByName) {
    std::vector<std::string> ids{"zeta", "alpha", "1-1-vpc"};
    std::sort(ids.begin(), ids.end(), template_order_less);
    EXPECT_EQ(ids, (std::vector<std::string>{"1-1-vpc", "alpha", "zeta"}));
    auto r = parse_template_id("vpc", "releases/3.15.1/vpc.yaml");
    ASSERT_FALSE(r);
    EXPECT_EQ(to_string(r.diagnostics()),
              "releases/3.15.1/vpc.yaml: 'vpc' is not a template id; expected NUMBER-NUMBER[letter]-name such as 1-1-vpc, "
              "2-4a-is-s3 or 200-1-crypto");
}

}  // namespace
}  // namespace stackshift
