"""Puts LockBench's JSON (ours) and lock_bench.py's JSON (Python's) into the one Markdown table bench/run-sync.sh
prints, with the ratio ours / Python for each start method (below 1: ours is faster).

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
    print("| metric (lower is better) | ours | python fork | python spawn | ours/python fork | ours/python spawn |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, figure in ours["results"].items():
        row = [figure["label"], fmt(figure["value"])]
        references = [python["results"].get(method, {}).get(key) for method in PYTHON]
        row += [fmt(ref["value"]) if ref else "–" for ref in references]
        row += [f"{figure['value'] / ref['value']:.3f}" if ref and ref["value"] else "–" for ref in references]
        print("| " + " | ".join(row) + " |")
    print()
    print(f"median of {ours['reps']} repetitions of {ours['pairs']:,} pairs each after unmeasured warm-up ones,"
          f" in one child process per start method.")
    print(f"ours: {ours['runtime']} (a forkserver child); python: {python['runtime']}.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
