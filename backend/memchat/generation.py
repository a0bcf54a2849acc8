"""Generating one answer: memory in, prompt built within budget, model streamed out, turn saved."""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from memchat.errors import ChatError, InternalError, ModelAsleep
from memchat.events import GenerationJob, RecalledExchangeJob, RecalledInstructions, RecalledMemoryJob
from memchat.frames import (
    Done,
    ErrorFrame,
    FinishReason,
    MessageStatus,
    RecalledExchange,
    RecalledMemory,
    Role,
    Usage,
    error_frame,
)
from memchat.memory import MESSAGE_OVERHEAD_TOKENS, Memory, estimate_tokens
from memchat.memory.leases import Followers
from memchat.memory.table import backoff
from memchat.model import ChatMessage, Finish, ModelClient, ModelStream, TextPiece
from memchat.recollection import Recollection, instruction_blocks, recollect
from memchat.search import Finder, Index
from memchat.sender import MAX_DELTA_CHARS, DeltaStream, Poster
from memchat.settings import Settings
from memchat.waking import Wakes

logger = logging.getLogger(__name__)
# For the DynamoDB call made beside the main path: one per answer (many answers share a process locally).
_background = ThreadPoolExecutor(max_workers=32, thread_name_prefix="generation")
_reads = ThreadPoolExecutor(max_workers=64, thread_name_prefix="generation-read")

MEMORIES_HEADING = "What you remember about the user from earlier conversations:"
EXCHANGES_HEADING = "Earlier exchanges with the user, from other conversations, that the new message refers to:"
SUMMARY_HEADING = "Summary of the earlier part of this conversation:"


@dataclass(frozen=True)
class Outcome:
    """How an answer ended, for metrics and tests."""

    status: MessageStatus
    text: str
    prompt_tokens: int
    completion_tokens: int
    ttft_ms: float | None  # from the user's message being received to the first delta posted
    error: ChatError | None = None
    claimed: bool = True  # False: another delivery of the same job owns this answer; nothing was done
    lost: bool = False  # the lease was lost mid-answer: the sweep or another delivery ended it


class Remembered(Protocol):
    """A message of the prompt window: stored (read by the worker) or handed over in the job."""

    @property
    def message_id(self) -> str: ...
    @property
    def role(self) -> Role: ...
    @property
    def text(self) -> str: ...
    @property
    def tokens(self) -> int: ...


def system_message(system_prompt: str, memories: Sequence[RecalledMemoryJob], summary: str,
                   instructions: RecalledInstructions | None = None,
                   exchanges: Sequence[RecalledExchangeJob] = ()) -> str:
    """The system prompt, then the user's instructions and their project's, then the memories block, then
    the earlier exchanges the message refers to, then the conversation's summary (one system message:
    strict chat templates allow only one, at the start)."""
    parts = [system_prompt, *(instruction_blocks(instructions) if instructions is not None else [])]
    if memories:
        parts.append(MEMORIES_HEADING + "\n" + "\n".join(f"- {m.text}" for m in memories))
    if exchanges:
        parts.append(EXCHANGES_HEADING + "\n" + "\n".join(f"- {e.text}" for e in exchanges))
    if summary:
        parts.append(f"{SUMMARY_HEADING}\n{summary}")
    return "\n\n".join(parts)


def build_prompt(system_prompt: str, window: Sequence[Remembered], *, memories: Sequence[RecalledMemoryJob] = (),
                 summary: str = "", instructions: RecalledInstructions | None = None,
                 exchanges: Sequence[RecalledExchangeJob] = ()) -> list[ChatMessage]:
    """The system message (with instructions, memories, earlier exchanges and summary), then the remembered
    turns oldest first, ending with the user's new message.

    Strict chat templates demand user and assistant turns alternating from a user turn: a window that
    starts inside a turn drops its leading answer, and messages left adjacent by an answer that failed
    without text are joined.
    """
    turns: list[ChatMessage] = []
    for message in window:
        if not turns and message.role is not Role.USER:
            continue
        if turns and turns[-1].role == message.role.value:
            turns[-1] = ChatMessage(message.role.value, f"{turns[-1].content}\n\n{message.text}")
        else:
            turns.append(ChatMessage(message.role.value, message.text))
    return [ChatMessage("system", system_message(system_prompt, memories, summary, instructions, exchanges)),
            *turns]


class Generation:
    def __init__(self, *, memory: Memory, model: ModelClient, poster: Poster, settings: Settings,
                 wakes: Wakes | None = None, finder: Finder | None = None) -> None:
        self.memory = memory
        self._finder = finder or Finder(Index.beside(memory))
        self._model = model
        self._poster = poster
        self._settings = settings
        # Where the model can be woken (an inference component), an answer that finds it asleep waits.
        self._wakes = wakes

    @property
    def poster(self) -> Poster:
        return self._poster

    @property
    def settings(self) -> Settings:
        return self._settings

    def run(self, job: GenerationJob, *, remaining_ms: Callable[[], int] | None = None) -> Outcome:
        """Generate one answer; `remaining_ms` is the Lambda's time left: the answer is cut (and saved as
        `interrupted`) with `deadline_margin_seconds` to spare, never killed mid-save.

        Three phases share one `_Watch`: `_start` claims the answer beside reading what the prompt
        remembers and opens the model stream, `_stream` reads it out as deltas while the watcher renews
        the lease, and `_end` decides the end state, saves it and posts the last frame."""
        assert job.reply_id and job.message_id, "a generate job names its messages"
        watch = _Watch(owner=uuid.uuid4().hex, remaining_ms=remaining_ms)
        started = self._start(job, watch)
        if started is None:
            logger.info("The answer is already owned by another delivery of this job")
            return Outcome(MessageStatus.STREAMING, "", 0, 0, None, claimed=False)
        if self._wakes is not None:
            if isinstance(started.failure, ModelAsleep):
                # No copy runs: the answer waits for one as a later try of this job, not in this Lambda.
                if self._wakes.wait(job, owner=watch.owner, now_ms=_now_ms()):
                    return Outcome(MessageStatus.PENDING, "", 0, 0, None)
                return Outcome(MessageStatus.PENDING, "", 0, 0, None, lost=True)
            if started.stream is not None and job.waiting_since_ms is not None:
                self._wakes.woke(now_ms=_now_ms())
        streamed = self._stream(job, started, watch)
        return self._end(job, started, streamed, watch)

    def _start(self, job: GenerationJob, watch: _Watch) -> _Started | None:
        """Claim the answer beside reading what the prompt remembers, and open the model stream; None
        when another delivery owns the answer (its stream, if opened, is closed before any text is posted).

        What the prompt remembers comes with the job (sendMessage read it beside storing the message),
        or is read here beside the claim; the model call starts as soon as the prompt is known, before
        the claim's answer, so neither read costs time to first token."""
        settings = self._settings
        # The first lease also covers opening the model stream (bounded by the model's timeout), which
        # may wait in the endpoint's queue before the first token shortens it (`_stream`).
        first_lease_s = settings.model_timeout_seconds + settings.answer_lease_seconds
        claim = _background.submit(self.memory.claim_reply, job.user_id, job.conversation_id, job.reply_id,
                                   owner=watch.owner, connection_id=job.connection_id, now_ms=_now_ms(),
                                   lease_ms=int(first_lease_s * 1000), prefix=job.prefix)
        recalled = self._recollection(job)
        window = recalled.window
        prompt = build_prompt(settings.system_prompt, window, memories=recalled.memories, summary=recalled.summary,
                              instructions=recalled.instructions, exchanges=recalled.exchanges)
        if job.prefix:  # continueAnswer: the model goes on with the answer's own text
            prompt.append(ChatMessage(Role.ASSISTANT.value, job.prefix))
        prefix_tokens = estimate_tokens(job.prefix) if job.prefix else 0
        estimated_prompt = recalled.tokens + estimate_tokens(settings.system_prompt) + prefix_tokens
        stream: ModelStream | None = None
        failure: ChatError | None = None
        try:
            if not window or window[-1].message_id != job.message_id:
                raise InternalError("Your message could not be read back. Please send it again.")
            stream = self._model.stream(prompt, max_tokens=settings.max_new_tokens, temperature=settings.temperature,
                                        continue_final_message=bool(job.prefix))
        except ChatError as exc:
            failure = exc
        finally:
            claimed = _claimed(claim, stream)
        if not claimed:
            return None
        return _Started(recalled, stream, failure, prefix_tokens, estimated_prompt)

    def _stream(self, job: GenerationJob, started: _Started, watch: _Watch) -> _Streamed:
        """Read the model stream out as deltas, the watcher beside it; every way it ends is caught here
        and becomes the answer's `failure`."""
        settings = self._settings
        stream, failure = started.stream, started.failure
        pieces: list[str] = []
        spoken = False  # the first text came (and was saved with the short lease)
        finish: Finish | None = None
        stop = threading.Event()
        deltas = DeltaStream(self._poster, job.connection_id, conversation_id=job.conversation_id,
                             message_id=job.reply_id or "", flush_interval=settings.flush_interval_ms / 1000,
                             prefix=job.prefix)
        try:
            if stream is not None:  # else `failure` says why there is none
                watch.renewed_at = time.monotonic()
                watcher = threading.Thread(target=self._watch, args=(job, stream, stop, deltas, watch),
                                           daemon=True)
                watcher.start()
                for event in stream:
                    if isinstance(event, TextPiece):
                        if event.text and not spoken:
                            spoken = True
                            if not self._first_token(job, stream, event.text, watch):
                                break  # the answer is no longer ours: nothing of it is posted
                        pieces.append(event.text)
                        deltas.push(event.text)
                        if self._abandoned(deltas):
                            watch.abandoned.set()
                            stream.close()
                    elif isinstance(event, Finish):
                        finish = event
        except ChatError as exc:
            failure = exc
        except Exception as exc:  # noqa: BLE001 - anything else still ends the turn cleanly
            failure = InternalError()
            failure.__cause__ = exc
        finally:
            stop.set()
            if stream is not None:
                stream.close()
            deltas.close()
        return _Streamed(pieces, finish, failure, deltas)

    def _end(self, job: GenerationJob, started: _Started, streamed: _Streamed, watch: _Watch) -> Outcome:
        """Decide the end state, save it (with its trace, retried while DynamoDB fails) unless the lease
        was lost, then post the last frame to every follower."""
        user, conversation, reply_id = job.user_id, job.conversation_id, job.reply_id or ""
        recalled, stream, prefix_tokens = started.recalled, started.stream, started.prefix_tokens
        pieces, finish, failure, deltas = streamed.pieces, streamed.finish, streamed.failure, streamed.deltas
        if failure is None and deltas.error is not None:
            failure = InternalError("The answer could not be delivered. Please try again.")
            failure.__cause__ = deltas.error
        if failure is None and watch.cut.is_set():
            failure = InternalError("The answer was cut off before it finished. Please try again.")
        text = job.prefix + "".join(pieces)
        status = _status(finish, failure, stream, cut=watch.cut.is_set() or watch.abandoned.is_set())
        completion = finish.completion_tokens if finish and finish.completion_tokens is not None else len(pieces)
        prompt_tokens = (finish.prompt_tokens if finish and finish.prompt_tokens is not None
                         else started.estimated_prompt)
        if watch.lost.is_set():
            # The sweep ended this answer (and told the client), or another delivery took it over.
            logger.warning("The answer's lease was lost; leaving it to its new owner")
            return Outcome(status, text, prompt_tokens, completion, None, failure, lost=True)
        finish_reason = _finish_reason(status, finish) if status in (MessageStatus.COMPLETE,
                                                                     MessageStatus.STOPPED) else None
        # Only an answer with text used its memories: one that failed or stopped before its first token
        # shows none (the app would say "Used 3 memories" under an answer that is not there).
        shown = recalled.memories if text else []
        used = [m.memory_id for m in shown]
        exchanges = recalled.exchanges if text else []
        try:
            # Traced before the answer is saved with its words: deleting a memory the answer used redacts it
            # there, however late the background digest runs (it traces the same, idempotently).
            if used:
                self._save(lambda: self.memory.trace(user, used, conversation), watch)
            followers = self._save(lambda: self.memory.finish_reply(
                user, conversation, reply_id, text=text, status=status,
                # The server's own count when it reported one, a conservative estimate otherwise.
                tokens=(prefix_tokens + completion if finish else estimate_tokens(text))
                + MESSAGE_OVERHEAD_TOKENS,
                prompt_tokens=prompt_tokens if finish else None,
                error_code=failure.code.value if failure else None,
                error_message=failure.message if failure else None,
                recalled=used,
                exchanges=[(e.conversation_id, e.message_id) for e in exchanges],
                finish_reason=finish_reason,
                owner=watch.owner,
            ), watch)
            if followers is None:  # the sweep ended it (and told its clients) while the save was retried
                logger.warning("The answer was ended by another while it was being saved")
                return Outcome(status, text, prompt_tokens, completion, None, failure, lost=True)
            # Those that resumed the answer since the last poll: caught up before its last frame.
            for connection_id, seq in followers.items():
                if connection_id not in watch.followed:
                    deltas.follow(connection_id, seq)
        except Exception as exc:
            logger.error("Saving the answer failed; its lease will end it", exc_info=True)
            failure = InternalError("The answer could not be saved. Please try again.")
            failure.__cause__ = exc
            status = MessageStatus.INTERRUPTED if text else MessageStatus.FAILED
        last: Done | ErrorFrame | None = None
        if failure is not None:
            last = error_frame(failure, conversation_id=conversation, message_id=reply_id)
        elif finish_reason is not None:
            last = Done(
                conversation_id=conversation, message_id=reply_id, finish_reason=finish_reason,
                usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=completion),
                memories=[RecalledMemory(memory_id=m.memory_id, text=m.text) for m in shown] or None,
                exchanges=[RecalledExchange(conversation_id=e.conversation_id, message_id=e.message_id,
                                            excerpt=e.excerpt) for e in exchanges] or None,
            )
        if last is not None:
            try:
                deltas.send_all(last)
            except Exception:  # the answer is saved; the client finds it in history
                logger.warning("Could not post the answer's last frame", exc_info=True)
        ttft_ms = deltas.first_post_at * 1000 - job.received_ms if deltas.first_post_at else None
        return Outcome(status, text, prompt_tokens, completion, ttft_ms, failure)

    def _recollection(self, job: GenerationJob) -> Recollection:
        """The job's own reads when it carries them, else read now: the window then runs through the
        user's message (read before the answer's id), so no budget is set aside for it."""
        if job.window is not None:
            return Recollection(window=list(job.window), memories=list(job.memories), summary=job.summary,
                                instructions=job.instructions, exchanges=list(job.exchanges))
        # A continued answer's text goes into the prompt too: it takes its share of the budget.
        return recollect(self.memory, self._settings, _reads, user_id=job.user_id,
                         conversation_id=job.conversation_id, before=job.reply_id or "", text="",
                         temporary=job.temporary, reserve=estimate_tokens(job.prefix) if job.prefix else 0,
                         finder=self._finder)

    def _save(self, save: Callable[[], Followers | None], watch: _Watch) -> Followers | None:
        """Save the answer's end, retried with jittered back-off while DynamoDB fails (down, throttling,
        a network fault): the worker holds the only copy of what streamed since the last renewal. Given
        up, and raised, once the lease would run out or the Lambda's deadline is near."""
        settings = self._settings
        window = settings.answer_lease_seconds - settings.lease_renew_seconds
        if watch.remaining_ms is not None:
            window = min(window, watch.remaining_ms() / 1000 - settings.deadline_margin_seconds)
        give_up_at = time.monotonic() + window
        attempt = 0
        while True:
            try:
                return save()
            except Exception:
                pause = backoff(attempt, base=0.1, cap=2.0)
                if time.monotonic() + pause >= give_up_at:
                    raise
                logger.warning("Saving the answer failed; retrying", exc_info=True)
                time.sleep(pause)
                attempt += 1

    def _first_token(self, job: GenerationJob, stream: ModelStream, text: str, watch: _Watch) -> bool:
        """The model is answering: the long first lease (which covered the wait for the stream) becomes
        the answer's lease, saved with the first token's text, before the client gets that text. From the
        first delta on, a worker that dies leaves its answer to the sweep within the lease plus one sweep
        period, and history has the text the client saw. Costs time to first token one UpdateItem.
        False: the answer is no longer this worker's."""
        # The deltas the first push posts (one, unless a first text is longer than a frame holds).
        seq = -(-len(text) // MAX_DELTA_CHARS)
        try:
            return self._renew(job, stream, lambda: (job.prefix + text, seq), watch)
        except Exception:  # the watcher renews at its next poll instead
            logger.warning("Shortening the answer's lease at its first token failed; retrying", exc_info=True)
            watch.renewed_at = -math.inf
            return True

    def _renew(self, job: GenerationJob, stream: ModelStream, so_far: Callable[[], tuple[str, int]],
               watch: _Watch) -> bool:
        """Extend the lease by `answer_lease_seconds`, saving the text so far and the deltas it covers;
        False (and the stream closed) when the answer is no longer this worker's. One renewal at a time:
        the generating thread (at the first token) and the watcher both renew."""
        with watch.renewing:
            text, seq = so_far()
            if seq < watch.saved[1]:  # the first token's text, saved before it was posted: never go back
                text, seq = watch.saved
            owned = self.memory.renew_lease(job.user_id, job.conversation_id, job.reply_id or "", owner=watch.owner,
                                            text=text, seq=seq, now_ms=_now_ms(),
                                            lease_ms=int(self._settings.answer_lease_seconds * 1000))
            watch.renewed_at = time.monotonic()
            watch.saved = (text, seq)
        if not owned:
            watch.lost.set()
            stream.close()
        return owned

    def _abandoned(self, deltas: DeltaStream) -> bool:
        """Every client went away, and none resumed the answer within the grace period."""
        gone_since = deltas.gone_since
        return gone_since is not None and time.monotonic() - gone_since >= self._settings.resume_grace_seconds

    def _watch(self, job: GenerationJob, stream: ModelStream, done: threading.Event, deltas: DeltaStream,
               watch: _Watch) -> None:
        """Beside the stream: poll for a stop request and for clients resuming the answer, renew the lease
        with the text so far, cut the answer before the Lambda's deadline, and stop it once nobody has
        followed it for the grace period. Cut, stop and loss close the model stream."""
        settings = self._settings
        interval = settings.stop_poll_interval_ms / 1000
        while not done.wait(interval):
            if deltas.error is not None:
                stream.close()
                return
            if watch.remaining_ms is not None and watch.remaining_ms() < settings.deadline_margin_seconds * 1000:
                watch.cut.set()
                stream.close()
                return
            if self._abandoned(deltas):
                watch.abandoned.set()
                stream.close()
                return
            if time.monotonic() - watch.renewed_at >= settings.lease_renew_seconds:
                try:
                    if not self._renew(job, stream, deltas.snapshot, watch):
                        return
                except Exception:  # a failed renewal is retried at the next poll; the lease has slack
                    logger.warning("Renewing the answer's lease failed; retrying", exc_info=True)
            try:
                poll = self.memory.poll_answer(job.user_id, job.conversation_id, job.reply_id or "")
            except Exception:  # a failed poll is retried at the next interval
                logger.warning("Polling for a stop request failed; retrying", exc_info=True)
                continue
            for connection_id, seq in poll.followers.items():
                if watch.followed.get(connection_id) != seq:  # new, or resumed again from elsewhere
                    watch.followed[connection_id] = seq
                    deltas.follow(connection_id, seq)
            if poll.stop:
                stream.close()
                return


@dataclass(frozen=True)
class _Started:
    """What the start phase hands on: the prompt's reads and the model stream, or why there is none."""

    recalled: Recollection
    stream: ModelStream | None
    failure: ChatError | None
    prefix_tokens: int  # a continued answer's own text, in the prompt
    estimated_prompt: int  # the prompt's tokens, should the server not report them


@dataclass(frozen=True)
class _Streamed:
    """What the stream phase read: the answer's pieces, how the model finished, and how it failed."""

    pieces: list[str]
    finish: Finish | None
    failure: ChatError | None
    deltas: DeltaStream


@dataclass
class _Watch:
    """What the watcher thread and the generating thread share about one answer."""

    owner: str  # this delivery's lease token
    remaining_ms: Callable[[], int] | None
    cut: threading.Event = field(default_factory=threading.Event)  # stopped for the Lambda's deadline
    lost: threading.Event = field(default_factory=threading.Event)  # the lease went to someone else
    abandoned: threading.Event = field(default_factory=threading.Event)  # no client followed it for the grace
    followed: dict[str, int] = field(default_factory=dict)  # connections caught up, and from which delta
    renewed_at: float = 0.0  # monotonic time of the last renewal (or of the stream opening)
    renewing: threading.Lock = field(default_factory=threading.Lock)  # one renewal at a time
    saved: tuple[str, int] = ("", 0)  # the text the last renewal saved, and the deltas it covers


def _now_ms() -> int:
    return int(time.time() * 1000)


def _claimed(claim: Future[bool], stream: ModelStream | None) -> bool:
    """Whether this delivery owns the answer; a stream opened for a job that is not ours is closed."""
    try:
        claimed = claim.result()
    except BaseException:
        if stream is not None:
            stream.close()
        raise
    if not claimed and stream is not None:
        stream.close()
    return claimed


def _status(finish: Finish | None, failure: ChatError | None, stream: ModelStream | None, *,
            cut: bool = False) -> MessageStatus:
    if cut:
        return MessageStatus.INTERRUPTED
    if failure is not None:
        return MessageStatus.FAILED
    if finish is None and stream is not None and stream.closed:
        return MessageStatus.STOPPED
    return MessageStatus.COMPLETE


def _finish_reason(status: MessageStatus, finish: Finish | None) -> FinishReason:
    if status is MessageStatus.STOPPED:
        return FinishReason.STOPPED
    return FinishReason.LENGTH if finish and finish.reason == "length" else FinishReason.STOP
