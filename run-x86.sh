#!/usr/bin/env bash
# Runs the litmus catalogue on an x86-64 machine: builds the harness in Release, runs every
# test of tests-litmus/ on pinned threads, and leaves the results under results/<machine-id>/.
# Usage: ./run-x86.sh [--iterations N] [extra 'harness run' options]
set -euo pipefail
cd "$(dirname "$0")"
arch="$(uname -m)"
if [[ "$arch" != "x86_64" && "$arch" != "amd64" ]]; then
  echo "run-x86.sh: this machine is $arch, not x86-64; use ./run-arm.sh on arm64." >&2
  exit 2
fi
dotnet publish harness/Harness.Cli -c Release -o out/harness -v quiet -nologo >/dev/null
exec scripts/run-suite.sh "$@"
