#!/usr/bin/env bash
# Runs every test of tests-litmus/ with the published harness (out/harness) and writes the
# JSON lines, the litmus7 log and the readable report under results/<machine-id>/.
# Called by run-x86.sh and run-arm.sh once they have checked the architecture and built.
set -uo pipefail
cd "$(dirname "$0")/.."
harness=out/harness/harness
machine="$(uname -m)-$(grep -m1 -E 'model name|CPU part' /proc/cpuinfo 2>/dev/null | sed 's/.*: //; s/[^A-Za-z0-9]\+/-/g; s/-$//' | tr 'A-Z' 'a-z')-$(nproc)c"
out="results/${machine}"
mkdir -p "$out"
iterations=1000000
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --iterations) iterations="$2"; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
"$harness" run tests-litmus --iterations "$iterations" --json --log "$out/run.log" "${extra[@]}" > "$out/run.jsonl.tmp"
status=$?
mv "$out/run.jsonl.tmp" "$out/run.jsonl"
grep -E '^(Test|Observation|Time) ' "$out/run.log" || true
echo "results in $out (run.jsonl: one JSON object per test; run.log: litmus7 format); exit status $status"
exit "$status"
