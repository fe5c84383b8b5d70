#include "cloud/sim/task_definitions.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "cfn/template.hpp"
#include "cloud/sim/world_values.hpp"

namespace stackshift::cloud::sim {

namespace {

constexpr std::string_view task_definition_type = "AWS::ECS::TaskDefinition";
constexpr std::string_view arn_marker = ":task-definition/";

struct FamilyRevision {
    std::string family;
    int revision = 0;
};

// "FAMILY:REVISION", the end of an ARN or a reference of its own; nullopt without a revision.
std::optional<FamilyRevision> split_revision(std::string_view text) {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    int revision = 0;
    std::string_view digits = text.substr(colon + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), revision);
    if (error != std::errc() || end != digits.data() + digits.size() || revision < 1) return std::nullopt;
    return FamilyRevision{std::string(text.substr(0, colon)), revision};
}

// The family and revision of a task definition ARN; nullopt for anything else.
std::optional<FamilyRevision> parse_arn(std::string_view arn) {
    std::size_t at = arn.find(arn_marker);
    if (!arn.starts_with("arn:aws:ecs:") || at == std::string_view::npos) return std::nullopt;
    return split_revision(arn.substr(at + arn_marker.size()));
}

int last_revision(const World& world, std::string_view family) {
    int last = 0;
    for (const auto& d : world.task_definitions)
        if (d.family == family) last = std::max(last, d.revision);
    return last;
}

std::string scalar_or_written(const cfn::Value* v) {
    if (v == nullptr) return {};
    // What the evaluator cannot resolve (an import, an attribute) is kept as written: a task
    // definition whose image the simulator cannot know never matches an expected image.
    return v->is_scalar() ? v->text() : v->to_display();
}

// The containers of a resolved ContainerDefinitions list.
std::vector<SimContainer> containers_of(const cfn::Value& definitions) {
    std::vector<SimContainer> out;
    if (!definitions.is_list()) return out;
    for (const auto& item : definitions.items()) {
        if (!item.is_map()) continue;
        SimContainer c{scalar_or_written(item.find("Name")), scalar_or_written(item.find("Image")), {}};
        if (const cfn::Value* command = item.find("Command"); command && command->is_list())
            for (const auto& word : command->items()) c.command.push_back(scalar_or_written(&word));
        out.push_back(std::move(c));
    }
    return out;
}

bool holds(const std::vector<SimResource>& resources, const std::string& physical_id) {
    return std::any_of(resources.begin(), resources.end(), [&](const SimResource& r) { return r.physical_id == physical_id; });
}

// The revisions of the stack's task definitions that ECS does not know yet.
void register_new(World& world, const SimStack& stack) {
    std::vector<const SimResource*> unknown;
    for (const auto& r : stack.resources) {
        if (r.type != task_definition_type || find_task_definition(world, r.physical_id) != nullptr) continue;
        unknown.push_back(&r);
    }
    if (unknown.empty()) return;
    auto t = cfn::parse_template(stack.template_body, stack.name);
    std::optional<WorldResolver> resolver;
    if (t) resolver.emplace(world, view_of(stack), *t, WorldResolver::MissingImport::keep);
    for (const SimResource* r : unknown) {
        auto name = parse_arn(r->physical_id);
        if (!name) continue;  // not an ARN ECS gave: RunTask will not find it (fail closed)
        SimTaskDefinition d{r->physical_id, name->family, name->revision, "ACTIVE", stack.name, r->logical_id, {}};
        const cfn::Resource* source = t ? t->resource(r->logical_id) : nullptr;
        const cfn::Value* definitions = source && source->properties ? source->properties->find("ContainerDefinitions") : nullptr;
        if (definitions) d.containers = containers_of(resolver->resolve(*definitions));
        world.task_definitions.push_back(std::move(d));
    }
}

}  // namespace

std::string TaskDefinitionArns::next(const std::string& family) {
    auto [it, inserted] = m_given.try_emplace(family, 0);
    it->second = std::max(it->second, last_revision(m_world, family)) + 1;
    return "arn:aws:ecs:" + m_world.region + ":" + m_world.account + ":task-definition/" + family + ":" +
           std::to_string(it->second);
}

std::string task_definition_family(const std::string& stack, const cfn::Resource& resource, cfn::Evaluator& evaluator) {
    if (const cfn::Value* family = resource.properties ? resource.properties->find("Family") : nullptr) {
        cfn::Value resolved = evaluator.resolve(*family);
        if (resolved.is_string() && !resolved.text().empty()) return resolved.text();
    }
    std::string suffix = make_id("", stack + "/" + resource.logical_id + "/family", 12);
    std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return stack + "-" + resource.logical_id + "-" + suffix;
}

void take_deployed_revisions(SimStack& stack, const StringMap& outputs) {
    for (auto& r : stack.resources) {
        auto own = r.type == task_definition_type ? parse_arn(r.physical_id) : std::nullopt;
        if (!own) continue;
        for (const auto& [name, value] : outputs) {
            std::size_t start = 0;
            while (start < value.size()) {
                std::size_t end = std::min(value.find(' ', start), value.size());
                std::string word = value.substr(start, end - start);
                if (auto named = parse_arn(word); named && named->family == own->family) r.physical_id = word;
                start = end + 1;
            }
        }
    }
}

void sync_task_definitions(World& world, const SimStack& stack, const std::vector<SimResource>& before) {
    for (const auto& r : before) {
        if (r.type != task_definition_type || holds(stack.resources, r.physical_id)) continue;
        for (auto& d : world.task_definitions)
            if (d.arn == r.physical_id) d.status = "INACTIVE";
    }
    register_new(world, stack);
}

const SimTaskDefinition* find_task_definition(const World& world, std::string_view reference) {
    std::optional<FamilyRevision> wanted = parse_arn(reference);
    if (!wanted && reference.find('/') == std::string_view::npos) wanted = split_revision(reference);
    if (wanted) {
        for (const auto& d : world.task_definitions)
            if (d.family == wanted->family && d.revision == wanted->revision) return &d;
        return nullptr;
    }
    // A family alone: its latest ACTIVE revision.
    const SimTaskDefinition* latest = nullptr;
    for (const auto& d : world.task_definitions)
        if (d.family == reference && d.status == "ACTIVE" && (!latest || latest->revision < d.revision)) latest = &d;
    return latest;
}

TaskDefinition described(const SimTaskDefinition& definition) {
    TaskDefinition out{definition.arn, definition.family, definition.revision, definition.status, {}};
    for (const auto& c : definition.containers) out.containers.push_back({c.name, c.image});
    return out;
}

}  // namespace stackshift::cloud::sim
