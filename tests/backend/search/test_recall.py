"""Recall of past exchanges on the answer path: a message that refers to an earlier conversation brings the
exchange it means into the prompt, after the memories and within recall's share; nothing else does."""

from __future__ import annotations

import uuid

import pytest

from memchat.memory import estimate_tokens
from memchat.memory.forgetting import REDACTED
from memchat.memory.memories import Source, Subject
from memchat.recollection import recollect
from memchat.search.finder import ASKED_CHARS
from memchat.search.references import refers_to_past, subject

from ..memory.conftest import saved
from ..recorded import ALICE, BOB

LAST = "f" * 24


def _recollect(memory, settings, pool, finder, text, conversation_id=None, **kwargs):
    return recollect(memory, settings, pool, user_id=kwargs.pop("user_id", ALICE), conversation_id=conversation_id,
                     before=LAST, text=text, finder=finder, **kwargs)


@pytest.fixture
def trip(exchange, indexed):
    turn = exchange(ALICE, "I am planning a trip to Lisbon in May, any ideas?",
                    "Visit the Alfama district, ride tram 28 and try pastéis de nata in Belém.")
    exchange(ALICE, "Give me a pancake recipe", "Mix flour, milk and two eggs.")
    indexed()
    return turn


@pytest.mark.parametrize("text", [
    "What did you suggest for my trip?", "Like last time, what about the trip?", "the trip ideas from before",
    "Remember the Lisbon trip we talked about?"])
def test_a_message_that_refers_to_the_past_brings_the_exchange_it_means(memory, settings, pool, finder, trip, text):
    recalled = _recollect(memory, settings, pool, finder, text)
    (exchange,) = recalled.exchanges
    assert (exchange.conversation_id, exchange.message_id) == (trip.conversation_id, trip.message_id)
    assert "trip to Lisbon" in exchange.text and "tram 28" in exchange.text
    assert exchange.excerpt == "I am planning a trip to Lisbon in May, any ideas?"
    assert exchange.tokens == estimate_tokens(exchange.text)


@pytest.mark.parametrize("text", ["Plan a trip to Rome for me", "What is a good recipe for soup?"])
def test_a_message_that_does_not_refer_to_the_past_brings_none(memory, settings, pool, finder, trip, text):
    assert _recollect(memory, settings, pool, finder, text).exchanges == []


def test_memories_come_first_and_exchanges_share_what_is_left_of_recalls_budget(memory, settings, pool, finder,
                                                                               trip):
    home = saved(Subject.HOME, "Lisbon trip planner " * 30, sources=(Source("c0ffee01", "0" * 24),))
    memory.put_memory(ALICE, home)
    tight = settings.model_copy(update={"recall_budget_tokens": home.tokens + 20})
    recalled = _recollect(memory, tight, pool, finder, "What did you suggest for my trip?")
    assert [m.memory_id for m in recalled.memories] == [home.memory_id]
    assert recalled.exchanges == []  # no room left beside the memory
    roomy = settings.model_copy(update={"recall_budget_tokens": home.tokens + 400})
    recalled = _recollect(memory, roomy, pool, finder, "What did you suggest for my trip?")
    assert len(recalled.memories) == 1 and len(recalled.exchanges) == 1
    assert sum(m.tokens for m in recalled.memories) + sum(e.tokens for e in recalled.exchanges) <= (
        roomy.recall_budget_tokens)


def test_memory_off_recalls_no_exchange(memory, settings, pool, finder, trip):
    memory.set_memory_enabled(ALICE, False)
    assert _recollect(memory, settings, pool, finder, "What did you suggest for my trip?").exchanges == []
    off = settings.model_copy(update={"long_term_memory": False})
    memory.set_memory_enabled(ALICE, True)
    assert _recollect(memory, off, pool, finder, "What did you suggest for my trip?").exchanges == []


def test_a_temporary_chat_is_never_recalled_and_recalls_nothing(memory, settings, pool, finder, exchange, indexed):
    exchange(ALICE, "Secret plan: a trip to Oslo", "Pack warm clothes.", temporary=True)
    indexed()
    assert _recollect(memory, settings, pool, finder, "What did you suggest for my Oslo trip?").exchanges == []
    exchange(ALICE, "A trip to Oslo, openly", "Take the ferry.")
    indexed()
    assert len(_recollect(memory, settings, pool, finder, "What did you suggest for my Oslo trip?").exchanges) == 1
    assert _recollect(memory, settings, pool, finder, "What did you suggest for my Oslo trip?",
                      temporary=True).exchanges == []


def test_the_conversation_itself_is_not_recalled_as_an_earlier_one(memory, settings, pool, finder, trip):
    assert _recollect(memory, settings, pool, finder, "What did you suggest for my trip?",
                      conversation_id=trip.conversation_id).exchanges == []


def test_another_users_exchange_is_never_recalled(memory, settings, pool, finder, trip):
    assert _recollect(memory, settings, pool, finder, "What did you suggest for my trip?", user_id=BOB).exchanges == []


def test_a_forgotten_word_is_never_recalled(memory, settings, pool, finder, exchange, indexed):
    turn = exchange(ALICE, "I live in Zanzibar and want a trip plan", "Try the spice tour in Zanzibar.")
    home = saved(Subject.HOME, "Zanzibar", sources=(Source(turn.conversation_id, turn.message_id),))
    memory.put_memory(ALICE, home)
    indexed()
    assert _recollect(memory, settings, pool, finder, "What did you suggest about Zanzibar before?").exchanges
    memory.delete_memory(ALICE, home.memory_id)
    assert _recollect(memory, settings, pool, finder, "What did you suggest about Zanzibar before?").exchanges == []
    recalled = _recollect(memory, settings, pool, finder, "What trip plan did you suggest before?")
    assert all("Zanzibar" not in e.text for e in recalled.exchanges)
    assert any(REDACTED in e.text for e in recalled.exchanges)
    indexed()
    assert _recollect(memory, settings, pool, finder, "What did you suggest about Zanzibar before?").exchanges == []


def test_a_deleted_conversation_is_never_recalled(memory, settings, pool, finder, trip):
    memory.delete_conversation(ALICE, trip.conversation_id)
    assert _recollect(memory, settings, pool, finder, "What did you suggest for my trip?").exchanges == []


def test_a_superseded_exchange_is_not_recalled(memory, settings, pool, finder, exchange, indexed):
    turn = exchange(ALICE, "Ideas for a trip to Porto?", "Walk along the Douro.")
    memory.store_user_message(ALICE, conversation_id=turn.conversation_id, client_message_id=uuid.uuid4(),
                              text="Ideas for a trip to Braga?", now_ms=1_733_100_000_000,
                              replaces=(turn.message_id, turn.reply_id))
    indexed()
    assert _recollect(memory, settings, pool, finder, "What did you suggest for Porto before?").exchanges == []


def _counting(index, monkeypatch) -> list[int]:
    """How many items each live check of `index` reads, in order."""
    reads: list[int] = []
    live_items = index.live_items

    def counted(user_id, keys):
        keys = list(keys)
        reads.append(len(set(keys)))
        return live_items(user_id, keys)

    monkeypatch.setattr(index, "live_items", counted)
    return reads


def test_the_best_two_exchanges_are_checked_in_one_read_of_their_six_items(memory, settings, pool, finder, index,
                                                                          exchange, indexed, monkeypatch):
    for city in ("Porto", "Braga", "Faro", "Evora"):
        exchange(ALICE, f"Trip ideas for {city}?", f"In {city}, walk the old town on your trip.")
    indexed()
    reads = _counting(index, monkeypatch)
    recalled = _recollect(memory, settings, pool, finder, "What trip ideas did you suggest before?")
    assert len(recalled.exchanges) == 2
    assert reads == [6]  # each exchange's conversation, message and answer; no other candidate read


def test_a_candidate_that_fails_the_check_makes_way_for_the_next_ones(memory, settings, pool, finder, index,
                                                                      exchange, indexed, monkeypatch):
    turns = [exchange(ALICE, f"Trip ideas for {city}?", f"In {city}, walk the old town on your trip.")
             for city in ("Porto", "Braga", "Faro")]
    indexed()
    reads = _counting(index, monkeypatch)
    best = [(e.conversation_id, e.message_id) for e in _recollect(
        memory, settings, pool, finder, "What trip ideas did you suggest before?").exchanges]
    (gone,) = [turn for turn in turns if (turn.conversation_id, turn.message_id) == best[0]]
    memory.delete_conversation(ALICE, gone.conversation_id)  # its postings stay until the stream purges them
    reads.clear()
    recalled = _recollect(memory, settings, pool, finder, "What trip ideas did you suggest before?")
    found = [(e.conversation_id, e.message_id) for e in recalled.exchanges]
    assert len(found) == 2 and gone.conversation_id not in {conversation for conversation, _ in found}
    assert reads == [6, 3]  # the third candidate is read only once the deleted one failed


def test_the_excerpts_are_short(memory, settings, pool, finder, exchange, indexed):
    exchange(ALICE, "Trip " + "very long question " * 40, "Answer " * 200)
    indexed()
    (recalled,) = _recollect(memory, settings, pool, finder, "the trip from before").exchanges
    assert len(recalled.excerpt) <= ASKED_CHARS + 2


def test_pointing_words_are_left_out_of_what_is_looked_for():
    assert refers_to_past("what did you suggest for my trip?")
    assert subject("what did you suggest for my trip?").terms == ("trip",)
    assert subject("the recipe from before").terms == ("recipe",)
    assert not refers_to_past("before I go to bed, tell me a story")


def test_words_that_ask_rather_than_name_the_subject_are_not_looked_for():
    # Each term is one more Query on the answer path: "how", "remind", "in", "up", "made" name nothing recalled.
    assert subject("How did you say I should fix the dripping tap?").terms == ("fix", "drip", "tap")
    assert subject("Remind me of your sleep tips from the other day").terms == ("sleep", "tip")
    assert subject("Like last time, how was the budget spreadsheet set up?").terms == ("budget", "spreadsheet", "set")
    assert subject("Remember the camping list we made for the Highlands?").terms == ("camp", "list", "highland")


def test_a_reference_named_with_asking_words_still_brings_the_exchange_it_means(memory, settings, pool, finder,
                                                                              exchange, indexed):
    turn = exchange(ALICE, "My kitchen tap keeps dripping. How do I fix it?",
                    "Turn off the water under the sink and replace the worn washer.")
    indexed()
    (recalled,) = _recollect(memory, settings, pool, finder, "How did you say I should fix the dripping tap?").exchanges
    assert (recalled.conversation_id, recalled.message_id) == (turn.conversation_id, turn.message_id)
