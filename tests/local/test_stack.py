"""The stack's supervision of its children, on real short-lived processes: restarts with a growing delay,
and a child that keeps dying is given up on, plainly logged."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import pytest

from memchat_local.stack import RestartPolicy, Stack, StackOptions, describe_exit


def test_the_delay_doubles_up_to_its_ceiling():
    policy = RestartPolicy(first_delay=0.5, max_delay=4.0)
    assert [policy.delay(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_an_exit_says_how_the_child_ended():
    assert describe_exit(-9) == "was killed by SIGKILL"
    assert describe_exit(3) == "exited with code 3"


def test_a_child_that_keeps_dying_is_restarted_a_bounded_number_of_times_then_given_up(tmp_path: Path, caplog):
    policy = RestartPolicy(max_restarts=3, window=60.0, first_delay=0.01, max_delay=0.02)
    stack = Stack(StackOptions(data_dir=tmp_path, restart=policy))
    started: list[asyncio.subprocess.Process] = []

    async def start() -> None:
        started.append(await asyncio.create_subprocess_exec(sys.executable, "-c", "raise SystemExit(3)"))

    async def supervise() -> None:
        await start()
        await asyncio.wait_for(stack._supervise("The flaky child", lambda: started[-1], start, tmp_path / "x.log"),
                               timeout=60)

    with caplog.at_level(logging.INFO, logger="memchat.stack"):
        asyncio.run(supervise())

    assert len(started) == 1 + policy.max_restarts
    messages = [record.getMessage() for record in caplog.records]
    assert sum("exited with code 3; restarting it" in m for m in messages) == policy.max_restarts
    assert any("after 3 restarts in 60 s: not restarting it again" in m for m in messages)
    assert [r.levelname for r in caplog.records if "not restarting" in r.getMessage()] == ["ERROR"]


def test_a_child_that_fails_to_start_again_counts_as_another_death(tmp_path: Path, caplog):
    policy = RestartPolicy(max_restarts=2, window=60.0, first_delay=0.01, max_delay=0.01)
    stack = Stack(StackOptions(data_dir=tmp_path, restart=policy))
    attempts = 0

    async def first() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(sys.executable, "-c", "raise SystemExit(1)")

    async def supervise() -> None:
        process = await first()

        async def start() -> None:
            nonlocal attempts
            attempts += 1
            raise RuntimeError("The model endpoint did not start")

        await asyncio.wait_for(stack._supervise("The endpoint", lambda: process, start, tmp_path / "x.log"),
                               timeout=60)

    with caplog.at_level(logging.INFO, logger="memchat.stack"):
        asyncio.run(supervise())

    assert attempts == policy.max_restarts
    assert any("did not start again" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("signal_number", [9, 15])
def test_a_signal_is_named(signal_number: int):
    assert describe_exit(-signal_number).startswith("was killed by SIG")


@pytest.mark.parametrize("server", ["tgi", "vllm"])
def test_the_backend_is_told_which_server_the_endpoint_stands_for(server: str):
    assert StackOptions(model_server=server).environment()["MEMCHAT_MODEL_SERVER"] == server
