"""Forgetting: a deleted memory leaves no copy in any item, and nothing else of the user's goes with it."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from memchat.errors import NotFound
from memchat.frames import MessageStatus
from memchat.memory.codec import load, user_pk
from memchat.memory.extraction import Forget
from memchat.memory.forgetting import REDACTED, matching, mentions, redact
from memchat.memory.memories import Source, Subject
from memchat.memory.recall import STOPWORDS

from ..recorded import ALICE, BOB
from .conftest import T0, saved

NOW = 1_732_529_707_801
CANARY = "Zanzibar"

# ---------------------------------------------------------------- redacting text


def test_the_value_is_redacted_where_it_appears_whole_whatever_its_case_and_spacing():
    assert redact("I moved to New\n  york last May.", ["New York"]) == f"I moved to {REDACTED} last May."


def test_each_word_of_the_value_is_redacted_where_the_phrase_is_not_whole():
    assert redact("Lisbon is in Portugal.", ["Lisbon, Portugal"]) == f"{REDACTED} is in {REDACTED}."


def test_every_copy_is_redacted_even_after_one_whole_phrase():
    text = redact("I live in Lisbon Portugal. Lisbon is lovely.", ["Lisbon Portugal"])
    assert "Lisbon" not in text


def test_a_short_meaningful_word_of_the_value_is_redacted_too():
    assert "UK" not in redact("Moved to UK in May.", ["moved to the UK"])


def test_the_users_other_words_stay_even_when_they_contain_the_value():
    assert redact("The Adams family. Ada called.", ["Ada"]) == f"The Adams family. {REDACTED} called."


def test_a_plural_of_the_value_goes_with_it():
    assert redact("I love cats. My cat Miso and two foxes.", ["cat", "fox"]) == (
        f"I love {REDACTED}. My {REDACTED} Miso and two {REDACTED}.")


def test_stopwords_of_the_value_are_left_in_the_text():
    assert redact("I am from the north of Italy", ["the north"]) == f"I am from {REDACTED} of Italy"
    assert redact("the cat and the dog", ["the Lyon"]) == "the cat and the dog"


def test_mentions_tells_whether_redacting_would_change_the_text():
    assert mentions("I live in Lisbon", ["lisbon"]) and not mentions("I live in Lyon", ["Lisbon"])


_vocabulary = st.sampled_from(["Lisbon", "lisbon", "Lisbons", "UK", "uk", "Ada", "Adams", "São", "Paulo", "the",
                                "in", "42", "x", "LYON"])
_separator = st.sampled_from([" ", "  ", ", ", ". ", "\n", "-", "'"])


@given(text=st.lists(st.tuples(_vocabulary, _separator), max_size=12).map(lambda ws: "".join(a + b for a, b in ws)),
       value=st.lists(_vocabulary, min_size=1, max_size=3).map(" ".join))
def test_no_meaningful_word_of_a_redacted_value_is_left_in_the_text(text, value):
    # Meaningful: no stopword, and no short plain lower-case word such as "in" (which names nothing).
    meaningful = {w.casefold() for w in re.findall(r"[^\W_]+", value)
                  if (len(w) > 2 or not w.islower()) and w.casefold() not in STOPWORDS}
    assume(not any(w in REDACTED for w in meaningful))
    left = {w.casefold() for w in re.findall(r"[^\W_]+", redact(text, [value]))}

    assert not {form for w in meaningful for form in (w, w + "s", w + "es")} & left


# ---------------------------------------------------------------- which memories a request names


HOME = saved(Subject.HOME, "Lisbon")
JAZZ = saved(Subject.PREFERENCE, "jazz")
HIKING = saved(Subject.PREFERENCE, "hiking in the mountains")
PETS = saved(Subject.FAMILY, "two cats")
ALL = [HOME, JAZZ, HIKING, PETS]


def test_forget_everything_names_every_memory():
    assert matching(ALL, Forget("everything", everything=True)) == ALL


def test_a_request_finds_its_memory_by_the_subjects_everyday_words():
    assert matching(ALL, Forget("my address")) == [HOME]


def test_a_request_naming_a_value_forgets_that_value_only():
    assert matching(ALL, Forget("that I like jazz")) == [JAZZ]
    assert matching(ALL, Forget("I live in Lisbon")) == [HOME]


def test_a_request_naming_nothing_remembered_forgets_nothing():
    assert matching(ALL, Forget("my password")) == []


# ---------------------------------------------------------------- deleting memories and their copies


def _turn(memory, text, *, user=ALICE, conversation=None, answer=None, now_ms=NOW):
    turn = memory.store_user_message(user, conversation_id=conversation, client_message_id=uuid.uuid4(), text=text,
                                     now_ms=now_ms)
    memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=answer or f"Noted: {text}",
                        status=MessageStatus.COMPLETE, tokens=5)
    return turn


def _learn(memory, subject, value, *turns, user=ALICE, updated_ms=T0):
    memory_ = saved(subject, value, updated_ms=updated_ms,
                    sources=tuple(Source(t.conversation_id, t.message_id) for t in turns))
    memory.put_memory(user, memory_)
    return memory_


def _every_item(dynamodb, settings) -> list[dict]:
    items, kwargs = [], {"TableName": settings.table_name}
    while True:
        page = dynamodb.scan(**kwargs)
        items += [load(item) for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _leaks(dynamodb, settings, word) -> list[dict]:
    return [item for item in _every_item(dynamodb, settings) if word.casefold() in repr(item).casefold()]


@pytest.fixture
def zanzibar(memory):
    """Alice said where she lives in one conversation; the model copied it into another's summary and title."""
    said = _turn(memory, f"I live in {CANARY} now.", answer=f"{CANARY} is lovely!")
    elsewhere = _turn(memory, "Plan a weekend trip for me.")
    memory.save_summary(ALICE, elsewhere.conversation_id, text=f"Ada, who lives in {CANARY}, wants a trip.",
                        through=elsewhere.reply_id, previous_through=None)
    memory.set_model_title(ALICE, elsewhere.conversation_id, f"Weekend trip from {CANARY}")
    home = _learn(memory, Subject.HOME, CANARY, said)
    jazz = _learn(memory, Subject.PREFERENCE, "jazz", _turn(memory, "I love jazz."))
    return home, jazz, said, elsewhere


def test_deleting_a_memory_leaves_no_copy_in_any_item(memory, dynamodb, settings, zanzibar):
    home, *_ = zanzibar
    assert _leaks(dynamodb, settings, CANARY)

    assert memory.delete_memory(ALICE, home.memory_id) == home
    assert _leaks(dynamodb, settings, CANARY) == []


def test_deleting_a_memory_redacts_its_words_and_keeps_the_rest(memory, zanzibar):
    home, _, said, elsewhere = zanzibar
    memory.delete_memory(ALICE, home.memory_id)

    question, answer = memory.message_pair(ALICE, said.conversation_id, said.message_id, said.reply_id)
    assert (question.text, answer.text) == (f"I live in {REDACTED} now.", f"{REDACTED} is lovely!")
    assert memory.conversation(ALICE, elsewhere.conversation_id)["title"] == f"Weekend trip from {REDACTED}"


def test_deleting_a_memory_leaves_the_users_other_memories(memory, zanzibar):
    home, jazz, *_ = zanzibar
    memory.delete_memory(ALICE, home.memory_id)

    assert memory.recall_state(ALICE, limit=10).memories == [jazz]


def test_deleting_a_memory_deletes_its_earlier_values(memory, dynamodb, settings):
    first = _turn(memory, "I live in Lisbon.")
    second = _turn(memory, f"I moved to {CANARY}.")
    lisbon = _learn(memory, Subject.HOME, "Lisbon", first)
    now = _learn(memory, Subject.HOME, CANARY, second, updated_ms=T0 + 1)
    memory.supersede_memory(ALICE, lisbon, now, now_ms=T0 + 1)

    memory.delete_memory(ALICE, now.memory_id)

    assert memory.memory_history(ALICE) == []
    assert _leaks(dynamodb, settings, "Lisbon") == [] and _leaks(dynamodb, settings, CANARY) == []


def test_deleting_a_memory_that_does_not_exist_is_not_found(memory):
    with pytest.raises(NotFound):
        memory.delete_memory(ALICE, "0123456789abcdef01234567")


def test_another_user_can_neither_see_nor_delete_the_memory(memory, dynamodb, settings, zanzibar):
    home, *_ = zanzibar

    assert memory.recall_state(BOB, limit=10).memories == []
    with pytest.raises(NotFound):
        memory.delete_memory(BOB, home.memory_id)
    assert memory.get_memory(ALICE, home.memory_id) == home


def test_clearing_memories_forgets_every_memory_and_every_earlier_value(memory, dynamodb, settings, zanzibar):
    home, *_ = zanzibar
    moved = _turn(memory, "I moved to Lyon.")
    lyon = _learn(memory, Subject.HOME, "Lyon", moved, updated_ms=T0 + 1)
    memory.supersede_memory(ALICE, home, lyon, now_ms=T0 + 1)

    assert memory.clear_memories(ALICE) == 2
    assert memory.recall_state(ALICE, limit=10).memories == [] and memory.memory_history(ALICE) == []
    assert _leaks(dynamodb, settings, CANARY) == [] and _leaks(dynamodb, settings, "jazz") == []


def test_clearing_leaves_the_memory_setting_and_another_users_memories(memory, zanzibar):
    bobs = _learn(memory, Subject.PREFERENCE, "jazz", _turn(memory, "I love jazz.", user=BOB), user=BOB)
    memory.set_memory_enabled(ALICE, False)

    memory.clear_memories(ALICE)

    assert memory.recall_state(BOB, limit=10).memories == [bobs]
    assert memory.recall_state(ALICE, limit=10).enabled is False


def test_another_users_clear_leaves_alices_memories(memory, zanzibar):
    assert memory.clear_memories(BOB) == 0
    assert len(memory.recall_state(ALICE, limit=10).memories) == 2


def test_a_deleted_conversation_takes_the_memories_learnt_from_it_alone(memory, dynamodb, settings, zanzibar):
    _, jazz, said, _ = zanzibar
    memory.delete_conversation(ALICE, said.conversation_id)

    assert memory.forget_conversation(ALICE, said.conversation_id) == 1
    assert memory.recall_state(ALICE, limit=10).memories == [jazz]
    memory.purge_messages(ALICE, said.conversation_id)
    assert _leaks(dynamodb, settings, CANARY) == []


def test_a_memory_also_said_elsewhere_outlives_the_conversation_without_its_source(memory, zanzibar):
    home, _, said, elsewhere = zanzibar
    again = _turn(memory, f"Back home in {CANARY}.", conversation=elsewhere.conversation_id)
    both = home.with_source(Source(again.conversation_id, again.message_id), T0 + 5)
    memory.put_memory(ALICE, both)

    assert memory.forget_conversation(ALICE, said.conversation_id) == 0
    kept = memory.get_memory(ALICE, home.memory_id)
    assert kept.sources == (Source(again.conversation_id, again.message_id),)


def test_a_deleted_conversation_takes_the_earlier_values_learnt_from_it_alone(memory, dynamodb, settings):
    first = _turn(memory, f"I live in {CANARY}.")
    moved = _turn(memory, "I moved to Lyon.", now_ms=NOW + 60_000)
    old = _learn(memory, Subject.HOME, CANARY, first)
    lyon = _learn(memory, Subject.HOME, "Lyon", moved, updated_ms=T0 + 1)
    memory.supersede_memory(ALICE, old, lyon, now_ms=T0 + 1)
    memory.delete_conversation(ALICE, first.conversation_id)

    memory.forget_conversation(ALICE, first.conversation_id)
    memory.purge_messages(ALICE, first.conversation_id)

    assert memory.recall_state(ALICE, limit=10).memories == [lyon]
    assert memory.memory_history(ALICE) == [] and _leaks(dynamodb, settings, CANARY) == []


def test_another_users_deleted_conversation_takes_none_of_alices_memories(memory, zanzibar):
    _, _, said, _ = zanzibar
    assert memory.forget_conversation(BOB, said.conversation_id) == 0
    assert len(memory.recall_state(ALICE, limit=10).memories) == 2


def test_forgetting_touches_only_the_owners_items(memory, dynamodb, settings, zanzibar):
    bobs_turn = _turn(memory, f"My cousin lives in {CANARY}.", user=BOB)
    home, *_ = zanzibar
    memory.delete_memory(ALICE, home.memory_id)

    leaks = _leaks(dynamodb, settings, CANARY)
    assert leaks and all(item["pk"].startswith(user_pk(BOB)) for item in leaks)
    assert memory.message_pair(BOB, bobs_turn.conversation_id, bobs_turn.message_id,
                               bobs_turn.reply_id)[0].text == f"My cousin lives in {CANARY}."


# ---------------------------------------------------------------- copies outside the sources, traced


def test_an_answer_in_another_conversation_that_recalled_the_memory_is_redacted(memory, dynamodb, settings, zanzibar):
    home, *_ = zanzibar
    turn = memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(),
                                     text="Any beach nearby?", now_ms=NOW)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text=f"{CANARY} has lovely beaches.",
                        status=MessageStatus.COMPLETE, tokens=9, recalled=[home.memory_id])
    memory.trace(ALICE, [home.memory_id], turn.conversation_id)  # as the digest does once the answer ends

    memory.delete_memory(ALICE, home.memory_id)

    assert _leaks(dynamodb, settings, CANARY) == []
    assert memory.message(ALICE, turn.conversation_id, turn.reply_id).text == f"{REDACTED} has lovely beaches."
    assert memory._traces(ALICE, None) == []  # the traces go with the memory


def test_a_memory_said_in_more_conversations_than_it_keeps_sources_for_is_redacted_everywhere(memory, dynamodb,
                                                                                            settings):
    from memchat.memory.memories import MAX_SOURCES

    turns = [_turn(memory, f"I live in {CANARY}.", now_ms=NOW + i * 60_000) for i in range(MAX_SOURCES + 1)]
    home = saved(Subject.HOME, CANARY, sources=(Source(turns[0].conversation_id, turns[0].message_id),))
    memory.trace(ALICE, [home.memory_id], turns[0].conversation_id)
    for i, turn in enumerate(turns[1:], 1):
        home = home.with_source(Source(turn.conversation_id, turn.message_id), T0 + i)
        memory.trace(ALICE, [home.memory_id], turn.conversation_id)
    memory.put_memory(ALICE, home)
    assert turns[0].conversation_id not in {s.conversation_id for s in home.sources}  # beyond the kept sources

    memory.delete_memory(ALICE, home.memory_id)

    assert _leaks(dynamodb, settings, CANARY) == []


def test_traces_are_no_memories_and_are_never_recalled(memory, zanzibar):
    home, *_ = zanzibar
    before = memory.recall_state(ALICE, limit=50)
    memory.trace(ALICE, [home.memory_id, home.memory_id], "c0ffee01")
    assert len(memory._traces(ALICE, {home.memory_id})) == 1
    assert memory.recall_state(ALICE, limit=50) == before
