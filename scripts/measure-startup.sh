#!/usr/bin/env bash
# Start-up time of the published harness: wall-clock time of N runs of one command
# (default: a one-file simulate), printed as the minimum and the median in seconds.
#
#   scripts/measure-startup.sh [-n RUNS] [-b HARNESS] [-- ARGS...]
#
#   -n RUNS     runs to time (default 20), after one untimed warm-up run
#   -b HARNESS  the harness executable (default out/harness/harness, from
#               'dotnet publish harness/Harness.Cli -c Release -o out/harness')
#   ARGS        the harness's arguments (default: simulate tests-litmus/generated/SB/SB+rlx.litmus)
#
# Wall time on a shared machine is noisy: the minimum is the figure to compare,
# the median says how steady it was. Output goes to /dev/null.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20
harness=out/harness/harness
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    -b) harness="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [-n RUNS] [-b HARNESS] [-- ARGS...]" >&2; exit 2 ;;
  esac
done
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(simulate tests-litmus/generated/SB/SB+rlx.litmus)
[[ -x "$harness" ]] || { echo "$0: no executable $harness (publish first)" >&2; exit 2; }

"$harness" "${args[@]}" >/dev/null 2>&1 || true   # warm the file cache
times=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  "$harness" "${args[@]}" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
min=${sorted[0]}
n=${#sorted[@]}
if (( n % 2 )); then med=${sorted[n / 2]}; else med=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
awk -v what="$harness ${args[*]}" -v n="$n" -v min="$min" -v med="$med" -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" \
  'BEGIN { printf "%s: %d runs, min %.3f s, median %.3f s (load average %s)\n", what, n, min / 1e6, med / 1e6, load }'
