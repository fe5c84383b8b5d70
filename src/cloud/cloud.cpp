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

}  // namespace stackshift::cloud
