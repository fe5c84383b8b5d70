#include "profile/profile.hpp"

#include <algorithm>
#include <regex>

#include "core/file_io.hpp"
#include "core/template_id.hpp"
#include "core/text.hpp"
#include "doc/document.hpp"
#include "profile/image_tag.hpp"

namespace stackshift::profile {

// Defined in the generated builtin_profiles.cpp: {file name, text} by index, {} past the end.
std::pair<std::string_view, std::string_view> builtin_profile_file(std::size_t index);

namespace {

using doc::Value;

constexpr std::string_view profile_format = "stackshift-profile/1";

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Reads the profile document, collecting every problem with its place.
class ProfileReader {
public:
    ProfileReader(const std::string& file) : m_file(file) {}

    Result<Profile> read(const Value& root) {
        Profile p;
        p.file = m_file;
        if (!root.is_map()) {
            error(root.position(), "a profile is a mapping; start with 'format: stackshift-profile/1'");
            return Failure{std::move(m_problems)};
        }
        check_keys(root, {"format", "name", "description", "stacks", "images", "roles", "stateful", "migrations", "waypoints", "rules", "features"}, "profile");
        std::string format = text(root, "format", "profile");
        if (format != profile_format)
            error(root.position(), "unknown profile format '" + format + "'; expected 'format: stackshift-profile/1'");
        p.name = text(root, "name", "profile");
        if (p.name.empty()) error(root.position(), "the profile has no name");
        p.description = text(root, "description", "profile");
        read_stacks(root.find("stacks"), p);
        read_images(root.find("images"), p);
        read_roles(root.find("roles"), p);
        read_stateful(root.find("stateful"), p);
        read_migrations(root.find("migrations"), p);
        read_waypoints(root.find("waypoints"), p);
        p.rules = strings(root.find("rules"), "rules");
        read_features(root.find("features"), p);
        if (!m_problems.empty()) return Failure{std::move(m_problems)};
        return p;
    }

private:
    void error(Position at, std::string message) { m_problems.push_back(Diagnostic{m_file, at, std::move(message)}); }

    void check_keys(const Value& map, std::vector<std::string> known, const std::string& owner) {
        for (const auto& m : map.members()) {
            if (std::find(known.begin(), known.end(), m.key) == known.end())
                error(m.key_position, owner + ": unknown key '" + m.key + "'" + did_you_mean(m.key, known));
        }
    }

    std::string text(const Value& map, std::string_view key, const std::string& owner) {
        const Value* v = map.find(key);
        if (v == nullptr || v->is_null()) return {};
        if (!v->is_scalar()) {
            error(v->position(), owner + ": " + std::string(key) + " must be a string");
            return {};
        }
        return v->text();
    }

    std::vector<std::string> strings(const Value* v, const std::string& owner) {
        std::vector<std::string> out;
        if (v == nullptr || v->is_null()) return out;
        if (!v->is_list()) {
            error(v->position(), owner + " must be a list of strings");
            return out;
        }
        for (const auto& item : v->items()) {
            if (item.is_scalar() && !item.is_null()) out.push_back(item.text());
            else error(item.position(), owner + " must be a list of strings");
        }
        return out;
    }

    const Value* map_or_null(const Value* v, const std::string& owner) {
        if (v == nullptr || v->is_null()) return nullptr;
        if (!v->is_map()) {
            error(v->position(), owner + " must be a mapping");
            return nullptr;
        }
        return v;
    }

    void read_stacks(const Value* v, Profile& p) {
        const Value* stacks = map_or_null(v, "stacks");
        if (!stacks) return;
        check_keys(*stacks, {"overrides"}, "stacks");
        if (const Value* overrides = map_or_null(stacks->find("overrides"), "stacks.overrides")) {
            for (const auto& m : overrides->members()) {
                if (!TemplateId::parse(m.value.text()))
                    error(m.value.position(), "stacks.overrides." + m.key + ": '" + m.value.text() + "' is not a template id such as 2-5-db-timescale");
                p.stack_overrides[m.key] = m.value.text();
            }
        }
    }

    void read_images(const Value* v, Profile& p) {
        const Value* images = map_or_null(v, "images");
        if (!images) return;
        check_keys(*images, {"parameter_patterns", "repositories", "templates"}, "images");
        p.image_parameter_patterns = strings(images->find("parameter_patterns"), "images.parameter_patterns");
        for (const auto& pattern : p.image_parameter_patterns) {
            try {
                std::regex check(pattern, std::regex::ECMAScript);
            } catch (const std::regex_error&) {
                error(images->find("parameter_patterns")->position(), "images.parameter_patterns: '" + pattern + "' is not a valid regular expression");
            }
        }
        p.image_repositories = strings(images->find("repositories"), "images.repositories");
        p.image_templates = strings(images->find("templates"), "images.templates");
    }

    static std::vector<std::string> role_names(const Profile& p) {
        std::vector<std::string> names;
        for (const auto& r : p.roles) names.push_back(r.name);
        return names;
    }

    // A role's relation: at most one of mounted_by and mounts, naming another role.
    void read_relation(const Value& item, Role& role) {
        const Value* mounted_by = item.find("mounted_by");
        const Value* mounts = item.find("mounts");
        if (mounted_by && mounts) {
            error(mounts->position(), "roles." + role.name + ": give mounted_by or mounts, not both");
            return;
        }
        role.relation = mounted_by ? RoleRelation::mounted_by : mounts ? RoleRelation::mounts : RoleRelation::none;
        role.related = mounted_by ? text(item, "mounted_by", "roles." + role.name)
                                  : mounts ? text(item, "mounts", "roles." + role.name) : "";
        std::string_view needed = role.relation == RoleRelation::mounted_by ? "AWS::EC2::Volume" : "AWS::EC2::Instance";
        if (role.relation != RoleRelation::none && role.type != needed)
            error((mounted_by ? mounted_by : mounts)->position(),
                  "roles." + role.name + ": " + std::string(role_relation_name(role.relation)) + " needs type " +
                      std::string(needed) + ", not '" + role.type + "'");
    }

    // An auto-scaling group's MinHealthyPercentage for its instance refresh: a whole number
    // from 0 to 100, as Auto Scaling takes it.
    void read_min_healthy_percentage(const Value& item, Role& role) {
        const Value* v = item.find("min_healthy_percentage");
        if (v == nullptr) return;
        std::string owner = "roles." + role.name + ": min_healthy_percentage";
        if (!role.type.empty() && role.type != "AWS::AutoScaling::AutoScalingGroup") {
            error(v->position(), owner + " applies to an AWS::AutoScaling::AutoScalingGroup, not '" + role.type + "'");
            return;
        }
        const std::string text = v->is_scalar() && !v->is_null() ? v->text() : std::string();
        int n = -1;
        bool digits = !text.empty() && text.size() <= 3 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) n = std::stoi(text);
        if (n < 0 || n > 100) {
            error(v->position(), owner + " must be a whole number from 0 to 100 (the percentage of the group's "
                                         "capacity an instance refresh keeps in service), not '" + (text.empty() ? v->to_display() : text) + "'");
            return;
        }
        role.min_healthy_percentage = n;
    }

    void read_roles(const Value* v, Profile& p) {
        if (v == nullptr || v->is_null()) return;
        if (!v->is_list()) {
            error(v->position(), "roles must be a list of {name, template, type, why}");
            return;
        }
        std::vector<Position> places;
        for (const auto& item : v->items()) {
            if (!item.is_map()) {
                error(item.position(), "roles: each entry is a mapping {name, template, type, why}");
                continue;
            }
            check_keys(item, {"name", "template", "type", "mounted_by", "mounts", "backup", "why", "min_healthy_percentage"},
                       "roles entry");
            Role role{text(item, "name", "roles"), text(item, "template", "roles"), text(item, "type", "roles"),
                      RoleRelation::none, "", RoleBackup::none, text(item, "why", "roles")};
            if (role.name.empty() || role.template_id.empty() || role.type.empty() || role.why.empty())
                error(item.position(), "roles: each entry needs name, template, type and why");
            if (!role.template_id.empty() && !TemplateId::parse(role.template_id))
                error(item.find("template")->position(), "roles." + role.name + ": '" + role.template_id +
                                                             "' is not a template id such as 2-5-db-timescale");
            if (!role.type.empty() && !role.type.starts_with("AWS::"))
                error(item.find("type")->position(), "roles." + role.name + ": '" + role.type +
                                                         "' is not a resource type such as AWS::EC2::Volume");
            bool twice = !role.name.empty() && p.role(role.name);
            if (twice) error(item.find("name")->position(), "roles: '" + role.name + "' is declared twice");
            read_relation(item, role);
            if (std::string backup = text(item, "backup", "roles." + role.name); backup == "before-migrations") {
                role.backup = RoleBackup::before_migrations;
                // The backup is a cluster snapshot: what the snapshot-database step takes.
                if (!role.type.empty() && role.type != "AWS::RDS::DBCluster")
                    error(item.find("backup")->position(), "roles." + role.name + ": backup before-migrations takes an "
                                                               "Aurora cluster snapshot; '" + role.type +
                                                               "' is not an AWS::RDS::DBCluster");
            } else if (!backup.empty())
                error(item.find("backup")->position(), "roles." + role.name + ": unknown backup '" + backup +
                                                           "'; the one known is before-migrations");
            read_min_healthy_percentage(item, role);
            if (role.name.empty() || twice) continue;
            places.push_back(item.position());
            p.roles.push_back(std::move(role));
        }
        // Relations name declared roles (in any order).
        for (std::size_t i = 0; i < p.roles.size(); ++i) {
            const Role& role = p.roles[i];
            if (role.relation == RoleRelation::none) continue;
            const Role* other = p.role(role.related);
            std::vector<std::string> names = role_names(p);
            if (!other)
                error(places[i], "roles." + role.name + ": " + std::string(role_relation_name(role.relation)) +
                                     " names unknown role '" + role.related + "'" + did_you_mean(role.related, names) +
                                     "; declared roles are " + join(names, ", "));
            else if (other->template_id != role.template_id)
                error(places[i], "roles." + role.name + ": '" + role.related + "' is in template " + other->template_id +
                                     ", not " + role.template_id + "; a volume and the instance that mounts it are in "
                                     "one template");
        }
    }

    void read_stateful(const Value* v, Profile& p) {
        if (v == nullptr || v->is_null()) return;
        if (!v->is_list()) {
            error(v->position(), "stateful must be a list of {template, type, why} or {role, why}");
            return;
        }
        for (const auto& item : v->items()) {
            if (!item.is_map()) {
                error(item.position(), "stateful: each entry is a mapping {template, type, why} or {role, why}");
                continue;
            }
            check_keys(item, {"template", "role", "type", "why"}, "stateful entry");
            StatefulResource r{text(item, "template", "stateful"), text(item, "role", "stateful"),
                               text(item, "type", "stateful"), text(item, "why", "stateful")};
            if (!r.role.empty()) {
                const Role* role = p.role(r.role);
                if (!role) {
                    std::vector<std::string> names = role_names(p);
                    error(item.find("role")->position(),
                          "stateful: unknown role '" + r.role + "'" + did_you_mean(r.role, names) +
                              (names.empty() ? "; declare it under roles:" : "; declared roles are " + join(names, ", ")));
                } else if ((!r.template_id.empty() && r.template_id != role->template_id) ||
                           (!r.type.empty() && r.type != role->type)) {
                    error(item.position(), "stateful: role '" + r.role + "' is " + role->type + " of " +
                                               role->template_id + "; drop template and type, the role says them");
                } else {
                    r.template_id = role->template_id;
                    r.type = role->type;
                }
                if (r.why.empty()) error(item.position(), "stateful: each entry needs why");
            } else if (r.template_id.empty() || r.type.empty() || r.why.empty()) {
                error(item.position(), "stateful: each entry needs template, type and why (or role and why)");
            }
            p.stateful.push_back(std::move(r));
        }
    }

    void read_migrations(const Value* v, Profile& p) {
        const Value* m = map_or_null(v, "migrations");
        if (!m) return;
        check_keys(*m, {"after_stack", "task_arguments_output", "task_arguments", "launch_type", "container", "command", "init_command"}, "migrations");
        MigrationRun run;
        run.after_stack = text(*m, "after_stack", "migrations");
        run.task_arguments_output = text(*m, "task_arguments_output", "migrations");
        run.task_arguments = strings(m->find("task_arguments"), "migrations.task_arguments");
        run.task_fields = task_fields(m->find("task_arguments"), run.task_arguments);
        run.launch_type = text(*m, "launch_type", "migrations");
        run.container = text(*m, "container", "migrations");
        run.command = strings(m->find("command"), "migrations.command");
        run.init_command = strings(m->find("init_command"), "migrations.init_command");
        if (run.after_stack.empty() || run.container.empty() || run.command.empty())
            error(m->position(), "migrations needs after_stack, container and command");
        bool has_database = std::any_of(run.command.begin(), run.command.end(), [](const std::string& s) { return s.find("{database}") != std::string::npos; });
        if (!run.command.empty() && !has_database)
            error(m->find("command")->position(), "migrations.command must name the database as {database}");
        p.migrations = std::move(run);
    }

    // What each word of migrations.task_arguments fills in a RunTask request; an unknown word is
    // an error at its place, and the request needs a task definition, a cluster and a subnet.
    std::vector<TaskArgument> task_fields(const Value* list, const std::vector<std::string>& words) {
        std::vector<TaskArgument> out;
        if (list == nullptr || !list->is_list()) return out;
        std::vector<std::string> known;
        for (auto w : task_argument_words()) known.emplace_back(w);
        std::size_t i = 0;
        for (const auto& item : list->items()) {
            if (!item.is_scalar() || item.is_null() || i >= words.size()) continue;
            const std::string& word = words[i++];
            if (auto field = task_argument_from_word(word)) out.push_back(*field);
            else
                error(item.position(), "migrations.task_arguments: unknown field '" + word + "'" + did_you_mean(word, known) +
                                           "; the fields are " + join(known, ", "));
        }
        for (TaskArgument needed : {TaskArgument::task_definition, TaskArgument::cluster, TaskArgument::subnet}) {
            if (!words.empty() && out.size() == words.size() && std::find(out.begin(), out.end(), needed) == out.end())
                error(list->position(), "migrations.task_arguments must name a " + std::string(task_argument_name(needed)) +
                                            " field: ECS cannot start a task without one");
        }
        return out;
    }

    void read_waypoints(const Value* v, Profile& p) {
        if (v == nullptr || v->is_null()) return;
        if (!v->is_list()) {
            error(v->position(), "waypoints must be a list of {version, database, why}");
            return;
        }
        for (const auto& item : v->items()) {
            if (!item.is_map()) {
                error(item.position(), "waypoints: each entry is a mapping {version, database, why}");
                continue;
            }
            check_keys(item, {"version", "database", "why", "source"}, "waypoint");
            std::string version = text(item, "version", "waypoint");
            auto spec = VersionSpec::parse(version);
            if (!spec) {
                error(item.position(), "waypoint: '" + version + "' is not a version such as 3.19.2 or 3.24");
                continue;
            }
            p.waypoints.push_back(Waypoint{*spec, text(item, "database", "waypoint"), text(item, "why", "waypoint"), text(item, "source", "waypoint")});
        }
    }

    // The mappings of a list section, each problem reported at its place: `shape` shows what
    // one entry looks like.
    std::vector<const Value*> map_entries(const Value* v, const std::string& owner, const std::string& shape) {
        std::vector<const Value*> out;
        if (v == nullptr || v->is_null()) return out;
        if (!v->is_list()) {
            error(v->position(), owner + " must be a list of " + shape);
            return out;
        }
        for (const auto& item : v->items()) {
            if (item.is_map()) out.push_back(&item);
            else error(item.position(), owner + ": each entry is a mapping " + shape);
        }
        return out;
    }

    void read_features(const Value* v, Profile& p) {
        for (const Value* item : map_entries(v, "features", "{name, phrases, parameters}")) {
            check_keys(*item, {"name", "phrases", "parameters"}, "feature");
            Feature f{text(*item, "name", "feature"), strings(item->find("phrases"), "feature phrases"), {}};
            for (auto& phrase : f.phrases) phrase = ascii_lower(phrase);
            if (f.name.empty() || f.phrases.empty())
                error(item->position(), "feature: each entry needs a name and phrases, e.g. name: storage integration");
            read_feature_parameters(item->find("parameters"), *item, f);
            p.features.push_back(std::move(f));
        }
    }

    void read_feature_parameters(const Value* v, const Value& feature, Feature& f) {
        if (v == nullptr || !v->is_list() || v->items().empty()) {
            error(v ? v->position() : feature.position(),
                  "feature '" + f.name + "': parameters must list {template, parameter, on}, e.g. {template: "
                  "5-2-ecs-ops, parameter: ApplicationServerStorageEnabled, on: \"true\"}");
            return;
        }
        for (const Value* item : map_entries(v, "feature '" + f.name + "' parameters", "{template, parameter, on}")) {
            check_keys(*item, {"template", "parameter", "on"}, "feature parameter");
            FeatureParameter fp{text(*item, "template", "feature parameter"),
                                text(*item, "parameter", "feature parameter"), text(*item, "on", "feature parameter")};
            if (!TemplateId::parse(fp.template_id))
                error(item->position(), "feature '" + f.name + "': template '" + fp.template_id +
                                            "' is not a template id such as 5-2-ecs-ops");
            if (fp.parameter.empty() || fp.on.empty())
                error(item->position(), "feature '" + f.name + "': each parameter needs template, parameter and on");
            f.parameters.push_back(std::move(fp));
        }
    }

    const std::string& m_file;
    Diagnostics m_problems;
};

bool glob_match(std::string_view pattern, std::string_view text) {
    if (pattern.ends_with('*')) return text.starts_with(pattern.substr(0, pattern.size() - 1));
    return pattern == text;
}

Result<Profile> parse_profile(std::string_view text, const std::string& file) {
    auto document = doc::parse_document(text, file, file.ends_with(".json") ? doc::Format::json : doc::detect_format(text));
    if (!document) return std::move(document).failure();
    return ProfileReader(file).read(*document);
}

}  // namespace

std::vector<std::string> MigrationRun::command_for(std::string_view database) const {
    std::vector<std::string> out;
    for (const auto& part : command) {
        std::string filled = part;
        if (auto at = filled.find("{database}"); at != std::string::npos) filled.replace(at, 10, database);
        out.push_back(std::move(filled));
    }
    return out;
}

std::optional<std::string> Profile::template_for_stack(std::string_view stack_name, std::span<const std::string> known) const {
    if (auto it = stack_overrides.find(stack_name); it != stack_overrides.end()) return it->second;
    std::optional<std::string> fallback;
    // Every suffix that starts after a dash (or at the start), longest first.
    for (std::size_t start = 0; start < stack_name.size(); start = stack_name.find('-', start) + 1) {
        std::string_view suffix = stack_name.substr(start);
        if (TemplateId::parse(suffix)) {
            std::string id(suffix);
            if (known.empty() || std::find(known.begin(), known.end(), id) != known.end()) return id;
            if (!fallback) fallback = id;
        }
        if (stack_name.find('-', start) == std::string_view::npos) break;
    }
    return known.empty() ? fallback : std::nullopt;
}

bool Profile::is_image_parameter(std::string_view template_id, std::string_view parameter, std::string_view value) const {
    if (!image_templates.empty() &&
        std::none_of(image_templates.begin(), image_templates.end(), [&](const std::string& g) { return glob_match(g, template_id); }))
        return false;
    for (const auto& pattern : image_parameter_patterns) {
        try {
            if (std::regex_match(parameter.begin(), parameter.end(), std::regex(pattern, std::regex::ECMAScript))) return true;
        } catch (const std::regex_error&) {
        }
    }
    auto ref = ImageReference::parse(value);
    if (!ref) return false;
    return std::find(image_repositories.begin(), image_repositories.end(), ref->repository) != image_repositories.end();
}

std::string_view role_relation_name(RoleRelation relation) {
    switch (relation) {
    case RoleRelation::none: return "none";
    case RoleRelation::mounted_by: return "mounted_by";
    case RoleRelation::mounts: return "mounts";
    }
    return "none";
}

const Role* Profile::role(std::string_view role_name) const {
    for (const auto& r : roles)
        if (r.name == role_name) return &r;
    return nullptr;
}

const Feature* Profile::feature_in(std::string_view sentence) const {
    std::string text = ascii_lower(sentence);
    for (const auto& f : features)
        for (const auto& phrase : f.phrases)
            if (text.find(phrase) != std::string::npos) return &f;
    return nullptr;
}

bool Profile::has_rule(std::string_view rule) const { return std::find(rules.begin(), rules.end(), rule) != rules.end(); }

Result<Profile> load_profile(const std::string& path) {
    auto text = read_file(path);
    if (!text) return std::move(text).failure();
    return parse_profile(*text, path);
}

std::vector<std::string> builtin_profile_names() {
    std::vector<std::string> names;
    for (std::size_t i = 0;; ++i) {
        auto [file, text] = builtin_profile_file(i);
        if (file.empty()) break;
        names.emplace_back(file.substr(0, file.rfind('.')));
    }
    return names;
}

Result<Profile> builtin_profile(std::string_view name) {
    for (std::size_t i = 0;; ++i) {
        auto [file, text] = builtin_profile_file(i);
        if (file.empty()) break;
        if (file.substr(0, file.rfind('.')) == name) return parse_profile(text, "profiles/" + std::string(file));
    }
    auto names = builtin_profile_names();
    return fail("", {}, "unknown profile '" + std::string(name) + "'" + did_you_mean(name, names) +
                            "; bundled profiles are " + join(names, ", ") + ", or give the path of a profile file");
}

Result<Profile> find_profile(std::string_view name_or_path) {
    bool looks_like_path = name_or_path.find('/') != std::string_view::npos || name_or_path.ends_with(".yaml") ||
                           name_or_path.ends_with(".yml") || name_or_path.ends_with(".json");
    return looks_like_path ? load_profile(std::string(name_or_path)) : builtin_profile(name_or_path);
}

}  // namespace stackshift::profile
