// The YAML differential fuzzer's findings, kept as regression inputs in fuzz/regressions/yaml:
// the fast reader and libfyaml must still read each alike. The template loader's findings are
// replayed by tests/cfn/fuzz_regressions_test.cpp.

#include <filesystem>
#include <set>
#include <string>

#include "doc/readers.hpp"
#include "test_support.hpp"

namespace stackshift::doc {
namespace {

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
}  // namespace stackshift::doc
