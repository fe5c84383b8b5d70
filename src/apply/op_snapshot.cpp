// Backups before an update: an EBS snapshot of a volume (found again by its description) and
// an Aurora cluster snapshot (found again by its identifier).

#include "apply/step_context.hpp"

namespace stackshift::apply {

namespace {

class VolumeSnapshot final : public Operation {
public:
    VolumeSnapshot(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step) {}

    ActionKind kind() const override { return ActionKind::create_snapshot; }
    // The volume, as journaled when the snapshot was first asked for.
    std::string name(const OperationKey& key, const ActionRecord* previous) override {
        m_description = "stackshift " + key.step_id + " " + key.fingerprint.substr(0, 8);
        return previous != nullptr ? previous->name : m_ctx.physical_id(m_step);
    }
    std::string describe(const std::string& id) const override { return "snapshot " + id; }
    PollPace pace() const override { return {10, 60, true}; }

    std::optional<std::string> find(const OperationKey&, const std::string& volume) override {
        auto found = m_ctx.retry([&] { return m_ctx.cloud.find_snapshots(volume, m_description); });
        if (found.empty()) return std::nullopt;
        return found.front().id;
    }

    Started start(const OperationKey&, const std::string& volume) override {
        std::string id = m_ctx.retry([&] { return m_ctx.cloud.create_snapshot(volume, m_description); }).id;
        m_ctx.progress.note("snapshot " + id + " of volume " + volume);
        return {id, false};
    }

    Polled poll(const std::string& id) override {
        auto snapshots = m_ctx.retry([&] { return m_ctx.cloud.describe_snapshots({id}); });
        if (snapshots.empty()) return Polled::failed("snapshot " + id + " is not known to EC2");
        m_ctx.progress.status("snapshot " + snapshots.front().state);
        if (snapshots.front().state == "completed") return Polled::done();
        if (snapshots.front().state == "error") return Polled::failed("snapshot " + id + " failed");
        return Polled::running();
    }

private:
    StepContext& m_ctx;
    const plan::Step& m_step;
    std::string m_description;
};

class ClusterSnapshot final : public Operation {
public:
    ClusterSnapshot(StepContext& ctx, const plan::Step& step) : m_ctx(ctx), m_step(step) {}

    ActionKind kind() const override { return ActionKind::create_db_cluster_snapshot; }
    // The cluster, as journaled when the snapshot was first asked for; the snapshot's
    // identifier derives from the key.
    std::string name(const OperationKey& key, const ActionRecord* previous) override {
        m_id = db_snapshot_id(key.step_id, key.fingerprint, key.attempt);
        return previous != nullptr ? previous->name : m_ctx.physical_id(m_step);
    }
    std::string describe(const std::string& id) const override { return "cluster snapshot " + id; }
    PollPace pace() const override { return {10, 60, true}; }

    std::optional<std::string> find(const OperationKey&, const std::string&) override {
        auto found = m_ctx.retry([&] { return m_ctx.cloud.describe_db_cluster_snapshots(m_id); });
        if (found.empty()) return std::nullopt;
        return m_id;
    }

    Started start(const OperationKey&, const std::string& cluster) override {
        m_ctx.retry([&] { return m_ctx.cloud.create_db_cluster_snapshot(cluster, m_id); });
        m_ctx.progress.note("cluster snapshot " + m_id + " of " + cluster);
        return {m_id, false};
    }

    Polled poll(const std::string& id) override {
        auto snapshots = m_ctx.retry([&] { return m_ctx.cloud.describe_db_cluster_snapshots(id); });
        if (snapshots.empty()) return Polled::failed("cluster snapshot " + id + " is not known to RDS");
        const auto& s = snapshots.front();
        m_ctx.progress.status("cluster snapshot " + s.status + " " + std::to_string(s.percent_progress) + "%");
        if (s.status == "available") return Polled::done();
        if (s.status == "creating") return Polled::running();
        return Polled::failed("cluster snapshot " + id + " ended " + s.status + "; the update did not start");
    }

private:
    StepContext& m_ctx;
    const plan::Step& m_step;
    std::string m_id;
};

}  // namespace

StepOutcome run_volume_snapshot(StepContext& ctx, const plan::Step& step) {
    VolumeSnapshot snapshot(ctx, step);
    ctx.driver.run(step.id, snapshot);
    return StepOutcome::done;
}

StepOutcome run_database_snapshot(StepContext& ctx, const plan::Step& step) {
    ClusterSnapshot snapshot(ctx, step);
    ctx.driver.run(step.id, snapshot);
    return StepOutcome::done;
}

}  // namespace stackshift::apply
