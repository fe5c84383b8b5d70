#pragma once
// Task definitions as ECS keeps them. An AWS::ECS::TaskDefinition resource is a revision of a
// family: its Family property resolved, else the family CloudFormation makes up for it
// (<stack>-<LogicalId>-<suffix>). Creating or replacing the resource registers revision N+1 of
// the family; when CloudFormation deletes the old one (an update's cleanup, a stack deletion),
// that revision becomes INACTIVE and starts no more tasks, but can still be described. Each
// revision keeps its containers (name, image, command) resolved from the template with the
// stack's parameters at the time, which is what a task started from it runs.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cfn/evaluator.hpp"
#include "cloud/sim/world.hpp"

namespace stackshift::cloud::sim {

// Hands out the ARNs of the revisions one stack operation registers: FAMILY:N+1 after the
// family's last revision in the world, or after one this allocator already gave.
class TaskDefinitionArns {
public:
    explicit TaskDefinitionArns(const World& world) : m_world(world) {}
    std::string next(const std::string& family);

private:
    const World& m_world;
    std::map<std::string, int, std::less<>> m_given;
};

// The family of a task definition resource: its Family property as the evaluator resolves it,
// else the one CloudFormation generates, the same for every revision of the resource.
std::string task_definition_family(const std::string& stack, const cfn::Resource& resource, cfn::Evaluator& evaluator);

// The revisions a deployment runs, as its outputs name them: a task definition ARN of the
// family of one of the stack's task definitions, alone or as a word of an output (an
// OpsRunTaskArguments "ARN CLUSTER SUBNET SUBNET SG"), is that resource's physical id. The
// revisions before it are not known and not registered; the next one follows it.
void take_deployed_revisions(SimStack& stack, const StringMap& outputs);

// After an operation on `stack` (or its creation from a snapshot, with `before` empty):
// registers the revisions its task definition resources name that ECS does not know yet, with
// their containers resolved from the stack's template and parameters, and makes INACTIVE the
// revisions of `before` the stack no longer holds.
void sync_task_definitions(World& world, const SimStack& stack, const std::vector<SimResource>& before);

// The revision an ARN, a FAMILY:REVISION or a FAMILY (its latest ACTIVE revision) names; null
// when ECS has none.
const SimTaskDefinition* find_task_definition(const World& world, std::string_view reference);

// The revision as DescribeTaskDefinition reports it.
TaskDefinition described(const SimTaskDefinition& definition);

}  // namespace stackshift::cloud::sim
