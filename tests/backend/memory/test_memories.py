"""The user's memories: items with provenance, history of superseded values, and the on/off setting."""

from __future__ import annotations

import pytest

from memchat.errors import NotFound
from memchat.frames import ID
from memchat.memory import RecallState
from memchat.memory.memories import (
    LABELS,
    MAX_SOURCES,
    SavedMemory,
    Source,
    Subject,
    memory_id_for,
)

from ..recorded import ALICE, BOB
from .conftest import T0, saved

HERE = Source("c0ffee01", "0193a1b2c3d4e5f6a7b8c9d0")
THERE = Source("c0ffee02", "0193a1b2c3d4e5f6a7b8c9d1")


def test_the_same_fact_said_twice_has_one_id():
    assert memory_id_for(Subject.HOME, "Lisbon") == memory_id_for(Subject.HOME, "  lisbon ")
    assert memory_id_for(Subject.HOME, "Lisbon") != memory_id_for(Subject.WORK, "Lisbon")
    assert ID.validate_python(memory_id_for(Subject.NOTE, "the the"))


def test_every_subject_has_a_label_for_the_prompt():
    assert set(LABELS) == set(Subject)
    assert saved(Subject.HOME, "Lisbon").text == "Lives in: Lisbon"


def test_search_text_adds_the_subjects_everyday_words():
    assert "address" in saved(Subject.HOME, "Lisbon").search_text


def test_a_new_source_goes_first_once_and_the_oldest_past_the_cap_go():
    memory = saved(Subject.HOME, "Lisbon", sources=(HERE,))
    assert memory.with_source(HERE, T0 + 1).sources == (HERE,)
    assert memory.with_source(THERE, T0 + 1).sources == (THERE, HERE)
    many = memory
    for i in range(MAX_SOURCES + 2):
        many = many.with_source(Source(f"c0ffee{i:02d}", f"{i:024x}"), T0 + i)
    assert len(many.sources) == MAX_SOURCES and many.sources[0] == Source(f"c0ffee{MAX_SOURCES + 1:02d}",
                                                                           f"{MAX_SOURCES + 1:024x}")


def test_confirming_never_moves_a_memory_back_in_time():
    assert saved(Subject.HOME, "Lisbon", updated_ms=T0 + 5).with_source(THERE, T0).updated_ms == T0 + 5


def test_a_memorys_view_names_where_it_came_from():
    view = saved(Subject.DIET, "vegetarian", sources=(THERE, HERE)).view()
    assert (view.subject, view.text) == ("diet", "Diet: vegetarian")
    assert [(s.conversation_id, s.message_id) for s in view.sources] == [
        (THERE.conversation_id, THERE.message_id), (HERE.conversation_id, HERE.message_id)]


def test_a_memory_is_stored_and_read_back_unchanged(memory):
    home = saved(Subject.HOME, "Lisbon", sources=(THERE, HERE))
    memory.put_memory(ALICE, home)

    assert memory.get_memory(ALICE, home.memory_id) == home


def test_memory_is_on_until_the_user_switches_it_off(memory):
    assert memory.recall_state(ALICE, limit=10) == RecallState(enabled=True, memories=[])
    memory.set_memory_enabled(ALICE, False)
    assert memory.recall_state(ALICE, limit=10).enabled is False
    memory.set_memory_enabled(ALICE, True)
    assert memory.recall_state(ALICE, limit=10).enabled is True


def test_memories_are_read_most_recently_confirmed_first(memory):
    old, new = saved(Subject.HOME, "Lisbon", updated_ms=T0), saved(Subject.DIET, "vegan", updated_ms=T0 + 1)
    memory.put_memory(ALICE, old)
    memory.put_memory(ALICE, new)

    assert memory.recall_state(ALICE, limit=10).memories == [new, old]


def test_the_off_switch_holds_even_past_the_memory_limit(memory):
    for i in range(4):
        memory.put_memory(ALICE, saved(Subject.PREFERENCE, f"hobby {i}"))
    memory.set_memory_enabled(ALICE, False)

    assert memory.recall_state(ALICE, limit=2).enabled is False


def test_a_superseded_value_becomes_history_and_is_never_recalled(memory):
    lisbon, lyon = saved(Subject.HOME, "Lisbon", sources=(HERE,)), saved(Subject.HOME, "Lyon", updated_ms=T0 + 9)
    memory.put_memory(ALICE, lisbon)

    memory.supersede_memory(ALICE, lisbon, lyon, now_ms=T0 + 9)

    assert memory.recall_state(ALICE, limit=10).memories == [lyon]
    (history,) = memory.memory_history(ALICE)
    assert (history["value"], history["supersededMs"], history["supersededBy"]) == ("Lisbon", T0 + 9,
                                                                                    lyon.memory_id)
    assert history["sources"] == [f"{HERE.conversation_id}/{HERE.message_id}"]
    with pytest.raises(NotFound):
        memory.get_memory(ALICE, lisbon.memory_id)


def test_evicted_memories_are_dropped_and_the_rest_stay(memory):
    keep, drop = saved(Subject.HOME, "Lisbon"), saved(Subject.PREFERENCE, "chess")
    for m in (keep, drop):
        memory.put_memory(ALICE, m)

    memory.drop_memories(ALICE, [drop])

    assert memory.recall_state(ALICE, limit=10).memories == [keep]


def test_another_user_never_reads_the_memories_the_setting_or_the_history(memory):
    lisbon, lyon = saved(Subject.HOME, "Lisbon"), saved(Subject.HOME, "Lyon")
    memory.put_memory(ALICE, lisbon)
    memory.supersede_memory(ALICE, lisbon, lyon, now_ms=T0 + 1)
    memory.set_memory_enabled(ALICE, False)

    assert memory.recall_state(BOB, limit=10) == RecallState(enabled=True, memories=[])
    assert memory.memory_history(BOB) == []
    with pytest.raises(NotFound):
        memory.get_memory(BOB, lyon.memory_id)


def test_another_users_off_switch_leaves_alices_memory_on(memory):
    memory.set_memory_enabled(BOB, False)
    assert memory.recall_state(ALICE, limit=10).enabled is True


def test_a_plain_item_round_trips_through_from_plain():
    memory = saved(Subject.PLAN, "Rome in May", sources=(HERE,))
    plain = memory.item(ALICE)
    assert plain["pk"] == f"U#{ALICE}" and SavedMemory.from_plain(plain) == memory
