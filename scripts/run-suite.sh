#!/usr/bin/env bash
# Runs the whole catalogue (tests-litmus/) with the published harness (out/harness) and keeps
# the results under results/<machine-id>/: per-test JSON, run.json, a litmus7 log, summary.md
# and charts. Called by run-x86.sh and run-arm.sh once they have checked the architecture and
# built. Default budget: 10 minutes of running in all, 5 s per test at most; any option of
# 'harness suite' may be added (e.g. --total-budget 1200 --iterations 5000000).
set -uo pipefail
cd "$(dirname "$0")/.."
out/harness/harness suite tests-litmus --out results --total-budget 600 --test-budget 5 "$@"
status=$?
case $status in
  0) echo "run-suite: nothing forbidden was observed" ;;
  1) echo "run-suite: a state some model forbids was observed; see summary.md" ;;
  130) echo "run-suite: interrupted; the results of the finished tests are kept" ;;
esac
exit $status
