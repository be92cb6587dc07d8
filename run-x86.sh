#!/usr/bin/env bash
# Runs the litmus suite on an x86-64 machine. The runner (kernels on pinned threads) is not
# built yet; until it is, this script checks the architecture and prints the simulator's
# predictions for the catalogue so that the x86-TSO expectations are visible.
set -euo pipefail
cd "$(dirname "$0")"
arch="$(uname -m)"
if [[ "$arch" != "x86_64" ]]; then
  echo "run-x86.sh: this machine is $arch, not x86_64; use ./run-arm.sh on arm64." >&2
  exit 2
fi
dotnet publish harness/Harness.Cli -c Release -o out/harness -v quiet >/dev/null
echo "The hardware runner is not built yet (see the runner issue); simulator predictions for x86-TSO:"
tests="tests-litmus"
[[ -n "$(find "$tests" -name '*.litmus' 2>/dev/null | head -n 1)" ]] || tests="../shared/oracle/c"
out/harness/harness simulate "$tests" --model sc tso cpp20
