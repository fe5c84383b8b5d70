#pragma once
// A small world for planner tests, written by each test: release folders with templates, a
// changelog and release notes, a deployment snapshot whose stacks run a release's templates,
// and the plan computed from them.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plan/load_plan_inputs.hpp"
#include "plan/plan_inputs.hpp"
#include "plan/planner.hpp"
#include "test_support.hpp"

namespace stackshift::plan_test {

using testing::TempDir;

struct DeployedStackSpec {
    std::string id;
    std::string version;
    std::map<std::string, std::string> parameters;
    std::vector<std::string> no_echo;
    std::map<std::string, std::string> outputs;
    std::string status = "UPDATE_COMPLETE";
    std::string body;  // empty: the release's template of `version`
};

inline DeployedStackSpec stack(std::string id, std::string version, std::map<std::string, std::string> parameters = {},
                               std::vector<std::string> no_echo = {}) {
    DeployedStackSpec s;
    s.id = std::move(id);
    s.version = std::move(version);
    s.parameters = std::move(parameters);
    s.no_echo = std::move(no_echo);
    return s;
}

class World {
public:
    std::string root() const { return m_dir.path(); }
    TempDir& dir() { return m_dir; }

    void release(const std::string& version, const std::string& id, const std::string& body) {
        m_versions.insert(version);
        m_bodies[version + "/" + id] = body;
        m_dir.write("releases/" + version + "/" + id + ".yaml", body);
    }
    // The same template in several releases.
    void releases(const std::vector<std::string>& versions, const std::string& id, const std::string& body) {
        for (const auto& v : versions) release(v, id, body);
    }
    void changelog(const std::string& folder, const std::string& markdown) {
        m_changelog = true;
        m_dir.write("releases/" + folder + "/UPGRADING.md", markdown);
    }
    void note(const std::string& folder, const std::string& version, const std::string& markdown) {
        m_notes = true;
        m_dir.write("releases/" + folder + "/notes/" + version + ".md", markdown);
    }
    // No generated changelog or notes: the test lays out the release sources itself.
    void bare() { m_changelog = m_notes = true; }
    void deploy(DeployedStackSpec spec) { m_stacks.push_back(std::move(spec)); }
    void values(const std::string& yaml) { m_values = m_dir.write("values.yaml", yaml); }

    std::string write_deployment(const std::string& version) const {
        nlohmann::ordered_json stacks = nlohmann::ordered_json::array();
        for (const auto& s : m_stacks) {
            nlohmann::ordered_json parameters = nlohmann::ordered_json::object();
            for (const auto& [k, v] : s.parameters) parameters[k] = v;
            for (const auto& k : s.no_echo) parameters[k] = "****";
            nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
            for (const auto& [k, v] : s.outputs) outputs[k] = v;
            std::string body = s.body.empty() ? m_bodies.at(s.version + "/" + s.id) : s.body;
            stacks.push_back({{"name", "acme-" + s.id},
                              {"status", s.status},
                              {"parameters", parameters},
                              {"noEcho", s.no_echo},
                              {"outputs", outputs},
                              {"tags", nlohmann::ordered_json::object()},
                              {"templateBody", body}});
        }
        nlohmann::ordered_json doc{{"format", "stackshift-deployment/1"},
                                   {"region", "eu-west-1"},
                                   {"version", version},
                                   {"stacks", stacks}};
        return m_dir.write("deployment.json", doc.dump(2));
    }

    // A test about something else gets complete release sources: when it wrote no changelog,
    // one that has TO's section and says nothing; when it wrote no notes, an empty notes file
    // for every release (the plan requires both, and notes covering the range).
    plan::PlanRequest request(const std::string& from, const std::string& to) const {
        std::string folder = m_versions.count(to) || m_versions.empty() ? to : *m_versions.rbegin();
        if (!m_changelog) m_dir.write("releases/" + folder + "/UPGRADING.md", "# Upgrading\n\n## " + to + "\n");
        if (!m_notes)
            for (const auto& v : m_versions) m_dir.write("releases/" + folder + "/notes/" + v + ".md", "# " + v + "\n");
        plan::PlanRequest r;
        r.deployment_path = write_deployment(from);
        r.releases_path = m_dir.file("releases");
        r.to = to;
        r.values_path = m_values;
        return r;
    }

    plan::Plan plan(const std::string& from, const std::string& to, std::vector<std::string> allow = {},
                    const std::string& profile = "the-things-stack-ecs") const {
        auto r = request(from, to);
        r.allow_replace = std::move(allow);
        r.profile = profile;
        auto inputs = plan::load_plan_inputs(r);
        return plan::make_plan(inputs);
    }

private:
    TempDir m_dir;
    std::set<std::string> m_versions;
    bool m_changelog = false;
    bool m_notes = false;
    std::map<std::string, std::string> m_bodies;
    std::vector<DeployedStackSpec> m_stacks;
    std::string m_values;
};

// Finding steps in a plan.
inline std::vector<const plan::Step*> steps_of(const plan::Plan& p, std::size_t hop = 0) {
    std::vector<const plan::Step*> out;
    for (const auto& s : p.hops.at(hop).steps) out.push_back(&s);
    return out;
}

inline const plan::Step* find_step(const plan::Plan& p, plan::StepKind kind, const std::string& stack,
                                   std::size_t hop = 0) {
    for (const auto& s : p.hops.at(hop).steps)
        if (s.kind == kind && s.stack == stack) return &s;
    return nullptr;
}

inline const plan::Step& step_for(const plan::Plan& p, const std::string& stack, std::size_t hop = 0) {
    for (const auto& s : p.hops.at(hop).steps)
        if (s.stack == stack &&
            (s.kind == plan::StepKind::update_stack || s.kind == plan::StepKind::skip_stack ||
             s.kind == plan::StepKind::deploy_stack || s.kind == plan::StepKind::delete_stack))
            return s;
    throw std::runtime_error("no stack step for " + stack);
}

inline const plan::ParameterPlan& parameter(const plan::Step& s, const std::string& name) {
    for (const auto& p : s.parameters)
        if (p.name == name) return p;
    throw std::runtime_error("no parameter " + name + " in step " + s.id);
}

// "kind:stack" for each step of a hop, for order checks.
inline std::vector<std::string> outline(const plan::Plan& p, std::size_t hop = 0) {
    std::vector<std::string> out;
    for (const auto& s : p.hops.at(hop).steps)
        out.push_back(std::string(plan::step_kind_name(s.kind)) + (s.stack.empty() ? "" : ":" + s.stack));
    return out;
}

inline std::string joined_why(const plan::Step& s) {
    std::string out;
    for (const auto& w : s.why) out += w + "\n";
    return out;
}

}  // namespace stackshift::plan_test
