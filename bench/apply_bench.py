#!/usr/bin/env python3
"""The tool's own overhead on a full simulated upgrade, and API calls per stack update.

For each version pair of the bundled example, a fresh simulated world (`stackshift sim init`)
is upgraded with `stackshift apply --backend sim:STATE --yes`. Virtual time is free in the
simulator, so the wall time is stackshift's own work: planning, the journal (SQLite with
synchronous=FULL, one fsync per record), the simulator saving its state after every call, and
the executor. API calls come from `sim status --output json`; "per stack update" divides the
calls of the whole run by the stacks updated through change sets or UpdateStack.

Then the same upgrades rehearsed: `stackshift rehearse --deployment SNAPSHOT` plans, makes the
world in memory and runs the whole plan in it with no state file and a journal in memory, so its
wall time is planning and the executor alone. The verdict's JSON gives the virtual time and the
API calls.

usage: bench/apply_bench.py STACKSHIFT_BINARY [RUNS]
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAIRS = ["3.15.1", "3.24.2", "3.30.2"]


def values_file(to):
    """Every key of a values file must name a parameter of the plan's templates."""
    return "examples/values-3.15.1.yaml" if to == "3.15.1" else "examples/values-3.30.2.yaml"


def acknowledgements(to):
    """--allow-replace must name only what the plan endangers: the secret goes with 3.24.0."""
    names = ["acme-prod-2-5-db-timescale/Volume"]
    if to != "3.15.1":
        names.append("acme-prod-4-1-secrets/InteropTLSSecret")
    return [word for name in names for word in ("--allow-replace", name)]


def run(binary, args):
    return subprocess.run([binary] + args, capture_output=True, text=True, check=False)


def one(binary, to, folder):
    state = os.path.join(folder, "world.json")
    journal = os.path.join(folder, "journal.db")
    for path in (state, journal, journal + "-wal", journal + "-shm", journal + ".deployment.json"):
        if os.path.exists(path):
            os.remove(path)
    made = run(binary, ["sim", "init", "--deployment", os.path.join(ROOT, "examples/deployment/acme-prod-3.14.2.json"),
                        "--out", state])
    if made.returncode != 0:
        sys.exit(made.stderr)
    plan_args = ["--releases", os.path.join(ROOT, "examples/releases"), "--to", to, "--values", os.path.join(ROOT, values_file(to)),
                 *acknowledgements(to)]
    args = ["apply", "--backend", "sim:" + state, "--journal", journal, *plan_args, "--yes",
            *confirmations(binary, state, plan_args)]
    start = time.perf_counter()
    applied = run(binary, args)
    wall = time.perf_counter() - start
    if applied.returncode != 0:
        sys.exit(applied.stdout + applied.stderr)
    status = json.loads(run(binary, ["sim", "status", state, "--output", "json"]).stdout)
    calls = sum(status["api_calls"].values())
    updates = status["api_calls"].get("ExecuteChangeSet", 0) + status["api_calls"].get("UpdateStack", 0)
    simulated = status["clock_s"]
    return wall, calls, updates, simulated


def confirmations(binary, state, plan_args):
    """--confirm for every step --yes does not accept and every piece of manual work (done by then),
    as the plan lists them."""
    planned = run(binary, ["plan", "--backend", "sim:" + state, *plan_args, "--output", "json"])
    out = []
    for hop in json.loads(planned.stdout)["hops"]:
        for step in hop["steps"]:
            if step.get("confirmation") == "explicit" or step["kind"] == "manual":
                out += ["--confirm", step["id"]]
    return out


def rehearse_one(binary, to):
    args = ["rehearse", "--deployment", os.path.join(ROOT, "examples/deployment/acme-prod-3.14.2.json"),
            "--releases", os.path.join(ROOT, "examples/releases"), "--to", to, "--values", os.path.join(ROOT, values_file(to)),
            *acknowledgements(to), "--output", "json"]
    start = time.perf_counter()
    rehearsed = run(binary, args)
    wall = time.perf_counter() - start
    if rehearsed.returncode != 0:
        sys.exit(rehearsed.stdout + rehearsed.stderr)
    verdict = json.loads(rehearsed.stdout)
    calls = sum(verdict["api_calls"].values())
    return wall, calls, verdict["clock_s"], verdict["steps"]["total"]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    folder = tempfile.mkdtemp(prefix="stackshift-apply-bench-")
    try:
        print(f"{'upgrade':<22} {'wall (median)':>14} {'best':>8} {'simulated':>10} {'API calls':>10} {'updates':>8} {'calls/update':>13}")
        for to in PAIRS:
            results = [one(binary, to, folder) for _ in range(runs)]
            walls = [r[0] for r in results]
            _, calls, updates, simulated = results[-1]
            print(f"{'3.14.2 -> ' + to:<22} {statistics.median(walls) * 1000:>11.0f} ms {min(walls) * 1000:>5.0f} ms "
                  f"{simulated / 60:>7.0f} min {calls:>10} {updates:>8} {calls / max(updates, 1):>13.1f}")
        print()
        print(f"{'rehearsal':<22} {'wall (median)':>14} {'best':>8} {'simulated':>10} {'API calls':>10} {'steps':>8}")
        for to in PAIRS:
            results = [rehearse_one(binary, to) for _ in range(runs)]
            walls = [r[0] for r in results]
            _, calls, simulated, steps = results[-1]
            print(f"{'3.14.2 -> ' + to:<22} {statistics.median(walls) * 1000:>11.0f} ms {min(walls) * 1000:>5.0f} ms "
                  f"{simulated / 60:>7.0f} min {calls:>10} {steps:>8}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
