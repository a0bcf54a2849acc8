"""Titles: the model names a conversation once, the user's own title wins, and nobody renames another's."""

from __future__ import annotations

import uuid

import pytest

from memchat.errors import NotFound
from memchat.memory.titles import MAX_WORDS, clean_title, title_prompt

from ..recorded import ALICE, BOB

NOW = 1_732_529_707_801
QUESTION = "What should I pack for a week of hiking in the Azores in October?"


def _conversation(memory, user=ALICE) -> str:
    return memory.store_user_message(user, conversation_id=None, client_message_id=uuid.uuid4(), text=QUESTION,
                                     now_ms=NOW).conversation_id


def _title(memory, user, conversation_id) -> str:
    return memory.conversation(user, conversation_id)["title"]


def test_the_prompt_carries_the_first_exchange_on_single_lines_and_bounded():
    system, user = title_prompt("Where\nshould I go?", "Try " + "Lisbon " * 200)
    assert system.role == "system" and "two to six words" in system.content
    assert user.content.startswith("User: Where should I go?\nAssistant: Try Lisbon")
    assert len(user.content) <= len("User: \nAssistant: ") + 1200


@pytest.mark.parametrize(("raw", "title"), [
    ("Hiking in the Azores", "Hiking in the Azores"),
    ('"Azores Hiking Packing List."', "Azores Hiking Packing List"),
    ("Title: Azores trip", "Azores trip"),
    ("\n\n**Packing for the Azores**\nMore text here", "Packing for the Azores"),
])
def test_the_models_title_is_tidied(raw, title):
    assert clean_title(raw, fallback=QUESTION) == title


@pytest.mark.parametrize("raw", ["", "Azores", "A very long title that goes on and on and on"])
def test_a_title_that_is_not_two_to_six_words_falls_back_to_the_first_words(raw):
    title = clean_title(raw, fallback=QUESTION)
    assert title == "What should I pack for a" and len(title.split()) == MAX_WORDS


def test_the_fallback_drops_trailing_punctuation():
    assert clean_title("", fallback="Hello there?") == "Hello there"


def test_the_model_titles_a_conversation_once(memory):
    conversation = _conversation(memory)

    assert memory.set_model_title(ALICE, conversation, "Hiking in the Azores")
    assert not memory.set_model_title(ALICE, conversation, "Something else")
    assert _title(memory, ALICE, conversation) == "Hiking in the Azores"


def test_the_users_title_is_kept_over_the_models(memory):
    conversation = _conversation(memory)
    view = memory.rename_conversation(ALICE, conversation, "My Azores trip")

    assert (view.conversation_id, view.title) == (conversation, "My Azores trip")
    assert not memory.set_model_title(ALICE, conversation, "Hiking in the Azores")
    assert [c.title for c in memory.list_conversations(ALICE, cursor=None, limit=5).items] == ["My Azores trip"]


def test_renaming_a_conversation_that_does_not_exist_is_not_found(memory):
    with pytest.raises(NotFound):
        memory.rename_conversation(ALICE, uuid.uuid4().hex, "Nothing")


def test_another_user_can_neither_rename_nor_title_the_conversation(memory):
    conversation = _conversation(memory)

    with pytest.raises(NotFound):
        memory.rename_conversation(BOB, conversation, "Bob's now")
    assert not memory.set_model_title(BOB, conversation, "Bob's now")
    assert _title(memory, ALICE, conversation) == QUESTION[:59] + "…"
    with pytest.raises(NotFound):
        memory.conversation(BOB, conversation)
