#include "profile/task_argument.hpp"

#include <array>
#include <utility>

namespace stackshift::profile {

namespace {

constexpr std::array<std::pair<std::string_view, TaskArgument>, 8> words{{
    {"task_definition", TaskArgument::task_definition},
    {"cluster", TaskArgument::cluster},
    {"subnet", TaskArgument::subnet},
    {"subnet_one", TaskArgument::subnet},
    {"subnet_two", TaskArgument::subnet},
    {"subnet_three", TaskArgument::subnet},
    {"security_group", TaskArgument::security_group},
    {"security_group_two", TaskArgument::security_group},
}};

}  // namespace

std::optional<TaskArgument> task_argument_from_word(std::string_view word) {
    for (const auto& [w, argument] : words)
        if (w == word) return argument;
    return std::nullopt;
}

std::vector<std::string_view> task_argument_words() {
    std::vector<std::string_view> out;
    for (const auto& [w, argument] : words) out.push_back(w);
    return out;
}

std::string_view task_argument_name(TaskArgument argument) {
    switch (argument) {
    case TaskArgument::task_definition: return "task_definition";
    case TaskArgument::cluster: return "cluster";
    case TaskArgument::subnet: return "subnet";
    case TaskArgument::security_group: return "security_group";
    }
    return "task_definition";
}

}  // namespace stackshift::profile
