// AwsCloud, the deployment lock: an SSM parameter that only one caller can create. PutParameter
// without --overwrite is AWS's create-if-absent: the second caller gets ParameterAlreadyExists
// and reads who holds it; the lock holds across machines and survives the process.

#include "cloud/aws/aws_cloud.hpp"
#include "cloud/aws/aws_json.hpp"
#include "core/error.hpp"

namespace stackshift::cloud::aws {

namespace {

// Between our failed create and our read, the holder may release: try again, a few times.
constexpr int acquire_attempts = 3;

bool ssm_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

}  // namespace

std::string ssm_lock_parameter(const std::string& name) {
    if (name.empty()) throw InputError("the deployment lock needs the deployment's name: give --stack-prefix");
    std::string out = "/stackshift/lock/";
    for (char c : name) out += ssm_name_character(c) ? c : '_';
    return out;
}

LockAttempt AwsCloud::acquire_lock(const std::string& name, const LockHolder& holder) {
    std::string parameter = ssm_lock_parameter(name);
    for (int attempt = 0; attempt < acquire_attempts; ++attempt) {
        try {
            m_cli->call("ssm", "put-parameter",
                        {"--name", parameter, "--type", "String", "--value", lock_holder_to_json(holder)});
            return LockAttempt::taken();
        } catch (const CloudError& e) {
            if (e.code() != "ParameterAlreadyExists") throw;
        }
        if (auto held = describe_lock(name)) {
            if (held->token == holder.token) return LockAttempt::taken();  // ours already: a retried create
            return LockAttempt::held(*held);
        }
    }
    throw CloudError("LockContention", "the lock " + parameter + " was taken and released " +
                                           std::to_string(acquire_attempts) +
                                           " times while stackshift tried to take it; another process is taking it "
                                           "repeatedly: run again once it is done");
}

std::optional<LockHolder> AwsCloud::describe_lock(const std::string& name) {
    Json answer;
    try {
        answer = m_cli->call("ssm", "get-parameter", {"--name", ssm_lock_parameter(name)});
    } catch (const CloudError& e) {
        if (e.code() == "ParameterNotFound") return std::nullopt;
        throw;
    }
    const Json parameter = answer.contains("Parameter") ? answer["Parameter"] : Json::object();
    LockHolder holder = lock_holder_from_json(json::text(parameter, "Value"));
    if (holder.name.empty()) holder.name = name;
    return holder;
}

// SSM has no conditional delete: the token is read, then the parameter deleted. Between the two
// only someone who broke our lock (stackshift unlock) and took it could slip in.
LockRelease AwsCloud::release_lock(const std::string& name, const std::string& token) {
    auto held = describe_lock(name);
    if (!held) return LockRelease::absent;
    if (held->token != token) return LockRelease::held_by_other;
    return break_lock(name) ? LockRelease::released : LockRelease::absent;
}

bool AwsCloud::break_lock(const std::string& name) {
    try {
        m_cli->call("ssm", "delete-parameter", {"--name", ssm_lock_parameter(name)});
        return true;
    } catch (const CloudError& e) {
        if (e.code() == "ParameterNotFound") return false;
        throw;
    }
}

}  // namespace stackshift::cloud::aws
