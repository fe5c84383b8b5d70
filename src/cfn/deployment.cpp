#include "cfn/deployment.hpp"

#include <algorithm>

namespace stackshift::cfn {

bool DeployedStack::is_no_echo(std::string_view parameter) const {
    return std::find(no_echo.begin(), no_echo.end(), parameter) != no_echo.end();
}

const DeployedStack* Deployment::stack(std::string_view name) const {
    for (const auto& s : stacks) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

bool is_stable_status(std::string_view status) {
    if (status.empty()) return true;  // a hand-written snapshot without status
    if (status.ends_with("_IN_PROGRESS") || status.ends_with("_FAILED")) return false;
    if (status == "ROLLBACK_COMPLETE" || status == "DELETE_COMPLETE") return false;  // cannot be updated
    return status.ends_with("_COMPLETE");
}

std::string_view drift_status_name(DriftStatus status) { return status == DriftStatus::deleted ? "DELETED" : "MODIFIED"; }

std::optional<DriftStatus> drift_status_from_name(std::string_view name) {
    if (name == "MODIFIED") return DriftStatus::modified;
    if (name == "DELETED") return DriftStatus::deleted;
    return std::nullopt;
}

}  // namespace stackshift::cfn
