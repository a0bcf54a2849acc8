"""What an answer's prompt remembers: the user's instructions and their project's, the user's relevant
memories, the earlier exchanges the message refers to, the conversation's summary and the recent window,
read in one round of parallel DynamoDB calls (and the project's item once the conversation names it) and
fitted to the prompt's budget.

No model is called here: this runs on the answer path, beside storing the user's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from memchat.events import RecalledExchangeJob, RecalledInstructions, RecalledMemoryJob, RememberedMessage
from memchat.frames import Role
from memchat.memory import (
    Memory,
    Project,
    RecallState,
    SavedMemory,
    Summary,
    UserInstructions,
    estimate_tokens,
    memory_budget,
)
from memchat.memory.extraction import forgotten
from memchat.memory.forgetting import matching
from memchat.memory.recall import select
from memchat.search.recent import RECENT_ITEMS
from memchat.search.references import refers_to_past

if TYPE_CHECKING:
    from memchat.search import Exchange, Finder
    from memchat.settings import Settings


# Each instruction goes into the system message under its heading, in this order.
ABOUT_HEADING = "The user, about themselves:"
STYLE_HEADING = "How the user wants answers:"
PROJECT_HEADING = "The user's instructions for this project:"
HEADINGS = {"about": ABOUT_HEADING, "style": STYLE_HEADING, "project": PROJECT_HEADING}
LONGEST_HEADING = max(HEADINGS.values(), key=len)


def instruction_block(heading: str, text: str) -> str:
    return f"{heading}\n{text}"


def instruction_blocks(instructions: RecalledInstructions) -> list[str]:
    """The instructions as the system message holds them: each under its heading, the user's first."""
    return [instruction_block(HEADINGS[name], text) for name in HEADINGS if (text := getattr(instructions, name))]


@dataclass(frozen=True)
class Recollection:
    """The remembered part of a prompt, oldest window message first (without the new message)."""

    window: list[RememberedMessage] = field(default_factory=list)
    memories: list[RecalledMemoryJob] = field(default_factory=list)
    summary: str = ""
    instructions: RecalledInstructions = field(default_factory=RecalledInstructions)
    exchanges: list[RecalledExchangeJob] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return (sum(m.tokens for m in self.window) + sum(m.tokens for m in self.memories)
                + sum(e.tokens for e in self.exchanges) + (estimate_tokens(self.summary) if self.summary else 0)
                + sum(estimate_tokens(block) for block in instruction_blocks(self.instructions)))


def recollect(memory: Memory, settings: Settings, pool: Executor, *, user_id: str, conversation_id: str | None,
              before: str, text: str, temporary: bool = False, reserve: int = 0,
              project_id: str | None = None, finder: Finder | None = None) -> Recollection:
    """Read and fit what the prompt for `text` remembers; `before` is the new message's id. `reserve`
    tokens of the budget are kept for more of the prompt (a continued answer's own text). `project_id`
    is the project a new conversation starts in (an existing one names its own).

    The reads run side by side: the user's memories with their on/off setting and instructions, which
    share its item (a temporary chat, or long-term memory off, reads the instructions alone); and the
    conversation's item (its summary, project, and whether it is temporary) with the window, newest
    first, in one Query, then the project it names (beside the others for a new conversation started in
    one). A conversation that does not exist yet has no window or summary. Instructions are read whatever
    memory does: they are the user's words, not something learnt. When the message refers to earlier
    conversations (and a `finder` is given), the memories' Query also reads the terms of the user's newest
    messages, and once it is back the exchanges the message refers to are found among them (one check of the
    live items) or, failing that, through the postings.
    """
    total = memory_budget(settings) - (estimate_tokens(text) if text else 0) - reserve
    project = pool.submit(memory.project, user_id, project_id) if project_id else None
    remembers = settings.long_term_memory and not temporary
    # A message that points back reads the items of the newest messages' terms in the memories' own Query
    # (search/recent.py): a reference to one of them is ranked with no request of its own, and checked in one.
    looks_back = bool(remembers and finder is not None and text and refers_to_past(text))
    state = pool.submit(memory.recall_state, user_id, limit=settings.max_memories,
                        recent=RECENT_ITEMS if looks_back else 0) if remembers else None
    instructions = None if remembers else pool.submit(memory.instructions, user_id)
    share = min(settings.recall_budget_tokens, total)

    def exchanges(query: str, recent: Sequence[dict[str, Any]] = ()) -> list[Exchange]:
        return finder.exchanges(user_id, query, conversation_id=conversation_id, budget=share,
                                recent=recent) if finder else []

    conversation: dict[str, Any] = {}
    window: list[Any] = []
    if conversation_id is not None:
        found, window = memory.recent(user_id, conversation_id, before=before, budget=total)
        conversation = found or {}
        if project is None and conversation.get("projectId"):
            project = pool.submit(memory.project, user_id, conversation["projectId"])
    if state is not None:
        recall = state.result()
    else:
        recall = RecallState(enabled=False, memories=[], instructions=instructions.result())
    # Memory off recalls nothing, so reads nothing more.
    found_exchanges = exchanges(text, recall.recent) if looks_back and recall.enabled else []
    if not text and remembers and recall.enabled:  # the worker's own read: the window says what was asked
        query = next((m.text for m in reversed(window) if m.role is Role.USER), "")
        found_exchanges = exchanges(query) if refers_to_past(query) else []
    if not settings.long_term_memory:  # the recent window alone (no summary), beside the instructions
        conversation = {}
    return fit(window, conversation, recall, text=text, total=total, settings=settings,
               project=project.result() if project is not None else None, exchanges=found_exchanges)


def fit_instructions(user: UserInstructions, project: Project | None, *, room: int) -> RecalledInstructions:
    """The instructions that fit in `room` tokens, each whole or not at all; when they do not all fit
    (only beside a message nearly as long as the budget), the project's yield first, then how to answer,
    then what the user said about themselves (docs/memory.md, "The budget")."""
    texts = {"about": user.about.strip(), "style": user.style.strip(),
             "project": project.instructions.strip() if project is not None else ""}
    kept: dict[str, str] = {}
    for name, value in texts.items():
        cost = estimate_tokens(instruction_block(HEADINGS[name], value))
        if value and cost <= room:
            kept[name] = value
            room -= cost
    return RecalledInstructions(**kept)


def fit(window: list[Any], conversation: dict[str, Any], state: RecallState, *, text: str, total: int,
        settings: Settings, today: date | None = None, project: Project | None = None,
        exchanges: Sequence[Exchange] = ()) -> Recollection:
    """Fit the reads to the budget: the user's instructions (from `state`) and the project's first, in
    their own share; then the summary, then memories in what is left of recall's share, then the earlier
    exchanges the message refers to in what is left of it; then the newest window messages the summary
    does not cover, in everything that remains. With memory off (or in a temporary chat) neither memories
    nor earlier exchanges are recalled."""
    fitted = fit_instructions(state.instructions, project, room=min(settings.instructions_budget_tokens, total))
    total -= sum(estimate_tokens(block) for block in instruction_blocks(fitted))
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
        instructions=fitted,
        exchanges=recalled,
    )
