// The simulated DescribeServices, StartInstanceRefresh and DescribeInstanceRefreshes calls, over
// services.hpp and instance_refresh.hpp.

#include "cloud/sim/instance_refresh.hpp"
#include "cloud/sim/services.hpp"
#include "cloud/sim/sim_cloud.hpp"

namespace stackshift::cloud::sim {

std::vector<Service> SimCloud::describe_services(const std::string& cluster, const std::vector<std::string>& services) {
    call("DescribeServices");
    if (services.empty() || services.size() > 10) {
        done();
        // ECS takes 1 to 10 services per call.
        throw CloudError("InvalidParameterException", "Services cannot be empty and can have at most 10 items.");
    }
    auto out = describe_sim_services(m_world, cluster, services);
    done();
    return out;
}

StartInstanceRefreshResult SimCloud::start_instance_refresh(const std::string& group, int min_healthy_percentage) {
    call("StartInstanceRefresh");
    if (min_healthy_percentage < 0 || min_healthy_percentage > 100) {
        done();
        throw CloudError("ValidationError", "MinHealthyPercentage must be between 0 and 100");
    }
    try {
        auto result = start_refresh(m_world, group, min_healthy_percentage);
        done();
        return result;
    } catch (const CloudError&) {
        done();
        throw;
    }
}

std::vector<InstanceRefresh> SimCloud::describe_instance_refreshes(const std::string& group, const std::vector<std::string>& ids) {
    call("DescribeInstanceRefreshes");
    auto out = describe_refreshes(m_world, group, ids);
    done();
    return out;
}

}  // namespace stackshift::cloud::sim
