"""Puts PoolBench's JSON (ours) and pool_bench.py's JSON (Python's) into the one Markdown table bench/run-pool.sh
prints, so each of our figures sits next to Python's for the same work.

Run: python3 merge_pool.py OURS.json PYTHON.json
"""

import json
import sys

OURS = ("forkserver", "spawn")
PYTHON = ("fork", "spawn", "forkserver")


def better(key):
    """The direction each figure is read in; the ratio column is ours / python in both cases."""
    return "higher is better" if key.endswith(("_tps", "_x")) else "lower is better"


def label(key, text):
    # "(tasks/s)" -> "(tasks/s, higher is better)": the direction goes with the unit, where readers look.
    if text.endswith(")"):
        return text[:-1] + ", " + better(key) + ")"
    return f"{text} ({better(key)})"


def number(value):
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def cell(results, method, key):
    """The figure; a median of runs with their spread, [min, max]."""
    figure = results.get(method, {}).get(key)
    if figure is None:
        return "–"
    if "min" in figure:
        return f"{number(figure['value'])} [{number(figure['min'])}, {number(figure['max'])}]"
    return number(figure["value"])


def main(ours_file, python_file):
    with open(ours_file, encoding="utf-8") as f:
        ours = json.load(f)
    with open(python_file, encoding="utf-8") as f:
        python = json.load(f)
    keys = list(ours["results"][OURS[0]].keys())
    peer = python.get("library", "python")
    print(f"| metric | ours (forkserver) | ours (spawn) | {peer} fork | {peer} spawn | {peer} forkserver"
          f" | ratio ours-forkserver/{peer}-fork |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key in keys:
        first = ours["results"][OURS[0]][key]
        row = [label(key, first["label"])]
        row += [cell(ours["results"], m, key) for m in OURS]
        row += [cell(python["results"], m, key) for m in PYTHON]
        reference = python["results"].get("fork", {}).get(key)
        row.append(f"{first['value'] / reference['value']:.2f}" if reference and reference["value"] else "–")
        print("| " + " | ".join(row) + " |")
    print()
    counts = sorted({(k, v["n"]) for k, v in ours["results"][OURS[0]].items()})
    apply_n = dict(counts).get("apply_median_us")
    runs_n = dict(counts).get("map_cs1_tps")
    print(f"n: pool creation 1 of each kind per start method; apply {apply_n:,} calls (median and p90 over all calls);"
          f" map and imap {runs_n} runs each after at least 1 s of unmeasured runs (median run [fastest, slowest]);"
          " a fresh JVM's first calls: one run.")
    print(f"ours: {ours['runtime']}; python: {python['runtime']}; {ours['processes']} worker processes each.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
