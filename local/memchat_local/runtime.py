"""Where the local gateway runs Lambda handler code: the Lambda context, and execution environments.

In AWS an asynchronous invocation (the hand-off to the generation worker) runs in an execution
environment of its own, never in the interpreter of the gateway or of the chat function. `Runtimes`
plays that part with a few child processes, so the workers' streaming (reading the model's event
stream, posting deltas) does not share one interpreter lock with the gateway's sockets. Each child runs
many invocations at once on threads: one process per invocation, as Lambda has, would cost about 80 MB
each, and the standard library's ProcessPoolExecutor runs only one task per process at a time, hence
this small pool.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from queue import Empty
from typing import Any

logger = logging.getLogger("memchat.runtime")

ACCOUNT_ID = "000000000000"
REGION = "local"

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class LambdaContext:
    """The parts of Lambda's context object that handlers and Powertools read."""

    function_name: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    memory_limit_in_mb: int = 1024
    function_version: str = "$LATEST"
    deadline: float = field(default_factory=lambda: time.monotonic() + 900)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


class Functions:
    """Handlers by function name, imported on first use (a cold start) from "module:function"."""

    def __init__(self, functions: dict[str, str]) -> None:
        self.specs = functions
        self._handlers: dict[str, Handler] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.specs

    def handler(self, name: str) -> Handler:
        handler = self._handlers.get(name)
        if handler is None:
            module_name, _, attribute = self.specs[name].partition(":")
            handler = getattr(importlib.import_module(module_name), attribute)
            self._handlers[name] = handler
        return handler

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        return self.handler(name)(event, LambdaContext(name))


class Runtimes:
    """Child processes that run asynchronous invocations, each on a pool of threads.

    `invoke` only queues the event and returns at once, as Lambda's asynchronous invoke does; a
    handler's failure is logged by the child that ran it.
    """

    def __init__(self, functions: dict[str, str], *, processes: int, threads: int = 256,
                 warm: tuple[str, ...] = ()) -> None:
        self._context = multiprocessing.get_context("spawn")  # a clean interpreter, as a new environment is
        self._args = (functions, threads, warm)
        self._queues = [self._context.Queue() for _ in range(processes)]
        self.processes = [self._start(index) for index in range(processes)]
        self._next = itertools.cycle(range(processes))

    def _start(self, index: int) -> multiprocessing.process.BaseProcess:
        functions, threads, warm = self._args
        process = self._context.Process(target=_serve, args=(functions, self._queues[index], threads, warm),
                                        name=f"lambda-runtime-{index}", daemon=True)
        # SIGINT stays blocked in the child (the mask survives exec) until it ignores it: a Ctrl-C that
        # reaches the group while the child still imports is no KeyboardInterrupt traceback.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return process

    def invoke(self, name: str, event: dict[str, Any]) -> None:
        index = next(self._next)
        if not self.processes[index].is_alive():
            # A crashed environment is replaced, as Lambda replaces one; what it held is lost with it.
            logger.warning("Lambda runtime %d exited with %s; starting a new one", index,
                           self.processes[index].exitcode)
            self._queues[index] = self._context.Queue()
            self.processes[index] = self._start(index)
        self._queues[index].put((name, event))

    def stop(self, timeout: float = 5.0) -> None:
        for queue in self._queues:
            queue.put(None)
        deadline = time.monotonic() + timeout
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for queue in self._queues:
            queue.close()


def _serve(functions: dict[str, str], queue: Any, threads: int, warm: tuple[str, ...]) -> None:
    """A child's main loop: take events off its queue and run each on a thread until told to stop, or
    until the gateway is gone (killed without a chance to tell)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the gateway stops us
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    # A Lambda environment runs one invocation at a time; here one process runs many, whose threads
    # take turns on the interpreter lock. A shorter turn than the default 5 ms keeps one answer's
    # parsing from holding up another's first token (at a few per cent more CPU).
    sys.setswitchinterval(0.001)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    gateway = os.getppid()
    registry = Functions(functions)
    for name in warm:  # import the handlers now, not in the first user's turn
        registry.handler(name)
    pool = ThreadPoolExecutor(threads, thread_name_prefix="async-invoke")
    while os.getppid() == gateway:
        try:
            item = queue.get(timeout=1.0)
        except Empty:
            continue
        if item is None:
            break
        name, event = item
        pool.submit(_run, registry, name, event)
    pool.shutdown(wait=False, cancel_futures=True)


def _run(registry: Functions, name: str, event: dict[str, Any]) -> None:
    try:
        registry.invoke(name, event)
    except Exception:
        logger.exception("Asynchronous invoke of %s failed", name)
