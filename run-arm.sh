#!/usr/bin/env bash
# Runs the litmus catalogue on an arm64 machine: builds the harness in Release, runs every
# test of tests-litmus/ on pinned threads, and leaves the results under results/<machine-id>/.
# The JIT's instruction profile (LSE+RCpc or v8.0) is read off the CPU; force v8.0 with
#   DOTNET_EnableArm64Rcpc=0 DOTNET_EnableArm64Rcpc2=0 DOTNET_EnableArm64Atomics=0 ./run-arm.sh
# Usage: ./run-arm.sh [--iterations N] [extra 'harness run' options]
set -euo pipefail
cd "$(dirname "$0")"
arch="$(uname -m)"
if [[ "$arch" != "aarch64" && "$arch" != "arm64" ]]; then
  echo "run-arm.sh: this machine is $arch, not arm64; use ./run-x86.sh on x86-64." >&2
  exit 2
fi
dotnet publish harness/Harness.Cli -c Release -o out/harness -v quiet -nologo >/dev/null
exec scripts/run-suite.sh "$@"
