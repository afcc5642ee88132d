"""The Python library the bench scripts measure: the standard multiprocessing, or, with
BENCH_PYTHON_LIBRARY=multiprocess, uqfoundation's multiprocess (its dill-powered fork, the library this project
rebuilds for the JVM). The variable is inherited, so spawned and forkserver children import the same one.

    from peer import multiprocessing, LIBRARY, describe
"""

import importlib
import os
import platform

LIBRARY = os.environ.get("BENCH_PYTHON_LIBRARY", "multiprocessing")
if LIBRARY not in ("multiprocessing", "multiprocess"):
    raise SystemExit(f"BENCH_PYTHON_LIBRARY must be multiprocessing or multiprocess, not {LIBRARY!r}")
multiprocessing = importlib.import_module(LIBRARY)


def describe():
    """The runtime line of a report: interpreter, and the library with its version when it is not the stdlib's."""
    runtime = f"Python {platform.python_version()} ({platform.python_implementation()})"
    if LIBRARY == "multiprocessing":
        return runtime + ", multiprocessing"
    import dill
    return f"{runtime}, multiprocess {multiprocessing.__version__} (dill {dill.__version__})"
