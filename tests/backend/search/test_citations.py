"""The earlier exchanges answers recalled, as history shows them: read from the live items in one BatchGetItem, so
a deleted conversation or message, or a forgotten word, never comes back through an answer that once recalled it,
and another user's ids on an item read nothing."""

from __future__ import annotations

from memchat.frames import MessageStatus, RecalledExchange, Role
from memchat.memory.forgetting import REDACTED
from memchat.memory.memories import Source, Subject
from memchat.memory.reads import StoredMessage
from memchat.search.citations import cite, citing
from memchat.search.finder import ASKED_CHARS
from memchat.search.index import BATCH_GET

from ..memory.conftest import saved
from ..recorded import ALICE, BOB

CANARY = "Zanzibar"


def recalling(memory, exchange, earlier):
    """A new turn of Alice's whose answer's prompt carried `earlier` exchanges (as the worker saves it); its
    answer as history reads it."""
    turn = exchange(ALICE, "What did you suggest for my trip?", "Tram 28, as before.")
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Tram 28, as before.", tokens=10,
                        status=MessageStatus.COMPLETE,
                        exchanges=[(e.conversation_id, e.message_id) for e in earlier])
    return memory.history(ALICE, turn.conversation_id, before=None, limit=10).items


def test_each_answer_gets_its_exchanges_with_the_excerpt_read_from_the_live_message(index, memory, exchange):
    trip = exchange(ALICE, f"Ideas for a trip to {CANARY}?", "Ride the ferry.")
    jam = exchange(ALICE, "Which jam goes with cheese?", "Quince jam.")
    question, answer = recalling(memory, exchange, [trip, jam])

    assert answer.exchanges == ((trip.conversation_id, trip.message_id), (jam.conversation_id, jam.message_id))
    assert cite(index, ALICE, [question, answer]) == {answer.message_id: [
        RecalledExchange(conversation_id=trip.conversation_id, message_id=trip.message_id,
                         excerpt=f"Ideas for a trip to {CANARY}?"),
        RecalledExchange(conversation_id=jam.conversation_id, message_id=jam.message_id,
                         excerpt="Which jam goes with cheese?")]}


def test_a_long_message_is_cut_to_an_excerpt(index, memory, exchange):
    long = exchange(ALICE, "Plan a walk " + "along the river " * 40, "Start at the bridge.")
    (_, answer) = recalling(memory, exchange, [long])
    (cited,) = cite(index, ALICE, [answer])[answer.message_id]
    assert cited.excerpt.startswith("Plan a walk along the river") and len(cited.excerpt) <= ASKED_CHARS + 1


def test_a_page_is_one_batch_get_and_a_page_without_exchanges_reads_nothing(index, memory, exchange):
    trip = exchange(ALICE, "Ideas for Lisbon?", "Tram 28.")
    plain = exchange(ALICE, "Hello", "Hi.")
    first = recalling(memory, exchange, [trip, plain])
    second = recalling(memory, exchange, [trip])
    page = memory.history(ALICE, plain.conversation_id, before=None, limit=10).items

    before = index.calls
    assert cite(index, ALICE, page) == {}
    assert index.calls == before, "no answer recalled an exchange: no read"
    cited = cite(index, ALICE, [*first, *second])
    assert index.calls == before + 1
    assert [len(cited[m.message_id]) for m in (first[1], second[1])] == [2, 1]


# ---------------------------------------------------------------- nothing deleted or forgotten comes back


def test_an_exchange_of_a_deleted_conversation_is_left_out_at_once(index, memory, exchange):
    trip = exchange(ALICE, f"Ideas for a trip to {CANARY}?", "Ride the ferry.")
    jam = exchange(ALICE, "Which jam goes with cheese?", "Quince jam.")
    (_, answer) = recalling(memory, exchange, [trip, jam])

    memory.delete_conversation(ALICE, trip.conversation_id)  # its messages are purged later, in the background
    assert [e.message_id for e in cite(index, ALICE, [answer])[answer.message_id]] == [jam.message_id]
    memory.purge_messages(ALICE, trip.conversation_id)
    assert CANARY not in str(cite(index, ALICE, [answer]))


def test_an_exchange_whose_message_was_removed_is_left_out(index, memory, exchange):
    trip = exchange(ALICE, f"Ideas for a trip to {CANARY}?", "Ride the ferry.")
    (_, answer) = recalling(memory, exchange, [trip])
    memory._call("delete_item", Key={"pk": {"S": f"U#{ALICE}#C#{trip.conversation_id}"},
                                     "sk": {"S": f"M#{trip.message_id}"}})
    assert cite(index, ALICE, [answer]) == {}


def test_a_forgotten_word_is_redacted_in_the_excerpt(index, memory, exchange):
    learnt = exchange(ALICE, f"I live in {CANARY} now", "Lovely place.")
    home = saved(Subject.HOME, CANARY, sources=(Source(learnt.conversation_id, learnt.message_id),))
    memory.put_memory(ALICE, home)
    (_, answer) = recalling(memory, exchange, [learnt])
    assert CANARY in cite(index, ALICE, [answer])[answer.message_id][0].excerpt

    memory.delete_memory(ALICE, home.memory_id)
    (cited,) = cite(index, ALICE, [answer])[answer.message_id]
    assert cited.excerpt == f"I live in {REDACTED} now"


# ---------------------------------------------------------------- isolation


def test_another_users_ids_on_an_answer_read_nothing_of_theirs(index, memory, exchange):
    secret = exchange(BOB, f"My passport is hidden in {CANARY}", "Noted.")
    (_, answer) = recalling(memory, exchange, [secret])  # Bob's ids, stored on Alice's answer

    assert cite(index, ALICE, [answer]) == {}
    assert CANARY in cite(index, BOB, [answer])[answer.message_id][0].excerpt, \
        "the ids are real: only Bob's own read reaches his message"


# ---------------------------------------------------------------- one read per page


def _answer(n: int) -> StoredMessage:
    """An answer that recalled two exchanges, each of a conversation of its own (four keys to read)."""
    exchanges = ((f"{2 * n:032x}", "a" * 24), (f"{2 * n + 1:032x}", "b" * 24))
    return StoredMessage(message_id=f"{n:024x}", role=Role.ASSISTANT, text="Sure.", status=MessageStatus.COMPLETE,
                         created_ms=n, tokens=5, exchanges=exchanges)


def test_a_page_is_cut_so_its_exchanges_fit_one_read_newest_first():
    question = StoredMessage(message_id="f" * 24, role=Role.USER, text="Hi", status=MessageStatus.SENT,
                             created_ms=0, tokens=5)
    page = [_answer(n) for n in range(40)]

    assert citing(page) == BATCH_GET // 4
    assert citing([question, *page[:10]]) == 11
    assert citing([]) == 0
