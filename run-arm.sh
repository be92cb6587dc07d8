#!/usr/bin/env bash
# Runs the litmus suite on an arm64 machine. The runner (kernels on pinned threads) is not
# built yet; until it is, this script checks the architecture and prints the simulator's
# predictions for the catalogue under both arm64 instruction profiles.
set -euo pipefail
cd "$(dirname "$0")"
arch="$(uname -m)"
if [[ "$arch" != "aarch64" && "$arch" != "arm64" ]]; then
  echo "run-arm.sh: this machine is $arch, not arm64; use ./run-x86.sh on x86-64." >&2
  exit 2
fi
dotnet publish harness/Harness.Cli -c Release -o out/harness -v quiet >/dev/null
echo "The hardware runner is not built yet (see the runner issue); simulator predictions for ARMv8:"
tests="tests-litmus"
[[ -n "$(find "$tests" -name '*.litmus' 2>/dev/null | head -n 1)" ]] || tests="../shared/oracle/c"
out/harness/harness simulate "$tests" --model sc arm64 cpp20 --profile lse-rcpc v8.0
