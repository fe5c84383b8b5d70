#include "cloud/cloud.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace stackshift::cloud {

bool CloudError::is_throttling() const {
    return m_code == "Throttling" || m_code == "ThrottlingException" || m_code == "RequestLimitExceeded" ||
           m_code == "TooManyRequestsException";
}

std::string_view error_kind_name(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::other: return "other";
    case ErrorKind::not_found: return "not-found";
    case ErrorKind::already_exists: return "already-exists";
    case ErrorKind::no_changes: return "no-changes";
    case ErrorKind::in_progress: return "in-progress";
    }
    return "other";
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

// One table per enum of AWS's words, read both ways.
template <typename Enum, std::size_t N>
using Words = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Words<PolicyAction, 6> policy_action_words{{
    {PolicyAction::delete_resource, "Delete"},
    {PolicyAction::retain, "Retain"},
    {PolicyAction::snapshot, "Snapshot"},
    {PolicyAction::replace_and_delete, "ReplaceAndDelete"},
    {PolicyAction::replace_and_retain, "ReplaceAndRetain"},
    {PolicyAction::replace_and_snapshot, "ReplaceAndSnapshot"},
}};
constexpr Words<RequiresRecreation, 3> requires_recreation_words{{
    {RequiresRecreation::never, "Never"},
    {RequiresRecreation::conditionally, "Conditionally"},
    {RequiresRecreation::always, "Always"},
}};
constexpr Words<ChangeEvaluation, 2> change_evaluation_words{{
    {ChangeEvaluation::static_value, "Static"},
    {ChangeEvaluation::dynamic_value, "Dynamic"},
}};
constexpr Words<ChangeSource, 5> change_source_words{{
    {ChangeSource::resource_reference, "ResourceReference"},
    {ChangeSource::parameter_reference, "ParameterReference"},
    {ChangeSource::resource_attribute, "ResourceAttribute"},
    {ChangeSource::direct_modification, "DirectModification"},
    {ChangeSource::automatic, "Automatic"},
}};

constexpr Words<DriftDetectionStatus, 3> detection_status_words{{
    {DriftDetectionStatus::in_progress, "DETECTION_IN_PROGRESS"},
    {DriftDetectionStatus::complete, "DETECTION_COMPLETE"},
    {DriftDetectionStatus::failed, "DETECTION_FAILED"},
}};
constexpr Words<ResourceDriftStatus, 5> resource_drift_words{{
    {ResourceDriftStatus::in_sync, "IN_SYNC"},
    {ResourceDriftStatus::modified, "MODIFIED"},
    {ResourceDriftStatus::deleted, "DELETED"},
    {ResourceDriftStatus::not_checked, "NOT_CHECKED"},
    {ResourceDriftStatus::unknown, "UNKNOWN"},
}};
constexpr Words<DifferenceType, 3> difference_type_words{{
    {DifferenceType::add, "ADD"},
    {DifferenceType::remove, "REMOVE"},
    {DifferenceType::not_equal, "NOT_EQUAL"},
}};

template <typename Enum, std::size_t N>
std::string_view word_of(const Words<Enum, N>& words, Enum value) {
    for (const auto& [e, word] : words)
        if (e == value) return word;
    return words.front().second;  // unreachable: every value has its word
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const Words<Enum, N>& words, std::string_view word) {
    for (const auto& [e, w] : words)
        if (w == word) return e;
    return std::nullopt;
}

}  // namespace

std::string_view policy_action_name(PolicyAction action) { return word_of(policy_action_words, action); }
std::optional<PolicyAction> policy_action_from_name(std::string_view name) { return value_of(policy_action_words, name); }
std::string_view requires_recreation_name(RequiresRecreation value) { return word_of(requires_recreation_words, value); }
std::optional<RequiresRecreation> requires_recreation_from_name(std::string_view name) {
    return value_of(requires_recreation_words, name);
}
std::string_view change_evaluation_name(ChangeEvaluation value) { return word_of(change_evaluation_words, value); }
std::optional<ChangeEvaluation> change_evaluation_from_name(std::string_view name) {
    return value_of(change_evaluation_words, name);
}
std::string_view change_source_name(ChangeSource value) { return word_of(change_source_words, value); }
std::optional<ChangeSource> change_source_from_name(std::string_view name) { return value_of(change_source_words, name); }
std::string_view drift_detection_status_name(DriftDetectionStatus status) { return word_of(detection_status_words, status); }
std::optional<DriftDetectionStatus> drift_detection_status_from_name(std::string_view name) {
    return value_of(detection_status_words, name);
}
std::string_view resource_drift_status_name(ResourceDriftStatus status) { return word_of(resource_drift_words, status); }
std::optional<ResourceDriftStatus> resource_drift_status_from_name(std::string_view name) {
    return value_of(resource_drift_words, name);
}
std::string_view difference_type_name(DifferenceType type) { return word_of(difference_type_words, type); }
std::optional<DifferenceType> difference_type_from_name(std::string_view name) { return value_of(difference_type_words, name); }

// ---- Auto Scaling instance refresh --------------------------------------------------------

bool instance_refresh_ended(std::string_view status) {
    return status == "Successful" || status == "Failed" || status == "Cancelled" || status == "RollbackFailed" ||
           status == "RollbackSuccessful";
}

}  // namespace stackshift::cloud
