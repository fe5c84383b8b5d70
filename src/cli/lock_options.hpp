#pragma once
// The deployment lock as the command line names it: `apply` takes it, `unlock` removes it, both
// from the same --backend and --stack-prefix, so that a refused apply can print the exact
// `stackshift unlock` command that removes the lock it met.

#include <string>

#include "cloud/aws/aws_options.hpp"

namespace stackshift::cli {

// The lock's name: the stack prefix, which names the deployment on AWS; a simulated world read
// whole (no --stack-prefix) is one deployment, "world". InputError when --backend aws has no
// --stack-prefix.
std::string deployment_lock_name(const std::string& backend, const std::string& stack_prefix);

// `stackshift unlock --backend ... [--stack-prefix ...] [AWS options]`, each word shell-quoted.
std::string unlock_command_line(const std::string& backend, const std::string& stack_prefix, const cloud::aws::AwsOptions& aws);

// A word as a POSIX shell reads it back: unchanged when it is safe, else in single quotes.
std::string shell_quote(const std::string& word);

}  // namespace stackshift::cli
