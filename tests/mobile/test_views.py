"""What the screens say, from the pure functions behind them: status lines, spoken names, the banner."""

from __future__ import annotations

import ast
import asyncio
import inspect
import time
from datetime import timedelta
from pathlib import Path

import flet as ft
import pytest
from flet.utils.object_model import get_param_count

from memchat.errors import ErrorCode
from memchat.frames import ConversationView, ErrorFrame, Memories, MemorySource, MessageStatus, Role, SourceKind
from memchat_mobile import views as views_package
from memchat_mobile.memories import UNDO_SECONDS, MemoryList
from memchat_mobile.state import ChatState, Draft, Link, Message
from memchat_mobile.views.account import METHOD_NAMES, TOKEN_HELP
from memchat_mobile.views.buttons import hint, small_button
from memchat_mobile.views.chat import (
    Pacer,
    code_blocks,
    composer_note,
    copying,
    empty_chat_text,
    field_value,
    spoken_status,
    status_line,
)
from memchat_mobile.views.conversations import (
    avatar_letter,
    delete_all_warning,
    deletion_warning,
    pulled_down,
    tile_details,
    when,
)
from memchat_mobile.views.instructions import field_text
from memchat_mobile.views.memory import forget_warning, moment_line, origin_row, source_line
from memchat_mobile.views.status import banner_text
from tests.mobile.fakes import CONVERSATION, NOW, FakeOutbox, memory


def test_a_pending_answer_says_thinking_once() -> None:
    answer = Message(role=Role.ASSISTANT, status=MessageStatus.PENDING)

    assert status_line(answer) == ("", None), "the bubble says Thinking...; the line under it says nothing"


def test_an_answer_shows_its_time_as_a_message_does() -> None:
    answer = Message(role=Role.ASSISTANT, status=MessageStatus.COMPLETE, created_at=NOW)
    question = Message(role=Role.USER, status=MessageStatus.SENT, created_at=NOW)

    assert status_line(answer)[0] and status_line(question)[0].startswith("Sent ")
    assert status_line(question)[0].endswith(status_line(answer)[0])


def test_a_failed_message_is_announced_as_failed_not_as_sending(outbox: FakeOutbox) -> None:
    chat = ChatState(outbox=outbox)
    chat.on_connected()
    chat.new_chat()
    chat.send("Hello")
    [message] = chat.thread.messages
    assert spoken_status(message) == "sending"

    chat.receive(ErrorFrame(code=ErrorCode.RATE_LIMITED, message="Too many messages: wait a minute.",
                            client_message_id=message.client_message_id))

    assert spoken_status(message) == "not sent, failed: Too many messages: wait a minute."
    failed = Message(role=Role.ASSISTANT, status=MessageStatus.FAILED, error="The model failed.")
    assert spoken_status(failed) == "failed: The model failed."


def test_the_banner_counts_down_to_the_next_attempt(outbox: FakeOutbox) -> None:
    chat = ChatState(outbox=outbox)
    chat.on_disconnected("Cannot reach the server at 127.0.0.1:8765.", retry_in=8.0)
    now = time.monotonic()

    assert banner_text(chat, now) == "Cannot reach the server at 127.0.0.1:8765. Trying again in 8 s."
    assert banner_text(chat, now + 5.2) == "Cannot reach the server at 127.0.0.1:8765. Trying again in 3 s."
    assert banner_text(chat, now + 9) == "Cannot reach the server at 127.0.0.1:8765. Trying again now..."
    chat.on_connecting()
    assert chat.link is Link.RECONNECTING and banner_text(chat, now) == "Reconnecting..."


def scroll(kind: ft.ScrollType, *, pixels: float = 0.0, overscroll: float | None = None) -> ft.OnScrollEvent:
    return ft.OnScrollEvent(name="scroll", control=None, event_type=kind, pixels=pixels, min_scroll_extent=0.0,
                            max_scroll_extent=500.0, viewport_dimension=800.0, overscroll=overscroll)


def test_pulling_the_list_down_past_its_top_refreshes_it() -> None:
    assert pulled_down(scroll(ft.ScrollType.OVERSCROLL, overscroll=-20.0))
    assert not pulled_down(scroll(ft.ScrollType.OVERSCROLL, pixels=500.0, overscroll=20.0)), "the bottom end"
    assert not pulled_down(scroll(ft.ScrollType.UPDATE, pixels=100.0))


def test_a_streaming_answer_is_drawn_at_a_bounded_rate_and_its_end_at_once() -> None:
    pacer = Pacer(interval=0.5)

    assert pacer.show("A", 10.0) == ("A", None), "the first words at once"
    assert pacer.show("A light", 10.1) == ("A", pytest.approx(0.4)), "newer text waits for the next redraw"
    assert pacer.show("A lighthouse", 10.3) == ("A", pytest.approx(0.2))
    assert pacer.show("A lighthouse", 10.5) == ("A lighthouse", None)
    assert pacer.show("A lighthouse warns", 10.6, final=True) == ("A lighthouse warns", None), "the end at once"


def test_text_that_is_not_a_continuation_is_drawn_at_once() -> None:
    pacer = Pacer(interval=0.5)
    pacer.show("Old answer", 10.0)

    assert pacer.show("New", 10.1) == ("New", None), "a regenerated answer replaces the old one at once"


def test_copy_code_finds_each_fenced_block_without_its_fences() -> None:
    text = "Try:\n\n```python\nprint('hi')\n```\n\nor\n\n~~~\nls -l\nwc\n~~~\nDone."

    assert code_blocks(text) == ["print('hi')", "ls -l\nwc"]
    assert code_blocks("```\nnot closed yet") == [], "a block still streaming is not offered"


def test_a_copy_button_copies_its_text_when_flet_runs_its_handler() -> None:
    copied: list[str] = []

    async def copy(text: str) -> None:
        copied.append(text)

    handler = copying(copy, "print('hi')")
    # How Flet runs a click handler (BaseControl._trigger_event): awaited only if it is a coroutine function,
    # and given the event only if it declares a parameter.
    assert inspect.iscoroutinefunction(handler) and get_param_count(handler) == 0
    asyncio.run(handler())

    assert copied == ["print('hi')"]


def test_a_render_between_the_fields_change_and_its_event_keeps_what_was_typed() -> None:
    # Opening a conversation: the user types "Hel" while its history loads. The browser has set the field's
    # value; the change event has not reached the draft when the page arrives and the composer is drawn again.
    draft = Draft()
    assert field_value(draft, None, None) == ""  # the first draw
    shown = (draft, draft.revision)

    assert field_value(draft, "Hel", shown) == "Hel", "the late draw keeps the typed text"
    draft.type("Hel")
    draft.put("")  # sent: the app clears the field
    assert field_value(draft, "Hel", shown) == ""
    assert field_value(Draft(text="Other chat"), "Hel", shown) == "Other chat", "another conversation's draft"


def test_a_draw_between_an_instructions_fields_change_and_its_event_keeps_what_was_typed() -> None:
    # Settings: 305 characters typed, then replaced with a shorter text. The browser holds the new text; its
    # change event has not reached the form when the card is drawn again for the counter of the long one.
    long, short = "x" * 305, "I'm a nurse in Graz."
    assert field_text(long, short, typed=True) == short, "the late draw keeps the typed text"
    assert field_text("From the server", None, typed=False) == "From the server"  # the first draw, once loaded
    assert field_text("From the server", "", typed=False) == "From the server", "nothing typed: the server's text"


def test_the_composer_says_how_far_past_the_limit_a_text_is(outbox: FakeOutbox) -> None:
    chat = ChatState(outbox=outbox, max_message_chars=3214)

    assert composer_note(chat, "short") is None
    assert composer_note(chat, "w" * 3000) == "3,000 / 3,214"
    assert composer_note(chat, "w" * 5158).startswith("1,944 characters too long (the limit is 3,214)")


def test_no_button_says_its_name_twice() -> None:
    # A tooltip given as text is added to the button's name, which its Semantics node says already
    # ("Send message\nSend message"): tooltips are hints, left out of the semantics.
    views = Path(views_package.__file__).parent
    plain = []
    for source in [*views.glob("*.py"), views.parent / "app.py"]:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "tooltip" and isinstance(
                    node.value, ast.Constant | ast.JoinedStr):
                plain.append(f"{source.name}:{node.value.lineno}")
    assert plain == []
    assert hint("Send message").exclude_from_semantics
    assert small_button("copy-1", "Copy", ft.Icons.CONTENT_COPY, "Copy the answer", None).label == "Copy the answer"
    assert small_button("used-1", "Used 2 memories", ft.Icons.PSYCHOLOGY, "Used 2 memories", None).label is None


def test_every_text_field_draws_its_edge_in_a_colour_that_meets_three_to_one() -> None:
    # A field is a control: WCAG 1.4.11 asks 3:1 of what shows where it is. The filled fields' fill is 1.5:1 on
    # the dark page (the composer and the search field in the README's pictures), so each draws its edge in the
    # outline's colour (3:1 or more on the surface in both themes: test_theme.py), never a zero-width one.
    views = Path(views_package.__file__).parent
    unmarked = []
    for source in views.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "ft.TextField":
                given = {keyword.arg: ast.unparse(keyword.value) for keyword in node.keywords}
                if "OUTLINE" not in given.get("border_color", "") or given.get("border_width") == "0":
                    unmarked.append(f"{source.name}:{node.lineno}")
    assert unmarked == []


def test_a_dialog_is_as_tall_as_what_it_says_and_scrolls_as_a_whole() -> None:
    # Flet gives a Column that scrolls all the height it may take, tight or not: the delete dialog, whose text
    # scrolled on its own, came out as tall as the phone, its buttons at the screen's foot under a blank page
    # (the README's picture). A dialog that may say more than a short phone shows scrolls as a whole instead
    # (AlertDialog's `scrollable`), and is otherwise as tall as its content.
    views = Path(views_package.__file__).parent
    wrong = []
    for source in views.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if not isinstance(node, ast.Call):
                continue
            given = {keyword.arg: ast.unparse(keyword.value) for keyword in node.keywords}
            called = ast.unparse(node.func)
            if called == "ft.Column" and given.get("tight") == "True" and "scroll" in given:
                wrong.append(f"{source.name}:{node.lineno}: a tight Column that scrolls")
            if called == "ft.AlertDialog" and given.get("scrollable") != "True":
                wrong.append(f"{source.name}:{node.lineno}: a dialog that does not scroll as a whole")
    assert wrong == []


# ---------------------------------------------------------------- the list, and what deleting takes


def row(conversation_id: str, title: str, *, count: int = 9, temporary: bool = False) -> ConversationView:
    return ConversationView(conversation_id=conversation_id, title=title, message_count=count, created_at=NOW,
                            updated_at=NOW, temporary=temporary)


def test_avatars_take_the_first_telling_word_not_the_question_word() -> None:
    letters = [avatar_letter(t) for t in ("What is my name and where", "What should I cook tonight",
                                          "How do I fix a bike chain", "Spanish practice", "What?", "\U0001F600")]

    assert letters == ["N", "C", "F", "S", "W", "#"]


def test_a_row_says_no_count_that_includes_hidden_alternatives() -> None:
    # 9 stored messages (a regenerated answer kept as an alternative) for 8 bubbles: no count the list can trust.
    details = tile_details(row("a" * 16, "Trip", count=9), now=NOW)

    assert "9" not in details and "message" not in details
    assert tile_details(row("a" * 16, "Trip", temporary=True), now=NOW).startswith("Temporary")


def test_the_delete_dialog_names_the_memories_learnt_only_in_that_conversation(outbox: FakeOutbox) -> None:
    memories = MemoryList(outbox=outbox)
    said, going = deletion_warning("Trip", memories, CONVERSATION)
    assert "forgets what it learnt only in this conversation" in said and going == [], "said before the list"

    memories.on_memories(Memories(enabled=True, limit=200, memories=[
        memory(1, "Lives in: Lisbon"), memory(2, "Note: locker code 4521", conversation_id="b" * 16)]))
    said, going = deletion_warning("Trip", memories, CONVERSATION)

    assert going == ["Lives in: Lisbon"] and "forgets the 1 memory it learnt only here" in said
    assert "[forgotten]" in said, "forgetting it redacts the answers of other chats that used it"
    said, going = deletion_warning("Other", memories, "c" * 16)
    assert going == [] and "what it remembers stays" in said


def test_delete_all_says_every_memory_goes_with_the_conversations(outbox: FakeOutbox) -> None:
    memories = MemoryList(outbox=outbox)
    assert "stays" not in delete_all_warning(memories) and "forgets everything it remembers" in \
        delete_all_warning(memories)

    memories.on_memories(Memories(enabled=True, limit=200, memories=[memory(1, "Lives in: Lisbon"),
                                                                     memory(2, "Likes: jazz")]))

    assert "memchat forgets all 2 memories" in delete_all_warning(memories)


def test_the_memory_delete_dialog_says_the_chats_are_redacted_and_undo_is_brief() -> None:
    said = forget_warning(memory(1, "Lives in: Lisbon"))

    assert "[forgotten]" in said and "Lives in: Lisbon" in said and f"{UNDO_SECONDS:.0f} seconds to undo" in said


def test_a_memory_s_time_follows_its_source_instead_of_the_row_s_far_end() -> None:
    origin = ft.Text("From \u201cTrip\u201d")
    line = origin_row(origin, "10:00")

    source, time_ = line.controls
    assert line.tight and source.expand and source.expand_loose, "the source takes only the room it needs"
    assert time_.value == "\u00b7 10:00"


def test_a_fact_told_as_over_says_when_it_ended_and_a_memory_when_it_was_confirmed() -> None:
    learnt = memory(1, "Lives in: Lisbon").model_copy(update={"updated_at": NOW - timedelta(days=400)})
    ended = learnt.model_copy(update={"ended_at": NOW})

    assert moment_line(learnt) == when(learnt.updated_at)
    assert moment_line(ended) == f"ended {when(NOW)}"


def test_an_imported_memory_says_so_and_opens_no_conversation(outbox: FakeOutbox) -> None:
    chat = ChatState(outbox=outbox)
    imported = memory(1, "Lives in Porto").model_copy(update={"sources": [
        MemorySource(kind=SourceKind.IMPORT, imported_at=NOW)]})
    learnt = memory(2, "Lives in Porto")

    assert source_line(chat, imported) == ("Imported by you", None)
    assert source_line(chat, learnt) == ("From an earlier conversation", CONVERSATION)


def test_with_memory_off_the_empty_chat_does_not_say_memchat_remembers() -> None:
    assert "remembers" in empty_chat_text(False, True)
    assert "remembers" not in empty_chat_text(False, False) and "Memory is off" in empty_chat_text(False, False)
    assert "remembers" not in empty_chat_text(False, None), "nothing claimed before the server said"
    assert "temporary" in empty_chat_text(True, True)


def test_sign_in_speaks_of_a_local_server_and_an_account_and_its_hint_fits_a_phone() -> None:
    assert set(METHOD_NAMES.values()) == {"Local server", "Account"}
    # 12 px text in the sign-in card of a 390 px phone holds about 45 characters: the old hint was cut.
    assert "memchat token YOUR_NAME" in TOKEN_HELP and len(TOKEN_HELP) <= 45
