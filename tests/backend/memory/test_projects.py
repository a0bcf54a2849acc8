"""Project items and the user's instructions in the chat table: keyed by the user, checked where they join."""

from __future__ import annotations

import uuid

import pytest

from memchat.errors import NotFound
from memchat.frames import (
    MAX_FRAME_BYTES,
    PROJECT_NAME_MAX_CHARS,
    TITLE_MAX_CHARS,
    Conversations,
    ConversationView,
    Projects,
    wire_size,
)
from memchat.memory import Memory
from memchat.memory.codec import SETTINGS_SK, user_pk
from memchat.memory.projects import Project, project_sk
from memchat.projects import check_instructions

from ..recorded import ALICE, BOB
from .conftest import T0


def _start(memory: Memory, *, user=ALICE, project_id=None, now_ms=T0):
    return memory.store_user_message(user, conversation_id=None, client_message_id=uuid.uuid4(), text="Hola",
                                     now_ms=now_ms, project_id=project_id)


def _create(memory: Memory, user=ALICE, name="Spanish", instructions="En español."):
    return memory.create_project(user, name=name, instructions=instructions, now_ms=T0, limit=20)


def test_instructions_and_projects_live_in_the_users_own_partition(memory, dynamodb, settings):
    memory.set_instructions(ALICE, about="I am Alice.", style=None)
    project = _create(memory)

    for sk in (SETTINGS_SK, project_sk(project.project_id)):
        key = {"pk": {"S": user_pk(ALICE)}, "sk": {"S": sk}}
        assert "Item" in dynamodb.get_item(TableName=settings.table_name, Key=key)
    assert memory.instructions(BOB).about == "" and memory.projects(BOB) == []


def test_instructions_come_with_the_memory_setting_and_outlast_switching_it_and_clearing_memories(memory):
    memory.set_instructions(ALICE, about="I am Alice.", style="Be brief.")
    memory.set_memory_enabled(ALICE, False)
    memory.clear_memories(ALICE)

    state = memory.recall_state(ALICE, limit=10, consistent=True)
    assert (state.enabled, state.instructions.about, state.instructions.style) == (False, "I am Alice.", "Be brief.")
    memory.set_instructions(ALICE, about="", style=None)
    assert memory.instructions(ALICE, consistent=True).about == "" and memory.instructions(ALICE).style == "Be brief."


def test_a_project_stays_out_of_the_conversation_list(memory):
    _create(memory)

    assert memory.list_conversations(ALICE, cursor=None, limit=10).items == []


def test_a_conversation_started_in_a_missing_project_is_not_stored(memory):
    with pytest.raises(NotFound, match="project"):
        _start(memory, project_id="b0a710c1")

    assert memory.list_conversations(ALICE, cursor=None, limit=10).items == []


def test_a_projects_conversations_are_found_past_a_page_of_the_list(memory):
    project = _create(memory)
    inside = {_start(memory, project_id=project.project_id, now_ms=T0 + i * 60_000).conversation_id
              for i in range(3)}
    for i in range(3):
        _start(memory, now_ms=T0 + 10 * 60_000 + i)

    assert set(memory.project_conversations(ALICE, project.project_id)) == inside
    assert list(memory.project_conversations(BOB, project.project_id)) == []


def test_a_conversation_is_released_only_from_the_project_it_is_in(memory):
    first, second = _create(memory, name="One"), _create(memory, name="Two")
    turn = _start(memory, project_id=first.project_id)
    memory.move_conversation(ALICE, turn.conversation_id, second.project_id)  # moved on meanwhile

    assert not memory.release_conversation(ALICE, turn.conversation_id, first.project_id)
    assert memory.conversation(ALICE, turn.conversation_id, consistent=True)["projectId"] == second.project_id


def test_renaming_or_deleting_a_missing_project_is_not_found(memory):
    with pytest.raises(NotFound):
        memory.update_project(ALICE, "b0a710c1", now_ms=T0, name="x")
    with pytest.raises(NotFound):
        memory.delete_project(ALICE, "b0a710c1")


def test_every_project_at_its_longest_fits_one_frame(settings):
    # Names and instructions at their longest, of characters JSON escapes ('"' is two bytes on the wire)
    # or that take the most bytes the instructions' token bound lets through.
    name = '"' * PROJECT_NAME_MAX_CHARS
    quotes = check_instructions('"' * settings.instructions_max_chars, "text", settings)
    dense = check_instructions("é" * 70, "text", settings)
    views = [Project(f"{i:016x}", name, quotes if i % 2 else dense, T0, T0).view()
             for i in range(settings.max_projects)]
    conversations = [ConversationView(conversation_id=f"{i:032x}", title='"' * TITLE_MAX_CHARS, message_count=10**6,
                                      created_at=views[0].created_at, updated_at=views[0].created_at,
                                      project_id=views[0].project_id)
                     for i in range(settings.conversations_page_size)]

    assert wire_size(Projects(projects=views, limit=settings.max_projects)) <= MAX_FRAME_BYTES
    assert wire_size(Conversations(conversations=conversations, projects=views, cursor="c" * 400)) <= MAX_FRAME_BYTES
