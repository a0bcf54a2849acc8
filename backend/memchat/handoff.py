"""Handing generation off to the worker Lambda, so no answer is cut by API Gateway's 29 s timeout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memchat.errors import InternalError
from memchat.events import GenerationJob

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient


class WorkerInvoker:
    """Starts the worker with an asynchronous invoke: Lambda queues it and answers 202 at once."""

    def __init__(self, client: LambdaClient, *, function_name: str) -> None:
        self._client = client
        self._function_name = function_name

    def start(self, job: GenerationJob) -> None:
        try:
            response = self._client.invoke(
                FunctionName=self._function_name, InvocationType="Event", Payload=job.to_payload()
            )
        except Exception as exc:
            raise InternalError("The answer could not be started. Please send the message again.") from exc
        if response.get("StatusCode") != 202:
            raise InternalError("The answer could not be started. Please send the message again.")
