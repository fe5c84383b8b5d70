// `stackshift plan` over a plan whose step CloudFormation would refuse for an export in use:
// exit code 3 (the plan is not ready), and the conflict named in the output.

#include "plan/plan_world.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

const char* db_v1 = R"(
Resources:
  Instance:
    Type: AWS::EC2::Instance
Outputs:
  Address:
    Value: !GetAtt Instance.PrivateIp
    Export:
      Name: !Sub "${AWS::StackName}-Address"
)";

const char* db_v2 = R"(
Resources:
  Instance:
    Type: AWS::EC2::Instance
Outputs:
  InstanceId:
    Value: !Ref Instance
)";

const char* app = R"(
Parameters:
  DbStackName:
    Type: String
Resources:
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value:
        Fn::ImportValue: !Sub "${DbStackName}-Address"
)";

TEST(PlanCli, AStepRemovingAnExportInUseIsExitThreeAndNamed) {
    plan_test::World w;
    w.release("3.14.2", "1-1-db", db_v1);
    w.release("3.15.0", "1-1-db", db_v2);
    w.releases({"3.14.2", "3.15.0"}, "2-1-app", app);
    w.deploy(plan_test::stack("1-1-db", "3.14.2"));
    w.deploy(plan_test::stack("2-1-app", "3.14.2", {{"DbStackName", "acme-1-1-db"}}));
    auto request = w.request("3.14.2", "3.15.0");
    auto r = testing::run_stackshift({"plan", "--deployment", request.deployment_path, "--releases", request.releases_path, "--to", "3.15.0",
                             "--product", "numbered-stacks"});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("Export conflicts"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("removes the export acme-1-1-db-Address of acme-1-1-db, which acme-2-1-app still imports"), std::string::npos)
        << r.out;
}

}  // namespace
}  // namespace stackshift
