"""Puts ManagerBench's JSON (ours) and manager_bench.py's JSON (Python's) into the one Markdown table
bench/run-manager.sh prints: the same two-column table as the connection benchmark's, with its own note.

Run: python3 merge_manager.py OURS.json PYTHON.json
"""

import sys

import merge_connection

NOTE = ("This process calls a dict proxy of a manager whose server is a child process, over the manager's"
        " UNIX-domain socket; every figure is one call, a full round trip (reduced call out, reduced result back).")

if __name__ == "__main__":
    merge_connection.main(sys.argv[1], sys.argv[2], note=NOTE)
