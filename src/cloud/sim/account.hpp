#pragma once
// What exists in the simulated account besides the stacks' own records: the key pairs,
// subnets, security groups, VPCs, images and availability zones that parameters of the
// AWS-specific types name, the SSM parameters that SSM parameter types read, and S3 buckets
// with the template objects uploaded to them. CloudFormation checks a parameter value of such
// a type against the account; the simulator checks it against this inventory.
//
// The inventory is made with the world (`build_inventory`): availability zones `<region>a`,
// `b` and `c`; every subnet, security group, VPC and key pair resource of the stacks (their
// physical ids); every value the deployed stacks' parameters of those types hold (AWS
// accepted them, so they exist); then the scenario's `account` changes. Stack operations keep
// it in step (`sync_inventory`): a subnet a stack creates exists afterwards, one it deletes
// does not.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/cloud.hpp"
#include "cloud/sim/inventory.hpp"

namespace stackshift::cfn {
class Template;
}

namespace stackshift::cloud::sim {

struct World;
struct SimResource;

// The inventory of a world whose stacks are in place, with the scenario's changes applied.
// Throws InputError when the scenario removes what the account does not hold (a typo would
// otherwise test nothing).
void build_inventory(World& world);

// Keeps the inventory in step with a stack's resources after an operation ended well.
void sync_inventory(World& world, const std::vector<SimResource>& before, const std::vector<SimResource>& after);

// The inventory's set a parameter of this AWS-specific element type is checked against
// ("AWS::EC2::Subnet::Id" to the subnets), or null when the simulator does not check that type.
const IdSet* ids_for_type(const Inventory& inventory, std::string_view element_type);

// The elements of a list parameter's value, blanks around them trimmed as CloudFormation does.
std::vector<std::string> list_elements(std::string_view value);

// The values a template sees: each parameter of an AWS::SSM::Parameter::Value<...> type
// replaced by its SSM parameter's value; one whose value the world does not know is left out,
// so that the evaluator treats it as unknown rather than as the parameter's name.
StringMap resolved_values(const World& world, const cfn::Template& t, const StringMap& parameters);

// S3: the https URL of an object, and the bucket and key a URL names (nullopt when it is not
// an S3 URL of this region's form or of the path form).
std::string s3_object_url(const World& world, const std::string& bucket, const std::string& key);
std::optional<std::pair<std::string, std::string>> s3_location(std::string_view url);

}  // namespace stackshift::cloud::sim
