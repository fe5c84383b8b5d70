// libFuzzer target: any bytes given to the template loader must give a template or
// diagnostics, never a crash, a hang or undefined behaviour. Both readers are exercised: the
// first byte picks JSON or YAML so that the corpus covers each.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"
#include "cfn/template_diff.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string name = (data[0] & 1) ? "fuzz.json" : "fuzz.yaml";
    auto result = stackshift::cfn::parse_template(text, name);
    if (result) {
        // A loaded template must also survive being evaluated and diffed against itself, with
        // and without values, and a template never differs from itself.
        stackshift::cfn::ParameterValues values;
        if (!stackshift::cfn::diff_templates(*result, *result, &values).empty()) __builtin_trap();
        if (!stackshift::cfn::diff_templates(*result, *result, nullptr).empty()) __builtin_trap();
    }
    return 0;
}
