"""The local endpoint's copies of the model, as an inference component that scales to zero (`--wake-seconds`).

With a wake time, the endpoint starts with no copy running, as SageMaker's component does after the night
schedule or a scale-in to zero: every invocation is refused with SageMaker's own no-capacity error. The
scale-out call AWS documents, `UpdateInferenceComponentRuntimeConfig` with a CopyCount of one or more
(served by the endpoint on SageMaker's control-plane route, so boto3's `sagemaker` client reaches it),
starts a copy, which is up `wake_seconds` later; a CopyCount of 0 (or `POST /local/sleep`) puts the model
to sleep again. `GET /local/capacity?until=<state>` answers once the model is in that state, so a test
waits for the state instead of sleeping for the wake; `POST /local/sleep?hold=true` keeps a scale-out
waking until `POST /local/wake`, for a test that must act while the model wakes. Without a wake time a
copy always runs.
"""

from __future__ import annotations

import asyncio
import time
from enum import StrEnum


class State(StrEnum):
    ASLEEP = "asleep"  # no copy, and none asked for
    WAKING = "waking"  # a copy asked for, not yet up
    AWAKE = "awake"  # a copy runs


# SageMaker's refusal of an invoke on an inference component with no copy running: a ValidationError, HTTP
# 400, with this message (AWS Machine Learning Blog, "Unlock cost savings with the new scale down to zero
# feature in SageMaker Inference", 2024-12-03, which shows it from InvokeEndpoint).
NO_CAPACITY_MESSAGE = ("Inference Component has no capacity to process this request. ApplicationAutoScaling may be "
                       "in-progress (if configured) or try to increase the capacity by invoking "
                       "UpdateInferenceComponentRuntimeConfig API.")


class Capacity:
    """Whether a copy of the model runs; wakes `wake_seconds` after a scale-out. Lives on one event loop."""

    def __init__(self, wake_seconds: float = 0.0) -> None:
        self.wake_seconds = wake_seconds
        self.state = State.ASLEEP if wake_seconds > 0 else State.AWAKE
        self.scale_outs = 0  # scale-out calls received, for tests
        self.refused = 0  # invocations refused for no capacity (SageMaker's NoCapacityInvocationFailures)
        self.waking_since: float | None = None  # time.time() of the scale-out that began the wake
        self.held = False  # a wake waits for `wake()` instead of its time (tests)
        self._changed = asyncio.Condition()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def serving(self) -> bool:
        return self.state is State.AWAKE

    def refuse(self) -> None:
        self.refused += 1

    async def scale(self, copies: int) -> None:
        """The component's desired copy count: 0 puts the model to sleep, more wakes it (once)."""
        if copies <= 0:
            await self.sleep()
            return
        self.scale_outs += 1
        if self.state is not State.ASLEEP:
            return  # already waking or awake: SageMaker keeps the update in progress
        self.waking_since = time.time()
        if not self.held:
            self._timer = asyncio.get_running_loop().call_later(self.wake_seconds, self._up)
        await self._set(State.WAKING)

    async def sleep(self, *, hold: bool = False) -> None:
        """No copy runs any more (a scale-in to zero), for tests that need the model asleep again; with
        `hold`, the next wake lasts until `wake()`."""
        self._cancel()
        self.waking_since = None
        self.held = hold
        await self._set(State.ASLEEP if self.wake_seconds > 0 else State.AWAKE)

    async def wake(self) -> None:
        """A copy is up now, whatever was asked (tests)."""
        self._cancel()
        self.held = False
        await self._set(State.AWAKE)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def until(self, state: State, timeout: float) -> bool:
        """Wait until the model is in `state`; False after `timeout` seconds."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: self.state is state), timeout)
            except TimeoutError:
                return False
        return True

    def view(self) -> dict[str, object]:
        return {"state": self.state.value, "wakeSeconds": self.wake_seconds, "scaleOuts": self.scale_outs,
                "refused": self.refused, "wakingSince": self.waking_since, "held": self.held}

    def _up(self) -> None:
        self._timer = None
        asyncio.get_running_loop().create_task(self._set(State.AWAKE))

    async def _set(self, state: State) -> None:
        async with self._changed:
            self.state = state
            self._changed.notify_all()
