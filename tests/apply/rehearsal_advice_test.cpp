// What a rehearsal advises, as a function of AWS's message texts: those the simulator gives
// today and those it is being taught (exports in use, parameter constraints, policy actions,
// drift), each with the change it calls for.

#include "apply/rehearsal_advice.hpp"
#include "test_support.hpp"

namespace stackshift::apply {
namespace {

plan::FailedStep update_step(const std::string& stack) {
    plan::FailedStep step;
    step.id = "h1-11-update-stack-2-5-db-timescale";
    step.title = "Update " + stack;
    step.kind = "update-stack";
    step.stack = stack;
    return step;
}

plan::RehearsalError aws_error(const std::string& code, const std::string& message) {
    plan::RehearsalError error;
    error.code = code;
    error.message = message;
    return error;
}

std::string only(const std::vector<std::string>& advice) {
    EXPECT_EQ(advice.size(), 1u) << ::testing::PrintToString(advice);
    return advice.empty() ? std::string() : advice.front();
}

TEST(RehearsalAdvice, AnExportInUseSaysToUpdateTheImporterFirstOrKeepTheExport) {
    auto advice = only(failure_advice(
        update_step("acme-prod-2-5-db-timescale"),
        aws_error("UPDATE_FAILED", "Export acme-prod-2-5-db-timescale-Address cannot be deleted as it is in use by acme-prod-5-2-ecs-ops")));
    EXPECT_EQ(advice,
              "the stack acme-prod-5-2-ecs-ops imports the export acme-prod-2-5-db-timescale-Address, which step "
              "h1-11-update-stack-2-5-db-timescale removes or changes: update acme-prod-5-2-ecs-ops first so that it no longer "
              "imports it (the release notes usually name the parameter that turns the import off), or keep the export in "
              "acme-prod-2-5-db-timescale's template");
    auto changed = only(failure_advice(update_step("s"), aws_error("UPDATE_FAILED", "Cannot update export s-Url as it is in use by t.")));
    EXPECT_NE(changed.find("the stack t imports the export s-Url"), std::string::npos) << changed;
}

TEST(RehearsalAdvice, AMissingExportSaysToDeployTheExporterFirst) {
    auto advice = only(failure_advice(update_step("acme-prod-5-2-ecs-ops"),
                                      aws_error("ValidationError", "No export named acme-prod-2-5-db-timescale-Address found. "
                                                                   "Rollback requested by user.")));
    EXPECT_EQ(advice, "no stack exports acme-prod-2-5-db-timescale-Address when step h1-11-update-stack-2-5-db-timescale runs: "
                      "deploy or update the stack that exports it before this step, or correct the name the template imports");
}

TEST(RehearsalAdvice, ParameterRefusalsSayWhichValueToGiveInTheValuesFile) {
    auto step = update_step("acme-prod-2-5-db-timescale");
    EXPECT_EQ(only(failure_advice(step, aws_error("ValidationError", "Parameter 'InstanceType' must be one of AllowedValues"))),
              "give InstanceType of acme-prod-2-5-db-timescale one of its AllowedValues in the values file (--values), then "
              "plan and rehearse again");
    EXPECT_EQ(only(failure_advice(step, aws_error("ValidationError",
                                                  "Parameter CreateVPNEndpoint failed to satisfy constraint: Must specify 'true' or 'false'"))),
              "give CreateVPNEndpoint of acme-prod-2-5-db-timescale a value that satisfies its constraint (AllowedPattern, "
              "length or range) in the values file (--values)");
    EXPECT_EQ(only(failure_advice(step, aws_error("ValidationError", "Parameter 'Domain' must match pattern ^[a-z.]+$"))),
              "give Domain of acme-prod-2-5-db-timescale a value that matches its AllowedPattern in the values file (--values)");
    EXPECT_EQ(only(failure_advice(step, aws_error("ValidationError", "Parameters: [AvailabilityZone] must have values"))),
              "give AvailabilityZone of acme-prod-2-5-db-timescale a value in the values file (--values)");
    EXPECT_EQ(only(failure_advice(step, aws_error("ValidationError", "Parameters: [Legacy] do not exist in the template"))),
              "the template of acme-prod-2-5-db-timescale has no parameter Legacy: remove it from the values file under "
              "acme-prod-2-5-db-timescale, then plan again");
    EXPECT_EQ(only(failure_advice(step, aws_error("ValidationError", "Parameter validation failed: parameter value sg-123 for "
                                                                     "parameter name SecurityGroup does not exist. Rollback "
                                                                     "requested by user."))),
              "the value of SecurityGroup of acme-prod-2-5-db-timescale names something the account does not hold: give an "
              "existing one in the values file (--values)");
}

TEST(RehearsalAdvice, AReplaceAndDeletePolicyActionSaysBackUpAndAllowReplaceOrRetain) {
    plan::RehearsalError error;
    error.detail = "change set stackshift-h1-11 of acme-prod-2-5-db-timescale would delete Volume (AWS::EC2::Volume, "
                   "PolicyAction ReplaceAndDelete)";
    error.message = error.detail;
    auto advice = only(failure_advice(update_step("acme-prod-2-5-db-timescale"), error));
    EXPECT_EQ(advice, "the change set would replace a stateful resource of acme-prod-2-5-db-timescale and delete the old one "
                      "(ReplaceAndDelete): take a backup, then acknowledge it with --allow-replace "
                      "acme-prod-2-5-db-timescale/LOGICALID, or give the resource UpdateReplacePolicy (or DeletionPolicy) Retain "
                      "or Snapshot in the template");
}

TEST(RehearsalAdvice, AStackInUpdateRollbackFailedSaysContinueTheRollbackFirst) {
    auto step = update_step("acme-prod-2-5-db-timescale");
    step.stack_status = "UPDATE_ROLLBACK_FAILED";
    auto advice = only(failure_advice(step, aws_error("UPDATE_ROLLBACK_FAILED", "The following resource(s) failed to update: [Volume].")));
    EXPECT_EQ(advice, "the stack acme-prod-2-5-db-timescale is (or would end) in UPDATE_ROLLBACK_FAILED and takes no update: "
                      "continue its rollback first (aws cloudformation continue-update-rollback --stack-name "
                      "acme-prod-2-5-db-timescale, with --resources-to-skip for a resource that cannot roll back), wait for "
                      "UPDATE_ROLLBACK_COMPLETE, then rehearse again");
}

TEST(RehearsalAdvice, AFailedMigrationSaysReadItsLog) {
    plan::FailedStep step;
    step.id = "h1-20-run-migration-is-db";
    step.kind = "run-migration";
    step.stack = "acme-prod-5-2-ecs-ops";
    auto error = aws_error("STOPPED", "task arn:aws:ecs:...: Essential container in task exited, exit code 1");
    error.log = {"error: migration 42 failed"};
    auto advice = only(failure_advice(step, error));
    EXPECT_EQ(advice.rfind("the migration of step h1-20-run-migration-is-db failed: read its log lines", 0), 0u) << advice;
}

TEST(RehearsalAdvice, DriftSaysReviewAndAcknowledge) {
    auto advice = only(failure_advice(update_step("acme-prod-1-1-vpc"),
                                      aws_error("", "SecurityGroup of acme-prod-1-1-vpc drifted (MODIFIED): the update would "
                                                    "overwrite SecurityGroupIngress/0/CidrIp")));
    EXPECT_NE(advice.find("(drift:STACK/LOGICALID)"), std::string::npos) << advice;
    EXPECT_NE(advice.find("resources of acme-prod-1-1-vpc were changed outside CloudFormation"), std::string::npos) << advice;
}

TEST(RehearsalAdvice, AFailedResourceWithoutAKnownCauseSaysReadItsMessage) {
    auto step = update_step("acme-prod-5-2-ecs-ops");
    step.logical_id = "TaskDefinition";
    step.resource_type = "AWS::ECS::TaskDefinition";
    EXPECT_EQ(only(failure_advice(step, aws_error("UPDATE_FAILED", "Resource handler returned message: \"boom\""))),
              "the resource TaskDefinition (AWS::ECS::TaskDefinition) of acme-prod-5-2-ecs-ops failed: read its message above, "
              "fix the template or the values that set it, then plan and rehearse again");
}

TEST(RehearsalAdvice, AnUnknownMessageSaysReadItAndPlanAgain) {
    EXPECT_EQ(only(failure_advice(update_step("s"), aws_error("InternalFailure", "something unexpected"))),
              "read the message; plan again after fixing");
}

TEST(RehearsalAdvice, LostDataSaysBackUpAndAcknowledgeOrKeep) {
    EXPECT_EQ(lost_data_advice({"acme-prod-4-1-secrets", "InteropTLSSecret", "AWS::SecretsManager::Secret", "deleted", false}),
              "the data of acme-prod-4-1-secrets/InteropTLSSecret (AWS::SecretsManager::Secret) would be lost (deleted) and the "
              "plan does not acknowledge it: back it up and acknowledge it with --allow-replace "
              "acme-prod-4-1-secrets/InteropTLSSecret, or keep it (UpdateReplacePolicy or DeletionPolicy Retain or Snapshot)");
}

TEST(RehearsalAdvice, ABlockedPlanSaysWhatEachInputNeeds) {
    plan::Plan plan;
    plan.inputs.push_back({"acme-prod-1-1-vpc", "1-1-vpc", "", "drifted: SecurityGroupIngress/0/CidrIp", {}, "",
                           "drift:acme-prod-1-1-vpc/SecurityGroup"});
    plan::Input parameter;
    parameter.stack = "acme-prod-2-5-db-timescale";
    parameter.parameter = "AvailabilityZone";
    parameter.why = "new parameter without a default";
    plan.inputs.push_back(parameter);
    auto advice = blocked_advice(plan);
    ASSERT_EQ(advice.size(), 2u);
    EXPECT_EQ(advice[0], "resources of acme-prod-1-1-vpc were changed outside CloudFormation and the upgrade would overwrite "
                         "them: review the drift, then list drift:acme-prod-1-1-vpc/SecurityGroup under acknowledge: in the "
                         "values file (or bring the resources back)");
    EXPECT_EQ(advice[1], "give acme-prod-2-5-db-timescale/AvailabilityZone a value in the values file (--values): new parameter "
                         "without a default");
}

}  // namespace
}  // namespace stackshift::apply
