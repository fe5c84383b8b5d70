#include "plan/plan.hpp"

#include <algorithm>

namespace stackshift::plan {

std::string_view step_kind_name(StepKind kind) {
    switch (kind) {
        case StepKind::preflight: return "preflight";
        case StepKind::update_stack: return "update-stack";
        case StepKind::set_parameters: return "set-parameters";
        case StepKind::skip_stack: return "skip-stack";
        case StepKind::deploy_stack: return "deploy-stack";
        case StepKind::delete_stack: return "delete-stack";
        case StepKind::snapshot_volume: return "snapshot-volume";
        case StepKind::terminate_instance: return "terminate-instance";
        case StepKind::snapshot_database: return "snapshot-database";
        case StepKind::run_migration: return "run-migration";
        case StepKind::wait: return "wait";
        case StepKind::manual: return "manual";
        case StepKind::check_services: return "check-services";
        case StepKind::refresh_instances: return "refresh-instances";
    }
    return "manual";
}

std::string_view risk_name(Risk risk) {
    switch (risk) {
        case Risk::info: return "info";
        case Risk::caution: return "caution";
        case Risk::danger: return "danger";
    }
    return "info";
}

std::string_view task_field_name(TaskField field) { return profile::task_argument_name(field); }

std::optional<TaskField> task_field_from_name(std::string_view name) {
    auto field = profile::task_argument_from_word(name);
    if (!field || profile::task_argument_name(*field) != name) return std::nullopt;  // only the canonical word
    return field;
}

std::string_view confirmation_name(Confirmation confirmation) {
    switch (confirmation) {
        case Confirmation::none: return "none";
        case Confirmation::routine: return "routine";
        case Confirmation::explicit_: return "explicit";
    }
    return "none";
}

std::string_view parameter_action_name(ParameterAction action) {
    switch (action) {
        case ParameterAction::keep: return "keep";
        case ParameterAction::carry: return "carry";
        case ParameterAction::use_default: return "default";
        case ParameterAction::set: return "set";
        case ParameterAction::image: return "image";
        case ParameterAction::needs_input: return "needs-input";
    }
    return "keep";
}

bool ResourceImpact::endangered() const {
    return stateful && (impact == cfn::Impact::will_replace || impact == cfn::Impact::may_replace ||
                         impact == cfn::Impact::will_destroy);
}

bool Step::needs_input() const {
    return std::any_of(parameters.begin(), parameters.end(),
                       [](const ParameterPlan& p) { return p.action == ParameterAction::needs_input; });
}

bool Step::unacknowledged_danger() const {
    if (risk != Risk::danger) return false;
    return std::any_of(resources.begin(), resources.end(),
                       [](const ResourceImpact& r) { return r.endangered() && !r.acknowledged; });
}

std::string Step::resource_label() const {
    bool acts_on_resource =
        kind == StepKind::snapshot_volume || kind == StepKind::terminate_instance || kind == StepKind::snapshot_database ||
        kind == StepKind::refresh_instances;
    if (!acts_on_resource || logical_id.empty()) return {};
    return stack + "/" + logical_id + (role.empty() ? "" : " (role " + role + ")");
}

bool Plan::has_unacknowledged_danger() const {
    for (const auto& hop : hops)
        for (const auto& step : hop.steps)
            if (step.unacknowledged_danger()) return true;
    return false;
}

std::string_view export_conflict_kind_name(ExportConflictKind kind) {
    switch (kind) {
    case ExportConflictKind::removed: return "removed";
    case ExportConflictKind::changed: return "changed";
    case ExportConflictKind::missing: return "missing";
    }
    return "removed";
}

std::string ExportConflict::describe() const {
    std::string users;
    for (std::size_t i = 0; i < importers.size(); ++i) users += (i == 0 ? "" : i + 1 == importers.size() ? " and " : ", ") + importers[i];
    std::string maybe = possible ? " may" : "";
    switch (kind) {
    case ExportConflictKind::removed:
        return "step " + step + maybe + " removes the export " + export_name + " of " + stack + ", which " + users +
               (possible ? " may still import" : " still imports") + "; " + fix;
    case ExportConflictKind::changed:
        return "step " + step + maybe + " changes the value of the export " + export_name + " of " + stack + ", which " + users +
               (possible ? " may import" : " imports") + "; " + fix;
    case ExportConflictKind::missing:
        return "step " + step + " leaves " + stack + (possible ? " possibly importing" : " importing") + " the export " +
               export_name + ", which no stack provides then; " + fix;
    }
    return fix;
}

}  // namespace stackshift::plan
