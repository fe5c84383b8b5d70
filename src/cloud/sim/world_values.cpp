#include "cloud/sim/world_values.hpp"

#include <algorithm>
#include <cctype>

#include "cloud/sim/account.hpp"

namespace stackshift::cloud::sim {

namespace {

bool is_arn(std::string_view s) { return s.starts_with("arn:"); }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "AWS::ElastiCache::ReplicationGroup" -> {"elasticache", "replicationgroup"}
std::pair<std::string, std::string> type_parts(std::string_view type) {
    std::string_view rest = type.starts_with("AWS::") ? type.substr(5) : type;
    auto sep = rest.find("::");
    if (sep == std::string_view::npos) return {lower(rest), lower(rest)};
    return {lower(rest.substr(0, sep)), lower(rest.substr(sep + 2))};
}

// A number in [0, modulo) derived from a seed, for addresses and account-like digits.
unsigned derived(std::string_view seed, unsigned modulo) {
    std::string hex = make_id("", seed, 6);
    return static_cast<unsigned>(std::stoul(hex, nullptr, 16) % modulo);
}

std::string ip(std::string_view first, std::string_view seed) {
    return std::string(first) + "." + std::to_string(derived(std::string(seed) + "#b", 256)) + "." +
           std::to_string(derived(std::string(seed) + "#c", 256)) + "." + std::to_string(1 + derived(std::string(seed) + "#d", 254));
}

std::string dashed(std::string s) {
    std::replace(s.begin(), s.end(), '.', '-');
    return s;
}

// The types whose Ref is already their ARN.
bool ref_is_arn(std::string_view service, std::string_view kind) {
    return (service == "secretsmanager" && kind == "secret") || (service == "sns" && kind == "topic") ||
           (service == "ecs" && (kind == "taskdefinition" || kind == "service"));
}

std::string arn(const World& world, const SimResource& r) {
    const std::string& id = r.physical_id;
    if (is_arn(id)) return id;
    auto [service, kind] = type_parts(r.type);
    if (ref_is_arn(service, kind)) return ref_value(world, r);
    if (service == "iam") return "arn:aws:iam::" + world.account + ":" + (kind == "instanceprofile" ? "instance-profile" : kind) + "/" + id;
    if (service == "s3") return "arn:aws:s3:::" + id;
    if (service == "lambda") return "arn:aws:lambda:" + world.region + ":" + world.account + ":function:" + id;
    if (service == "logs") return "arn:aws:logs:" + world.region + ":" + world.account + ":log-group:" + id + ":*";
    if (service == "ssm") return "arn:aws:ssm:" + world.region + ":" + world.account + ":parameter" + (id.starts_with("/") ? "" : "/") + id;
    if (service == "rds" && kind == "dbcluster") return "arn:aws:rds:" + world.region + ":" + world.account + ":cluster:" + lower(id);
    if (service == "rds" && kind == "dbinstance") return "arn:aws:rds:" + world.region + ":" + world.account + ":db:" + lower(id);
    return "arn:aws:" + service + ":" + world.region + ":" + world.account + ":" + kind + "/" + id;
}

std::string endpoint(const World& world, const SimResource& r, std::string_view attribute) {
    std::string id = lower(r.physical_id);
    std::string hash = make_id("", world.account + "/" + world.region, 12);
    auto [service, kind] = type_parts(r.type);
    if (service == "rds") {
        if (attribute.ends_with(".Port")) return "5432";
        if (kind == "dbcluster") {
            std::string which = attribute.starts_with("ReadEndpoint") ? ".cluster-ro-" : ".cluster-";
            return id + which + hash + "." + world.region + ".rds.amazonaws.com";
        }
        return id + "." + hash + "." + world.region + ".rds.amazonaws.com";
    }
    // ElastiCache: PrimaryEndPoint, ReaderEndPoint, ConfigurationEndPoint, RedisEndpoint.
    if (attribute.ends_with(".Port")) return "6379";
    std::string which = attribute.starts_with("ReaderEndPoint") ? "replica." : attribute.starts_with("PrimaryEndPoint") ? "master." : "";
    return which + id + "." + make_id("", id, 6) + "." + world.region + ".cache.amazonaws.com";
}

}  // namespace

StackView view_of(const SimStack& stack) { return {stack.name, stack.id, stack.parameters, stack.resources}; }

cfn::ParameterValues world_parameter_values(const World& world, const StackView& stack, const cfn::Template& source) {
    cfn::ParameterValues v;
    for (const auto& [k, value] : resolved_values(world, source, stack.parameters)) v.values[k] = value;
    v.values["AWS::Region"] = world.region;
    v.values["AWS::AccountId"] = world.account;
    v.values["AWS::StackName"] = stack.name;
    if (!stack.id.empty()) v.values["AWS::StackId"] = stack.id;
    v.values["AWS::Partition"] = "aws";
    v.values["AWS::URLSuffix"] = "amazonaws.com";
    return v;
}

std::string ref_value(const World& world, const SimResource& r) {
    const std::string& id = r.physical_id;
    if (is_arn(id)) return id;
    auto [service, kind] = type_parts(r.type);
    if (service == "secretsmanager" && kind == "secret") {
        return "arn:aws:secretsmanager:" + world.region + ":" + world.account + ":secret:" + id + "-" + make_id("", id, 6);
    }
    if (service == "sns" && kind == "topic") return "arn:aws:sns:" + world.region + ":" + world.account + ":" + id;
    if (service == "sqs" && kind == "queue") return "https://sqs." + world.region + ".amazonaws.com/" + world.account + "/" + id;
    if (service == "ecs" && kind == "taskdefinition") {
        return "arn:aws:ecs:" + world.region + ":" + world.account + ":task-definition/" + id + ":1";
    }
    if (service == "ecs" && kind == "service") return "arn:aws:ecs:" + world.region + ":" + world.account + ":service/" + id;
    if (service == "elasticloadbalancingv2" || (service == "iam" && kind == "managedpolicy")) return arn(world, r);
    return id;
}

std::string attribute_value(const World& world, const StackView& stack, const SimResource& r, std::string_view attribute,
                            const cfn::Template* source) {
    const std::string& id = r.physical_id;
    auto [service, kind] = type_parts(r.type);
    if (attribute == "Arn" || (attribute.ends_with("Arn") && attribute.find('.') == std::string_view::npos && service != "ecs")) {
        return arn(world, r);
    }
    if (service == "ec2" && kind == "instance") {
        std::string private_ip = ip("10", id);
        std::string public_ip = ip("34", id);
        if (attribute == "PrivateIp") return private_ip;
        if (attribute == "PublicIp") return public_ip;
        if (attribute == "PrivateDnsName") return "ip-" + dashed(private_ip) + "." + world.region + ".compute.internal";
        if (attribute == "PublicDnsName") return "ec2-" + dashed(public_ip) + "." + world.region + ".compute.amazonaws.com";
        if (attribute == "AvailabilityZone") return world.region + "a";
    }
    if (attribute.find("Endpoint") != std::string_view::npos || attribute.find("EndPoint") != std::string_view::npos) {
        if (service == "rds" || service == "elasticache") return endpoint(world, r, attribute);
    }
    if (service == "ec2" && kind == "securitygroup" && attribute == "GroupId") return id;
    if (service == "ecs" && kind == "cluster" && attribute == "Arn") return arn(world, r);
    if (service == "ecs" && kind == "service" && attribute == "Name") return id;
    if (service == "ecs" && attribute == "ServiceArn") return ref_value(world, r);
    if (service == "ecs" && attribute == "TaskDefinitionArn") return ref_value(world, r);
    if (service == "elasticloadbalancingv2" && kind == "loadbalancer") {
        std::string name = lower(id.substr(0, std::min<std::size_t>(id.size(), 24)));
        std::string digits = std::to_string(100000000 + derived(id, 900000000));
        if (attribute == "DNSName") return name + "-" + digits + "." + world.region + ".elb.amazonaws.com";
        if (attribute == "LoadBalancerFullName") return "app/" + name + "/" + make_id("", id, 16);
        if (attribute == "LoadBalancerName") return name;
        if (attribute == "CanonicalHostedZoneID") return "Z32O12XQLNTSW2";
    }
    if (service == "servicediscovery" && attribute == "Id") return make_id("ns-", id, 16);
    if (service == "ec2" && kind == "launchtemplate" && (attribute == "LatestVersionNumber" || attribute == "DefaultVersionNumber")) {
        for (const auto& lt : world.launch_templates)
            if (lt.id == id) return std::to_string(lt.version);
        return "1";
    }
    // An attribute that a property of the resource sets (a VPC's CidrBlock, a Name): its value.
    if (const cfn::Resource* declared = source ? source->resource(r.logical_id) : nullptr; declared && declared->properties) {
        if (const cfn::Value* property = declared->properties->find(attribute)) {
            WorldResolver resolver(world, stack, *source);
            cfn::Value v = resolver.resolve(*property);
            if (v.is_scalar() && v.function_name().empty()) return v.text();
        }
    }
    return id + "." + std::string(attribute);
}

const std::string* export_value(const World& world, std::string_view name) {
    for (const auto& s : world.stacks) {
        if (auto it = s.exports.find(name); it != s.exports.end()) return &it->second;
    }
    return nullptr;
}

std::string no_export_message(std::string_view name) { return "No export named " + std::string(name) + " found"; }

WorldResolver::WorldResolver(const World& world, const StackView& stack, const cfn::Template& source, MissingImport missing)
    : m_world(world), m_stack(stack), m_template(source), m_values(world_parameter_values(world, stack, source)), m_evaluator(source, &m_values),
      m_missing(missing) {}

const SimResource* WorldResolver::resource(std::string_view logical_id) const {
    for (const auto& r : m_stack.resources) {
        if (r.logical_id == logical_id) return &r;
    }
    return nullptr;
}

cfn::Value WorldResolver::resolve(const cfn::Value& value) { return m_evaluator.resolve(substitute(value)); }

cfn::Value WorldResolver::properties(const cfn::Resource& r) {
    if (r.properties == nullptr) return cfn::Value::map(r.position);
    return resolve(*r.properties);
}

StringMap WorldResolver::outputs() {
    StringMap out;
    for (const auto& output : m_template.outputs) {
        if (output.value == nullptr || m_evaluator.exists(output.condition) == cfn::Tri::no) continue;
        cfn::Value v = resolve(*output.value);
        std::string text;
        if (v.is_list()) {
            for (const auto& item : v.items()) text += (text.empty() ? "" : ",") + item.text();
        } else {
            text = v.is_scalar() && v.function_name().empty() ? v.text() : v.to_display();
        }
        out[output.name] = text;
    }
    return out;
}

// Replaces what the world knows (resources' Refs and attributes, imports) so that the
// evaluator, which knows parameters, can finish. A Fn::If is decided first, so that the branch
// not taken is never looked at (its imports are no imports).
cfn::Value WorldResolver::substitute(const cfn::Value& value) {
    if (value.is_list()) {
        cfn::Value out = cfn::Value::list(value.position());
        for (const auto& item : value.items()) out.push_back(substitute(item));
        return out;
    }
    if (!value.is_map()) return value;
    std::string_view name = value.function_name();
    if (!name.empty()) return substitute_function(value, name, value.function_argument());
    cfn::Value out = cfn::Value::map(value.position());
    for (const auto& member : value.members()) out.add(member.key, substitute(member.value), member.key_position);
    return out;
}

cfn::Value WorldResolver::substitute_function(const cfn::Value& value, std::string_view name, const cfn::Value& argument) {
    Position at = value.position();
    if (name == "Ref" && argument.is_scalar()) {
        if (const SimResource* r = resource(argument.text())) return cfn::Value::string(ref_value(m_world, *r), at);
        return value;
    }
    if (name == "Fn::GetAtt" && argument.is_list() && argument.size() == 2 && argument.items()[1].is_scalar()) {
        if (const SimResource* r = resource(argument.items()[0].text())) {
            return cfn::Value::string(attribute_value(m_world, m_stack, *r, argument.items()[1].text(), &m_template), at);
        }
        return value;
    }
    if (name == "Fn::ImportValue") {
        cfn::Value export_name = resolve(argument);
        if (!export_name.is_scalar() || !export_name.function_name().empty()) return value;
        const std::string* found = export_value(m_world, export_name.text());
        if (found == nullptr && m_missing == MissingImport::keep) return value;
        if (found == nullptr) throw CloudError("ValidationError", no_export_message(export_name.text()));
        return cfn::Value::string(*found, at);
    }
    if (name == "Fn::If" && argument.is_list() && argument.size() == 3) {
        cfn::Tri t = m_evaluator.condition(argument.items()[0].text());
        if (t == cfn::Tri::yes) return substitute(argument.items()[1]);
        if (t == cfn::Tri::no) return substitute(argument.items()[2]);
        return value;
    }
    cfn::Value out = cfn::Value::map(at);
    if (name == "Fn::Sub") {
        const cfn::Value* variables = argument.is_list() && argument.size() == 2 ? &argument.items()[1] : nullptr;
        const cfn::Value& text = variables ? argument.items()[0] : argument;
        if (text.is_string()) {
            cfn::Value replaced = cfn::Value::string(substitute_sub_text(text.text(), variables), text.position());
            if (variables == nullptr) {
                out.add("Fn::Sub", std::move(replaced), value.members().front().key_position);
            } else {
                cfn::Value list = cfn::Value::list(argument.position());
                list.push_back(std::move(replaced));
                list.push_back(substitute(*variables));
                out.add("Fn::Sub", std::move(list), value.members().front().key_position);
            }
            return out;
        }
    }
    out.add(std::string(name), substitute(argument), value.members().front().key_position);
    return out;
}

// ${Res} and ${Res.Attr} of the stack's resources written out; ${Param}, ${AWS::...}, the
// variables of the list form and ${!Literal} are left to the evaluator.
std::string WorldResolver::substitute_sub_text(const std::string& text, const cfn::Value* variables) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        auto open = text.find("${", pos);
        if (open == std::string::npos) break;
        auto close = text.find('}', open + 2);
        if (close == std::string::npos) break;
        std::string inner = text.substr(open + 2, close - open - 2);
        out.append(text, pos, open - pos);
        pos = close + 1;
        bool variable = variables && variables->is_map() && variables->find(inner) != nullptr;
        std::string target = inner.substr(0, inner.find('.'));
        const SimResource* r = inner.starts_with("!") || variable ? nullptr : resource(target);
        if (r == nullptr) {
            out += "${" + inner + "}";
        } else if (target.size() == inner.size()) {
            out += ref_value(m_world, *r);
        } else {
            out += attribute_value(m_world, m_stack, *r, std::string_view(inner).substr(target.size() + 1), &m_template);
        }
    }
    out.append(text, pos, std::string::npos);
    return out;
}

cfn::Value resolve_in_world(const World& world, const SimStack& stack, const cfn::Template& source, const cfn::Value& value) {
    WorldResolver resolver(world, view_of(stack), source);
    return resolver.resolve(value);
}

cfn::Value resource_properties_in_world(const World& world, const SimStack& stack, const cfn::Template& source,
                                        const cfn::Resource& resource) {
    WorldResolver resolver(world, view_of(stack), source);
    return resolver.properties(resource);
}

StringMap outputs_in_world(const World& world, const SimStack& stack, const cfn::Template& source) {
    WorldResolver resolver(world, view_of(stack), source);
    return resolver.outputs();
}

}  // namespace stackshift::cloud::sim
