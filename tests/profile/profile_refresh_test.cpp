// The minimum healthy percentage of an auto-scaling group's instance refresh, on its role.

#include <gtest/gtest.h>

#include "profile/profile.hpp"
#include "test_support.hpp"

namespace stackshift::profile {
namespace {

TEST(ProfileRefresh, TheBundledProfileKeepsHalfTheClusterMachinesInService) {
    auto profile = builtin_profile("the-things-stack-ecs");  // the role points into it: keep it
    const Role* role = profile->role("cluster-machines");
    ASSERT_NE(role, nullptr);
    EXPECT_EQ(role->min_healthy_percentage, 50);
}

TEST(ProfileRefresh, AGroupRoleWithoutOneLeavesItUnset) {
    testing::TempDir dir;
    std::string path = dir.write("p.yaml", "format: stackshift-profile/1\nname: x\nroles:\n"
                                           "  - {name: m, template: 5-1-ecs, type: AWS::AutoScaling::AutoScalingGroup, why: w}\n"
                                           "  - {name: n, template: 5-1-ecs, type: AWS::AutoScaling::AutoScalingGroup, "
                                           "min_healthy_percentage: 0, why: w}\n");
    auto p = load_profile(path);
    ASSERT_TRUE(p) << to_string(p.diagnostics());
    EXPECT_FALSE(p->role("m")->min_healthy_percentage.has_value());
    EXPECT_EQ(p->role("n")->min_healthy_percentage, 0);
}

TEST(ProfileRefresh, APercentageOutsideZeroToHundredOrOnAnotherTypeIsAnErrorAtItsPlace) {
    testing::TempDir dir;
    std::string path = dir.write("p.yaml", "format: stackshift-profile/1\nname: x\nroles:\n"
                                           "  - name: m\n    template: 5-1-ecs\n    type: AWS::AutoScaling::AutoScalingGroup\n"
                                           "    min_healthy_percentage: 101\n    why: w\n"
                                           "  - {name: n, template: 5-1-ecs, type: AWS::AutoScaling::AutoScalingGroup, "
                                           "min_healthy_percentage: half, why: w}\n"
                                           "  - {name: v, template: 2-5-db, type: AWS::EC2::Volume, min_healthy_percentage: 50, why: w}\n");
    auto p = load_profile(path);
    ASSERT_FALSE(p);
    EXPECT_EQ(to_string(p.diagnostics()),
              path + ":7:29: roles.m: min_healthy_percentage must be a whole number from 0 to 100 (the percentage of "
                     "the group's capacity an instance refresh keeps in service), not '101'\n" +
              path + ":9:100: roles.n: min_healthy_percentage must be a whole number from 0 to 100 (the percentage of "
                     "the group's capacity an instance refresh keeps in service), not 'half'\n" +
              path + ":10:81: roles.v: min_healthy_percentage applies to an AWS::AutoScaling::AutoScalingGroup, not "
                     "'AWS::EC2::Volume'");
}

}  // namespace
}  // namespace stackshift::profile
