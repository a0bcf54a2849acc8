"""The recent messages' terms (search/recent.py): written from the stream only, beside the postings; gone on every
path that takes words out of the postings; read in the memories' own Query, so a reference to a recent exchange
(by the words of its message, its answer or both) costs one request, the check of the live items, and never a
posting's Query."""

from __future__ import annotations

import uuid

import pytest

from memchat.frames import FinishReason, MessageStatus
from memchat.memory.codec import RECENT_PREFIX
from memchat.memory.memories import Source, Subject
from memchat.recollection import recollect
from memchat.search.index import Index
from memchat.search.recent import (
    ANSWER_TERMS,
    RECENT_ITEMS,
    RECENT_MESSAGES,
    RECENT_SHARDS,
    TRIM_SLACK,
    answer_entry,
    entry,
    is_answer,
    read_entry,
)

from ..memory.conftest import saved
from ..recorded import ALICE, BOB

CANARY = "Zanzibar"
REFERENCE = "What did you suggest about the Zanzibar spice tour before?"


def recent(memory, user=ALICE) -> dict[str, dict[str, int]]:
    """The user's recent entries as the answer path reads them: message id -> its terms and counts."""
    items = memory.recall_state(user, limit=10, recent=RECENT_ITEMS).recent
    entries = {key: value["S"] for item in items for key, value in item["messages"]["M"].items()}
    return {key.rpartition("#")[2]: dict(read_entry(value)[2]) for key, value in entries.items()}


def _recollect(memory, settings, pool, finder, text, **kwargs):
    return recollect(memory, settings, pool, user_id=kwargs.pop("user_id", ALICE), conversation_id=None,
                     before="f" * 24, text=text, finder=finder, **kwargs)


@pytest.fixture
def requests(index, monkeypatch) -> list[str]:
    """Every request the finder's index makes, by operation, in order."""
    made: list[str] = []
    call, batch_get = index._call, index._batch_get

    def called(operation, **kwargs):
        made.append(operation)
        return call(operation, **kwargs)

    def got(keys, **kwargs):
        made.append("batch_get_item")
        return batch_get(keys, **kwargs)

    monkeypatch.setattr(index, "_call", called)
    monkeypatch.setattr(index, "_batch_get", got)
    return made


@pytest.fixture
def tour(exchange, indexed):
    turn = exchange(ALICE, f"Plan me a spice tour in {CANARY}", f"In {CANARY}, book the spice tour in Stone Town.")
    indexed()
    return turn


def test_each_message_is_one_entry_of_its_terms_and_an_answer_keeps_its_most_repeated_few(memory, exchange, indexed):
    turn = exchange(ALICE, "Cats, cats and more cats; a dog", "Noted, the cats. Tabby cats purr.")
    indexed()
    assert recent(memory) == {turn.message_id: {"cat": 3, "more": 1, "dog": 1},
                              turn.reply_id: {"cat": 2, "note": 1, "tabby": 1, "purr": 1}}
    items = memory.recall_state(ALICE, limit=10, recent=RECENT_ITEMS).recent
    assert all(item["sk"]["S"].startswith(RECENT_PREFIX) for item in items)
    values = {key.rpartition("#")[2]: value["S"] for item in items for key, value in item["messages"]["M"].items()}
    shards = {key.rpartition("#")[2]: int(item["sk"]["S"].removeprefix(RECENT_PREFIX))
              for item in items for key in item["messages"]["M"]}
    # The answers' entries in items of their own: a user's message's write costs what it did before they were kept.
    assert shards[turn.message_id] < RECENT_SHARDS <= shards[turn.reply_id] < RECENT_ITEMS
    assert read_entry(values[turn.message_id])[:2] == (turn.reply_id, 5)
    assert is_answer(values[turn.reply_id]) and not is_answer(values[turn.message_id])
    assert read_entry(values[turn.reply_id])[:2] == (turn.message_id, 5)


def test_an_answers_entry_keeps_its_most_repeated_terms_the_first_of_equals_first():
    counts = {f"word{number}": 1 for number in range(ANSWER_TERMS + 5)} | {"lentil": 3, "bechamel": 2}
    partner, kept, terms = read_entry(answer_entry("m1", counts))
    assert (partner, len(terms)) == ("m1", ANSWER_TERMS)
    assert list(terms)[:3] == ["lentil", "bechamel", "word0"] and terms["lentil"] == 3
    assert kept == sum(terms.values()) and f"word{ANSWER_TERMS}" not in terms


def test_nothing_is_written_but_from_the_stream(memory, exchange):
    exchange(ALICE, "Cats and dogs", "Noted.")
    assert recent(memory) == {}


def test_the_memories_query_reads_them_only_when_asked_and_still_reads_the_setting_and_every_memory(
        memory, exchange, indexed):
    for number in range(12):
        exchange(ALICE, f"Message {number} about herons", "Noted.")
    indexed()
    home = saved(Subject.HOME, "Lisbon", sources=(Source("c0ffee01", "0" * 24),))
    memory.put_memory(ALICE, home)
    memory.set_memory_enabled(ALICE, False)
    plain = memory.recall_state(ALICE, limit=10)
    assert plain.recent == () and not plain.enabled and [m.memory_id for m in plain.memories] == [home.memory_id]
    asked = memory.recall_state(ALICE, limit=10, recent=RECENT_ITEMS)
    assert (asked.enabled, asked.memories) == (plain.enabled, plain.memories)
    assert 0 < len(asked.recent) <= RECENT_ITEMS


def test_a_record_delivered_again_changes_nothing(index, memory, exchange, stream):
    exchange(ALICE, "Pelicans fly", "They do.")
    from boto3.dynamodb.types import TypeDeserializer

    plain = TypeDeserializer()
    records = [r for r in stream.records() if r["dynamodb"]["Keys"]["sk"]["S"].startswith("M#")]
    images = [({k: plain.deserialize(v) for k, v in r["dynamodb"].get("OldImage", {}).items()},
               {k: plain.deserialize(v) for k, v in r["dynamodb"].get("NewImage", {}).items()}) for r in records]
    for old, new in images:
        index.apply(old, new)
    once = recent(memory)
    for old, new in images:
        index.apply(old, new)
    assert recent(memory) == once and len(once) == 1
    (message,) = [new for _, new in images if new.get("role") == "user"][-1:]
    for _ in range(2):  # its REMOVE record, delivered twice
        index.apply(message, None)
    assert recent(memory) == {}


def test_the_items_keep_about_the_newest_messages_and_answers_and_the_oldest_leave(memory, index):
    ids = [f"{1_732_000_000_000 + number * 60_000:012x}{number:010x}0" for number in range(2 * RECENT_MESSAGES)]
    for number, message_id in enumerate(ids):  # as the stream function applies each new message, then its answer
        ms = 1_732_000_000_000 + number * 60_000
        index.apply(None, {"pk": f"U#{ALICE}#C#{'c' * 32}", "sk": f"M#{message_id}", "role": "user", "status": "sent",
                           "text": f"Heron {number}", "createdMs": ms, "replyId": message_id[:-1] + "1"})
        index.apply(None, {"pk": f"U#{ALICE}#C#{'c' * 32}", "sk": f"M#{message_id[:-1]}1", "role": "assistant",
                           "status": "complete", "text": f"Egret {number}", "createdMs": ms + 1,
                           "replyTo": message_id})
    kept = recent(memory)
    answers = {message_id[:-1] + "1" for message_id in ids}
    for newest in (ids, sorted(answers)):
        held = kept.keys() & set(newest)
        assert RECENT_MESSAGES <= len(held) <= RECENT_MESSAGES + RECENT_SHARDS * TRIM_SLACK
        # Each item keeps its newest: the newest few are all there, the first ones long gone.
        assert set(newest[-5:]) <= held and not set(newest[:5]) & held


# ---------------------------------------------------------------- the answer path: one request, never a write


def test_a_reference_to_a_recent_exchange_is_checked_in_one_request_and_reads_no_posting(
        memory, settings, pool, finder, tour, requests):
    (recalled,) = _recollect(memory, settings, pool, finder, REFERENCE).exchanges
    assert (recalled.conversation_id, recalled.message_id) == (tour.conversation_id, tour.message_id)
    assert requests == ["batch_get_item"]


@pytest.mark.parametrize(("asked", "answered"), [
    ("Any ideas for a dinner party?", "A vegan lasagna with a cashew béchamel."),  # both words the answer's
    ("I need a vegan lasagna for a dinner party", "Layer lentils and a cashew béchamel."),  # one in each
])
def test_a_reference_to_what_a_recent_answer_said_is_checked_in_one_request_too(
        memory, settings, pool, finder, exchange, indexed, requests, asked, answered):
    turn = exchange(ALICE, asked, answered)
    for number in range(10):  # a word's weight is measured against the recent messages: a few more of them
        exchange(ALICE, f"Message {number} about herons", "Noted.")
    indexed()
    requests.clear()
    (recalled,) = _recollect(memory, settings, pool, finder, "The lasagna from before: what goes in the béchamel?"
                             ).exchanges
    assert (recalled.conversation_id, recalled.message_id) == (turn.conversation_id, turn.message_id)
    assert requests == ["batch_get_item"]


def test_a_word_of_the_answer_forgotten_since_does_not_find_it_among_the_recent_messages(
        memory, settings, pool, finder, exchange, indexed, requests):
    turn = exchange(ALICE, "Plan me a spice tour", f"Book the spice tour in {CANARY}'s Stone Town.")
    indexed()
    memory.delete_memory(ALICE, _learnt(memory, turn).memory_id)  # the stream not delivered yet: the entry has it
    requests.clear()
    recalled = _recollect(memory, settings, pool, finder, f"What did you suggest about the {CANARY} tour before?")
    assert requests.count("query") == 2  # the live answer no longer has it: the postings decide, as for any other
    assert all(CANARY not in e.text for e in recalled.exchanges)


def test_one_word_in_common_with_a_recent_message_is_not_enough_the_postings_are_read(
        memory, settings, pool, finder, tour, exchange, indexed, requests):
    for number in range(10):
        exchange(ALICE, f"Message {number} about herons", "Noted.")
    indexed()
    requests.clear()
    assert _recollect(memory, settings, pool, finder, "What did you say about the spice tour before?").exchanges
    assert requests == ["batch_get_item"]  # one recent message has both words
    requests.clear()
    _recollect(memory, settings, pool, finder, "What did you say about spice markets before?")
    assert requests.count("query") == 2  # none has both: the postings decide, one Query a word
    requests.clear()
    assert _recollect(memory, settings, pool, finder, "What did you say about the spice before?").exchanges
    assert requests.count("query") == 1  # a subject of one word: the postings decide too


def test_recall_never_writes(memory, settings, pool, finder, tour, index, monkeypatch):
    writes: list[str] = []
    for table in (memory, index):
        call = table._call

        def recorded(operation, *, _call=call, **kwargs):
            if operation not in ("query", "get_item"):
                writes.append(operation)
            return _call(operation, **kwargs)

        monkeypatch.setattr(table, "_call", recorded)
        monkeypatch.setattr(table, "_batch_write", lambda requests, **_: writes.append("batch_write_item"))
        monkeypatch.setattr(table, "_transact", lambda items: writes.append("transact_write_items"))
    assert _recollect(memory, settings, pool, finder, REFERENCE).exchanges
    assert writes == []


def test_memory_off_recalls_nothing_and_reads_nothing_for_it(memory, settings, pool, finder, tour, requests):
    memory.set_memory_enabled(ALICE, False)
    assert _recollect(memory, settings, pool, finder, REFERENCE).exchanges == []
    assert requests == []


def test_another_users_recent_messages_are_never_read(memory, settings, pool, finder, tour, requests):
    assert recent(memory, BOB) == {}
    assert _recollect(memory, settings, pool, finder, REFERENCE, user_id=BOB).exchanges == []


def test_a_temporary_chat_in_the_recent_messages_is_never_recalled(memory, settings, pool, finder, exchange,
                                                                   indexed):
    turn = exchange(ALICE, f"Secret: a spice tour in {CANARY}", "Pack light.", temporary=True)
    indexed()
    assert turn.message_id in recent(memory)  # indexed like any other, for its owner's search
    assert _recollect(memory, settings, pool, finder, REFERENCE).exchanges == []


# ---------------------------------------------------------------- every way words leave


def test_a_deleted_conversation_is_not_recalled_at_once_and_its_entries_go_with_its_messages(
        memory, settings, pool, finder, tour, indexed):
    memory.delete_conversation(ALICE, tour.conversation_id)
    assert _recollect(memory, settings, pool, finder, REFERENCE).exchanges == []
    memory.purge_messages(ALICE, tour.conversation_id)
    indexed()
    assert recent(memory) == {}


@pytest.mark.parametrize("removed", ["message", "answer"])
def test_a_removed_message_or_answer_leaves_the_recent_messages(memory, settings, pool, finder, tour, indexed,
                                                                removed):
    gone, kept = (tour.message_id, tour.reply_id) if removed == "message" else (tour.reply_id, tour.message_id)
    memory._call("delete_item", Key={"pk": {"S": f"U#{ALICE}#C#{tour.conversation_id}"}, "sk": {"S": f"M#{gone}"}})
    assert _recollect(memory, settings, pool, finder, REFERENCE).exchanges == []
    indexed()
    assert recent(memory).keys() == {kept}
    assert _recollect(memory, settings, pool, finder, REFERENCE).exchanges == []


def _learnt(memory, turn):
    home = saved(Subject.HOME, CANARY, sources=(Source(turn.conversation_id, turn.message_id),))
    memory.put_memory(ALICE, home)
    return home


def test_a_deleted_memory_takes_its_word_out_of_the_recent_messages(memory, settings, pool, finder, tour, indexed):
    home = _learnt(memory, tour)
    memory.delete_memory(ALICE, home.memory_id)
    assert all(CANARY not in e.text for e in _recollect(memory, settings, pool, finder, REFERENCE).exchanges)
    indexed()
    assert CANARY.lower() not in recent(memory)[tour.message_id]
    assert CANARY.lower() not in recent(memory)[tour.reply_id]  # the answer's entry too: it was redacted as well
    assert "spice" in recent(memory)[tour.message_id] and "spice" in recent(memory)[tour.reply_id]


def test_clearing_memories_takes_their_words_out_of_the_recent_messages(memory, tour, indexed):
    _learnt(memory, tour)
    memory.clear_memories(ALICE)
    indexed()
    assert CANARY.lower() not in recent(memory)[tour.message_id] and CANARY.lower() not in recent(memory)[tour.reply_id]


def test_forget_said_in_a_message_takes_its_word_out_of_the_recent_messages(memory, tour, indexed):
    home = _learnt(memory, tour)
    memory.forget_memories(ALICE, [home])  # what the digest does with "forget where I live"
    indexed()
    assert CANARY.lower() not in recent(memory)[tour.message_id] and CANARY.lower() not in recent(memory)[tour.reply_id]


def test_a_memory_forgotten_with_its_only_conversation_leaves_no_entry(memory, tour, indexed):
    _learnt(memory, tour)
    memory.delete_conversation(ALICE, tour.conversation_id)
    memory.forget_conversation(ALICE, tour.conversation_id)
    memory.purge_messages(ALICE, tour.conversation_id)
    indexed()
    assert recent(memory) == {}


def test_an_edited_message_leaves_and_its_replacement_comes_in(memory, settings, pool, finder, tour, indexed):
    edited = memory.store_user_message(ALICE, conversation_id=tour.conversation_id, client_message_id=uuid.uuid4(),
                                       text="Plan me a walking tour of Oslo", now_ms=1_733_100_000_000,
                                       replaces=(tour.message_id, tour.reply_id))
    indexed()
    assert _recollect(memory, settings, pool, finder, REFERENCE).exchanges == []  # superseded, as by the postings
    assert "oslo" in recent(memory)[edited.message_id]


def test_a_continued_answer_leaves_while_it_is_rewritten_and_its_message_entry_stays(memory, tour, indexed):
    memory.finish_reply(ALICE, tour.conversation_id, tour.reply_id, text="In Zanzibar", tokens=5,
                        status=MessageStatus.COMPLETE, finish_reason=FinishReason.LENGTH)
    indexed()
    before = recent(memory)
    assert before[tour.reply_id] == {"in": 1, "zanzibar": 1}
    memory.continue_reply(ALICE, tour.conversation_id, tour.reply_id, now_ms=1_732_100_000_000,
                          connection_id="c1", start_grace_ms=1000)
    indexed()
    assert recent(memory) == {tour.message_id: before[tour.message_id]}  # as its postings: gone while it streams
    memory.finish_reply(ALICE, tour.conversation_id, tour.reply_id, text="In Zanzibar, see the Old Fort",
                        tokens=9, status=MessageStatus.COMPLETE)
    indexed()
    assert recent(memory)[tour.reply_id] == {"in": 1, "zanzibar": 1, "see": 1, "old": 1, "fort": 1}


def test_the_index_reads_an_entry_as_a_posting_of_the_users_message(memory, tour):
    found, messages = Index.recent_postings(memory.recall_state(ALICE, limit=10, recent=RECENT_ITEMS).recent,
                                            ["spice", "absent"])
    (posting,) = found["spice"]
    assert (posting.conversation_id, posting.message_id, posting.partner_id, posting.role) == (
        tour.conversation_id, tour.message_id, tour.reply_id, "user")
    assert found["absent"] == [] and messages == 1


def test_an_entry_is_read_only_for_whole_terms_though_it_is_skipped_by_substring():
    """Entries without any wanted term as a substring are not parsed; one that has it only inside a longer term, a
    count or its answer's id is parsed and yields nothing; the newest first, and every message counted."""
    entries = {"000000000003#c1#m3": entry("ab12", {"catalog": 1, "dog": 2}),
               "000000000002#c1#m2": entry("cat9", {"bird": 1}),
               "000000000001#c2#m1": entry(None, {"cat": 2, "dog": 1}),
               "000000000004#c2#m4": entry("p4", {"cat": 1}),
               "000000000005#c3#m5": entry("p5", {"fish": 1})}
    items = [{"sk": {"S": f"{RECENT_PREFIX}0"}, "messages": {"M": {key: {"S": value}
                                                                  for key, value in list(entries.items())[:3]}}},
             {"sk": {"S": f"{RECENT_PREFIX}1"}, "messages": {"M": {key: {"S": value}
                                                                  for key, value in list(entries.items())[3:]}}}]
    found, messages = Index.recent_postings(items, ["cat", "dog", "cat"])
    assert messages == 5
    assert [(p.message_id, p.tf, p.partner_id, p.length) for p in found["cat"]] == [("m4", 1, "p4", 1),
                                                                                   ("m1", 2, None, 3)]
    assert [(p.message_id, p.tf) for p in found["dog"]] == [("m3", 2), ("m1", 1)]


def test_a_message_and_its_answer_are_read_as_one_exchange_and_an_answer_alone_as_its_own():
    """An answer's terms join its message's posting (counts added, its kept words to the length) when both have
    some of the terms; an answer that alone has them is read as the answer's posting; only the user's messages are
    counted."""
    asked = {"000000000001#c1#m1": entry("a1", {"cat": 1}),
             "000000000003#c2#m3": entry("a3", {"dog": 1}),
             "000000000005#c4#m5": entry("a5", {"fish": 1})}
    answered = {"000000000002#c1#a1": answer_entry("m1", {"dog": 1, "cat": 1}),
                "000000000004#c3#a2": answer_entry("m2", {"dog": 2}),
                "000000000006#c4#a5": answer_entry("m5", {"dog": 1})}
    items = [{"sk": {"S": f"{RECENT_PREFIX}{shard}"}, "messages": {"M": {key: {"S": v} for key, v in part.items()}}}
             for shard, part in ((0, asked), (RECENT_SHARDS, answered))]
    found, messages = Index.recent_postings(items, ["cat", "dog"])
    assert messages == 3
    assert [(p.message_id, p.role, p.partner_id, p.tf, p.length) for p in found["cat"]] == [
        ("m1", "user", "a1", 2, 3)]
    assert [(p.message_id, p.role, p.partner_id, p.tf, p.length) for p in found["dog"]] == [
        ("a5", "assistant", "m5", 1, 1), ("a2", "assistant", "m2", 2, 2), ("m3", "user", "a3", 1, 1),
        ("m1", "user", "a1", 1, 3)]
