#include <algorithm>

#include "render/diff_render.hpp"

namespace stackshift::render {

using cfn::Impact;

DiffSummary summarize(const cfn::TemplateDiff& diff) {
    DiffSummary s;
    for (const auto& r : diff.resources) {
        switch (r.impact) {
        case Impact::will_replace: ++s.replace; break;
        case Impact::may_replace: ++s.may_replace; break;
        case Impact::will_update: ++s.update; break;
        case Impact::will_create: ++s.create; break;
        case Impact::will_destroy: ++s.destroy; break;
        case Impact::will_orphan: ++s.orphan; break;
        case Impact::no_change: break;
        }
        if (r.stateful && cfn::loses_resource(r.impact)) ++s.stateful_at_risk;
    }
    s.parameters = static_cast<int>(diff.parameters.size());
    s.outputs = static_cast<int>(diff.outputs.size());
    for (const auto& o : diff.outputs) s.broken_exports += o.breaks_imports ? 1 : 0;
    if (diff.transform) s.kept_as_written = static_cast<int>(diff.transform->kept_as_written.size());
    return s;
}

std::string summary_line(const DiffSummary& s) {
    std::vector<std::string> parts;
    auto add = [&](int n, const std::string& what) {
        if (n > 0) parts.push_back(std::to_string(n) + " " + what);
    };
    add(s.replace, "to replace");
    add(s.may_replace, "may be replaced");
    add(s.destroy, "to destroy");
    add(s.orphan, "to orphan");
    add(s.update, "to update");
    add(s.create, "to create");
    add(s.parameters, s.parameters == 1 ? "parameter changed" : "parameters changed");
    add(s.outputs, s.outputs == 1 ? "output changed" : "outputs changed");
    add(s.kept_as_written, s.kept_as_written == 1 ? "part kept as written changed" : "parts kept as written changed");
    if (parts.empty()) return "no changes";
    std::string line;
    for (const auto& p : parts) line += (line.empty() ? "" : ", ") + p;
    if (s.stateful_at_risk > 0) line += "; " + std::to_string(s.stateful_at_risk) + " stateful resource" + (s.stateful_at_risk == 1 ? "" : "s") + " at risk of data loss";
    if (s.broken_exports > 0) line += "; " + std::to_string(s.broken_exports) + " export" + (s.broken_exports == 1 ? "" : "s") + " removed or renamed";
    return line;
}

namespace {

int review_rank(const cfn::ResourceDiff& r) {
    bool loses = cfn::loses_resource(r.impact);
    if (r.stateful && loses) return 0;
    if (r.impact == Impact::will_replace || r.impact == Impact::will_destroy) return 1;
    if (r.impact == Impact::may_replace) return 2;
    if (r.impact == Impact::will_orphan) return 3;
    if (r.impact == Impact::will_update) return 4;
    if (r.impact == Impact::will_create) return 5;
    return 6;
}

}  // namespace

std::vector<const cfn::ResourceDiff*> review_order(const cfn::TemplateDiff& diff) {
    std::vector<const cfn::ResourceDiff*> out;
    for (const auto& r : diff.resources) out.push_back(&r);
    std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return review_rank(*a) < review_rank(*b); });
    return out;
}

std::string scope_list(const cfn::ChangeScopes& scopes) {
    std::string out;
    for (const auto& name : scopes.names()) out += (out.empty() ? "" : ", ") + name;
    return out;
}

std::string show_value(const std::optional<cfn::Value>& value) {
    if (!value) return "(absent)";
    std::string text = value->to_display();
    constexpr std::size_t limit = 100;
    if (text.size() > limit) text = text.substr(0, limit) + "...";
    return text;
}

}  // namespace stackshift::render
