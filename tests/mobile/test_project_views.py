"""What the projects' screens say, from the pure functions behind them (views/projects.py)."""

from __future__ import annotations

from datetime import timedelta

from memchat.frames import Conversations, ConversationView, ProjectView
from memchat_mobile.state import ChatState
from memchat_mobile.views.conversations import tile_details
from memchat_mobile.views.projects import chats_in, count_words, instructions_note
from tests.mobile.fakes import NOW

SPANISH = ProjectView(project_id="5a5a5a5a", name="Spanish practice", instructions="", created_at=NOW,
                      updated_at=NOW)


def _row(conversation_id: str, minutes_ago: int, *, pinned: bool = False, project: str | None = None):
    when = NOW - timedelta(minutes=minutes_ago)
    return ConversationView(conversation_id=conversation_id, title=conversation_id, message_count=2,
                            created_at=when, updated_at=when, pinned=pinned, project_id=project)


def test_the_instructions_note_counts_and_says_by_how_much_a_text_is_over() -> None:
    assert instructions_note("  Hola  ", 0, 300) == "4/300"
    assert instructions_note("x" * 305, 5, 300) == "305/300: 5 characters too long, shorten it to save"
    assert instructions_note("x" * 301, 1, 300).endswith("1 character too long, shorten it to save")


def test_a_projects_chats_are_its_own_pinned_first() -> None:
    state = ChatState(outbox=None)  # type: ignore[arg-type]  # nothing is sent here
    state.receive(Conversations(conversations=[
        _row("aaaaaaaa", 1, project=SPANISH.project_id), _row("bbbbbbbb", 5, pinned=True, project=SPANISH.project_id),
        _row("cccccccc", 2)], projects=[SPANISH]))

    assert [c.conversation_id for c in chats_in(state, SPANISH.project_id)] == ["bbbbbbbb", "aaaaaaaa"]
    assert [count_words(n) for n in (0, 1, 3)] == ["No chats yet", "1 chat", "3 chats"]


def test_a_pinned_row_says_so_before_its_time() -> None:
    plain = tile_details(_row("aaaaaaaa", 1), now=NOW)
    assert tile_details(_row("aaaaaaaa", 1, pinned=True), now=NOW) == f"Pinned  \u00b7  {plain}"
