#!/usr/bin/env bash
# Installs the Debian 12 packages stackshift needs to build and test, only those missing.
# Usage: scripts/setup-debian.sh [build|test|fuzz|bench]...   (default: build test)
set -euo pipefail

build_packages=(g++ cmake ninja-build make pkg-config
                libfyaml-dev libcmark-gfm-dev libcmark-gfm-extensions-dev nlohmann-json3-dev libcli11-dev
                libsqlite3-dev libpcre2-dev libxml2-dev libcurl4-openssl-dev)
test_packages=(libgtest-dev libgmock-dev python3 awscli)
fuzz_packages=(clang libclang-rt-14-dev)
bench_packages=(libbenchmark-dev libyaml-cpp-dev nodejs npm hyperfine time)

wanted=()
for group in "${@:-build test}"; do
  for g in $group; do
    case "$g" in
      build) wanted+=("${build_packages[@]}") ;;
      test) wanted+=("${build_packages[@]}" "${test_packages[@]}") ;;
      fuzz) wanted+=("${build_packages[@]}" "${fuzz_packages[@]}") ;;
      bench) wanted+=("${build_packages[@]}" "${bench_packages[@]}") ;;
      *) echo "setup-debian.sh: unknown group '$g' (build, test, fuzz, bench)" >&2; exit 2 ;;
    esac
  done
done

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
# Deduplicate, keep order.
readarray -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
