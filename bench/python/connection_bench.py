"""Python's multiprocessing.connection doing the work io.multiprocess.bench.ConnectionBench does, as the reference it
is measured against: a Listener on a UNIX-domain socket, a child process that connects with Client and echoes, the
same messages, the same warm-up and repetition scheme, and the same metric keys, so bench/run-connection.sh can put
both on one row.

Standard library only. Prints a Markdown table, or JSON with --json.
Run: python3 bench/python/connection_bench.py [--short] [--json]
"""

import argparse
import json
import multiprocessing
import platform
import sys
import time
from multiprocessing.connection import Client, Listener

SMALL_BYTES = 64
LARGE_BYTES = 1 << 20
SMALL_OBJECT = ["ping", 42]


def echo(address):
    """The child: echoes objects until told "bytes", then byte messages until an empty one."""
    with Client(address, authkey=multiprocessing.current_process().authkey) as parent:
        while True:
            message = parent.recv()
            if message == "bytes":
                break
            parent.send(message)
        while True:
            message = parent.recv_bytes()
            if not message:
                return
            parent.send_bytes(message)


def nearest_rank(values, p):
    """Nearest-rank percentile, as the Java harness's Stats: every figure is one that was measured."""
    ordered = sorted(values)
    rank = -(-p * len(ordered) // 100)  # ceil without floats
    return ordered[max(0, rank - 1)]


def object_round_trip(child):
    child.send(SMALL_OBJECT)
    back = child.recv()
    if back != SMALL_OBJECT:
        raise RuntimeError(f"the echo sent back {back!r}")


def bytes_round_trip(child, message):
    child.send_bytes(message)
    back = child.recv_bytes()
    if len(back) != len(message):
        raise RuntimeError(f"the echo sent back {len(back)} bytes for {len(message)}")


def round_trips(child, key, label, warmup, count, round_trip):
    for _ in range(warmup):
        round_trip(child)
    micros = []
    for _ in range(count):
        before = time.perf_counter_ns()
        round_trip(child)
        micros.append((time.perf_counter_ns() - before) / 1e3)
    return {
        key + "_median_us": metric(nearest_rank(micros, 50), len(micros), label + ", median (µs)"),
        key + "_p90_us": metric(nearest_rank(micros, 90), len(micros), label + ", p90 (µs)"),
    }


def metric(value, n, label):
    return {"value": value, "n": n, "label": label}


def measure(args):
    results = {}
    authkey = multiprocessing.current_process().authkey
    with Listener(family="AF_UNIX", authkey=authkey) as listener:
        process = multiprocessing.Process(target=echo, args=(listener.address,))
        process.start()
        with listener.accept() as child:
            results.update(round_trips(child, "object", "small object send/recv round trip",
                                       args.warmup, args.small, object_round_trip))
            child.send("bytes")
            small = bytes(SMALL_BYTES)
            results.update(round_trips(child, "bytes64", "64 B sendBytes/recvBytes round trip",
                                       args.warmup, args.small, lambda c: bytes_round_trip(c, small)))
            large = b"\x01" * LARGE_BYTES
            large_results = round_trips(child, "bytes1m", "1 MiB sendBytes/recvBytes round trip",
                                        max(1, args.warmup // 100), args.large, lambda c: bytes_round_trip(c, large))
            results.update(large_results)
            median = large_results["bytes1m_median_us"]
            results["bytes1m_mib_s"] = metric(2.0 / (median["value"] / 1e6), median["n"],
                                              "1 MiB messages, bytes moved per second at the median round trip"
                                              " (MiB/s)")
            child.send_bytes(b"")
        process.join(60)
        if process.exitcode != 0:
            raise RuntimeError(f"the echo child exited with {process.exitcode}")
    return results


def parse(argv):
    parser = argparse.ArgumentParser(description="multiprocessing.connection costs, as ConnectionBench measures ours")
    parser.add_argument("--short", action="store_true", help="tiny counts: proves the script works, figures mean little")
    parser.add_argument("--warmup", type=int, help="unmeasured round trips of each kind (default 2000)")
    parser.add_argument("--small", type=int, help="measured round trips of the small messages (default 20000)")
    parser.add_argument("--large", type=int, help="measured round trips of the 1 MiB message (default 500)")
    parser.add_argument("--json", action="store_true", help="print JSON for bench/run-connection.sh")
    args = parser.parse_args(argv)
    defaults = dict(warmup=100, small=200, large=10) if args.short else dict(warmup=2_000, small=20_000, large=500)
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv):
    args = parse(argv)
    results = measure(args)
    if args.json:
        print(json.dumps({"runtime": f"Python {platform.python_version()} ({platform.python_implementation()}),"
                                     f" start method {multiprocessing.get_start_method()}",
                          "results": results}))
        return
    print()
    print("| metric | python | n |")
    print("|---|---:|---:|")
    for m in results.values():
        value = f"{m['value']:,.0f}" if m["value"] >= 1000 else f"{m['value']:.1f}"
        print(f"| {m['label']} | {value} | {m['n']} |")


if __name__ == "__main__":
    main(sys.argv[1:])
