#!/usr/bin/env bash
# Runs the litmus catalogue on an arm64 machine: builds the harness in Release, then runs every
# test of tests-litmus/ on pinned threads once per instruction profile the JIT can use on this
# CPU, each profile's results under its own results/<machine-id>/ (the machine id names the profile).
#   lse-rcpc  LSE atomics and LDAPR: what the JIT emits by default on a CPU with both
#   lse       DOTNET_EnableArm64Rcpc=0: LSE atomics, acquire loads as LDAR
#   rcpc      DOTNET_EnableArm64Atomics=0: LDAPR, read-modify-writes as LDAXR/STLXR loops and DMB
#   v8.0      both switched off: LDAR and exclusives, as on an ARMv8.0 core
# RCpc2 (LDAPUR, DOTNET_EnableArm64Rcpc2) is switched off in every profile: left on, a CPU that has it
# reads volatile fields at an offset with LDAPUR, and the machine id would say lse-rcpc+rcpc2.
# A profile that needs a feature the CPU lacks ('atomics', 'lrcpc' in /proc/cpuinfo on Linux;
# hw.optional.arm.FEAT_LSE, FEAT_LRCPC on macOS) is skipped: it would run the same code again.
# RUN_ARM_PROFILES="lse-rcpc v8.0" runs only those profiles.
# Usage: ./run-arm.sh [options of 'harness suite', e.g. --total-budget 1200 --iterations 5000000]
# Options given here replace the defaults of scripts/run-suite.sh (--total-budget 600
# --test-budget 5 --out results); the total budget is shared equally among the profiles run.
# HARNESS_RESULTS_ROOT replaces the default results root.
# RUN_SCRIPT_ANY_ARCH=1 skips the architecture check: for .ci/run's check of the options only.
# Exit status: the worst of the profiles' runs (0 nothing forbidden observed, 1 a forbidden state
# observed, 3 an internal error); a usage error (2) or an interruption (130, 143) stops at once.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/suite-options.sh
. scripts/suite-options.sh
arch="$(uname -m)"
if [[ "$arch" != "aarch64" && "$arch" != "arm64" && "${RUN_SCRIPT_ANY_ARCH:-}" != 1 ]]; then
  echo "run-arm.sh: this machine is $arch, not arm64; use ./run-x86.sh on x86-64." >&2
  exit 2
fi

# The CPU's features among 'atomics' (LSE) and 'lrcpc' (LDAPR), space-separated.
cpu_features() {
  case "$(uname -s)" in
    Linux) sed -n 's/^Features[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1 || true ;;
    Darwin)
      [[ "$(sysctl -n hw.optional.arm.FEAT_LSE 2>/dev/null)" == 1 ]] && printf 'atomics '
      [[ "$(sysctl -n hw.optional.arm.FEAT_LRCPC 2>/dev/null)" == 1 ]] && printf 'lrcpc'
      echo ;;
  esac
}
features=" $(cpu_features) "
has() { [[ "$features" == *" $1 "* ]]; }

# Whether this CPU can run profile $1 (a usage error for an unknown name).
possible() {
  case $1 in
    lse-rcpc) has atomics && has lrcpc ;;
    lse) has atomics ;;
    rcpc) has lrcpc ;;
    v8.0) true ;;
    *) echo "run-arm.sh: unknown profile '$1' in RUN_ARM_PROFILES (lse-rcpc, lse, rcpc, v8.0)" >&2; exit 2 ;;
  esac
}

profiles=()
for profile in ${RUN_ARM_PROFILES:-lse-rcpc lse rcpc v8.0}; do
  if possible "$profile"; then
    profiles+=("$profile")
  else
    echo "run-arm: profile $profile needs a feature this CPU lacks; skipped"
  fi
done
if ((${#profiles[@]} == 0)); then
  echo "run-arm.sh: no profile of RUN_ARM_PROFILES='${RUN_ARM_PROFILES:-}' can run on this CPU" >&2
  exit 2
fi

# The total budget, the caller's or run-suite.sh's default, shared among the profiles. Given more
# than once, the options go to the harness as they are, for it to refuse.
budget_args=()
args=("$@")
if (($(option_count --total-budget "$@") <= 1)); then
  total="$(option_value --total-budget "$@")"
  total="${total:-$SUITE_DEFAULT_TOTAL_BUDGET}"
  share="$(divide_seconds "$total" ${#profiles[@]})"
  budget_args=(--total-budget "$share")
  without_option --total-budget "$@"
  args=(${remaining[@]+"${remaining[@]}"})
  echo "run-arm: profiles ${profiles[*]}; ${total} s of running shared among them: ${share} s each"
fi

dotnet publish harness/Harness.Cli -c Release -o out/harness -v quiet -nologo >/dev/null

# Runs the suite with the JIT switches of profile $1; the rest are run-suite.sh's options.
run_profile() {
  local profile=$1
  shift
  (
    unset DOTNET_EnableArm64Atomics DOTNET_EnableArm64Rcpc DOTNET_EnableArm64Rcpc2
    case $profile in
      lse) export DOTNET_EnableArm64Rcpc=0 DOTNET_EnableArm64Rcpc2=0 ;;
      lse-rcpc) export DOTNET_EnableArm64Rcpc2=0 ;;
      rcpc) export DOTNET_EnableArm64Atomics=0 DOTNET_EnableArm64Rcpc2=0 ;;
      v8.0) export DOTNET_EnableArm64Atomics=0 DOTNET_EnableArm64Rcpc=0 DOTNET_EnableArm64Rcpc2=0 ;;
    esac
    exec scripts/run-suite.sh "$@"
  )
}

worst=0
for profile in "${profiles[@]}"; do
  echo "run-arm: profile $profile"
  status=0
  run_profile "$profile" ${budget_args[@]+"${budget_args[@]}"} ${args[@]+"${args[@]}"} || status=$?
  case $status in
    2 | 130 | 143) exit "$status" ;;
  esac
  if ((status > worst)); then worst=$status; fi
done
exit "$worst"
