#include "cli/lock_options.hpp"

#include <utility>
#include <vector>

#include "core/error.hpp"

namespace stackshift::cli {

std::string deployment_lock_name(const std::string& backend, const std::string& stack_prefix) {
    if (!stack_prefix.empty()) return stack_prefix;
    if (backend == "aws")
        throw InputError("--backend aws reads the live deployment: give --stack-prefix PREFIX (the start of its stack "
                         "names, such as acme-prod-)");
    return "world";
}

std::string shell_quote(const std::string& word) {
    bool safe = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == std::string::npos;
    if (safe) return word;
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string unlock_command_line(const std::string& backend, const std::string& stack_prefix, const cloud::aws::AwsOptions& aws) {
    std::vector<std::pair<std::string, std::string>> options = {{"--backend", backend}, {"--stack-prefix", stack_prefix},
                                                                {"--region", aws.region}, {"--profile", aws.profile},
                                                                {"--endpoint-url", aws.endpoint_url}, {"--aws-cli", aws.cli}};
    std::string out = "stackshift unlock";
    for (const auto& [flag, value] : options)
        if (!value.empty()) out += " " + flag + " " + shell_quote(value);
    return out;
}

}  // namespace stackshift::cli
