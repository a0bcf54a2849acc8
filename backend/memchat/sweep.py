"""The sweep: answers whose lease ran out are ended, and the client that waited for each is told.

Run on a schedule (EventBridge every minute in AWS; every few seconds by `memchat dev`), it reads each
shard of the sparse "inflight" index for leases that ran out before now, ends each answer with a
conditional write (so a worker that renewed meanwhile keeps it), and posts an error frame naming the
answer to every connection following it (the one that sent the message, those that resumed it). With a
30 s lease, every answer whose worker dies after its first token ends within the lease plus one sweep
period: at most 90 s in AWS (before the first token the first lease also covers the model's timeout;
docs/protocol.md has the bound measured by moment).

An answer waiting for the model to wake (memchat.waking) is stale too, by design, once its try comes: the
sweep tells it from a dead one by its `wakeUntil`, hands it to a worker again (`retry`, a delayed retry
of its job) until that bound, and ends it as `model_unavailable` from then on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from memchat.errors import ChatError, InternalError, ModelUnavailable
from memchat.events import GenerationJob
from memchat.frames import MessageStatus, error_frame
from memchat.memory import Memory, StaleAnswer
from memchat.sender import Poster
from memchat.tables import INFLIGHT_SHARDS

logger = logging.getLogger(__name__)

INTERRUPTED = InternalError("The answer was interrupted before it finished. Please try again.")
NOT_STARTED = InternalError("The answer could not be started. Please try again.")
WAKE_TIMED_OUT = ModelUnavailable("The assistant did not wake up in time. Please try again in a few minutes.")


@dataclass
class SweepOutcome:
    ended: list[StaleAnswer] = field(default_factory=list)
    told: int = 0  # clients told with an error frame
    retried: list[str] = field(default_factory=list)  # answers waiting for the model, handed to a worker again


class Sweeper:
    def __init__(self, *, memory: Memory, poster: Poster, retry: Callable[[GenerationJob], None] | None = None,
                 retry_lease_seconds: float = 120.0, clock: Callable[[], float] = time.time) -> None:
        self._memory = memory
        self._poster = poster
        self._retry = retry  # starts a worker on a job (WorkerInvoker.start)
        self._retry_lease_ms = int(retry_lease_seconds * 1000)  # for that worker to claim the answer
        self._clock = clock

    def run(self) -> SweepOutcome:
        outcome = SweepOutcome()
        now_ms = int(self._clock() * 1000)
        for shard in range(INFLIGHT_SHARDS):
            for item in self._memory.stale_answers(shard, now_ms=now_ms):
                error: ChatError
                if item.get("status") == MessageStatus.PENDING and "wakeUntil" in item:
                    if int(item["wakeUntil"]) > now_ms:
                        self._try_again(item, now_ms, outcome)
                        continue
                    error = WAKE_TIMED_OUT  # waited for the model to its bound
                elif item.get("status") == MessageStatus.PENDING:
                    # A worker that claimed the answer started it, whether or not a renewal saved text yet
                    # (its client may have read deltas): only an answer still pending was never started.
                    error = NOT_STARTED
                else:
                    error = INTERRUPTED
                ended = self._memory.end_stale(item, now_ms=now_ms, error_code=error.code.value,
                                               error_message=error.message)
                if ended is None:
                    continue  # renewed or finished since the read
                outcome.ended.append(ended)
                outcome.told += sum(self._tell(ended, connection, error) for connection in ended.connections)
        if outcome.ended:
            logger.warning("Ended answers whose worker was gone", extra={"ended": len(outcome.ended),
                                                                          "told": outcome.told})
        return outcome

    def _try_again(self, item: dict, now_ms: int, outcome: SweepOutcome) -> None:
        """Hand an answer waiting for the model to a worker for its next try (once, whichever sweep takes it)."""
        if self._retry is None or not self._memory.retry_waiting(item, now_ms=now_ms, lease_ms=self._retry_lease_ms):
            return
        job = GenerationJob.model_validate_json(item["wakeJob"])
        try:
            self._retry(job)
        except Exception:  # its lease runs out again, and a later sweep tries once more
            logger.warning("Could not start a waiting answer's next try", exc_info=True)
            return
        outcome.retried.append(job.reply_id)

    def _tell(self, ended: StaleAnswer, connection_id: str, error: ChatError) -> bool:
        try:
            return self._poster.send(connection_id, error_frame(
                error, conversation_id=ended.conversation_id, message_id=ended.reply_id))
        except Exception:  # the answer is ended; a client that comes back reads it from history
            logger.warning("Could not tell a client its answer ended", exc_info=True)
            return False
