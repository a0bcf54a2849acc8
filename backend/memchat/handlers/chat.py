"""Every chat route (sendMessage, getHistory, listConversations, deleteConversation, stopGeneration,
ping and $default): parse the frame, run it, and turn any error into one error frame."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from aws_lambda_powertools import Logger
from pydantic import ValidationError
from pydantic_core import from_json

from memchat import clients
from memchat.chat import Caller, Chat
from memchat.errors import ChatError, InternalError
from memchat.events import parse
from memchat.frames import ID, error_frame, parse_client_frame
from memchat.handlers import snapshotting
from memchat.handlers.metering import Meter
from memchat.handoff import WorkerInvoker
from memchat.memory import Memory
from memchat.sender import Poster
from memchat.settings import get_settings
from memchat.socket_events import MessageEvent

logger = Logger(service="memchat")
meter = Meter()


@cache
def chat() -> Chat:
    settings = get_settings()
    return Chat(
        memory=Memory.from_settings(clients.dynamodb(), settings),
        poster=Poster(clients.management_api()),
        worker=WorkerInvoker(clients.lambda_(), function_name=settings.worker_function_name),
        settings=settings,
        count=lambda name: meter.count(name),
    )


def handle(event: dict[str, Any], service: Chat) -> dict[str, Any]:
    request = parse(MessageEvent, event)
    context = request.request_context
    try:
        # Inside the try: a route reached without the authorizer's context is answered `unauthorized`.
        caller = Caller(user_id=context.user_id(), connection_id=context.connection_id)
        service.handle(caller, parse_client_frame(request.body))
    except ChatError as exc:
        _reply_error(service.poster, context.connection_id, exc, request.body)
    except Exception as exc:
        logger.exception("Route failed", extra={"route": context.route_key})
        _reply_error(service.poster, context.connection_id, InternalError(), request.body, cause=exc)
    return {"statusCode": 200}


def _reply_error(
    poster: Poster, connection_id: str, error: ChatError, body: Any, cause: Exception | None = None
) -> None:
    if error.code != "internal":
        logger.info("Refused a frame", extra={"code": error.code.value, "reason": error.message})
    ids = _ids_of(body)
    try:
        poster.send(connection_id, error_frame(error, **ids))
    except Exception:
        logger.exception("Could not report an error to the client", extra={"cause": repr(cause)})


def _ids_of(body: Any) -> dict[str, Any]:
    """The ids a refused frame carried, when readable, so the client can tell which request failed.

    Parsed with pydantic's JSON parser, which refuses deep nesting with a ValueError of its own; the
    standard library's recursive parser would raise RecursionError on a frame nested ~1,000 deep.
    """
    try:
        raw = from_json(body)
    except (TypeError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    ids: dict[str, Any] = {}
    try:
        ids["client_message_id"] = UUID(str(raw["clientMessageId"]))
    except (KeyError, ValueError):
        pass
    for field, key in (("conversation_id", "conversationId"), ("message_id", "messageId")):
        try:
            ids[field] = ID.validate_python(raw.get(key))
        except ValidationError:
            pass
    return ids


@meter.metered
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, chat())


if snapshotting():  # SnapStart: built into the snapshot, not after every restore
    chat()
