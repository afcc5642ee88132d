"""Python's multiprocessing.Pool doing the work io.multiprocess.bench.PoolBench does, as the reference it is
measured against: the same two processes, the same tiny tasks, the same warm-up and repetition scheme, and the same
metric keys, so bench/run-pool.sh can put both on one row.

Standard library only (or uqfoundation's multiprocess instead, see peer.py). Prints a Markdown table, or JSON
with --json.
Run: python3 bench/python/pool_bench.py [--short] [--json]
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time

from peer import LIBRARY, describe, multiprocessing
from warmup import warm_up

PROCESSES = 2


def noop():
    """The apply task; module level, because the pool pickles functions by reference."""
    return None


def increment(x):
    return x + 1


def primes_below(limit):
    """Trial division, the same loop CpuScaling runs on our side."""
    count = 0
    for n in range(2, limit):
        prime = True
        d = 2
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count


def cpu_scaling(context, args):
    """The same CPU-bound map on a pool of 1 and of 2, each after the warm-up runs."""
    items = [args.cpu_limit] * args.cpu_items
    expected = [primes_below(args.cpu_limit)] * len(items)
    medians = {}
    for workers in (1, 2):
        with context.Pool(workers) as pool:
            warm_up(lambda: check(pool.map(primes_below, items, chunksize=1), expected, "CPU-bound map"))
            millis = []
            for _ in range(args.reps):
                before = time.perf_counter_ns()
                check(pool.map(primes_below, items, chunksize=1), expected, "CPU-bound map")
                millis.append((time.perf_counter_ns() - before) / 1e6)
            medians[workers] = nearest_rank(millis, 50)
            pool.close()
            pool.join()
    work = f"map of {len(items)} prime counts below {args.cpu_limit:,}"
    return {
        "cpu_1w_ms": metric(medians[1], args.reps, work + ", 1 worker, median wall time (ms)"),
        "cpu_2w_ms": metric(medians[2], args.reps, work + ", 2 workers, median wall time (ms)"),
        "cpu_speedup_x": metric(medians[1] / medians[2], args.reps, work + ", speed-up of 2 workers over 1 (×)"),
    }


def nearest_rank(values, p):
    """Nearest-rank percentile, as the Java harness's Stats: every figure is one that was measured."""
    ordered = sorted(values)
    rank = -(-p * len(ordered) // 100)  # ceil without floats
    return ordered[max(0, rank - 1)]


def apply_round_trip(pool, args):
    """Median and p90 over every measured call of every round (not a median of round medians)."""
    for _ in range(args.warmup):
        pool.apply(noop)
    micros = []
    for _ in range(args.rounds):
        for _ in range(args.applies):
            before = time.perf_counter_ns()
            pool.apply(noop)
            micros.append((time.perf_counter_ns() - before) / 1e3)
    return {
        "apply_median_us": metric(nearest_rank(micros, 50), len(micros), "apply(no-op) round trip, median (µs)"),
        "apply_p90_us": metric(nearest_rank(micros, 90), len(micros), "apply(no-op) round trip, p90 (µs)"),
    }


def first_calls(pool, items, args):
    """The first applies and the first three maps on a new pool, nothing run before them (our JVM's figures of
    the same name come from its first pool; CPython compiles nothing as it goes, so only the pool is new here)."""
    micros = []
    for _ in range(args.applies):
        before = time.perf_counter_ns()
        pool.apply(noop)
        micros.append((time.perf_counter_ns() - before) / 1e3)
    first = f"first {len(micros):,} applies of a fresh JVM"
    results = {
        "first_apply_median_us": metric(nearest_rank(micros, 50), len(micros), first + ", round trip median (µs)"),
        "first_apply_p90_us": metric(nearest_rank(micros, 90), len(micros), first + ", round trip p90 (µs)"),
    }
    expected = [x + 1 for x in items]
    for number, name in enumerate(("first", "second", "third"), start=1):
        before = time.perf_counter_ns()
        check(pool.map(increment, items), expected, f"map {number} of a new pool")
        rate = len(items) / ((time.perf_counter_ns() - before) / 1e9)
        results[f"first_map{number}_tps"] = metric(
            rate, 1, f"{name} map of a fresh JVM, default chunksize, over {len(items):,} ints (tasks/s)")
    return results


def throughput(key, label, run, items, args):
    """The warm-up runs, then the measured ones; results are checked so a broken run is not timed."""
    expected = [x + 1 for x in items]
    warm_up(lambda: check(run(), expected, label))
    rates, millis = [], []
    for _ in range(args.reps):
        before = time.perf_counter_ns()
        results = run()
        nanos = time.perf_counter_ns() - before
        check(results, expected, label)
        millis.append(nanos / 1e6)
        rates.append(len(items) / (nanos / 1e9))
    over = f"{label} over {len(items):,} ints"
    return {
        key + "_tps": metric(nearest_rank(rates, 50), len(rates), over + ", median (tasks/s)", rates),
        key + "_ms": metric(nearest_rank(millis, 50), len(millis), over + ", median wall time (ms)", millis),
    }


def check(results, expected, label):
    if results != expected:
        raise RuntimeError(f"{label} returned wrong results ({len(results)} of {len(expected)} items)")


def metric(value, n, label, runs=None):
    """A figure; with runs, the median of them, and their spread (min, max)."""
    figure = {"value": value, "n": n, "label": label}
    if runs:
        figure.update(min=min(runs), max=max(runs))
    return figure


def measure(method, args):
    """One pool for all the work of a start method, as an application keeps one."""
    context = multiprocessing.get_context(method)
    items = list(range(args.items))
    results = {}
    before = time.perf_counter_ns()
    pool = context.Pool(PROCESSES)
    try:
        pool.apply(noop)
        results["create_ms"] = metric((time.perf_counter_ns() - before) / 1e6, 1,
                                      "pool(2) created → first apply result (ms)")
        results.update(first_calls(pool, items, args))
        results.update(apply_round_trip(pool, args))
        results.update(throughput("map_default", "map, default chunksize",
                                  lambda: pool.map(increment, items), items, args))
        results.update(throughput("map_cs1", "map, chunksize 1",
                                  lambda: pool.map(increment, items, chunksize=1), items, args))
        results.update(throughput("imap_cs1", "imap, chunksize 1",
                                  lambda: list(pool.imap(increment, items, chunksize=1)), items, args))
    finally:
        # Waits for the workers to exit, so none competes with the next start method for CPU.
        pool.close()
        pool.join()
    results.update(cpu_scaling(context, args))
    results["create_again_ms"] = create_again(context)
    return results


def create_again(context):
    """A pool created when this context has created pools before (forkserver: its server is running)."""
    before = time.perf_counter_ns()
    pool = context.Pool(PROCESSES)
    try:
        pool.apply(noop)
        millis = (time.perf_counter_ns() - before) / 1e6
    finally:
        pool.close()
        pool.join()
    return metric(millis, 1, "another pool(2) of the same context created → first apply result (ms)")


def parse(argv):
    parser = argparse.ArgumentParser(description="multiprocessing.Pool costs, as PoolBench measures ours")
    parser.add_argument("--short", action="store_true", help="tiny counts: proves the script works, figures mean little")
    parser.add_argument("--warmup", type=int, help="unmeasured apply calls (default 500)")
    parser.add_argument("--rounds", type=int, help="measured rounds of apply calls (default 5)")
    parser.add_argument("--applies", type=int, help="apply calls per round (default 2000)")
    parser.add_argument("--items", type=int, help="ints per map/imap run (default 200000)")
    parser.add_argument("--reps", type=int, help="measured runs per map/imap variant after the warm-up (default 5)")
    parser.add_argument("--cpu-items", type=int, help="items of the CPU-bound map (default 8)")
    parser.add_argument("--cpu-limit", type=int, help="each CPU-bound item counts the primes below this (default 100000)")
    parser.add_argument("--methods", help="comma-separated start methods (default: every one this platform has)")
    parser.add_argument("--json", action="store_true", help="print JSON for bench/run-pool.sh")
    parser.add_argument("--method-deadline", type=int, default=600,
                        help="seconds each start method may take, in a process of its own (default 600)")
    args = parser.parse_args(argv)
    defaults = dict(warmup=50, rounds=2, applies=100, items=2_000, reps=1, cpu_items=4, cpu_limit=5_000) \
        if args.short else dict(warmup=500, rounds=5, applies=2_000, items=200_000, reps=5, cpu_items=8,
                                cpu_limit=100_000)
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def measure_apart(method, argv, deadline):
    """measure(method) in a Python process of its own, under a deadline: CPython's forkserver Pool has been seen
    to stop making progress here (its worker-handler thread spinning, its workers idle), and one hang must not cost
    the other start methods' figures. Returns the figures, or None when the process hung or failed."""
    command = [sys.executable, os.path.abspath(__file__), *argv, "--methods", method, "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, start_new_session=True, text=True) as child:
        try:
            out, _ = child.communicate(timeout=deadline)
        except subprocess.TimeoutExpired:
            # The whole session: the pool's workers and a forkserver's server too.
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            print(f"pool_bench.py: {method} did not finish within {deadline} s; killed with its pool", file=sys.stderr)
            return None
    if child.returncode != 0:
        print(f"pool_bench.py: {method} failed with status {child.returncode}", file=sys.stderr)
        return None
    return json.loads(out)["results"][method]


def main(argv):
    args = parse(argv)
    available = multiprocessing.get_all_start_methods()
    methods = args.methods.split(",") if args.methods else [m for m in ("fork", "spawn", "forkserver") if m in available]
    missing = []
    if len(methods) > 1:
        results = {}
        for method in methods:
            figures = measure_apart(method, [a for a in argv if a != "--json"], args.method_deadline)
            if figures is None:
                missing.append(method)
            else:
                results[method] = figures
    else:
        results = {method: measure(method, args) for method in methods}
    if args.json:
        runtime = describe() + (f"; no figures for {', '.join(missing)} (hung or failed)" if missing else "")
        print(json.dumps({"runtime": runtime, "library": LIBRARY,
                          "processes": PROCESSES, "items": args.items, "results": results}))
        return
    print()
    print("| metric | python | n |")
    print("|---|---:|---:|")
    for method, metrics in results.items():
        for m in metrics.values():
            value = f"{m['value']:,.0f}" if m["value"] >= 1000 else f"{m['value']:.1f}"
            print(f"| {method}: {m['label']} | {value} | {m['n']} |")


if __name__ == "__main__":
    main(sys.argv[1:])
