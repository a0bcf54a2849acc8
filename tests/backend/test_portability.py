"""exportData and importMemories: the caller's data as one JSON document in pages under the frame limit,
and memories brought from elsewhere, previewed, stored only when confirmed, with the import as source."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from memchat.chat import Caller, Chat
from memchat.errors import BadRequest, NotFound, TooLarge
from memchat.export import ExportDocument, export_schema
from memchat.frames import (
    MAX_FRAME_BYTES,
    ExportData,
    ExportPage,
    ImportMemories,
    ImportPreview,
    ListMemories,
    Memories,
    MessageStatus,
    SendMessage,
    SetInstructions,
    SetMemory,
    ShareConversation,
    SharePage,
    SourceKind,
    dumps_schema,
)
from memchat.handlers import worker
from memchat.memory import new_turn_ids
from memchat.memory.memories import SavedMemory, Source, Subject
from memchat.portability import UNREAD, read_lines
from memchat.settings import Settings

from .recorded import ALICE, BOB_CONNECTION, CONNECTION

LINES = ["I live in Graz.", "My sister lives in Leeds.", "I am vegetarian.", "I used to live in Oslo.", ""]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"rate_limit_per_minute": 1000})


def _send(chat: Chat, caller, text: str) -> None:
    chat.handle(caller, SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text=text))


@pytest.fixture
def first_page(chat: Chat, gateway, worker_lambda, generation) -> Callable[[Caller], ExportPage]:
    """Ask for an export, and run the worker job the route hands it to (as Lambda would): its first page."""

    def ask(caller: Caller) -> ExportPage:
        before = len(worker_lambda.invocations)
        chat.handle(caller, ExportData(action="exportData"))
        (invocation,) = worker_lambda.invocations[before:]
        sent = len(gateway.frames(caller.connection_id, ExportPage))
        worker.handle(invocation.payload, generation)
        assert len(gateway.frames(caller.connection_id, ExportPage)) == sent + 1
        return gateway.frames(caller.connection_id, ExportPage)[-1]

    return ask


def _export(chat: Chat, caller, gateway, first_page) -> tuple[str, list[ExportPage]]:
    """Ask for every page, as a client does, and join the parts."""
    pages = [first_page(caller)]
    while pages[-1].cursor is not None:
        chat.handle(caller, ExportData(action="exportData", cursor=pages[-1].cursor))
        pages.append(gateway.frames(caller.connection_id, ExportPage)[-1])
    return "".join(p.part for p in pages), pages


def _long_history(memory, user_id: str, *, messages: int, text: str) -> None:
    for n in range(messages):
        now_ms = int(time.time() * 1000) + n
        memory.store_user_message(user_id, conversation_id=None, client_message_id=uuid.uuid4(), text=f"{n} {text}",
                                  now_ms=now_ms, ids=new_turn_ids(now_ms), temporary=n % 2 == 1,
                                  connection_id=CONNECTION, start_grace_ms=1000, replaces=None, project_id=None)


# ---------------------------------------------------------------- export


def test_export_is_one_json_document_matching_the_published_schema(first_page, chat, alice, gateway, memory):
    chat.handle(alice, SetInstructions(action="setInstructions", about="I am a nurse.", style="Be brief."))
    _send(chat, alice, "Hello there")
    chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Graz."], confirm=True))

    text, pages = _export(chat, alice, gateway, first_page)

    document = json.loads(text)
    ExportDocument.model_validate_json(text)  # the model the published schema is generated from
    assert document["format"] == "memchat-export"
    assert document["settings"] == {"memoryEnabled": True, "about": "I am a nurse.", "style": "Be brief."}
    [conversation] = document["conversations"]
    assert conversation["messages"][0]["text"] == "Hello there"
    [remembered] = document["memories"]
    assert (remembered["text"], remembered["sources"][0]["kind"]) == ("Lives in: Graz", "import")
    assert len(pages) == 1 and pages[0].total == len(text)


def test_a_big_history_comes_in_pages_each_under_the_frame_limit_that_join_into_the_document(
        chat, alice, gateway, memory, first_page):
    # Quotes, newlines and emoji grow a part when it is written as a JSON string inside its frame.
    _long_history(memory, ALICE, messages=40, text='"quoted"\n\t emoji 🎉 ünïcode ' * 60)

    text, pages = _export(chat, alice, gateway, first_page)

    assert len(pages) > 3
    assert max(gateway.sizes(CONNECTION)) <= MAX_FRAME_BYTES
    assert [p.offset for p in pages] == [sum(len(q.part) for q in pages[:i]) for i in range(len(pages))]
    document = json.loads(text)
    ExportDocument.model_validate_json(text)  # the model the published schema is generated from
    assert len(document["conversations"]) == 40
    # Temporary chats are there while they exist, marked.
    assert sum(c["conversation"].get("temporary", False) for c in document["conversations"]) == 20


def test_an_export_is_the_data_as_it_was_when_it_started_though_it_changes_between_pages(
        chat, alice, gateway, memory, first_page):
    _long_history(memory, ALICE, messages=20, text="words " * 500)
    first = first_page(alice)
    assert first.cursor is not None

    _send(chat, alice, "Something new")
    pages, cursor = [first], first.cursor
    while cursor is not None:
        chat.handle(alice, ExportData(action="exportData", cursor=cursor))
        pages.append(gateway.frames(CONNECTION, ExportPage)[-1])
        cursor = pages[-1].cursor

    text = "".join(p.part for p in pages)
    ExportDocument.model_validate_json(text)
    assert "Something new" not in text and len(json.loads(text)["conversations"]) == 20


def test_an_export_has_every_alternative_marked_and_each_memorys_earlier_values(chat, alice, gateway, memory,
                                                                               exchange, first_page):
    turn = exchange(ALICE, "Tell me a joke", "Why did the chicken cross the road?")
    memory.regenerate_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=int(time.time() * 1000),
                            connection_id=CONNECTION, start_grace_ms=1000)
    chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Graz."], confirm=True))
    chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Lyon."], confirm=True))

    document = json.loads(_export(chat, alice, gateway, first_page)[0])

    [conversation] = document["conversations"]
    first = next(m for m in conversation["messages"] if m["messageId"] == turn.reply_id)
    assert (first["text"], first["superseded"]) == ("Why did the chicken cross the road?", True)
    assert len(conversation["messages"]) == 3  # the message, its first answer and the one replacing it
    [home] = document["memories"]
    assert (home["value"], [earlier["value"] for earlier in home["history"]]) == ("Lyon", ["Graz"])
    assert home["history"][0]["supersededBy"] == home["memoryId"]


def test_an_export_names_the_earlier_exchanges_each_answer_used_that_it_still_holds(chat, alice, gateway, memory,
                                                                                      exchange, first_page):
    trip = exchange(ALICE, "Ideas for a trip to Lisbon?", "Ride tram 28.")
    gone = exchange(ALICE, "Ideas for a trip to Zanzibar?", "Take the ferry.")
    asked = exchange(ALICE, "What did you suggest for my trip?", "Tram 28.")
    memory.finish_reply(ALICE, asked.conversation_id, asked.reply_id, text="Tram 28.", tokens=5,
                        status=MessageStatus.COMPLETE, exchanges=[(trip.conversation_id, trip.message_id),
                                                                  (gone.conversation_id, gone.message_id)])
    memory.delete_conversation(ALICE, gone.conversation_id)

    text = _export(chat, alice, gateway, first_page)[0]

    ExportDocument.model_validate_json(text)
    [answer] = [m for c in json.loads(text)["conversations"] for m in c["messages"] if m["messageId"] == asked.reply_id]
    assert answer["exchanges"] == [{"conversationId": trip.conversation_id, "messageId": trip.message_id,
                                    "excerpt": "Ideas for a trip to Lisbon?"}]
    assert "Zanzibar" not in text


def test_an_export_lists_a_fact_told_as_over_apart_with_its_end(chat, alice, gateway, memory, first_page):
    past = SavedMemory("m-past", Subject.HOME, "Leeds", created_ms=1_000, updated_ms=1_000,
                       sources=(Source("c0ffee01", "beef0001"),))
    memory.end_memory(ALICE, past, now_ms=2_000, current=False, until="2019")

    document = json.loads(_export(chat, alice, gateway, first_page)[0])

    assert document["memories"] == []
    [earlier] = document["earlierValues"]
    assert (earlier["value"], earlier["until"], earlier.get("supersededBy")) == ("Leeds", "2019", None)


def test_a_later_page_costs_one_read_whatever_the_history(first_page, chat, alice, gateway, memory):
    _long_history(memory, ALICE, messages=30, text="words " * 500)
    cursor = first_page(alice).cursor

    before = memory.calls
    chat.handle(alice, ExportData(action="exportData", cursor=cursor))

    assert memory.calls - before == 1


@pytest.mark.parametrize("cursor", ["abc", "1796515200000deadbeef.1"])
def test_a_cursor_the_export_did_not_give_is_refused(chat, alice, cursor):
    with pytest.raises(BadRequest, match=r"cursor: .*start"):
        chat.handle(alice, ExportData(action="exportData", cursor=cursor))


def test_an_export_holds_only_the_callers_data(first_page, chat, alice, bob, gateway):
    _send(chat, alice, "Alice's secret recipe")
    chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Graz."], confirm=True))
    chat.handle(alice, SetInstructions(action="setInstructions", about="Alice about"))
    _send(chat, bob, "Bob's message")

    text, _ = _export(chat, bob, gateway, first_page)

    assert "Alice" not in text and "Graz" not in text
    document = json.loads(text)
    assert [c["messages"][0]["text"] for c in document["conversations"]] == ["Bob's message"]
    assert document["memories"] == [] and document["settings"]["about"] == ""


def test_an_alices_cursor_in_bobs_hands_reads_bobs_data_only(first_page, chat, alice, bob, gateway, memory):
    _long_history(memory, ALICE, messages=20, text="alice words " * 300)
    cursor = first_page(alice).cursor

    with pytest.raises(BadRequest, match="no such export"):  # the parts are keyed by Alice's user id
        chat.handle(bob, ExportData(action="exportData", cursor=cursor))
    assert gateway.frames(BOB_CONNECTION, ExportPage) == []


def test_the_route_hands_the_build_to_the_worker_and_sends_nothing_itself(chat, alice, gateway, worker_lambda):
    chat.handle(alice, ExportData(action="exportData"))

    (invocation,) = worker_lambda.invocations
    job = invocation.job()
    assert invocation.invocation_type == "Event"  # queued: the route returns at once, whatever the history
    assert (job.task, job.user_id, job.connection_id) == ("export", ALICE, CONNECTION)
    assert gateway.frames(CONNECTION, ExportPage) == []  # the worker posts the first page when it is built


def test_no_page_is_ever_lost_every_later_part_is_kept_before_the_first_page_is_sent(
        chat, alice, gateway, memory, worker_lambda, generation, monkeypatch):
    _long_history(memory, ALICE, messages=20, text="words " * 500)
    chat.handle(alice, ExportData(action="exportData"))
    (invocation,) = worker_lambda.invocations
    sent = []

    def check_then_send(connection_id, frame):  # when the first page goes out, every later page can be read
        export_id, _ = frame.cursor.split(".")
        count = memory.export_part(ALICE, export_id, 1).count
        sent.append(frame.part + "".join(memory.export_part(ALICE, export_id, n).part for n in range(1, count)))
        return True

    monkeypatch.setattr(generation.poster, "send", check_then_send)
    worker.handle(invocation.payload, generation)

    (document,) = sent
    assert len(json.loads(document)["conversations"]) == 20


def test_an_export_job_reads_only_its_users_data(chat, alice, bob, gateway, worker_lambda, generation):
    _send(chat, alice, "Alice's secret recipe")
    chat.handle(bob, ExportData(action="exportData"))
    (invocation,) = [i for i in worker_lambda.invocations if i.job().task == "export"]
    worker.handle(invocation.payload, generation)

    (page,) = gateway.frames(BOB_CONNECTION, ExportPage)
    assert "Alice" not in page.part and gateway.frames(CONNECTION, ExportPage) == []


def test_the_published_export_schema_matches_the_models():
    published = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "export.schema.json"
    assert published.read_text() == dumps_schema(export_schema()), "export.schema.json drifted: run `make docs`"


# ---------------------------------------------------------------- import


def test_each_line_is_read_as_a_message_and_only_what_it_states_is_kept():
    reading = read_lines(LINES)

    assert [(n, p.subject.value, p.value) for n, p in reading.kept] == [(1, "home", "Graz"), (3, "diet", "vegetarian")]
    # Another person's fact and a past one are not the user's now; the empty line is skipped.
    assert [n for n, _ in reading.dropped] == [2, 4]
    assert all(reason == UNREAD for _, reason in reading.dropped)


def test_a_preview_stores_nothing(chat, alice, gateway, memory, settings):
    chat.handle(alice, ImportMemories(action="importMemories", lines=LINES))

    preview = gateway.frames(CONNECTION, ImportPreview)[-1]
    assert [line.text for line in preview.kept] == ["Lives in: Graz", "Diet: vegetarian"]
    assert [line.line for line in preview.dropped] == [2, 4] and preview.stored is False
    assert memory.recall_state(ALICE, limit=settings.max_memories, consistent=True).memories == []


def test_a_confirmed_import_stores_the_kept_lines_with_the_import_as_source(chat, alice, gateway):
    chat.handle(alice, ImportMemories(action="importMemories", lines=LINES, confirm=True))
    chat.handle(alice, ListMemories(action="listMemories"))

    assert gateway.frames(CONNECTION, ImportPreview)[-1].stored is True
    listed = gateway.frames(CONNECTION, Memories)[-1].memories
    assert sorted(m.text for m in listed) == ["Diet: vegetarian", "Lives in: Graz"]
    for memory in listed:
        [source] = memory.sources
        assert (source.kind, source.conversation_id, source.imported_at is not None) == (SourceKind.IMPORT, None,
                                                                                        True)


def test_an_imported_memory_can_be_deleted(chat, alice, gateway, memory, settings):
    chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Graz."], confirm=True))
    [saved] = memory.recall_state(ALICE, limit=settings.max_memories, consistent=True).memories

    memory.delete_memory(ALICE, saved.memory_id)

    assert memory.recall_state(ALICE, limit=settings.max_memories, consistent=True).memories == []


def test_deleting_a_conversation_keeps_a_memory_the_user_imported(chat, alice, memory, settings, exchange):
    turn = exchange(ALICE, "Hello", "Hi!")
    chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Graz."], confirm=True))

    assert memory.forget_conversation(ALICE, turn.conversation_id) == 0
    assert [m.text for m in memory.recall_state(ALICE, limit=settings.max_memories, consistent=True).memories] == [
        "Lives in: Graz"]


def test_an_import_while_memory_is_off_is_refused_and_stores_nothing(chat, alice, memory, settings):
    chat.handle(alice, SetMemory(action="setMemory", enabled=False))

    with pytest.raises(BadRequest, match="Memory is off"):
        chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Graz."], confirm=True))
    assert memory.recall_state(ALICE, limit=settings.max_memories, consistent=True).memories == []


def test_too_many_lines_or_characters_are_refused_saying_the_limit(chat, alice, settings, memory):
    with pytest.raises(TooLarge, match=f"limit is {settings.import_max_lines}"):
        chat.handle(alice, ImportMemories(action="importMemories", lines=["I live in Graz."] *
                                          (settings.import_max_lines + 1), confirm=True))
    with pytest.raises(TooLarge, match=f"limit is {settings.import_max_chars}"):
        chat.handle(alice, ImportMemories(action="importMemories", lines=["x" * (settings.import_max_chars + 1)],
                                          confirm=True))
    assert memory.recall_state(ALICE, limit=settings.max_memories, consistent=True).memories == []


def test_an_import_is_stored_for_the_caller_only(chat, alice, bob, gateway, memory, settings):
    chat.handle(bob, ImportMemories(action="importMemories", lines=["I live in Leeds."], confirm=True))

    assert memory.recall_state(ALICE, limit=settings.max_memories, consistent=True).memories == []
    assert [m.text for m in memory.recall_state(
        bob.user_id, limit=settings.max_memories, consistent=True).memories] == ["Lives in: Leeds"]
    assert gateway.frames(CONNECTION, ImportPreview) == []


def test_a_preview_of_the_longest_import_fits_one_frame(chat, alice, gateway, settings):
    per_line = settings.import_max_chars // settings.import_max_lines
    line = ("I love " + "jazz and " * 40)[:per_line]
    chat.handle(alice, ImportMemories(action="importMemories", lines=[line] * settings.import_max_lines))

    assert gateway.frames(CONNECTION, ImportPreview)
    assert max(gateway.sizes(CONNECTION)) <= MAX_FRAME_BYTES


# ---------------------------------------------------------------- share one conversation


def _share(chat: Chat, caller, gateway, conversation_id: str, *, alternatives: bool = False) -> tuple[str, list]:
    """Ask for every page, as a client does, and join the parts."""
    pages: list[SharePage] = []
    cursor = None
    while True:
        chat.handle(caller, ShareConversation(action="shareConversation", conversation_id=conversation_id,
                                              alternatives=alternatives, cursor=cursor))
        pages.append(gateway.frames(caller.connection_id, SharePage)[-1])
        cursor = pages[-1].cursor
        if cursor is None:
            return "".join(p.part for p in pages), pages


def test_a_shared_conversation_is_its_markdown_with_the_current_answers(chat, alice, gateway, memory, exchange):
    turn = exchange(ALICE, "Tell me a joke", "Why did the chicken cross the road?")
    memory.regenerate_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=int(time.time() * 1000),
                            connection_id=CONNECTION, start_grace_ms=1000)

    text, pages = _share(chat, alice, gateway, turn.conversation_id)
    with_alternatives, _ = _share(chat, alice, gateway, turn.conversation_id, alternatives=True)

    assert len(pages) == 1 and pages[0].conversation_id == turn.conversation_id and pages[0].total == len(text)
    title = memory.conversation(ALICE, turn.conversation_id)["title"]
    assert text.startswith(f"# {title}\n") and "Tell me a joke" in text
    assert "chicken" not in text  # replaced by the regeneration (still being written)
    assert "Why did the chicken cross the road?" in with_alternatives and "replaced answer" in with_alternatives


def test_a_long_conversation_is_shared_in_pages_each_under_the_frame_limit(chat, alice, gateway, memory, exchange):
    answer = '"quoted"\n\t emoji 🎉 ünïcode ```code``` ' * 400
    turn = exchange(ALICE, "Write a lot", answer)
    for n in range(5):
        exchange(ALICE, f"More {n}", answer, conversation_id=turn.conversation_id)

    text, pages = _share(chat, alice, gateway, turn.conversation_id)

    assert len(pages) > 3
    assert max(gateway.sizes(CONNECTION)) <= MAX_FRAME_BYTES
    assert [p.offset for p in pages] == [sum(len(q.part) for q in pages[:i]) for i in range(len(pages))]
    assert text.count(answer.rstrip()) == 6 and "More 4" in text


def test_another_users_conversation_is_not_found_as_a_missing_one_is(chat, alice, bob, gateway, exchange):
    turn = exchange(ALICE, "Alice's secret recipe", "Flour and eggs.")

    with pytest.raises(NotFound) as theirs:
        chat.handle(bob, ShareConversation(action="shareConversation", conversation_id=turn.conversation_id))
    with pytest.raises(NotFound) as missing:
        chat.handle(bob, ShareConversation(action="shareConversation", conversation_id="0123456789abcdef"))

    assert theirs.value.message == missing.value.message
    assert gateway.frames(BOB_CONNECTION, SharePage) == []


def test_an_alices_share_cursor_in_bobs_hands_reads_nothing(chat, alice, bob, gateway, exchange):
    turn = exchange(ALICE, "Write a lot", "alice words " * 5000)
    chat.handle(alice, ShareConversation(action="shareConversation", conversation_id=turn.conversation_id))
    cursor = gateway.frames(CONNECTION, SharePage)[-1].cursor
    assert cursor is not None

    with pytest.raises(BadRequest, match="no such export"):  # the parts are keyed by Alice's user id
        chat.handle(bob, ShareConversation(action="shareConversation", conversation_id=turn.conversation_id,
                                           cursor=cursor))
    assert gateway.frames(BOB_CONNECTION, SharePage) == []
