"""Helpers for the chat state's tests (the connected `state` fixture is in conftest.py): open a conversation,
ask in it, read it."""

from __future__ import annotations

from memchat.frames import ConversationView
from memchat_mobile.state import ChatState
from tests.mobile.fakes import CONVERSATION, NOW, FakeOutbox, ack, history, turns


def open_with(state: ChatState, outbox: FakeOutbox, messages=()) -> None:
    state.open_conversation(CONVERSATION)
    state.receive(history(list(messages)))
    outbox.frames.clear()


def texts(state: ChatState) -> list[str]:
    assert state.thread is not None
    return [m.text for m in state.thread.messages]


def conversation(conversation_id: str, title: str, *, temporary: bool = False) -> ConversationView:
    return ConversationView(conversation_id=conversation_id, title=title, message_count=2, created_at=NOW,
                            updated_at=NOW, temporary=temporary)


def asked(state: ChatState, outbox: FakeOutbox, n: int = 2):
    """An open conversation with turns before mid(n), the question mid(n) acked, its answer mid(n + 1) live."""
    open_with(state, outbox, turns(0, n - 1))
    state.send("Tell me more")
    question = state.thread.messages[-1]
    state.receive(ack(question.client_message_id, n=n))
    outbox.frames.clear()
    return question, state.thread.messages[-1]
