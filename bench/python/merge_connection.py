"""Puts ConnectionBench's JSON (ours) and connection_bench.py's JSON (Python's) into the one Markdown table
bench/run-connection.sh prints, so each of our figures sits next to Python's for the same work.

Run: python3 merge_connection.py OURS.json PYTHON.json
"""

import json
import sys


def better(key):
    """The direction each figure is read in; the ratio column is ours / python in both cases."""
    return "higher is better" if key.endswith("_mib_s") else "lower is better"


def label(key, text):
    # "(µs)" -> "(µs, lower is better)": the direction goes with the unit, where readers look.
    if text.endswith(")"):
        return text[:-1] + ", " + better(key) + ")"
    return f"{text} ({better(key)})"


def cell(figure):
    if figure is None:
        return "–"
    value = figure["value"]
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


CONNECTION_NOTE = ("Parent and one child process over Listener/Client on a UNIX-domain socket; every figure is a full"
                   " round trip (the child echoes). Objects: a two-element list through the reducer (ours) or pickle"
                   " (Python).")


def main(ours_file, python_file, note=CONNECTION_NOTE):
    """One row per figure of ours, next to Python's figure of the same key; used for managers too."""
    with open(ours_file, encoding="utf-8") as f:
        ours = json.load(f)
    with open(python_file, encoding="utf-8") as f:
        python = json.load(f)
    print("| metric | ours | python | ratio ours/python | n |")
    print("|---|---:|---:|---:|---:|")
    for key, figure in ours["results"].items():
        reference = python["results"].get(key)
        ratio = f"{figure['value'] / reference['value']:.2f}" if reference and reference["value"] else "–"
        print(f"| {label(key, figure['label'])} | {cell(figure)} | {cell(reference)} | {ratio} | {figure['n']:,} |")
    print()
    print(note)
    print(f"ours: {ours['runtime']}, reducer {ours['reducer']}; python: {python['runtime']}.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
