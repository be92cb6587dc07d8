#!/usr/bin/env bash
# Runs the whole catalogue (tests-litmus/) with the published harness (out/harness) and keeps
# the results under results/<machine-id>/: per-test JSON, run.json, a litmus7 log, summary.md
# and charts. Called by run-x86.sh and run-arm.sh once they have checked the architecture and
# built. Usage: scripts/run-suite.sh [options of 'harness suite']
# Defaults: --out results --total-budget 600 --test-budget 5 (10 minutes of running in all, 5 s
# per test at most). Each is added only when the caller gives no such option ('--opt value',
# '--opt=value' or '--opt:value'; '-o' for --out), so '--total-budget 1200' replaces the default; any other
# option of 'harness suite' may be added (e.g. --iterations 5000000).
# HARNESS_RESULTS_ROOT, when set, replaces the default results root (relative paths are taken
# from the repository's root); .ci/run uses it to keep its short runs out of results/.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=scripts/suite-options.sh
. scripts/suite-options.sh

defaults=(--out "${HARNESS_RESULTS_ROOT:-results}" --total-budget "$SUITE_DEFAULT_TOTAL_BUDGET" --test-budget 5)
args=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  # -o is --out's short form: given, it replaces the default root as --out would.
  if [[ ${defaults[i]} == --out ]] && option_given -o "$@"; then continue; fi
  option_given "${defaults[i]}" "$@" || args+=("${defaults[i]}" "${defaults[i + 1]}")
done
# The defaults come first so that a '--' among the caller's options cannot turn them into arguments.
out/harness/harness suite tests-litmus ${args[@]+"${args[@]}"} "$@"
status=$?
case $status in
  0) echo "run-suite: nothing forbidden was observed" ;;
  1) echo "run-suite: a state some model forbids was observed; see summary.md" ;;
  130 | 143) echo "run-suite: interrupted; the results of the finished tests are kept" ;;
esac
exit $status
