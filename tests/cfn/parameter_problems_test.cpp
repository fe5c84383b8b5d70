// check_parameter_value: the constraints a value breaks as data (which, the element at fault,
// the bound as CloudFormation prints it), which the simulator turns into AWS's own messages.

#include "cfn/parameter_validator.hpp"
#include "test_support.hpp"

namespace stackshift::cfn {
namespace {

Parameter param(std::string type) {
    Parameter p;
    p.name = "P";
    p.type = std::move(type);
    return p;
}

using V = ParameterViolation;

std::vector<std::pair<V, std::string>> violations(const Parameter& p, std::string_view value) {
    std::vector<std::pair<V, std::string>> out;
    for (const auto& problem : check_parameter_value(p, value)) out.emplace_back(problem.violation, problem.element + "|" + problem.limit);
    return out;
}

TEST(ParameterProblems, EachConstraintWithItsElementAndBound) {
    Parameter range = param("List<Number>");
    range.min_value = 1.5;
    range.max_value = 10;
    EXPECT_EQ(violations(range, "2, x,1,11"),
              (std::vector<std::pair<V, std::string>>{{V::not_a_number, "x|"}, {V::below_min_value, "1|1.5"}, {V::above_max_value, "11|10"}}));
    EXPECT_TRUE(check_parameter_value(range, "2,10").empty());

    Parameter text = param("String");
    text.allowed_pattern = "[a-z]+";
    text.min_length = 3;
    text.max_length = 4;
    EXPECT_EQ(violations(text, "A"), (std::vector<std::pair<V, std::string>>{{V::no_match, "A|[a-z]+"}, {V::too_short, "A|3"}}));
    EXPECT_EQ(violations(text, "abcde"), (std::vector<std::pair<V, std::string>>{{V::too_long, "abcde|4"}}));

    Parameter list = param("CommaDelimitedList");
    list.allowed_values = {"a", "b"};
    EXPECT_TRUE(check_parameter_value(list, "a, b").empty());
    EXPECT_EQ(violations(list, "a,c"), (std::vector<std::pair<V, std::string>>{{V::not_allowed, "a,c|"}}));
}

}  // namespace
}  // namespace stackshift::cfn
