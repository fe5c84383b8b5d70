// Every input the fuzzer ever found a problem with stays here as a regression input: loading
// it must give a template or diagnostics (and, under the sanitizers, no leak or UB). The YAML
// readers' own findings are replayed by tests/doc/fuzz_regressions_test.cpp.

#include <filesystem>
#include <string>

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

}  // namespace
}  // namespace stackshift::cfn
