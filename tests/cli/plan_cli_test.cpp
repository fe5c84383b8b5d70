// stackshift plan end to end on the bundled example (examples/): the binary, its JSON read step
// by step, its exit codes and its errors.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace stackshift::testing {
namespace {

using Json = nlohmann::json;

std::vector<std::string> example_args(const std::string& to) {
    return {"plan", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--releases",
            source_path("examples/releases"), "--to", to};
}

Json plan_json(std::vector<std::string> args, int expected_exit) {
    args.push_back("--output");
    args.push_back("json");
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.err;
    return Json::parse(r.out);
}

// "kind stack template risk automated" for each step of a hop.
std::vector<std::string> outline(const Json& hop) {
    std::vector<std::string> out;
    for (const auto& s : hop["steps"]) {
        std::string line = s["kind"].get<std::string>();
        if (s.contains("stack")) line += " " + s["stack"].get<std::string>();
        if (s.contains("template")) line += " " + s["template"].get<std::string>();
        line += " " + s["risk"].get<std::string>() + (s["automated"].get<bool>() ? " auto" : " person");
        out.push_back(line);
    }
    return out;
}

const Json& step(const Json& hop, const std::string& id) {
    for (const auto& s : hop["steps"])
        if (s["id"] == id) return s;
    throw std::runtime_error("no step " + id);
}

TEST(PlanCli, ExampleTo3151StepByStep) {
    Json plan = plan_json(example_args("3.15.1"), 3);
    EXPECT_EQ(plan["from"], "3.14.2");
    EXPECT_EQ(plan["to"], "3.15.1");
    ASSERT_EQ(plan["hops"].size(), 1u);
    const Json& hop = plan["hops"][0];
    EXPECT_EQ(outline(hop), (std::vector<std::string>{
                                "preflight caution auto",
                                "skip-stack acme-prod-1-1-vpc 1-1-vpc info auto",
                                "update-stack acme-prod-1-2-bastion 1-2-bastion info auto",
                                "skip-stack acme-prod-2-1-db-aurora-master 2-1-db-aurora-master info auto",
                                "skip-stack acme-prod-2-3-db-redis 2-3-db-redis info auto",
                                // the changelog's 3.15.0 upgrade procedure, before the first stack it names
                                "manual caution person",
                                "set-parameters acme-prod-5-2-ecs-ops 5-2-ecs-ops caution auto",
                                "set-parameters acme-prod-5-4-ecs-services 5-4-ecs-services caution auto",
                                "snapshot-volume acme-prod-2-5-db-timescale 2-5-db-timescale caution auto",
                                "terminate-instance acme-prod-2-5-db-timescale 2-5-db-timescale caution person",
                                "update-stack acme-prod-2-5-db-timescale 2-5-db-timescale danger auto",
                                "skip-stack acme-prod-3-1-security-group-rules 3-1-security-group-rules info auto",
                                "skip-stack acme-prod-4-1-secrets 4-1-secrets info auto",
                                "update-stack acme-prod-4-2a-configuration 4-2a-configuration info auto",
                                "skip-stack acme-prod-5-1-ecs-cluster 5-1-ecs-cluster info auto",
                                "update-stack acme-prod-5-2-ecs-ops 5-2-ecs-ops caution auto",
                                // the Aurora cluster (role aurora-cluster) backed up before the migrations
                                "snapshot-database acme-prod-2-1-db-aurora-master 2-1-db-aurora-master caution auto",
                                "run-migration acme-prod-5-2-ecs-ops 5-2-ecs-ops info auto",
                                "update-stack acme-prod-5-3a-ecs-is-service 5-3a-ecs-is-service caution auto",
                                "update-stack acme-prod-5-4-ecs-services 5-4-ecs-services caution auto",
                                "update-stack acme-prod-5-5-ecs-proxy 5-5-ecs-proxy caution auto",
                                "skip-stack acme-prod-6-1-vpc-peering 6-1-vpc-peering info auto",
                                // done means healthy: every ECS service steady on the hop's images
                                "check-services info auto",
                            }));
    // Every service of the deployment, by type, with the image the hop sets on its stack.
    const Json& check = hop["steps"].back();
    EXPECT_EQ(check["id"], "h1-23-check-services");
    ASSERT_EQ(check["services"].size(), 6u);
    EXPECT_EQ(check["services"][3], (Json{{"stack", "acme-prod-5-4-ecs-services"}, {"logicalId", "ApplicationServerService"},
                                          {"images", {"docker.io/thethingsindustries/lorawan-stack:3.15.1-aws"}}}));
    EXPECT_EQ(check["services"][5]["images"], (Json{"docker.io/thethingsindustries/lorawan-stack:3.15.1-aws-proxy"}));

    // The storage integration goes off on the previous template, and back on with the update.
    const Json& off = step(hop, "h1-07-set-parameters-5-2-ecs-ops-storage-off");
    EXPECT_EQ(off["previousTemplate"], true);
    EXPECT_EQ(off["parameters"]["ApplicationServerStorageEnabled"], (Json{{"action", "set"}, {"value", "false"},
                                                                          {"why", "storage integration off while TimescaleDB is replaced"}}));
    const Json& ops = step(hop, "h1-16-update-stack-5-2-ecs-ops");
    EXPECT_EQ(ops["parameters"]["ApplicationServerStorageEnabled"]["value"], "true");
    EXPECT_EQ(ops["parameters"]["OpsImage"]["action"], "image");
    EXPECT_EQ(ops["parameters"]["OpsImage"]["value"], "docker.io/thethingsindustries/lorawan-stack:3.15.1-aws");
    // The new image reaches the task definition: the diff resolves each side with its own values.
    const Json& is = step(hop, "h1-19-update-stack-5-3a-ecs-is-service");
    EXPECT_EQ(is["resources"]["TaskDefinition"]["impact"], "will-replace");
    // NoEcho parameters are kept and never carry a value.
    for (const auto& [name, p] : ops["parameters"].items())
        if (p.contains("noEcho")) {
            EXPECT_EQ(p["action"], "keep") << name;
            EXPECT_FALSE(p.contains("value")) << name;
        }

    // The volume would possibly be replaced: a danger until acknowledged.
    const Json& timescale = step(hop, "h1-11-update-stack-2-5-db-timescale");
    EXPECT_EQ(timescale["resources"]["Volume"]["impact"], "may-replace");
    EXPECT_EQ(timescale["resources"]["Volume"]["stateful"], true);
    EXPECT_EQ(timescale["resources"]["Volume"]["acknowledged"], false);
    EXPECT_EQ(timescale["parameters"]["InstanceType"]["action"], "needs-input");
    EXPECT_EQ(timescale["parameters"]["AvailabilityZone"]["action"], "needs-input");

    // The parameter rename carries its value.
    const Json& config = step(hop, "h1-14-update-stack-4-2a-configuration");
    EXPECT_EQ(config["parameters"]["ClusterID"]["action"], "carry");
    EXPECT_EQ(config["parameters"]["ClusterID"]["from"], "NetworkServerClusterID");

    // The cluster is snapshotted right after 5-2-ecs-ops, then the migration runs with the
    // target image's command.
    const Json& backup = step(hop, "h1-17-snapshot-database-2-1-db-aurora-master-DBCluster");
    EXPECT_EQ(backup["logicalId"], "DBCluster");
    EXPECT_EQ(backup["role"], "aurora-cluster");
    EXPECT_EQ(backup["stack"], "acme-prod-2-1-db-aurora-master");
    const Json& migration = step(hop, "h1-18-run-migration-is-db");
    EXPECT_EQ(migration["database"], "is-db");
    EXPECT_EQ(migration["command"], (Json{"tti-lw-stack", "is-db", "migrate"}));
    EXPECT_EQ(migration["required_by"], (Json{"3.15.0"}));

    ASSERT_EQ(plan["inputs"].size(), 2u);
    EXPECT_EQ(plan["blocked"], true);
}

TEST(PlanCli, ExampleTo3302GoesThroughBothWaypoints) {
    Json plan = plan_json(example_args("3.30.2"), 3);
    ASSERT_EQ(plan["hops"].size(), 3u);
    EXPECT_EQ(plan["hops"][0]["to"], "3.19.2");
    EXPECT_EQ(plan["hops"][1]["to"], "3.24.2");
    EXPECT_EQ(plan["hops"][2]["to"], "3.30.2");
    const Json& h2 = plan["hops"][1];
    // The AMI-only 2-5-db-timescale change is skipped in favour of an in-place upgrade.
    EXPECT_EQ(step(h2, "h2-05-skip-stack-2-5-db-timescale")["kind"], "skip-stack");
    EXPECT_EQ(step(h2, "h2-06-manual-2-5-db-timescale")["title"],
              "Upgrade the software on the TimescaleDB machine in place");
    // The removed template is deleted with confirmation.
    const Json& peering = step(h2, "h2-23-delete-stack-6-1-vpc-peering");
    EXPECT_EQ(peering["automated"], false);
    // The renamed proxy keeps its stack, takes its new template and its new place.
    const Json& h3 = plan["hops"][2];
    // The hop ends with the services' check; the proxy's update is the step before it.
    EXPECT_EQ(h3["steps"].back()["kind"], "check-services");
    const Json& last = h3["steps"][h3["steps"].size() - 2];
    EXPECT_EQ(last["stack"], "acme-prod-5-5-ecs-proxy");
    EXPECT_EQ(last["template"], "5-7-ecs-ingress-proxy");
    EXPECT_EQ(last["parameters"]["ProxyImage"]["value"],
              "docker.io/thethingsindustries/lorawan-stack:3.30.2-aws-proxy");
    // From 3.15.0 on, 2-5-db-timescale is a normal update followed by a wait; it replaces the
    // machine that mounts the volume, so the volume is snapshotted first.
    EXPECT_EQ(step(h3, "h3-05-snapshot-volume-2-5-db-timescale-Volume")["logicalId"], "Volume");
    EXPECT_EQ(step(h3, "h3-06-update-stack-2-5-db-timescale")["kind"], "update-stack");
    EXPECT_EQ(step(h3, "h3-07-wait-2-5-db-timescale")["seconds"], 180);
    // The launch template change rolls the machines with an instance refresh the operator confirms.
    const Json& roll = step(h3, "h3-13-refresh-instances-5-1-ecs-cluster-machines");
    EXPECT_EQ(roll["automated"], true);
    EXPECT_EQ(roll["logicalId"], "ECSAutoScalingGroup");
    EXPECT_EQ(roll["role"], "cluster-machines");
    EXPECT_EQ(roll["minHealthyPercentage"], 50);
    // Every hop runs migrations: each backs the cluster up first.
    EXPECT_EQ(step(plan["hops"][0], "h1-18-snapshot-database-2-1-db-aurora-master-DBCluster")["kind"], "snapshot-database");
    EXPECT_EQ(step(h2, "h2-15-snapshot-database-2-1-db-aurora-master-DBCluster")["kind"], "snapshot-database");
    EXPECT_EQ(step(h3, "h3-15-snapshot-database-2-1-db-aurora-master-DBCluster")["logicalId"], "DBCluster");
}

// The example without the answers to the changelog's directives and to the conditional
// migration: exit 3, each input naming what settles it; with the example's values file: Ready, and DBEngineVersion is set to 12 because the
// timescale stack was deployed before 3.30.0.
TEST(PlanCli, ExampleTo3302HoldsUntilEveryChangelogMustIsAnswered) {
    TempDir dir;
    std::string partial = dir.write("values.yaml", "2-5-db-timescale: {InstanceType: m6i.large, AvailabilityZone: eu-west-1a}\n");
    auto args = example_args("3.30.2");
    args.insert(args.end(), {"--allow-replace", "acme-prod-2-5-db-timescale/Volume", "--allow-replace",
                             "acme-prod-4-1-secrets/InteropTLSSecret"});
    auto without = args;
    without.insert(without.end(), {"--values", partial});
    Json held = plan_json(without, 3);
    const std::string changelog = source_path("examples/releases/3.30.2/UPGRADING.md");
    ASSERT_EQ(held["inputs"].size(), 3u) << held["inputs"].dump(2);
    EXPECT_EQ(held["inputs"][0]["stack"], "acme-prod-4-2a-configuration");
    EXPECT_EQ(held["inputs"][0]["parameter"], "ClusterIDAddressTemplate");
    EXPECT_EQ(held["inputs"][0]["why"],
              "the changelog says \"Its default is empty, which is not valid for most deployments: for single-cluster "
              "deployments it should be equal to `Domain`.\" (" + changelog + ":169 (3.19.0)); Domain is "
              "'eu1.lorawan.acme.example' on this stack; give its value in the values file");
    EXPECT_EQ(held["inputs"][1]["acknowledge"], "3.17.2/5-1-ecs-cluster/you-need-to-update-the");
    EXPECT_EQ(held["inputs"][1]["source"], changelog + ":183 (3.17.2)");
    EXPECT_EQ(held["inputs"][1]["stack"], "acme-prod-5-1-ecs-cluster");
    // A migration conditional on a package no feature tells about: run or skip, the operator says.
    EXPECT_EQ(held["inputs"][2]["migration"], "as-db migrate");
    EXPECT_EQ(held["inputs"][2]["stack"], "acme-prod-5-2-ecs-ops");

    auto with = args;
    with.insert(with.end(), {"--values", source_path("examples/values-3.30.2.yaml")});
    Json ready = plan_json(with, 0);
    EXPECT_EQ(ready["inputs"].size(), 0u) << ready["inputs"].dump(2);
    EXPECT_EQ(ready["blocked"], false);
    const Json& engine = step(ready["hops"][2], "h3-06-update-stack-2-5-db-timescale")["parameters"]["DBEngineVersion"];
    EXPECT_EQ(engine["action"], "set");
    EXPECT_EQ(engine["value"], "12");
    EXPECT_EQ(engine["why"], "set to '12': the stack was deployed before 3.30.0 (deployed before the plan, at 3.14.2), "
                             "and deployments created before 3.30.0 must set it (" + changelog + ":44 (3.30.0))");
}

// Each hop lists the release-note items an operator must read, with file:line.
TEST(PlanCli, EachHopListsTheReleaseNotesToRead) {
    Json plan = plan_json(example_args("3.30.2"), 3);
    auto sources = [](const Json& hop) {
        std::vector<std::string> out;
        for (const auto& r : hop["read"]) out.push_back(r["source"].get<std::string>() + " " + r["why"].get<std::string>());
        return out;
    };
    EXPECT_EQ(sources(plan["hops"][0]), (std::vector<std::string>{"3.19.2.md:13 says 'you must'", "3.19.2.md:22 removed"}));
    EXPECT_EQ(sources(plan["hops"][1]), (std::vector<std::string>{"3.24.0.md:25 removed"}));
    EXPECT_EQ(sources(plan["hops"][2]), (std::vector<std::string>{"3.26.0.md:16 removed"}));
    EXPECT_EQ(plan["hops"][1]["read"][0]["text"], "Support for an external Crypto Server.");
}

TEST(PlanCli, AnUnknownAcknowledgementIsBadInput) {
    TempDir dir;
    std::string values = dir.write("values.yaml", "acknowledge: [3.17.2/5-1-ecs-cluster/you-need-to-update]\n");
    auto args = example_args("3.30.2");
    args.insert(args.end(), {"--values", values});
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "stackshift: error: " + values + ":1:15: unknown acknowledgement "
                     "'3.17.2/5-1-ecs-cluster/you-need-to-update' (did you mean "
                     "'3.17.2/5-1-ecs-cluster/you-need-to-update-the'?); list the ids the plan names under its inputs\n");
}

TEST(PlanCli, ExampleTo3242StopsAt3192) {
    Json plan = plan_json(example_args("3.24"), 3);  // a minor version: its latest patch
    EXPECT_EQ(plan["to"], "3.24.2");
    ASSERT_EQ(plan["hops"].size(), 2u);
    EXPECT_EQ(plan["hops"][0]["to"], "3.19.2");
    // Hop 1: the cluster snapshot, then the migrations of 3.15.0 to 3.19.2, once each, right after
    // 5-2-ecs-ops; the init of the experimental Network Operations Center is skipped, as the
    // deployment does not run it.
    const Json& h1 = plan["hops"][0];
    std::vector<std::string> after_ops;
    bool seen_ops = false;
    for (const auto& s : h1["steps"]) {
        if (s["kind"] == "update-stack" && s["template"] == "5-2-ecs-ops") seen_ops = true;
        else if (seen_ops && s["kind"] == "run-migration") after_ops.push_back(s["database"].get<std::string>());
        else if (seen_ops && s["kind"] == "snapshot-database") after_ops.push_back("snapshot of " + s["logicalId"].get<std::string>());
        else if (seen_ops && s["kind"] == "manual" && s["id"].get<std::string>().ends_with("-db"))
            after_ops.push_back(s["title"].get<std::string>());
        else if (seen_ops) break;
    }
    EXPECT_EQ(after_ops, (std::vector<std::string>{"snapshot of DBCluster", "Skip noc-db init: the Network Operations Center is off",
                                                   "is-db", "as-db"}));
    EXPECT_EQ(step(h1, "h1-19-manual-noc-db")["details"][0],
              "skipped: the Network Operations Center is off (acme-prod-4-1-secrets/IncludeNOC = false, "
              "acme-prod-4-2a-configuration/IncludeNetworkOperationsCenter = false, "
              "acme-prod-5-2-ecs-ops/IncludeNetworkOperationsCenter = false)");
    const Json& is_db = step(h1, "h1-20-run-migration-is-db");
    EXPECT_EQ(is_db["required_by"], (Json{"3.15.0", "3.17.0", "3.19.0", "3.19.2"}));
    EXPECT_EQ(step(h1, "h1-21-run-migration-as-db")["conditional"], true);
    EXPECT_EQ(step(h1, "h1-21-run-migration-as-db")["automated"], false);
    // Hop 2 ends at 3.24.2 with the images at 3.24.2.
    const Json& h2 = plan["hops"][1];
    EXPECT_EQ(step(h2, "h2-14-update-stack-5-2-ecs-ops")["parameters"]["OpsImage"]["value"],
              "docker.io/thethingsindustries/lorawan-stack:3.24.2-aws");
}

TEST(PlanCli, ValuesAndAcknowledgementsUnblockThePlan) {
    TempDir dir;
    std::string values = dir.write("values.yaml", "2-5-db-timescale:\n  InstanceType: m6i.large\n"
                                                  "  AvailabilityZone: eu-west-1a\n");
    auto args = example_args("3.15.1");
    args.insert(args.end(), {"--values", values, "--allow-replace", "acme-prod-2-5-db-timescale/Volume"});
    Json plan = plan_json(args, 0);
    EXPECT_EQ(plan["blocked"], false);
    EXPECT_TRUE(plan["inputs"].empty());
}

TEST(PlanCli, TextAndMarkdownRunbooks) {
    auto text = run_stackshift(example_args("3.15.1"));
    EXPECT_EQ(text.exit_code, 3);
    EXPECT_NE(text.out.find("Summary: "), std::string::npos);
    EXPECT_NE(text.out.find("Inputs needed"), std::string::npos);
    EXPECT_EQ(text.out.find("\033["), std::string::npos) << "no colors when not on a terminal";
    auto args = example_args("3.15.1");
    args.insert(args.end(), {"--output", "markdown"});
    auto markdown = run_stackshift(args);
    EXPECT_NE(markdown.out.find("# Upgrade 3.14.2 → 3.15.1"), std::string::npos);
    EXPECT_NE(markdown.out.find("- [ ] **Update acme-prod-2-5-db-timescale to 3.15.1**"), std::string::npos);
}

TEST(PlanCli, OutWritesTheFile) {
    TempDir dir;
    auto args = example_args("3.15.1");
    args.insert(args.end(), {"--output", "json", "--out", dir.file("plan.json")});
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(Json::parse(read_text(dir.file("plan.json")))["to"], "3.15.1");
}

TEST(PlanCli, BadInputIsExitTwoWithNothingWritten) {
    TempDir dir;
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    std::vector<Case> cases{
        {example_args("3.99.0"), "known versions are 3.14.2, 3.15.1, 3.19.2, 3.24.2, 3.30.2"},
        {example_args("3.14.2"), "the deployment is at 3.14.2 already (its templates prove it): nothing to upgrade"},
        {{"plan", "--deployment", dir.file("missing.json"), "--releases", source_path("examples/releases"), "--to",
          "3.15.1"},
         "missing.json"},
        {{"plan", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"), "--releases",
          dir.file("nowhere"), "--to", "3.15.1"},
         "nowhere"},
    };
    auto bad_ack = example_args("3.15.1");
    bad_ack.insert(bad_ack.end(), {"--allow-replace", "Volume"});
    cases.push_back({bad_ack, "expected STACK/LOGICALID"});
    auto unendangered = example_args("3.15.1");
    unendangered.insert(unendangered.end(), {"--allow-replace", "acme-prod-1-1-vpc/VPC"});
    cases.push_back({unendangered, "stackshift: error: --allow-replace: 'acme-prod-1-1-vpc/VPC' names no resource this "
                                   "plan replaces or removes with its data; the plan endangers "
                                   "acme-prod-2-5-db-timescale/Volume\n"});
    auto contradicted = example_args("3.15.1");
    contradicted.insert(contradicted.end(), {"--from", "3.19.2"});
    cases.push_back({contradicted, "--from: the deployment is not at 3.19.2: its templates prove 3.14.2 ("});
    auto misspelled = example_args("3.15.1");
    misspelled.insert(misspelled.end(), {"--values", dir.write("values.yaml", "2-5-db-timescale:\n  InstanceTyp: m6i.large\n")});
    cases.push_back({misspelled, dir.file("values.yaml") + ":2:3: 'InstanceTyp' is no parameter of 2-5-db-timescale in the "
                                 "templates of this plan (3.15.1) (did you mean 'InstanceType'?)"});
    auto bad_product = example_args("3.15.1");
    bad_product.insert(bad_product.end(), {"--product", "no-such-product"});
    cases.push_back({bad_product, "no-such-product"});
    for (auto& c : cases) {
        c.args.insert(c.args.end(), {"--out", dir.file("plan.txt")});
        auto r = run_stackshift(c.args);
        EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty());
        EXPECT_FALSE(std::filesystem::exists(dir.file("plan.txt"))) << c.message;
    }
}

TEST(PlanCli, TheSimulatedWorldIsADeploymentToo) {
    TempDir dir;
    std::string world = dir.file("world.json");
    auto init = run_stackshift({"sim", "init", "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"),
                                "--out", world});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    Json from_snapshot = plan_json(example_args("3.15.1"), 3);
    Json from_world = plan_json({"plan", "--backend", "sim:" + world, "--releases", source_path("examples/releases"),
                                 "--to", "3.15.1"},
                                3);
    EXPECT_EQ(from_world["deployment"], "sim:" + world);
    // The same plan but for the name of the deployment, which the preflight cites, and the
    // drift: the world's was checked (and is in sync), the snapshot has none.
    from_world["hops"][0]["steps"][0].erase("why");
    from_snapshot["hops"][0]["steps"][0].erase("why");
    Json& snapshot_details = from_snapshot["hops"][0]["steps"][0]["details"];
    ASSERT_TRUE(snapshot_details.is_array());
    ASSERT_FALSE(snapshot_details.empty());
    EXPECT_EQ(snapshot_details.back().get<std::string>().rfind("drift not checked: ", 0), 0u) << snapshot_details.back();
    snapshot_details.erase(snapshot_details.size() - 1);
    EXPECT_TRUE(from_world["hops"] == from_snapshot["hops"]) << "the plans differ";
    EXPECT_EQ(from_world["inputs"], from_snapshot["inputs"]);

    auto both = run_stackshift({"plan", "--backend", "sim:" + world, "--deployment", source_path("examples/deployment/acme-prod-3.14.2.json"),
                                "--releases", source_path("examples/releases"), "--to", "3.15.1"});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_NE(both.err.find("give one of them"), std::string::npos) << both.err;
    auto neither = run_stackshift({"plan", "--releases", source_path("examples/releases"), "--to", "3.15.1"});
    EXPECT_EQ(neither.exit_code, 2);
    EXPECT_NE(neither.err.find("plan needs the deployment"), std::string::npos) << neither.err;
}

TEST(PlanCli, GenericProductExample) {
    Json plan = plan_json({"plan", "--deployment", source_path("examples/generic/deployment/shop-1.0.0.json"),
                           "--releases", source_path("examples/generic/releases"), "--to", "1.1.0", "--product",
                           "numbered-stacks"},
                          0);
    ASSERT_EQ(plan["hops"].size(), 1u);
    EXPECT_EQ(plan["hops"][0]["steps"][0]["kind"], "preflight");
    EXPECT_EQ(outline(plan["hops"][0]), (std::vector<std::string>{
                                            "preflight info auto",
                                            "skip-stack shop-1-1-network 1-1-network info auto",
                                            "manual caution person",
                                            "update-stack shop-2-1-queue 2-1-queue info auto",
                                            "update-stack shop-3-1-workers 3-1-workers info auto",
                                        }));
    const Json& workers = plan["hops"][0]["steps"][4];
    EXPECT_EQ(workers["parameters"]["MaxConcurrency"], (Json{{"action", "carry"}, {"value", "10"}, {"from", "Concurrency"},
                                                            {"why", workers["parameters"]["MaxConcurrency"]["why"]}}));
    EXPECT_EQ(workers["parameters"]["WorkerMemory"]["value"], "512");
}

}  // namespace
}  // namespace stackshift::testing
