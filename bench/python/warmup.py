"""The warm-up rule of the benches, the same as the Java side's (io.multiprocess.bench.WarmUp): unmeasured runs
until at least one has run and WARM_UP_SECONDS have passed. The JVM's JIT needs it; Python is steady after one
run either way."""

import os
import time

# bench/run-all.sh --short sets 0, as for the Java side: a smoke run needs one unmeasured run, not a second.
WARM_UP_SECONDS = float(os.environ.get("BENCH_WARM_UP_SECONDS", "1"))


def warm_up(once):
    until = time.monotonic() + WARM_UP_SECONDS
    once()
    while time.monotonic() < until:
        once()
