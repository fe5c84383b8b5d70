#pragma once
// AwsOptions: how to reach AWS through the AWS CLI: which CLI, and the region, profile and
// endpoint every call gets (--aws-cli, --region, --profile, --endpoint-url).

#include <cstdint>
#include <string>
#include <vector>

namespace stackshift::cloud::aws {

struct AwsOptions {
    std::string cli;  // --aws-cli; else $STACKSHIFT_AWS_CLI, else `aws` on PATH
    std::string region;
    std::string profile;
    std::string endpoint_url;
    int parallel = 4;  // independent calls at once (templates of a snapshot, both task lists)
    // Our own retries of a throttled call, on top of the CLI's few attempts, with exponential
    // backoff and jitter from this base (retry n waits between half and all of base * 2^n, at
    // most 20 s); after them the call throws and the caller may retry.
    int throttle_retries = 4;
    std::int64_t throttle_base_ms = 1000;
    std::vector<std::string> env;  // extra NAME=value for the CLI's environment
    // Template bodies longer than this go to the CLI as file:// of a temporary file (argv is limited).
    std::size_t inline_template_limit = 16 * 1024;
};

}  // namespace stackshift::cloud::aws
