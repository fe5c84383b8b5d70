#include "cli/backend.hpp"

#include "cloud/aws/aws_cloud.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "plan/plan.hpp"

namespace stackshift::cli {

namespace {

Backend open_sim(const std::string& state) {
    auto sim = std::make_unique<cloud::sim::SimCloud>(cloud::sim::SimCloud::open(state));
    cloud::sim::SimCloud* world = sim.get();
    Backend backend;
    backend.simulated = true;
    backend.hop_done = [world](const plan::Hop& hop) {
        world->world().version = hop.to.to_string();
        world->save();
    };
    backend.api_calls = [world] {
        std::uint64_t calls = 0;
        std::string detail;
        for (const auto& [name, count] : world->world().api_calls) {
            calls += count;
            detail += (detail.empty() ? "" : ", ") + name + " " + std::to_string(count);
        }
        return std::to_string(calls) + (detail.empty() ? "" : " (" + detail + ")");
    };
    backend.cloud = std::move(sim);
    return backend;
}

}  // namespace

Backend open_backend(const std::string& spec, const cloud::aws::AwsOptions& aws) {
    if (spec.rfind("sim:", 0) == 0 && spec.size() > 4) return open_sim(spec.substr(4));
    if (spec == "aws") {
        Backend backend;
        backend.cloud = cloud::aws::AwsCloud::open(aws);
        return backend;
    }
    if (spec.empty())
        throw InputError("apply needs --backend sim:STATEFILE (a world from 'stackshift sim init') or --backend aws");
    throw InputError("--backend '" + spec + "': expected sim:STATEFILE (a world from 'stackshift sim init') or aws");
}

void add_aws_options(CommandLine& command, cloud::aws::AwsOptions& aws) {
    command.option("--region", aws.region, "With --backend aws: the AWS region (else the profile's or AWS_REGION)");
    command.option("--profile", aws.profile, "With --backend aws: the AWS CLI profile (credentials, SSO, role)");
    command.option("--endpoint-url", aws.endpoint_url, "With --backend aws: send every AWS call to this URL");
    command.option("--aws-cli", aws.cli, "With --backend aws: the AWS CLI v2 to run (else STACKSHIFT_AWS_CLI, else aws on PATH)");
}

}  // namespace stackshift::cli
