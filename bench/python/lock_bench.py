"""Python's multiprocessing.Lock, RLock and Semaphore doing what io.multiprocess.bench.LockBench measures on ours:
uncontended acquire() + release() pairs, in a child process, for the fork and spawn start methods. Same warm-up and
repetition scheme and the same metric keys, so bench/run-sync.sh can put both on one row.

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


def child(lock, rlock, semaphore, warmup, reps, pairs, conn):
    """Runs in the child process: module level, so spawn can import it."""
    conn.send([nanos_per_pair(lock, warmup, reps, pairs), nanos_per_pair(rlock, warmup, reps, pairs),
               nanos_per_pair(semaphore, warmup, reps, pairs)])
    conn.close()


def measure(method, args):
    context = multiprocessing.get_context(method)
    lock, rlock, semaphore = context.Lock(), context.RLock(), context.Semaphore(1)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(lock, rlock, semaphore, args.warmup, args.reps, args.pairs, sender))
    process.start()
    figures = receiver.recv()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"the measuring child ({method}) exited with {process.exitcode}")
    labels = ["Lock acquire()+release(), uncontended, in a child (ns)",
              "RLock acquire()+release(), uncontended, in a child (ns)",
              "Semaphore(1) acquire()+release(), uncontended, in a child (ns)"]
    keys = ["lock_ns", "rlock_ns", "semaphore_ns"]
    return {key: {"value": value, "label": label} for key, label, value in zip(keys, labels, figures)}


def parse(argv):
    parser = argparse.ArgumentParser(description="multiprocessing lock costs, as LockBench measures ours")
    parser.add_argument("--short", action="store_true", help="tiny counts: proves the script works, figures mean little")
    parser.add_argument("--warmup", type=int, help="unmeasured repetitions (default 5)")
    parser.add_argument("--reps", type=int, help="measured repetitions; the figure is their median (default 15)")
    parser.add_argument("--pairs", type=int, help="acquire+release pairs per repetition (default 1000000)")
    parser.add_argument("--methods", help="comma-separated start methods (default: fork and spawn where available)")
    parser.add_argument("--json", action="store_true", help="print JSON for bench/run-sync.sh")
    args = parser.parse_args(argv)
    defaults = dict(warmup=2, reps=3, pairs=50_000) if args.short else dict(warmup=5, reps=15, pairs=1_000_000)
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
