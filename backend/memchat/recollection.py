"""What an answer's prompt remembers: the user's relevant memories, the earlier exchanges the message refers
to, the conversation's summary and the recent window, read in one round of parallel DynamoDB calls and
fitted to the prompt's budget.

No model is called here: this runs on the answer path, beside storing the user's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from memchat.events import RecalledExchangeJob, RecalledMemoryJob, RememberedMessage
from memchat.frames import Role
from memchat.memory import Memory, RecallState, SavedMemory, Summary, estimate_tokens, memory_budget
from memchat.memory.extraction import forgotten
from memchat.memory.forgetting import matching
from memchat.memory.recall import select
from memchat.search.references import refers_to_past

if TYPE_CHECKING:
    from memchat.search import Exchange, Finder
    from memchat.settings import Settings


@dataclass(frozen=True)
class Recollection:
    """The remembered part of a prompt, oldest window message first (without the new message)."""

    window: list[RememberedMessage] = field(default_factory=list)
    memories: list[RecalledMemoryJob] = field(default_factory=list)
    summary: str = ""
    exchanges: list[RecalledExchangeJob] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return (sum(m.tokens for m in self.window) + sum(m.tokens for m in self.memories)
                + sum(e.tokens for e in self.exchanges) + (estimate_tokens(self.summary) if self.summary else 0))


def recollect(memory: Memory, settings: Settings, pool: Executor, *, user_id: str, conversation_id: str | None,
              before: str, text: str, temporary: bool = False, reserve: int = 0,
              finder: Finder | None = None) -> Recollection:
    """Read and fit what the prompt for `text` remembers; `before` is the new message's id. `reserve`
    tokens of the budget are kept for more of the prompt (a continued answer's own text).

    Two reads run side by side: the user's memories with their on/off setting, and the conversation's
    item (its summary, and whether it is temporary) with the window, newest first, in one Query. A
    conversation that does not exist yet has no window or summary. When the message refers to earlier
    conversations (and a `finder` is given), a third runs beside them: the exchanges it refers to.
    """
    total = memory_budget(settings) - (estimate_tokens(text) if text else 0) - reserve
    if not settings.long_term_memory:  # the recent window alone, in the whole budget
        window = [] if conversation_id is None else memory.prompt_window(user_id, conversation_id, before=before,
                                                                          budget=total)
        return fit(window, {}, RecallState(enabled=False, memories=[]), text=text, total=total, settings=settings)
    state = None if temporary else pool.submit(memory.recall_state, user_id, limit=settings.max_memories)
    share = min(settings.recall_budget_tokens, total)

    def exchanges(query: str) -> list[Exchange]:
        return finder.exchanges(user_id, query, conversation_id=conversation_id, budget=share) if finder else []

    earlier = None if temporary or not text or not refers_to_past(text) else pool.submit(exchanges, text)
    conversation: dict[str, Any] = {}
    window: list[Any] = []
    if conversation_id is not None:
        found, window = memory.recent(user_id, conversation_id, before=before, budget=total)
        conversation = found or {}
    recall = state.result() if state is not None else RecallState(enabled=False, memories=[])
    found_exchanges = earlier.result() if earlier is not None else []
    if not text and not temporary and recall.enabled:  # the worker's own read: the window says what was asked
        query = next((m.text for m in reversed(window) if m.role is Role.USER), "")
        found_exchanges = exchanges(query) if refers_to_past(query) else []
    return fit(window, conversation, recall, text=text, total=total, settings=settings, exchanges=found_exchanges)


def fit(window: list[Any], conversation: dict[str, Any], state: RecallState, *, text: str, total: int,
        settings: Settings, today: date | None = None, exchanges: Sequence[Exchange] = ()) -> Recollection:
    """Fit the reads to the budget: the summary first, then memories in what is left of recall's share,
    then the earlier exchanges the message refers to in what is left of it, then the newest window
    messages the summary does not cover, in everything that remains. With memory off (or in a temporary
    chat) neither memories nor earlier exchanges are recalled."""
    summary = Summary.of(conversation)
    today = today or datetime.now(UTC).date()
    # What the memories are chosen for: the new message, or (the worker reading its own window for a
    # regenerated, continued or oversized job) the window's last user message.
    query = text if text else next((m.text for m in reversed(window) if m.role is Role.USER), "")
    # Recall's share never takes more than is left beside a long new message: the prompt stays in budget.
    share = min(settings.recall_budget_tokens, total)
    summary_text = summary.text if summary.tokens <= min(settings.summary_max_tokens, share) else ""
    memories: list[SavedMemory] = []
    recalled: list[RecalledExchangeJob] = []
    if state.enabled and not conversation.get("temporary"):
        excluded = frozenset(m.memory_id for request in forgotten(query) for m in matching(state.memories, request))
        room = share - (estimate_tokens(summary_text) if summary_text else 0)
        memories = select(state.memories, query, budget=max(0, room), exclude=excluded)
        room -= sum(m.tokens for m in memories)
        for exchange in exchanges:
            if exchange.tokens <= room:
                recalled.append(RecalledExchangeJob(conversation_id=exchange.conversation_id,
                                                    message_id=exchange.message_id, excerpt=exchange.asked,
                                                    text=exchange.prompt_text(), tokens=exchange.tokens))
                room -= exchange.tokens
    used = (sum(m.tokens for m in memories) + sum(e.tokens for e in recalled)
            + (estimate_tokens(summary_text) if summary_text else 0))
    kept: list[RememberedMessage] = []
    room = total - used
    for message in reversed(window):
        if summary.through is not None and message.message_id <= summary.through:
            break
        if message.tokens > room:
            break
        kept.append(RememberedMessage(message_id=message.message_id, role=message.role, text=message.text,
                                      tokens=message.tokens))
        room -= message.tokens
    kept.reverse()
    return Recollection(
        window=kept,
        memories=[RecalledMemoryJob(memory_id=m.memory_id, text=(text := m.prompt_text(today)),
                                    tokens=estimate_tokens(text)) for m in memories],
        summary=summary_text,
        exchanges=recalled,
    )
