"""The gateway's Lambda runtimes: handlers imported by name, asynchronous invocations in child processes."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from memchat_local.runtime import Functions, Runtimes
from tests.waiting import wait_until

FUNCTIONS = {"record": "tests.local.runtime_handlers:record", "fail": "tests.local.runtime_handlers:fail"}


def wait_for(path: Path) -> dict:
    """What a handler running in another process wrote to `path` (it writes the file whole, by a rename)."""
    return json.loads(wait_until(lambda: path.exists() and path.read_text(), f"a handler wrote {path.name}"))


def test_a_function_runs_its_handler_with_a_lambda_context(tmp_path: Path) -> None:
    out = tmp_path / "seen.json"
    result = Functions(FUNCTIONS).invoke("record", {"out": str(out), "value": 7})

    assert result["pid"] == os.getpid() and result["value"] == 7
    assert result["function"] == "record" and result["arn"].endswith(":function:record")
    assert 0 < result["remaining_ms"] <= 900_000


def test_an_unknown_function_is_not_one_of_them() -> None:
    functions = Functions(FUNCTIONS)
    assert "record" in functions and "memchat-nothing" not in functions
    with pytest.raises(KeyError):
        functions.invoke("memchat-nothing", {})


def test_asynchronous_invocations_run_in_other_processes_spread_over_the_pool(tmp_path: Path) -> None:
    runtimes = Runtimes(FUNCTIONS, processes=2, threads=4, warm=("record",))
    try:
        outs = [tmp_path / f"seen-{index}.json" for index in range(4)]
        for index, out in enumerate(outs):
            runtimes.invoke("record", {"out": str(out), "value": index})
        seen = [wait_for(out) for out in outs]
    finally:
        runtimes.stop()

    assert [s["value"] for s in seen] == [0, 1, 2, 3]
    pids = {s["pid"] for s in seen}
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_failing_handler_leaves_its_process_serving(tmp_path: Path) -> None:
    runtimes = Runtimes(FUNCTIONS, processes=1, threads=2)
    try:
        runtimes.invoke("fail", {})
        runtimes.invoke("record", {"out": str(tmp_path / "after.json"), "value": "still here"})
        assert wait_for(tmp_path / "after.json")["value"] == "still here"
    finally:
        runtimes.stop()


def test_a_runtime_that_died_is_replaced_on_the_next_invocation(tmp_path: Path) -> None:
    runtimes = Runtimes(FUNCTIONS, processes=1, threads=2)
    try:
        first = runtimes.processes[0]
        first.kill()
        first.join()
        runtimes.invoke("record", {"out": str(tmp_path / "after.json"), "value": "again"})
        seen = wait_for(tmp_path / "after.json")
    finally:
        runtimes.stop()

    assert seen["value"] == "again" and seen["pid"] != first.pid


def test_stopping_ends_every_child() -> None:
    runtimes = Runtimes(FUNCTIONS, processes=2, threads=2)
    runtimes.stop()
    assert not any(process.is_alive() for process in runtimes.processes)


def test_a_ctrl_c_while_a_runtime_still_starts_leaves_it_serving(tmp_path: Path) -> None:
    # The terminal's Ctrl-C reaches the whole process group, the runtimes too, maybe before they ignore it.
    runtimes = Runtimes(FUNCTIONS, processes=1)
    try:
        os.kill(runtimes.processes[0].pid, signal.SIGINT)  # at once: the child is still importing
        out = tmp_path / "after.json"
        runtimes.invoke("record", {"out": str(out), "value": 1})
        assert wait_for(out)["value"] == 1 and runtimes.processes[0].exitcode is None
    finally:
        runtimes.stop()
