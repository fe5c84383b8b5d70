#pragma once
// Backend: the Cloud a command talks to, chosen by --backend. `sim:STATEFILE` is the simulated
// AWS of a state file; `aws` drives the AWS CLI. Besides the Cloud, a backend says what the
// run is measured in (virtual or real seconds) and what it can report at the end.

#include "cli/command_line.hpp"
#include <functional>
#include <memory>
#include <string>

#include "cloud/aws/aws_options.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::plan {
struct Hop;
}

namespace stackshift::cli {

struct Backend {
    std::unique_ptr<cloud::Cloud> cloud;
    bool simulated = false;
    // Called after the last step of a hop: the simulator records the world's version.
    std::function<void(const plan::Hop& hop)> hop_done;
    // The API calls made so far, "N (Operation N, ...)"; empty when the backend cannot count them.
    std::function<std::string()> api_calls;
};

// Opens the backend named by --backend ("sim:STATEFILE" or "aws", which reaches AWS as `aws`
// says); InputError when it names none, with what is expected.
Backend open_backend(const std::string& spec, const cloud::aws::AwsOptions& aws = {});

// Registers --region, --profile, --endpoint-url and --aws-cli.
void add_aws_options(CommandLine& command, cloud::aws::AwsOptions& aws);

}  // namespace stackshift::cli
