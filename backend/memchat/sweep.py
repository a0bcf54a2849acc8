"""The sweep: answers whose lease ran out are ended, and the client that waited for each is told.

Run on a schedule (EventBridge every minute in AWS; every few seconds by `memchat dev`), it reads each
shard of the sparse "inflight" index for leases that ran out before now, ends each answer with a
conditional write (so a worker that renewed meanwhile keeps it), and posts an error frame naming the
answer to every connection following it (the one that sent the message, those that resumed it). With a
30 s lease, every answer whose worker dies after its first token ends within the lease plus one sweep
period: at most 90 s in AWS (before the first token the first lease also covers the model's timeout;
docs/protocol.md has the bound measured by moment).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from memchat.errors import InternalError
from memchat.frames import MessageStatus, error_frame
from memchat.memory import Memory, StaleAnswer
from memchat.sender import Poster
from memchat.tables import INFLIGHT_SHARDS

logger = logging.getLogger(__name__)

INTERRUPTED = InternalError("The answer was interrupted before it finished. Please try again.")
NOT_STARTED = InternalError("The answer could not be started. Please try again.")


@dataclass
class SweepOutcome:
    ended: list[StaleAnswer] = field(default_factory=list)
    told: int = 0  # clients told with an error frame


class Sweeper:
    def __init__(self, *, memory: Memory, poster: Poster, clock: Callable[[], float] = time.time) -> None:
        self._memory = memory
        self._poster = poster
        self._clock = clock

    def run(self) -> SweepOutcome:
        outcome = SweepOutcome()
        now_ms = int(self._clock() * 1000)
        for shard in range(INFLIGHT_SHARDS):
            for item in self._memory.stale_answers(shard, now_ms=now_ms):
                # A worker that claimed the answer started it, whether or not a renewal saved text yet
                # (its client may have read deltas): only an answer still pending was never started.
                error = NOT_STARTED if item.get("status") == MessageStatus.PENDING else INTERRUPTED
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

    def _tell(self, ended: StaleAnswer, connection_id: str, error: InternalError) -> bool:
        try:
            return self._poster.send(connection_id, error_frame(
                error, conversation_id=ended.conversation_id, message_id=ended.reply_id))
        except Exception:  # the answer is ended; a client that comes back reads it from history
            logger.warning("Could not tell a client its answer ended", exc_info=True)
            return False
