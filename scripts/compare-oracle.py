#!/usr/bin/env python3
"""Compare `harness simulate --json` with herd7's outcome sets in ../shared/oracle.

Runs the published harness once per (model, profile) over the oracle's C tests and counts,
row by row of oracle.jsonl, how many agree on the verdict and on the exact set of states.
Usage: scripts/compare-oracle.py [path/to/harness] [path/to/oracle]
"""
import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
harness = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "out", "harness", "harness")
oracle = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "..", "shared", "oracle")


def canonical(states):
    return sorted(json.dumps(s, sort_keys=True) for s in states)


rows = [json.loads(line) for line in open(os.path.join(oracle, "oracle.jsonl")) if line.strip()]
rows = [r for r in rows if r["file"].startswith("c/")]

predicted = {}
for model, profile in sorted({(r["model"], r["profile"]) for r in rows}, key=str):
    command = [harness, "simulate", os.path.join(oracle, "c"), "--model", model, "--json"]
    if profile:
        command += ["--profile", profile]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        result = json.loads(line)
        predicted[(result["test"], model, profile)] = result

agree = 0
for row in rows:
    result = predicted.get((row["test"], row["model"], row["profile"]))
    if result and result["verdict"] == row["verdict"] and canonical(result["states"]) == canonical(row["states"]):
        agree += 1
    else:
        print(f"DISAGREE {row['test']} {row['model']} {row['profile'] or ''}")
print(f"{agree} of {len(rows)} oracle rows agree (verdict and exact state set)")
sys.exit(0 if agree == len(rows) else 1)
