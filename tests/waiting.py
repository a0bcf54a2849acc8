"""Waiting for a state that another thread, task or process brings about: polled until it holds, never a time.

A bound is only how long a test waits before it fails with what it was waiting for; it is generous
because the suite runs on loaded machines, and costs nothing when the state comes.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

WAIT_SECONDS = 30  # how long a test waits for something another thread or process does before it fails
POLL_SECONDS = 0.01


def wait_until(
    condition: Callable[[], T], what: str, lock: threading.Condition | None = None, *, timeout: float = WAIT_SECONDS
) -> T:
    """Wait until `condition` returns something true, and return it; fail the test if it does not within
    `timeout` s. With `lock`, the condition is read under it and a `notify` wakes the wait at once."""
    deadline = time.monotonic() + timeout
    lock = lock or threading.Condition()
    with lock:
        while not (value := condition()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"Timed out after {timeout:.0f} s waiting until {what}")
            lock.wait(min(remaining, POLL_SECONDS))
        return value


async def until(condition: Callable[[], T], what: str, *, timeout: float = WAIT_SECONDS) -> T:
    """`wait_until` for a state that tasks on the running event loop bring about."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting until {what}")
        await asyncio.sleep(POLL_SECONDS)
    return value
