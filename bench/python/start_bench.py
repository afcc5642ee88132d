"""Python's multiprocessing doing what io.multiprocess.bench.StartLatency measures: Process.start() until the
target runs, for one process, with each start method, and the resident memory of a child idling in its target.

Times are time.monotonic_ns() on both sides (CLOCK_MONOTONIC on Linux, the clock Java's System.nanoTime() reads,
one clock for every process on the machine): the parent reads it just before start(), the target first thing,
and sends it back through a pipe the parent reads after join(). Memory is read from /proc, so this is Linux-only.

Standard library only (or uqfoundation's multiprocess instead, see peer.py). Prints JSON with --json, else a
Markdown table.
Run: python3 bench/python/start_bench.py [--short] [--json]
"""

import argparse
import json
import sys
import time

from peer import LIBRARY, describe, multiprocessing

METHODS = ("fork", "spawn", "forkserver")
SETTLE_SECONDS = 0.2
IDLE_BEFORE_RSS_SECONDS = 1.0


def nearest_rank(values, p):
    ordered = sorted(values)
    rank = -(-p * len(ordered) // 100)
    return ordered[max(0, rank - 1)]


def record_time(connection):
    connection.send(time.monotonic_ns())
    connection.close()


def idle(ready):
    ready.set()
    time.sleep(3600)


def time_start(context):
    receiver, sender = context.Pipe(duplex=False)
    before = time.monotonic_ns()
    process = context.Process(target=record_time, args=(sender,))
    process.start()
    started = receiver.recv()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"child exited with {process.exitcode}")
    sender.close()
    receiver.close()
    return (started - before) / 1e6


def footprint_kib(pid):
    """RSS, PSS and private memory (Private_Clean + Private_Dirty) of pid, from /proc/PID/smaps_rollup."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                fields[parts[0].rstrip(":")] = int(parts[1])
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "private": fields["Private_Clean"] + fields["Private_Dirty"]}


def idle_child_footprint_kib(context):
    ready = context.Event()
    process = context.Process(target=idle, args=(ready,), daemon=True)
    process.start()
    ready.wait(60)
    time.sleep(IDLE_BEFORE_RSS_SECONDS)
    try:
        return footprint_kib(process.pid)
    finally:
        process.kill()
        process.join()


def measure(method, args):
    context = multiprocessing.get_context(method)
    # Unmeasured first starts: forkserver launches its server on first use, and every method imports lazily.
    for _ in range(args.warmup):
        time_start(context)
    millis = []
    for _ in range(args.starts):
        millis.append(time_start(context))
        time.sleep(SETTLE_SECONDS)
    results = {
        "start_ms": {"median": nearest_rank(millis, 50), "min": min(millis), "p90": nearest_rank(millis, 90),
                     "n": len(millis), "label": f"{method}: start() → target running (ms)"},
    }
    footprint = idle_child_footprint_kib(context)
    for key, what in (("private", "private memory"), ("pss", "PSS"), ("rss", "RSS")):
        results[f"idle_{key}_mib"] = {"value": footprint[key] / 1024, "n": 1,
                                      "label": f"{method}: {what} of a child idling in its target (MiB)"}
    return results


def main(argv):
    parser = argparse.ArgumentParser(description="multiprocessing.Process start costs, as StartLatency measures ours")
    parser.add_argument("--short", action="store_true", help="tiny counts: proves the script works")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    parser.add_argument("--warmup", type=int, help="unmeasured starts per method (default 3)")
    parser.add_argument("--starts", type=int, help="measured starts per method (default 20)")
    args = parser.parse_args(argv)
    defaults = dict(warmup=1, starts=3) if args.short else dict(warmup=3, starts=20)
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    methods = [m for m in METHODS if m in multiprocessing.get_all_start_methods()]
    results = {method: measure(method, args) for method in methods}
    runtime = describe()
    if args.json:
        print(json.dumps({"runtime": runtime, "library": LIBRARY, "results": results}, indent=2))
        return
    print("| metric | median | min | p90 | n |")
    print("|---|---:|---:|---:|---:|")
    for method in methods:
        start = results[method]["start_ms"]
        print(f"| {LIBRARY} {start['label']} | {start['median']:.1f} | {start['min']:.1f} | {start['p90']:.1f} "
              f"| {start['n']} |")
    for key in ("idle_private_mib", "idle_pss_mib", "idle_rss_mib"):
        for method in methods:
            figure = results[method][key]
            print(f"| {LIBRARY} {figure['label']} | {figure['value']:.1f} | – | – | 1 |")
    print()
    print(f"{runtime}. A forked child shares its parent's pages copy-on-write: RSS counts them whole, PSS a share of"
          " them, private memory not at all.")


if __name__ == "__main__":
    main(sys.argv[1:])
