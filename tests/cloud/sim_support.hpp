#pragma once
// What the simulator's tests share: a scenario read from text (every problem a test failure),
// a deployment of one stack made from a template written in the test, and a wait for a stack.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cfn/deployment.hpp"
#include "cloud/cloud.hpp"
#include "cloud/sim/scenario.hpp"

namespace stackshift::testing {

inline cloud::sim::Scenario scenario_from(const std::string& text) {
    auto s = cloud::sim::parse_scenario(text, "scenario.yaml");
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : to_string(s.diagnostics()));
    return s.ok() ? *s : cloud::sim::Scenario{};
}

// A deployment in eu-west-1 of one CREATE_COMPLETE stack, recorded in `file`.
inline cfn::Deployment one_stack_deployment(const std::string& name, const std::string& template_id,
                                            const std::map<std::string, std::string>& parameters, const std::string& body,
                                            const std::string& file = "deployment.json") {
    cfn::Deployment d;
    d.file = file;
    d.region = "eu-west-1";
    cfn::DeployedStack s;
    s.name = name;
    s.template_id = template_id;
    s.status = "CREATE_COMPLETE";
    for (const auto& [k, v] : parameters) s.parameters[k] = v;
    s.template_body = body;
    d.stacks.push_back(s);
    return d;
}

// Polls like an executor would until the stack leaves *_IN_PROGRESS; returns its status.
inline std::string wait_stable(cloud::Cloud& c, const std::string& stack) {
    for (int i = 0; i < 1000; ++i) {
        std::string status = c.describe_stack(stack).status;
        if (!status.ends_with("_IN_PROGRESS")) return status;
        c.wait(15);
    }
    return "TIMEOUT";
}

}  // namespace stackshift::testing
