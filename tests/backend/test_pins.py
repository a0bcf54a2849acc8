"""pinConversation: pinned conversations come whole on the list's first page, newest-updated first, then the
rest as before, page by page; capped, for the caller's own conversations only."""

from __future__ import annotations

import uuid

import pytest

from memchat.chat import Chat
from memchat.errors import BadRequest, NotFound
from memchat.frames import ConversationChanged, Conversations, ListConversations, PinConversation
from memchat.handoff import WorkerInvoker

from .recorded import ALICE, BOB, BOB_CONNECTION, CONNECTION

T0 = 1_732_529_707_801
MINUTE = 60_000


def _conversations(memory, count: int, *, user=ALICE, start=T0) -> list[str]:
    """`count` conversations, one a minute (the first the oldest): their ids, oldest first."""
    return [memory.store_user_message(user, conversation_id=None, client_message_id=uuid.uuid4(),
                                      text=f"topic {i}", now_ms=start + i * MINUTE).conversation_id
            for i in range(count)]


def _pin(chat, caller, conversation_id, pinned=True):
    chat.handle(caller, PinConversation(action="pinConversation", conversation_id=conversation_id, pinned=pinned))


def _listed(chat, caller, gateway, cursor=None) -> Conversations:
    chat.handle(caller, ListConversations(action="listConversations", cursor=cursor))
    return gateway.frames(caller.connection_id, Conversations)[-1]


def _every_page(chat, caller, gateway) -> list[Conversations]:
    pages = [_listed(chat, caller, gateway)]
    while pages[-1].cursor:
        pages.append(_listed(chat, caller, gateway, pages[-1].cursor))
    return pages


def test_pinning_answers_with_the_conversation_pinned_and_unpinning_with_it_unpinned(chat, alice, gateway,
                                                                                     memory):
    [conversation_id] = _conversations(memory, 1)

    _pin(chat, alice, conversation_id)
    pinned = gateway.frames(CONNECTION, ConversationChanged)[-1].conversation
    _pin(chat, alice, conversation_id, pinned=False)
    unpinned = gateway.frames(CONNECTION, ConversationChanged)[-1].conversation

    assert (pinned.conversation_id, pinned.pinned, unpinned.pinned) == (conversation_id, True, False)
    assert "pinnedBy" not in memory.conversation(ALICE, conversation_id, consistent=True)


def test_pinned_conversations_come_first_newest_updated_first_then_the_rest_newest_first(chat, alice, gateway,
                                                                                        memory):
    oldest, older, newer, newest = _conversations(memory, 4)
    _pin(chat, alice, oldest)
    _pin(chat, alice, newer)

    listed = _listed(chat, alice, gateway).conversations

    assert [c.conversation_id for c in listed] == [newer, oldest, newest, older]
    assert [c.pinned for c in listed] == [True, True, False, False]


def test_a_new_message_in_a_pinned_conversation_moves_it_first_among_the_pins(chat, alice, gateway, memory):
    oldest, newer, newest = _conversations(memory, 3)
    _pin(chat, alice, oldest)
    _pin(chat, alice, newer)
    memory.store_user_message(ALICE, conversation_id=oldest, client_message_id=uuid.uuid4(), text="again",
                              now_ms=T0 + 10 * MINUTE)

    listed = _listed(chat, alice, gateway).conversations

    assert [c.conversation_id for c in listed] == [oldest, newer, newest]


def test_pins_stay_on_the_first_page_and_no_later_page_repeats_them(chat, alice, gateway, memory, settings):
    ids = _conversations(memory, settings.conversations_page_size * 2 + 3)
    pinned = [ids[0], ids[5], ids[-1]]  # the oldest would otherwise be on the last page
    for conversation_id in pinned:
        _pin(chat, alice, conversation_id)

    pages = _every_page(chat, alice, gateway)
    listed = [c.conversation_id for page in pages for c in page.conversations]

    assert listed[:3] == [ids[-1], ids[5], ids[0]]
    assert sorted(listed) == sorted(ids)  # each once, none lost to the filter
    assert not any(c.pinned for page in pages[1:] for c in page.conversations)


def _limited(memory, poster, worker_lambda, settings, max_pins: int) -> Chat:
    return Chat(memory=memory, poster=poster, settings=settings.model_copy(update={"max_pins": max_pins}),
                worker=WorkerInvoker(worker_lambda.client, function_name=settings.worker_function_name))


def test_pins_are_capped_with_a_clear_error_and_pinning_a_pinned_one_again_passes(memory, poster, worker_lambda,
                                                                                   settings, alice, gateway):
    chat = _limited(memory, poster, worker_lambda, settings, 2)
    first, second, third = _conversations(memory, 3)
    _pin(chat, alice, first)
    _pin(chat, alice, second)

    with pytest.raises(BadRequest, match="You can pin 2 conversations: unpin one"):
        _pin(chat, alice, third)
    _pin(chat, alice, second)  # already pinned: nothing changes, nothing refused
    _pin(chat, alice, first, pinned=False)
    _pin(chat, alice, third)

    assert [c.conversation_id for c in _listed(chat, alice, gateway).conversations if c.pinned] == [third, second]


def test_a_missing_conversation_is_not_found_pinned_or_unpinned(chat, alice):
    for pinned in (True, False):
        with pytest.raises(NotFound, match="No such conversation"):
            _pin(chat, alice, "0" * 32, pinned)


def test_another_users_conversation_gets_the_same_not_found_as_a_missing_one(memory, poster, worker_lambda,
                                                                            settings, alice, bob, gateway):
    chat = _limited(memory, poster, worker_lambda, settings, 1)
    [alices] = _conversations(memory, 1)
    [bobs] = _conversations(memory, 1, user=BOB)
    _pin(chat, bob, bobs)  # Bob is at his cap: still, Alice's id is not found, never "you can pin 1"

    for pinned in (True, False):
        with pytest.raises(NotFound, match="No such conversation") as refused:
            _pin(chat, bob, alices, pinned)
        with pytest.raises(NotFound) as missing:
            _pin(chat, bob, "0" * 32, pinned)
        assert refused.value.message == missing.value.message
    _pin(chat, alice, alices)

    assert [c.conversation_id for c in _listed(chat, bob, gateway).conversations] == [bobs]
    assert [c.pinned for c in _listed(chat, alice, gateway).conversations] == [True]
    assert memory.conversation(ALICE, alices, consistent=True)["pinnedBy"] == ALICE
    assert gateway.frames(BOB_CONNECTION, ConversationChanged)[-1].conversation.conversation_id == bobs
