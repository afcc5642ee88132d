"""Python's multiprocessing.Manager().dict() doing the work io.multiprocess.bench.ManagerBench does, as the
reference it is measured against: a manager server process, a dict proxy with one entry, get and put calls timed one
by one with the same warm-up and the same metric keys, so bench/run-manager.sh can put both on one row.

Standard library only. Prints a Markdown table, or JSON with --json.
Run: python3 bench/python/manager_bench.py [--short] [--json]
"""

import argparse
import json
import multiprocessing
import platform
import sys
import time


def nearest_rank(values, p):
    """Nearest-rank percentile, as the Java harness's Stats: every figure is one that was measured."""
    ordered = sorted(values)
    rank = -(-p * len(ordered) // 100)  # ceil without floats
    return ordered[max(0, rank - 1)]


def metric(value, n, label):
    return {"value": value, "n": n, "label": label}


def calls(d, key, label, warmup, count, call):
    for _ in range(warmup):
        call(d)
    micros = []
    for _ in range(count):
        before = time.perf_counter_ns()
        call(d)
        micros.append((time.perf_counter_ns() - before) / 1e3)
    return {
        key + "_median_us": metric(nearest_rank(micros, 50), len(micros), label + ", median (µs)"),
        key + "_p90_us": metric(nearest_rank(micros, 90), len(micros), label + ", p90 (µs)"),
    }


def get(d):
    if d["key"] != 42:
        raise RuntimeError("the manager's dict lost its entry")


def put(d):
    d["key"] = 42


def measure(args):
    results = {}
    with multiprocessing.Manager() as manager:
        d = manager.dict()
        d["key"] = 42
        results.update(calls(d, "dict_get", "manager dict get round trip", args.warmup, args.calls, get))
        results.update(calls(d, "dict_put", "manager dict put round trip", args.warmup, args.calls, put))
    return results


def parse(argv):
    parser = argparse.ArgumentParser(description="multiprocessing manager dict costs, as ManagerBench measures ours")
    parser.add_argument("--short", action="store_true", help="tiny counts: proves the script works, figures mean little")
    parser.add_argument("--warmup", type=int, help="unmeasured calls of each kind (default 5000)")
    parser.add_argument("--calls", type=int, help="measured calls of each kind (default 20000)")
    parser.add_argument("--json", action="store_true", help="print JSON for bench/run-manager.sh")
    args = parser.parse_args(argv)
    defaults = dict(warmup=100, calls=200) if args.short else dict(warmup=5_000, calls=20_000)
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv):
    args = parse(argv)
    results = measure(args)
    runtime = f"{platform.python_implementation()} {platform.python_version()}"
    if args.json:
        print(json.dumps({"runtime": runtime, "results": results}))
        return
    print("| metric | python | n |")
    print("|---|---:|---:|")
    for figure in results.values():
        print(f"| {figure['label']} | {figure['value']:.1f} | {figure['n']:,} |")


if __name__ == "__main__":
    main(sys.argv[1:])
