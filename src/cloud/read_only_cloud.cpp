#include "cloud/read_only_cloud.hpp"

#include "core/error.hpp"

namespace stackshift::cloud {

namespace {

[[noreturn]] void refuse(const std::string& operation, const std::string& target) {
    throw Error(ExitCode::failure, "refused " + operation + " of " + target +
                                       ": the deployment is only read here, never changed (a read-only connection)");
}

}  // namespace

std::string ReadOnlyCloud::create_change_set(const ChangeSetRequest& request) { refuse("CreateChangeSet", request.stack); }
void ReadOnlyCloud::execute_change_set(const std::string& stack, const std::string&) { refuse("ExecuteChangeSet", stack); }
void ReadOnlyCloud::delete_change_set(const std::string& stack, const std::string&) { refuse("DeleteChangeSet", stack); }
void ReadOnlyCloud::update_stack(const UpdateStackRequest& request) { refuse("UpdateStack", request.stack); }
void ReadOnlyCloud::delete_stack(const std::string& stack) { refuse("DeleteStack", stack); }
std::string ReadOnlyCloud::run_task(const RunTaskRequest& request) { refuse("RunTask", request.cluster); }
void ReadOnlyCloud::terminate_instances(const std::vector<std::string>& ids) {
    refuse("TerminateInstances", ids.empty() ? std::string("no instance") : ids.front());
}
Snapshot ReadOnlyCloud::create_snapshot(const std::string& volume_id, const std::string&) { refuse("CreateSnapshot", volume_id); }
DbClusterSnapshot ReadOnlyCloud::create_db_cluster_snapshot(const std::string& cluster_id, const std::string&) {
    refuse("CreateDBClusterSnapshot", cluster_id);
}

StartInstanceRefreshResult ReadOnlyCloud::start_instance_refresh(const std::string& group, int) {
    refuse("StartInstanceRefresh", group);
}
std::string ReadOnlyCloud::upload_template(const std::string& bucket, const std::string& key, const std::string&) {
    refuse("PutObject", "s3://" + bucket + "/" + key);
}

// ---- Deployment lock: taking, releasing or breaking one writes to AWS (an SSM parameter).
LockAttempt ReadOnlyCloud::acquire_lock(const std::string& name, const LockHolder&) { refuse("taking the lock", "deployment " + name); }
LockRelease ReadOnlyCloud::release_lock(const std::string& name, const std::string&) { refuse("releasing the lock", "deployment " + name); }
bool ReadOnlyCloud::break_lock(const std::string& name) { refuse("removing the lock", "deployment " + name); }

}  // namespace stackshift::cloud
