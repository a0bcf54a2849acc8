"""The index: postings written from the stream, and every way words leave it. A deleted or forgotten word is
gone from search at once (each hit is checked against the live item), and its postings follow from the stream."""

from __future__ import annotations

from memchat.frames import FinishReason, MessageStatus
from memchat.memory.forgetting import REDACTED
from memchat.memory.memories import Source, Subject
from memchat.search.index import Document, term_pk

from ..memory.conftest import saved
from ..recorded import ALICE, BOB

CANARY = "Zanzibar"


def postings(index, user, term):
    return index.postings(user, term.lower())


def test_each_distinct_word_of_a_message_is_one_posting_with_its_count(index, exchange, indexed):
    turn = exchange(ALICE, "Cats, cats and more cats; a dog", "Noted.")
    indexed()
    (cat,) = postings(index, ALICE, "cat")
    assert (cat.conversation_id, cat.message_id, cat.role, cat.partner_id) == (
        turn.conversation_id, turn.message_id, "user", turn.reply_id)
    assert (cat.tf, cat.length) == (3, 5)  # cat x3, more, dog; "and" and "a" are not indexed
    assert [p.message_id for p in postings(index, ALICE, "note")] == [turn.reply_id]


def test_a_record_delivered_again_changes_nothing(index, exchange, stream, memory, settings):
    exchange(ALICE, "Pelicans fly", "They do.")
    records = [r for r in stream.records() if r["dynamodb"]["Keys"]["sk"]["S"].startswith("M#")]
    from boto3.dynamodb.types import TypeDeserializer

    plain = TypeDeserializer()
    images = [({k: plain.deserialize(v) for k, v in r["dynamodb"].get("OldImage", {}).items()},
               {k: plain.deserialize(v) for k, v in r["dynamodb"].get("NewImage", {}).items()}) for r in records]
    for old, new in images + images:
        index.apply(old, new)
    assert len(postings(index, ALICE, "pelican")) == 1


def test_the_first_words_title_is_not_indexed_but_a_given_title_is(index, exchange, memory, indexed):
    turn = exchange(ALICE, "Plan my walk", "Sure.")
    indexed()
    assert [p.role for p in postings(index, ALICE, "walk")] == ["user"]
    memory.rename_conversation(ALICE, turn.conversation_id, "Walks in Wales")
    indexed()
    assert sorted(p.role for p in postings(index, ALICE, "walk")) == ["title", "user"]
    memory.rename_conversation(ALICE, turn.conversation_id, "Hikes")
    indexed()
    assert [p.role for p in postings(index, ALICE, "walk")] == ["user"]
    assert [p.role for p in postings(index, ALICE, "hike")] == ["title"]


def test_postings_are_the_owners_alone(index, exchange, indexed):
    exchange(BOB, "Kangaroos smile", "They do.")
    indexed()
    assert postings(index, ALICE, "kangaroo") == []
    assert len(postings(index, BOB, "kangaroo")) == 1


def test_a_document_is_only_a_message_that_ended_or_a_given_title():
    base = {"pk": f"U#{ALICE}#C#{'c' * 32}", "sk": "M#0193", "role": "assistant", "text": "Hi", "createdMs": 1}
    assert Document.of({**base, "status": "streaming"}) is None
    assert Document.of({**base, "status": "pending"}) is None
    assert Document.of({**base, "status": "complete", "text": ""}) is None
    assert Document.of({**base, "status": "complete"}) is not None
    assert Document.of({"pk": f"U#{ALICE}", "sk": "MEM#1", "text": "x"}) is None
    assert Document.of({"pk": base["pk"], "sk": "META", "title": "Hi", "createdMs": 1}) is None
    assert Document.of({"pk": base["pk"], "sk": "META", "title": "Hi", "titleSource": "user", "createdMs": 1})


# ---------------------------------------------------------------- every way words leave


def test_a_deleted_conversation_is_not_found_at_once_and_its_postings_go_with_its_messages(
        finder, index, memory, exchange, indexed):
    turn = exchange(ALICE, f"My passport number is hidden in {CANARY}", f"{CANARY} is noted.")
    memory.rename_conversation(ALICE, turn.conversation_id, f"{CANARY} trip")
    kept = exchange(ALICE, f"Another {CANARY} thought", "Fine.")
    indexed()
    memory.delete_conversation(ALICE, turn.conversation_id)
    # At once: the index has not caught up, and still nothing of the deleted conversation is found.
    assert [r.message_id for r in finder.search(ALICE, CANARY).results] == [kept.message_id]
    memory.purge_messages(ALICE, turn.conversation_id)
    indexed()
    assert {p.conversation_id for p in postings(index, ALICE, CANARY)} == {kept.conversation_id}
    assert postings(index, ALICE, "passport") == []


def test_a_removed_message_is_not_found_and_its_postings_go(finder, index, memory, exchange, indexed, settings):
    turn = exchange(ALICE, f"Remind me of {CANARY}", "Sure.")
    indexed()
    memory._call("delete_item", Key={"pk": {"S": f"U#{ALICE}#C#{turn.conversation_id}"},
                                     "sk": {"S": f"M#{turn.message_id}"}})
    assert finder.search(ALICE, CANARY).results == []
    indexed()
    assert postings(index, ALICE, CANARY) == []


def _learnt(memory, turn):
    home = saved(Subject.HOME, CANARY, sources=(Source(turn.conversation_id, turn.message_id),))
    memory.put_memory(ALICE, home)
    return home


def test_a_deleted_memory_is_not_found_where_it_was_learnt_nor_where_it_was_recalled(
        finder, index, memory, exchange, indexed):
    learnt = exchange(ALICE, f"I live in {CANARY} now", "Lovely place.")
    recalled = exchange(ALICE, "Where do I live?", f"You live in {CANARY}.")
    memory.rename_conversation(ALICE, recalled.conversation_id, f"Living in {CANARY}")
    home = _learnt(memory, learnt)
    memory.trace(ALICE, [home.memory_id], recalled.conversation_id)
    indexed()
    assert len(finder.search(ALICE, CANARY).results) == 3
    memory.delete_memory(ALICE, home.memory_id)
    assert finder.search(ALICE, CANARY).results == []  # at once, before the index caught up
    assert [r.snippet for r in finder.search(ALICE, "live").results if r.message_id == learnt.message_id] == [
        f"I live in {REDACTED} now"]
    indexed()
    assert postings(index, ALICE, CANARY) == []
    assert finder.search(ALICE, CANARY).results == []


def test_clearing_memories_takes_their_words_out_of_search(finder, index, memory, exchange, indexed):
    learnt = exchange(ALICE, f"My cat is called {CANARY}", "Sweet.")
    _learnt(memory, learnt)
    indexed()
    assert finder.search(ALICE, CANARY).results
    memory.clear_memories(ALICE)
    assert finder.search(ALICE, CANARY).results == []
    indexed()
    assert postings(index, ALICE, CANARY) == []


def test_a_memory_forgotten_with_its_only_conversation_leaves_no_postings(finder, index, memory, exchange, indexed):
    learnt = exchange(ALICE, f"I work at {CANARY}", "Noted.")
    _learnt(memory, learnt)
    indexed()
    memory.delete_conversation(ALICE, learnt.conversation_id)
    memory.forget_conversation(ALICE, learnt.conversation_id)
    memory.purge_messages(ALICE, learnt.conversation_id)
    assert finder.search(ALICE, CANARY).results == []
    indexed()
    assert index.postings(ALICE, CANARY.lower()) == []


def test_a_continued_answer_is_not_searchable_by_its_old_words_while_it_is_rewritten(
        index, memory, exchange, indexed):
    turn = exchange(ALICE, "Name a bird", "The heron")
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="The heron", tokens=5,
                        status=MessageStatus.COMPLETE, finish_reason=FinishReason.LENGTH)  # cut at the limit
    indexed()
    memory.continue_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=1_732_100_000_000,
                          connection_id="c1", start_grace_ms=1000)
    indexed()
    assert postings(index, ALICE, "heron") == []
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="The heron and the stork",
                        status=MessageStatus.COMPLETE, tokens=5)
    indexed()
    assert [p.message_id for p in postings(index, ALICE, "stork")] == [turn.reply_id]
    assert [p.message_id for p in postings(index, ALICE, "heron")] == [turn.reply_id]


def test_term_keys_carry_the_user(index):
    assert term_pk(ALICE, "cat") == f"U#{ALICE}#W#cat"
