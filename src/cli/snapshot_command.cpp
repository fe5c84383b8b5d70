// stackshift snapshot: reads the live deployment (the stacks whose names start with
// --stack-prefix) from AWS, or from a simulated AWS, and writes it as a deployment snapshot
// (stackshift-deployment/1), atomically: on any error nothing is written.

#include <iostream>
#include <memory>

#include "cli/backend.hpp"
#include "cli/commands.hpp"
#include "cli/plan_source.hpp"
#include "cloud/aws/aws_cloud.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "inputs/deployment_reader.hpp"
#include "inputs/snapshot_file.hpp"

namespace stackshift::cli {

namespace {

struct SnapshotOptions {
    std::string prefix;
    std::string out;
    std::string backend = "aws";
    std::string product = plan::PlanRequest{}.profile;
    cloud::aws::AwsOptions aws;
};

int run_snapshot(const SnapshotOptions& o) {
    profile::Profile profile = take_profile(o.product);
    cfn::Deployment deployment;
    if (o.backend == "aws") {
        auto cloud = cloud::aws::AwsCloud::open(o.aws);
        deployment = inputs::read_deployment(*cloud, {o.prefix, o.aws.region}, profile);
    } else if (o.backend.rfind("sim:", 0) == 0 && o.backend.size() > 4) {
        // Not saved: taking a snapshot changes nothing in the world.
        cloud::sim::SimCloud sim(cloud::sim::load_world(o.backend.substr(4)));
        deployment = inputs::read_deployment(sim, {o.prefix, sim.world().region}, profile);
        deployment.version = sim.world().version;
    } else {
        throw InputError("--backend '" + o.backend + "': expected aws or sim:STATEFILE (a world from 'stackshift sim init')");
    }
    write_file_atomic(o.out, inputs::deployment_to_json(deployment));
    std::size_t unmapped = 0;
    for (const auto& s : deployment.stacks) unmapped += s.template_id.empty() ? 1 : 0;
    std::cout << "snapshot of " << deployment.stacks.size() << " stacks (" << o.prefix << "*) written to " << o.out << '\n';
    if (unmapped > 0)
        std::cout << "note: " << unmapped << " stack names end in no template id; plan maps them with the release's "
                  << "templates, or map them in the profile's stacks.overrides\n";
    return 0;
}

}  // namespace

Handler setup_snapshot(CommandLine& command) {
    auto options = std::make_shared<SnapshotOptions>();
    command.option("--stack-prefix", options->prefix, "The deployment: the stacks whose names start with this (acme-prod-)")
        .required();
    command.option("--out", options->out, "The snapshot file to write (JSON)").required();
    command.option("--backend", options->backend, "Where the stacks are: aws (default) or sim:STATEFILE");
    command.option("--product", options->product,
                       "Product profile that maps stack names to templates: a bundled name or a file");
    add_aws_options(command, options->aws);
    return [options] { return run_snapshot(*options); };
}

}  // namespace stackshift::cli
