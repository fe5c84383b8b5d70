// The deployment lock's holder as JSON: the value of the AWS backend's SSM parameter and the
// simulator's `locks` entries. Keys are fixed here so that every backend reads what another wrote.

#include <nlohmann/json.hpp>

#include "cloud/cloud.hpp"

namespace stackshift::cloud {

std::string lock_holder_to_json(const LockHolder& h) {
    nlohmann::ordered_json j = {{"name", h.name},       {"user", h.user},    {"host", h.host},
                                {"pid", h.pid},         {"journal", h.journal}, {"toolVersion", h.tool_version},
                                {"since", h.since_s},   {"token", h.token}};
    return j.dump();
}

LockHolder lock_holder_from_json(std::string_view text) {
    LockHolder h;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return h;
    auto text_of = [&j](const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto number_of = [&j](const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : std::int64_t{0};
    };
    h.name = text_of("name");
    h.user = text_of("user");
    h.host = text_of("host");
    h.pid = static_cast<long>(number_of("pid"));
    h.journal = text_of("journal");
    h.tool_version = text_of("toolVersion");
    h.since_s = number_of("since");
    h.token = text_of("token");
    return h;
}

}  // namespace stackshift::cloud
