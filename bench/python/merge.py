"""Puts a Java bench's JSON (ours) and its Python peer's JSON into one Markdown table: each figure of ours for
forkserver and spawn next to Python's for fork, spawn and forkserver, with the ratio ours-forkserver / python-fork.
Keys ending in _tps or _mibps are rates (higher is better); all others are times (lower is better).

Run: python3 merge.py OURS.json PYTHON.json
"""

import json
import sys

OURS = ("forkserver", "spawn")
PYTHON = ("fork", "spawn", "forkserver")


def better(key):
    return "higher is better" if key.endswith(("_tps", "_mibps")) else "lower is better"


def label(key, text):
    if text.endswith(")"):
        return text[:-1] + ", " + better(key) + ")"
    return f"{text} ({better(key)})"


def cell(results, method, key):
    figure = results.get(method, {}).get(key)
    if figure is None:
        return "–"
    value = figure["value"]
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def main(ours_file, python_file):
    with open(ours_file, encoding="utf-8") as f:
        ours = json.load(f)
    with open(python_file, encoding="utf-8") as f:
        python = json.load(f)
    print("| metric | ours (forkserver) | ours (spawn) | python fork | python spawn | python forkserver"
          " | ratio ours-forkserver/python-fork |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, first in ours["results"][OURS[0]].items():
        row = [label(key, first["label"])]
        row += [cell(ours["results"], m, key) for m in OURS]
        row += [cell(python["results"], m, key) for m in PYTHON]
        reference = python["results"].get("fork", {}).get(key)
        row.append(f"{first['value'] / reference['value']:.2f}" if reference and reference["value"] else "–")
        print("| " + " | ".join(row) + " |")
    print()
    print(f"ours: {ours['runtime']}; python: {python['runtime']}.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
