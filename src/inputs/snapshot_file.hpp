#pragma once
// A deployment snapshot file (DESIGN.md, "stackshift-deployment/1"): read, with every problem
// at file:line:column, and written, NoEcho values masked whatever the model holds.

#include <string>

#include "cfn/deployment.hpp"
#include "core/result.hpp"

namespace stackshift::inputs {

// Reads a snapshot; every problem with file:line:column.
Result<cfn::Deployment> load_deployment(const std::string& path);

// Writes a snapshot as JSON (masked NoEcho values stay masked).
std::string deployment_to_json(const cfn::Deployment& deployment);

}  // namespace stackshift::inputs
