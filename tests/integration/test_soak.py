"""Soak: many users chatting at once through the real local stack for a bounded time.

Every message acknowledged is stored, and every one is answered: acked, stored and answered counts are
equal, each stored answer is `complete` with exactly the text that streamed, and nothing is left
`pending` or `streaming`. Each answer's deltas count 0, 1, 2, ... with no gap and no repeat; no frame of
a type the protocol does not define arrives; the stack logs no traceback; and the memory of the
processes that serve the turns (the gateway, the worker's execution environments, the model endpoint)
stays flat once warm. The figures (messages, answers, time to first token, memory) are printed in the run's
summary. Nothing here asserts a time: a loaded CI machine is slow, not wrong; only a hang fails.

Warm is a state, not a time: every user has had a whole conversation answered. A worker environment's
memory follows the most invocations it has run at once (each answer's threads, and the allocator's arenas,
which it does not give back), a peak that depends on the machine's load: sampled on an idle run, it rose
with the threads for the first twenty seconds and then held. A loaded run, warm after a fixed ten seconds,
measured 414 MiB then and 570 MiB at the end, every answer right; an idle one 397 and 374. So the
environments' threads are counted all along, and their memory may pass the warm figure by what the threads
of a new peak hold; what grows with the turns served still fails.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import websocket
from pydantic import ValidationError

from memchat.frames import (
    Ack,
    Delta,
    Done,
    ErrorFrame,
    GetHistory,
    History,
    MessageStatus,
    MessageView,
    Role,
    SendMessage,
    parse_server_frame,
)
from tests import figures
from tests.integration.stack import LocalStack, children, rss_kib, threads

pytestmark = pytest.mark.integration

SUITE = "soak"
USERS = int(os.environ.get("MEMCHAT_SOAK_USERS", "24"))
SOAK_SECONDS = float(os.environ.get("MEMCHAT_SOAK_SECONDS", "180"))  # the warm-up's turns included
TURNS_PER_CONVERSATION = 4  # and warm once every user has had one conversation answered
SAMPLE_SECONDS = 0.2  # how often the environments' threads are counted
ANSWER_TIMEOUT = 60  # seconds any one frame may take to come; past it the turn has hung and the run fails
# Memory a process may gain between the end of the warm-up and the end of the run: Python's allocator and
# the caches fill during the warm-up; a leak of a few KB a turn over ~1,000 turns shows well past this.
GROWTH_LIMIT_KIB = 24 * 1024
GROWTH_LIMIT_SHARE = 0.15
# The processes whose memory must stay flat, by a marker in their command line ("" is the stack itself).
SERVING = {"gateway": "", "worker environments": "multiprocessing", "model endpoint": "memchat_local.endpoint"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The replay model answering quickly (short answers, many turns), the rate limit out of the way."""
    local = LocalStack(tmp_path_factory.mktemp("soak"), mode="replay",
                       extra=("--replay-ttft-ms", "20", "--replay-tokens-per-second", "400",
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=24",
                              "--set", "MEMCHAT_RATE_LIMIT_PER_MINUTE=100000"))
    local.start()
    yield local
    local.stop()


@dataclass
class Turn:
    """One message and what the socket heard back for it."""

    user: str
    client_message_id: uuid.UUID
    sent_at: float
    ack: Ack | None = None
    seqs: list[int] = field(default_factory=list)
    text: str = ""
    end: Done | ErrorFrame | None = None
    first_delta_after: float | None = None  # seconds from sending to the first delta


@dataclass
class Heard:
    """What all users heard, gathered across their threads."""

    turns: list[Turn] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # frames of no type the protocol defines
    strays: list[str] = field(default_factory=list)  # frames that belong to no turn in flight
    warmed: set[str] = field(default_factory=set)  # users who had a whole conversation answered
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class Mark:
    """The serving processes' memory at a moment, and the most threads the environments ran until then."""

    kib: dict[str, int]
    peak_threads: int
    turns: int  # turns answered by then


class Gauge:
    """Counts the worker environments' threads every SAMPLE_SECONDS, beside the run, and marks the memory
    at the moments the test names: the peak a process's memory follows is that of its threads."""

    def __init__(self, pids: dict[str, list[int]]) -> None:
        self.pids = pids
        self.peak_threads = 0
        self.warm: Mark | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._sample, name="gauge", daemon=True)

    def __enter__(self) -> Gauge:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def mark(self, turns: int) -> Mark:
        self._count()
        return Mark(memory(self.pids), self.peak_threads, turns)

    def _count(self) -> None:
        now = sum(threads(pid) for pid in self.pids["worker environments"])
        with self._lock:
            self.peak_threads = max(self.peak_threads, now)

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self._count()


def chat(stack: LocalStack, user: str, until: float, heard: Heard, gauge: Gauge) -> None:
    """One user: messages one after another until `until`, a new conversation every few turns."""
    socket = websocket.create_connection(f"{stack.url}/?token={stack.token(user)}", timeout=ANSWER_TIMEOUT)
    conversation: str | None = None
    number = 0
    try:
        while time.monotonic() < until:
            turn = Turn(user=user, client_message_id=uuid.uuid4(), sent_at=time.perf_counter())
            socket.send(SendMessage(action="sendMessage", conversation_id=conversation,
                                    client_message_id=turn.client_message_id,
                                    text=f"{user} asks question {number}: what is worth knowing today?").to_wire())
            _listen(socket, turn, heard)
            with heard.lock:
                heard.turns.append(turn)
            if turn.ack is None or turn.end is None:
                return  # refused or cut off: counted as not acked or not answered below
            number += 1
            conversation = None if number % TURNS_PER_CONVERSATION == 0 else turn.ack.conversation_id
            if number == TURNS_PER_CONVERSATION:
                with heard.lock:
                    heard.warmed.add(user)
                    if len(heard.warmed) == USERS:  # the last user to warm marks the warm state
                        gauge.warm = gauge.mark(len(heard.turns))
    finally:
        socket.close()


def _listen(socket: websocket.WebSocket, turn: Turn, heard: Heard) -> None:
    """Read frames until the turn's answer ends (or its message is refused)."""
    while True:
        raw = socket.recv()  # WebSocketTimeoutException after ANSWER_TIMEOUT: a hang fails the run
        try:
            frame = parse_server_frame(raw)
        except ValidationError:
            with heard.lock:
                heard.unknown.append(str(raw)[:200])
            continue
        match frame:
            case Ack() if frame.client_message_id == turn.client_message_id and turn.ack is None:
                turn.ack = frame
            case Delta() if turn.ack is not None and frame.message_id == turn.ack.reply_id:
                if turn.first_delta_after is None:
                    turn.first_delta_after = time.perf_counter() - turn.sent_at
                turn.seqs.append(frame.seq)
                turn.text += frame.text
            case Done() if turn.ack is not None and frame.message_id == turn.ack.reply_id:
                turn.end = frame
                return
            case ErrorFrame() if turn.ack is None or frame.message_id == turn.ack.reply_id:
                turn.end = frame
                return
            case _:
                with heard.lock:
                    heard.strays.append(str(raw)[:200])


def serving_pids(stack: LocalStack) -> dict[str, list[int]]:
    assert stack.process is not None
    pids = {name: children(stack, marker) for name, marker in SERVING.items() if marker}
    pids["gateway"] = [stack.process.pid]
    pids["DynamoDB Local"] = children(stack, "DynamoDBLocal.jar")
    assert all(pids.values()), pids
    return pids


def memory(pids: dict[str, list[int]]) -> dict[str, int]:
    """KiB resident per kind of process (summed over the worker's environments)."""
    return {name: sum(rss_kib(pid) for pid in group) for name, group in pids.items()}


def stored(stack: LocalStack, user: str, conversation: str) -> list[MessageView]:
    """A conversation's every message, read back page by page through the protocol."""
    socket = websocket.create_connection(f"{stack.url}/?token={stack.token(user)}", timeout=ANSWER_TIMEOUT)
    messages: list[MessageView] = []
    before = None
    try:
        while True:
            socket.send(GetHistory(action="getHistory", conversation_id=conversation, before=before).to_wire())
            page = parse_server_frame(socket.recv())
            assert isinstance(page, History), page
            messages = page.messages + messages
            if page.before is None:
                return messages
            before = page.before
    finally:
        socket.close()


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


# Three minutes of chat, then every conversation read back: past the suite's usual 300 s per test.
@pytest.mark.timeout(900)
def test_many_users_chatting_for_a_while_are_all_answered_and_stored_and_memory_stays_flat(stack: LocalStack):
    pids = serving_pids(stack)
    output_before = len(stack.output)
    heard = Heard()
    users = [f"soak-{n:02d}" for n in range(USERS)]
    began = time.monotonic()
    until = began + SOAK_SECONDS
    with Gauge(pids) as gauge, ThreadPoolExecutor(USERS) as pool:
        at_start = gauge.mark(0)
        running = [pool.submit(chat, stack, user, until, heard, gauge) for user in users]
        for future in running:
            future.result()  # a hang or a broken socket fails here, with its cause
        at_end = gauge.mark(len(heard.turns))
    elapsed = time.monotonic() - began
    warm = gauge.warm
    assert warm is not None, f"every user had a conversation answered within the soak: {len(heard.warmed)} did"

    sent = len(heard.turns)
    acked = [t for t in heard.turns if t.ack is not None]
    answered = [t for t in acked if isinstance(t.end, Done) and t.end.finish_reason.value in ("stop", "length")]
    by_conversation: dict[tuple[str, str], list[Turn]] = defaultdict(list)
    for turn in acked:
        by_conversation[(turn.user, turn.ack.conversation_id)].append(turn)
    stored_messages = stored_answers = 0
    problems: list[str] = []
    for (user, conversation), turns in by_conversation.items():
        messages = {m.message_id: m for m in stored(stack, user, conversation)}
        problems += [f"{m.message_id} is still {m.status}" for m in messages.values()
                     if m.status in (MessageStatus.PENDING, MessageStatus.STREAMING)]
        for turn in turns:
            message, answer = messages.get(turn.ack.message_id), messages.get(turn.ack.reply_id)
            if message is not None and message.role is Role.USER:
                stored_messages += 1
            else:
                problems.append(f"message {turn.ack.message_id} was acked but is not stored")
            if answer is not None and answer.status is MessageStatus.COMPLETE and answer.text == turn.text:
                stored_answers += 1
            else:
                problems.append(f"answer {turn.ack.reply_id} streamed {turn.text!r} but is stored as "
                                f"{answer and (answer.status, answer.text)!r}")
    gaps = [(t.ack.reply_id, t.seqs) for t in acked if t.seqs != list(range(len(t.seqs)))]
    tracebacks = [line for line in stack.output[output_before:] if "Traceback" in line]
    pool_full = sum("Connection pool is full" in line for line in stack.output[output_before:])
    ttft = sorted(t.first_delta_after * 1000 for t in acked if t.first_delta_after is not None)
    percentiles = statistics.quantiles(ttft, n=20) if len(ttft) >= 2 else [float("nan")] * 19

    figures.measure(SUITE, "users, seconds; turns answered when warm", f"{USERS}, {elapsed:.0f}; {warm.turns}")
    figures.measure(SUITE, "messages sent / acked / stored", f"{sent} / {len(acked)} / {stored_messages}")
    figures.measure(SUITE, "answers done / stored complete with the streamed text",
                    f"{len(answered)} / {stored_answers}")
    figures.measure(SUITE, "deltas; seq gaps or repeats; unknown frames; strays",
                    f"{sum(len(t.seqs) for t in acked)}; {len(gaps)}; {len(heard.unknown)}; {len(heard.strays)}")
    figures.measure(SUITE, "time to first token p50 / p95 (client, ms)",
                    f"{statistics.median(ttft):.0f} / {percentiles[18]:.0f}" if ttft else "none")
    for name in at_start.kib:
        figures.measure(SUITE, f"memory, {name}: start / warm / end",
                        f"{mib(at_start.kib[name])} / {mib(warm.kib[name])} / {mib(at_end.kib[name])}")
    figures.measure(SUITE, "worker environments' threads at their peak: when warm / at the end",
                    f"{warm.peak_threads} / {at_end.peak_threads}")
    figures.measure(SUITE, "tracebacks; 'Connection pool is full' warnings", f"{len(tracebacks)}; {pool_full}")

    assert sent > USERS, "every user sent more than one message"
    assert len(acked) == sent, [t.end for t in heard.turns if t.ack is None][:5]
    assert len(answered) == len(acked), [t.end for t in acked if t not in answered][:5]
    assert stored_messages == stored_answers == len(acked), problems[:10]
    assert not problems, problems[:10]
    assert not gaps, gaps[:5]
    assert not heard.unknown, heard.unknown[:5]
    assert not heard.strays, heard.strays[:5]
    assert not tracebacks, "".join(stack.output[output_before:])[-4000:]
    for name in SERVING:
        allowed = max(GROWTH_LIMIT_KIB, int(warm.kib[name] * GROWTH_LIMIT_SHARE)) + concurrency(name, at_start,
                                                                                                 warm, at_end)
        assert at_end.kib[name] - warm.kib[name] <= allowed, (
            f"the {name} grew from {mib(warm.kib[name])} to {mib(at_end.kib[name])} after the warm-up "
            f"({warm.turns} turns) to the end ({at_end.turns} turns); threads at their peak {warm.peak_threads} "
            f"then {at_end.peak_threads}")


def concurrency(name: str, at_start: Mark, warm: Mark, at_end: Mark) -> int:
    """What the worker environments may have grown by running more invocations at once than before the warm
    mark (KiB): the extra threads at the new peak, each holding what a thread held at warm."""
    if name != "worker environments" or at_end.peak_threads <= warm.peak_threads:
        return 0
    per_thread = max(0, warm.kib[name] - at_start.kib[name]) // warm.peak_threads
    return per_thread * (at_end.peak_threads - warm.peak_threads)
