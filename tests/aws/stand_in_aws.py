#!/usr/bin/env python3
"""A stand-in for the AWS APIs stackshift's AWS backend calls, for tests of the real AWS CLI v2.

Listens on 127.0.0.1 on a free port, prints the port on the first line of stdout, and serves
until it is terminated. Every request is checked as AWS would receive it from the CLI: the
protocol (the query protocol, form-encoded Action=...&Version=..., for CloudFormation, EC2 and
Auto Scaling and RDS; JSON 1.1 with X-Amz-Target for ECS and CloudWatch Logs), the SigV4 credential
scope naming the service, the action and its parameters. A request that is not as expected is
answered with the error "StandInRejected", so the test that made it fails. Every request is
appended to the log file (argument 1) as one JSON line: {"service", "action", "params"}.

The answers are shaped as the botocore service models document them (XML for the query
services, JSON for the JSON services). The world is fixed, made for the tests in
aws_cli_test.cpp: stacks with a YAML and a JSON template, two pages of stacks, of change set
changes, of stack events and of tasks, throttling then success, service errors.

Standard library only.
"""

import hashlib
import http.server
import json
import sys
import threading
import urllib.parse
from xml.sax.saxutils import escape

ACCOUNT = "123456789012"
REGION = "eu-west-1"
CFN_NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/"
RDS_NS = "http://rds.amazonaws.com/doc/2014-10-31/"
QUERY_VERSIONS = {"2010-05-15": "cloudformation", "2016-11-15": "ec2", "2011-01-01": "autoscaling",
                  "2014-10-31": "rds"}
JSON_TARGETS = {"AmazonEC2ContainerServiceV20141113": "ecs", "Logs_20140328": "logs"}
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
EMPTY_REASON = ("The submitted information didn't contain changes. "
                "Submit different information to create a change set.")

YAML_BODY = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name: {Type: String}
  Subnets: {Type: String}
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
Outputs:
  VpcId: {Value: !Ref VPC}
"""
JSON_BODY = json.dumps({
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"DBPassword": {"Type": "String", "NoEcho": True},
                   "InstanceType": {"Type": "String", "Default": "m5.large"}},
    "Resources": {"Volume": {"Type": "AWS::EC2::Volume",
                             "Properties": {"Size": 10, "AvailabilityZone": "eu-west-1a"}}},
}, indent=2)


def stack_arn(name):
    return "arn:aws:cloudformation:%s:%s:stack/%s/0f1e2d3c-0000-4000-8000-%012d" % (
        REGION, ACCOUNT, name, abs(hash(name)) % 10**12)


STACKS = {
    "acme-1-1-vpc": {"status": "UPDATE_COMPLETE", "body": YAML_BODY, "updated": "2026-12-01T10:00:00.123Z",
                     "parameters": {"Name": "acme", "Subnets": "subnet-1,subnet-2"},
                     "outputs": {"VpcId": "vpc-0abc"}, "tags": {"Owner": "ops"}},
    "acme-2-1-db": {"status": "CREATE_COMPLETE", "body": JSON_BODY,
                    "parameters": {"DBPassword": "****", "InstanceType": "m5.large"},
                    "outputs": {"VolumeId": "vol-0aaa", "InstanceId": "i-0aaa"}, "tags": {},
                    "resources": [("PgData", "vol-0aaa", "AWS::EC2::Volume", "CREATE_COMPLETE"),
                                  ("DbHost", "i-0aaa", "AWS::EC2::Instance", "UPDATE_COMPLETE"),
                                  ("Pending", None, "AWS::EC2::VolumeAttachment", "CREATE_IN_PROGRESS")]},
    "other-9-9-tools": {"status": "CREATE_COMPLETE", "body": YAML_BODY,
                        "parameters": {}, "outputs": {}, "tags": {}},
    "throttled-stack": {"status": "CREATE_COMPLETE", "body": YAML_BODY,
                        "parameters": {}, "outputs": {}, "tags": {}},
}
LISTED = ["acme-1-1-vpc", "acme-2-1-db", "other-9-9-tools"]  # DescribeStacks without a name: two pages

# Stack events, newest first as AWS lists them: two pages.
EVENTS = [("e5", "acme-1-1-vpc", "UPDATE_COMPLETE", "2024-05-01T10:00:50Z"),
          ("e4", "VPC", "UPDATE_COMPLETE", "2024-05-01T10:00:40Z"),
          ("e3", "VPC", "UPDATE_IN_PROGRESS", "2024-05-01T10:00:30Z"),
          ("e2", "acme-1-1-vpc", "UPDATE_IN_PROGRESS", "2024-05-01T10:00:20Z"),
          ("e1", "acme-1-1-vpc", "CREATE_COMPLETE", "2024-05-01T09:00:00.250000+00:00")]

TASK_ARN = "arn:aws:ecs:%s:%s:task/acme-cluster/abc123" % (REGION, ACCOUNT)
TASK_DEFINITION_ARN = "arn:aws:ecs:%s:%s:task-definition/acme-ops:7" % (REGION, ACCOUNT)

state_lock = threading.Lock()
counters = {}


def count(key):
    with state_lock:
        counters[key] = counters.get(key, 0) + 1
        return counters[key]


class ApiError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def reject(message):
    raise ApiError("StandInRejected", message)


def require(params, key, expected=None):
    if key not in params:
        reject("missing parameter %s" % key)
    if expected is not None and params[key] != expected:
        reject("parameter %s is %r, expected %r" % (key, params[key], expected))
    return params[key]


def members(params, prefix):
    """Query-protocol lists: Prefix.member.1, Prefix.member.2, ... in order."""
    out, i = [], 1
    while "%s.member.%d" % (prefix, i) in params:
        out.append(params["%s.member.%d" % (prefix, i)])
        i += 1
    return out


def ec2_list(params, name):
    """EC2-protocol lists: Name.1, Name.2, ..."""
    out, i = [], 1
    while "%s.%d" % (name, i) in params:
        out.append(params["%s.%d" % (name, i)])
        i += 1
    return out


def x(tag, value):
    return "<%s>%s</%s>" % (tag, escape(str(value)), tag)


def member_list(tag, items):
    return "<%s>%s</%s>" % (tag, "".join("<member>%s</member>" % i for i in items), tag)


def item_set(tag, items):
    return "<%s>%s</%s>" % (tag, "".join("<item>%s</item>" % i for i in items), tag)


# ---- CloudFormation (query protocol) -----------------------------------------------------

def stack_xml(name):
    s = STACKS[name]
    return "".join([
        x("StackId", stack_arn(name)), x("StackName", name), x("CreationTime", "2024-01-01T00:00:00Z"),
        x("StackStatus", s["status"]),
        # DescribeStacks gives LastUpdatedTime only for a stack updated since it was created.
        x("LastUpdatedTime", s["updated"]) if "updated" in s else "",
        member_list("Parameters", [x("ParameterKey", k) + x("ParameterValue", v) for k, v in s["parameters"].items()]),
        member_list("Outputs", [x("OutputKey", k) + x("OutputValue", v) for k, v in s["outputs"].items()]),
        member_list("Tags", [x("Key", k) + x("Value", v) for k, v in s["tags"].items()]),
    ])


def check_parameters(p):
    """Parameters.member.N: a key with a value or UsePreviousValue=true, never both."""
    i = 1
    while "Parameters.member.%d.ParameterKey" % i in p:
        base = "Parameters.member.%d." % i
        previous = p.get(base + "UsePreviousValue")
        if previous not in (None, "true"):
            reject("%sUsePreviousValue is %r" % (base, previous))
        if previous == "true" and base + "ParameterValue" in p:
            reject("%s has both a value and UsePreviousValue" % base)
        if previous is None and base + "ParameterValue" not in p:
            reject("%s has neither a value nor UsePreviousValue" % base)
        i += 1


def cloudformation(action, p):
    if action == "DescribeStacks":
        name = p.get("StackName")
        if name is None:
            token = p.get("NextToken")
            if token is None:
                return member_list("Stacks", [stack_xml(LISTED[0])]) + x("NextToken", "stacks-page-2")
            if token != "stacks-page-2":
                reject("NextToken %r" % token)
            return member_list("Stacks", [stack_xml(n) for n in LISTED[1:]])
        if name == "throttled-stack" and count("throttled-stack") <= 2:
            raise ApiError("Throttling", "Rate exceeded")
        if name == "always-throttled":
            raise ApiError("Throttling", "Rate exceeded")
        if name == "denied-stack":
            raise ApiError("AccessDenied", "User: arn:aws:iam::%s:user/ops is not authorized to perform: "
                           "cloudformation:DescribeStacks on resource: denied-stack" % ACCOUNT, 403)
        if name == "expired-stack":
            raise ApiError("ExpiredToken", "The security token included in the request is expired")
        if name not in STACKS:
            raise ApiError("ValidationError", "Stack with id %s does not exist" % name)
        return member_list("Stacks", [stack_xml(name)])
    if action == "DescribeStackResources":
        name = require(p, "StackName")
        if name not in STACKS:
            raise ApiError("ValidationError", "Stack with id %s does not exist" % name)
        return member_list("StackResources", [
            x("StackName", name) + x("StackId", stack_arn(name)) + x("LogicalResourceId", logical)
            + (x("PhysicalResourceId", physical) if physical else "") + x("ResourceType", kind)
            + x("Timestamp", "2024-01-01T00:00:00Z") + x("ResourceStatus", status)
            for logical, physical, kind, status in STACKS[name].get("resources", [])])
    if action == "GetTemplate":
        name = require(p, "StackName")
        require(p, "TemplateStage", "Original")
        if name not in STACKS:
            raise ApiError("ValidationError", "Stack with id %s does not exist" % name)
        return x("TemplateBody", STACKS[name]["body"]) + member_list("StagesAvailable", ["Original", "Processed"])
    if action == "CreateChangeSet":
        name = require(p, "StackName")
        change_set = require(p, "ChangeSetName")
        if p.get("ChangeSetType") not in ("UPDATE", "CREATE"):
            reject("ChangeSetType %r" % p.get("ChangeSetType"))
        if ("TemplateBody" in p) == (p.get("UsePreviousTemplate") == "true"):
            reject("give exactly one of TemplateBody and UsePreviousTemplate")
        if members(p, "Capabilities") != CAPABILITIES:
            reject("Capabilities %r" % members(p, "Capabilities"))
        check_parameters(p)
        if change_set == "limit-hit":
            raise ApiError("LimitExceededException", "ChangeSet limit exceeded for stack [%s]" % name)
        return x("Id", "arn:aws:cloudformation:%s:%s:changeSet/%s/5a6b7c8d-0000-4000-8000-000000000001" % (
            REGION, ACCOUNT, change_set)) + x("StackId", stack_arn(name))
    if action == "DescribeChangeSet":
        change_set = require(p, "ChangeSetName")
        arn = change_set.startswith("arn:")
        if arn and "StackName" in p:
            reject("a change set named by its ARN needs no StackName")
        if not arn and "StackName" not in p:
            reject("a change set named by its name needs the StackName")
        name = change_set.split("/")[1] if arn else change_set
        return describe_change_set(name, p.get("NextToken"))
    if action in ("ExecuteChangeSet", "DeleteChangeSet"):
        change_set = require(p, "ChangeSetName")
        if change_set.endswith("missing") or "/missing/" in change_set:
            raise ApiError("ChangeSetNotFound", "ChangeSet [%s] does not exist" % change_set, 404)
        return ""
    if action == "UpdateStack":
        name = require(p, "StackName")
        require(p, "UsePreviousTemplate", "true")
        if members(p, "Capabilities") != CAPABILITIES:
            reject("Capabilities %r" % members(p, "Capabilities"))
        check_parameters(p)
        if name == "acme-2-1-db":
            raise ApiError("ValidationError", "No updates are to be performed.")
        return x("StackId", stack_arn(name))
    if action == "DeleteStack":
        require(p, "StackName")
        return None  # DeleteStack has no output: the CLI prints nothing
    if action == "DescribeStackEvents":
        name = require(p, "StackName")
        if name != "acme-1-1-vpc":
            raise ApiError("ValidationError", "Stack [%s] does not exist" % name)
        token = p.get("NextToken")
        if token not in (None, "events-page-2"):
            reject("NextToken %r" % token)
        page = EVENTS[:3] if token is None else EVENTS[3:]
        events = [x("StackId", stack_arn(name)) + x("EventId", e) + x("StackName", name) + x("LogicalResourceId", logical)
                  + x("PhysicalResourceId", "vpc-0abc" if logical == "VPC" else stack_arn(name))
                  + x("ResourceType", "AWS::EC2::VPC" if logical == "VPC" else "AWS::CloudFormation::Stack")
                  + x("Timestamp", stamp) + x("ResourceStatus", status)
                  + (x("ResourceStatusReason", "User Initiated") if e == "e2" else "")
                  for e, logical, status, stamp in page]
        return member_list("StackEvents", events) + (x("NextToken", "events-page-2") if token is None else "")
    if action in DRIFT_ACTIONS:
        return DRIFT_ACTIONS[action](p)
    reject("unexpected CloudFormation action %s" % action)


# Drift: acme-1-1-vpc is in sync; acme-2-1-db's volume was resized by hand, and its answer comes
# in two pages. The detection is in progress at the first status call, complete at the next.
def detect_stack_drift(p):
    name = require(p, "StackName")
    if name not in STACKS:
        raise ApiError("ValidationError", "Stack with id %s does not exist" % name)
    return x("StackDriftDetectionId", "d0000000-0000-4000-8000-%012d" % (sorted(STACKS).index(name) + 1))


def describe_stack_drift_detection_status(p):
    detection = require(p, "StackDriftDetectionId")
    name = sorted(STACKS)[int(detection[-12:]) - 1]
    done = count("drift-status-" + detection) > 1
    drifted = 1 if name == "acme-2-1-db" else 0
    return (x("StackId", stack_arn(name)) + x("StackDriftDetectionId", detection)
            + x("DetectionStatus", "DETECTION_COMPLETE" if done else "DETECTION_IN_PROGRESS")
            + (x("StackDriftStatus", "DRIFTED" if drifted else "IN_SYNC") + x("DriftedStackResourceCount", drifted)
               if done else "")
            + x("Timestamp", "2024-05-01T10:00:00Z"))


def resource_drift_xml(name, logical, physical, kind, status, differences=()):
    diffs = "".join("<member>" + x("PropertyPath", path) + x("ExpectedValue", expected) + x("ActualValue", actual)
                    + x("DifferenceType", "NOT_EQUAL") + "</member>" for path, expected, actual in differences)
    return ("<member>" + x("StackId", stack_arn(name)) + x("LogicalResourceId", logical) + x("PhysicalResourceId", physical)
            + x("ResourceType", kind) + x("StackResourceDriftStatus", status) + x("Timestamp", "2024-05-01T10:00:00Z")
            + ("<PropertyDifferences>%s</PropertyDifferences>" % diffs if diffs else "") + "</member>")


def describe_stack_resource_drifts(p):
    name = require(p, "StackName")
    token = p.get("NextToken")
    page = "<StackResourceDrifts>%s</StackResourceDrifts>"
    if name != "acme-2-1-db":
        return page % ""
    if token is None:
        return (page % resource_drift_xml(name, "PgData", "vol-0aaa", "AWS::EC2::Volume", "MODIFIED", [("/Size", "10", "20")])
                + x("NextToken", "drifts-page-2"))
    if token != "drifts-page-2":
        reject("NextToken %r" % token)
    return page % resource_drift_xml(name, "DbHost", "i-0aaa", "AWS::EC2::Instance", "IN_SYNC")


DRIFT_ACTIONS = {"DetectStackDrift": detect_stack_drift,
                 "DescribeStackDriftDetectionStatus": describe_stack_drift_detection_status,
                 "DescribeStackResourceDrifts": describe_stack_resource_drifts}


def change_detail(attribute, evaluation, source, name=None, recreation=None, entity=None):
    """A ResourceChangeDetail: its Target (Name and RequiresRecreation only where AWS gives them)."""
    target = x("Attribute", attribute)
    if name:
        target += x("Name", name)
    if recreation:
        target += x("RequiresRecreation", recreation)
    body = "<Target>%s</Target>" % target + x("Evaluation", evaluation) + x("ChangeSource", source)
    if entity:
        body += x("CausingEntity", entity)
    return body


def resource_change(action, logical, kind, replacement=None, physical=None, scope=(), policy=None, details=()):
    body = x("Action", action) + x("LogicalResourceId", logical) + x("ResourceType", kind)
    if policy:
        body += x("PolicyAction", policy)
    if physical:
        body += x("PhysicalResourceId", physical)
    if replacement:
        body += x("Replacement", replacement)
    if scope:
        body += "<Scope>%s</Scope>" % "".join("<member>%s</member>" % s for s in scope)
    if details:
        body += member_list("Details", details)
    return "<member>%s%s</member>" % (x("Type", "Resource"), "<ResourceChange>%s</ResourceChange>" % body)


def describe_change_set(name, token):
    head = (x("ChangeSetName", name)
            + x("ChangeSetId", "arn:aws:cloudformation:%s:%s:changeSet/%s/5a6b7c8d-0000-4000-8000-000000000001" % (
                REGION, ACCOUNT, name))
            + x("StackId", stack_arn("acme-2-1-db")) + x("StackName", "acme-2-1-db")
            + x("CreationTime", "2024-05-01T10:00:00Z"))
    if name == "cs-empty":
        return head + x("ExecutionStatus", "UNAVAILABLE") + x("Status", "FAILED") + x("StatusReason", EMPTY_REASON) + "<Changes/>"
    if name == "cs-volume":
        head += (x("ExecutionStatus", "AVAILABLE") + x("Status", "CREATE_COMPLETE")
                 + member_list("Parameters", [x("ParameterKey", "DBPassword") + x("ParameterValue", "****")
                                              + x("UsePreviousValue", "true"),
                                              x("ParameterKey", "InstanceType") + x("ParameterValue", "m5.xlarge")]))
        if token is None:
            return head + "<Changes>%s</Changes>" % resource_change(
                "Modify", "Instance", "AWS::EC2::Instance", "False", "i-0aaa", ("Metadata",),
                details=[change_detail("Metadata", "Static", "DirectModification")]) + x("NextToken", "changes-page-2")
        if token != "changes-page-2":
            reject("NextToken %r" % token)
        return head + "<Changes>%s%s%s%s</Changes>" % (
            resource_change("Modify", "Volume", "AWS::EC2::Volume", "True", "vol-0aaa", ("Tags", "Properties"),
                            "ReplaceAndDelete",
                            [change_detail("Properties", "Static", "DirectModification", "AvailabilityZone", "Always"),
                             change_detail("Tags", "Static", "ParameterReference", recreation="Never", entity="Team")]),
            resource_change("Modify", "Role", "AWS::IAM::Role", "Conditional", "acme-role", ("Properties",),
                            details=[change_detail("Properties", "Dynamic", "ResourceAttribute", "RoleName",
                                                   "Always", "Instance.PrivateIp"),
                                     change_detail("Properties", "Static", "ResourceReference", "Policies",
                                                   "Never", "Instance")]),
            resource_change("Add", "Alarm", "AWS::CloudWatch::Alarm"),
            resource_change("Remove", "OldQueue", "AWS::SQS::Queue", None, "https://sqs/old", policy="Retain"))
    raise ApiError("ChangeSetNotFound", "ChangeSet [%s] does not exist" % name, 404)


# ---- EC2 (ec2 protocol) and Auto Scaling (query protocol) --------------------------------

def instance_xml(instance_id, state):
    return (x("instanceId", instance_id) + x("instanceType", "m5.large")
            + "<instanceState>%s%s</instanceState>" % (x("code", 16), x("name", state))
            + item_set("blockDeviceMapping", [x("deviceName", "/dev/xvda") + "<ebs>%s%s</ebs>" % (
                x("volumeId", "vol-" + instance_id[2:]), x("status", "attached"))])
            + item_set("tagSet", [x("key", "aws:cloudformation:stack-name") + x("value", "acme-2-1-db")]))


def snapshot_xml(snapshot_id, state, progress, description):
    return (x("snapshotId", snapshot_id) + x("volumeId", "vol-0aaa") + x("status", state)
            + x("startTime", "2024-05-01T10:00:00.000Z") + x("progress", progress) + x("ownerId", ACCOUNT)
            + x("volumeSize", 10) + x("description", description) + x("encrypted", "false"))


def ec2(action, p):
    if action == "DescribeInstances":
        ids = ec2_list(p, "InstanceId")
        if ids == ["i-missing"]:
            raise ApiError("InvalidInstanceID.NotFound", "The instance ID 'i-missing' does not exist")
        if ids:
            return item_set("reservationSet", [x("reservationId", "r-1") + item_set(
                "instancesSet", [instance_xml(i, "running") for i in ids])])
        token = p.get("NextToken")
        if token is None:
            return item_set("reservationSet", [x("reservationId", "r-1") + item_set(
                "instancesSet", [instance_xml("i-0aaa", "running")])]) + x("nextToken", "instances-page-2")
        if token != "instances-page-2":
            reject("NextToken %r" % token)
        return item_set("reservationSet", [x("reservationId", "r-2") + item_set(
            "instancesSet", [instance_xml("i-0bbb", "stopped")])])
    if action == "TerminateInstances":
        ids = ec2_list(p, "InstanceId")
        if not ids:
            reject("no InstanceId.1")
        return item_set("instancesSet", [x("instanceId", i) + "<currentState>%s%s</currentState>" % (
            x("code", 32), x("name", "shutting-down")) + "<previousState>%s%s</previousState>" % (
            x("code", 16), x("name", "running")) for i in ids])
    if action == "CreateSnapshot":
        require(p, "VolumeId", "vol-0aaa")
        return snapshot_xml("snap-0new", "pending", "", require(p, "Description"))
    if action == "DescribeSnapshots":
        ids = ec2_list(p, "SnapshotId")
        if ids:
            return item_set("snapshotSet", [snapshot_xml(i, "completed", "100%", "stackshift") for i in ids])
        if ec2_list(p, "Owner") != ["self"]:
            reject("Owner %r" % ec2_list(p, "Owner"))
        filters = {}
        i = 1
        while "Filter.%d.Name" % i in p:
            filters[p["Filter.%d.Name" % i]] = ec2_list(p, "Filter.%d.Value" % i)
            i += 1
        if filters != {"volume-id": ["vol-0aaa"], "description": ["stackshift h1-04 1a2b3c4d"]}:
            reject("Filters %r" % filters)
        return item_set("snapshotSet", [snapshot_xml("snap-0old", "completed", "100%", "stackshift h1-04 1a2b3c4d")])
    reject("unexpected EC2 action %s" % action)


# ---- RDS (query protocol) -----------------------------------------------------------------

def cluster_snapshot_xml(snapshot_id, cluster_id, status, progress):
    return (x("DBClusterSnapshotIdentifier", snapshot_id) + x("DBClusterIdentifier", cluster_id)
            + x("SnapshotCreateTime", "2024-05-01T10:00:00.000Z") + x("Engine", "aurora-postgresql")
            + x("Status", status) + x("PercentProgress", progress) + x("SnapshotType", "manual")
            + x("DBClusterSnapshotArn", "arn:aws:rds:%s:%s:cluster-snapshot:%s" % (REGION, ACCOUNT, snapshot_id)))


def rds(action, p):
    if action == "CreateDBClusterSnapshot":
        cluster = require(p, "DBClusterIdentifier")
        snapshot = require(p, "DBClusterSnapshotIdentifier")
        if cluster != "acme-aurora":
            raise ApiError("DBClusterNotFoundFault", "DBCluster %s not found." % cluster, 404)
        if snapshot == "taken-before":
            raise ApiError("DBClusterSnapshotAlreadyExistsFault", "Cannot create the cluster snapshot because one "
                           "with the identifier taken-before already exists.")
        return "<DBClusterSnapshot>%s</DBClusterSnapshot>" % cluster_snapshot_xml(snapshot, cluster, "creating", 0)
    if action == "DescribeDBClusterSnapshots":
        snapshot = require(p, "DBClusterSnapshotIdentifier")
        if snapshot == "missing-snapshot":
            raise ApiError("DBClusterSnapshotNotFoundFault", "DBClusterSnapshot missing-snapshot not found.", 404)
        return "<DBClusterSnapshots><DBClusterSnapshot>%s</DBClusterSnapshot></DBClusterSnapshots>" % (
            cluster_snapshot_xml(snapshot, "acme-aurora", "available", 100))
    reject("unexpected RDS action %s" % action)


def autoscaling(action, p):
    if action == "DescribeAutoScalingGroups":
        names = members(p, "AutoScalingGroupNames")
        if names != ["acme-asg"]:
            reject("AutoScalingGroupNames %r" % names)
        group = (x("AutoScalingGroupName", "acme-asg") + x("LaunchConfigurationName", "acme-lc-2")
                 + x("MinSize", 1) + x("MaxSize", 3) + x("DesiredCapacity", 2) + x("DefaultCooldown", 300)
                 + member_list("AvailabilityZones", ["eu-west-1a"]) + x("HealthCheckType", "EC2")
                 + x("CreatedTime", "2024-01-01T00:00:00Z")
                 + member_list("Instances", [x("InstanceId", i) + x("AvailabilityZone", "eu-west-1a")
                                             + x("LifecycleState", "InService") + x("HealthStatus", "Healthy")
                                             + x("ProtectedFromScaleIn", "false") for i in ("i-0aaa", "i-0bbb")]))
        return member_list("AutoScalingGroups", [group])
    reject("unexpected Auto Scaling action %s" % action)


# ---- ECS and CloudWatch Logs (JSON 1.1) --------------------------------------------------

def ecs(action, b):
    if action == "RunTask":
        expected = {"cluster": "acme-cluster", "taskDefinition": "acme-ops:7", "launchType": "FARGATE", "count": 1,
                    "startedBy": "stackshift-1a2b3c4d-00c0ffee-1",
                    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1", "subnet-2"],
                                                                     "securityGroups": ["sg-1"]}},
                    "overrides": {"containerOverrides": [{"name": "ttes",
                                                          "command": ["tti-lw-stack", "is-db", "migrate"]}]}}
        if b.get("cluster") == "full-cluster":
            return {"tasks": [], "failures": [{"arn": "arn:aws:ecs:%s:%s:container-instance/x" % (REGION, ACCOUNT),
                                               "reason": "RESOURCE:ENI", "detail": "no free network interfaces"}]}
        if b != expected:
            reject("RunTask request %s, expected %s" % (json.dumps(b, sort_keys=True), json.dumps(expected, sort_keys=True)))
        return {"tasks": [{"taskArn": TASK_ARN, "clusterArn": "arn:aws:ecs:%s:%s:cluster/acme-cluster" % (REGION, ACCOUNT),
                           "taskDefinitionArn": TASK_DEFINITION_ARN, "lastStatus": "PROVISIONING",
                           "desiredStatus": "RUNNING", "createdAt": 1714557600.0}], "failures": []}
    if action == "DescribeTasks":
        if b.get("cluster") != "acme-cluster" or not b.get("tasks"):
            reject("DescribeTasks request %s" % json.dumps(b))
        return {"tasks": [{"taskArn": arn, "taskDefinitionArn": TASK_DEFINITION_ARN, "lastStatus": "STOPPED",
                           "desiredStatus": "STOPPED", "stoppedReason": "Essential container in task exited",
                           "stoppedAt": 1714557700.5,
                           "containers": [{"name": "sidecar", "exitCode": 0, "lastStatus": "STOPPED"},
                                          {"name": "ttes", "exitCode": 3, "lastStatus": "STOPPED"}]}
                          for arn in b["tasks"]], "failures": []}
    if action == "ListTasks":
        if b.get("cluster") != "acme-cluster" or b.get("startedBy") != "stackshift-token":
            reject("ListTasks request %s" % json.dumps(b))
        status = b.get("desiredStatus")
        arn = "arn:aws:ecs:%s:%s:task/acme-cluster/" % (REGION, ACCOUNT)
        if status == "RUNNING":
            return {"taskArns": [arn + "run1"]}
        if status != "STOPPED":
            reject("desiredStatus %r" % status)
        if b.get("nextToken") is None:
            return {"taskArns": [arn + "stop1"], "nextToken": "tasks-page-2"}
        if b["nextToken"] != "tasks-page-2":
            reject("nextToken %r" % b["nextToken"])
        return {"taskArns": [arn + "stop2"]}
    if action == "DescribeTaskDefinition":
        if b != {"taskDefinition": TASK_DEFINITION_ARN}:
            reject("DescribeTaskDefinition request %s" % json.dumps(b))
        return {"taskDefinition": {"taskDefinitionArn": TASK_DEFINITION_ARN, "family": "acme-ops", "revision": 7,
                                   "status": "ACTIVE",
                                   "containerDefinitions": [
                                       {"name": "sidecar", "image": "busybox"},
                                       {"name": "ttes", "image": "thethingsindustries/lorawan-stack:3.30.2-aws",
                                        "logConfiguration": {"logDriver": "awslogs", "options": {
                                            "awslogs-group": "/ecs/acme-ops", "awslogs-region": REGION,
                                            "awslogs-stream-prefix": "ops"}}}]}}
    reject("unexpected ECS action %s" % action)


def logs(action, b):
    if action == "GetLogEvents":
        expected = {"logGroupName": "/ecs/acme-ops", "logStreamName": "ops/ttes/abc123", "limit": 50}
        if b != expected:
            reject("GetLogEvents request %s, expected %s" % (json.dumps(b, sort_keys=True), json.dumps(expected, sort_keys=True)))
        return {"events": [{"timestamp": 1714557650000, "message": "migrating is-db\n", "ingestionTime": 1714557651000},
                           {"timestamp": 1714557660000, "message": "error: relation \"x\" does not exist",
                            "ingestionTime": 1714557661000}],
                "nextForwardToken": "f/1", "nextBackwardToken": "b/1"}
    reject("unexpected CloudWatch Logs action %s" % action)


# ---- HTTP --------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log_file = None

    def log_message(self, *args):
        pass

    def scope_service(self):
        auth = self.headers.get("Authorization", "")
        # AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...
        try:
            scope = auth.split("Credential=")[1].split(",")[0].split("/")
            return scope[2], scope[3]
        except IndexError:
            return None, None

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        target = self.headers.get("X-Amz-Target")
        region, signed_for = self.scope_service()
        service = None
        try:
            if target:
                service = JSON_TARGETS.get(target.split(".")[0])
                action = target.split(".")[-1]
                if service is None:
                    reject("unknown X-Amz-Target %s" % target)
                if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
                    reject("Content-Type %r for a JSON 1.1 service" % self.headers.get("Content-Type"))
                params = json.loads(body or "{}")
            else:
                if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                    reject("Content-Type %r for a query service" % self.headers.get("Content-Type"))
                params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                action = params.pop("Action", None)
                service = QUERY_VERSIONS.get(params.pop("Version", None))
                if action is None or service is None:
                    reject("a query request needs Action and a known Version")
            self.record(service, action, params)
            if signed_for != service or region != REGION:
                reject("signed for %s in %s, sent to %s in %s" % (signed_for, region, service, REGION))
            self.answer(service, action, params)
        except ApiError as e:
            self.error(service, target, e)

    def record(self, service, action, params):
        logged = dict(params)
        if "TemplateBody" in logged:  # long: the length and digest say enough
            text = logged["TemplateBody"]
            logged["TemplateBody"] = "%d bytes sha256 %s" % (len(text.encode()), hashlib.sha256(text.encode()).hexdigest())
        with state_lock, open(self.log_file, "a") as log:
            log.write(json.dumps({"service": service, "action": action, "params": logged}) + "\n")

    def answer(self, service, action, params):
        if service in ("ecs", "logs"):
            result = (ecs if service == "ecs" else logs)(action, params)
            return self.send(200, "application/x-amz-json-1.1", json.dumps(result))
        if service == "ec2":
            inner = ec2(action, params)
            return self.send(200, "text/xml", '<?xml version="1.0" encoding="UTF-8"?><%sResponse xmlns="%s">%s%s</%sResponse>' % (
                action, EC2_NS, x("requestId", "req-1"), inner, action))
        handler, namespace = {"cloudformation": (cloudformation, CFN_NS), "rds": (rds, RDS_NS)}.get(
            service, (autoscaling, ASG_NS))
        inner = handler(action, params)
        result = "" if inner is None else "<%sResult>%s</%sResult>" % (action, inner, action)
        self.send(200, "text/xml", '<%sResponse xmlns="%s">%s<ResponseMetadata>%s</ResponseMetadata></%sResponse>' % (
            action, namespace, result, x("RequestId", "req-1"), action))

    def error(self, service, target, e):
        if target:
            return self.send(e.status, "application/x-amz-json-1.1", json.dumps({"__type": e.code, "message": e.message}))
        if service == "ec2":
            return self.send(e.status, "text/xml", "<Response><Errors><Error>%s%s</Error></Errors>%s</Response>" % (
                x("Code", e.code), x("Message", e.message), x("RequestID", "req-1")))
        self.send(e.status, "text/xml", "<ErrorResponse><Error>%s%s%s</Error>%s</ErrorResponse>" % (
            x("Type", "Sender"), x("Code", e.code), x("Message", e.message), x("RequestId", "req-1")))

    def send(self, status, content_type, text):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "req-1")
        self.end_headers()
        self.wfile.write(data)


def main():
    Handler.log_file = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
