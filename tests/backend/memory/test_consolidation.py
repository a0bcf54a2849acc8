"""Consolidation without the model: confirm, supersede, add, and evict past the user's limit."""

from __future__ import annotations

from memchat.memory.codec import new_message_id
from memchat.memory.consolidation import near_duplicate, plan
from memchat.memory.extraction import Proposal
from memchat.memory.memories import MAX_SOURCES, Source, Subject, memory_id_for

from .conftest import T0, saved

HERE = Source("c0ffee01", "0193a1b2c3d4e5f6a7b8c9d0")
THERE = Source("c0ffee02", "0193a1b2c3d4e5f6a7b8c9d1")
LATER = T0 + 60_000


def test_values_that_say_the_same_are_near_duplicates():
    assert near_duplicate("Lisbon", "lisbon")
    assert near_duplicate("Lisbon", "Lisbon, Portugal")  # one's words contain the other's
    assert near_duplicate("plays jazz piano every week", "plays jazz piano every weekend")


def test_different_values_are_not_near_duplicates():
    assert not near_duplicate("Lisbon", "Lyon")
    assert not near_duplicate("jazz piano", "rock guitar")


def test_a_new_fact_becomes_a_memory_with_its_source():
    changes = plan([], [Proposal(Subject.HOME, "Lisbon")], source=HERE, now_ms=T0, limit=10)

    (new,) = changes.puts
    assert (new.subject, new.value, new.sources, new.created_ms) == (Subject.HOME, "Lisbon", (HERE,), T0)
    assert new.memory_id == memory_id_for(Subject.HOME, "Lisbon")
    assert not changes.supersedes and not changes.evictions


def test_saying_it_again_elsewhere_confirms_the_memory_with_one_more_source():
    home = saved(Subject.HOME, "Lisbon", sources=(HERE,))
    changes = plan([home], [Proposal(Subject.HOME, "lisbon")], source=THERE, now_ms=LATER, limit=10)

    (confirmed,) = changes.puts
    assert confirmed.memory_id == home.memory_id and confirmed.value == "Lisbon"
    assert confirmed.sources == (THERE, HERE) and confirmed.updated_ms == LATER
    assert not changes.supersedes


def test_a_redelivered_turn_changes_nothing():
    proposals = [Proposal(Subject.HOME, "Lisbon"), Proposal(Subject.PREFERENCE, "jazz")]
    first = plan([], proposals, source=HERE, now_ms=T0, limit=10)
    again = plan(first.puts, proposals, source=HERE, now_ms=LATER, limit=10)

    assert not again


def test_a_value_said_before_the_current_one_never_replaces_it():
    # A stream delivers a failed batch again: "I live in Lisbon" (said first) is read after "I moved to Lyon".
    home = saved(Subject.HOME, "Lyon", sources=(Source("c0ffee02", new_message_id(T0 + 60_000)),))
    earlier = Source("c0ffee01", new_message_id(T0))

    assert not plan([home], [Proposal(Subject.HOME, "Lisbon")], source=earlier, now_ms=LATER, limit=10)
    code = saved(Subject.NOTE, "gym locker code 1234", sources=(Source("c0ffee02", new_message_id(T0 + 60_000)),))
    assert not plan([code], [Proposal(Subject.NOTE, "gym locker code 4521")], source=earlier, now_ms=LATER, limit=10)
    # Said after it, it does; and an import is ordered by when it was brought.
    assert plan([home], [Proposal(Subject.HOME, "Lisbon")], source=Source("c0ffee03", new_message_id(T0 + 120_000)),
                now_ms=LATER, limit=10).supersedes
    assert not plan([home], [Proposal(Subject.HOME, "Lisbon")], source=Source.imported(T0), now_ms=LATER, limit=10)


def test_a_new_value_of_a_single_valued_subject_supersedes_the_current_one():
    home = saved(Subject.HOME, "Lisbon", sources=(HERE,))
    changes = plan([home], [Proposal(Subject.HOME, "Lyon")], source=THERE, now_ms=LATER, limit=10)

    ((old, new),) = changes.supersedes
    assert old == home and (new.value, new.sources) == ("Lyon", (THERE,))
    assert changes.puts == []


def test_a_redelivered_update_supersedes_once():
    home = saved(Subject.HOME, "Lisbon", sources=(HERE,))
    first = plan([home], [Proposal(Subject.HOME, "Lyon")], source=THERE, now_ms=LATER, limit=10)
    ((_, lyon),) = first.supersedes

    assert not plan([lyon], [Proposal(Subject.HOME, "Lyon")], source=THERE, now_ms=LATER + 1, limit=10)


def test_a_new_value_of_a_multi_valued_subject_is_one_more_memory():
    jazz = saved(Subject.PREFERENCE, "jazz", sources=(HERE,))
    changes = plan([jazz], [Proposal(Subject.PREFERENCE, "hiking")], source=THERE, now_ms=LATER, limit=10)

    assert [m.value for m in changes.puts] == ["hiking"] and not changes.supersedes


def test_past_the_limit_the_least_recently_confirmed_memories_are_evicted():
    old = saved(Subject.PREFERENCE, "chess", updated_ms=T0)
    recent = saved(Subject.PREFERENCE, "jazz", updated_ms=T0 + 1)
    changes = plan([recent, old], [Proposal(Subject.PLAN, "Rome in May")], source=HERE, now_ms=LATER, limit=2)

    assert changes.evictions == [old]
    assert [m.value for m in changes.puts] == ["Rome in May"]


def test_a_confirmed_memory_outlives_a_newer_unconfirmed_one_at_the_limit():
    old = saved(Subject.PREFERENCE, "chess", updated_ms=T0)
    newer = saved(Subject.PREFERENCE, "jazz", updated_ms=T0 + 1)
    changes = plan([old, newer], [Proposal(Subject.PREFERENCE, "chess"), Proposal(Subject.PLAN, "Rome in May")],
                   source=HERE, now_ms=LATER, limit=2)

    assert changes.evictions == [newer]
    assert {m.value for m in changes.puts} == {"chess", "Rome in May"}


def test_a_memory_keeps_its_newest_sources_only():
    sources = tuple(Source(f"c0ffee{i:02d}", f"0193a1b2c3d4e5f6a7b8c9{i:02d}") for i in range(MAX_SOURCES))
    home = saved(Subject.HOME, "Lisbon", sources=sources)
    (confirmed,) = plan([home], [Proposal(Subject.HOME, "Lisbon")], source=HERE, now_ms=LATER, limit=10).puts

    assert confirmed.sources == (HERE, *sources[: MAX_SOURCES - 1])


def test_a_restatement_that_says_no_more_confirms_the_memory_as_it_was():
    home = saved(Subject.HOME, "Lisbon, Portugal", sources=(HERE,))
    (confirmed,) = plan([home], [Proposal(Subject.HOME, "Lisbon")], source=THERE, now_ms=LATER, limit=10).puts

    assert confirmed.value == "Lisbon, Portugal"


def test_a_changed_detail_replaces_a_near_duplicate_instead_of_confirming_the_stale_value():
    code = saved(Subject.NOTE, "my bike lock code is 4521", sources=(HERE,))
    changes = plan([code], [Proposal(Subject.NOTE, "my bike lock code is 1234")], source=THERE, now_ms=LATER,
                   limit=10)

    ((old, new),) = changes.supersedes
    assert (old.value, new.value, new.sources) == ("my bike lock code is 4521", "my bike lock code is 1234", (THERE,))
    assert changes.puts == []


def test_a_moved_date_of_a_plan_replaces_the_old_date():
    trip = saved(Subject.PLAN, "trip to Rome on May 3", sources=(HERE,))
    changes = plan([trip], [Proposal(Subject.PLAN, "trip to Rome on May 5")], source=THERE, now_ms=LATER, limit=10)

    assert [(old.value, new.value) for old, new in changes.supersedes] == [("trip to Rome on May 3",
                                                                           "trip to Rome on May 5")]


def test_two_wordings_of_one_fact_in_one_message_are_one_memory_and_no_history():
    changes = plan([], [Proposal(Subject.PLAN, "trip to Rome"), Proposal(Subject.PLAN, "trip to Rome in May")],
                   source=HERE, now_ms=T0, limit=10)

    assert len(changes.puts) == 1 and changes.supersedes == []
