#pragma once
// Helpers of the end-to-end apply tests: worlds made by `stackshift sim init` from the bundled
// example, the plan options of its upgrade, and what `sim status` and the state file say.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "cfn/parameter_validator.hpp"
#include "cfn/template.hpp"
#include "core/version.hpp"
#include "test_support.hpp"

namespace stackshift::testing {

inline const std::string example_deployment = "examples/deployment/acme-prod-3.14.2.json";

// The stateful resources the example's upgrade replaces or removes, STACK/LOGICALID.
inline const std::vector<std::string> acknowledged = {"acme-prod-2-5-db-timescale/Volume", "acme-prod-4-1-secrets/InteropTLSSecret"};

// Those an upgrade from `from` to `to` endangers (--allow-replace must name only what the plan
// endangers): the volume when crossing 3.15.0, the secret when crossing 3.24.0.
inline std::vector<std::string> acknowledged_between(const std::string& from, const std::string& to) {
    auto crosses = [&](const Version& v) { return in_range(v, *Version::parse(from), *Version::parse(to)); };
    std::vector<std::string> out;
    if (crosses({3, 15, 0, {}})) out.push_back(acknowledged[0]);
    if (crosses({3, 24, 0, {}})) out.push_back(acknowledged[1]);
    return out;
}

// The example's values file for an upgrade to `to`: every key must name a parameter of the
// plan's templates, and ClusterIDAddressTemplate comes with 3.19.0.
inline std::string values_for(const std::string& to) {
    return source_path(*Version::parse(to) < Version{3, 19, 0, {}} ? "examples/values-3.15.1.yaml"
                                                                   : "examples/values-3.30.2.yaml");
}

// The plan options of the example's upgrade from `from` (the world's version) to `to`, every
// danger acknowledged.
inline std::vector<std::string> plan_args(const std::string& to = "3.15.1", const std::string& from = "3.14.2") {
    std::vector<std::string> args = {"--releases", source_path("examples/releases"), "--to", to, "--values",
                                     values_for(to)};
    for (const auto& a : acknowledged_between(from, to)) args.insert(args.end(), {"--allow-replace", a});
    return args;
}

inline std::vector<std::string> apply_args(const std::string& state, const std::string& journal, const std::vector<std::string>& extra,
                                           const std::string& to = "3.15.1", const std::string& from = "3.14.2") {
    std::vector<std::string> args = {"apply", "--backend", "sim:" + state, "--journal", journal};
    for (const auto& a : plan_args(to, from)) args.push_back(a);
    for (const auto& a : extra) args.push_back(a);
    return args;
}

inline void init_world(const std::string& state, const std::string& scenario = "") {
    std::vector<std::string> args = {"sim", "init", "--deployment", source_path(example_deployment), "--out", state};
    if (!scenario.empty()) args.insert(args.end(), {"--scenario", scenario});
    auto r = run_stackshift(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

inline nlohmann::json status(const std::string& state) {
    auto r = run_stackshift({"sim", "status", state, "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

inline std::uint64_t calls(const nlohmann::json& s, const std::string& operation) {
    return s["api_calls"].contains(operation) ? s["api_calls"][operation].get<std::uint64_t>() : 0;
}

inline nlohmann::json plan_json(const std::string& state, const std::string& to = "3.15.1",
                                const std::string& from = "3.14.2") {
    std::vector<std::string> args = {"plan", "--backend", "sim:" + state, "--output", "json"};
    for (const auto& a : plan_args(to, from)) args.push_back(a);
    auto r = run_stackshift(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

inline std::vector<nlohmann::json> steps_of_kind(const nlohmann::json& plan, const std::string& kind) {
    std::vector<nlohmann::json> out;
    for (const auto& hop : plan["hops"])
        for (const auto& step : hop["steps"])
            if (step["kind"] == kind) out.push_back(step);
    return out;
}

inline nlohmann::json read_world(const std::string& state) { return nlohmann::json::parse(read_text(state)); }

inline void write_world(const std::string& state, const nlohmann::json& world) {
    std::ofstream(state, std::ios::binary) << world.dump();
}

// The change sets of the world that were executed to the end: each ExecuteChangeSet that took
// effect made exactly one.
inline std::uint64_t completed_change_sets(const std::string& state) {
    nlohmann::json world = read_world(state);
    std::uint64_t completed = 0;
    for (const auto& c : world["changeSets"]) completed += c["executionStatus"] == "EXECUTE_COMPLETE" ? 1 : 0;
    return completed;
}

// Gives every NoEcho parameter of the world a recognizable secret, as a real deployment has.
// A secret for a NoEcho parameter that its template's constraints accept, as CloudFormation
// would have required when it was set, and unique to the stack and key so that a test can look
// for it: 32 hexadecimal digits, or 22 letters and digits with "==" (a base64 key).
inline std::string secret_for(const cfn::Parameter* parameter, const std::string& stack, const std::string& key) {
    auto hex = [](std::size_t h) {
        std::string out;
        for (int i = 0; i < 16; ++i, h >>= 4) out += "0123456789abcdef"[h & 0xf];
        return out;
    };
    std::string digits = hex(std::hash<std::string>{}(stack + "/" + key)) + hex(std::hash<std::string>{}(key + "/" + stack));
    std::vector<std::string> candidates = {digits, digits.substr(0, 22) + "=="};
    for (const auto& c : candidates) {
        if (parameter == nullptr || !cfn::validate_parameter_value(*parameter, c)) return c;
    }
    ADD_FAILURE() << "no planted secret fits the constraints of " << stack << "/" << key;
    return digits;
}

inline std::vector<std::string> plant_secrets(const std::string& state) {
    nlohmann::json world = read_world(state);
    std::vector<std::string> secrets;
    for (auto& stack : world["stacks"]) {
        std::string name = stack["name"];
        auto t = cfn::parse_template(stack["templateBody"].get<std::string>(), name);
        for (const auto& key : stack["noEcho"]) {
            std::string secret = secret_for(t ? t->parameter(key.get<std::string>()) : nullptr, name, key.get<std::string>());
            stack["parameters"][key.get<std::string>()] = secret;
            secrets.push_back(secret);
        }
    }
    write_world(state, world);
    return secrets;
}

}  // namespace stackshift::testing
