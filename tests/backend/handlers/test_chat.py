"""The chat routes' Lambda: recorded MESSAGE events in, frames out, and every refusal an `error` frame."""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from memchat.chat import Chat
from memchat.frames import Ack, ErrorFrame, History, MessageStatus
from memchat.handlers import chat as chat_handler
from memchat.handoff import WorkerInvoker
from memchat.memory import Memory

from ..recorded import ALICE, BOB, CONNECTION, event

CLIENT_MESSAGE = "0b8f8a2e-5c1d-4a7e-9f3b-2d6c4e8a1f05"  # in the recorded sendMessage event


def _send(text: str = "Hi", **fields) -> dict:
    return {"action": "sendMessage", "clientMessageId": str(uuid.uuid4()), "text": text} | fields


def _error(gateway) -> ErrorFrame:
    frame = gateway.frames(CONNECTION)[-1]
    assert isinstance(frame, ErrorFrame), frame
    return frame


def test_a_recorded_send_message_is_acked_and_handed_to_the_worker(chat, gateway, worker_lambda):
    assert chat_handler.handle(event("send_message"), chat) == {"statusCode": 200}

    (ack,) = gateway.frames(CONNECTION)
    assert isinstance(ack, Ack) and str(ack.client_message_id) == CLIENT_MESSAGE
    (job,) = worker_lambda.jobs()
    assert (job.user_id, job.connection_id, job.reply_id) == (ALICE, CONNECTION, ack.reply_id)


def test_each_route_answers_on_the_callers_own_connection(chat, gateway):
    chat_handler.handle(event("send_message", body={"action": "ping"}, connection_id="BxVAp3nKoAMCKdw="), chat)
    assert gateway.frames("BxVAp3nKoAMCKdw=") and not gateway.frames(CONNECTION)


# ---------------------------------------------------------------- each error code reaches the client


def test_a_frame_that_is_not_json_is_answered_bad_request(chat, gateway):
    assert chat_handler.handle(event("default_route"), chat) == {"statusCode": 200}
    assert _error(gateway).code == "bad_request"


def test_an_unknown_action_is_answered_bad_request_listing_the_actions_without_repeating_it(chat, gateway):
    chat_handler.handle(event("default_route", body={"action": "shout", "text": "HI"}), chat)
    error = _error(gateway)
    assert error.code == "bad_request" and "sendMessage" in error.message
    assert "shout" not in error.message  # the client's text is neither echoed nor logged


def test_a_route_reached_without_the_authorizers_user_is_answered_unauthorized(chat, gateway, worker_lambda):
    chat_handler.handle(event("send_message", authorized=False), chat)

    error = _error(gateway)
    assert error.code == "unauthorized" and str(error.client_message_id) == CLIENT_MESSAGE
    assert worker_lambda.invocations == []


def test_another_users_conversation_is_answered_not_found_with_its_id(chat, gateway):
    chat_handler.handle(event("send_message"), chat)
    conversation = gateway.frames(CONNECTION)[0].conversation_id
    body = {"action": "getHistory", "conversationId": conversation}
    chat_handler.handle(event("send_message", body=body, user_id=BOB, connection_id="BxVAp3nKoAMCKdw="), chat)

    error = gateway.frames("BxVAp3nKoAMCKdw=")[-1]
    assert (error.code, error.conversation_id) == ("not_found", conversation)


def test_a_message_over_the_limit_is_answered_too_large_with_its_client_message_id(chat, gateway, settings):
    body = _send("x" * (settings.max_message_chars + 1))
    chat_handler.handle(event("send_message", body=body), chat)

    error = _error(gateway)
    assert (error.code, str(error.client_message_id)) == ("too_large", body["clientMessageId"])


def test_a_message_over_the_rate_limit_is_answered_rate_limited(chat, gateway, settings):
    for _ in range(settings.rate_limit_per_minute + 1):
        chat_handler.handle(event("send_message", body=_send()), chat)

    frames = gateway.frames(CONNECTION)
    assert [type(f) for f in frames] == [Ack] * settings.rate_limit_per_minute + [ErrorFrame]
    assert frames[-1].code == "rate_limited"


def test_an_answer_that_cannot_be_started_is_answered_internal(chat, gateway, worker_lambda):
    worker_lambda.fail_with(429, "TooManyRequestsException", "Rate Exceeded.")
    chat_handler.handle(event("send_message"), chat)

    ack, error = gateway.frames(CONNECTION)
    assert isinstance(ack, Ack)  # the message itself is stored
    assert (error.code, str(error.client_message_id)) == ("internal", CLIENT_MESSAGE)
    assert (error.conversation_id, error.message_id) == (ack.conversation_id, ack.reply_id)  # names the answer
    assert "send the message again" in error.message
    answer = chat._memory.history(ALICE, ack.conversation_id, before=None, limit=5).items[-1]
    assert (answer.message_id, answer.status) == (ack.reply_id, MessageStatus.FAILED)  # not left pending


def test_an_unexpected_failure_is_answered_internal_without_crashing(dynamodb, poster, worker_lambda, settings,
                                                                      gateway):
    broken = Chat(
        memory=Memory(dynamodb, table_name="no-such-table", rate_limit_per_minute=5),
        poster=poster,
        worker=WorkerInvoker(worker_lambda.client, function_name=settings.worker_function_name),
        settings=settings,
    )
    assert chat_handler.handle(event("send_message"), broken) == {"statusCode": 200}

    error = _error(gateway)
    assert error.code == "internal"
    assert "no-such-table" not in error.message and "ResourceNotFound" not in error.message


@pytest.mark.parametrize("opening", ["[", '{"a":', '{"action":"sendMessage","text":'])
def test_a_frame_nested_a_thousand_deep_is_answered_bad_request(chat, gateway, caplog, opening):
    closing = {"[": "]", '{"a":': "}", '{"action":"sendMessage","text":': "}"}[opening]
    body = opening * 1000 + "1" + closing * 1000
    with caplog.at_level(logging.DEBUG):
        assert chat_handler.handle(event("default_route", body=body), chat) == {"statusCode": 200}

    assert _error(gateway).code == "bad_request"
    assert not [record for record in caplog.records if record.exc_info]


# ---------------------------------------------------------------- what an error frame carries


def test_an_error_frame_carries_the_readable_ids_of_the_refused_frame(chat, gateway):
    body = {"action": "stopGeneration", "conversationId": "9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c",
            "messageId": "0193a1b2c3d41a1b2c3d4e5"}
    chat_handler.handle(event("send_message", body=body), chat)

    error = _error(gateway)
    assert (error.code, error.conversation_id, error.message_id) == (
        "not_found", body["conversationId"], body["messageId"])


def test_unreadable_ids_are_left_out_of_the_error_frame(chat, gateway):
    body = {"action": "sendMessage", "clientMessageId": "not-a-uuid", "conversationId": "U#bob", "text": "hi"}
    chat_handler.handle(event("send_message", body=body), chat)

    wire = json.loads(_error(gateway).to_wire())
    assert wire["code"] == "bad_request"
    assert not {"clientMessageId", "conversationId", "messageId"} & set(wire)


def test_an_error_for_a_client_that_has_gone_does_not_crash_the_handler(chat, gateway):
    gateway.disconnect(CONNECTION)
    assert chat_handler.handle(event("default_route"), chat) == {"statusCode": 200}
    assert gateway.refused(CONNECTION) == 1


def test_an_error_that_cannot_be_posted_at_all_does_not_crash_the_handler(chat, gateway):
    gateway.fail(CONNECTION, status=403, code="ForbiddenException")
    assert chat_handler.handle(event("default_route"), chat) == {"statusCode": 200}


# ---------------------------------------------------------------- the entry point


def test_the_lambda_entry_point_builds_its_service_from_settings(process_gateway, process_worker_lambda, settings):
    chat_handler.lambda_handler(event("send_message"), None)

    assert isinstance(process_gateway.frames(CONNECTION)[0], Ack)
    assert process_worker_lambda.invocations[0].function_name == settings.worker_function_name


def test_the_lambda_entry_point_reads_history_back(process_gateway, process_worker_lambda):
    chat_handler.lambda_handler(event("send_message"), None)
    ack = process_gateway.frames(CONNECTION)[0]
    chat_handler.lambda_handler(event("send_message", body={"action": "getHistory",
                                                            "conversationId": ack.conversation_id}), None)

    history = process_gateway.frames(CONNECTION)[-1]
    assert isinstance(history, History)
    assert [m.message_id for m in history.messages] == [ack.message_id, ack.reply_id]



# ---------------------------------------------------------------- instructions and projects, through the route


def test_instructions_and_projects_are_routed_and_their_refusals_are_error_frames(chat, gateway, settings):
    long = {"action": "setInstructions", "about": "x" * (settings.instructions_max_chars + 1)}
    chat_handler.handle(event("send_message", body=long), chat)
    assert _error(gateway).code == "too_large"

    chat_handler.handle(event("send_message", body={"action": "createProject", "name": "Spanish"}), chat)
    project = gateway.frames(CONNECTION)[-1]
    assert project.type == "project" and project.project.name == "Spanish"

    rename = {"action": "renameProject", "projectId": project.project.project_id, "name": "Mine"}
    chat_handler.handle(event("send_message", body=rename, user_id=BOB, connection_id="BxVAp3nKoAMCKdw="), chat)
    assert gateway.frames("BxVAp3nKoAMCKdw=")[-1].code == "not_found"

    chat_handler.handle(event("send_message", body={"action": "deleteProject", "projectId": "b0a710c1"}), chat)
    assert _error(gateway).code == "bad_request"  # keepConversations is the user's choice: never assumed
# ---------------------------------------------------------------- searchConversations


def _search(query: str, **fields) -> dict:
    return {"action": "searchConversations", "query": query} | fields


def test_a_search_is_answered_with_a_page_of_the_callers_own_results(chat, gateway, exchange, indexed):
    from memchat.frames import SearchResults

    mine = exchange(ALICE, "Where did I park the bicycle?", "By the library.")
    exchange(BOB, "My bicycle is red", "Nice.")
    indexed()
    chat_handler.handle(event("send_message", body=_search("bicycle")), chat)
    frame = gateway.frames(CONNECTION)[-1]
    assert isinstance(frame, SearchResults)
    assert [(r.conversation_id, r.message_id) for r in frame.results] == [(mine.conversation_id, mine.message_id)]
    assert frame.cursor is None


def test_another_user_never_finds_the_callers_words(chat, gateway, exchange, indexed):
    from memchat.frames import SearchResults

    exchange(ALICE, "My locker code is hidden under the marmalade", "Noted.")
    indexed()
    chat_handler.handle(event("send_message", body=_search("marmalade locker"), user_id=BOB,
                              connection_id="BxVAp3nKoAMCKdw="), chat)
    (frame,) = gateway.frames("BxVAp3nKoAMCKdw=")
    assert isinstance(frame, SearchResults) and frame.results == []


@pytest.mark.parametrize(("body", "reason"), [
    (_search("the of and"), "no word to look for"),
    (_search("bicycle", cursor="eyJub3QiOiJ0aGlzIn0="), "cursor"),
    (_search(""), "query"),
    (_search("x" * 201), "query"),
])
def test_a_bad_search_is_answered_bad_request_saying_why(chat, gateway, body, reason):
    chat_handler.handle(event("send_message", body=body), chat)
    error = _error(gateway)
    assert error.code == "bad_request" and reason in error.message


# ---------------------------------------------------------------- exportData and importMemories


def test_export_data_is_routed_and_its_build_handed_to_the_worker_for_the_caller(chat, gateway, worker_lambda):
    chat_handler.handle(event("send_message", body={"action": "exportData"}), chat)
    (job,) = worker_lambda.jobs()
    assert (job.task, job.user_id, job.connection_id) == ("export", ALICE, CONNECTION)
    assert gateway.frames(CONNECTION) == []  # the worker posts the first page once it is built


def test_import_memories_is_routed_and_a_preview_stores_nothing(chat, gateway, memory):
    from memchat.frames import ImportPreview

    body = {"action": "importMemories", "lines": ["I live in Graz.", "My sister lives in Leeds."]}
    chat_handler.handle(event("send_message", body=body), chat)
    (frame,) = gateway.frames(CONNECTION)
    assert isinstance(frame, ImportPreview) and frame.stored is False
    assert ([k.text for k in frame.kept], [d.line for d in frame.dropped]) == (["Lives in: Graz"], [2])
    assert memory.recall_state(ALICE, limit=100, consistent=True).memories == []


def test_an_import_without_lines_is_refused_through_the_error_frame(chat, gateway):
    chat_handler.handle(event("send_message", body={"action": "importMemories", "lines": []}), chat)
    assert _error(gateway).code == "bad_request"


def test_history_through_the_route_names_the_callers_earlier_exchanges_and_nothing_of_another_users(
        chat, gateway, memory, exchange):
    trip = exchange(ALICE, "Ideas for a trip to Lisbon?", "Ride tram 28.")
    secret = exchange(BOB, "My passport is hidden in Zanzibar", "Noted.")
    asked = exchange(ALICE, "What did you suggest for my trip?", "Tram 28.")
    memory.finish_reply(ALICE, asked.conversation_id, asked.reply_id, text="Tram 28.", tokens=5,
                        status=MessageStatus.COMPLETE, exchanges=[(trip.conversation_id, trip.message_id),
                                                                  (secret.conversation_id, secret.message_id)])

    chat_handler.handle(event("send_message", body={"action": "getHistory",
                                                    "conversationId": asked.conversation_id}), chat)

    history = gateway.frames(CONNECTION)[-1]
    assert isinstance(history, History)
    assert [(e.conversation_id, e.excerpt) for e in history.messages[-1].exchanges] == [
        (trip.conversation_id, "Ideas for a trip to Lisbon?")]
    assert "Zanzibar" not in history.to_wire()
