"""Python's multiprocessing.Lock, RLock and Semaphore doing what io.multiprocess.bench.LockBench measures on ours:
uncontended acquire() + release() pairs, in a child process, for the fork and spawn start methods. Same warm-up and
repetition scheme and the same metric keys, so bench/run-sync.sh can put both on one row. Also shared values:
Value('i').value and RawValue('i').value read and written in a child (ns per access), and 4 processes doing
`with v.get_lock(): v.value += 1` at once (total increments per second).

Standard library only. Prints a Markdown table, or JSON with --json.
Run: python3 bench/python/lock_bench.py [--short] [--json]
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


def nanos_per_pair(lock, warmup, reps, pairs):
    """The loop an application writes; acquire and release are looked up once, as a careful caller does."""
    acquire, release = lock.acquire, lock.release
    nanos = []
    for r in range(-warmup, reps):
        started = time.perf_counter_ns()
        for _ in range(pairs):
            acquire()
            release()
        if r >= 0:
            nanos.append((time.perf_counter_ns() - started) / pairs)
    return nearest_rank(nanos, 50)


def nanos_per_get(value, warmup, reps, calls):
    nanos = []
    for r in range(-warmup, reps):
        started = time.perf_counter_ns()
        for _ in range(calls):
            value.value
        if r >= 0:
            nanos.append((time.perf_counter_ns() - started) / calls)
    return nearest_rank(nanos, 50)


def nanos_per_set(value, warmup, reps, calls):
    nanos = []
    for r in range(-warmup, reps):
        started = time.perf_counter_ns()
        for i in range(calls):
            value.value = i
        if r >= 0:
            nanos.append((time.perf_counter_ns() - started) / calls)
    return nearest_rank(nanos, 50)


def child(lock, rlock, semaphore, value, raw, warmup, reps, pairs, conn):
    """Runs in the child process: module level, so spawn can import it."""
    conn.send([nanos_per_pair(lock, warmup, reps, pairs), nanos_per_pair(rlock, warmup, reps, pairs),
               nanos_per_pair(semaphore, warmup, reps, pairs),
               nanos_per_get(value, warmup, reps, pairs), nanos_per_set(value, warmup, reps, pairs),
               nanos_per_get(raw, warmup, reps, pairs), nanos_per_set(raw, warmup, reps, pairs)])
    conn.close()


def incrementer(counter, times, slot, start, increments):
    """One of the 4 processes of the locked increment run (perf_counter_ns is CLOCK_MONOTONIC on Linux, as
    Java's nanoTime: comparable between processes)."""
    start.wait()
    times[2 * slot] = time.perf_counter_ns()
    lock = counter.get_lock()
    for _ in range(increments):
        with lock:
            counter.value += 1
    times[2 * slot + 1] = time.perf_counter_ns()


def locked_increments_per_second(context, processes, increments):
    counter = context.Value("i", 0)
    times = context.RawArray("q", 2 * processes)
    start = context.Barrier(processes)
    children = [context.Process(target=incrementer, args=(counter, times, p, start, increments))
                for p in range(processes)]
    for c in children:
        c.start()
    for c in children:
        c.join()
        if c.exitcode != 0:
            raise RuntimeError(f"an incrementing child exited with {c.exitcode}")
    if counter.value != processes * increments:
        raise RuntimeError(f"lost increments: {counter.value}")
    first = min(times[2 * p] for p in range(processes))
    last = max(times[2 * p + 1] for p in range(processes))
    return processes * increments / ((last - first) / 1e9)


def measure(method, args):
    context = multiprocessing.get_context(method)
    lock, rlock, semaphore = context.Lock(), context.RLock(), context.Semaphore(1)
    value, raw = context.Value("i", 0), context.RawValue("i", 0)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(lock, rlock, semaphore, value, raw, args.warmup, args.reps,
                                                  args.pairs, sender))
    process.start()
    figures = receiver.recv()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"the measuring child ({method}) exited with {process.exitcode}")
    labels = ["Lock acquire()+release(), uncontended, in a child (ns)",
              "RLock acquire()+release(), uncontended, in a child (ns)",
              "Semaphore(1) acquire()+release(), uncontended, in a child (ns)",
              "Value int get() (takes its lock), in a child (ns)",
              "Value int set() (takes its lock), in a child (ns)",
              "RawValue int get(), in a child (ns)",
              "RawValue int set(), in a child (ns)",
              f"4 processes x {args.increments} increments under getLock(), total (increments/s)"]
    keys = ["lock_ns", "rlock_ns", "semaphore_ns", "value_get_ns", "value_set_ns", "rawvalue_get_ns",
            "rawvalue_set_ns", "locked_increments_per_s"]
    figures.append(locked_increments_per_second(context, 4, args.increments))
    return {key: {"value": value, "label": label} for key, label, value in zip(keys, labels, figures)}


def parse(argv):
    parser = argparse.ArgumentParser(description="multiprocessing lock costs, as LockBench measures ours")
    parser.add_argument("--short", action="store_true", help="tiny counts: proves the script works, figures mean little")
    parser.add_argument("--warmup", type=int, help="unmeasured repetitions (default 5)")
    parser.add_argument("--reps", type=int, help="measured repetitions; the figure is their median (default 15)")
    parser.add_argument("--pairs", type=int, help="acquire+release pairs per repetition (default 1000000)")
    parser.add_argument("--increments", type=int, help="increments per process in the 4-process run (default 100000)")
    parser.add_argument("--methods", help="comma-separated start methods (default: fork and spawn where available)")
    parser.add_argument("--json", action="store_true", help="print JSON for bench/run-sync.sh")
    args = parser.parse_args(argv)
    defaults = (dict(warmup=2, reps=3, pairs=50_000, increments=2_000) if args.short
                else dict(warmup=5, reps=15, pairs=1_000_000, increments=100_000))
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv):
    args = parse(argv)
    available = multiprocessing.get_all_start_methods()
    methods = args.methods.split(",") if args.methods else [m for m in ("fork", "spawn") if m in available]
    results = {method: measure(method, args) for method in methods}
    if args.json:
        print(json.dumps({"runtime": f"Python {platform.python_version()} ({platform.python_implementation()})",
                          "pairs": args.pairs, "reps": args.reps, "results": results}))
        return
    print()
    print("| metric | python |")
    print("|---|---:|")
    for method, metrics in results.items():
        for m in metrics.values():
            print(f"| {method}: {m['label']} | {m['value']:.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
