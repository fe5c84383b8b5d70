#include "cloud/sim/account.hpp"

#include <algorithm>

#include "cfn/parameter_validator.hpp"
#include "cfn/template.hpp"
#include "cloud/sim/world.hpp"
#include "core/error.hpp"
#include "core/no_echo.hpp"

namespace stackshift::cloud::sim {

namespace {

// A resource type whose physical id a parameter of an AWS-specific type may name.
IdSet* ids_for_resource(Inventory& inventory, std::string_view resource_type) {
    if (resource_type == "AWS::EC2::Subnet") return &inventory.subnets;
    if (resource_type == "AWS::EC2::SecurityGroup") return &inventory.security_groups;
    if (resource_type == "AWS::EC2::VPC") return &inventory.vpcs;
    if (resource_type == "AWS::EC2::KeyPair") return &inventory.key_pairs;  // its physical id is the key name
    return nullptr;
}

// The set a parameter of an AWS-specific element type names.
IdSet* ids_for_element(Inventory& inventory, std::string_view element_type) {
    if (element_type == "AWS::EC2::KeyPair::KeyName") return &inventory.key_pairs;
    if (element_type == "AWS::EC2::Subnet::Id") return &inventory.subnets;
    if (element_type == "AWS::EC2::SecurityGroup::Id") return &inventory.security_groups;
    if (element_type == "AWS::EC2::VPC::Id") return &inventory.vpcs;
    if (element_type == "AWS::EC2::AvailabilityZone::Name") return &inventory.availability_zones;
    if (element_type == "AWS::EC2::Image::Id") return &inventory.images;
    return nullptr;
}

}  // namespace

std::vector<std::string> list_elements(std::string_view value) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = value.find(',', start);
        std::string_view part = value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        out.emplace_back(part);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

namespace {

// The values the deployed stacks' parameters of AWS-specific types hold, and the SSM
// parameters they name: CloudFormation accepted them, so they exist.
void add_deployed_values(Inventory& inventory, const SimStack& stack) {
    auto t = cfn::parse_template(stack.template_body, stack.name);
    if (!t) return;
    for (const auto& p : t->parameters) {
        auto value = stack.parameters.find(p.name);
        if (value == stack.parameters.end() || value->second == masked_value) continue;
        cfn::ParameterType type = cfn::parse_parameter_type(p.type);
        if (type.is_ssm) {
            inventory.ssm_parameters.try_emplace(value->second, SsmParameter{value->second, "String", std::nullopt});
            continue;
        }
        IdSet* ids = ids_for_element(inventory, type.element);
        if (ids == nullptr || !type.aws_specific) continue;
        for (auto& element : list_elements(value->second)) {
            if (!element.empty()) ids->insert(std::move(element));
        }
    }
}

void apply_changes(Inventory& inventory, const InventoryChanges& changes) {
    for (const auto& [kind, names] : changes.remove) {
        for (const auto& name : names) {
            bool removed = kind == "ssm_parameters" ? inventory.ssm_parameters.erase(name) != 0 : inventory.ids(kind)->erase(name) != 0;
            if (!removed) {
                throw InputError("scenario: account.remove." + kind + " names '" + name +
                                 "', which the account made from the snapshot does not hold; name one it holds (a stack's "
                                 "resource or parameter value) or add it under account.add");
            }
        }
    }
    for (const auto& [kind, names] : changes.add) {
        for (const auto& name : names) inventory.ids(kind)->insert(name);
    }
    for (const auto& p : changes.ssm_parameters) inventory.ssm_parameters[p.name] = p;
}

}  // namespace

const IdSet* ids_for_type(const Inventory& inventory, std::string_view element_type) {
    return ids_for_element(const_cast<Inventory&>(inventory), element_type);
}

void build_inventory(World& world) {
    Inventory& inventory = world.inventory;
    for (const char* zone : {"a", "b", "c"}) inventory.availability_zones.insert(world.region + zone);
    for (const auto& stack : world.stacks) {
        for (const auto& r : stack.resources) {
            if (IdSet* ids = ids_for_resource(inventory, r.type)) ids->insert(r.physical_id);
        }
        add_deployed_values(inventory, stack);
    }
    apply_changes(inventory, world.scenario.account);
}

void sync_inventory(World& world, const std::vector<SimResource>& before, const std::vector<SimResource>& after) {
    auto holds = [](const std::vector<SimResource>& list, const SimResource& r) {
        return std::any_of(list.begin(), list.end(), [&](const SimResource& o) { return o.physical_id == r.physical_id; });
    };
    for (const auto& r : before) {
        IdSet* ids = ids_for_resource(world.inventory, r.type);
        if (ids != nullptr && !holds(after, r)) ids->erase(r.physical_id);
    }
    for (const auto& r : after) {
        if (IdSet* ids = ids_for_resource(world.inventory, r.type)) ids->insert(r.physical_id);
    }
}

StringMap resolved_values(const World& world, const cfn::Template& t, const StringMap& parameters) {
    StringMap out = parameters;
    for (const auto& p : t.parameters) {
        cfn::ParameterType type = cfn::parse_parameter_type(p.type);
        // AWS::SSM::Parameter::Name passes the name itself; only Value<...> types resolve.
        if (!type.is_ssm || p.type == "AWS::SSM::Parameter::Name") continue;
        auto given = out.find(p.name);
        if (given == out.end()) continue;
        auto ssm = world.inventory.ssm_parameters.find(given->second);
        if (ssm != world.inventory.ssm_parameters.end() && ssm->second.value) given->second = *ssm->second.value;
        else out.erase(given);
    }
    return out;
}

std::string s3_object_url(const World& world, const std::string& bucket, const std::string& key) {
    return "https://" + bucket + ".s3." + world.region + ".amazonaws.com/" + key;
}

std::optional<std::pair<std::string, std::string>> s3_location(std::string_view url) {
    constexpr std::string_view https = "https://";
    if (!url.starts_with(https)) return std::nullopt;
    url.remove_prefix(https.size());
    std::size_t slash = url.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    std::string_view host = url.substr(0, slash);
    std::string_view path = url.substr(slash + 1);
    // Virtual-hosted form: BUCKET.s3.REGION.amazonaws.com/KEY (or BUCKET.s3.amazonaws.com/KEY).
    if (std::size_t s3 = host.find(".s3."); s3 != std::string_view::npos && host.ends_with(".amazonaws.com")) {
        if (path.empty()) return std::nullopt;
        return std::pair{std::string(host.substr(0, s3)), std::string(path)};
    }
    // Path form: s3.REGION.amazonaws.com/BUCKET/KEY.
    if (host.starts_with("s3.") && host.ends_with(".amazonaws.com")) {
        std::size_t key = path.find('/');
        if (key == std::string_view::npos || key + 1 == path.size()) return std::nullopt;
        return std::pair{std::string(path.substr(0, key)), std::string(path.substr(key + 1))};
    }
    return std::nullopt;
}

}  // namespace stackshift::cloud::sim
