"""The reliability page of bench/run-reliability.sh: our rows (ReliabilityBench's JSON lines), Python's
(reliability_bench.py's JSON) and pebble's documented behaviour, in one Markdown table; and the fuzz row, read
from jqwik's reports.

  python3 merge_reliability.py page ROWS.jsonl PYTHON.json HEADER.md GUARDED   prints the page; exit 1 when a
                                                                              guarded promise did not hold
  python3 merge_reliability.py row ROWS.jsonl ID                              prints one row as Markdown
  python3 merge_reliability.py fuzz LOG REPORTS_DIR TRIES                     prints the fuzz row as a JSON line
"""

import glob
import html
import json
import os
import re
import sys

# What pebble does, from its documentation (it is not installed here and PyPI is not reachable): its ProcessPool
# reference (schedule, timeout, ProcessExpired) and its changelog. "not documented" where it says nothing.
PEBBLE = {
    "sigkill-imap": "the future of the task whose worker died raises ProcessExpired (with the exit code); the "
                    "pool starts a new worker",
    "sigkill-burst": "each killed task's future raises ProcessExpired; the pool starts new workers",
    "sigstop-timeout": "schedule(..., timeout=3): the task's process is stopped when the timeout expires and the "
                       "future raises TimeoutError",
    "sigstop-no-timeout": "the future waits; stop() ends the pool without running pending tasks",
    "parent-sigkill": "not documented",
    "flood-held": "no socket (pipes to its own children only)",
    "flood-loop": "no socket (pipes to its own children only)",
    "garbage-frames": "no socket (pipes to its own children only)",
    "fuzz": "none published",
    "bad-argument": "the future raises the pickling error (5.1.1 fixed a pool hang on pickling errors)",
    "bad-result": "the future raises the pickling error (4.3.10 and 5.1.1 fixed hangs on unpicklable results)",
    "bad-exception": "the future raises the pickling error",
    "out-of-memory": "an exception of the task is re-raised by result() with its traceback; a worker that dies "
                     "raises ProcessExpired",
    "stack-overflow": "the task's exception is re-raised by result() with its traceback",
    "deep-result": "not documented (pickle's RecursionError, as for multiprocessing)",
    "system-exit": "a worker that exits raises ProcessExpired with its exit code (whether SystemExit is caught first "
                   "is not documented)",
    "big-output": "not documented (workers inherit the descriptors)",
    "throwing-iterator": "not documented for map() over a failing iterable",
    "bad-jvm-flag": "not documented",
    "never-connects": "not documented",
    "garbage-channel": "not documented",
    "shm-full": "n/a (pebble has no shared memory of its own)",
    "soak-imap": "not documented (max_tasks recycles workers)",
    "soak-process": "n/a (no process objects)",
    "spring-sigterm": "n/a (no framework integration)",
}


def read_rows(path):
    rows = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    rows[row["id"]] = row
    return rows


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def held(row):
    if row.get("held") is None:
        return "not run"
    return "yes" if row["held"] else "**no**"


def python_cell(scenario_id, python):
    measured = python.get(scenario_id, {})
    parts = []
    for library in ("multiprocessing", "concurrent.futures"):
        text = measured.get(library)
        if text is None:
            text = "n/a" if scenario_id in ("spring-sigterm", "fuzz") else "not measured"
        parts.append(f"**{library}:** {cell(text)}")
    parts.append(f"**pebble** (from its docs): {cell(PEBBLE.get(scenario_id, 'not documented'))}")
    return "<br>".join(parts)


def page(rows_file, python_file, header_file, guarded):
    rows = read_rows(rows_file)
    python = {}
    if python_file and os.path.exists(python_file):
        with open(python_file, encoding="utf-8") as f:
            python = json.load(f)
    with open(header_file, encoding="utf-8") as f:
        print(f.read().rstrip())
    print()
    print("| scenario | what is done | figure | the promise | held? | what Python's multiprocessing, "
          "concurrent.futures and pebble do in the same case |")
    print("|---|---|---|---|---|---|")
    for scenario_id, row in rows.items():
        print(f"| {cell(row['scenario'])} | {cell(row['done'])} | {cell(row['figure'])} | {cell(row['promise'])} "
              f"| {held(row)} | {python_cell(scenario_id, python)} |")
    print()
    if python.get("runtime"):
        print(f"Python: {python['runtime']} (bench/python/reliability_bench.py; a hang is cut at its deadline).")
        print()
    print("Runtime of each scenario (s): " + ", ".join(f"{scenario_id} {row['seconds']:.0f}"
                                                        for scenario_id, row in rows.items()) + ".")
    print()
    print("## How to read and rerun it")
    print()
    print("`bench/run-reliability.sh` builds the project (a reactor package, nothing installed) and the sample app's "
          "jar, then runs each scenario of `io.multiprocess.bench.reliability.ReliabilityBench` in a JVM of its own "
          "under a deadline (a scenario that hangs is reported as hung), the jqwik fuzz properties, and "
          "`bench/python/reliability_bench.py`; `--write` puts this page here. `--short` is the form CI runs "
          "(`.ci/run`, without the Python side): the same scenarios with small counts. A scenario never reports a "
          "figure it did not measure; where a promise is not kept yet, its row says what happens instead.")
    print()
    print("A promise listed as guarded in the script fails the run (and CI) when it does not hold; the others are "
          "reported only. When a fix lands, run the full form, check the row says yes, and add its id to the "
          "`guarded` list at the top of `bench/run-reliability.sh`.")
    print()
    guarded_ids = [g for g in guarded.split(",") if g]
    print("Guarded promises (a failure fails CI): " + (", ".join(guarded_ids) or "none") + ".")
    failed = [g for g in guarded_ids if g in rows and rows[g].get("held") is False]
    missing = [g for g in guarded_ids if g not in rows]
    failing = [r for r, row in rows.items() if row.get("held") is False]
    print("Promises not kept in this run: " + (", ".join(failing) or "none") + ".")
    if failed:
        print(f"\nguarded promises that did not hold: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def row(rows_file, scenario_id):
    found = read_rows(rows_file).get(scenario_id)
    if found is None:
        print(f"| {scenario_id} | (no row) | | | |")
    else:
        print(f"| {found['scenario']} | {found['done']} | {found['figure']} | {found['promise']} | {held(found)} | "
              f"{found['seconds']:.0f} s")


REPORT = re.compile(r"timestamp = [^,]*, (?P<name>[\w$.]+:[^\s=]+) =\s*\n(?P<body>.*?)seed = ", re.S)


def fuzz(log, reports_dir, tries_asked):
    """Counts jqwik's property reports (tries and checks per property) in the Maven log and surefire reports."""
    properties = {}
    sources = [log] if log and os.path.exists(log) else []
    sources += sorted(glob.glob(os.path.join(reports_dir, "*.xml")) + glob.glob(os.path.join(reports_dir, "*-output.txt")))
    failed = set()
    for source in sources:
        with open(source, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if source.endswith(".xml"):
            for case in re.finditer(r'<testcase name="([^"]*)" classname="([^"]*)"[^>]*?(/>|>(.*?)</testcase>)', text,
                                    re.S):
                if case.group(4) and ("<failure" in case.group(4) or "<error" in case.group(4)):
                    failed.add(case.group(2).split(".")[-1] + ":" + case.group(1).split("(")[0])
            text = html.unescape(text)
        # The fuzz targets print their own counts ("FUZZ reducer kryo: 1000 inputs ..., outcomes {...}").
        for line in re.finditer(r"FUZZ (?P<target>[^:\n]+): (?P<n>\d+) inputs[^\n]*?outcomes \{(?P<outcomes>[^}]*)\}", text):
            n = int(line.group("n"))
            properties["fuzz " + line.group("target").strip()] = (n, n)
        for report in REPORT.finditer(text):
            tries = re.search(r"tries = (\d+)", report.group("body"))
            checks = re.search(r"checks = (\d+)", report.group("body"))
            if tries:
                name = report.group("name").split(".")[-1]
                properties[name] = (int(tries.group(1)), int(checks.group(1)) if checks else int(tries.group(1)))
    if log and os.path.exists(log):
        with open(log, encoding="utf-8", errors="replace") as f:
            for line in f:
                match = re.search(r"\[ERROR\]\s+(\w+)\.(\w+)", line)
                if match and "Tests run" not in line:
                    failed.add(f"{match.group(1)}:{match.group(2)}")
    done = (f"the jqwik properties of the frame decoder, the handshake and the reducers, "
            f"-Dmultiprocess.fuzz.tries={tries_asked}" if tries_asked else
            "the jqwik properties as the unit suite last ran them (surefire reports; the full form runs them with "
            "-Dmultiprocess.fuzz.tries=100000)")
    if not properties:
        figure, ok = "not run: no jqwik report found", None
    else:
        total = sum(t for t, _ in properties.values())
        checks = sum(c for _, c in properties.values())
        fails = sorted(name for name in failed if name in properties or not properties)
        figure = (f"{len(properties)} properties, {total:,} tries ({checks:,} checks) in all, fewest "
                  f"{min(t for t, _ in properties.values()):,} in one; failed: {len(fails)}"
                  + (f" ({', '.join(fails)})" if fails else ""))
        ok = not fails and (not tries_asked or total >= int(tries_asked))
    print(json.dumps({"id": "fuzz", "scenario": "Fuzzing (jqwik)", "done": done, "figure": figure,
                      "promise": "every bad input ends in the documented exception: no Error, no hang, no allocation "
                                 "past the bound; at least 100,000 inputs in the reliability run",
                      "held": ok, "seconds": 0.0}))


def main(argv):
    command = argv[1]
    if command == "page":
        return page(argv[2], argv[3], argv[4], argv[5])
    if command == "row":
        row(argv[2], argv[3])
        return 0
    if command == "fuzz":
        fuzz(argv[2], argv[3], argv[4])
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
