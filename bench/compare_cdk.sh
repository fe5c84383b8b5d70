#!/usr/bin/env bash
# Compares `stackshift diff` with cdk's diff library (@aws-cdk/cloudformation-diff) on the
# generated benchmark pairs: wall-clock time of each tool as a whole process, and every
# resource whose impact the two tools report differently.
#
# Usage: bench/compare_cdk.sh [STACKSHIFT_BINARY]     (default: build/stackshift)
#
# Environment: RUNS (timed runs per command, default 10), WARMUP (default 1),
#              PAIRS_DIR (default bench/pairs), SIZES (default 50,500,2000).
# Needs python3, node and npm. Uses hyperfine when present (Debian package `hyperfine`;
# installed with apt-get when running as root), else a loop of date +%s%N.
# Without a stackshift binary only the cdk side is timed and checked.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
STACKSHIFT="${1:-$ROOT/build/stackshift}"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-1}"
PAIRS_DIR="${PAIRS_DIR:-$BENCH/pairs}"
SIZES="${SIZES:-50,500,2000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

say() { printf '%s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------------------
for tool in python3 node npm; do
  command -v "$tool" >/dev/null || { say "compare_cdk: '$tool' is required"; exit 2; }
done

if [ ! -d "$BENCH/node_modules/@aws-cdk/cloudformation-diff" ] || [ ! -d "$BENCH/node_modules/yaml" ]; then
  say "compare_cdk: installing @aws-cdk/cloudformation-diff into bench/node_modules"
  if [ -f "$BENCH/package-lock.json" ]; then
    (cd "$BENCH" && npm ci --no-audit --no-fund --cache "$BENCH/.npm" >&2)
  else
    (cd "$BENCH" && npm install --no-audit --no-fund --cache "$BENCH/.npm" >&2)
  fi
fi

if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "compare_cdk: installing hyperfine with apt-get"
  apt-get install -y -qq hyperfine >/dev/null 2>&1 || say "compare_cdk: no hyperfine; timing with a loop"
fi

HAVE_STACKSHIFT=1
if [ ! -x "$STACKSHIFT" ]; then
  say "compare_cdk: no stackshift binary at '$STACKSHIFT'; timing and checking cdk only"
  HAVE_STACKSHIFT=0
fi

# --- pairs ------------------------------------------------------------------------------
IFS=',' read -r -a sizes <<<"$SIZES"
missing=()
for n in "${sizes[@]}"; do
  [ -f "$PAIRS_DIR/pair-$n.old.yaml" ] && [ -f "$PAIRS_DIR/pair-$n.new.yaml" ] || missing+=("$n")
done
if [ "${#missing[@]}" -gt 0 ]; then
  python3 "$BENCH/gen_pairs.py" "$PAIRS_DIR" --sizes "$(IFS=,; echo "${missing[*]}")" >&2
fi

# --- timing -----------------------------------------------------------------------------
# mean_ms NAME CMD...: mean wall-clock milliseconds of CMD over RUNS runs, output discarded.
mean_ms() {
  local name="$1"; shift
  if command -v hyperfine >/dev/null; then
    local quoted
    quoted="$(printf '%q ' "$@")"
    hyperfine --style none --shell=none --warmup "$WARMUP" --runs "$RUNS" \
      --export-json "$WORK/$name.json" "$quoted" >/dev/null 2>&1 || { echo "failed"; return; }
    python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["mean"] * 1000))' \
      "$WORK/$name.json"
  else
    local i start end total=0
    for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1 || true; done
    for ((i = 0; i < RUNS; i++)); do
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1 || { echo "failed"; return; }
      end=$(date +%s%N)
      total=$((total + end - start))
    done
    python3 -c 'import sys; print("%.1f" % (int(sys.argv[1]) / int(sys.argv[2]) / 1e6))' "$total" "$RUNS"
  fi
}

# stackshift_impacts JSONFILE: LOGICALID<TAB>IMPACT lines from `diff --output json`.
stackshift_impacts() {
  python3 - "$1" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    doc = json.load(f)
for logical_id, change in sorted(doc.get("resources", {}).items()):
    print(f"{logical_id}\t{change.get('impact', '?')}")
EOF
}

# disagreements NAME LEFT RIGHT LEFTLABEL RIGHTLABEL: rows where two impact lists differ;
# a resource missing from one list counts as no-change there.
disagreements() {
  python3 - "$@" <<'EOF'
import sys
name, left_path, right_path, left_label, right_label = sys.argv[1:6]
def load(path):
    impacts = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                logical_id, impact = line.rstrip("\n").split("\t")
                impacts[logical_id] = impact
    return impacts
left, right = load(left_path), load(right_path)
rows = 0
for logical_id in sorted(set(left) | set(right)):
    a, b = left.get(logical_id, "no-change"), right.get(logical_id, "no-change")
    if a != b:
        rows += 1
        print(f"  {name:<10} {logical_id:<36} {left_label}={a:<14} {right_label}={b}")
sys.exit(1 if rows else 0)
EOF
}

# --- run --------------------------------------------------------------------------------
printf '%-10s %9s %14s %10s %9s %10s %16s\n' pair resources "stackshift ms" "cdk ms" speed-up agreement "stackshift MiB"
report="$WORK/report.txt"
: >"$report"
status=0
for n in "${sizes[@]}"; do
  name="pair-$n"
  old="$PAIRS_DIR/$name.old.yaml"
  new="$PAIRS_DIR/$name.new.yaml"
  resources=$(awk '/^Resources:/ {r = 1; next} /^[^ #]/ {r = 0} r && /^  [A-Za-z0-9]+:/ {c++} END {print c + 0}' "$old")

  node "$BENCH/cdk_diff.mjs" "$old" "$new" >"$WORK/$name.cdk.tsv"
  cdk_ms=$(mean_ms "$name-cdk" node "$BENCH/cdk_diff.mjs" "$old" "$new")

  if [ -f "$PAIRS_DIR/$name.expected.tsv" ] &&
    ! disagreements "$name" "$PAIRS_DIR/$name.expected.tsv" "$WORK/$name.cdk.tsv" generator cdk >>"$report"; then
    say "compare_cdk: $name: cdk disagrees with the generator's expectation (see below)"
  fi

  ss_ms="n/a"; speedup="n/a"; agreement="n/a"; ss_mib="n/a"
  if [ "$HAVE_STACKSHIFT" = 1 ]; then
    if "$STACKSHIFT" diff "$old" "$new" --output json >"$WORK/$name.ss.json" 2>"$WORK/$name.ss.err"; then
      stackshift_impacts "$WORK/$name.ss.json" >"$WORK/$name.ss.tsv"
      ss_ms=$(mean_ms "$name-stackshift" "$STACKSHIFT" diff "$old" "$new" --output json)
      # Peak memory (maximum resident set) of one whole stackshift process, with GNU time.
      if [ -x /usr/bin/time ]; then
        ss_kib=$(/usr/bin/time -f '%M' "$STACKSHIFT" diff "$old" "$new" --output json 2>&1 >/dev/null | tail -n 1)
        ss_mib=$(python3 -c 'import sys; print("%.1f" % (int(sys.argv[1]) / 1024))' "$ss_kib")
      fi
      if [ "$ss_ms" != failed ] && [ "$cdk_ms" != failed ]; then
        speedup=$(python3 -c 'import sys; print("%.1fx" % (float(sys.argv[2]) / max(float(sys.argv[1]), 0.001)))' "$ss_ms" "$cdk_ms")
      fi
      total=$(sort -u <(cut -f1 "$WORK/$name.ss.tsv") <(cut -f1 "$WORK/$name.cdk.tsv") | wc -l)
      if ! disagreements "$name" "$WORK/$name.ss.tsv" "$WORK/$name.cdk.tsv" stackshift cdk >"$WORK/$name.differ.txt"; then
        status=1
      fi
      differing=$(wc -l <"$WORK/$name.differ.txt")
      agreement="$((total - differing))/$total"
      cat "$WORK/$name.differ.txt" >>"$report"
    else
      say "compare_cdk: $name: stackshift diff failed: $(head -c 500 "$WORK/$name.ss.err")"
      ss_ms="failed"; status=1
    fi
  fi
  printf '%-10s %9s %14s %10s %9s %10s %16s\n' "$name" "$resources" "$ss_ms" "$cdk_ms" "$speedup" "$agreement" "$ss_mib"
done

if [ -s "$report" ]; then
  printf '\nresources whose impacts differ (a resource absent from a list counts as no-change):\n'
  cat "$report"
else
  printf '\nno differing impacts\n'
fi
exit "$status"
