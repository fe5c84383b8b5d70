#pragma once
// The fields of the stack output a migration task is started from (the profile's
// `migrations.task_arguments`, one word per space-separated field of the output): which part of
// an ECS RunTask request each field fills. Parsed once when the profile is read; the planner
// puts them on each run-migration step (plan::RunTaskSpec) and apply fills the request by them.

#include <optional>
#include <string_view>
#include <vector>

namespace stackshift::profile {

enum class TaskArgument { task_definition, cluster, subnet, security_group };

// The profile's words: task_definition, cluster, subnet (also subnet_one, subnet_two, ...),
// security_group (also security_group_one, ...); nothing for any other word.
std::optional<TaskArgument> task_argument_from_word(std::string_view word);
// The words a profile may use, for its error messages.
std::vector<std::string_view> task_argument_words();
std::string_view task_argument_name(TaskArgument argument);  // "task_definition", "subnet", ...

}  // namespace stackshift::profile
