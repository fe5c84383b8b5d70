#include "cloud/cloud.hpp"

#include <cctype>

namespace stackshift::cloud {

bool CloudError::is_throttling() const {
    return m_code == "Throttling" || m_code == "ThrottlingException" || m_code == "RequestLimitExceeded" ||
           m_code == "TooManyRequestsException";
}

std::vector<std::string> Cloud::get_templates(const std::vector<std::string>& stacks) {
    std::vector<std::string> out;
    out.reserve(stacks.size());
    for (const auto& s : stacks) out.push_back(get_template(s));
    return out;
}

bool valid_db_cluster_snapshot_id(std::string_view id) {
    if (id.empty() || id.size() > 255 || !std::isalpha(static_cast<unsigned char>(id.front())) || id.back() == '-')
        return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(id[i]);
        if (!std::isalnum(c) && c != '-') return false;
        if (c == '-' && i > 0 && id[i - 1] == '-') return false;
    }
    return true;
}

std::string_view change_action_name(ChangeAction action) {
    switch (action) {
    case ChangeAction::add: return "Add";
    case ChangeAction::modify: return "Modify";
    case ChangeAction::remove: return "Remove";
    }
    return "Modify";
}

std::string_view change_replacement_name(ChangeReplacement replacement) {
    switch (replacement) {
    case ChangeReplacement::no: return "False";
    case ChangeReplacement::yes: return "True";
    case ChangeReplacement::conditional: return "Conditional";
    }
    return "False";
}

namespace {

// Each enum's AWS words, in the enum's order.
constexpr std::string_view detection_names[] = {"DETECTION_IN_PROGRESS", "DETECTION_COMPLETE", "DETECTION_FAILED"};
constexpr std::string_view resource_drift_names[] = {"IN_SYNC", "MODIFIED", "DELETED", "NOT_CHECKED", "UNKNOWN"};
constexpr std::string_view difference_names[] = {"ADD", "REMOVE", "NOT_EQUAL"};

template <class E, std::size_t N>
std::optional<E> from_name(const std::string_view (&names)[N], std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace

std::string_view drift_detection_status_name(DriftDetectionStatus status) { return detection_names[static_cast<std::size_t>(status)]; }
std::optional<DriftDetectionStatus> drift_detection_status_from_name(std::string_view name) {
    return from_name<DriftDetectionStatus>(detection_names, name);
}
std::string_view resource_drift_status_name(ResourceDriftStatus status) { return resource_drift_names[static_cast<std::size_t>(status)]; }
std::optional<ResourceDriftStatus> resource_drift_status_from_name(std::string_view name) {
    return from_name<ResourceDriftStatus>(resource_drift_names, name);
}
std::string_view difference_type_name(DifferenceType type) { return difference_names[static_cast<std::size_t>(type)]; }
std::optional<DifferenceType> difference_type_from_name(std::string_view name) {
    return from_name<DifferenceType>(difference_names, name);
}

}  // namespace stackshift::cloud
