#pragma once
// What the executor lends the service health check (service_health, which changes nothing and so
// is no Operation of the driver): its waits, which ask whether the operator wants to stop; its
// retries of a throttled call; its back-off; its progress lines. An operation that fails throws
// OperationFailed with the sentence the run ends on.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace stackshift::apply {

struct OperationHooks {
    std::function<void(std::int64_t seconds)> pause;
    // Runs the call, retrying it after throttling as every call of the executor is.
    std::function<void(const std::function<void()>& call)> retry;
    // The executor's poll intervals: short first, backing off to `cap` seconds.
    std::function<std::int64_t(int poll, std::int64_t first, std::int64_t cap)> interval;
    std::function<void(const std::string&)> status;  // the line that changes in place
    std::function<void(const std::string&)> note;    // a line that stays
};

class OperationFailed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace stackshift::apply
