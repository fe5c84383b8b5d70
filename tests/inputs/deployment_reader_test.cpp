// The live deployment reader, generic over the Cloud, against the simulator: it reads what a
// snapshot holds, and names the stacks there when none matches the prefix. Through the AWS
// backend: tests/aws/aws_backend_test.cpp and aws_cli_test.cpp.

#include <algorithm>
#include <functional>

#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "inputs/deployment_reader.hpp"
#include "inputs/snapshot_file.hpp"
#include "test_support.hpp"

namespace stackshift::inputs {
namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return std::string("Error: ") + e.what();
    }
    return "(no error)";
}

TEST(DeploymentReader, ReadsTheSimulatorAsASnapshotHasIt) {
    auto snapshot = load_deployment(testing::source_path("examples/deployment/acme-prod-3.14.2.json"));
    ASSERT_TRUE(snapshot);
    cloud::sim::SimCloud simulator(cloud::sim::world_from_deployment(*snapshot, {}));
    auto profile = profile::builtin_profile("the-things-stack-ecs");
    ASSERT_TRUE(profile);
    cfn::Deployment read = read_deployment(simulator, {"acme-prod-", ""}, *profile);
    EXPECT_EQ(read.region, snapshot->region);
    ASSERT_EQ(read.stacks.size(), snapshot->stacks.size());
    for (const auto& s : read.stacks) {
        const cfn::DeployedStack* original = snapshot->stack(s.name);
        ASSERT_NE(original, nullptr) << s.name;
        EXPECT_EQ(s.template_id, original->template_id) << s.name;
        EXPECT_EQ(s.parameters, original->parameters) << s.name;
        EXPECT_EQ(s.outputs, original->outputs) << s.name;
        EXPECT_EQ(s.template_body, original->template_body) << s.name;
        auto expected = original->no_echo;
        std::sort(expected.begin(), expected.end());
        EXPECT_EQ(s.no_echo, expected) << s.name;
    }
}

TEST(DeploymentReader, NoStackMatchesThePrefix) {
    auto snapshot = load_deployment(testing::source_path("examples/generic/deployment/shop-1.0.0.json"));
    ASSERT_TRUE(snapshot);
    cloud::sim::SimCloud simulator(cloud::sim::world_from_deployment(*snapshot, {}));
    auto profile = profile::builtin_profile("numbered-stacks");
    EXPECT_EQ(error_of([&] { read_deployment(simulator, {"shp-", ""}, *profile); }),
              "Error: no stack's name starts with 'shp-'; stacks there are shop-1-1-network, shop-2-1-queue, "
              "shop-3-1-workers; give the start their names share with --stack-prefix");
}

}  // namespace
}  // namespace stackshift::inputs
