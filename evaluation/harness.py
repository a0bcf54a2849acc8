"""Runs the data set through memchat's real backend code (the chat domain, the worker's generation and
the digest) on a real DynamoDB, with a model at the seam, for three systems side by side:

- window-only: the recent window alone (memchat with long-term memory switched off, as before it);
- full history: every earlier message of the user, any conversation, newest first, cut to the budget;
- memchat: memories, summary and window, with the digest run after every turn.

Window-only and memchat are two users fed the same steps turn by turn, so their timings share the load.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evaluation.dataset import Action, Persona, Probe, Say
from evaluation.phrasing import unstated_words
from memchat.chat import Caller, Chat
from memchat.digest import Digest, FinishedTurn
from memchat.events import GenerationJob
from memchat.frames import Ack, DeleteConversation, Delta, Done, Frame, SendMessage
from memchat.generation import MEMORIES_HEADING, SUMMARY_HEADING, Generation
from memchat.handlers import worker as worker_handler
from memchat.memory import Memory, estimate_tokens, memory_budget
from memchat.memory.recall import terms
from memchat.settings import Settings


class RecordingPoster:
    """The @connections seam: keeps every frame, and when each answer's first delta went out."""

    def __init__(self) -> None:
        self.frames: dict[str, list[Frame]] = defaultdict(list)
        self.first_delta: dict[str, float] = {}

    def send(self, connection_id: str, frame: Frame) -> bool:
        if isinstance(frame, Delta) and frame.message_id not in self.first_delta:
            self.first_delta[frame.message_id] = time.perf_counter()
        self.frames[connection_id].append(frame)
        return True


class InlineWorker:
    """The worker Lambda's seam: runs each job at once, in this thread (generation, or a purge)."""

    def __init__(self, generation: Generation) -> None:
        self.generation = generation
        self.jobs: list[GenerationJob] = []

    def start(self, job: GenerationJob) -> None:
        self.jobs.append(job)
        if job.task == "purge":
            worker_handler.handle(job.model_dump(by_alias=True), self.generation)
        else:
            self.generation.run(job)


class Capacity:
    """DynamoDB's consumed capacity, asked for on every call (botocore events at the client seam)."""

    OPERATIONS = ("GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
                  "BatchWriteItem", "Scan")

    def __init__(self, client: Any) -> None:
        self.read_units = 0.0
        self.write_units = 0.0
        for operation in self.OPERATIONS:
            client.meta.events.register(f"provide-client-params.dynamodb.{operation}", self._ask)
            client.meta.events.register(f"after-call.dynamodb.{operation}", self._count)

    def _ask(self, params: dict[str, Any], **_: Any) -> None:
        params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def _count(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        consumed = parsed.get("ConsumedCapacity") or []
        units = sum(float(c.get("CapacityUnits", 0)) for c in (consumed if isinstance(consumed, list) else [consumed]))
        if model.name in ("GetItem", "Query", "Scan"):
            self.read_units += units
        else:
            self.write_units += units


@dataclass
class System:
    """One of the two systems that run through the backend: its settings and its code objects."""

    name: str
    settings: Settings
    chat: Chat
    generation: Generation
    poster: RecordingPoster
    digest: Digest | None


@dataclass
class Turn:
    """What one message cost and what its prompt held."""

    system: str
    persona: str
    text: str
    remembered: str  # the prompt without its final user message
    memories_block: str
    prompt_tokens: int
    memory_tokens: int
    ttft_ms: float
    done_ms: float
    dynamodb_calls: int
    read_units: float
    answer_model_calls: int
    digest_ms: float | None = None
    probe: Probe | None = None
    full_history: str = ""  # the full-history system's remembered text, for the same probe


@dataclass
class Results:
    turns: list[Turn] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # memchat user id -> persona id
    user_texts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    canaries: list[str] = field(default_factory=list)
    # The digests' quality counters, as the digest Lambda emits them to CloudWatch (memory/quality.py).
    quality: Counter[str] = field(default_factory=Counter)


class Harness:
    def __init__(self, dynamodb: Any, model: Any, *, table_name: str, base: Settings | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        # Deltas are posted to a list here, not a network: coalescing them would only wait.
        base = (base or Settings(table_name=table_name)).model_copy(update={"flush_interval_ms": 0})
        self.dynamodb = dynamodb
        self.capacity = Capacity(dynamodb)
        self.memory = Memory.from_settings(dynamodb, base)
        self.model = model
        self.results = Results()
        self.systems = {
            "memchat": self._system("memchat", base),
            "window-only": self._system("window-only", base.model_copy(update={"long_term_memory": False})),
        }

    def _system(self, name: str, settings: Settings) -> System:
        poster = RecordingPoster()
        generation = Generation(memory=self.memory, model=self.model, poster=poster, settings=settings)
        chat = Chat(memory=self.memory, poster=poster, worker=InlineWorker(generation), settings=settings)
        digest = Digest(memory=self.memory, model=self.model, settings=settings) if settings.long_term_memory else None
        return System(name, settings, chat, generation, poster, digest)

    # ------------------------------------------------------------ running

    def run_persona(self, persona: Persona) -> None:
        users = {name: f"{persona.pid}-{name}-{uuid.uuid4().hex[:6]}" for name in self.systems}
        self.results.users[users["memchat"]] = persona.pid
        self.results.canaries.extend(persona.canaries)
        for session in persona.sessions:
            conversations: dict[str, str | None] = dict.fromkeys(self.systems)
            for step in session.steps:
                for name, system in self.systems.items():
                    user = users[name]
                    if isinstance(step, Say):
                        if name == "memchat":
                            self.results.user_texts[persona.pid].append(step.text)
                        conversations[name] = self.say(system, user, conversations[name], step.text, step.probe,
                                                       persona=persona.pid)
                    else:
                        self.act(system, user, conversations[name], step)

    def say(self, system: System, user: str, conversation: str | None, text: str, probe: Probe | None, *,
            persona: str) -> str:
        caller = Caller(user_id=user, connection_id=f"conn-{user}")
        frame = SendMessage(action="sendMessage", conversation_id=conversation, client_message_id=uuid.uuid4(),
                            text=text)
        calls, reads = self.memory.calls, self.capacity.read_units
        model_calls = sum(v for k, v in self.model.calls.items() if k != "answer")
        started = time.perf_counter()
        system.chat.send_message(caller, frame)
        finished = time.perf_counter()
        answer_model_calls = sum(v for k, v in self.model.calls.items() if k != "answer") - model_calls
        frames = system.poster.frames[caller.connection_id]
        ack = next(f for f in reversed(frames) if isinstance(f, Ack))
        assert any(isinstance(f, Done) and f.message_id == ack.reply_id for f in frames), "the answer ended"
        prompt = self.model.prompts[-1]
        system_text = prompt[0].content
        memories_block = _block(system_text, MEMORIES_HEADING)
        summary_block = _block(system_text, SUMMARY_HEADING)
        turn = Turn(
            system=system.name, persona=persona, text=text,
            remembered="\n".join(m.content for m in prompt[:-1]),
            memories_block=memories_block,
            prompt_tokens=sum(estimate_tokens(m.content) for m in prompt),
            memory_tokens=(estimate_tokens(memories_block) if memories_block else 0)
            + (estimate_tokens(summary_block) if summary_block else 0),
            ttft_ms=(system.poster.first_delta[ack.reply_id] - started) * 1000,
            done_ms=(finished - started) * 1000,
            dynamodb_calls=self.memory.calls - calls,
            read_units=self.capacity.read_units - reads,
            answer_model_calls=answer_model_calls,
            probe=probe,
        )
        if probe is not None and system.name == "window-only":
            turn.full_history = self.full_history(user, text, system.settings)
        if system.digest is not None:
            began = time.perf_counter()
            outcome = system.digest.run(FinishedTurn(user, ack.conversation_id, ack.message_id, ack.reply_id))
            turn.digest_ms = (time.perf_counter() - began) * 1000
            self.results.quality.update({"proposed": outcome.proposed, "kept": outcome.kept,
                                         "superseded": outcome.superseded,
                                         **{f"dropped: {r.value}": n for r, n in outcome.dropped.items()}})
        self.results.turns.append(turn)
        return ack.conversation_id

    def act(self, system: System, user: str, conversation: str | None, action: Action) -> None:
        caller = Caller(user_id=user, connection_id=f"conn-{user}")
        memory = self.memory
        if action.kind == "deleteConversation" and conversation is not None:
            system.chat.delete_conversation(
                caller, DeleteConversation(action="deleteConversation", conversation_id=conversation))
        elif system.name != "memchat":
            return  # window-only has no memories to delete
        elif action.kind == "deleteMemory":
            state = memory.recall_state(user, limit=system.settings.max_memories, consistent=True)
            for saved in state.memories:
                if action.target.casefold() in saved.value.casefold():
                    memory.delete_memory(user, saved.memory_id)
        elif action.kind == "clearMemories":
            memory.clear_memories(user)

    def full_history(self, user: str, text: str, settings: Settings) -> str:
        """The full-history system's remembered text: every earlier message of the user, newest first,
        across conversations, within the same budget as the others."""
        messages = []
        for conversation in self.memory.list_conversations(user, cursor=None, limit=100).items:
            before = None
            while True:
                page = self.memory.history(user, conversation.conversation_id, before=before, limit=100)
                messages.extend(page.items)
                if page.cursor is None:
                    break
                before = page.cursor
        messages.sort(key=lambda m: m.message_id, reverse=True)
        budget, kept = memory_budget(settings) - estimate_tokens(text), []
        for message in messages[1:]:  # [0] is the question itself
            if message.tokens > budget:
                break
            kept.append(message.text)
            budget -= message.tokens
        return "\n".join(reversed(kept))

    # ------------------------------------------------------------ inspecting

    def scan(self) -> list[dict[str, Any]]:
        """Every item of the table, for the deletion check."""
        items, kwargs = [], {"TableName": self.memory.table_name}
        while True:
            page = self.dynamodb.scan(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def memories_of(self, user: str) -> tuple[list[Any], list[dict[str, Any]]]:
        state = self.memory.recall_state(user, limit=1000, consistent=True)
        return state.memories, self.memory.memory_history(user)


def _block(system_text: str, heading: str) -> str:
    """One block of the system message (the memories or the summary), or ""."""
    if heading not in system_text:
        return ""
    return system_text.split(heading, 1)[1].split("\n\n", 1)[0].strip()


def supported(value: str, texts: list[str]) -> bool:
    """Whether the user ever said this value: its meaningful words all in one of their messages, a word's
    forms counting as said ("driver" for "I drive a bus"), as the phrasing bank judges it."""
    return bool(terms(value)) and any(not unstated_words(value, text) for text in texts)


def run_cost(harness: Harness, *, marks: tuple[int, ...], texts: list[str],
             span: int = 10) -> dict[int, dict[str, float]]:
    """One long conversation through memchat; each figure is the mean over the turns within `span` of a mark.

    A mean over a span, not one turn: the window fills up and is folded into the summary every few
    turns, so one turn's prompt sits anywhere on that saw tooth.
    """
    system = harness.systems["memchat"]
    user, conversation = f"cost-{uuid.uuid4().hex[:6]}", None
    around = {mark: range(max(1, mark - span), mark + span + 1) for mark in marks}
    kept: dict[int, Turn] = {}
    for number in range(1, max(marks) + span + 1):
        conversation = harness.say(system, user, conversation, texts[number % len(texts)], None, persona="cost")
        turn = harness.results.turns.pop()  # the cost run is reported apart from the personas
        if any(number in numbers for numbers in around.values()):
            kept[number] = turn
    keys = ("dynamodb_calls", "read_units", "prompt_tokens", "ttft_ms")
    return {mark: {key: statistics.fmean(getattr(kept[n], key) for n in numbers) for key in keys}
            for mark, numbers in around.items()}
