"""Pinned conversations in the app's state (pinning.py): what pin and unpin send, and the list's order, pinned
first, kept right as conversations change."""

from __future__ import annotations

from datetime import timedelta

from memchat.errors import ErrorCode
from memchat.frames import ConversationChanged, Conversations, ConversationView, ErrorFrame, PinConversation
from memchat_mobile.state import ChatState
from tests.mobile.fakes import NOW, FakeOutbox, ack


def _id(name: str) -> str:
    """A conversation's id, made of its name (ids are hex)."""
    return name.encode().hex().ljust(8, "0")


def _conversation(name: str, minutes_ago: int, *, pinned: bool = False) -> ConversationView:
    when = NOW - timedelta(minutes=minutes_ago)
    return ConversationView(conversation_id=_id(name), title=name, message_count=2, created_at=when,
                            updated_at=when, pinned=pinned)


def _order(state: ChatState) -> list[str]:
    return [c.title for c in state.listed]


def _listed(state: ChatState, *conversations: ConversationView) -> None:
    state.receive(Conversations(conversations=list(conversations), projects=[]))


def test_pinning_sends_it_and_puts_the_conversation_on_top_at_once(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation("new", 1), _conversation("old", 9))

    assert state.pin(_id("old"))

    assert outbox.of(PinConversation) == [PinConversation(action="pinConversation", conversation_id=_id("old"),
                                                          pinned=True)]
    assert _order(state) == ["old", "new"] and state.find_conversation(_id("old")).pinned


def test_unpinning_puts_it_back_among_the_others_by_time(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation("old", 9, pinned=True), _conversation("new", 1), _conversation("older", 20))

    assert state.pin(_id("old"), False)

    assert outbox.last == PinConversation(action="pinConversation", conversation_id=_id("old"), pinned=False)
    assert _order(state) == ["new", "old", "older"]


def test_pinning_one_already_pinned_or_not_listed_sends_nothing(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation("pinned", 1, pinned=True))

    assert not state.pin(_id("pinned")) and not state.pin(_id("elsewhere")) and not state.pin(_id("elsewhere"), False)
    assert outbox.of(PinConversation) == []


def test_a_new_message_in_a_pinned_conversation_moves_it_first_among_the_pins_only(state: ChatState,
                                                                                    outbox: FakeOutbox) -> None:
    _listed(state, _conversation("pin-new", 5, pinned=True), _conversation("pin-old", 50, pinned=True),
            _conversation("fresh", 1))
    state.open_conversation(_id("pin-old"))
    state.send("¿Qué tal?")
    sent = outbox.frames[-1]

    state.receive(ack(sent.client_message_id, n=1, conversation_id=_id("pin-old")))

    assert _order(state) == ["pin-old", "pin-new", "fresh"]


def test_a_new_message_in_an_unpinned_one_never_passes_the_pins(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation("pin", 50, pinned=True), _conversation("fresh", 1), _conversation("stale", 90))
    state.open_conversation(_id("stale"))
    state.send("Hello again")

    state.receive(ack(outbox.frames[-1].client_message_id, n=1, conversation_id=_id("stale")))

    assert _order(state) == ["pin", "stale", "fresh"]


def test_the_servers_answer_confirms_the_pin_in_its_place(state: ChatState) -> None:
    _listed(state, _conversation("a", 1), _conversation("b", 2))
    state.pin(_id("b"))

    state.receive(ConversationChanged(conversation=_conversation("b", 2, pinned=True)))
    state.receive(ErrorFrame(code=ErrorCode.BAD_REQUEST, message="Too many pins.", conversation_id=_id("b")))

    assert _order(state) == ["b", "a"] and state.find_conversation(_id("b")).pinned  # no pin waiting: nothing undone


def test_a_pin_refused_over_the_cap_puts_the_conversation_back_and_says_why(state: ChatState) -> None:
    _listed(state, _conversation("a", 1), _conversation("b", 2))
    state.pin(_id("b"))

    state.receive(ErrorFrame(code=ErrorCode.BAD_REQUEST, conversation_id=_id("b"),
                             message="You can pin 10 conversations: unpin one to pin another."))

    assert _order(state) == ["a", "b"] and not state.find_conversation(_id("b")).pinned
    assert state.notice == "You can pin 10 conversations: unpin one to pin another."
    assert state.thread is None  # the list's refusal opens nothing
