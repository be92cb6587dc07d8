#!/usr/bin/env bash
# The systematic hunt (issue 12 §4) on this machine: builds the harness in Release, then runs
# 'harness hunt', which generates critical cycles in order of size and judges the code the JIT
# emits for each against the mapping's table and the .NET model until its budget is spent. The
# results go to results/<machine-id>/hunt/ (hunt.json, summary.md, found/), the machine id being
# the one 'harness suite' uses; HARNESS_RESULTS_ROOT replaces the results root.
# Usage: scripts/run-hunt.sh [options of 'harness hunt', e.g. --budget 20m --arch both --seed 1]
# Default: --budget 10m, and this machine's own code (x64 on x86-64, arm64 natively on arm64).
# Exit status: 0 no new finding, 1 a new finding (neither a known converter limitation nor an instance of a
# finding FINDINGS.md documents), 2 usage,
# 130/143 interrupted (what was judged is kept).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=scripts/suite-options.sh
. scripts/suite-options.sh

dotnet publish harness/Harness.Cli -c Release -o out/harness -v quiet -nologo >/dev/null || exit 2
args=()
option_given --budget "$@" || args+=(--budget 10m)
out/harness/harness hunt ${args[@]+"${args[@]}"} "$@"
status=$?
case $status in
  0) echo "run-hunt: no finding" ;;
  1) echo "run-hunt: a new finding (no converter limitation or documented finding explains it); see summary.md" ;;
  130 | 143) echo "run-hunt: interrupted; what was judged is kept" ;;
esac
exit $status
