"""Python's multiprocessing doing the work io.multiprocess.bench.IpcBench does: a small object's round trip
through two Queues and through a Pipe between the parent and one child, and 1 MiB byte messages through a Pipe,
for each start method, with the same metric keys, so bench/run-ipc.sh can put both on one row.

Standard library only. Prints JSON with --json, else a plain listing.
Run: python3 bench/python/ipc_bench.py [--short] [--json]
"""

import argparse
import json
import multiprocessing
import platform
import sys
import time

from warmup import warm_up

MIB = 1 << 20


def nearest_rank(values, p):
    ordered = sorted(values)
    rank = -(-p * len(ordered) // 100)
    return ordered[max(0, rank - 1)]


def metric(value, n, label):
    return {"value": value, "n": n, "label": label}


def queue_echo(requests, replies):
    while True:
        n = requests.get()
        if n < 0:
            return
        replies.put(n)


def pipe_echo(conn):
    while True:
        n = conn.recv()
        if n < 0:
            return
        conn.send(n)


def pipe_sink(conn):
    while True:
        message = conn.recv_bytes()
        if len(message) == 0:
            return
        if len(message) == 1:
            conn.send_bytes(message)


def queue_ping_pong(ctx, args):
    requests, replies = ctx.Queue(), ctx.Queue()
    child = ctx.Process(target=queue_echo, args=(requests, replies))
    child.start()
    for i in range(args.warmup):
        requests.put(i)
        replies.get()
    micros = []
    for i in range(args.count * args.reps):
        before = time.perf_counter_ns()
        requests.put(i)
        replies.get()
        micros.append((time.perf_counter_ns() - before) / 1e3)
    requests.put(-1)
    child.join()
    return metric(nearest_rank(micros, 50), len(micros), "queue ping-pong round trip, median (µs)")


def pipe_ping_pong(ctx, args):
    parent_end, child_end = ctx.Pipe()
    child = ctx.Process(target=pipe_echo, args=(child_end,))
    child.start()
    child_end.close()
    for i in range(args.warmup):
        parent_end.send(i)
        parent_end.recv()
    micros = []
    for i in range(args.count * args.reps):
        before = time.perf_counter_ns()
        parent_end.send(i)
        parent_end.recv()
        micros.append((time.perf_counter_ns() - before) / 1e3)
    parent_end.send(-1)
    child.join()
    return metric(nearest_rank(micros, 50), len(micros), "pipe ping-pong round trip, median (µs)")


def pipe_megabytes(ctx, args):
    parent_end, child_end = ctx.Pipe()
    child = ctx.Process(target=pipe_sink, args=(child_end,))
    child.start()
    child_end.close()
    payload = bytes(MIB)

    def send_all():
        for _ in range(args.mib):
            parent_end.send_bytes(payload)
        parent_end.send_bytes(b"\x00")
        parent_end.recv_bytes()

    warm_up(send_all)
    rates = []
    for _ in range(args.reps):
        before = time.perf_counter_ns()
        send_all()
        seconds = (time.perf_counter_ns() - before) / 1e9
        rates.append(args.mib / seconds)
    parent_end.send_bytes(b"")
    child.join()
    return metric(nearest_rank(rates, 50), len(rates), "1 MiB messages through a pipe, median (MiB/s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2000)
    parser.add_argument("--mib", type=int, default=200)
    args = parser.parse_args()
    if args.short:
        args.count, args.reps, args.warmup, args.mib = 100, 1, 100, 10
    results = {}
    for method in ("fork", "spawn", "forkserver"):
        ctx = multiprocessing.get_context(method)
        results[method] = {
            "queue_pingpong_us": queue_ping_pong(ctx, args),
            "pipe_pingpong_us": pipe_ping_pong(ctx, args),
            "pipe_1mib_mibps": pipe_megabytes(ctx, args),
        }
    runtime = f"Python {platform.python_version()} multiprocessing"
    if args.json:
        print(json.dumps({"runtime": runtime, "results": results}))
    else:
        for method, metrics in results.items():
            for key, m in metrics.items():
                print(f"{method}: {m['label']}: {m['value']:.1f} (n={m['n']})")


if __name__ == "__main__":
    sys.exit(main())
