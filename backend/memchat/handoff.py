"""Handing generation (and a conversation's purge, an export's build) off to the worker Lambda, so none is cut
by API Gateway's 29 s timeout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memchat.errors import InternalError
from memchat.events import ExportJob, GenerationJob, PurgeJob

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient


# An asynchronous invoke's payload is at most 256 KB; a job over this leaves its prompt window behind,
# and the worker reads it from memory itself.
MAX_PAYLOAD_BYTES = 200 * 1024
_EXPORT_NOT_STARTED = "The export could not be started. Please ask for it again."


class WorkerInvoker:
    """Starts the worker with an asynchronous invoke: Lambda queues it and answers 202 at once."""

    def __init__(self, client: LambdaClient, *, function_name: str) -> None:
        self._client = client
        self._function_name = function_name

    def start(self, job: GenerationJob | PurgeJob | ExportJob) -> None:
        payload = job.to_payload()
        if len(payload) > MAX_PAYLOAD_BYTES and isinstance(job, GenerationJob) and job.window is not None:
            payload = job.model_copy(update={"window": None}).to_payload()
        refused = (_EXPORT_NOT_STARTED if isinstance(job, ExportJob)
                   else "The answer could not be started. Please send the message again.")
        try:
            response = self._client.invoke(FunctionName=self._function_name, InvocationType="Event", Payload=payload)
        except Exception as exc:
            raise InternalError(refused) from exc
        if response.get("StatusCode") != 202:
            raise InternalError(refused)
