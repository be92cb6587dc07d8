# Sourced by scripts/run-suite.sh and run-arm.sh: what they know of 'harness suite' options.
# Written for bash 3.2 too (macOS's /bin/bash): no associative arrays, no mapfile.
# shellcheck shell=bash

# The suite's default total budget in seconds, when the caller gives no --total-budget.
# shellcheck disable=SC2034 # read by the scripts that source this file
SUITE_DEFAULT_TOTAL_BUDGET=600

# option_given NAME ARGS...: whether ARGS give option NAME, as 'NAME VALUE', 'NAME=VALUE' or
# 'NAME:VALUE' (System.CommandLine accepts all three). Stops at '--', after which all are arguments.
option_given() {
  local name=$1 arg
  shift
  for arg in "$@"; do
    case $arg in
      --) return 1 ;;
      "$name" | "$name="* | "$name:"*) return 0 ;;
    esac
  done
  return 1
}

# option_count NAME ARGS...: prints how many times ARGS give option NAME.
option_count() {
  local name=$1 arg count=0
  shift
  for arg in "$@"; do
    case $arg in
      --) break ;;
      "$name" | "$name="* | "$name:"*) count=$((count + 1)) ;;
    esac
  done
  echo "$count"
}

# option_value NAME ARGS...: prints the value ARGS give option NAME (nothing when absent).
option_value() {
  local name=$1
  shift
  while (($#)); do
    case $1 in
      --) return 0 ;;
      "$name") printf '%s\n' "${2-}"; return 0 ;;
      "$name="* | "$name:"*) printf '%s\n' "${1#"$name"?}"; return 0 ;;
    esac
    shift
  done
  return 0
}

# without_option NAME ARGS...: sets the array 'remaining' to ARGS less option NAME and its value.
without_option() {
  local name=$1 done_options=0
  shift
  remaining=()
  while (($#)); do
    if ((done_options)); then
      remaining+=("$1")
    else
      case $1 in
        --) done_options=1; remaining+=("$1") ;;
        "$name") shift ;;
        "$name="* | "$name:"*) ;;
        *) remaining+=("$1") ;;
      esac
    fi
    if (($#)); then shift; fi
  done
  return 0
}

# divide_seconds SECONDS N: SECONDS / N to the millisecond, without trailing zeros. A value that
# is not a plain number is printed as it is, for the harness to judge.
divide_seconds() {
  LC_ALL=C awk -v t="$1" -v n="$2" 'BEGIN {
    if (t !~ /^[0-9]+([.][0-9]+)?$/ || n < 1) { print t; exit }
    s = sprintf("%.3f", t / n); sub(/[.]?0+$/, "", s); print s }'
}
