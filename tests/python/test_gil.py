"""The interpreter lock is released while the core reads a file: every entry point that takes a path
(`analyze`, `customers`, `partial`) is called on a named pipe in a second thread, where the core blocks
opening and reading it; only if the lock is released can the main thread then open the pipe, write an
export into it and close it. Each case runs in a child interpreter with a generous limit, so a lock held
by the core (a deadlock) fails the test instead of hanging it; nothing is timed.

The entry points that take bytes or numbers (`fit`, `merge`, `report`, and the others given `bytes`)
release the lock in the same way (`Python::detach` in crates/python/src): their inputs are copied out of
Python objects before it and the results handed back after it, by code review."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import ltv_lens
from conftest import FIXTURES, cli_report

EXPORT = FIXTURES / "segments_cohorts_lapse.csv"

# The child: `function` called on the pipe in a thread, the export written into the pipe by the main
# thread, the thread joined, its result (or error) pickled into `out`.
CHILD = r"""
import pickle, sys, threading
import ltv_lens

function, pipe, export, out = sys.argv[1:5]
result = {}

def work():
    try:
        result["value"] = getattr(ltv_lens, function)(pipe)
    except BaseException as error:
        result["error"] = repr(error)

thread = threading.Thread(target=work)
thread.start()
with open(pipe, "wb") as writer:
    writer.write(open(export, "rb").read())
thread.join(120)
result["finished"] = not thread.is_alive()
with open(out, "wb") as file:
    pickle.dump(result, file)
"""


def through_a_pipe(function: str, tmp_path: Path) -> object:
    """What `ltv_lens.<function>(pipe)` returned in a second thread while the main thread wrote the
    export into the pipe."""
    pipe, out = tmp_path / "orders.csv", tmp_path / "result.pickle"
    os.mkfifo(pipe)
    try:
        subprocess.run(
            [sys.executable, "-c", CHILD, function, str(pipe), str(EXPORT), str(out)],
            check=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{function} on a named pipe hung: the core holds the interpreter lock while it reads")
    result = pickle.loads(out.read_bytes())
    assert result["finished"], f"{function} did not finish"
    assert "error" not in result, result.get("error")
    return result["value"]


def test_analyze_reads_a_pipe_without_the_lock(tmp_path: Path) -> None:
    assert through_a_pipe("analyze", tmp_path) == cli_report(EXPORT)


def test_customers_reads_a_pipe_without_the_lock(tmp_path: Path) -> None:
    table = through_a_pipe("customers", tmp_path)
    assert table.equals(ltv_lens.customers(EXPORT))
    assert table.num_rows == cli_report(EXPORT)["kpis"]["customers"]


def test_partial_reads_a_pipe_without_the_lock(tmp_path: Path) -> None:
    state = through_a_pipe("partial", tmp_path)
    assert state == ltv_lens.partial(EXPORT.read_bytes())
    assert ltv_lens.report(state) == cli_report(EXPORT)
