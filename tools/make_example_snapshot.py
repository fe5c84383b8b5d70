#!/usr/bin/env python3
"""Write the bundled example deployment snapshot, examples/deployment/acme-prod-3.14.2.json.

The deployment "acme-prod" runs The Things Stack 3.14.2 on AWS ECS in eu-west-1, one stack per
template of examples/releases/3.14.2. This script reads those templates (their text becomes each
stack's templateBody, and their Parameters section gives the parameter names, defaults and
NoEcho flags) and the table below (the values the operator chose, the stack outputs and
statuses), and writes the snapshot in the "stackshift-deployment/1" format of DESIGN.md:
NoEcho values masked as "****" exactly as CloudFormation reports them.

Every deployed body is the 3.14.2 template, except acme-prod-1-2-bastion: the operator added an
Owner tag to the bastion instance by hand (CUSTOMIZED below), so the planner's preflight must flag
that stack as matching no known release.

Python 3 standard library only; deterministic output. Run from anywhere:
    python3 tools/make_example_snapshot.py [--check]
With --check it only verifies that the file on disk is up to date (exit 1 if not).
"""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RELEASE = ROOT / "examples" / "releases" / "3.14.2"
OUT = ROOT / "examples" / "deployment" / "acme-prod-3.14.2.json"

PREFIX = "acme-prod-"
ACCOUNT = "123456789012"
REGION = "eu-west-1"
IMAGE = "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws"

COMMON = {"NetworkName": "acme", "Environment": "prod"}
STACKS = {name: PREFIX + name for name in [
    "1-1-vpc", "2-1-db-aurora-master", "2-3-db-redis", "2-5-db-timescale", "4-1-secrets",
    "4-2a-configuration", "5-1-ecs-cluster"]}
NETWORK = {"NetworkStackName": STACKS["1-1-vpc"]}
TASK_DEFINITION = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/acme-prod-ops:7"
SUBNETS = ("subnet-0b7c41e2d9a35f608", "subnet-03e9d2a7c4b18f65e")
TASKS_SG = "sg-0c4e7a91d2b3f5068"

# template id -> status, the values the operator gave (everything else is the template default),
# outputs, and the stack tags.
TABLE = {
    "1-1-vpc": {
        "status": "CREATE_COMPLETE",
        "parameters": {**COMMON, "CidrBlock": "10.20.0.0/16", "LoadBalancerAccessLoggingEnabled": "true"},
        "outputs": {
            "VpcId": "vpc-0a51f3c9e7d2b4681",
            "VpcCidr": "10.20.0.0/16",
            "PublicSubnetOne": "subnet-0f2d6c18a9e4b7351",
            "PublicSubnetTwo": "subnet-06a3b9e5d1c7f2804",
            "PrivateSubnetOne": SUBNETS[0],
            "PrivateSubnetTwo": SUBNETS[1],
            "PrivateRouteTable": "rtb-0d8e2f6a4c1b3957e",
            "LoadBalancerArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/net/acme-prod/4f8e2b1c9d6a7e30",
            "LoadBalancerDNSName": "acme-prod-4f8e2b1c9d6a7e30.elb.eu-west-1.amazonaws.com",
            "TasksSecurityGroup": TASKS_SG,
            "DatabaseSecurityGroup": "sg-07b2d5e8f1a4c6093",
            "BastionSecurityGroup": "sg-0e1f3a5c7b9d2e486",
        },
    },
    "1-2-bastion": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK, "InstanceType": "t3.micro", "KeyName": "acme-ops",
                       "SSHAllowedIPv4Range": "203.0.113.0/24"},
        "outputs": {"InstanceId": "i-0e6b2c8f4a1d9e357", "PublicIp": "34.245.18.77"},
    },
    "2-1-db-aurora-master": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK, "DBInstanceClass": "db.r5.large", "AuroraVersion": "11.9"},
        "outputs": {
            "ClusterEndpoint": "acme-prod-dbcluster-1x2y3z4w5v6u.cluster-c7hq2mxk4r1d.eu-west-1.rds.amazonaws.com",
            "ReaderEndpoint": "acme-prod-dbcluster-1x2y3z4w5v6u.cluster-ro-c7hq2mxk4r1d.eu-west-1.rds.amazonaws.com",
            "Port": "5432",
            "DatabaseName": "ttn_lorawan",
            "SecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-aurora-Qm3xZp",
        },
    },
    "2-3-db-redis": {
        "status": "UPDATE_COMPLETE",
        # cache.t3.medium is no longer offered from 3.22.0 on: the changelog maps it to cache.t4g.medium.
        "parameters": {**COMMON, **NETWORK, "Purpose": "general", "CacheNodeType": "cache.t3.medium"},
        "outputs": {
            "PrimaryEndpointAddress": "master.acme-prod-general.x7k2pq.euw1.cache.amazonaws.com",
            "ReaderEndpointAddress": "replica.acme-prod-general.x7k2pq.euw1.cache.amazonaws.com",
            "Port": "6379",
        },
    },
    "2-5-db-timescale": {
        "status": "CREATE_COMPLETE",
        # m5.large is no longer offered from 3.15.0 on, and the changelog gives no value mapping.
        "parameters": {**COMMON, **NETWORK, "InstanceType": "m5.large", "KeyName": "acme-ops",
                       "VolumeSize": "200", "DBPassword": "****"},
        "outputs": {
            "InstanceId": "i-0a7d3f9c2e5b8146d",
            "VolumeId": "vol-0c9e4b2a7f1d3e658",
            "Address": "10.20.8.143",
            "Port": "5432",
        },
    },
    "3-1-security-group-rules": {
        "status": "CREATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK},
        "outputs": {},
    },
    "4-1-secrets": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, "EmailProvider": "sendgrid"},
        "outputs": {
            "LicenseSecretID": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-license-a1B2c3",
            "ClusterKeysSecretID": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-cluster-keys-d4E5f6",
            "ConsoleOAuthClientSecretID": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-console-oauth-client-g7H8i9",
            "GatewaySecretsEncryptionKeyID": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-gateway-secrets-key-j0K1l2",
            "EmailSecretID": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-email-m3N4o5",
            "PacketBrokerAgentSecretID": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-packet-broker-agent-p6Q7r8",
            "InteropTLSSecretID": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:acme-prod-interop-tls-s9T0u1",
        },
    },
    "4-2a-configuration": {
        "status": "UPDATE_COMPLETE",
        # NetworkServerClusterID becomes ClusterID in 3.15.0: the value must be carried over.
        "parameters": {**COMMON, "Domain": "eu1.lorawan.acme.example", "NetworkServerClusterID": "eu1",
                       "PacketBrokerEnabled": "true", "CryptoServerDNSName": "cs.eu1.lorawan.acme.example"},
        "outputs": {
            "GlobalConfigurationName": "/acme/prod/config/global",
            "ConsoleConfigurationName": "/acme/prod/config/console",
            "Domain": "eu1.lorawan.acme.example",
        },
    },
    "5-1-ecs-cluster": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK, "InstanceType": "c5.xlarge", "KeyName": "acme-ops",
                       "DesiredCapacity": "3"},
        "outputs": {
            "ClusterName": "acme-prod",
            "ClusterArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/acme-prod",
            "NamespaceId": "ns-4k7bq2x5m3zrd6yh",
            "AutoScalingGroupName": "acme-prod-5-1-ecs-cluster-ECSAutoScalingGroup-1QW8E4R7T2Y5",
        },
    },
    "5-2-ecs-ops": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK,
                       "DatabaseStackName": STACKS["2-1-db-aurora-master"],
                       "RedisStackName": STACKS["2-3-db-redis"],
                       "TimescaleStackName": STACKS["2-5-db-timescale"],
                       "SecretsStackName": STACKS["4-1-secrets"],
                       "ConfigurationStackName": STACKS["4-2a-configuration"],
                       "ClusterStackName": STACKS["5-1-ecs-cluster"],
                       "OpsImage": IMAGE, "ApplicationServerStorageEnabled": "true"},
        "outputs": {
            "TaskDefinitionArn": TASK_DEFINITION,
            "OpsRunTaskArguments": f"{TASK_DEFINITION} acme-prod {SUBNETS[0]} {SUBNETS[1]} {TASKS_SG}",
        },
    },
    "5-3a-ecs-is-service": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK,
                       "DatabaseStackName": STACKS["2-1-db-aurora-master"],
                       "RedisStackName": STACKS["2-3-db-redis"],
                       "SecretsStackName": STACKS["4-1-secrets"],
                       "ConfigurationStackName": STACKS["4-2a-configuration"],
                       "ClusterStackName": STACKS["5-1-ecs-cluster"],
                       "IdentityServerImage": IMAGE, "IdentityServerCPU": "1024",
                       "IdentityServerMemory": "2048"},
        "outputs": {
            "ServiceName": "is",
            "TaskDefinitionArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/acme-prod-is:12",
        },
    },
    "5-4-ecs-services": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK,
                       "RedisStackName": STACKS["2-3-db-redis"],
                       "TimescaleStackName": STACKS["2-5-db-timescale"],
                       "SecretsStackName": STACKS["4-1-secrets"],
                       "ConfigurationStackName": STACKS["4-2a-configuration"],
                       "ClusterStackName": STACKS["5-1-ecs-cluster"],
                       "GatewayServerImage": IMAGE, "NetworkServerImage": IMAGE,
                       "ApplicationServerImage": IMAGE, "JoinServerImage": IMAGE,
                       "GatewayServerDesiredCount": "3", "NetworkServerDesiredCount": "3",
                       "ApplicationServerStorageEnabled": "true", "TimescaleDBPassword": "****"},
        "outputs": {
            "GatewayServerServiceName": "gs",
            "NetworkServerServiceName": "ns",
            "ApplicationServerServiceName": "as",
            "JoinServerServiceName": "js",
        },
    },
    "5-5-ecs-proxy": {
        "status": "UPDATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK,
                       "ConfigurationStackName": STACKS["4-2a-configuration"],
                       "ClusterStackName": STACKS["5-1-ecs-cluster"],
                       "ProxyImage": "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws-proxy",
                       "CertificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/5e0c2a7b-3f9d-4e16-8b4a-9d2f7c1e6a38"},
        "outputs": {"ServiceName": "proxy"},
    },
    "6-1-vpc-peering": {
        "status": "CREATE_COMPLETE",
        "parameters": {**COMMON, **NETWORK, "PeerVpcId": "vpc-09d4f7a2c6e1b8335",
                       "PeerOwnerId": "210987654321",
                       "PeerRoleArn": "arn:aws:iam::210987654321:role/acme-crypto-server-peering",
                       "PeerCidrBlock": "10.60.0.0/16"},
        "outputs": {"PeeringConnectionId": "pcx-0f3a9c6e2d8b1a475"},
    },
}

# The one deployed body that is not the release template: a tag the operator added by hand.
CUSTOMIZED = {
    "1-2-bastion": (
        '        - {Key: Name, Value: !Sub "${NetworkName}-${Environment}-bastion"}\n',
        '        - {Key: Name, Value: !Sub "${NetworkName}-${Environment}-bastion"}\n'
        '        - {Key: Owner, Value: acme-netops}\n',
    ),
}

TAGS = {"Network": "acme", "Environment": "prod", "CostCenter": "iot-platform"}


def template_order(template_id):
    """Numbered template order: 2-4a after 2-4, 200-1 after 6-1, ties by name."""
    parts = template_id.split("-")
    return (int(parts[0]), int(re.match(r"\d+", parts[1]).group()), template_id)


def scalar(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def read_parameters(body, where):
    """Name -> {"default": str or None, "noEcho": bool}, from the top-level Parameters mapping
    (block style, two-space indentation, as the example templates are written)."""
    params = {}
    inside = False
    current = None
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.rstrip() == "Parameters:"
            current = None
            continue
        if not inside:
            continue
        m = re.match(r"^  ([A-Za-z0-9]+):\s*$", line)
        if m:
            current = m.group(1)
            params[current] = {"default": None, "noEcho": False}
            continue
        m = re.match(r"^    (Default|NoEcho):\s*(.*)$", line)
        if m and current:
            if m.group(1) == "Default":
                params[current]["default"] = scalar(m.group(2))
            else:
                params[current]["noEcho"] = scalar(m.group(2)).lower() == "true"
    if not params:
        sys.exit(f"{where}: no Parameters found")
    return params


def build():
    stacks = []
    templates = sorted((p.stem for p in RELEASE.glob("*.yaml")), key=template_order)
    if sorted(templates) != sorted(TABLE):
        sys.exit(f"templates of {RELEASE} and the table differ: {sorted(set(templates) ^ set(TABLE))}")
    for template_id in templates:
        path = RELEASE / f"{template_id}.yaml"
        body = path.read_text(encoding="utf-8")
        row = TABLE[template_id]
        declared = read_parameters(body, path)
        unknown = set(row["parameters"]) - set(declared)
        if unknown:
            sys.exit(f"{template_id}: the table sets parameters the template does not have: {sorted(unknown)}")
        parameters = {}
        no_echo = []
        for name, spec in declared.items():
            if spec["noEcho"]:
                no_echo.append(name)
                parameters[name] = "****"
                continue
            value = row["parameters"].get(name, spec["default"])
            if value is None:
                sys.exit(f"{template_id}: parameter {name} has no default and no value in the table")
            parameters[name] = value
        if template_id in CUSTOMIZED:
            old, new = CUSTOMIZED[template_id]
            if body.count(old) != 1:
                sys.exit(f"{template_id}: the customization no longer applies to the template")
            body = body.replace(old, new)
        stacks.append({
            "name": PREFIX + template_id,
            "template": template_id,
            "status": row["status"],
            "parameters": parameters,
            "noEcho": no_echo,
            "outputs": row["outputs"],
            "tags": TAGS,
            "templateBody": body,
        })
    snapshot = {"format": "stackshift-deployment/1", "region": REGION, "version": "3.14.2", "stacks": stacks}
    return json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"


def main():
    text = build()
    if sys.argv[1:] == ["--check"]:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            sys.exit(f"{OUT} is out of date: run python3 tools/make_example_snapshot.py")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(TABLE)} stacks)")


if __name__ == "__main__":
    main()
