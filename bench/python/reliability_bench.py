"""Python's multiprocessing.Pool and concurrent.futures.ProcessPoolExecutor in the cases of
io.multiprocess.bench.reliability.ReliabilityBench: workers killed and stopped from outside, the parent killed,
unauthenticated peers and garbage against a Listener, bad user input, and a soak. Each case is measured with a
deadline, so a hang is reported as "hung: no result after N s" instead of hanging the run.

Standard library only. Writes one JSON object to --out: {scenario id: {"multiprocessing": text,
"concurrent.futures": text}}; bench/python/merge_reliability.py puts it beside our figures.
Run: python3 bench/python/reliability_bench.py [--short] --out FILE [--only ID,ID]
"""

import argparse
import concurrent.futures as cf
import contextlib
import json
import multiprocessing
import multiprocessing.connection
import os
import pickle
import platform
import resource
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- tasks (module level: pools pickle by reference)

STARTED = None


def init_started(array):
    global STARTED
    STARTED = array


def recorded_sleep(args):
    """Records its pid in the shared array, then sleeps."""
    item, seconds = args
    STARTED[item] = os.getpid()
    time.sleep(seconds)
    return item * 2


def identity(x):
    return x


def plus_one(x):
    return x + 1


def return_lambda():
    return lambda: None


class UnsendableError(Exception):
    def __init__(self):
        super().__init__("an exception with a field that cannot be pickled")
        self.handler = lambda: None


def raise_unsendable():
    raise UnsendableError()


def exit_three():
    sys.exit(3)


def recurse(depth=0):
    return recurse(depth + 1) + 1


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))


def exhaust_memory():
    hog = []
    while True:
        hog.append(bytearray(1 << 20))


def deep_list():
    head = []
    for _ in range(100_000):
        head = [head]
    return head


def write_output(mib):
    line = b"x" * 1023 + b"\n"
    for stream in (sys.stdout.buffer, sys.stderr.buffer):
        for _ in range(mib * 1024):
            stream.write(line)
        stream.flush()
    return "done"


def broken_input():
    for i in range(5):
        yield i
    raise ValueError("the input broke after 5 items")


def write_garbage_to_results():
    """In a worker: a framed message that is no pickle, on the pipe results go back on, then sleep."""
    import gc
    from multiprocessing.queues import SimpleQueue
    writable = [q for q in gc.get_objects() if isinstance(q, SimpleQueue) and not q._writer.closed]
    # A Pool's worker closes the reading end of its result queue (and holds the pool's change notifier too);
    # an executor's worker holds only its result queue.
    results = [q for q in writable if q._reader.closed] or writable
    for queue in results:
        queue._writer.send_bytes(b"garbage, not a pickle of the protocol")
    time.sleep(600)


def times_ten(x):
    return x * 10


# ---------------------------------------------------------------- helpers

def await_started(array, count, deadline_s=30):
    """Pids of the first `count` items that started (in the shared array), waiting for them."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        pids = [pid for pid in array[:] if pid]
        if len(pids) >= count:
            return pids
        time.sleep(0.01)
    return [pid for pid in array[:] if pid]


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def descendants(pid):
    """Every process below pid, from /proc (children of children included)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().split(") ")[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def kill_quietly(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGCONT)
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def rss_kib(pid="self"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def threads(pid="self"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return -1


def describe(error):
    text = f"{type(error).__name__}: {error}".split("\n")[0]
    return text if len(text) <= 160 else text[:160] + "…"


def attempt(call):
    before = time.monotonic()
    try:
        value = call()
        return f"returned {str(value)[:60]} after {1000 * (time.monotonic() - before):.0f} ms"
    except multiprocessing.TimeoutError:
        return f"hung: no result after {time.monotonic() - before:.0f} s"
    except cf.TimeoutError:
        return f"hung: no result after {time.monotonic() - before:.0f} s"
    except BaseException as error:  # SystemExit from a worker is an outcome too
        return f"raised {describe(error)} after {1000 * (time.monotonic() - before):.0f} ms"


def pool_works(pool, deadline):
    try:
        return "pool works after" if pool.apply_async(plus_one, (41,)).get(deadline) == 42 else "wrong result after"
    except multiprocessing.TimeoutError:
        return f"pool does NOT work after (no result in {deadline} s)"
    except Exception as error:
        return f"pool does NOT work after ({describe(error)})"


def executor_works(executor, deadline):
    try:
        return "executor works after" if executor.submit(plus_one, 41).result(deadline) == 42 else "wrong"
    except cf.TimeoutError:
        return f"executor does NOT work after (no result in {deadline} s)"
    except Exception as error:
        return f"executor does NOT work after ({describe(error)})"


def end_pool(pool):
    # Workers first: terminate() of a pool with a stopped worker hangs (see sigstop_no_timeout).
    kill_quietly([p.pid for p in getattr(pool, "_pool", [])])
    within(pool.terminate, 10)


def within(call, seconds):
    """Runs call in a daemon thread; whether it returned within seconds."""
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def end_executor(executor):
    workers = list(getattr(executor, "_processes", {}) or {})
    kill_quietly(workers)
    executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------- scenarios

def sigkill_imap(args):
    deadline = args.deadline
    out = {}
    started = multiprocessing.Array("q", 1000, lock=False)
    pool = multiprocessing.Pool(2, initializer=init_started, initargs=(started,))
    try:
        results = pool.imap(recorded_sleep, [(i, 0.1) for i in range(40)], 1)
        victim = await_started(started, 3)[-1]
        os.kill(victim, signal.SIGKILL)
        received, before = 0, time.monotonic()
        try:
            for _ in range(40):
                results.next(timeout=deadline)
                received += 1
            out["multiprocessing"] = f"1 SIGKILL: all {received} results (the killed task ran again?)"
        except multiprocessing.TimeoutError:
            out["multiprocessing"] = (f"1 SIGKILL during imap of 40 tasks: {received} results, then hung: no result "
                                      f"after {deadline} s (the killed worker's task is lost; the pool replaced the "
                                      f"worker but never fails the task)")
    finally:
        end_pool(pool)
    started = multiprocessing.Array("q", 1000, lock=False)
    executor = cf.ProcessPoolExecutor(2, initializer=init_started, initargs=(started,))
    try:
        futures = [executor.submit(recorded_sleep, (i, 0.1)) for i in range(40)]
        victim = await_started(started, 3)[-1]
        os.kill(victim, signal.SIGKILL)
        cf.wait(futures, timeout=deadline)
        broken = sum(1 for f in futures if f.done() and isinstance(f.exception(0), cf.process.BrokenProcessPool))
        done = sum(1 for f in futures if f.done() and f.exception(0) is None)
        out["concurrent.futures"] = (f"1 SIGKILL among 40 tasks: BrokenProcessPool fails {broken} futures (every "
                                     f"pending one, not only the killed task), {done} done; the executor is "
                                     f"unusable after")
    finally:
        end_executor(executor)
    return out


def sigkill_burst(args):
    deadline = args.deadline
    out = {}
    started = multiprocessing.Array("q", 100, lock=False)
    pool = multiprocessing.Pool(4, initializer=init_started, initargs=(started,))
    try:
        results = pool.imap(recorded_sleep, [(i, 2) for i in range(16)], 1)
        for pid in await_started(started, 4):
            os.kill(pid, signal.SIGKILL)
        received = 0
        try:
            for _ in range(16):
                results.next(timeout=deadline)
                received += 1
            out["multiprocessing"] = f"all {received} results"
        except multiprocessing.TimeoutError:
            out["multiprocessing"] = (f"4 busy workers killed at once: {received} results, then hung: no result after "
                                      f"{deadline} s")
    finally:
        end_pool(pool)
    started = multiprocessing.Array("q", 100, lock=False)
    executor = cf.ProcessPoolExecutor(4, initializer=init_started, initargs=(started,))
    try:
        futures = [executor.submit(recorded_sleep, (i, 2)) for i in range(16)]
        for pid in await_started(started, 4):
            os.kill(pid, signal.SIGKILL)
        cf.wait(futures, timeout=deadline)
        broken = sum(1 for f in futures if f.done() and isinstance(f.exception(0), cf.process.BrokenProcessPool))
        out["concurrent.futures"] = f"BrokenProcessPool fails all {broken} of 16 futures; the executor is unusable"
    finally:
        end_executor(executor)
    return out


def sigstop_timeout(args):
    out = {}
    started = multiprocessing.Array("q", 10, lock=False)
    pool = multiprocessing.Pool(1, initializer=init_started, initargs=(started,))
    try:
        result = pool.apply_async(recorded_sleep, ((0, 60),))
        pid = await_started(started, 1)[0]
        os.kill(pid, signal.SIGSTOP)
        before = time.monotonic()
        try:
            result.get(timeout=3)
        except multiprocessing.TimeoutError:
            pass
        waited = time.monotonic() - before
        out["multiprocessing"] = (f"get(timeout=3) raises TimeoutError after {waited:.2f} s, but the worker stays "
                                  f"stopped ({'alive' if alive(pid) else 'gone'}) and the task is never ended; "
                                  f"next task: {attempt(lambda: pool.apply_async(plus_one, (1,)).get(args.deadline))}")
    finally:
        end_pool(pool)
    started = multiprocessing.Array("q", 10, lock=False)
    executor = cf.ProcessPoolExecutor(1, initializer=init_started, initargs=(started,))
    try:
        future = executor.submit(recorded_sleep, (0, 60))
        pid = await_started(started, 1)[0]
        os.kill(pid, signal.SIGSTOP)
        before = time.monotonic()
        try:
            future.result(timeout=3)
        except cf.TimeoutError:
            pass
        waited = time.monotonic() - before
        out["concurrent.futures"] = (f"result(timeout=3) raises TimeoutError after {waited:.2f} s; the worker stays "
                                     f"stopped; next task: "
                                     f"{attempt(lambda: executor.submit(plus_one, 1).result(args.deadline))}")
    finally:
        end_executor(executor)
    return out


def sigstop_no_timeout(args):
    out = {}
    wait = 3 if args.short else 10
    started = multiprocessing.Array("q", 10, lock=False)
    pool = multiprocessing.Pool(1, initializer=init_started, initargs=(started,))
    result = pool.apply_async(recorded_sleep, ((0, 60),))
    pid = await_started(started, 1)[0]
    os.kill(pid, signal.SIGSTOP)
    result.wait(wait)
    before = time.monotonic()
    returned = within(pool.terminate, args.deadline)
    ended = time.monotonic() - before
    gone = not alive(pid)
    kill_quietly([pid])
    within(pool.terminate, 10)
    out["multiprocessing"] = (f"waits ({'not ready' if not result.ready() else 'ready'} after {wait} s); terminate() "
                              + (f"returns in {1000 * ended:.0f} ms" if returned else
                                 f"hung: not returned after {args.deadline} s")
                              + f", stopped worker {'gone' if gone else 'still there (stopped)'}")
    started = multiprocessing.Array("q", 10, lock=False)
    executor = cf.ProcessPoolExecutor(1, initializer=init_started, initargs=(started,))
    future = executor.submit(recorded_sleep, (0, 60))
    pid = await_started(started, 1)[0]
    os.kill(pid, signal.SIGSTOP)
    cf.wait([future], timeout=wait)
    executor.shutdown(wait=False, cancel_futures=True)
    time.sleep(2)
    still = alive(pid)
    kill_quietly([pid])
    out["concurrent.futures"] = (f"waits; it has no terminate(): shutdown(wait=False, cancel_futures=True) leaves "
                                 f"the stopped worker {'running' if still else 'gone'} 2 s later")
    return out


def parent_main(kind):
    """The parent that parent_sigkill kills: a pool with a busy and an idle worker."""
    if kind == "pool":
        pool = multiprocessing.Pool(2)
        pool.apply(plus_one, (1,))
        pool.apply_async(time.sleep, (600,))
    else:
        executor = cf.ProcessPoolExecutor(2)
        executor.submit(plus_one, 1).result()
        executor.submit(time.sleep, 600)
    time.sleep(0.5)
    print("READY", flush=True)
    time.sleep(600)


def parent_sigkill(args):
    out = {}
    rounds = 1 if args.short else 3
    for kind, key in (("pool", "multiprocessing"), ("executor", "concurrent.futures")):
        orphans, children = 0, 0
        for _ in range(rounds):
            parent = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--parent", kind],
                                      stdout=subprocess.PIPE, text=True)
            try:
                parent.stdout.readline()
                below = descendants(parent.pid)
                children += len(below)
                parent.kill()
                parent.wait()
                time.sleep(5)
                left = [pid for pid in below if alive(pid)]
                orphans += len(left)
                kill_quietly(left)
            finally:
                parent.kill()
        out[key] = f"{rounds} kills, {children} workers in all (a busy one, an idle one): orphans at 5 s: {orphans}"
    return out


def bad_argument(args):
    out = {}
    with multiprocessing.Pool(1) as pool:
        out["multiprocessing"] = attempt(lambda: pool.apply(identity, (lambda: None,))) + "; " + pool_works(
            pool, args.deadline)
    with cf.ProcessPoolExecutor(1) as executor:
        out["concurrent.futures"] = attempt(lambda: executor.submit(identity, lambda: None).result(
            args.deadline)) + "; " + executor_works(executor, args.deadline)
    return out


def bad_result(args):
    return run_both(args, return_lambda)


def bad_exception(args):
    return run_both(args, raise_unsendable)


def run_both(args, function, initializer=None):
    out = {}
    pool = multiprocessing.Pool(1, initializer=initializer)
    try:
        out["multiprocessing"] = attempt(lambda: pool.apply_async(function).get(args.deadline)) + "; " + pool_works(
            pool, args.deadline)
    finally:
        end_pool(pool)
    executor = cf.ProcessPoolExecutor(1, initializer=initializer)
    try:
        out["concurrent.futures"] = attempt(lambda: executor.submit(function).result(args.deadline)) + "; " + \
            executor_works(executor, args.deadline)
    finally:
        end_executor(executor)
    return out


def out_of_memory(args):
    result = run_both(args, exhaust_memory, initializer=limit_memory)
    return {key: "worker limited to 512 MiB of address space: MemoryError is an ordinary exception: " + value
            for key, value in result.items()}


def stack_overflow(args):
    return run_both(args, recurse)


def deep_result(args):
    return run_both(args, deep_list)


def system_exit(args):
    out = {}
    pool = multiprocessing.Pool(1)
    try:
        outcomes = [attempt(lambda: pool.apply_async(exit_three).get(args.deadline)) for _ in range(1)]
        out["multiprocessing"] = (f"sys.exit(3): {outcomes[0]} (SystemExit is not an Exception: the worker exits, "
                                  f"the pool replaces it, the task is lost)")
    finally:
        end_pool(pool)
    executor = cf.ProcessPoolExecutor(1)
    try:
        outcomes = [attempt(lambda: executor.submit(exit_three).result(args.deadline)) for _ in range(3)]
        out["concurrent.futures"] = "; ".join(outcomes) + "; " + executor_works(executor, args.deadline)
    finally:
        end_executor(executor)
    return out


def big_output(args):
    mib = 10 if args.short else 100
    result = run_both(args, lambda_free_output(mib))
    return {key: f"{mib} MiB each to stdout and stderr (workers write to the inherited descriptors directly): "
            + value for key, value in result.items()}


def lambda_free_output(mib):
    # A module-level function with the size bound: functools.partial pickles by reference.
    import functools
    return functools.partial(write_output, mib)


def throwing_iterator(args):
    out = {}
    with multiprocessing.Pool(2) as pool:
        received = []
        before = time.monotonic()
        try:
            iterator = pool.imap(times_ten, broken_input(), 1)
            for _ in range(10):
                received.append(iterator.next(timeout=args.deadline))
            outcome = "no exception"
        except StopIteration:
            outcome = "StopIteration"
        except multiprocessing.TimeoutError:
            outcome = f"hung: no result after {args.deadline} s"
        except Exception as error:
            outcome = describe(error)
        out["multiprocessing"] = (f"results {received}, then {outcome} after "
                                  f"{1000 * (time.monotonic() - before):.0f} ms; {pool_works(pool, args.deadline)}")
    with cf.ProcessPoolExecutor(2) as executor:
        before = time.monotonic()
        try:
            results = list(executor.map(times_ten, broken_input()))
            outcome = f"results {results}"
        except Exception as error:
            outcome = (f"map() itself raises {describe(error)} after {1000 * (time.monotonic() - before):.0f} ms, "
                       f"before any result (it reads the whole input first)")
        out["concurrent.futures"] = outcome + "; " + executor_works(executor, args.deadline)
    return out


@contextlib.contextmanager
def wrapper_executable(body):
    """A shell script to set as the interpreter of spawned children, removed afterwards."""
    wrapper = tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False)
    wrapper.write("#!/bin/sh\n" + body + "\n")
    wrapper.close()
    os.chmod(wrapper.name, 0o755)
    try:
        yield wrapper.name
    finally:
        os.unlink(wrapper.name)


def executor_apply(context, label, args):
    """What submit(plus_one, 1).result() gives on a ProcessPoolExecutor(2) of context, as 'label: outcome'."""
    try:
        executor = cf.ProcessPoolExecutor(2, mp_context=context)
    except Exception as error:
        return f"the executor raised {describe(error)}"
    try:
        return label + ": " + attempt(lambda: executor.submit(plus_one, 1).result(args.deadline))
    finally:
        end_executor(executor)


def bad_flag(args):
    out = {}
    with wrapper_executable(f"exec {sys.executable} --no-such-flag \"$@\"") as wrapper:
        context = multiprocessing.get_context("spawn")
        context.set_executable(wrapper)
        pool = context.Pool(2)
        try:
            out["multiprocessing"] = ("spawn with an interpreter flag it rejects: " + attempt(
                lambda: pool.apply_async(plus_one, (1,)).get(args.deadline))
                + " (the pool restarts the dying workers forever)")
        finally:
            end_pool(pool)
        out["concurrent.futures"] = executor_apply(context, "spawn with a rejected flag", args)
    return out


def never_connects(args):
    out = {}
    with wrapper_executable("exec sleep 600") as wrapper:
        context = multiprocessing.get_context("spawn")
        context.set_executable(wrapper)
        pool = context.Pool(2)
        try:
            text = "spawn whose executable never runs the child's code: apply " + attempt(
                lambda: pool.apply_async(plus_one, (1,)).get(args.deadline))
        finally:
            end_pool(pool)
        process = context.Process(target=plus_one, args=(1,))
        process.start()
        process.join(args.deadline)
        text += ("; a process's join() " + (f"returned (exit code {process.exitcode})" if not process.is_alive()
                                           else f"had not returned after {args.deadline} s"))
        kill_quietly([process.pid])
        out["multiprocessing"] = text
        out["concurrent.futures"] = executor_apply(context, "the same executable", args)
    return out


def garbage_channel(args):
    out = {}
    pool = multiprocessing.Pool(1)
    try:
        out["multiprocessing"] = ("a task sends a message that is no pickle on its worker's result pipe: "
                                  + attempt(lambda: pool.apply_async(write_garbage_to_results).get(args.deadline))
                                  + "; " + pool_works(pool, args.deadline))
    finally:
        end_pool(pool)
    executor = cf.ProcessPoolExecutor(1)
    try:
        out["concurrent.futures"] = ("the same on the executor's result queue: "
                                     + attempt(lambda: executor.submit(write_garbage_to_results).result(args.deadline))
                                     + "; " + executor_works(executor, args.deadline))
    finally:
        end_executor(executor)
    return out


def shm_full(args):
    code = ("from multiprocessing import shared_memory\n"
            "s = shared_memory.SharedMemory(create=True, size=4 << 20)\n"
            "print('create returned', flush=True)\n"
            "s.buf[:] = b'\\x01' * (4 << 20)\n"
            "print('the write went through', flush=True)\n"
            "s.close(); s.unlink()\n")
    try:
        done = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /dev/shm && exec \"$@\"",
                               "sh", sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=args.deadline * 6)
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"multiprocessing": f"not measured ({describe(error)})"}
    status = (f"killed by signal {-done.returncode} ({signal.Signals(-done.returncode).name})" if done.returncode < 0
              else f"exit status {done.returncode}")
    said = "; ".join(line for line in done.stdout.splitlines() if line)
    return {"multiprocessing": f"shared_memory.SharedMemory(create=True, size=4 MiB) on a 1 MiB /dev/shm, then a "
                               f"write to all of it: {said or 'nothing printed'}; the interpreter ended: {status}",
            "concurrent.futures": "n/a (shared_memory is multiprocessing's)"}


def listener_flood(args, held):
    """A Listener with an authkey and an accept loop that survives errors, as a user would write it."""
    key = os.urandom(32)
    address = os.path.join(tempfile.mkdtemp(), "listener.sock")
    listener = multiprocessing.connection.Listener(address, family="AF_UNIX", authkey=key)
    accepted = {"ok": 0, "errors": 0}

    def serve():
        while True:
            try:
                listener.accept().close()
                accepted["ok"] += 1
            except OSError:
                if listener._listener is None:
                    return
                accepted["errors"] += 1
            except Exception:
                accepted["errors"] += 1

    threading.Thread(target=serve, daemon=True).start()
    count = 500 if args.short else 10_000
    sockets = []
    before_threads = threads()
    for _ in range(count if not held else 1):
        s = socket.socket(socket.AF_UNIX)
        s.connect(address)
        if held:
            sockets.append(s)
        else:
            s.close()
    result = {}

    def real_client():
        try:
            multiprocessing.connection.Client(address, family="AF_UNIX", authkey=key).close()
            result["ok"] = True
        except Exception as error:
            result["error"] = describe(error)

    client = threading.Thread(target=real_client, daemon=True)
    started = time.monotonic()
    client.start()
    client.join(args.deadline)
    if client.is_alive():
        outcome = f"a real client gets no connection within {args.deadline} s"
    else:
        outcome = f"a real client connects in {1000 * (time.monotonic() - started):.0f} ms" if result.get("ok") \
            else f"a real client fails: {result.get('error')}"
    for s in sockets:
        s.close()
    return outcome, accepted, before_threads


def flood_held(args):
    outcome, _, _ = listener_flood(args, held=True)
    text = (f"multiprocessing.connection.Listener: one silent unauthenticated peer holds accept() in its handshake "
            f"(no deadline): {outcome}")
    return {"multiprocessing": text, "concurrent.futures": "no socket (pipes to its own children only)"}


def flood_loop(args):
    outcome, accepted, _ = listener_flood(args, held=False)
    count = 500 if args.short else 10_000
    text = (f"Listener, {count:,} peers opened and closed: accept() raised {accepted['errors']:,} times (a loop "
            f"that does not catch it dies); then {outcome}")
    return {"multiprocessing": text, "concurrent.futures": "no socket (pipes to its own children only)"}


def garbage_frames(args):
    key = os.urandom(32)
    address = os.path.join(tempfile.mkdtemp(), "listener.sock")
    listener = multiprocessing.connection.Listener(address, family="AF_UNIX", authkey=key)
    errors = []

    def serve():
        while True:
            try:
                listener.accept().close()
            except Exception as error:
                errors.append(type(error).__name__)
                if listener._listener is None:
                    return

    threading.Thread(target=serve, daemon=True).start()
    kinds = {"2 GB length prefix": struct.pack("!i", 2**31 - 1) + b"\0" * 64,
             "HTTP request": b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
             "1 KiB of random bytes": os.urandom(1024)}
    parts = []
    for name, data in kinds.items():
        worst = 0.0
        for _ in range(3 if args.short else 20):
            s = socket.socket(socket.AF_UNIX)
            s.connect(address)
            s.settimeout(5)
            s.sendall(data)
            sent = time.monotonic()
            try:
                while s.recv(4096):
                    pass
                worst = max(worst, 1000 * (time.monotonic() - sent))
            except socket.timeout:
                worst = float("inf")
            except OSError:
                worst = max(worst, 1000 * (time.monotonic() - sent))
            s.close()
        parts.append(f"{name} dropped in ≤ {worst:.1f} ms" if worst != float("inf") else f"{name} NOT dropped in 5 s")
    text = ("Listener: " + ", ".join(parts) + f"; accept() raised each time ({', '.join(sorted(set(errors)))})")
    return {"multiprocessing": text, "concurrent.futures": "no socket (pipes to its own children only)"}


def soak_imap(args):
    tasks = 20_000 if args.short else 1_000_000
    out = {}
    with multiprocessing.Pool(2) as pool:
        rss = [rss_kib()]
        before = time.monotonic()
        for i, value in enumerate(pool.imap(plus_one, range(tasks)), 1):
            if i == tasks // 2:
                rss.append(rss_kib())
        seconds = time.monotonic() - before
        rss.append(rss_kib())
    out["multiprocessing"] = (f"{tasks:,} results in {seconds:.0f} s ({tasks / seconds:,.0f} tasks/s); RSS "
                              f"{' → '.join(f'{kib / 1024:.0f} MiB' for kib in rss)}")
    with cf.ProcessPoolExecutor(2) as executor:
        rss = [rss_kib()]
        before = time.monotonic()
        count = 0
        # map() submits every item at once; in batches so the figure is per task, not the queue's memory.
        for start in range(0, tasks, 10_000):
            for _ in executor.map(plus_one, range(start, min(tasks, start + 10_000))):
                count += 1
            if start <= tasks // 2 < start + 10_000:
                rss.append(rss_kib())
        seconds = time.monotonic() - before
        rss.append(rss_kib())
    out["concurrent.futures"] = (f"{count:,} results (map in batches of 10,000) in {seconds:.0f} s; RSS "
                                 f"{' → '.join(f'{kib / 1024:.0f} MiB' for kib in rss)}")
    return out


def noop():
    pass


def soak_process(args):
    cycles = 50 if args.short else 1_000
    for _ in range(3):
        p = multiprocessing.Process(target=noop)
        p.start()
        p.join()
        p.close()
    fds, thr = len(os.listdir("/proc/self/fd")), threads()
    before = time.monotonic()
    bad = 0
    for _ in range(cycles):
        p = multiprocessing.Process(target=noop)
        p.start()
        p.join()
        bad += p.exitcode != 0
        p.close()
    seconds = time.monotonic() - before
    text = (f"Process start/join (fork) × {cycles:,}: {bad} exited other than 0, {1000 * seconds / cycles:.1f} ms per "
            f"cycle; threads {thr} → {threads()}, open fds {fds} → {len(os.listdir('/proc/self/fd'))}")
    return {"multiprocessing": text, "concurrent.futures": "n/a (no process objects)"}


SCENARIOS = {
    "sigkill-imap": sigkill_imap,
    "sigkill-burst": sigkill_burst,
    "sigstop-timeout": sigstop_timeout,
    "sigstop-no-timeout": sigstop_no_timeout,
    "parent-sigkill": parent_sigkill,
    "flood-held": flood_held,
    "flood-loop": flood_loop,
    "garbage-frames": garbage_frames,
    "bad-argument": bad_argument,
    "bad-result": bad_result,
    "bad-exception": bad_exception,
    "out-of-memory": out_of_memory,
    "stack-overflow": stack_overflow,
    "deep-result": deep_result,
    "system-exit": system_exit,
    "big-output": big_output,
    "throwing-iterator": throwing_iterator,
    "bad-jvm-flag": bad_flag,
    "never-connects": never_connects,
    "garbage-channel": garbage_channel,
    "shm-full": shm_full,
    "soak-imap": soak_imap,
    "soak-process": soak_process,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="CI sizes and a 5 s deadline for a hang")
    parser.add_argument("--out", help="the JSON file to write")
    parser.add_argument("--only", help="comma-separated scenario ids")
    parser.add_argument("--parent", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parent:
        parent_main(args.parent)
        return
    args.deadline = 5 if args.short else 20
    ids = args.only.split(",") if args.only else list(SCENARIOS)
    results = {"runtime": f"Python {platform.python_version()}, multiprocessing start method "
                          f"{multiprocessing.get_start_method()}"}
    for scenario_id in ids:
        before = time.monotonic()
        try:
            results[scenario_id] = SCENARIOS[scenario_id](args)
        except Exception as error:
            results[scenario_id] = {"multiprocessing": f"(the Python scenario failed: {describe(error)})"}
        print(f"python {scenario_id}: {time.monotonic() - before:.1f} s", file=sys.stderr, flush=True)
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
