#!/usr/bin/env bash
# Runs the litmus catalogue on an x86-64 machine: builds the harness in Release, runs every
# test of tests-litmus/ on pinned threads, and leaves the results under results/<machine-id>/.
# Usage: ./run-x86.sh [options of 'harness suite', e.g. --total-budget 1200 --iterations 5000000]
# Options given here replace the defaults of scripts/run-suite.sh (--total-budget 600
# --test-budget 5 --out results); HARNESS_RESULTS_ROOT replaces the default results root.
# RUN_SCRIPT_ANY_ARCH=1 skips the architecture check: for .ci/run's check of the options only.
set -euo pipefail
cd "$(dirname "$0")"
arch="$(uname -m)"
if [[ "$arch" != "x86_64" && "$arch" != "amd64" && "${RUN_SCRIPT_ANY_ARCH:-}" != 1 ]]; then
  echo "run-x86.sh: this machine is $arch, not x86-64; use ./run-arm.sh on arm64." >&2
  exit 2
fi
dotnet publish harness/Harness.Cli -c Release -o out/harness -v quiet -nologo >/dev/null
exec scripts/run-suite.sh "$@"
