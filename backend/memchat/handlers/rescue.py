"""The worker's on-failure destination: a generation Lambda gave up on (retries exhausted, the event too
old, or dropped) still reaches an end state, and the client is told.

Lambda sends the original job as `requestPayload`; an answer still pending or streaming is marked
`failed` (a partial text it saved stays), and an error frame naming the answer goes to the socket.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict, Field

from memchat import clients
from memchat.errors import InternalError
from memchat.events import ExportJob, GenerationJob, WorkerJob
from memchat.frames import error_frame
from memchat.handlers.metering import Meter
from memchat.memory import Memory
from memchat.sender import Poster
from memchat.settings import get_settings

logger = Logger(service="memchat")
meter = Meter()
EXPORT_DROPPED = "Your data could not be gathered for the export. Please ask for it again."


class InvocationRecord(BaseModel):
    """Lambda's record of an asynchronous invocation sent to its on-failure destination."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    condition: str = ""
    request_payload: WorkerJob = Field(alias="requestPayload")

    @classmethod
    def parse(cls, event: dict[str, Any]) -> InvocationRecord:
        condition = (event.get("requestContext") or {}).get("condition", "")
        return cls.model_validate({**event, "condition": condition})


@cache
def services() -> tuple[Memory, Poster]:
    return Memory.from_settings(clients.dynamodb(), get_settings()), Poster(clients.management_api())


def handle(event: dict[str, Any], memory: Memory, poster: Poster) -> dict[str, Any]:
    record = InvocationRecord.parse(event)
    job = record.request_payload
    meter.count("GenerationsDropped")
    if isinstance(job, ExportJob):  # its first page never came: the client is told to ask again
        logger.error("An export was dropped", extra={"condition": record.condition})
        try:
            poster.send(job.connection_id, error_frame(InternalError(EXPORT_DROPPED)))
        except Exception:
            logger.exception("Could not tell the client its export was dropped")
        return {"ended": False}
    if not isinstance(job, GenerationJob):
        logger.error("A background job was dropped", extra={"task": job.task, "condition": record.condition})
        return {"ended": False}
    error = InternalError("The answer could not be generated. Please try again.")
    followers = memory.abandon_reply(job.user_id, job.conversation_id, job.reply_id, error_code=error.code.value)
    ended = followers is not None
    logger.warning("A dropped generation was ended", extra={"condition": record.condition, "ended": ended})
    for connection_id in dict.fromkeys((job.connection_id, *(followers or {}))) if ended else ():
        try:
            poster.send(connection_id, error_frame(error, conversation_id=job.conversation_id,
                                                   message_id=job.reply_id))
        except Exception:  # the answer is marked; a client that reconnects reads it from history
            logger.warning("Could not tell a client of a dropped generation", exc_info=True)
    return {"ended": ended}


@meter.metered
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    memory, poster = services()
    return handle(event, memory, poster)
