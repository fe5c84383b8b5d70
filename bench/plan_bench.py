#!/usr/bin/env python3
"""Whole-process time and peak memory of `stackshift plan`.

Cases: the bundled example (3.14.2 -> 3.15.1, and 3.14.2 -> 3.30.2 in three hops) and a
generated deployment of 300 stacks over two releases (every stack's template changes: a new
parameter, an image moved, a property changed). Targets (issue 4): the example under 50 ms and
64 MB, 300 stacks under 1 s. Prints one line per case: median and best wall time over RUNS
runs, and the peak resident set size of the largest run.

usage: bench/plan_bench.py STACKSHIFT_BINARY [RUNS]
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STACKS = 300


def template(index, version):
    image = f"docker.io/example/app:{version}-aws"
    extra = "\n  Extra: {Type: String, Default: on}" if version == "2.0.0" else ""
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: generated stack {index}
Parameters:
  Image: {{Type: String, Default: {image}}}
  Size: {{Type: Number, Default: 2, MinValue: 1, MaxValue: 8}}{extra}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: {30 if version == "1.0.0" else 60}
      Tags: [{{Key: image, Value: !Ref Image}}]
  Topic:
    Type: AWS::SNS::Topic
    Properties: {{DisplayName: !Sub "stack-{index}-${{Size}}"}}
  Subscription:
    Type: AWS::SNS::Subscription
    Properties: {{Protocol: sqs, TopicArn: !Ref Topic, Endpoint: !GetAtt Queue.Arn}}
Outputs:
  QueueUrl: {{Value: !Ref Queue}}
"""


def generate(root):
    """Release folders 1.0.0 and 2.0.0 (with the changelog a plan requires) and a snapshot of a
    deployment at 1.0.0."""
    stacks = []
    for version in ("1.0.0", "2.0.0"):
        os.makedirs(os.path.join(root, "releases", version), exist_ok=True)
    for i in range(STACKS):
        major, minor = 1 + i // 10, 1 + i % 10
        tid = f"{major}-{minor}-part{i}"
        for version in ("1.0.0", "2.0.0"):
            with open(os.path.join(root, "releases", version, tid + ".yaml"), "w") as f:
                f.write(template(i, version))
        stacks.append({"name": f"load-{tid}", "status": "UPDATE_COMPLETE",
                       "parameters": {"Image": "docker.io/example/app:1.0.0-aws", "Size": "2"},
                       "noEcho": [], "outputs": {"QueueUrl": f"https://sqs/{i}"}, "tags": {},
                       "templateBody": template(i, "1.0.0")})
    with open(os.path.join(root, "releases", "2.0.0", "UPGRADING.md"), "w") as f:
        f.write("# Upgrading\n\n## 2.0.0\n\n- Every template has a new parameter `Extra`.\n\n## 1.0.0\n")
    snapshot = {"format": "stackshift-deployment/1", "region": "eu-west-1", "version": "1.0.0", "stacks": stacks}
    path = os.path.join(root, "deployment.json")
    with open(path, "w") as f:
        json.dump(snapshot, f)
    return path


def measure(binary, args, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 3):
            sys.exit(f"stackshift {' '.join(args)} failed ({done.returncode}): {done.stderr.decode()}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return statistics.median(times), min(times), peak_kib


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    example = ["plan", "--deployment", os.path.join(ROOT, "examples/deployment/acme-prod-3.14.2.json"),
               "--releases", os.path.join(ROOT, "examples/releases"), "--output", "json"]
    with tempfile.TemporaryDirectory() as tmp:
        deployment = generate(tmp)
        cases = [
            ("example 3.14.2 -> 3.15.1", example + ["--to", "3.15.1"]),
            ("example 3.14.2 -> 3.30.2 (3 hops)", example + ["--to", "3.30.2"]),
            (f"generated {STACKS} stacks 1.0.0 -> 2.0.0",
             ["plan", "--deployment", deployment, "--releases", os.path.join(tmp, "releases"), "--to", "2.0.0",
              "--product", "numbered-stacks", "--output", "json"]),
        ]
        print(f"{'case':40} {'median':>10} {'best':>10} {'peak RSS':>10}")
        for name, args in cases:
            median, best, peak = measure(binary, args, runs)
            print(f"{name:40} {median * 1000:8.1f} ms {best * 1000:8.1f} ms {peak / 1024:7.1f} MiB")


if __name__ == "__main__":
    main()
