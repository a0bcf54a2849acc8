"""A model that wakes while the user waits: the scale-out call, and an answer put aside until a copy is up.

When the endpoint has no copy of the model running (the night schedule, or scale-to-zero), the worker
that meets it (`ModelAsleep`) does not hold its Lambda for the wake, which takes minutes:

1. it asks SageMaker for copies at once (`Capacity.scale_out`: UpdateInferenceComponentRuntimeConfig, the
   call SageMaker's own no-capacity error names), rather than waiting for an alarm on the
   NoCapacityInvocationFailures metric;
2. it puts the answer back to `pending` with the wake's bound and its job (`Memory.wait_for_model`), its
   lease running out at the next try, and tells every client following it with a `waking` frame whose
   estimate comes from the last measured wake (the model's WAKE item), or the setting until one was;
3. and it returns. The sweep, which already reads every stale answer, hands a waiting one whose try came
   to a worker again (a delayed retry of its job), and ends one past its bound as `model_unavailable`.

The try that finds a copy up streams the answer as any other, to the client that sent the message and to
every client that resumed it meanwhile, and ends the model's wake, its length the next estimate.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from memchat.events import GenerationJob
from memchat.frames import Waking
from memchat.memory import Memory
from memchat.sender import Poster
from memchat.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient

logger = logging.getLogger(__name__)


class Capacity:
    """Asks SageMaker to run copies of the model's inference component (its control plane, not its runtime)."""

    def __init__(self, client: Callable[[], SageMakerClient], *, component_name: str, copies: int = 1) -> None:
        # Made on the first wake: SageMaker's control-plane model costs a worker's cold start about 0.2 s,
        # and most workers never wake the model.
        self._client = client
        self._component = component_name
        self._copies = copies

    @classmethod
    def from_settings(cls, client: Callable[[], SageMakerClient], settings: Settings) -> Capacity | None:
        """None where the model is no inference component (only those scale to zero), or waking is off."""
        if not settings.inference_component_name or not settings.model_wake:
            return None
        return cls(client, component_name=settings.inference_component_name, copies=settings.model_wake_copies)

    def scale_out(self) -> bool:
        """Ask for the copies now; False (logged) when SageMaker refused, e.g. a scale-out already in
        progress: every try of a waiting answer asks again, so one refused call delays nothing for long."""
        try:
            self._client().update_inference_component_runtime_config(
                InferenceComponentName=self._component, DesiredRuntimeConfig={"CopyCount": self._copies})
        except Exception:  # the answer waits either way; the next try asks again
            logger.info("Asking for the model's copies was refused; the next try asks again", exc_info=True)
            return False
        return True


class Wakes:
    """What a worker does when the model is asleep, and when it answers after a wake."""

    def __init__(self, *, memory: Memory, poster: Poster, capacity: Capacity, settings: Settings) -> None:
        self._memory = memory
        self._poster = poster
        self._capacity = capacity
        self._settings = settings

    def wait(self, job: GenerationJob, *, owner: str, now_ms: int) -> bool:
        """Wake the model and put the answer aside for its next try; False when the answer is no longer
        this worker's (nothing was told)."""
        settings = self._settings
        max_ms = int(settings.model_wake_max_seconds * 1000)
        wake = self._memory.begin_wake(settings.endpoint_name, now_ms=now_ms, stale_ms=max_ms)
        self._capacity.scale_out()
        since = job.waiting_since_ms if job.waiting_since_ms is not None else now_ms
        retry = job.model_copy(update={"waiting_since_ms": since, "window": None, "memories": [], "summary": ""})
        waiting = self._memory.wait_for_model(
            job.user_id, job.conversation_id, job.reply_id, owner=owner, since_ms=since, until_ms=since + max_ms,
            retry_at_ms=now_ms + int(settings.model_wake_retry_seconds * 1000), job=retry.to_payload().decode())
        if waiting is None:
            return False
        expected_ms = wake.last_ms if wake.last_ms is not None else int(settings.model_wake_default_seconds * 1000)
        frame = Waking(conversation_id=job.conversation_id, message_id=job.reply_id,
                       ready_in_seconds=ready_in_seconds(wake.since_ms, expected_ms, now_ms),
                       waited_seconds=max(0, (now_ms - since) // 1000))
        for connection_id in dict.fromkeys((job.connection_id, *waiting.connections)):
            try:
                self._poster.send(connection_id, frame)
            except Exception:  # the answer waits either way; a client that comes back resumes it
                logger.warning("Could not tell a client the model is waking", exc_info=True)
        logger.info("The model is asleep: the answer waits for it", extra={
            "wake_began": wake.began, "ready_in_seconds": frame.ready_in_seconds})
        return True

    def woke(self, *, now_ms: int) -> None:
        """A waiting answer's model answered: the wake ends, and its length is the next estimate."""
        try:
            measured = self._memory.end_wake(self._settings.endpoint_name, now_ms=now_ms)
        except Exception:  # the estimate stays the last one; the answer is not held up for it
            logger.warning("Could not record the model's wake", exc_info=True)
            return
        if measured is not None:
            logger.info("The model woke", extra={"wake_ms": measured})


def resumed_waking(memory: Memory, settings: Settings, job_ids: tuple[str, str], since_ms: int, *,
                   now_ms: int) -> Waking:
    """The `waking` frame for a client that resumes an answer waiting since `since_ms` (conversation and
    answer ids in `job_ids`), its estimate from the model's wake in progress."""
    began, last = memory.model_wake(settings.endpoint_name)
    expected_ms = last if last is not None else int(settings.model_wake_default_seconds * 1000)
    return Waking(conversation_id=job_ids[0], message_id=job_ids[1],
                  ready_in_seconds=ready_in_seconds(began if began is not None else since_ms, expected_ms, now_ms),
                  waited_seconds=max(0, (now_ms - since_ms) // 1000))


def ready_in_seconds(wake_since_ms: int, expected_ms: int, now_ms: int) -> int:
    """What is left of the expected wake, in whole seconds rounded up; 0 once it is overdue."""
    return max(0, math.ceil((wake_since_ms + expected_ms - now_ms) / 1000))
