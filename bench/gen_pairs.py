#!/usr/bin/env python3
"""Generates deterministic CloudFormation template pairs for diff benchmarks.

For each size N (50, 500 and 2000 resources) this writes into OUTDIR:

  pair-N.old.yaml       a template with N resources, YAML with short-form tags
  pair-N.new.yaml       the same template with about 10% of its resources changed
  pair-N.expected.tsv   LOGICALID<TAB>IMPACT for every resource the generator changed,
                        with the impact a spec-driven diff should report

The templates mix EC2 instances, volumes and attachments, security groups, Route53
records, S3 buckets, DynamoDB tables, SQS queues, SNS topics and subscriptions, IAM
roles, Lambda functions, log groups, ECS task definitions, SSM parameters and
CloudWatch alarms, tied together with Ref, GetAtt and Sub; with parameters,
conditions, mappings, and outputs with exports.

The new template changes resources in ways whose impact is unambiguous: mutable
property updates (will-update), replacement-causing properties (will-replace),
InstanceType on an instance (may-replace), additions (will-create), removals
(will-destroy, or will-orphan under DeletionPolicy Retain), one type change
(will-replace), and output changes. To keep every reasonable tool in agreement
with cdk diff, the generator never:
  - replaces, removes or retypes a resource that another resource refers to (so no
    replacement travels through a Ref or GetAtt),
  - changes a property to or from a value built from a parameter, a pseudo
    parameter or a mapping (every changed value is a literal),
  - changes Parameters defaults, Mappings or Conditions, uses Fn::If, or changes a
    resource that has a Condition.

Python 3 standard library only. Usage: gen_pairs.py [OUTDIR] [--sizes 50,500,2000]
"""

import json
import os
import random
import re
import sys

DEFAULT_SIZES = (50, 500, 2000)
CHANGE_FRACTION = 0.10


# ---------------------------------------------------------------------------
# Template values: plain Python data plus Tag for short-form intrinsic functions.

class Tag:
    """A CloudFormation intrinsic function, written as a YAML short-form tag."""

    __slots__ = ("name", "value")

    def __init__(self, name, value):
        self.name = name
        self.value = value

    def long_form(self):
        key = self.name if self.name in ("Ref", "Condition") else "Fn::" + self.name
        value = self.value
        if self.name == "GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            value = [resource, attribute]
        return {key: value}


def ref(name):
    return Tag("Ref", name)


def get_att(resource, attribute):
    return Tag("GetAtt", f"{resource}.{attribute}")


def sub(text, variables=None):
    return Tag("Sub", text if variables is None else [text, variables])


def references(value):
    """Logical ids (and parameter names) that value refers to."""
    found = set()

    def walk(v):
        if isinstance(v, Tag):
            if v.name == "Ref":
                found.add(v.value)
            elif v.name == "GetAtt":
                found.add(v.value.split(".", 1)[0] if isinstance(v.value, str) else v.value[0])
            elif v.name == "Sub":
                text = v.value if isinstance(v.value, str) else v.value[0]
                local = {} if isinstance(v.value, str) else v.value[1]
                for name in re.findall(r"\$\{([^!}][^}]*)\}", text):
                    name = name.split(".", 1)[0]
                    if name not in local:
                        found.add(name)
                if not isinstance(v.value, str):
                    walk(v.value[1])
                return
            walk(v.value)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(value)
    return found


def to_json_value(value):
    """The long-form (JSON) equivalent of a template value."""
    if isinstance(value, Tag):
        return {k: to_json_value(v) for k, v in value.long_form().items()}
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# A small YAML emitter for templates: block style, flow style for short lists of
# scalars, block literals for multi-line strings, short-form tags.

_PLAIN = re.compile(r"^[A-Za-z_/$][A-Za-z0-9_./:@$*{}+-]*( [A-Za-z0-9_./:@$*{}+()-]+)*$")
_RESERVED = re.compile(
    r"^(true|false|yes|no|on|off|null|y|n|~|[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?|"
    r"0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$", re.IGNORECASE)


def scalar(value, flow=False):
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if (_PLAIN.match(text) and not _RESERVED.match(text) and ": " not in text
            and " #" not in text and not (flow and re.search(r"[][{},]", text))):
        return text
    return json.dumps(text, ensure_ascii=False)


def is_inline(value):
    """Whether value fits on one line as a scalar or a short-form tag of a scalar."""
    if isinstance(value, Tag):
        return not isinstance(value.value, (dict, list, Tag)) and "\n" not in str(value.value)
    return not isinstance(value, (dict, list)) and "\n" not in str(value)


def inline(value):
    """value in a flow sequence, where [ ] { } and commas are indicators."""
    if isinstance(value, Tag):
        return f"!{value.name} {scalar(value.value, flow=True)}"
    return scalar(value, flow=True)


def flow_list(items):
    if all(is_inline(i) for i in items):
        text = "[" + ", ".join(inline(i) for i in items) + "]"
        if len(text) <= 70:
            return text
    return None


def emit(value, indent, out):
    """Writes value as the body of a mapping entry or list item already started on the line."""
    if isinstance(value, Tag):
        inner = value.value
        if isinstance(inner, Tag):
            # Two tags cannot share a node in YAML: the inner function goes long-form.
            out.append(f" !{value.name}\n")
            emit_mapping(inner.long_form(), indent + 1, out)
        elif isinstance(inner, list):
            flow = flow_list(inner)
            if flow:
                out.append(f" !{value.name} {flow}\n")
            else:
                out.append(f" !{value.name}\n")
                emit_sequence(inner, indent + 1, out)
        elif isinstance(inner, dict):
            out.append(f" !{value.name}\n")
            emit_mapping(inner, indent + 1, out)
        elif isinstance(inner, str) and "\n" in inner:
            out.append(f" !{value.name} |\n")
            emit_block_text(inner, indent + 1, out)
        else:
            out.append(f" !{value.name} {scalar(inner)}\n")
    elif isinstance(value, dict):
        if not value:
            out.append(" {}\n")
        else:
            out.append("\n")
            emit_mapping(value, indent + 1, out)
    elif isinstance(value, list):
        if not value:
            out.append(" []\n")
        else:
            flow = flow_list(value)
            if flow and all(not isinstance(i, Tag) for i in value) and len(value) <= 4:
                out.append(f" {flow}\n")
            else:
                out.append("\n")
                emit_sequence(value, indent, out)
    elif isinstance(value, str) and "\n" in value:
        out.append(" |\n")
        emit_block_text(value, indent + 1, out)
    else:
        out.append(f" {scalar(value)}\n")


def emit_block_text(text, indent, out):
    pad = "  " * indent
    for line in text.rstrip("\n").split("\n"):
        out.append(f"{pad}{line}\n" if line else "\n")


def emit_mapping(mapping, indent, out):
    pad = "  " * indent
    for key, value in mapping.items():
        out.append(f"{pad}{scalar(key)}:")
        emit(value, indent, out)


def emit_sequence(items, indent, out):
    pad = "  " * indent
    for item in items:
        if isinstance(item, dict) and item:
            # First entry on the dash line, the rest aligned under it.
            keys = list(item.items())
            first_key, first_value = keys[0]
            out.append(f"{pad}- {scalar(first_key)}:")
            emit(first_value, indent + 1, out)
            if len(keys) > 1:
                emit_mapping(dict(keys[1:]), indent + 1, out)
        else:
            out.append(f"{pad}-")
            emit(item, indent, out)


def to_yaml(template, header):
    out = [f"# {header}\n"]
    for section, value in template.items():
        if isinstance(value, dict):
            out.append(f"{section}:\n")
            # Blank line between resources and between outputs, as people write them.
            for i, (key, body) in enumerate(value.items()):
                if i and section in ("Resources", "Outputs"):
                    out.append("\n")
                out.append(f"  {scalar(key)}:")
                emit(body, 1, out)
            out.append("\n")
        else:
            out.append(f"{section}:")
            emit(value, 0, out)
            out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# Resource units. Each builder appends resources to the template and returns nothing;
# every resource body is a dict {Type, Properties, ...}.

AMIS = {
    "eu-west-1": "ami-0a8f5b4c1d2e3f405", "eu-central-1": "ami-0b7e6d5c4b3a29180",
    "us-east-1": "ami-0c1d2e3f4a5b6c7d8", "us-west-2": "ami-0d9e8f7a6b5c4d3e2",
    "ap-southeast-1": "ami-0e2f3a4b5c6d7e8f9",
}
RUNTIMES = ["python3.13", "python3.12"]
INSTANCE_TYPES = ["t3.micro", "t3.small", "t3.medium", "m5.large"]


def tags(name, team):
    return [{"Key": "Name", "Value": name}, {"Key": "Team", "Value": team}]


class Builder:
    def __init__(self, rng, n):
        self.rng = rng
        self.n = n
        self.resources = {}
        self.outputs = {}
        self.counter = 0

    def next_index(self):
        self.counter += 1
        return self.counter

    def add(self, logical_id, body):
        assert logical_id not in self.resources, logical_id
        self.resources[logical_id] = body

    def export(self, name, value, description):
        self.outputs[name] = {
            "Description": description,
            "Value": value,
            "Export": {"Name": sub("${AWS::StackName}-" + name)},
        }

    # -- units ------------------------------------------------------------

    def compute(self):
        i = self.next_index()
        team = self.rng.choice(["core", "data", "edge"])
        sg, inst, vol, att, rec = (f"HostSecurityGroup{i}", f"Host{i}", f"HostVolume{i}",
                                   f"HostVolumeAttachment{i}", f"HostRecord{i}")
        self.add(sg, {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": f"Host {i}",
            "VpcId": ref("VpcId"),
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                      "SourceSecurityGroupId": get_att("SharedSecurityGroup", "GroupId")}],
            "Tags": tags(f"host-{i}", team)}})
        self.add(inst, {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": Tag("FindInMap", ["RegionMap", ref("AWS::Region"), "AMI"]),
            "InstanceType": ref("InstanceType"),
            "SubnetId": Tag("Select", [i % 2, ref("SubnetIds")]),
            "SecurityGroupIds": [get_att(sg, "GroupId")],
            "Monitoring": False,
            "UserData": Tag("Base64", sub(
                "#!/bin/bash\nset -eu\necho 'host " + str(i) + " of ${Environment}' > /etc/motd\n"
                "mkdir -p /data\n")),
            "Tags": tags(f"host-{i}", team)}})
        self.add(vol, {"Type": "AWS::EC2::Volume", "DeletionPolicy": "Snapshot",
                       "UpdateReplacePolicy": "Snapshot", "Properties": {
                           "AvailabilityZone": get_att(inst, "AvailabilityZone"),
                           "Size": self.rng.choice([20, 50, 100, 200]),
                           "VolumeType": "gp3", "Encrypted": True,
                           "Tags": tags(f"host-{i}-data", team)}})
        self.add(att, {"Type": "AWS::EC2::VolumeAttachment", "Properties": {
            "InstanceId": ref(inst), "VolumeId": ref(vol), "Device": "/dev/xvdf"}})
        self.add(rec, {"Type": "AWS::Route53::RecordSet", "Properties": {
            "HostedZoneId": ref("HostedZoneId"),
            "Name": f"host{i}.bench.example.com.",
            "Type": "A", "TTL": "300",
            "ResourceRecords": [get_att(inst, "PrivateIp")]}})
        if i % 4 == 0:
            self.export(f"Host{i}Id", ref(inst), f"Instance ID of host {i}")

    def function(self):
        i = self.next_index()
        role, queue, fn, logs = f"Worker{i}Role", f"Worker{i}Queue", f"Worker{i}", f"Worker{i}Logs"
        self.add(queue, {"Type": "AWS::SQS::Queue", "Properties": {
            "VisibilityTimeout": 60, "MessageRetentionPeriod": 345600,
            "Tags": tags(f"worker-{i}", "workers")}})
        self.add(role, {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [
                sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")],
            "Policies": [{"PolicyName": "queue", "PolicyDocument": {
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    "Resource": get_att(queue, "Arn")}]}}]}})
        self.add(fn, {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": self.rng.choice(RUNTIMES),
            "Handler": "index.handler",
            "Role": get_att(role, "Arn"),
            "MemorySize": self.rng.choice([128, 256, 512]),
            "Timeout": 30,
            "Code": {"ZipFile": "import json\n\ndef handler(event, context):\n"
                                f"    print(json.dumps({{'worker': {i}, 'records': len(event.get('Records', []))}}))\n"
                                "    return {'ok': True}\n"},
            "Environment": {"Variables": {"QUEUE_URL": ref(queue), "ENVIRONMENT": ref("Environment"),
                                          "LOG_LEVEL": "info"}},
            "Tags": tags(f"worker-{i}", "workers")}})
        self.add(logs, {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": sub("/aws/lambda/${" + fn + "}"),
            "RetentionInDays": 14}})
        if i % 3 == 0:
            self.export(f"Worker{i}Arn", get_att(fn, "Arn"), f"ARN of worker function {i}")

    def storage(self):
        i = self.next_index()
        retain = i % 3 == 0
        bucket, table = f"Archive{i}Bucket", f"Archive{i}Table"
        body = {"Type": "AWS::S3::Bucket", "Properties": {
            "BucketName": f"acme-bench-{self.n}-archive-{i}",
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True, "BlockPublicPolicy": True,
                "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
            "Tags": tags(f"archive-{i}", "data")}}
        if retain:
            body = {"Type": body["Type"], "DeletionPolicy": "Retain",
                    "UpdateReplacePolicy": "Retain", "Properties": body["Properties"]}
        self.add(bucket, body)
        body = {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": f"acme-bench-{self.n}-archive-{i}",
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "Tags": tags(f"archive-{i}", "data")}}
        if retain:
            body = {"Type": body["Type"], "DeletionPolicy": "Retain",
                    "UpdateReplacePolicy": "Retain", "Properties": body["Properties"]}
        self.add(table, body)
        if i % 2 == 0:
            self.export(f"Archive{i}BucketName", ref(bucket), f"Bucket of archive {i}")

    def queue(self):
        i = self.next_index()
        queue, dlq = f"Jobs{i}Queue", f"Jobs{i}DeadLetterQueue"
        self.add(dlq, {"Type": "AWS::SQS::Queue", "Properties": {
            "MessageRetentionPeriod": 1209600, "Tags": tags(f"jobs-{i}-dlq", "workers")}})
        self.add(queue, {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": f"acme-bench-{self.n}-jobs-{i}",
            "VisibilityTimeout": 120,
            "RedrivePolicy": {"deadLetterTargetArn": get_att(dlq, "Arn"), "maxReceiveCount": 5},
            "Tags": tags(f"jobs-{i}", "workers")}})
        if i % 2 == 1:
            self.export(f"Jobs{i}QueueUrl", ref(queue), f"URL of job queue {i}")

    def task(self):
        i = self.next_index()
        role, logs, task = f"Task{i}Role", f"Task{i}Logs", f"Task{i}Definition"
        self.add(role, {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [
                sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")],
            "MaxSessionDuration": 3600}})
        self.add(logs, {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": sub("/${Environment}/task-" + str(i)), "RetentionInDays": 30}})
        self.add(task, {"Type": "AWS::ECS::TaskDefinition", "Properties": {
            "Family": sub("${Environment}-task-" + str(i)),
            "RequiresCompatibilities": ["FARGATE"],
            "NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512",
            "ExecutionRoleArn": get_att(role, "Arn"),
            "ContainerDefinitions": [{
                "Name": "app",
                "Image": "docker.io/thethingsindustries/lorawan-stack:3.14.2-aws",
                "Essential": True,
                "Command": ["tti-lw-stack", "start", "task" + str(i)],
                "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                    "awslogs-group": ref(logs), "awslogs-region": ref("AWS::Region"),
                    "awslogs-stream-prefix": "app"}}}]}})

    def messaging(self):
        i = self.next_index()
        topic, queue, subscription = f"Events{i}Topic", f"Events{i}Queue", f"Events{i}Subscription"
        self.add(topic, {"Type": "AWS::SNS::Topic", "Properties": {
            "DisplayName": f"Events {i}", "Tags": tags(f"events-{i}", "edge")}})
        self.add(queue, {"Type": "AWS::SQS::Queue", "Properties": {
            "VisibilityTimeout": 30, "Tags": tags(f"events-{i}", "edge")}})
        self.add(subscription, {"Type": "AWS::SNS::Subscription", "Properties": {
            "TopicArn": ref(topic), "Protocol": "sqs", "Endpoint": get_att(queue, "Arn"),
            "RawMessageDelivery": True}})
        if i % 3 == 0:
            self.export(f"Events{i}TopicArn", ref(topic), f"Topic of event stream {i}")

    # -- one-resource fillers ------------------------------------------------

    def parameter(self):
        i = self.next_index()
        self.add(f"Setting{i}", {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": f"/acme-bench-{self.n}/setting-{i}", "Type": "String",
            "Value": f"value-{i}", "Description": f"Setting {i}"}})

    def topic(self):
        i = self.next_index()
        self.add(f"Notifications{i}", {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": f"acme-bench-{self.n}-notifications-{i}", "DisplayName": f"Notifications {i}"}})

    def log_group(self):
        i = self.next_index()
        self.add(f"AuditLogs{i}", {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": f"/acme-bench-{self.n}/audit-{i}", "RetentionInDays": 90}})

    def bastion(self):
        i = self.next_index()
        self.add(f"Bastion{i}", {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": "ami-0c1d2e3f4a5b6c7d8",
            "InstanceType": "t3.micro",
            "SubnetId": Tag("Select", [0, ref("SubnetIds")]),
            "SecurityGroupIds": [get_att("SharedSecurityGroup", "GroupId")],
            "Tags": tags(f"bastion-{i}", "core")}})

    def alarm(self):
        # Conditional resources stay unchanged (see the module docstring).
        i = self.next_index()
        self.add(f"Alarm{i}", {"Type": "AWS::CloudWatch::Alarm", "Condition": "CreateAlarms",
                               "Properties": {
            "AlarmDescription": f"Alarm {i}: messages waiting too long",
            "Namespace": "AWS/SQS", "MetricName": "ApproximateAgeOfOldestMessage",
            "Dimensions": [{"Name": "QueueName", "Value": f"acme-bench-{self.n}-alarm-{i}"}],
            "Statistic": "Maximum", "Period": 300, "EvaluationPeriods": 3,
            "Threshold": 600, "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": [ref("AlarmTopicArn")]}})


UNITS = [  # (builder method, resources it adds, weight)
    ("compute", 5, 3), ("function", 4, 3), ("storage", 2, 3), ("queue", 2, 2),
    ("task", 3, 2), ("messaging", 3, 2),
]
FILLERS = ["parameter", "topic", "log_group", "bastion", "alarm"]


def build_old(n, rng):
    b = Builder(rng, n)
    b.add("SharedSecurityGroup", {"Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupDescription": "Shared administrative access",
        "VpcId": ref("VpcId"),
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                  "CidrIp": "10.0.0.0/8"}]}})
    b.alarm()  # at least one user of the CreateAlarms condition and AlarmTopicArn
    total_weight = sum(w for _, _, w in UNITS)
    while True:
        remaining = n - len(b.resources)
        if remaining <= 0:
            break
        if remaining > 8 and rng.random() < 0.85:
            pick = rng.uniform(0, total_weight)
            for name, size, weight in UNITS:
                pick -= weight
                if pick <= 0:
                    break
            if size <= remaining:
                getattr(b, name)()
                continue
        getattr(b, rng.choice(FILLERS))()
    return b


def template_of(n, builder, extra_parameters=None):
    parameters = {
        "Environment": {"Type": "String", "Default": "bench",
                        "AllowedPattern": "^[a-z][a-z0-9-]*$",
                        "Description": "Prefix of names"},
        "VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "VPC of the hosts"},
        "SubnetIds": {"Type": "List<AWS::EC2::Subnet::Id>", "Description": "Two private subnets"},
        "HostedZoneId": {"Type": "AWS::Route53::HostedZone::Id", "Description": "Zone of the host records"},
        "InstanceType": {"Type": "String", "Default": "t3.small", "AllowedValues": INSTANCE_TYPES,
                         "Description": "Instance type of the hosts"},
        "EnableAlarms": {"Type": "String", "Default": "false", "AllowedValues": ["true", "false"],
                         "Description": "Whether the CloudWatch alarms are created"},
        "AlarmTopicArn": {"Type": "String", "Default": "arn:aws:sns:eu-west-1:111122223333:alarms",
                          "Description": "Topic the alarms notify"},
    }
    parameters.update(extra_parameters or {})
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"stackshift benchmark template with {len(builder.resources)} resources",
        "Parameters": parameters,
        "Mappings": {"RegionMap": {region: {"AMI": ami} for region, ami in AMIS.items()}},
        "Conditions": {"CreateAlarms": Tag("Equals", [ref("EnableAlarms"), "true"])},
        "Resources": builder.resources,
        "Outputs": builder.outputs,
    }


# ---------------------------------------------------------------------------
# Changes. Each change takes (props, rng) and edits props in place; only literal values.

def bump_tag(props, rng):
    props["Tags"] = props.get("Tags", []) + [{"Key": "CostCenter", "Value": f"cc-{rng.randrange(1000, 9999)}"}]


def literal_suffix(props, key):
    props[key] = props[key] + "-v2"


UPDATES = {  # type -> list of (property changed, function)
    "AWS::EC2::SecurityGroup": [
        ("SecurityGroupIngress", lambda p, r: p["SecurityGroupIngress"].append(
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"})),
        ("Tags", bump_tag)],
    "AWS::EC2::Instance": [
        ("Monitoring", lambda p, r: p.__setitem__("Monitoring", True)),
        ("Tags", bump_tag)],
    "AWS::EC2::Volume": [
        ("Size", lambda p, r: p.__setitem__("Size", p["Size"] + 50)),
        ("Iops", lambda p, r: p.__setitem__("Iops", 4000)),
        ("Tags", bump_tag)],
    "AWS::Route53::RecordSet": [("TTL", lambda p, r: p.__setitem__("TTL", "60"))],
    "AWS::SQS::Queue": [
        ("VisibilityTimeout", lambda p, r: p.__setitem__("VisibilityTimeout", p.get("VisibilityTimeout", 30) * 2)),
        ("MessageRetentionPeriod", lambda p, r: p.__setitem__("MessageRetentionPeriod", 86400))],
    "AWS::IAM::Role": [
        ("MaxSessionDuration", lambda p, r: p.__setitem__("MaxSessionDuration", 7200)),
        ("Description", lambda p, r: p.__setitem__("Description", "Reviewed in the 2024 audit"))],
    "AWS::Lambda::Function": [
        ("MemorySize", lambda p, r: p.__setitem__("MemorySize", p["MemorySize"] * 2)),
        ("Timeout", lambda p, r: p.__setitem__("Timeout", 60)),
        ("Environment", lambda p, r: p["Environment"]["Variables"].__setitem__("LOG_LEVEL", "debug")),
        ("Runtime", lambda p, r: p.__setitem__("Runtime", "python3.14"))],
    "AWS::Logs::LogGroup": [
        ("RetentionInDays", lambda p, r: p.__setitem__("RetentionInDays", 365))],
    "AWS::S3::Bucket": [
        ("VersioningConfiguration", lambda p, r: p.__setitem__("VersioningConfiguration", {"Status": "Suspended"})),
        ("LifecycleConfiguration", lambda p, r: p.__setitem__("LifecycleConfiguration", {"Rules": [
            {"Id": "expire", "Status": "Enabled", "ExpirationInDays": 365}]})),
        ("Tags", bump_tag)],
    "AWS::DynamoDB::Table": [
        ("PointInTimeRecoverySpecification", lambda p, r: p.__setitem__(
            "PointInTimeRecoverySpecification", {"PointInTimeRecoveryEnabled": False})),
        ("Tags", bump_tag)],
    "AWS::SNS::Topic": [("DisplayName", lambda p, r: literal_suffix(p, "DisplayName"))],
    "AWS::SNS::Subscription": [("RawMessageDelivery", lambda p, r: p.__setitem__("RawMessageDelivery", False))],
    "AWS::SSM::Parameter": [
        ("Value", lambda p, r: literal_suffix(p, "Value")),
        ("Description", lambda p, r: literal_suffix(p, "Description"))],
    "AWS::ECS::TaskDefinition": [("Tags", bump_tag)],
}


def change_key_schema(p, r):
    p["AttributeDefinitions"] = [{"AttributeName": "id", "AttributeType": "S"}]
    p["KeySchema"] = [{"AttributeName": "id", "KeyType": "HASH"}]


def make_fifo(p, r):
    p["FifoQueue"] = True
    p["QueueName"] = p["QueueName"] + ".fifo"


def bump_image(p, r):
    p["ContainerDefinitions"][0]["Image"] = "docker.io/thethingsindustries/lorawan-stack:3.15.1-aws"


REPLACEMENTS = {  # type -> list of (property, function); applied to leaves with literal values only
    "AWS::S3::Bucket": [("BucketName", lambda p, r: literal_suffix(p, "BucketName"))],
    "AWS::DynamoDB::Table": [("TableName", lambda p, r: literal_suffix(p, "TableName")),
                             ("KeySchema", change_key_schema)],
    "AWS::SQS::Queue": [("QueueName", lambda p, r: literal_suffix(p, "QueueName")),
                        ("FifoQueue", make_fifo)],
    "AWS::ECS::TaskDefinition": [("ContainerDefinitions", bump_image),
                                 ("Cpu", lambda p, r: (p.__setitem__("Cpu", "512"),
                                                       p.__setitem__("Memory", "1024")))],
    "AWS::Route53::RecordSet": [("Name", lambda p, r: p.__setitem__("Name", p["Name"].replace("host", "node", 1)))],
    "AWS::SSM::Parameter": [("Name", lambda p, r: literal_suffix(p, "Name"))],
    "AWS::SNS::Topic": [("TopicName", lambda p, r: literal_suffix(p, "TopicName"))],
    "AWS::Logs::LogGroup": [("LogGroupName", lambda p, r: literal_suffix(p, "LogGroupName"))],
    "AWS::EC2::Instance": [("ImageId", lambda p, r: p.__setitem__("ImageId", "ami-0f0e0d0c0b0a09080"))],
    "AWS::EC2::VolumeAttachment": [("Device", lambda p, r: p.__setitem__("Device", "/dev/xvdg"))],
}

MAY_REPLACE = {
    "AWS::EC2::Instance": [("InstanceType", lambda p, r: p.__setitem__("InstanceType", "t3.small"))],
}


def literal_property(props, key):
    """Whether props[key] is absent or built without intrinsic functions."""
    return not references(props.get(key)) and not _has_tag(props.get(key))


def _has_tag(value):
    if isinstance(value, Tag):
        return True
    if isinstance(value, dict):
        return any(_has_tag(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_tag(v) for v in value)
    return False


def deep_copy(value):
    if isinstance(value, Tag):
        return Tag(value.name, deep_copy(value.value))
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value


def make_new(n, old, rng):
    """The changed template's builder and the expected impact of every change."""
    new = Builder(rng, n)
    new.resources = deep_copy(old.resources)
    new.outputs = deep_copy(old.outputs)
    new.counter = old.counter
    expected = {}

    referenced = {}
    for logical_id, body in old.resources.items():
        for target in references(body):
            referenced.setdefault(target, set()).add(logical_id)
    leaves = [lid for lid in old.resources
              if lid not in referenced and "Condition" not in old.resources[lid]]
    changeable = [lid for lid in old.resources
                  if "Condition" not in old.resources[lid] and lid != "SharedSecurityGroup"]

    budget = max(5, round(n * CHANGE_FRACTION))
    n_add = max(1, round(budget * 0.12))
    n_remove = max(1, round(budget * 0.12))
    n_replace = max(1, round(budget * 0.25))
    n_maybe = max(1, round(budget * 0.04))
    n_update = max(1, budget - n_add - n_remove - n_replace - n_maybe - 1)
    taken = set()

    def pick(candidates, count, accept):
        chosen = []
        pool = [c for c in candidates if c not in taken]
        rng.shuffle(pool)
        for lid in pool:
            if len(chosen) == count:
                break
            if accept(lid):
                chosen.append(lid)
                taken.add(lid)
        return chosen

    def props(lid):
        return new.resources[lid]["Properties"]

    # One type change: a leaf SNS topic or SSM parameter becomes another type.
    def retypable(lid):
        return old.resources[lid]["Type"] in ("AWS::SSM::Parameter", "AWS::SNS::Topic")
    for lid in pick(leaves, 1, retypable):
        if old.resources[lid]["Type"] == "AWS::SSM::Parameter":
            new.resources[lid] = {"Type": "AWS::SecretsManager::Secret", "Properties": {
                "Name": props(lid)["Name"], "Description": "Moved from Parameter Store",
                "SecretString": props(lid)["Value"]}}
        else:
            new.resources[lid] = {"Type": "AWS::SQS::Queue", "Properties": {
                "QueueName": props(lid)["TopicName"]}}
        expected[lid] = "will-replace"

    # Removals: leaves only, so nothing is left referring to them; one retained if any.
    removals = pick(leaves, 1, lambda lid: old.resources[lid].get("DeletionPolicy") == "Retain")
    removals += pick(leaves, n_remove - len(removals), lambda lid: True)
    for lid in removals:
        body = new.resources.pop(lid)
        expected[lid] = "will-orphan" if body.get("DeletionPolicy") == "Retain" else "will-destroy"
        for name in [o for o, out in new.outputs.items() if lid in references(out)]:
            del new.outputs[name]

    # Replacements and may-replacements: leaves whose property is a literal.
    def applicable(table, lid):
        body = new.resources[lid]
        return [(key, fn) for key, fn in table.get(body["Type"], [])
                if key in body["Properties"] or key in ("FifoQueue", "Iops")
                if literal_property(body["Properties"], key)]

    for lid in pick(leaves, n_maybe, lambda lid: applicable(MAY_REPLACE, lid)):
        key, fn = rng.choice(applicable(MAY_REPLACE, lid))
        fn(props(lid), rng)
        expected[lid] = "may-replace"
    for lid in pick(leaves, n_replace, lambda lid: applicable(REPLACEMENTS, lid)):
        key, fn = rng.choice(applicable(REPLACEMENTS, lid))
        fn(props(lid), rng)
        expected[lid] = "will-replace"
    for lid in pick(changeable, n_update, lambda lid: applicable(UPDATES, lid)):
        key, fn = rng.choice(applicable(UPDATES, lid))
        fn(props(lid), rng)
        expected[lid] = "will-update"

    # Additions: whole new units, counted in resources.
    before = set(new.resources)
    added = 0
    while added < n_add:
        if n_add - added >= 2:
            name = rng.choice(["storage", "queue", "parameter", "topic", "log_group"])
        else:
            name = rng.choice(["parameter", "topic", "log_group"])
        getattr(new, name)()
        added = len(set(new.resources) - before)
    for lid in set(new.resources) - before:
        expected[lid] = "will-create"

    # Output changes: one export renamed, one output removed, one description changed.
    stable = [name for name in new.outputs if name in old.outputs]
    rng.shuffle(stable)
    if len(stable) >= 3:
        renamed, removed, described = stable[:3]
        new.outputs[renamed]["Export"] = {"Name": sub("${AWS::StackName}-" + renamed + "V2")}
        del new.outputs[removed]
        new.outputs[described]["Description"] += " (deprecated)"
    return new, expected


def write_pair(n, outdir):
    rng = random.Random(f"stackshift-bench-{n}")
    old = build_old(n, rng)
    old_template = template_of(n, old)
    # The new template is built from a deep copy, so the old one stays as it was.
    old_yaml = to_yaml(old_template, f"stackshift benchmark pair-{n}: old template, {n} resources")
    new, expected = make_new(n, old, rng)
    new_template = template_of(n, new)
    counts = {}
    for impact in expected.values():
        counts[impact] = counts.get(impact, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    new_yaml = to_yaml(new_template, f"stackshift benchmark pair-{n}: new template; changes: {summary}")
    paths = {}
    for kind, text in (("old", old_yaml), ("new", new_yaml)):
        paths[kind] = os.path.join(outdir, f"pair-{n}.{kind}.yaml")
        with open(paths[kind], "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(outdir, f"pair-{n}.expected.tsv"), "w", encoding="utf-8") as f:
        for lid in sorted(expected):
            f.write(f"{lid}\t{expected[lid]}\n")
    return paths, len(old.resources), len(new.resources), summary


def main(argv):
    outdir = None
    sizes = DEFAULT_SIZES
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--sizes":
            sizes = tuple(int(s) for s in args.pop(0).split(","))
        elif arg.startswith("--sizes="):
            sizes = tuple(int(s) for s in arg.split("=", 1)[1].split(","))
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        elif outdir is None:
            outdir = arg
        else:
            print(f"gen_pairs.py: unexpected argument '{arg}'", file=sys.stderr)
            return 2
    if outdir is None:
        outdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pairs")
    os.makedirs(outdir, exist_ok=True)
    for n in sizes:
        if n < 20:
            print(f"gen_pairs.py: size {n} is too small; use 20 or more", file=sys.stderr)
            return 2
        paths, n_old, n_new, summary = write_pair(n, outdir)
        print(f"pair-{n}: {n_old} -> {n_new} resources ({summary}) in {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
