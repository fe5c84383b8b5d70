#pragma once
// The options that say what to plan, shared by `plan` and `apply`: the deployment (a snapshot,
// a simulated world, or the live stacks of an AWS account), the releases, the versions, the
// values and the acknowledgements.

#include "cli/command_line.hpp"
#include <string>

#include "cloud/aws/aws_options.hpp"
#include "plan/plan_inputs.hpp"

namespace stackshift::cli {

struct PlanSource {
    plan::PlanRequest request;
    std::string backend;
    std::string stack_prefix;      // --stack-prefix: read the live deployment from the backend
    cloud::aws::AwsOptions aws;    // --region, --profile, --endpoint-url, --aws-cli
    std::string saved_plan;        // --plan: a saved plan (apply, rehearse) instead of planning
};

// Whether the command may take a saved plan (--plan FILE) instead of the options to plan from.
enum class SavedPlans { refused, accepted };

// Registers --deployment, --backend, --stack-prefix, the AWS options, --releases, --to, --from,
// --values, --allow-replace, --product; with SavedPlans::accepted also --plan, and then
// --releases and --to are required only without it (check_plan_source says so).
void add_plan_source_options(CommandLine& command, PlanSource& source, SavedPlans saved = SavedPlans::refused);

// With --plan: InputError for an option the saved plan already fixes (the releases, the
// versions, the acknowledgements, the product); without it: InputError when
// --releases or --to is missing.
void check_plan_source(const PlanSource& source);

// The request with its deployment: the snapshot file, the world of a simulated AWS, or the
// stacks named --stack-prefix... read from the backend.
plan::PlanRequest with_deployment(const PlanSource& source);

// The product profile by bundled name or path; InputError naming the problem.
profile::Profile take_profile(const std::string& name_or_path);

// How the journal names the deployment a backend holds: "sim:STATE", "aws:PREFIX".
std::string deployment_name(const PlanSource& source);

}  // namespace stackshift::cli
