"""The background path of memory: after an answer ends, title the conversation, fold what leaves the
window into its summary, and learn (or forget) what the user said about themselves.

Runs off the answer path, from the chat table's stream (the answer's end state is the trigger, written
atomically with the answer). Every step is idempotent, so a redelivered record changes nothing: the title
is set once, a summary only over the one it read, and a memory learnt from the same message is
recognised. A failure raises, and the record is delivered again.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from memchat.errors import ModelFailed, ModelUnavailable, NotFound
from memchat.frames import MessageStatus, Role
from memchat.memory import Memory, window_budget
from memchat.memory.consolidation import near_duplicate, plan, said_only_after
from memchat.memory.extraction import (
    EXTRACTION_INSTRUCTIONS,
    EXTRACTION_SCHEMA,
    Drop,
    floor,
    forgotten,
    parse_proposals,
    sift,
)
from memchat.memory.forgetting import REDACTED, matching, mentions
from memchat.memory.memories import (
    Learnt,
    SavedMemory,
    Source,
    Subject,
    history_memory_id,
    memory_id_for,
)
from memchat.memory.phrasings import PastFact, past
from memchat.memory.reads import StoredMessage
from memchat.memory.statements import clauses
from memchat.memory.summary import Summary, bounded, summary_prompt, to_fold
from memchat.memory.titles import clean_title, title_prompt
from memchat.model import ChatMessage, ModelClient
from memchat.settings import Settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

ENDED = frozenset({MessageStatus.COMPLETE, MessageStatus.STOPPED, MessageStatus.INTERRUPTED, MessageStatus.FAILED})


@dataclass(frozen=True)
class FinishedTurn:
    """An answer that reached its end state, as the stream record of its item names it."""

    user_id: str
    conversation_id: str
    message_id: str  # the user's message
    reply_id: str

    @classmethod
    def from_image(cls, image: dict[str, Any]) -> FinishedTurn | None:
        """The turn an answer item's new image belongs to; None for any other item."""
        pk, sk = str(image.get("pk", "")), str(image.get("sk", ""))
        if image.get("role") != Role.ASSISTANT.value or image.get("status") not in ENDED or not sk.startswith("M#"):
            return None
        user_part, _, conversation_id = pk.rpartition("#C#")
        if not user_part.startswith("U#") or not conversation_id or not image.get("replyTo"):
            return None
        return cls(user_part.removeprefix("U#"), conversation_id, str(image["replyTo"]), sk.removeprefix("M#"))


@dataclass
class DigestOutcome:
    titled: bool = False
    folded: int = 0  # messages folded into the summary
    learnt: int = 0  # memories added, confirmed or superseded
    forgotten: int = 0
    model_calls: int = 0
    notes: list[str] = field(default_factory=list)
    # Memory's quality, counted for operators who may not read the memories themselves:
    proposed: int = 0  # facts the rules and the model proposed
    kept: int = 0  # proposals the message supports
    dropped: Counter[Drop] = field(default_factory=Counter)  # the others, by reason
    superseded: int = 0  # current memories a new value replaced
    ended: int = 0  # facts the user told as over ("I used to live in Oslo"), kept as history


class Digest:
    def __init__(self, *, memory: Memory, model: ModelClient, settings: Settings,
                 clock: Callable[[], float] = time.time) -> None:
        self.memory = memory
        self._model = model
        self._settings = settings
        self._clock = clock

    def floor(self, turn: FinishedTurn) -> DigestOutcome:
        """Learn what the rules read in the turn's message, with no model call. The worker calls this as the
        answer ends: on a busy machine the digest's model steps take minutes, and a backlog of other turns'
        steps waits ahead of it on the stream, but "Remember that my locker code is 4521." must be known to
        the next message. The digest reads the turn again later, and finds it learnt (every step is
        idempotent, and a value said earlier never replaces one said later)."""
        outcome = DigestOutcome()
        read = self._read(turn)
        if read is not None and self._floored(read[0], read[1]):
            self._learn(turn, read[1], outcome, model=False)
        return outcome

    def run(self, turn: FinishedTurn) -> DigestOutcome:
        outcome = DigestOutcome()
        memory = self.memory
        read = self._read(turn)
        if read is None:
            return outcome
        conversation, question, answer = read
        # An edit replaced the message before its digest ran: its words are no part of the conversation
        # any more, so nothing is titled or learnt from them (the edited turn's own digest does that).
        replaced = question.superseded_by is not None
        # The model may be down, busy or preempted by an answer: what needs it fails alone, what the rules read
        # is still learnt, and the turn is then delivered again for the rest (every step is idempotent).
        failed: list[ModelUnavailable | ModelFailed] = []
        # Before anything is learnt: a memory forgotten by this very message still had its words recalled.
        memory.trace(turn.user_id, answer.recalled, turn.conversation_id)
        learning = not conversation.get("temporary")
        if self._floored(conversation, question):
            # What the rules read is learnt first, with no model call (as `floor`, when the worker has not).
            self._learn(turn, question, outcome, model=False)
        if "titleSource" not in conversation and not replaced:
            outcome.titled = self._model_step(failed, lambda: self._title(turn, question, answer, outcome), False)
        outcome.folded = self._model_step(failed, lambda: self._fold(turn, Summary.of(conversation), outcome), 0)
        if not replaced:
            # A temporary chat learns nothing, but "forget ..." is the user's wish wherever it is said. The
            # rules' facts are read again beside the model's: learnt already, they change nothing.
            self._learn(turn, question, outcome, learning=learning, failed=failed)
        if failed:
            raise failed[0]
        return outcome

    def _read(self, turn: FinishedTurn) -> tuple[dict[str, Any], StoredMessage, StoredMessage] | None:
        """The turn's conversation, message and answer; None when they are gone (deleted meanwhile: nothing
        of it is to be remembered)."""
        try:
            conversation = self.memory.conversation(turn.user_id, turn.conversation_id, consistent=True)
        except NotFound:
            return None
        pair = self.memory.message_pair(turn.user_id, turn.conversation_id, turn.message_id, turn.reply_id)
        return None if pair is None else (conversation, *pair)

    @staticmethod
    def _floored(conversation: dict[str, Any], question: StoredMessage) -> bool:
        """Whether the rules' facts are learnt before any model step: not from an edited message or a
        temporary chat, and not from a message that also forgets (it is learnt once, after its forgetting)."""
        return question.superseded_by is None and not conversation.get("temporary") and not forgotten(question.text)

    @staticmethod
    def _model_step(failed: list[ModelUnavailable | ModelFailed], step: Callable[[], T], otherwise: T) -> T:
        try:
            return step()
        except (ModelUnavailable, ModelFailed) as exc:
            failed.append(exc)
            return otherwise

    def _complete(self, messages: list[ChatMessage], outcome: DigestOutcome, *,
                  json_schema: dict[str, Any] | None = None, max_tokens: int | None = None) -> str:
        outcome.model_calls += 1
        completion = self._model.complete(messages, max_tokens=max_tokens or self._settings.digest_max_tokens,
                                          temperature=0.0, json_schema=json_schema)
        return completion.text

    def _title(self, turn: FinishedTurn, question: StoredMessage, answer: StoredMessage,
               outcome: DigestOutcome) -> bool:
        raw = self._complete(title_prompt(question.text, answer.text), outcome, max_tokens=24) if answer.text else ""
        return self.memory.set_model_title(turn.user_id, turn.conversation_id,
                                           clean_title(raw, fallback=question.text))

    def _fold(self, turn: FinishedTurn, summary: Summary, outcome: DigestOutcome) -> int:
        tail = self.memory.unsummarised(turn.user_id, turn.conversation_id, after=summary.through)
        fold = to_fold(tail, window_budget=window_budget(self._settings))
        if not fold:
            return 0
        limit = self._settings.summary_max_tokens
        text = bounded(self._complete(summary_prompt(summary.text, fold, max_tokens=limit), outcome,
                                      max_tokens=limit), limit)
        saved = self.memory.save_summary(turn.user_id, turn.conversation_id, text=text,
                                         through=fold[-1].message_id, previous_through=summary.through,
                                         previous_text=summary.text)
        return len(fold) if saved else 0

    def _learn(self, turn: FinishedTurn, question: StoredMessage, outcome: DigestOutcome, *,
               learning: bool = True, model: bool = True,
               failed: list[ModelUnavailable | ModelFailed] | None = None) -> None:
        memory, settings = self.memory, self._settings
        state = memory.recall_state(turn.user_id, limit=settings.max_memories, consistent=True)
        requests = forgotten(question.text)
        if requests:
            known = [*state.memories, *memory.told_over(turn.user_id)]  # a past home is forgotten as a current one
            here = Source(turn.conversation_id, turn.message_id)
            doomed = {m.memory_id: m for request in requests for m in matching(known, request)
                      if not said_only_after(m, here)}
            if doomed:
                memory.forget_memories(turn.user_id, list(doomed.values()),
                                       everything=any(r.everything for r in requests))
                outcome.forgotten = len(doomed)
            state.memories[:] = [m for m in state.memories if m.memory_id not in doomed]
        if not state.enabled or not learning:
            return
        # Only the user's own message is read: never the answer, the system prompt or recalled memories.
        # Without the model the rules' facts are still learnt: the floor under memory (memory/phrasings/).
        # A message that states nothing (a question, a request, code: no clause of its own, which is all that
        # `extraction.judge` keeps a proposal from) could keep nothing the model proposes: it is not asked.
        asked = model and bool(clauses(question.text))
        raw = self._model_step(failed if failed is not None else [], lambda: self._complete(
            [ChatMessage("system", EXTRACTION_INSTRUCTIONS), ChatMessage("user", question.text)],
            outcome, json_schema=EXTRACTION_SCHEMA), "") if asked else ""
        # The rules' notes are the user's own orders, kept as said; every other fact, the rules' or the
        # model's, passes the same check against the message. Where both state a one-valued subject, the
        # rules' reading is kept (`sift`): the embedded model's values that pass the check are still less often
        # right than the rules' ("work: engineering" for "my job is in civil engineering").
        rules = floor(question.text)
        ruled = [p for p in rules if p.subject is not Subject.NOTE]
        offered = parse_proposals(raw)
        supported, dropped = sift(ruled, question.text, offered)
        proposals = [*(p for p in rules if p.subject is Subject.NOTE), *supported]
        if model:  # the quality counters judge the digest's whole proposal set, once
            outcome.dropped = dropped
            outcome.proposed = len(ruled) + len(offered) + len(proposals) - len(supported)
            outcome.kept = len(proposals)
        # A message a deletion redacted (the user deleted what it taught before this digest ran) says
        # "[forgotten]" where the words were: nothing is learnt of them.
        proposals = [p for p in proposals if REDACTED not in p.value]
        if requests:  # "forget my address, I moved" must not learn back what it forgets
            proposals = [p for p in proposals
                         if not any(r.query in p.value or mentions(r.query, [p.value]) for r in requests)]
        now_ms = int(self._clock() * 1000)
        changes = plan(state.memories, proposals, source=Source(turn.conversation_id, turn.message_id),
                       now_ms=now_ms, limit=settings.max_memories)
        # Traced before they are written: a memory is never stored without the way to its copies.
        memory.trace(turn.user_id, [*(new.memory_id for _, new in changes.supersedes),
                                    *(saved.memory_id for saved in changes.puts)], turn.conversation_id)
        # Written only while the message still says what the model read, and was not cleared away since.
        learnt = Learnt(turn.conversation_id, turn.message_id, question.text, question.created_ms)
        written = sum(memory.supersede_memory(turn.user_id, old, new, now_ms=now_ms, learnt=learnt)
                      for old, new in changes.supersedes)
        outcome.superseded += written
        written += sum(memory.put_memory(turn.user_id, saved, learnt=learnt) for saved in changes.puts)
        if changes.evictions:  # past the limit: the least recently confirmed go (no copies were asked away)
            memory.drop_memories(turn.user_id, changes.evictions)
        outcome.learnt += written
        replaced = {old.memory_id for old, _ in changes.supersedes}
        facts = [fact for fact in past(question.text) if not any(
            r.query in fact.proposal.value or mentions(r.query, [fact.proposal.value]) for r in requests)]
        outcome.ended += self._end(turn, facts, [m for m in state.memories if m.memory_id not in replaced],
                                  now_ms=now_ms, learnt=learnt)

    def _end(self, turn: FinishedTurn, facts: list[PastFact], current: list[SavedMemory], *, now_ms: int,
             learnt: Learnt) -> int:
        """Keep what the user told as over as history with its end: the current memory that says it stops
        being current; any other is history from the start. A redelivered turn adds nothing."""
        if not facts:
            return 0
        source = Source(turn.conversation_id, turn.message_id)
        kept = {(history_memory_id(item), entry)
                for item in self.memory.memory_history(turn.user_id) for entry in item.get("sources") or ()}
        ended = 0
        for fact in facts:
            subject, value = fact.proposal.subject, fact.proposal.value
            same = next((m for m in current if m.subject is subject and near_duplicate(m.value, value)), None)
            memory = same.with_source(source, now_ms) if same else SavedMemory(
                memory_id_for(subject, value), subject, value, created_ms=now_ms, updated_ms=now_ms, sources=(source,))
            if (memory.memory_id, source.entry) in kept:
                continue
            self.memory.trace(turn.user_id, [memory.memory_id], turn.conversation_id)
            ended += self.memory.end_memory(turn.user_id, memory, now_ms=now_ms, current=same is not None,
                                            until=fact.until, learnt=learnt)
        return ended
