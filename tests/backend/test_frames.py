"""The wire protocol: client frames parse or are refused clearly; server frames are camelCase JSON."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from memchat.errors import (
    BadRequest,
    ChatError,
    ErrorCode,
    InternalError,
    ModelFailed,
    ModelUnavailable,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthorized,
)
from memchat.frames import (
    CLIENT_ACTIONS,
    Ack,
    Conversations,
    ConversationView,
    DeleteConversation,
    Deleted,
    Delta,
    Done,
    ErrorFrame,
    FinishReason,
    GetHistory,
    History,
    ListConversations,
    MessageStatus,
    MessageView,
    Ping,
    Pong,
    Role,
    SendMessage,
    StopGeneration,
    Usage,
    dumps_schema,
    error_frame,
    json_schemas,
    parse_client_frame,
    parse_server_frame,
    wire_size,
)

CONVERSATION = "9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c"
MESSAGE = "0193a1b2c3d40a1b2c3d4e5"
CLIENT_MESSAGE = uuid.UUID("0b8f8a2e-5c1d-4a7e-9f3b-2d6c4e8a1f05")
WHEN = datetime(2024, 11, 25, 10, 15, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"action": "sendMessage", "clientMessageId": str(CLIENT_MESSAGE), "text": "Hi"},
         SendMessage(action="sendMessage", client_message_id=CLIENT_MESSAGE, text="Hi")),
        ({"action": "sendMessage", "conversationId": CONVERSATION, "clientMessageId": str(CLIENT_MESSAGE),
          "text": "Hi"},
         SendMessage(action="sendMessage", conversation_id=CONVERSATION, client_message_id=CLIENT_MESSAGE,
                     text="Hi")),
        ({"action": "getHistory", "conversationId": CONVERSATION, "before": MESSAGE, "limit": 10},
         GetHistory(action="getHistory", conversation_id=CONVERSATION, before=MESSAGE, limit=10)),
        ({"action": "listConversations", "cursor": "eyJwayI6IlUifQ=="},
         ListConversations(action="listConversations", cursor="eyJwayI6IlUifQ==")),
        ({"action": "deleteConversation", "conversationId": CONVERSATION},
         DeleteConversation(action="deleteConversation", conversation_id=CONVERSATION)),
        ({"action": "stopGeneration", "conversationId": CONVERSATION, "messageId": MESSAGE},
         StopGeneration(action="stopGeneration", conversation_id=CONVERSATION, message_id=MESSAGE)),
        ({"action": "ping"}, Ping(action="ping")),
    ],
    ids=lambda value: value["action"] if isinstance(value, dict) else "",
)
def test_every_client_frame_parses_from_camel_case_json(body, expected):
    assert parse_client_frame(json.dumps(body)) == expected


def test_client_frames_parse_from_bytes():
    assert parse_client_frame(b'{"action":"ping"}') == Ping(action="ping")


def test_the_documented_actions_are_exactly_the_parsed_ones():
    schema = json_schemas()["client-frame.schema.json"]
    assert set(schema["discriminator"]["mapping"]) == set(CLIENT_ACTIONS)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (None, "Empty frame"),
        ("", "Empty frame"),
        ("hello?", "Invalid JSON"),
        ('{"action": "sendMessage", "text": ', "Invalid JSON"),
        ("[]", "frame"),
        ('{"text": "hi"}', "'action'"),
        ('{"action": "shout"}', "unknown action; expected one of sendMessage"),
        ('{"action": "sendMessage", "text": "hi"}', "clientMessageId: Field required"),
        ('{"action": "sendMessage", "clientMessageId": "42", "text": "hi"}', "clientMessageId"),
        (f'{{"action": "sendMessage", "clientMessageId": "{CLIENT_MESSAGE}", "text": ""}}', "text"),
        (f'{{"action": "sendMessage", "clientMessageId": "{CLIENT_MESSAGE}", "text": 7}}', "text"),
        (f'{{"action": "sendMessage", "conversationId": "U#bob#C#1", "clientMessageId": "{CLIENT_MESSAGE}", '
         '"text": "hi"}', "conversationId"),
        (f'{{"action": "sendMessage", "clientMessageId": "{CLIENT_MESSAGE}", "text": "hi", "model": "gpt"}}',
         "does not take"),
        ('{"action": "getHistory"}', "conversationId: Field required"),
        (f'{{"action": "getHistory", "conversationId": "{CONVERSATION}", "limit": 0}}', "limit"),
        (f'{{"action": "getHistory", "conversationId": "{CONVERSATION}", "limit": 101}}', "limit"),
        (f'{{"action": "getHistory", "conversationId": "{CONVERSATION}", "before": "M#1"}}', "before"),
        ('{"action": "listConversations", "cursor": "' + "x" * 2049 + '"}', "cursor"),
        ('{"action": "deleteConversation", "conversationId": "ABC"}', "conversationId"),
        (f'{{"action": "stopGeneration", "conversationId": "{CONVERSATION}"}}', "messageId: Field required"),
        ('{"action": "ping", "at": 1}', "does not take"),
    ],
)
def test_every_malformed_frame_is_a_bad_request_that_says_what_is_wrong(body, says):
    with pytest.raises(BadRequest) as refused:
        parse_client_frame(body)
    assert refused.value.code is ErrorCode.BAD_REQUEST
    assert says in refused.value.message


def test_a_bad_request_names_at_most_three_problems():
    body = '{"action": "stopGeneration", "conversationId": "X", "messageId": "Y", "a": 1, "b": 2}'
    with pytest.raises(BadRequest) as refused:
        parse_client_frame(body)
    assert refused.value.message.startswith("Invalid frame: ")
    assert refused.value.message.count(";") == 2


def test_server_frames_serialize_camel_case_without_empty_fields():
    ack = Ack(client_message_id=CLIENT_MESSAGE, conversation_id=CONVERSATION, message_id=MESSAGE, reply_id=MESSAGE)
    done = Done(conversation_id=CONVERSATION, message_id=MESSAGE, finish_reason=FinishReason.STOPPED,
                usage=Usage(prompt_tokens=120, completion_tokens=7))
    error = error_frame(NotFound(), conversation_id=CONVERSATION)

    assert json.loads(ack.to_wire()) == {
        "type": "ack", "clientMessageId": str(CLIENT_MESSAGE), "conversationId": CONVERSATION,
        "messageId": MESSAGE, "replyId": MESSAGE,
    }
    assert json.loads(done.to_wire()) == {
        "type": "done", "conversationId": CONVERSATION, "messageId": MESSAGE, "finishReason": "stopped",
        "usage": {"promptTokens": 120, "completionTokens": 7},
    }
    assert json.loads(error.to_wire()) == {
        "type": "error", "code": "not_found", "message": NotFound.default_message, "conversationId": CONVERSATION,
    }


def _server_frames() -> list:
    view = MessageView(message_id=MESSAGE, role=Role.ASSISTANT, text="Canberra.", status=MessageStatus.FAILED,
                       created_at=WHEN, error_code=ErrorCode.MODEL_ERROR, reply_to=MESSAGE)
    conversation = ConversationView(conversation_id=CONVERSATION, title="Capitals", message_count=2,
                                    created_at=WHEN, updated_at=WHEN)
    return [
        Ack(client_message_id=CLIENT_MESSAGE, conversation_id=CONVERSATION, message_id=MESSAGE, reply_id=MESSAGE),
        Delta(conversation_id=CONVERSATION, message_id=MESSAGE, seq=3, text="é 你好 👋"),
        Done(conversation_id=CONVERSATION, message_id=MESSAGE, finish_reason=FinishReason.LENGTH,
             usage=Usage(prompt_tokens=1, completion_tokens=2)),
        ErrorFrame(code=ErrorCode.TOO_LARGE, message="Too long.", client_message_id=CLIENT_MESSAGE),
        History(conversation_id=CONVERSATION, messages=[view], before=MESSAGE),
        Conversations(conversations=[conversation], cursor="abc"),
        Deleted(conversation_id=CONVERSATION),
        Pong(),
    ]


@pytest.mark.parametrize("frame", _server_frames(), ids=lambda frame: frame.type)
def test_every_server_frame_reads_back_as_it_was_sent(frame):
    assert parse_server_frame(frame.to_wire()) == frame


def test_message_views_carry_iso_timestamps_and_error_codes_on_the_wire():
    history = json.loads(_server_frames()[4].to_wire())
    assert history["messages"][0] == {
        "messageId": MESSAGE, "role": "assistant", "text": "Canberra.", "status": "failed",
        "createdAt": "2024-11-25T10:15:07Z", "errorCode": "model_error", "replyTo": MESSAGE,
    }


def test_wire_size_counts_utf8_bytes_not_characters():
    frame = Delta(conversation_id=CONVERSATION, message_id=MESSAGE, seq=0, text="👋" * 10)
    assert wire_size(frame) == len(frame.to_wire().encode()) == len(frame.to_wire()) + 30


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (BadRequest(), "bad_request"),
        (Unauthorized(), "unauthorized"),
        (NotFound(), "not_found"),
        (TooLarge(), "too_large"),
        (RateLimited(), "rate_limited"),
        (ModelUnavailable(), "model_unavailable"),
        (ModelFailed(), "model_error"),
        (InternalError(), "internal"),
        (ChatError(), "internal"),
    ],
)
def test_each_error_becomes_a_frame_with_its_wire_code_and_a_readable_message(error, code):
    frame = json.loads(error_frame(error, message_id=MESSAGE).to_wire())
    assert frame["code"] == code
    assert frame["message"] == type(error).default_message
    assert frame["messageId"] == MESSAGE


def test_the_error_codes_are_the_documented_closed_set():
    assert {code.value for code in ErrorCode} == {
        "bad_request", "unauthorized", "not_found", "too_large", "rate_limited", "model_unavailable",
        "model_error", "internal",
    }


def test_json_schemas_generate_for_both_directions():
    schemas = json_schemas()
    client, server = schemas["client-frame.schema.json"], schemas["server-frame.schema.json"]

    assert set(server["discriminator"]["mapping"]) == {
        "ack", "delta", "done", "error", "history", "conversations", "deleted", "conversation", "memories",
        "memoryDeleted", "memoriesCleared", "resumed", "message", "started", "waking", "limits", "pong",
        "instructions", "projects", "project", "projectDeleted", "searchResults", "exportPage", "sharePage",
        "importPreview",
    }
    assert set(client["$defs"]["SendMessage"]["properties"]) == {
        "action", "conversationId", "clientMessageId", "text", "temporary", "projectId"}
    assert client["$defs"]["SendMessage"]["required"] == ["action", "clientMessageId", "text"]
    assert set(server["$defs"]["ErrorCode"]["enum"]) == {code.value for code in ErrorCode}
    assert "usage" in server["$defs"]["Done"]["required"]


def test_schemas_dump_deterministically():
    schema = json_schemas()["server-frame.schema.json"]
    text = dumps_schema(schema)
    assert text == dumps_schema(json.loads(text))
    assert text.endswith("}\n")


def test_the_published_schemas_match_the_models():
    """docs/schemas/ is what other clients build against: `make docs` must have been run after any change."""
    published = Path(__file__).resolve().parents[2] / "docs" / "schemas"
    for name, schema in json_schemas().items():
        assert (published / name).read_text() == dumps_schema(schema), f"{name} drifted: run `make docs`"
