// The simulator checks parameter values and templates where CloudFormation does, with its
// texts: constraints and SSM parameters refuse CreateChangeSet and UpdateStack themselves; a
// value of an AWS-specific type that names nothing in the account fails the change set (or
// rolls an UpdateStack back); a TemplateBody over 51,200 bytes and a TemplateURL object over
// 1 MB are refused; the account's inventory follows the stacks' resources and the scenario.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cloud/sim/scenario.hpp"
#include "cloud/sim/sim_cloud.hpp"
#include "core/error.hpp"
#include "cloud/sim_support.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

using stackshift::testing::wait_stable;

using stackshift::testing::scenario_from;

using cloud::ChangeSetRequest;
using cloud::CloudError;
using cloud::ParameterInput;
using cloud::sim::Scenario;
using cloud::sim::SimCloud;

// A network stack: a VPC, a subnet and a security group, and a key pair named by a parameter.
constexpr const char* network_template = R"(
Parameters:
  KeyName:
    Type: AWS::EC2::KeyPair::KeyName
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.0.0.0/24
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref VPC
)";

cfn::Deployment network_deployment() {
    return stackshift::testing::one_stack_deployment("net", "1-1-net", {{"KeyName", "ops-key"}}, network_template, "network.json");
}

SimCloud network_cloud(const std::string& scenario = "{}") {
    return SimCloud(cloud::sim::world_from_deployment(network_deployment(), scenario_from(scenario)));
}

std::string physical_id(SimCloud& c, const std::string& stack, const std::string& logical_id) {
    for (const auto& r : c.describe_stack_resources(stack))
        if (r.logical_id == logical_id) return r.physical_id;
    return {};
}

ChangeSetRequest create_request(const std::string& stack, const std::string& body, std::vector<ParameterInput> parameters) {
    ChangeSetRequest r;
    r.stack = stack;
    r.change_set_name = "create-" + stack;
    r.type = cloud::ChangeSetType::create;
    r.template_body = body;
    r.parameters = std::move(parameters);
    return r;
}

// The ValidationError message CreateChangeSet refuses the request with; "" when it accepts it.
std::string refusal(SimCloud& c, const ChangeSetRequest& request) {
    try {
        c.create_change_set(request);
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ValidationError") << e.message();
        return e.message();
    }
    return {};
}

cloud::ChangeSet settled_change_set(SimCloud& c, const std::string& stack, const std::string& name) {
    for (int i = 0; i < 100; ++i) {
        cloud::ChangeSet cs = c.describe_change_set(stack, name);
        if (cs.status != "CREATE_IN_PROGRESS" && cs.status != "CREATE_PENDING") return cs;
        c.wait(1);
    }
    return {};
}

bool stack_exists(SimCloud& c, const std::string& stack) {
    try {
        c.describe_stack(stack);
        return true;
    } catch (const CloudError&) {
        return false;
    }
}

constexpr const char* one_resource = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

std::string with_parameter(const std::string& declaration) { return "Parameters:\n  P:\n" + declaration + one_resource; }

TEST(SimParameters, ValueOutsideAllowedValuesRefusedByCreateChangeSet) {
    SimCloud c = network_cloud();
    std::string body = with_parameter("    Type: String\n    AllowedValues: [small, large]\n");
    EXPECT_EQ(refusal(c, create_request("app", body, {ParameterInput::set("P", "huge")})), "Parameter 'P' must be one of AllowedValues");
    // A refused call leaves no stack behind, not even one in REVIEW_IN_PROGRESS.
    EXPECT_FALSE(stack_exists(c, "app"));
    EXPECT_EQ(refusal(c, create_request("app", body, {ParameterInput::set("P", "large")})), "");
}

TEST(SimParameters, ConstraintDescriptionReplacesTheGenericText) {
    SimCloud c = network_cloud();
    std::string body = with_parameter("    Type: String\n    AllowedValues: [small, large]\n    ConstraintDescription: small or large\n");
    EXPECT_EQ(refusal(c, create_request("app", body, {ParameterInput::set("P", "huge")})),
              "Parameter P failed to satisfy constraint: small or large");
    body = with_parameter("    Type: Number\n    MinValue: 1\n    ConstraintDescription: at least one\n");
    EXPECT_EQ(refusal(c, create_request("app", body, {ParameterInput::set("P", "0")})), "Parameter P failed to satisfy constraint: at least one");
}

TEST(SimParameters, PatternLengthNumberAndListOfNumbers) {
    SimCloud c = network_cloud();
    int n = 0;  // a stack per accepted value
    auto refused = [&](const std::string& declaration, const std::string& value) {
        return refusal(c, create_request("app" + std::to_string(++n), with_parameter(declaration), {ParameterInput::set("P", value)}));
    };
    std::string pattern = "    Type: String\n    AllowedPattern: \"[a-z]+\"\n";
    EXPECT_EQ(refused(pattern, "abc1"), "Parameter 'P' must match pattern [a-z]+");
    EXPECT_EQ(refused(pattern, "abc"), "");
    std::string lengths = "    Type: String\n    MinLength: 3\n    MaxLength: 5\n";
    EXPECT_EQ(refused(lengths, "ab"), "Parameter 'P' must contain at least 3 characters");
    EXPECT_EQ(refused(lengths, "abcdef"), "Parameter 'P' must contain at most 5 characters");
    EXPECT_EQ(refused(lengths, "abcd"), "");
    std::string range = "    Type: Number\n    MinValue: 20\n    MaxValue: 16384\n";
    EXPECT_EQ(refused(range, "ten"), "Parameter 'P' must be a number");
    EXPECT_EQ(refused(range, "10"), "Parameter 'P' must be a number not less than 20");
    EXPECT_EQ(refused(range, "20000"), "Parameter 'P' must be a number not greater than 16384");
    EXPECT_EQ(refused(range, "100"), "");
    std::string numbers = "    Type: List<Number>\n    MaxValue: 10\n";
    EXPECT_EQ(refused(numbers, "1, x,3"), "Parameter 'P' must be a number");
    EXPECT_EQ(refused(numbers, "1,11"), "Parameter 'P' must be a number not greater than 10");
    EXPECT_EQ(refused(numbers, "1, 2,10"), "");
}

TEST(SimParameters, MissingValueAndUndeclaredParameter) {
    SimCloud c = network_cloud();
    std::string body = "Parameters:\n  A:\n    Type: String\n  B:\n    Type: String\n  C:\n    Type: String\n    Default: c\n" +
                       std::string(one_resource);
    EXPECT_EQ(refusal(c, create_request("app", body, {})), "Parameters: [A, B] must have values");
    EXPECT_EQ(refusal(c, create_request("app", body, {ParameterInput::set("A", "a"), ParameterInput::set("Nope", "x"),
                                                     ParameterInput::set("B", "b")})),
              "Parameters: [Nope] do not exist in the template");
    EXPECT_EQ(refusal(c, create_request("app", one_resource, {ParameterInput::set("Nope", "x")})),
              "Parameter values specified for a template which does not require them.");
}

// A value of an AWS-specific type is looked up as the change set is made: one that names
// nothing fails it with AWS's reason; one the account holds is accepted.
TEST(SimParameters, AwsSpecificValuesAreLookedUpInTheAccount) {
    SimCloud c = network_cloud();
    std::string sg = physical_id(c, "net", "SecurityGroup");
    std::string subnet = physical_id(c, "net", "Subnet");
    std::string vpc = physical_id(c, "net", "VPC");
    ASSERT_TRUE(sg.starts_with("sg-") && subnet.starts_with("subnet-") && vpc.starts_with("vpc-"));
    std::string body = R"(
Parameters:
  SecurityGroup: {Type: AWS::EC2::SecurityGroup::Id}
  Subnets: {Type: List<AWS::EC2::Subnet::Id>}
  Vpc: {Type: AWS::EC2::VPC::Id}
  KeyName: {Type: AWS::EC2::KeyPair::KeyName}
  Zone: {Type: AWS::EC2::AvailabilityZone::Name}
)" + std::string(one_resource);
    auto outcome = [&](const std::string& name, std::vector<ParameterInput> parameters) {
        ChangeSetRequest r = create_request("app", body, std::move(parameters));
        r.change_set_name = name;
        EXPECT_EQ(refusal(c, r), "") << name;
        return settled_change_set(c, "app", name);
    };
    auto values = [&](const std::string& group, const std::string& key) {
        return std::vector<ParameterInput>{ParameterInput::set("SecurityGroup", group), ParameterInput::set("Subnets", subnet + "," + subnet),
                                           ParameterInput::set("Vpc", vpc), ParameterInput::set("KeyName", key),
                                           ParameterInput::set("Zone", "eu-west-1b")};
    };
    cloud::ChangeSet missing = outcome("missing-sg", values("sg-123", "ops-key"));
    EXPECT_EQ(missing.status, "FAILED");
    EXPECT_EQ(missing.execution_status, "UNAVAILABLE");
    EXPECT_EQ(missing.status_reason,
              "Parameter validation failed: parameter value sg-123 for parameter name SecurityGroup does not exist. Rollback requested by user.");
    cloud::ChangeSet no_key = outcome("missing-key", values(sg, "nobody"));
    EXPECT_EQ(no_key.status_reason,
              "Parameter validation failed: parameter value nobody for parameter name KeyName does not exist. Rollback requested by user.");
    // The key pair exists because the deployed stack's KeyName held it; the rest are the network stack's resources.
    cloud::ChangeSet held = outcome("held", values(sg, "ops-key"));
    EXPECT_EQ(held.status, "CREATE_COMPLETE") << held.status_reason;
}

TEST(SimParameters, ScenarioRemovesAndAddsWhatTheAccountHolds) {
    SimCloud c = network_cloud("account:\n  remove:\n    key_pairs: [ops-key]\n  add:\n    key_pairs: [new-key]\n");
    std::string body = "Parameters:\n  KeyName: {Type: AWS::EC2::KeyPair::KeyName}\n" + std::string(one_resource);
    ChangeSetRequest gone = create_request("app", body, {ParameterInput::set("KeyName", "ops-key")});
    ASSERT_EQ(refusal(c, gone), "");
    EXPECT_EQ(settled_change_set(c, "app", gone.change_set_name).status, "FAILED");
    ChangeSetRequest added = create_request("app2", body, {ParameterInput::set("KeyName", "new-key")});
    ASSERT_EQ(refusal(c, added), "");
    EXPECT_EQ(settled_change_set(c, "app2", added.change_set_name).status, "CREATE_COMPLETE");
}

TEST(SimParameters, ScenarioAccountProblemsAreReportedAtTheirPlace) {
    auto s = cloud::sim::parse_scenario("account:\n  add:\n    keypairs: [a]\n  ssm_parameters:\n    - name: /x\n", "faults.yaml");
    ASSERT_FALSE(s.ok());
    std::string text = to_string(s.diagnostics());
    EXPECT_NE(text.find("faults.yaml:3:15: unknown kind 'keypairs' in account.add"), std::string::npos) << text;
    EXPECT_NE(text.find("faults.yaml:5:7: an SSM parameter needs 'name' and 'value'"), std::string::npos) << text;
    // Removing what the account does not hold is refused when the world is made: it would test nothing.
    EXPECT_THROW(cloud::sim::world_from_deployment(network_deployment(), scenario_from("account:\n  remove:\n    subnets: [subnet-0nope]\n")),
                 InputError);
}

// A subnet a stack creates exists afterwards; once its stack is deleted it does not.
TEST(SimParameters, InventoryFollowsTheStacksResources) {
    SimCloud c = network_cloud();
    std::string made = "Resources:\n  Made:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24}\n";
    ChangeSetRequest make = create_request("maker", made, {});
    ASSERT_EQ(refusal(c, make), "");
    settled_change_set(c, "maker", make.change_set_name);
    c.execute_change_set("maker", make.change_set_name);
    ASSERT_EQ(wait_stable(c, "maker"), "CREATE_COMPLETE");
    std::string subnet = physical_id(c, "maker", "Made");
    std::string body = "Parameters:\n  Subnet: {Type: AWS::EC2::Subnet::Id}\n" + std::string(one_resource);
    ChangeSetRequest use = create_request("user", body, {ParameterInput::set("Subnet", subnet)});
    ASSERT_EQ(refusal(c, use), "");
    EXPECT_EQ(settled_change_set(c, "user", use.change_set_name).status, "CREATE_COMPLETE");
    c.delete_stack("maker");
    for (int i = 0; i < 100 && stack_exists(c, "maker"); ++i) c.wait(15);
    ASSERT_FALSE(stack_exists(c, "maker"));
    use.stack = "user2";
    ASSERT_EQ(refusal(c, use), "");
    EXPECT_EQ(settled_change_set(c, "user2", use.change_set_name).status, "FAILED");
}

constexpr const char* ssm_template = R"(
Parameters:
  Environment:
    Type: AWS::SSM::Parameter::Value<String>
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  Topic:
    Type: AWS::SNS::Topic
  ProdOnly:
    Type: AWS::SNS::Topic
    Condition: IsProd
)";

// An SSM parameter type reads the parameter store: a name that is not there refuses the call;
// the template sees the SSM parameter's value, not its name.
TEST(SimParameters, SsmParameterMustExistAndTheTemplateSeesItsValue) {
    SimCloud c = network_cloud("account:\n  ssm_parameters:\n    - {name: /acme/environment, value: prod}\n"
                               "    - {name: /acme/secret, type: SecureString, value: s3cret}\n");
    EXPECT_EQ(refusal(c, create_request("app", ssm_template, {ParameterInput::set("Environment", "/acme/missing")})),
              "Unable to fetch parameters [/acme/missing] from parameter store for this account.");
    EXPECT_EQ(refusal(c, create_request("app", ssm_template, {ParameterInput::set("Environment", "/acme/secret")})),
              "Parameters [/acme/secret] referenced by template have types not supported by CloudFormation.");
    ChangeSetRequest r = create_request("app", ssm_template, {ParameterInput::set("Environment", "/acme/environment")});
    ASSERT_EQ(refusal(c, r), "");
    cloud::ChangeSet cs = settled_change_set(c, "app", r.change_set_name);
    ASSERT_EQ(cs.status, "CREATE_COMPLETE") << cs.status_reason;
    bool prod_only = std::any_of(cs.changes.begin(), cs.changes.end(), [](const auto& ch) { return ch.logical_id == "ProdOnly"; });
    EXPECT_TRUE(prod_only) << "the condition saw the SSM parameter's name, not its value 'prod'";
    // The stack keeps the name it was given, as DescribeStacks reports it.
    c.execute_change_set("app", r.change_set_name);
    ASSERT_EQ(wait_stable(c, "app"), "CREATE_COMPLETE");
    EXPECT_EQ(c.describe_stack("app").parameters.at("Environment"), "/acme/environment");
}

// UpdateStack checks constraints at the call; a value naming nothing rolls the update back.
TEST(SimParameters, UpdateStackRefusesAndRollsBackAsAws) {
    SimCloud c = network_cloud();
    try {
        c.update_stack({"net", {ParameterInput::set("KeyName", "")}});
    } catch (const CloudError& e) {
        ADD_FAILURE() << "refused at the call, where AWS starts the update: " << e.message();
    }
    EXPECT_EQ(wait_stable(c, "net"), "UPDATE_ROLLBACK_COMPLETE");
    auto events = c.describe_stack_events("net", "");
    bool reason = std::any_of(events.begin(), events.end(), [](const cloud::StackEvent& e) {
        return e.status == "UPDATE_ROLLBACK_IN_PROGRESS" &&
               e.status_reason == "Parameter validation failed: parameter value for parameter name KeyName does not exist. Rollback requested by user.";
    });
    EXPECT_TRUE(reason);
    EXPECT_EQ(c.describe_stack("net").parameters.at("KeyName"), "ops-key");
}

TEST(SimTemplateLimits, BodyOverTheLimitIsRefused) {
    SimCloud c = network_cloud();
    std::string body = std::string(one_resource) + "# ";
    body += std::string(cloud::max_template_body_bytes - body.size(), 'x');
    ASSERT_EQ(body.size(), 51200u);
    EXPECT_EQ(refusal(c, create_request("app", body, {})), "");
    std::string over = body + "x";
    std::string message = refusal(c, create_request("app2", over, {}));
    EXPECT_TRUE(message.starts_with("1 validation error detected: Value '" + over.substr(0, 20))) << message.substr(0, 80);
    EXPECT_TRUE(message.ends_with("' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200"));
}

TEST(SimTemplateLimits, TemplateUrlReadsTheSimulatedS3) {
    SimCloud c = network_cloud("account:\n  add:\n    s3_buckets: [templates]\n");
    try {
        c.upload_template("nobucket", "t.yaml", one_resource);
        ADD_FAILURE() << "an unknown bucket took an object";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "NoSuchBucket");
        EXPECT_EQ(e.message(), "The specified bucket does not exist");
    }
    std::string url = c.upload_template("templates", "stackshift/t.yaml", one_resource);
    EXPECT_EQ(url, "https://templates.s3.eu-west-1.amazonaws.com/stackshift/t.yaml");
    ChangeSetRequest r = create_request("app", "", {});
    r.template_url = url;
    EXPECT_EQ(refusal(c, r), "");
    EXPECT_EQ(settled_change_set(c, "app", r.change_set_name).status, "CREATE_COMPLETE");

    r.stack = "app2";
    r.template_url = "https://templates.s3.eu-west-1.amazonaws.com/stackshift/none.yaml";
    EXPECT_EQ(refusal(c, r), "TemplateURL must reference a valid S3 object to which you have access.");
    std::string big = std::string(one_resource) + "# " + std::string(1024 * 1024, 'x');
    r.template_url = c.upload_template("templates", "stackshift/big.yaml", big);
    EXPECT_EQ(refusal(c, r), "Template may not exceed 1048576 bytes in size.");
}

TEST(SimTemplateLimits, InventoryAndObjectsSurviveTheStateFile) {
    SimCloud c = network_cloud("account:\n  add:\n    s3_buckets: [templates]\n  ssm_parameters:\n    - {name: /a, type: StringList, value: \"x,y\"}\n");
    c.upload_template("templates", "k", "body \u0001 text");
    std::string text = cloud::sim::world_to_json(c.world());
    cloud::sim::World back = cloud::sim::world_from_json(text, "state.json");
    EXPECT_EQ(back.inventory.s3_objects.at("templates").at("k"), "body \u0001 text");
    EXPECT_EQ(back.inventory.key_pairs, c.world().inventory.key_pairs);
    EXPECT_EQ(back.inventory.subnets, c.world().inventory.subnets);
    EXPECT_EQ(back.inventory.availability_zones, (cloud::sim::IdSet{"eu-west-1a", "eu-west-1b", "eu-west-1c"}));
    EXPECT_EQ(back.inventory.ssm_parameters.at("/a").type, "StringList");
    EXPECT_EQ(back.inventory.ssm_parameters.at("/a").value, "x,y");
    EXPECT_EQ(back.scenario.account.add.at("s3_buckets"), std::vector<std::string>{"templates"});
    EXPECT_EQ(cloud::sim::world_to_json(back), text);
}

// A world made from a snapshot holds NoEcho values masked; AWS accepted the real ones, which
// the simulator cannot see, so a previous masked value is not held against the constraints.
TEST(SimParameters, APreviousMaskedNoEchoValueIsNotChecked) {
    cfn::Deployment d = network_deployment();
    d.stacks[0].template_body = network_template;
    d.stacks[0].template_body.insert(d.stacks[0].template_body.find("Resources:"),
                                     "  Password:\n    Type: String\n    NoEcho: true\n    MinLength: 16\n");
    d.stacks[0].parameters["Password"] = "****";
    d.stacks[0].no_echo = {"Password"};
    SimCloud c(cloud::sim::world_from_deployment(d, {}));
    ChangeSetRequest r;
    r.stack = "net";
    r.change_set_name = "keep";
    r.use_previous_template = true;
    r.parameters = {ParameterInput::keep("KeyName"), ParameterInput::keep("Password")};
    EXPECT_EQ(refusal(c, r), "");
    r.change_set_name = "short";
    r.parameters = {ParameterInput::keep("KeyName"), ParameterInput::set("Password", "short")};
    EXPECT_EQ(refusal(c, r), "Parameter 'Password' must contain at least 16 characters");
}

TEST(SimTemplateLimits, AStateFileFromBeforeTheInventoryStillLoads) {
    SimCloud c = network_cloud();
    auto tree = nlohmann::json::parse(cloud::sim::world_to_json(c.world()));
    tree.erase("inventory");
    tree["scenario"].erase("account");
    cloud::sim::World back = cloud::sim::world_from_json(tree.dump(), "old.json");
    EXPECT_TRUE(back.inventory.subnets.empty());
    EXPECT_TRUE(back.scenario.account.empty());
}

}  // namespace
}  // namespace stackshift
