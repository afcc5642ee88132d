"""Puts LockBench's JSON (ours) and lock_bench.py's JSON (Python's) into the one Markdown table bench/run-sync.sh
prints, with the ratio ours / Python for each start method: for a cost in ns, below 1 means ours is faster; for a
rate (/s), above 1 means ours is faster.

Run: python3 merge_sync.py OURS.json PYTHON.json
"""

import json
import sys

PYTHON = ("fork", "spawn")


def fmt(value):
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def main(ours_file, python_file):
    with open(ours_file, encoding="utf-8") as f:
        ours = json.load(f)
    with open(python_file, encoding="utf-8") as f:
        python = json.load(f)
    print("| metric (ns: lower is better; /s: higher is better) | ours | python fork | python spawn"
          " | ours/python fork | ours/python spawn |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, figure in ours["results"].items():
        row = [figure["label"], fmt(figure["value"])]
        references = [python["results"].get(method, {}).get(key) for method in PYTHON]
        row += [fmt(ref["value"]) if ref else "–" for ref in references]
        row += [f"{figure['value'] / ref['value']:.3f}" if ref and ref["value"] else "–" for ref in references]
        print("| " + " | ".join(row) + " |")
    print()
    print(f"ns figures: median of {ours['reps']} repetitions of {ours['pairs']:,} calls (or pairs) each after"
          f" unmeasured warm-up ones, in one child process per start method; increments/s: one run of 4 processes,"
          f" from the first one's start to the last one's end.")
    print(f"ours: {ours['runtime']} (a forkserver child); python: {python['runtime']}.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
