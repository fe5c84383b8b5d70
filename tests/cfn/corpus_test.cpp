// The engine on real-world templates: every template that cfn-lint's own test suite treats
// as good (../shared/corpus/cfn-lint-templates) loads, compares equal to itself, and reads the
// same through both YAML readers, except the few CloudFormation itself refuses, each with its
// exact message. A new file that does not load fails the test.

#include <algorithm>
#include <filesystem>
#include <map>

#include "doc/readers.hpp"
#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

using doc::first_difference;
using doc::read_yaml_fast;
using doc::read_yaml_reference;

const std::string corpus = std::string(STACKSHIFT_SOURCE_DIR) + "/../shared/corpus/cfn-lint-templates";

constexpr std::string_view empty_resources =
    "the Resources section is empty ('{}'); CloudFormation requires at least one resource: declare one, e.g. "
    "'Placeholder: {Type: AWS::CloudFormation::WaitConditionHandle}'";

// Files cfn-lint accepts but CloudFormation refuses, with the message stackshift gives.
std::map<std::string, std::string> refused() {
    std::map<std::string, std::string> out;
    for (const char* place : {"good/core/config_cfn_lint.json:16:15", "good/core/config_cfn_lint.yaml:11:12",
                              "good/core/config_only_i1002.yaml:8:12", "good/core/config_only_i1003.yaml:8:12",
                              "good/core/config_parameters.yaml:8:12", "good/decode/parsing.json:8:16",
                              "good/mappings/name.yaml:10:12", "good/parameters/default.yaml:81:12",
                              "good/resources/cloudformation/stack_nested.yaml:6:12"}) {
        std::string file(place);
        file.resize(file.find(':'));
        out[file] = std::string(place) + ": " + std::string(empty_resources);
    }
    out["good/custom/is-defined.yaml"] =
        "good/custom/is-defined.yaml:4:1: unknown template section 'Parameter' (did you mean 'Parameters'?); sections are "
        "AWSTemplateFormatVersion, Description, Metadata, Parameters, Rules, Mappings, Conditions, Transform, Resources, "
        "Outputs, Hooks";
    return out;
}

bool is_template(const std::filesystem::path& path) {
    auto extension = path.extension();
    return extension == ".yaml" || extension == ".yml" || extension == ".json" || extension == ".template";
}

TEST(CfnLintCorpus, EveryTemplateLoadsOrIsRefusedAsCloudFormationWould) {
    if (!std::filesystem::exists(corpus)) GTEST_SKIP() << "the cfn-lint template corpus is not at " << corpus;
    auto expected_refusals = refused();
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
        if (entry.is_regular_file() && is_template(entry.path())) {
            files.push_back(std::filesystem::relative(entry.path(), corpus).generic_string());
        }
    }
    std::sort(files.begin(), files.end());
    int loaded = 0;
    int refusals = 0;
    for (const auto& name : files) {
        std::string text = testing::read_text(corpus + "/" + name);
        // Named by the path inside the corpus, so that messages do not depend on the checkout.
        auto result = parse_template(text, name);
        auto expected = expected_refusals.find(name);
        if (expected != expected_refusals.end()) {
            ++refusals;
            EXPECT_FALSE(result.ok()) << name << " loads, but CloudFormation refuses it";
            if (!result.ok()) {
                EXPECT_EQ(to_string(result.diagnostics()), expected->second) << name;
            }
            continue;
        }
        if (!result.ok()) {
            ADD_FAILURE() << name << " does not load:\n" << to_string(result.diagnostics());
            continue;
        }
        ++loaded;
        // What `stackshift diff FILE FILE` does: a template compared with itself has no changes.
        auto again = parse_template(text, name);
        ASSERT_TRUE(again.ok()) << name;
        TemplateDiff diff = diff_templates(*result, *again, nullptr);
        EXPECT_TRUE(diff.empty()) << name << ": " << diff.resources.size() << " resources differ from themselves";
        // Both YAML readers build the same tree wherever the fast one reads the file.
        if (detect_format(text) == Format::yaml) {
            auto fast = read_yaml_fast(text);
            auto reference = read_yaml_reference(text, name);
            ASSERT_TRUE(reference.ok()) << name << ": " << to_string(reference.diagnostics());
            if (fast) {
                EXPECT_EQ(first_difference(*fast, *reference), "") << name;
            }
        }
    }
    EXPECT_EQ(refusals, static_cast<int>(expected_refusals.size())) << "a file listed as refused is missing from the corpus";
    EXPECT_GT(loaded + refusals, 100) << "checked only " << loaded + refusals << " files under " << corpus;
    EXPECT_GT(loaded, 100);
}

}  // namespace
}  // namespace stackshift::cfn
