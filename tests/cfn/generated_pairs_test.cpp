// The benchmark's generated template pairs (bench/gen_pairs.py) as a test: the test generates
// them itself, so it always runs. On every pair both YAML readers build the same tree, and the
// diff gives each resource the impact the generator wrote down for it; every other resource is
// unchanged.

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "doc/readers.hpp"
#include "cfn/template.hpp"
#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using doc::first_difference;
using doc::read_yaml_fast;
using doc::read_yaml_reference;

std::map<std::string, std::string> expected_impacts(const std::string& path) {
    std::map<std::string, std::string> impacts;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        if (tab != std::string::npos) impacts[line.substr(0, tab)] = line.substr(tab + 1);
    }
    return impacts;
}

TEST(GeneratedPairs, BothReadersAgreeAndTheDiffGivesEveryResourceTheGeneratorsImpact) {
    testing::TempDir dir;
    std::string command = "python3 '" + testing::source_path("bench/gen_pairs.py") + "' '" + dir.path() +
                          "' --sizes 50,500 > '" + dir.path() + "/gen.log' 2>&1";
    int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "bench/gen_pairs.py failed: " << testing::read_text(dir.path() + "/gen.log");

    int pairs = 0;
    int checked = 0;
    for (int n : {50, 500}) {
        std::string base = dir.path() + "/pair-" + std::to_string(n);
        std::string old_text = testing::read_text(base + ".old.yaml");
        std::string new_text = testing::read_text(base + ".new.yaml");
        for (const std::string* text : {&old_text, &new_text}) {
            auto fast = read_yaml_fast(*text);
            auto reference = read_yaml_reference(*text, base);
            ASSERT_TRUE(fast.has_value()) << base << ": the fast path gave up";
            ASSERT_TRUE(reference.ok()) << to_string(reference.diagnostics());
            EXPECT_EQ(first_difference(*fast, *reference), "") << base;
        }

        auto old_template = parse_template(old_text, base + ".old.yaml");
        auto new_template = parse_template(new_text, base + ".new.yaml");
        ASSERT_TRUE(old_template.ok()) << to_string(old_template.diagnostics());
        ASSERT_TRUE(new_template.ok()) << to_string(new_template.diagnostics());
        auto diff = diff_templates(*old_template, *new_template, nullptr);
        auto expected = expected_impacts(base + ".expected.tsv");
        ASSERT_FALSE(expected.empty()) << base << ".expected.tsv is empty";
        for (const auto& [logical_id, impact] : expected) {
            const ResourceDiff* resource = diff.resource(logical_id);
            ASSERT_NE(resource, nullptr) << base << ": no diff for " << logical_id << " (expected " << impact << ")";
            EXPECT_EQ(impact_name(resource->impact), impact) << base << ": " << logical_id;
            ++checked;
        }
        for (const auto& resource : diff.resources) {
            if (expected.count(resource.logical_id) == 0) {
                EXPECT_EQ(resource.impact, Impact::no_change) << base << ": " << resource.logical_id << " is "
                                                              << impact_name(resource.impact) << ", the generator did not change it";
            }
        }
        ++pairs;
    }
    EXPECT_EQ(pairs, 2);
    EXPECT_GE(checked, 50);  // 10% of 550 resources changed
}

}  // namespace
}  // namespace stackshift::cfn
