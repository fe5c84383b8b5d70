// Every input the fuzzer ever found a problem with stays here as a regression input: loading
// it must give a template or diagnostics (and, under the sanitizers, no leak or UB).

#include <filesystem>
#include <set>
#include <string>

#include "cfn/readers.hpp"
#include "cfn/template_diff.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

TEST(FuzzRegressions, EveryKeptInputLoadsWithoutCrashing) {
    int inputs = 0;
    for (const auto& dir : {"fuzz/regressions/loader", "fuzz/corpus/loader"}) {
        for (const auto& entry : std::filesystem::directory_iterator(testing::source_path(dir))) {
            std::string bytes = testing::read_text(entry.path().string());
            if (bytes.empty()) continue;
            ++inputs;
            // The fuzz target's convention: the first byte picks the reader.
            std::string name = (static_cast<unsigned char>(bytes[0]) & 1) ? "fuzz.json" : "fuzz.yaml";
            auto result = parse_template(std::string_view(bytes).substr(1), name);
            if (result) {
                ParameterValues values;
                EXPECT_TRUE(diff_templates(*result, *result, &values).empty()) << entry.path();
                EXPECT_TRUE(diff_templates(*result, *result, nullptr).empty()) << entry.path();
            } else {
                EXPECT_FALSE(result.diagnostics().empty()) << entry.path();
            }
        }
    }
    EXPECT_GE(inputs, 3);
}

// Each kept YAML input was a difference between the fast reader and libfyaml, fixed by making
// the fast reader give up on it. So on each the fast reader gives up, and what the product reads
// (read_yaml: the fast reader, else libfyaml) is what libfyaml alone reads: the same tree, or the
// same diagnostics. Counted, so that the test fails when no comparison runs.
TEST(FuzzRegressions, FastYamlPathAgreesWithLibfyamlOnKeptInputs) {
    const std::set<std::string> kept = {"block-scalar-as-document", "document-end-marker-only", "empty-block-scalar",
                                        "lone-carriage-return",     "malformed-utf8",           "quoted-key-without-value",
                                        "tag-then-scalar-on-next-line", "two-tags-on-one-node"};
    // libfyaml refuses the other four; their diagnostics are compared.
    const std::set<std::string> libfyaml_reads = {"document-end-marker-only", "empty-block-scalar", "quoted-key-without-value",
                                                  "tag-then-scalar-on-next-line"};
    std::set<std::string> seen;
    std::set<std::string> trees_compared;
    int diagnostics_compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("fuzz/regressions/yaml"))) {
        const std::string name = entry.path().filename().string();
        std::string text = testing::read_text(entry.path().string());
        seen.insert(name);
        EXPECT_FALSE(read_yaml_fast(text).has_value()) << name << ": the fast reader no longer gives up on a fuzzer finding";
        auto product = read_yaml(text, "t.yaml");
        auto reference = read_yaml_reference(text, "t.yaml");
        ASSERT_EQ(product.ok(), reference.ok()) << name;
        if (reference.ok()) {
            EXPECT_EQ(first_difference(*product, *reference), "") << name;
            trees_compared.insert(name);
        } else {
            EXPECT_EQ(to_string(product.diagnostics()), to_string(reference.diagnostics())) << name;
            ++diagnostics_compared;
        }
    }
    EXPECT_EQ(seen, kept) << "a new kept input: name it here";
    EXPECT_EQ(trees_compared, libfyaml_reads);
    EXPECT_GT(trees_compared.size(), 0u);
    EXPECT_EQ(trees_compared.size() + static_cast<std::size_t>(diagnostics_compared), kept.size());
}

}  // namespace
}  // namespace stackshift::cfn
