#include "cloud/sim/sim_exports.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "cfn/exports.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/world_values.hpp"

namespace stackshift::cloud::sim {

namespace {

// "a", "a and b", "a, b and c": how AWS lists the importing stacks.
std::string stack_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

std::string in_use(const std::vector<std::string>& users) { return " as it is in use by " + stack_list(users); }

// A stack that never came to be, or is gone, exports and imports nothing.
bool holds_exports(const SimStack& stack) {
    return stack.status != "DELETE_COMPLETE" && stack.status != "REVIEW_IN_PROGRESS" && stack.status != "ROLLBACK_COMPLETE" &&
           stack.status != "ROLLBACK_FAILED" && stack.status != "ROLLBACK_IN_PROGRESS";
}

// Templates parsed once per process: every update reads its stack's old and new bodies again,
// and a run of the example parses the same few dozen bodies over and over.
const cfn::Template* parsed(const std::string& body, const std::string& name) {
    static std::mutex mutex;
    static std::unordered_map<std::string, std::unique_ptr<cfn::Template>> cache;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(body); it != cache.end()) return it->second.get();
    auto t = cfn::parse_template(body, name);
    if (!t) return nullptr;
    if (cache.size() >= 256) cache.clear();  // bounded: a long-lived process sees new bodies
    return cache.emplace(body, std::make_unique<cfn::Template>(std::move(t).value())).first->second.get();
}

std::vector<std::string> import_names(cfn::Evaluator& evaluator) {
    std::vector<std::string> out;
    for (const auto& i : cfn::template_imports(evaluator)) {
        if (i.active == cfn::Tri::no || !i.name) continue;
        if (std::find(out.begin(), out.end(), *i.name) == out.end()) out.push_back(*i.name);
    }
    return out;
}

StringMap exports_from(cfn::Evaluator& evaluator, const StringMap& outputs) {
    StringMap out;
    for (const auto& e : cfn::template_exports(evaluator)) {
        if (e.exists == cfn::Tri::no || !e.name) continue;
        if (auto it = outputs.find(e.output); it != outputs.end()) out[*e.name] = it->second;
    }
    return out;
}

// The outputs of the stack as deployed, computed in the world; empty when they cannot be.
StringMap computed_outputs(const World& world, const SimStack& stack) {
    if (stack.template_body.empty()) return {};
    const cfn::Template* t = parsed(stack.template_body, stack.name);
    if (t == nullptr) return {};
    try {
        WorldResolver resolver(world, view_of(stack), *t);
        return resolver.outputs();
    } catch (const CloudError&) {
        return {};
    }
}

std::string first_conflict(const World& world, const SimStack& stack, const StringMap& new_exports) {
    for (const auto& [name, value] : stack.exports) {
        auto users = importers(world, name, stack.name);
        if (users.empty()) continue;
        auto now = new_exports.find(name);
        if (now == new_exports.end()) return "Export " + name + " cannot be deleted" + in_use(users);
        if (now->second != value) return "Cannot update export " + name + in_use(users);
    }
    for (const auto& [name, value] : new_exports) {
        for (const auto& other : world.stacks) {
            if (other.name != stack.name && other.exports.count(name) != 0) {
                return "Export with name " + name + " is already exported by stack " + other.name;
            }
        }
    }
    return {};
}

}  // namespace

std::vector<std::string> importers(const World& world, std::string_view export_name, std::string_view except) {
    std::vector<std::string> out;
    for (const auto& s : world.stacks) {
        if (s.name == except) continue;
        if (std::find(s.imports.begin(), s.imports.end(), export_name) != s.imports.end()) out.push_back(s.name);
    }
    return out;
}

ExportVerdict prepare_outputs(const World& world, const SimStack& stack, Outcome& outcome) {
    ExportVerdict verdict;
    const cfn::Template* t = parsed(outcome.template_body, stack.name);
    if (t == nullptr) {
        auto problems = cfn::parse_template(outcome.template_body, stack.name);
        throw CloudError("ValidationError", "Template format error: " + to_string(problems.diagnostics()));
    }
    StackView after{stack.name, stack.id, outcome.parameters, outcome.resources};
    WorldResolver resolver(world, after, *t);
    std::vector<std::string> imports = import_names(resolver.evaluator());
    for (const auto& name : imports) {
        if (export_value(world, name) == nullptr) {
            verdict.at_start = no_export_message(name) + ". Rollback requested by user.";
            return verdict;
        }
    }
    StringMap outputs;
    try {
        outputs = resolver.outputs();
    } catch (const CloudError& e) {
        verdict.at_start = e.message() + ". Rollback requested by user.";
        return verdict;
    }
    // What CloudFormation computes the same as before is what the stack reported before.
    StringMap before = computed_outputs(world, stack);
    for (auto& [name, value] : outputs) {
        auto was = before.find(name);
        auto reported = stack.outputs.find(name);
        if (was != before.end() && was->second == value && reported != stack.outputs.end()) value = reported->second;
    }
    outcome.exports = exports_from(resolver.evaluator(), outputs);
    outcome.outputs = std::move(outputs);
    outcome.imports = std::move(imports);
    outcome.outputs_computed = true;
    verdict.at_end = first_conflict(world, stack, outcome.exports);
    return verdict;
}

std::string delete_refusal(const World& world, const SimStack& stack) {
    for (const auto& [name, value] : stack.exports) {
        auto users = importers(world, name, stack.name);
        if (!users.empty()) return "Export " + name + " cannot be deleted" + in_use(users);
    }
    return {};
}

void derive_exports(const World& world, SimStack& stack) {
    stack.exports.clear();
    stack.imports.clear();
    if (!holds_exports(stack)) return;
    const cfn::Template* t = parsed(stack.template_body, stack.name);
    if (t == nullptr) return;
    WorldResolver resolver(world, view_of(stack), *t);
    stack.imports = import_names(resolver.evaluator());
    // The stack's reported outputs are the real values; an exported output it does not report
    // (a state file from before outputs were kept up to date) is computed.
    StringMap outputs = stack.outputs;
    StringMap computed = computed_outputs(world, stack);
    for (const auto& [name, value] : computed) outputs.try_emplace(name, value);
    stack.exports = exports_from(resolver.evaluator(), outputs);
}

}  // namespace stackshift::cloud::sim
